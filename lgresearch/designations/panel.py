"""The designation panel: one row per firm and designation event, built from list files or frames.

Examples
--------
>>> f = pd.DataFrame({"name": ["甲科技有限公司", "乙公司"], "batch": [5, 5], "list_type": ["final", "final"],
...                   "province": ["浙江", "江苏"]})
>>> build_panel([f], write=False, as_of="2025-01-01")["firm_id"].tolist()
['乙公司', '甲科技有限公司']
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch._compat import TEXT_DTYPE
from lgresearch.clean.names import core_name, normalize_company_name
from lgresearch.clean.regions import normalize_region
from lgresearch.designations.read import _deprecated_ledger_argument, _read_list
from lgresearch.designations.schema import (
    LEDGER_FILE, LIST_COLUMNS, LIST_TYPES, PANEL_COLUMNS, PANEL_FILE, _empty_list_frame, _official_batches,
    _string_columns,
)
from lgresearch.errors import InputError
from lgresearch.io import FORMATS, read_cells
from lgresearch.ledger import Ledger
from lgresearch.provenance import mark_real

__all__ = ["list_files", "read_aliases", "build_panel"]

#: Official batch columns joined onto the panel.
_OFFICIAL_COLUMNS = ["batch", "cohort_year", "launch_date", "publicity_start", "publicity_end", "announcement_date",
                     "review_year"]


def list_files(paths_: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the list files they hold (sorted; hidden and lock files skipped).

    Files of other types inside a folder are skipped with a warning; a named file of another type raises.

    Parameters
    ----------
    paths_ : iterable of str or Path
        Files and folders (folders are searched recursively).

    Returns
    -------
    list of Path
        The list files, sorted.

    Examples
    --------
    >>> list_files([])
    []
    """
    out: list[Path] = []
    for p in paths_:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or f.name.startswith((".", "~$")):
                    continue
                if f.suffix.lower() in FORMATS:
                    out.append(f)
                elif f.suffix.lower() not in (".md", ".txt~"):
                    warnings.warn(f"{f.name}: not a list file type, skipped", stacklevel=2)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(p.name, None, None, "file not found")
    return out


def read_aliases(aliases: str | Path | pd.DataFrame | None) -> dict[str, str]:
    """Read an alias table of renamed firms (columns ``old_name, new_name``) into normalized old → new.

    Chains (A → B, B → C) are resolved to the last name; a cycle raises :class:`InputError`.

    Parameters
    ----------
    aliases : str, Path, DataFrame or None
        A CSV or frame with ``old_name, new_name``.

    Returns
    -------
    dict of str to str
        Normalised old name → normalised new name.

    Examples
    --------
    >>> read_aliases(pd.DataFrame({"old_name": ["甲公司", "乙公司"], "new_name": ["乙公司", "丙公司"]}))
    {'甲公司': '丙公司', '乙公司': '丙公司'}
    """
    if aliases is None:
        return {}
    label = "aliases"
    if not isinstance(aliases, pd.DataFrame):
        label = Path(aliases).name
        cells = read_cells(aliases)
        ccols = [c for c in cells.columns if re.fullmatch(r"c\d+", str(c))]
        if len(cells) == 0 or len(ccols) < 2:
            raise InputError(label, None, None, "an alias table needs two columns: old_name,new_name")
        header = [str(v).strip().lower() for v in cells[ccols].iloc[0]]
        frame = cells.iloc[1:][ccols]
        frame.columns = header
        frame = frame.assign(_row=cells["source_row"].iloc[1:].to_numpy())
    else:
        frame = aliases.copy()
        frame["_row"] = np.arange(2, len(frame) + 2)
    if not {"old_name", "new_name"} <= set(frame.columns):
        raise InputError(label, 1, None, f"an alias table needs columns old_name,new_name; got {list(frame.columns)}")
    old = normalize_company_name(frame["old_name"].astype(object))
    new = normalize_company_name(frame["new_name"].astype(object))
    table: dict[str, str] = {}
    for o, n, r in zip(old, new, frame["_row"], strict=True):
        if pd.isna(o) or pd.isna(n):
            raise InputError(label, int(r), "old_name" if pd.isna(o) else "new_name", "empty name")
        if o in table and table[o] != n:
            raise InputError(label, int(r), "old_name", f"{o} is renamed twice ({table[o]} and {n})")
        if o != n:
            table[o] = n
    resolved = {}
    for o in table:
        seen = {o}
        cur = table[o]
        while cur in table:
            if cur in seen:
                raise InputError(label, None, "new_name", f"alias cycle through {cur}")
            seen.add(cur)
            cur = table[cur]
        resolved[o] = cur
    return resolved


def _frame_input(frame: pd.DataFrame, k: int, ledger: Ledger) -> tuple[pd.DataFrame, dict[str, int]]:
    """A frame passed to build_panel: the output of read_list, or any frame with name, batch and list_type."""
    need = {"batch", "list_type"}
    if "name" not in frame.columns and "raw_name" not in frame.columns:
        raise InputError(f"<frame {k}>", None, "name", "a frame needs a name (or raw_name) column")
    if not need <= set(frame.columns):
        raise InputError(f"<frame {k}>", None, None, f"a frame needs columns {sorted(need)}")
    f = frame.copy()
    if "source_file" not in f.columns:
        f["source_file"] = f"<frame {k}>"
    if "source_row" not in f.columns:
        f["source_row"] = np.arange(1, len(f) + 1)
    if "raw_name" not in f.columns:
        f["raw_name"] = f["name"]
    f["name"] = normalize_company_name(f["raw_name"].astype(object) if "name" not in frame.columns
                                       else f["name"].astype(object))
    if "issuer" not in frame.columns and ("province" in f.columns or "city" in f.columns):
        f = _add_regions(f, k)
    for c in LIST_COLUMNS:
        if c not in f.columns:
            f[c] = None
    missing = f["name"].isna()
    if missing.any():
        ledger.add(f.loc[missing, "source_file"].astype(str), f.loc[missing, "source_row"], "dropped",
                   reason="blank name after cleaning")
    f = f.loc[~missing]
    ledger.add(f["source_file"].astype(str), f["source_row"], "kept")
    counts = frame.assign(source_file=frame["source_file"] if "source_file" in frame.columns
                          else f"<frame {k}>").groupby("source_file").size().to_dict()
    return f[LIST_COLUMNS], {str(a): int(b) for a, b in counts.items()}


def _add_regions(f: pd.DataFrame, k: int) -> pd.DataFrame:
    """Standard region columns for a frame that gives only ``province`` and/or ``city`` text."""
    prov = f["province"] if "province" in f.columns else pd.Series("", index=f.index)
    city = f["city"] if "city" in f.columns else pd.Series(None, index=f.index)
    recs = []
    for row, p, c in zip(f["source_row"], prov, city, strict=True):
        p = "" if pd.isna(p) else str(p)
        c = None if (c is None or pd.isna(c) or not str(c).strip()) else str(c)
        rec = normalize_region(p, c) if (p or c) else None
        if rec is None and (p or c):
            raise InputError(str(f["source_file"].iloc[0]), int(row), "province",
                             f"unknown province/city {p!r}/{c!r}")
        rec = rec or dict.fromkeys(("province_code", "province", "province_en", "city", "city_en"))
        planned = bool(rec.get("separately_planned"))
        issuer = (str(rec["city"])[:-1] if planned else rec["province"]) if rec.get("province") else None
        recs.append({**rec, "separately_planned": planned, "issuer": issuer})
    regions = pd.DataFrame(recs, index=f.index)
    _ = k
    return f.drop(columns=[c for c in regions.columns if c in f.columns]).join(regions)


def build_panel(
    frames_or_paths: Iterable[str | Path | pd.DataFrame] | str | Path | pd.DataFrame,
    *,
    aliases: str | Path | pd.DataFrame | None = None,
    return_ledger: bool = False,
    out: str | Path | None = None,
    write: bool = True,
    as_of: str | pd.Timestamp | None = None,
    official_batches: pd.DataFrame | None = None,
    ledger: Ledger | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Build the designation panel: one row per firm and designation event.

    Parameters
    ----------
    frames_or_paths : paths, folders, or frames from :func:`read_list`
    aliases : CSV path or frame with ``old_name, new_name``, optional
        Renamed firms: rows listed under an old name are counted under the new one (``name_as_listed`` keeps
        the printed name).
    return_ledger : bool, default False
        Also return the :class:`~lgresearch.ledger.Ledger` of every input row's outcome: the rows
        :func:`read_list` dropped, ``kept`` for the panel rows and ``merged`` for duplicates (same firm, batch
        and list type in another file or province), with reasons.
    out : path, optional
        Folder for :data:`PANEL_FILE` and :data:`LEDGER_FILE` (default: ``paths.processed_dir()``).
    write : bool
        Write the two files (default True).
    as_of : date, optional
        Date that decides whether a batch's review is due (default: today).
    official_batches : DataFrame, optional
        Batch facts (default :func:`lgresearch.official.batches`).
    ledger : Ledger, optional
        Deprecated (``FutureWarning``): a ledger to append the outcomes to; use ``return_ledger=True``.

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        The panel (and the ledger with ``return_ledger=True``). Columns :data:`PANEL_COLUMNS`.
        ``designation_date`` is the list's own date when it has one, else the official batch date (publicity
        start for publicity lists, announcement for final lists; ``event_date`` is the same date under its 0.x
        name); ``designation_precision`` says how precise it is (``day`` / ``month`` / ``year``: batch 4's
        official dates are month precision). ``firm_id`` is the USCC when any list gives one for the firm, else the
        normalized name (``id_type`` says which). ``review_outcome`` is ``failed`` or ``withdrawn`` (a review
        result column said 不通过 / 未通过 or 撤销 / 取消 for the firm and batch: those rows are not panel rows,
        the ledger drops them with reason ``review failed`` / ``review withdrawn``), ``passed`` (on a review pass
        list of the firm's batch), ``not on the pass list`` (a pass list for the batch and the firm's issuer was
        read and the firm is not on it), ``not yet reviewed`` (the batch's review year is after ``as_of``), or
        ``review list not supplied``. ``attrs["ledger_summary"]`` summarises the ledger.

    Examples
    --------
    >>> f = pd.DataFrame({"name": ["甲科技有限公司", "甲科技有限公司", "乙公司"], "batch": [5, 5, 5],
    ...                   "list_type": ["publicity", "final", "publicity"], "province": ["浙江", "浙江", "江苏"]})
    >>> p = build_panel([f], write=False, as_of="2025-01-01")
    >>> p[["firm_id", "list_type", "cohort_year", "review_outcome"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['乙公司', 'publicity', 2023, 'not yet reviewed'],
     ['甲科技有限公司', 'final', 2023, 'not yet reviewed'],
     ['甲科技有限公司', 'publicity', 2023, 'not yet reviewed']]
    """
    if ledger is not None:
        _deprecated_ledger_argument("build_panel")
    if isinstance(frames_or_paths, (str, Path, pd.DataFrame)):
        frames_or_paths = [frames_or_paths]
    led = Ledger()
    rows, expected = _read_inputs(list(frames_or_paths), led)
    panel, led = _assemble(rows, led, aliases=aliases, as_of=as_of, official_batches=official_batches)
    led.reconcile(expected)
    if ledger is not None:
        ledger.extend(led)
    panel.attrs["ledger_summary"] = led.summary()
    if write:
        folder = Path(out) if out is not None else paths.processed_dir()
        folder.mkdir(parents=True, exist_ok=True)
        _write_parquet(panel, folder / PANEL_FILE)
        led.frame().to_csv(folder / LEDGER_FILE, index=False)
    return (panel, led) if return_ledger else panel


def _read_inputs(items: list, led: Ledger) -> tuple[pd.DataFrame, dict[str, int]]:
    """Read every file (and take every frame) given to :func:`build_panel`: the rows and the expected counts."""
    parts: list[pd.DataFrame] = []
    expected: dict[str, int] = {}
    path_items = list_files([p for p in items if not isinstance(p, pd.DataFrame)])
    labels = _unique_labels(path_items)
    for p in path_items:
        res = _read_list(p, ledger=led, label=labels[p])
        parts.append(res.frame)
        expected.update(res.n_rows)
    for k, f in enumerate(p for p in items if isinstance(p, pd.DataFrame)):
        frame, counts = _frame_input(f, k, led)
        parts.append(frame)
        expected.update(counts)
    rows = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else _empty_list_frame()
    return rows, expected


def _unique_labels(files: Sequence[Path]) -> dict[Path, str]:
    names = [f.name for f in files]
    out = {}
    for f in files:
        out[f] = f.name if names.count(f.name) == 1 else f"{f.parent.name}/{f.name}"
    return out


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    clean = frame.copy()
    clean.attrs = {}
    clean.to_parquet(path, index=False)


def _assemble(rows: pd.DataFrame, led: Ledger, *, aliases, as_of, official_batches) -> tuple[pd.DataFrame, Ledger]:
    """Aliases, firm ids, de-duplication, official dates and review outcomes."""
    rows = _checked_rows(rows)
    rows["name_as_listed"] = rows["name"]
    flags: list[tuple[str, int, str, str]] = []
    _apply_aliases(rows, read_aliases(aliases), flags)
    _assign_firm_ids(rows, flags)
    rows, led, failed_pairs = _drop_failed_reviews(rows, led)
    panel, led = _deduplicate(rows, led, flags)
    _flag_multi_batch(panel, flags)
    ob = official_batches if official_batches is not None else _official_batches()
    panel = _finish_panel(_join_official_dates(panel, ob), as_of=as_of, failed_pairs=failed_pairs,
                          official_batches=ob)
    if flags:
        led.add([f[0] for f in flags], [int(f[1]) for f in flags], "flagged", reason=[f[2] for f in flags],
                detail=[f[3] for f in flags])
    files = sorted(set(panel["source_file"].dropna().astype(str)))
    mark_real(panel, "designation lists: " + (", ".join(files[:5]) + (" …" if len(files) > 5 else "")
                                              if files else "none"))
    return panel, led


def _checked_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """A copy with an integer batch; a row without a batch or with an unknown list type is an error."""
    rows = rows.copy()
    rows["batch"] = pd.to_numeric(rows["batch"], errors="coerce").astype("Int64")
    bad_type = ~rows["list_type"].isin(LIST_TYPES) | rows["batch"].isna()
    if bad_type.any():
        r = rows.loc[bad_type].iloc[0]
        raise InputError(str(r["source_file"]), int(r["source_row"]), "list_type" if r["list_type"] not in
                         LIST_TYPES else "batch", f"bad batch/list type {r['batch']!r}/{r['list_type']!r}")
    return rows


def _apply_aliases(rows: pd.DataFrame, alias_map: dict[str, str], flags: list) -> None:
    """Rename firms listed under an old name (in place), flagging each renamed row."""
    if not alias_map:
        return
    renamed = rows["name"].map(alias_map)
    hit = renamed.notna()
    for f, r, o, n in zip(rows.loc[hit, "source_file"], rows.loc[hit, "source_row"], rows.loc[hit, "name"],
                          renamed[hit], strict=True):
        flags.append((f, int(r), "renamed by alias table", f"{o} -> {n}"))
    rows["name"] = renamed.where(hit, rows["name"])


def _assign_firm_ids(rows: pd.DataFrame, flags: list) -> None:
    """``firm_id``: the USCC when any row of the same name has one (and only one), else the name (in place)."""
    with_code = rows.dropna(subset=["uscc"])
    codes = with_code.groupby("name")["uscc"].agg(lambda s: sorted(set(s)))
    conflict = codes[codes.map(len) > 1]
    for name_, cs in conflict.items():
        for f, r in rows.loc[rows["name"] == name_, ["source_file", "source_row"]].itertuples(index=False):
            flags.append((f, r, "one name, several USCCs", f"{name_}: {', '.join(cs)}"))
    single = codes[codes.map(len) == 1].map(lambda c: c[0])
    rows["uscc"] = rows["uscc"].where(rows["uscc"].notna(), rows["name"].map(single))
    rows["firm_id"] = rows["uscc"].where(rows["uscc"].notna(), rows["name"])
    rows["id_type"] = np.where(rows["uscc"].notna(), "uscc", "name")


def _drop_failed_reviews(rows: pd.DataFrame, led: Ledger) -> tuple[pd.DataFrame, Ledger, dict]:
    """A failed or withdrawn row is not a designation: it only sets the firm's review outcome."""
    result = rows["review_outcome"].astype(object) if "review_outcome" in rows.columns else \
        pd.Series(None, index=rows.index, dtype=object)
    bad = result.isin(["failed", "withdrawn"])
    failed_pairs = {(fid, int(b)): o for fid, b, o in zip(rows.loc[bad, "firm_id"], rows.loc[bad, "batch"],
                                                          result[bad], strict=True)}
    if bad.any():
        led = _relabel(led, [(f, int(r), "review failed" if o == "failed" else "review withdrawn",
                              f"{n}: review {o}") for f, r, o, n in
                             zip(rows.loc[bad, "source_file"], rows.loc[bad, "source_row"], result[bad],
                                 rows.loc[bad, "name"], strict=True)], "dropped")
        rows = rows.loc[~bad.to_numpy()].copy()
    return rows, led, failed_pairs


def _deduplicate(rows: pd.DataFrame, led: Ledger, flags: list) -> tuple[pd.DataFrame, Ledger]:
    """One row per firm x batch x list type; duplicates are merged in the ledger, province conflicts flagged."""
    rows["_order"] = np.arange(len(rows))
    key = ["firm_id", "batch", "list_type"]
    rows = rows.sort_values([*key, "_order"], kind="stable")
    first = ~rows.duplicated(key, keep="first")
    rows["n_sources"] = rows.groupby(key, sort=False)["_order"].transform("size").astype("int64")
    keepers = rows.loc[first, [*key, "source_file", "source_row", "province", "city"]]
    dup = rows.loc[~first].merge(keepers, on=key, suffixes=("", "_kept"), how="left")
    merged_info = []
    for r in dup.itertuples(index=False):
        conflicting = (pd.notna(r.province) and pd.notna(r.province_kept) and r.province != r.province_kept)
        reason = "duplicate firm with a conflicting province" if conflicting else "duplicate firm"
        detail = f"same as {r.source_file_kept} row {r.source_row_kept}"
        if conflicting:
            detail += f" ({r.province} vs {r.province_kept})"
            flags.append((r.source_file_kept, int(r.source_row_kept), "province conflict with a duplicate",
                          f"{r.source_file} row {r.source_row}: {r.province}"))
        merged_info.append((r.source_file, int(r.source_row), reason, detail))
    prov_conflict = set()
    if len(dup):
        c = dup[dup["province"].notna() & dup["province_kept"].notna() & (dup["province"] != dup["province_kept"])]
        prov_conflict = set(zip(c["firm_id"], c["batch"], c["list_type"], strict=True))
    if merged_info:
        led = _relabel(led, merged_info, "merged")
    panel = rows.loc[first].drop(columns="_order").copy()
    panel["province_conflict"] = [(a, b, c) in prov_conflict for a, b, c in
                                  zip(panel["firm_id"], panel["batch"], panel["list_type"], strict=True)]
    return panel, led


def _flag_multi_batch(panel: pd.DataFrame, flags: list) -> None:
    """Flag the same firm designated in two batches (not counting review lists)."""
    desig = panel[panel["list_type"] != "review_passed"]
    multi = desig.groupby("firm_id")["batch"].nunique()
    for fid in multi[multi > 1].index:
        for f, r, b in desig.loc[desig["firm_id"] == fid, ["source_file", "source_row", "batch"]].itertuples(
                index=False):
            flags.append((f, int(r), "firm listed in several batches", f"{fid}: batch {b}"))


def _join_official_dates(panel: pd.DataFrame, official_batches: pd.DataFrame) -> pd.DataFrame:
    """Join the official batch dates and years; ``designation_date`` is the list's own date, else the official."""
    ob = official_batches[_OFFICIAL_COLUMNS].copy()
    ob["batch"] = ob["batch"].astype("Int64")
    panel = panel.merge(ob, on="batch", how="left")
    listed_date = pd.to_datetime(panel["list_date"], errors="coerce").astype("datetime64[ns]")
    pub = panel["publicity_start"].astype("datetime64[ns]").to_numpy()
    ann = panel["announcement_date"].astype("datetime64[ns]").to_numpy()
    lt = panel["list_type"].to_numpy(dtype=object)
    official_date = np.where(lt == "publicity", pub, np.where(lt == "final", ann, np.datetime64("NaT", "ns")))
    panel["event_date"] = listed_date.where(listed_date.notna(), pd.Series(official_date, index=panel.index))
    panel["designation_date"] = panel["event_date"]
    panel["_from_list"] = listed_date.notna().to_numpy()
    return panel


def _finish_panel(panel: pd.DataFrame, *, as_of, failed_pairs: dict, official_batches: pd.DataFrame) -> pd.DataFrame:
    """Precision, review outcomes, core names and types; sorted, in the order of :data:`PANEL_COLUMNS`."""
    lt = panel["list_type"].to_numpy(dtype=object)
    panel["designation_precision"] = _designation_precision(panel, lt, panel["_from_list"].to_numpy(),
                                                            official_batches)
    panel["review_outcome"] = _review_outcomes(panel, as_of, failed_pairs)
    panel["core"] = core_name(panel["name"].astype(object))
    panel["cohort_year"] = panel["cohort_year"].astype("Int64")
    panel["review_year"] = pd.to_numeric(panel["review_year"], errors="coerce").astype("Int64")
    order = {t: i for i, t in enumerate(("final", "publicity", "review_passed"))}
    panel = panel.assign(_lt=panel["list_type"].map(order)).sort_values(
        ["batch", "issuer", "firm_id", "_lt"], na_position="last", kind="stable").drop(columns="_lt")
    panel = panel[PANEL_COLUMNS].reset_index(drop=True)
    panel = _string_columns(panel)
    for c in ("id_type", "core", "firm_id", "name_as_listed"):
        vals = panel[c].astype(object).where(panel[c].notna(), np.nan)
        panel[c] = vals.astype(TEXT_DTYPE)
    return panel


def _relabel(led: Ledger, info: list[tuple[str, int, str, str]], outcome: str) -> Ledger:
    """Turn the ``kept`` entries of the given (file, row) into ``outcome`` with a reason and detail."""
    lf = led.frame()
    idx = pd.MultiIndex.from_frame(lf[["source_file", "source_row"]].astype({"source_row": "int64"}))
    lookup = {(f, r): (reason, detail) for f, r, reason, detail in info}
    hits = [lookup.get(t) for t in idx]
    mask = np.array([h is not None for h in hits], dtype=bool) & (lf["outcome"] == "kept").to_numpy()
    lf.loc[mask, "outcome"] = outcome
    lf.loc[mask, "reason"] = [h[0] for h, m in zip(hits, mask, strict=True) if m and h is not None]
    lf.loc[mask, "detail"] = [h[1] for h, m in zip(hits, mask, strict=True) if m and h is not None]
    return Ledger.from_frame(lf)


def _review_outcomes(panel: pd.DataFrame, as_of, failed: dict | None = None) -> pd.Series:
    today = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    review = panel[panel["list_type"] == "review_passed"]
    passed = set(zip(review["firm_id"], review["batch"], strict=True))
    # which (batch, issuer) pairs have a pass list; a pass list without issuer covers the whole batch
    covered = set(zip(review["batch"], review["issuer"].fillna("*"), strict=True))
    whole_batch = {b for b, i in covered if i == "*"}
    out = []
    for fid, b, iss, ry in zip(panel["firm_id"], panel["batch"], panel["issuer"], panel["review_year"],
                               strict=True):
        if failed and (fid, int(b)) in failed:
            out.append(failed[(fid, int(b))])
        elif (fid, b) in passed:
            out.append("passed")
        elif b in whole_batch or (b, iss if isinstance(iss, str) else "*") in covered:
            out.append("not on the pass list")
        elif pd.isna(ry) or int(ry) > today.year:
            out.append("not yet reviewed")
        else:
            out.append("review list not supplied")
    return pd.Series(out, index=panel.index, dtype=object)

def _designation_precision(panel: pd.DataFrame, lt: np.ndarray, from_list: np.ndarray,
                           official_batches: pd.DataFrame) -> pd.Series:
    """Precision of ``designation_date``: the list's own date cell's, else the official date's (``day`` /
    ``month`` / ``year``; missing when the batch facts carry no precision)."""
    prec = {}
    for col, kind in (("publicity_start_precision", "publicity"), ("announcement_date_precision", "final")):
        if col in official_batches.columns:
            prec[kind] = dict(zip(official_batches["batch"].astype("Int64"), official_batches[col], strict=True))
    batches = panel["batch"].astype("Int64").tolist()
    own = panel["list_date_precision"] if "list_date_precision" in panel.columns else pd.Series(None, index=panel.index)
    out = [o if f else prec.get(t, {}).get(b) for o, f, t, b in zip(own.tolist(), from_list, lt, batches, strict=True)]
    return pd.Series(out, index=panel.index, dtype=object).where(lambda x: x.notna(), np.nan).astype(TEXT_DTYPE)
