"""Listed Little Giants: vendor tag snapshots by stock code, Shenwan industries and the A-share universe.

No public file maps listed companies to MIIT batches. What exists are dated vendor tag snapshots
(``listed-little-giants/history/`` in the third-party directory; read its ``HISTORY_PROVENANCE.md``):

========================  ===========================================  ==============
flag column               tag                                          snapshot
========================  ===========================================  ==============
``in_em_2023_12``         Eastmoney concept board 专精特新 (BK1005)      2023-12-18
``in_em_2024_01``         Eastmoney concept board 专精特新 (BK1005)      2024-01-02
``in_em_2025_07``         Eastmoney concept board 专精特新 (BK1005)      2025-07-10..30
``in_ths_2026_02``        Tonghuashun concept 专精特新 (885929.TI)       <= 2026-02-21
``in_ths_2026_06``        Tonghuashun concept 专精特新 (885929.TI)       <= 2026-06-18
``in_wind_neeq_2023_04``  Wind 是否专精特新企业 = 1 (NEEQ firms)          ~ 2023-04-20
========================  ===========================================  ==============

:func:`listed_little_giants` folds them into one row per stock code, with a high-confidence set (latest
Eastmoney and latest THS snapshot both tag the firm), a broad set (any snapshot), the verified batch for the 17
firms matched by hand to official list fragments, and the first-seen bracket from the dated Eastmoney snapshots.
Old BSE/NEEQ codes (``4xxxxx``/``8xxxxx``) are resolved to the ``920xxx`` code where a vendor file pairs the two
codes by name (:func:`bse_code_map`); the ``920`` + last-three-digits rule is *not* used because 33 of 141 known
pairs break it.

Examples
--------
>>> parse_batch(["第三批", "3", "batch 5", "第十批", None], max_batch=7).tolist()
[3, 3, 5, <NA>, <NA>]
>>> normalize_code(["1", "000001.SZ", "sh600000", " 920475 "]).tolist()
['000001', '000001', '600000', '920475']
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch._compat import renamed_kwargs
from lgresearch.clean.batches import parse_batch  # noqa: F401 (the one parse_batch, re-exported)
from lgresearch.clean.dates import parse_date
from lgresearch.official import N_BATCHES
from lgresearch.ledger import InputError, Ledger
from lgresearch.securities import board_of, code_status, normalize_code  # noqa: F401 (re-exported)
from lgresearch.provenance import mark_real

__all__ = [
    "LLG_DIR", "HISTORY_DIR", "CANDIDATES_FILE", "BY_CODE_FILE", "FIRST_SEEN_FILE", "SHENWAN_FILE",
    "SW2021_CODES_FILE", "STOCKLIST_2025", "STOCKLIST_2024", "SOURCE_LINE", "Snapshot", "SNAPSHOTS", "FLAG_COLUMNS",
    "EM_EARLY", "EM_EARLY_DATE", "EM_LATE_DATE", "BRACKETS", "SW_L1_EN", "SW2021_START", "normalize_name",
    "bse_code_map", "resolve_codes", "read_snapshots", "LISTED_CACHE_VERSION", "listed_little_giants",
    "read_dated_mapping", "stock_industries", "stock_universe", "load_json_board",
    # re-exported: the one parse_batch (lgresearch.clean.batches) and the code helpers (lgresearch.securities)
    "parse_batch", "normalize_code", "code_status", "board_of",
]


# ---------------------------------------------------------------------------------------------------------------
# Constants: where the vendor files are and what each snapshot is
# ---------------------------------------------------------------------------------------------------------------

LLG_DIR = "listed-little-giants"
HISTORY_DIR = "history"
CANDIDATES_FILE = "listed_little_giants_candidates.csv"
BY_CODE_FILE = "listed_little_giants_by_code.csv"
FIRST_SEEN_FILE = "first_seen.csv"
SHENWAN_FILE = ("markzhou-github__h5m80d50_priority", "StockClassifyUse_stock.xls")
SW2021_CODES_FILE = ("qikaiquant__stock_china_mainland", "data", "SwClassCode_2021.xls")
STOCKLIST_2025 = ("LYH-RAIN__StockTradebyZ", "stocklist.csv")
STOCKLIST_2024 = ("tszlam__trading", "stock_list.csv")

SOURCE_LINE = ("vendor 专精特新 tags (Eastmoney BK1005 2023-12/2024-01/2025-07, THS 885929 2026-02/2026-06, "
               "Wind NEEQ flag 2023-04) via public GitHub snapshots; not MIIT lists")


@dataclass(frozen=True)
class Snapshot:
    """One dated vendor tag snapshot file in ``listed-little-giants/history/``."""

    column: str
    file: str
    vendor: str
    date: str
    note: str = ""


SNAPSHOTS: tuple[Snapshot, ...] = (
    Snapshot("in_wind_neeq_2023_04", "oisea365_wind-neeq-zjtxflag_2023-04-29.csv", "wind", "2023-04-20",
             "Wind 是否专精特新企业=1, NEEQ firms only; snapshot about 2023-04-20"),
    Snapshot("in_em_2023_12", "hikyuu_em-concept-zjtx_2023-12-18.csv", "eastmoney", "2023-12-18"),
    Snapshot("in_em_2024_01", "hikyuu_em-concept-zjtx_2024-01-02.csv", "eastmoney", "2024-01-02"),
    Snapshot("in_em_2025_07", "etrobot_em-concept-zjtx_2025-07-30.csv", "eastmoney", "2025-07-30",
             "taken between 2025-07-10 and 2025-07-30"),
    Snapshot("in_ths_2026_02", "widgeta_ths-concept-zjtx_2026-02-21.csv", "ths", "2026-02-21"),
    Snapshot("in_ths_2026_06", "widgeta_ths-concept-zjtx_2026-06-18.csv", "ths", "2026-06-18"),
)
FLAG_COLUMNS = tuple(s.column for s in SNAPSHOTS)
#: The pre-2024 Eastmoney snapshots (treated as one: the six extra codes on 2024-01-02 reflect a stock-list refresh).
EM_EARLY = ("in_em_2023_12", "in_em_2024_01")
EM_EARLY_DATE = pd.Timestamp("2024-01-02")
EM_LATE_DATE = pd.Timestamp("2025-07-30")

#: Bracket labels of :func:`listed_little_giants` (``em_bracket``).
BRACKETS = {
    "pre_2024": "in the Eastmoney board by 2024-01-02 (batches 1-4, some of 5)",
    "2024_2025": "absent 2024-01-02 while trading, present 2025-07 (batch 5 late or batch 6)",
    "2024_2025_bse_unverified": "same pattern, BSE code, listing date not checked",
    "listed_after_2024_01": "first traded after 2024-01-02: the early absence says nothing",
}

#: Shenwan 2021 level-1 industries: code -> English name (figures use these, never Chinese text).
SW_L1_EN = {
    110000: "Agriculture", 220000: "Basic Chemicals", 230000: "Steel", 240000: "Non-ferrous Metals",
    270000: "Electronics", 280000: "Automobiles", 330000: "Home Appliances", 340000: "Food & Beverage",
    350000: "Textiles & Apparel", 360000: "Light Manufacturing", 370000: "Pharma & Biotech",
    410000: "Utilities", 420000: "Transportation", 430000: "Real Estate", 450000: "Retail & Trade",
    460000: "Social Services", 480000: "Banks", 490000: "Non-bank Financials", 510000: "Conglomerates",
    610000: "Building Materials", 620000: "Construction", 630000: "Power Equipment", 640000: "Machinery",
    650000: "Defence", 710000: "Computers", 720000: "Media", 730000: "Telecoms", 740000: "Coal",
    750000: "Oil & Petrochemicals", 760000: "Environmental Services", 770000: "Beauty & Personal Care",
}
SW2021_START = pd.Timestamp("2021-07-30")


# ---------------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------------


def normalize_name(names: Iterable) -> pd.Series:
    """Normalise short names for matching: NFKC, no spaces, no ``*ST``/``ST``/``XD``/``XR``/``DR`` prefix.

    Parameters
    ----------
    names : iterable of str
        Stock short names as written.

    Returns
    -------
    Series
        The normalised short names.

    Examples
    --------
    >>> normalize_name(["*ST 云创", "万  科Ａ", "XD星昊医"]).tolist()
    ['云创', '万科A', '星昊医']
    """
    s = pd.Series(list(names) if not isinstance(names, pd.Series) else names, dtype="object")
    text = s.map(lambda v: "" if not isinstance(v, str) else unicodedata.normalize("NFKC", v))
    text = text.str.replace(r"\s+", "", regex=True)
    text = text.str.replace(r"^(\*?ST|S\*?ST|XD|XR|DR|N|C)(?=[^A-Za-z0-9])", "", regex=True)
    return text.astype("string")


def _require(*parts: str) -> Path:
    return paths.external_path(*parts, must_exist=True)


def _read_csv_str(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")


# ---------------------------------------------------------------------------------------------------------------
# BSE code changes
# ---------------------------------------------------------------------------------------------------------------


def _name_sources() -> list[tuple[str, pd.DataFrame]]:
    """(label, frame[code, name]) from every vendor file that carries short names and may hold BSE codes."""
    out: list[tuple[str, pd.DataFrame]] = []
    hist = paths.external_path(LLG_DIR, HISTORY_DIR)
    for snap in SNAPSHOTS:
        f = hist / snap.file
        if f.exists():
            df = _read_csv_str(f)
            out.append((f"{LLG_DIR}/{HISTORY_DIR}/{snap.file}", df[["code", "name"]]))
    for parts in (STOCKLIST_2025, STOCKLIST_2024):
        if paths.has_external(*parts):
            df = _read_csv_str(paths.external_path(*parts))
            code_col = "symbol" if "symbol" in df.columns else "code"
            out.append(("/".join(parts), df[[code_col, "name"]].rename(columns={code_col: "code"})))
    return out


@lru_cache(maxsize=4)
def _bse_code_map_cached(ext: str) -> pd.DataFrame:
    rows: list[pd.DataFrame] = []
    # 1. explicit pairs: history files (code vs code_norm) and the by-code file (source_codes "old;new")
    hist = paths.external_path(LLG_DIR, HISTORY_DIR)
    for snap in SNAPSHOTS:
        f = hist / snap.file
        if not f.exists():
            continue
        df = _read_csv_str(f)
        if "code_norm" in df.columns:
            pair = df[df["code"] != df["code_norm"]]
            rows.append(pd.DataFrame({"old_code": pair["code"], "new_code": pair["code_norm"],
                                      "name": pair["name"], "evidence": f"{snap.file}: code_norm"}))
    by_code = paths.external_path(LLG_DIR, BY_CODE_FILE)
    if by_code.exists():
        df = _read_csv_str(by_code)
        multi = df[df["source_codes"].str.contains(";", na=False)]
        for _, r in multi.iterrows():
            codes = r["source_codes"].split(";")
            new = [c for c in codes if c.startswith("920")]
            for old in (c for c in codes if not c.startswith("920")):
                if new:
                    rows.append(pd.DataFrame({"old_code": [old], "new_code": [new[0]], "name": [r["name"]],
                                              "evidence": [f"{BY_CODE_FILE}: source_codes (name match)"]}))
    # 2. name matches across every name-bearing vendor file: an old BSE/NEEQ code and a 920 code with one name
    names = [df.assign(file=label) for label, df in _name_sources()]
    if names:
        allnames = pd.concat(names, ignore_index=True)
        allnames["code"] = normalize_code(allnames["code"])
        allnames["key"] = normalize_name(allnames["name"])
        allnames = allnames.dropna(subset=["code"])
        allnames = allnames[allnames["key"].str.len() > 0]
        old = allnames[allnames["code"].str.match(r"^[48]\d{5}$")].drop_duplicates(["code", "key"])
        new = allnames[allnames["code"].str.match(r"^920\d{3}$")].drop_duplicates(["code", "key"])
        m = old.merge(new, on="key", suffixes=("_old", "_new"))
        rows.append(pd.DataFrame({"old_code": m["code_old"], "new_code": m["code_new"], "name": m["name_new"],
                                  "evidence": "same short name in " + m["file_old"] + " and " + m["file_new"]}))
    if not rows:
        return pd.DataFrame(columns=["old_code", "new_code", "name", "evidence"]).astype("string")
    pairs = pd.concat(rows, ignore_index=True).astype("string")
    pairs = pairs.dropna(subset=["old_code", "new_code"])
    # conflicts: one old code claimed by two new codes (or the reverse) are dropped, not guessed
    agg = (pairs.groupby(["old_code", "new_code"], sort=True)
           .agg(name=("name", "first"), evidence=("evidence", lambda s: "; ".join(sorted(set(s)))))
           .reset_index())
    bad = agg["old_code"].duplicated(keep=False) | agg["new_code"].duplicated(keep=False)
    agg = agg[~bad].reset_index(drop=True)
    agg.attrs["n_conflicts_dropped"] = int(bad.sum())
    return agg


def bse_code_map() -> pd.DataFrame:
    """Return the old BSE/NEEQ code -> ``920xxx`` code pairs found in the vendor files.

    Pairs come from the history files (``code`` vs ``code_norm``), ``listed_little_giants_by_code.csv``
    (``source_codes``) and same-short-name matches between old and new codes in every vendor list. Codes claimed by
    two partners are left out (count in ``attrs["n_conflicts_dropped"]``).

    Returns
    -------
    DataFrame with columns ``old_code, new_code, name, evidence``.

    Examples
    --------
    >>> from lgresearch import datasets                       # sample files written by lgresearch
    >>> with datasets.as_external():
    ...     m = bse_code_map()
    >>> m.set_index("old_code").loc["834475", "new_code"]
    '920475'
    """
    out = _bse_code_map_cached(str(paths.external_dir())).copy()
    return mark_real(out, "BSE code pairs from vendor files (listed-little-giants, LYH-RAIN and tszlam stock lists)")


def resolve_codes(codes: Iterable, mapping: pd.DataFrame | None = None) -> pd.Series:
    """Map old BSE/NEEQ codes to ``920xxx`` where a pair is known; other codes pass through (normalised).

    Parameters
    ----------
    codes : iterable of str or int
        Stock codes in any usual form.
    mapping : DataFrame, optional
        Old → new code pairs (default :func:`bse_code_map`).

    Returns
    -------
    Series
        Six-digit codes with old BSE/NEEQ codes replaced by their 920xxx codes.

    Examples
    --------
    >>> m = pd.DataFrame({"old_code": ["834475"], "new_code": ["920475"]})
    >>> resolve_codes(["834475", "300750", "831627"], m).tolist()
    ['920475', '300750', '831627']
    """
    c = normalize_code(codes)
    if mapping is None:
        try:
            mapping = _bse_code_map_cached(str(paths.external_dir()))
        except FileNotFoundError:
            return c
    lookup = dict(zip(mapping["old_code"].astype(str), mapping["new_code"].astype(str), strict=True))
    return c.map(lambda v: lookup.get(v, v) if isinstance(v, str) else v).astype("string")


# ---------------------------------------------------------------------------------------------------------------
# Vendor snapshots -> one row per code
# ---------------------------------------------------------------------------------------------------------------


@renamed_kwargs(with_ledger="return_ledger")
def read_snapshots(*, return_ledger: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read the dated vendor tag snapshots into one long frame (one row per snapshot file row).

    Parameters
    ----------
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: ``(frame, ledger)``.

    Returns
    -------
    DataFrame with ``code`` (resolved), ``source_code``, ``name``, ``snapshot`` (flag column name), ``vendor``,
    ``snapshot_date``, ``source_row``; with ``return_ledger`` also the :class:`Ledger` (every file row kept or
    dropped with a reason).

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When the ``listed-little-giants/history`` folder is absent.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     snaps = read_snapshots()
    >>> int(snaps.groupby("snapshot").size()["in_em_2025_07"])
    4
    """
    hist = _require(LLG_DIR, HISTORY_DIR)
    led = Ledger()
    parts = []
    mapping = _bse_code_map_cached(str(paths.external_dir()))
    for snap in SNAPSHOTS:
        f = hist / snap.file
        label = f"{LLG_DIR}/{HISTORY_DIR}/{snap.file}"
        if not f.exists():
            continue
        df = _read_csv_str(f)
        if "code" not in df.columns:
            raise InputError(label, 1, "code", "snapshot file has no 'code' column")
        rows = np.arange(2, len(df) + 2)
        code = normalize_code(df["code"])
        bad = code.isna().to_numpy()
        led.add(label, rows[bad], "dropped", reason="code is not 1-6 digits",
                detail=df.loc[bad, "code"].astype(str).tolist())
        resolved = resolve_codes(code, mapping)
        part = pd.DataFrame({
            "code": resolved, "source_code": code, "name": df.get("name", pd.Series(pd.NA, index=df.index)),
            "snapshot": snap.column, "vendor": snap.vendor, "snapshot_date": pd.Timestamp(snap.date),
            "source_row": rows,
        })[~bad]
        dup = part.duplicated("code").to_numpy()
        led.add(label, part["source_row"].to_numpy()[dup], "dropped", reason="code repeated in the snapshot")
        led.add(label, part["source_row"].to_numpy()[~dup], "kept")
        parts.append(part[~dup])
    if not parts:
        raise paths.MissingExternalData(hist / SNAPSHOTS[0].file)
    out = mark_real(pd.concat(parts, ignore_index=True), SOURCE_LINE)
    return (out, led) if return_ledger else out


def _verified_batches() -> pd.DataFrame:
    """Verified batch per code from the official-fragment rows of the candidates file."""
    f = paths.external_path(LLG_DIR, CANDIDATES_FILE)
    if not f.exists():
        return pd.DataFrame({"code": pd.Series(dtype="string"), "verified_batch": pd.Series(dtype="Int64"),
                             "full_name": pd.Series(dtype="string")})
    df = _read_csv_str(f)
    df = df[df["batch"].notna()].copy()
    df["code"] = resolve_codes(df["code"])
    df["verified_batch"] = parse_batch(df["batch"], max_batch=N_BATCHES).to_numpy()
    df["full_name"] = df["label"].str.extract(r"full name (.+)\)\s*$", expand=False).str.strip()
    out = (df.sort_values("verified_batch").groupby("code", sort=True)
           .agg(verified_batch=("verified_batch", "min"), full_name=("full_name", "first")).reset_index())
    return out


def _first_trade_dates() -> pd.Series:
    """First trading date in the 2024-2025 prices per code (from ``first_seen.csv``), indexed by code."""
    f = paths.external_path(LLG_DIR, HISTORY_DIR, FIRST_SEEN_FILE)
    if not f.exists():
        return pd.Series(dtype="datetime64[ns]")
    df = _read_csv_str(f)
    s = pd.to_datetime(df["first_trade_date_in_2024_2025_prices"], errors="coerce")
    s.index = resolve_codes(df["code"]).to_numpy()
    return s[~s.index.duplicated()]


#: Version of the on-disk cache of :func:`listed_little_giants` (bump when the table's columns change).
LISTED_CACHE_VERSION = 1


def _listed_inputs() -> list[tuple[str, int, int]]:
    """(relative path, size, mtime in ns) of every file :func:`listed_little_giants` reads."""
    ext = paths.external_dir()
    files = sorted(p for p in paths.external_path(LLG_DIR).rglob("*") if p.is_file())
    files += [paths.external_path(*parts) for parts in (STOCKLIST_2025, STOCKLIST_2024)]
    return [(p.relative_to(ext).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.exists()]


def _listed_cache_files(ext: str) -> tuple[Path, Path]:
    key = json.dumps({"version": LISTED_CACHE_VERSION, "external": ext, "inputs": _listed_inputs()})
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    folder = paths.cache_dir("listed")
    return folder / f"listed_little_giants-{digest}.parquet", folder / f"listed_little_giants-{digest}.ledger.parquet"


@lru_cache(maxsize=4)
def _listed_cached(ext: str, table_file: Path, ledger_file: Path) -> pd.DataFrame:
    """The listed-firm table, from the on-disk cache when its input signature matches, else built and written."""
    if table_file.exists() and ledger_file.exists():
        try:
            return pd.read_parquet(table_file)
        except (OSError, ValueError):
            pass  # an unreadable cache file is rebuilt below
    frame, led = _build_listed(ext)
    for data, target in ((led, ledger_file), (frame, table_file)):
        tmp = target.with_suffix(".tmp")
        data.to_parquet(tmp, index=False)
        tmp.replace(target)
    return frame


@lru_cache(maxsize=4)
def _listed_ledger_cached(ext: str, table_file: Path, ledger_file: Path) -> pd.DataFrame:
    """The row ledger of :func:`listed_little_giants`, read only when asked for (``return_ledger=True``)."""
    _listed_cached(ext, table_file, ledger_file)
    try:
        return pd.read_parquet(ledger_file)
    except (OSError, ValueError):
        return _build_listed(ext)[1]


def _build_listed(ext: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    snaps, led = read_snapshots(return_ledger=True)
    snaps = snaps.sort_values(["code", "snapshot_date"])
    flags = (pd.crosstab(snaps["code"], snaps["snapshot"]) > 0).reindex(columns=list(FLAG_COLUMNS),
                                                                         fill_value=False)
    latest = snaps.dropna(subset=["name"]).groupby("code").tail(1).set_index("code")
    src = (snaps.groupby("code")["source_code"].agg(lambda s: ";".join(sorted(set(s.astype(str))))))
    first = snaps.groupby("code")["snapshot_date"].min()
    em = snaps[snaps["vendor"] == "eastmoney"]
    em_first = em.groupby("code")["snapshot_date"].min()
    out = flags.reset_index()
    out.columns.name = None
    out["name"] = out["code"].map(latest["name"]).astype("string")
    out["source_codes"] = out["code"].map(src).astype("string")
    out = out.merge(_verified_batches(), on="code", how="left")
    out["verified_batch"] = out["verified_batch"].astype("Int64")
    out["full_name"] = out["full_name"].astype("string")
    out["any_em"] = out[["in_em_2023_12", "in_em_2024_01", "in_em_2025_07"]].any(axis=1)
    out["any_ths"] = out[["in_ths_2026_02", "in_ths_2026_06"]].any(axis=1)
    out["high_confidence"] = out["in_em_2025_07"] & out["in_ths_2026_06"]
    out["broad"] = out[list(FLAG_COLUMNS)].any(axis=1)
    out["first_seen"] = out["code"].map(first)
    out["em_first_seen"] = out["code"].map(em_first)
    # board: from the code, then BSE vs NEEQ from the BSE-listed code lists (920 codes, .BJ stock list)
    board = board_of(out["code"])
    bj = _bj_codes()
    is_old = board == "BSE/NEEQ"
    board = board.mask(is_old & out["code"].isin(bj), "BSE").mask(is_old & ~out["code"].isin(bj), "NEEQ")
    # tagged by an A-share/BSE board vendor (EM, THS) but the code is old-style and not in the BSE list
    out["board"] = board.astype("string")
    out["listed"] = out["board"].isin(["Main", "ChiNext", "STAR", "BSE"])
    # first-seen bracket from the dated Eastmoney snapshots
    ftd = _first_trade_dates()
    out["first_trade_date_2024_2025"] = out["code"].map(ftd)
    early = out[list(EM_EARLY)].any(axis=1)
    late = out["in_em_2025_07"]
    traded_early = out["first_trade_date_2024_2025"] <= EM_EARLY_DATE
    traded_late = out["first_trade_date_2024_2025"] > EM_EARLY_DATE
    bracket = pd.Series(pd.NA, index=out.index, dtype="string")
    bracket[early] = "pre_2024"
    bracket[~early & late & traded_early] = "2024_2025"
    bracket[~early & late & traded_late] = "listed_after_2024_01"
    bracket[~early & late & out["first_trade_date_2024_2025"].isna() & (out["board"] == "BSE")] = \
        "2024_2025_bse_unverified"
    out["em_bracket"] = bracket
    out["bracket_low"] = pd.NaT
    out["bracket_high"] = pd.NaT
    out.loc[bracket == "pre_2024", "bracket_high"] = EM_EARLY_DATE
    in_2425 = bracket.isin(["2024_2025", "2024_2025_bse_unverified"]).to_numpy(dtype=bool)
    out.loc[in_2425, "bracket_low"] = EM_EARLY_DATE
    out.loc[in_2425, "bracket_high"] = EM_LATE_DATE
    out["bracket_low"] = pd.to_datetime(out["bracket_low"])
    out["bracket_high"] = pd.to_datetime(out["bracket_high"])
    out["candidate_batches"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out.loc[bracket == "pre_2024", "candidate_batches"] = "1-5"
    out.loc[in_2425, "candidate_batches"] = "5-6"
    cols = ["code", "name", "full_name", "board", "listed", "source_codes", *FLAG_COLUMNS, "any_em", "any_ths",
            "high_confidence", "broad", "verified_batch", "first_seen", "em_first_seen", "em_bracket",
            "bracket_low", "bracket_high", "candidate_batches", "first_trade_date_2024_2025"]
    return out[cols].sort_values("code", ignore_index=True), led.frame()


@renamed_kwargs(with_ledger="return_ledger")
def listed_little_giants(*, return_ledger: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Return one row per stock code tagged as a Little Giant by any vendor snapshot.

    Columns
    -------
    code, name, full_name
        Resolved code (old BSE/NEEQ codes mapped to ``920xxx`` where known), the latest vendor short name and,
        for the 17 hand-verified firms, the official full name.
    board, listed
        Main / ChiNext / STAR / BSE / NEEQ; ``listed`` is true for the four exchange boards.
    in_wind_neeq_2023_04 ... in_ths_2026_06
        One flag per vendor snapshot (see the module docstring).
    any_em, any_ths, high_confidence, broad
        ``high_confidence``: in the latest Eastmoney (2025-07) *and* latest THS (2026-06) snapshot; ``broad``:
        in any snapshot.
    verified_batch
        Batch from official list fragments matched by hand (17 firms), else ``<NA>``.
    first_seen, em_first_seen, em_bracket, bracket_low, bracket_high, candidate_batches
        First snapshot date overall / in Eastmoney; the bracket of entry into the Eastmoney board (see
        :data:`BRACKETS`): ``"2024_2025"`` are firms already trading on 2024-01-02, absent from the board then and
        present by 2025-07 (batch 5 late inclusion or batch 6).
    first_trade_date_2024_2025
        First trading day in the 2024-2025 price file (2024-01-02 means listed on or before that day).

    Parameters
    ----------
    return_ledger : bool
        Also return the row ledger of the snapshot files.

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        As :func:`lgresearch.listed.listed_little_giants`.

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When the third-party ``listed-little-giants`` folder is absent.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     llg = listed_little_giants()
    >>> int(llg["high_confidence"].sum()), int((llg["em_bracket"] == "2024_2025").sum())
    (4, 1)
    >>> llg.set_index("code").loc["920475", "board"]      # old BSE code 834475 resolved
    'BSE'
    """
    _require(LLG_DIR, HISTORY_DIR)
    ext = str(paths.external_dir())
    files = _listed_cache_files(ext)
    out = mark_real(_listed_cached(ext, *files).copy(), SOURCE_LINE)
    return (out, Ledger.from_frame(_listed_ledger_cached(ext, *files))) if return_ledger else out


# ---------------------------------------------------------------------------------------------------------------
# A user's own dated mapping
# ---------------------------------------------------------------------------------------------------------------

_CODE_COLS = ("code", "stock_code", "ticker", "symbol", "股票代码", "证券代码", "代码")
_BATCH_COLS = ("batch", "批次", "designation_batch")
_DATE_COLS = ("designation_date", "date", "event_date", "announcement_date", "认定日期", "公告日期", "公示日期",
              "日期")
_NAME_COLS = ("name", "company", "firm", "证券简称", "股票简称", "企业名称", "名称")


def _pick(columns: Iterable[str], candidates: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    for cand in candidates:
        if cand.lower() in lower:
            return lower[cand.lower()]
    return None


def _mapping_dates(raw: pd.DataFrame, date_col: str | None, label: str, rows: np.ndarray, led: Ledger) -> pd.Series:
    """Designation dates of a dated mapping: an unreadable, impossible or ambiguous date is an error naming the
    row; a date after today is flagged."""
    if not date_col:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    parsed = parse_date(raw[date_col].astype(object).where(raw[date_col].notna(), None))
    bad = (parsed["status"] == "unparsed").to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(label, int(rows[i]), date_col, f"not a date ({parsed['flag'].iloc[i]}): "
                                                        f"{raw[date_col].iloc[i]!r}; write yyyy-mm-dd")
    future = (parsed["status"] == "future").to_numpy()
    led.add(label, rows[future], "flagged", reason="designation date after today",
            detail=raw.loc[future, date_col].astype(str).tolist())
    return parsed["date"].where(parsed["status"].isin(["ok", "future"]))


@renamed_kwargs(with_ledger="return_ledger")
def read_dated_mapping(
    path: str | Path, *, return_ledger: bool = False
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read a user's own file mapping listed firms to a Little Giant batch and/or designation date.

    Accepted columns (case-insensitive; Chinese headers too): a code (``code``, ``股票代码``, ``证券代码``...), and
    ``batch`` (``3``, ``第三批``) and/or a date (``designation_date``, ``date``, ``公告日期``...). An optional name
    column is kept. CSV, XLSX and XLS are read.

    Rows are accounted for in a ledger: a blank or malformed code, an unparseable batch *and* date, or a
    repeated code (the earliest designation is kept; the others are ``merged``) each give a recorded outcome.

    Parameters
    ----------
    path : str or Path
        The user's file.
    return_ledger : bool
        Also return the :class:`Ledger`.

    Returns
    -------
    DataFrame with columns ``code`` (old BSE codes resolved to ``920xxx`` where known), ``name``, ``batch``
    (Int64), ``designation_date`` (datetime64, NaT when only the batch is known), ``source_row``.

    Raises
    ------
    InputError
        The file has no code column, or neither a batch nor a date column; a date that is not a date.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "m.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("code,batch,date\\n300557,第五批,2023-07-14\\n1270,2,\\n")
    >>> read_dated_mapping(p)[["code", "batch"]].values.tolist()
    [['001270', 2], ['300557', 5]]
    """
    path = Path(path)
    label = path.name
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        raw = pd.read_excel(path, dtype=str, engine="calamine")
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    code_col = _pick(raw.columns, _CODE_COLS)
    if code_col is None:
        raise InputError(label, 1, None, f"no code column (expected one of {list(_CODE_COLS)}); got "
                                          f"{list(raw.columns)}")
    batch_col = _pick(raw.columns, _BATCH_COLS)
    date_col = _pick(raw.columns, _DATE_COLS)
    if batch_col is None and date_col is None:
        raise InputError(label, 1, None, "needs a batch column or a designation-date column (or both)")
    name_col = _pick(raw.columns, _NAME_COLS)
    led = Ledger()
    rows = np.arange(2, len(raw) + 2)
    if batch_col:  # a batch that is written but is not an official batch (1-9) is an error, never dropped quietly
        written = raw[batch_col].astype("string").str.strip().fillna("")
        bad_batch = (written != "") & parse_batch(raw[batch_col], max_batch=N_BATCHES).isna().to_numpy()
        if bad_batch.any():
            i = int(np.flatnonzero(bad_batch.to_numpy())[0])
            raise InputError(label, int(rows[i]), batch_col, f"not a batch: {raw[batch_col].iloc[i]!r} "
                                                             "(write 1-9 or 第N批)")
    code = normalize_code(raw[code_col])
    status = code_status(raw[code_col])
    batch = (parse_batch(raw[batch_col], max_batch=N_BATCHES) if batch_col
             else pd.Series(pd.NA, index=raw.index, dtype="Int64"))
    date = _mapping_dates(raw, date_col, label, rows, led)
    padded = (status == "zero-padded").to_numpy()
    led.add(label, rows[padded], "flagged", reason="stock code zero-padded (leading zeros lost in the file)",
            detail=raw.loc[padded, code_col].astype(str).tolist())
    df = pd.DataFrame({"code": code, "batch": batch, "designation_date": date,
                       "name": raw[name_col].astype("string") if name_col else pd.NA, "source_row": rows})
    bad_code = df["code"].isna()
    led.add(label, df.loc[bad_code, "source_row"], "dropped", reason="blank or malformed stock code",
            detail=raw.loc[bad_code, code_col].astype(str).tolist())
    nothing = ~bad_code & df["batch"].isna() & df["designation_date"].isna()
    led.add(label, df.loc[nothing, "source_row"], "dropped", reason="neither a batch nor a date",
            detail=df.loc[nothing, "code"].astype(str).tolist())
    df = df[~bad_code & ~nothing].copy()
    try:
        df["code"] = resolve_codes(df["code"])
    except FileNotFoundError:  # pragma: no cover - resolve_codes already guards
        pass
    df = df.sort_values(["code", "designation_date", "batch", "source_row"], na_position="last")
    dup = df["code"].duplicated()
    led.add(label, df.loc[dup, "source_row"], "merged", reason="code repeated: earliest designation kept")
    led.add(label, df.loc[~dup, "source_row"], "kept")
    out = df[~dup].sort_values("code", ignore_index=True)[["code", "name", "batch", "designation_date",
                                                          "source_row"]]
    out["designation_date"] = pd.to_datetime(out["designation_date"])
    out = mark_real(out, f"user-supplied dated mapping ({label})")
    led.reconcile({label: len(raw)}) if len(raw) else None
    return (out, led) if return_ledger else out


# ---------------------------------------------------------------------------------------------------------------
# Shenwan industries and the A-share universe
# ---------------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _shenwan_raw(ext: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    sw = pd.read_excel(_require(*SHENWAN_FILE), engine="calamine")
    names = pd.read_excel(_require(*SW2021_CODES_FILE), engine="calamine")
    return sw, names


def stock_industries(as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Return the Shenwan 2021 (SW2021) industry of each stock code, point in time.

    The Shenwan history (``StockClassifyUse_stock.xls``) gives each stock's industry code with its effective date;
    SW2021 codes start on 2021-07-30; a stock whose SW2014 code was kept in SW2021 has no new entry then, so the
    assignment *in force* at the date is used when its code is a valid SW2021 code. For ``as_of`` on or after
    2021-07-30 that is the assignment in force at ``as_of``; for an earlier ``as_of`` it is the one in force on
    2021-07-30 (``backfilled`` true), as SW2021 names did not exist before. A stock listed after the date gets its
    first later assignment (``backfilled`` true). Stocks whose assignment is not a SW2021 code (mostly delisted
    before 2021) are left out.

    Parameters
    ----------
    as_of : date-like, optional
        Point in time (default: the latest assignment).

    Returns
    -------
    DataFrame with ``code, sw_code, sw_l1_code, sw_l1_name, sw_l1_en, sw_l2_name, effective_date, backfilled``.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     ind = stock_industries()
    >>> ind.set_index("code").loc["300750", "sw_l1_en"]
    'Power Equipment'
    """
    key = None if as_of is None else pd.Timestamp(as_of)
    return _stock_industries_cached(str(paths.external_dir()), key).copy()


@lru_cache(maxsize=4)
def _shenwan_history(ext: str) -> tuple[pd.DataFrame, set, pd.DataFrame]:
    """Shenwan history as (code, effective_date, sw_code) sorted by code and date, the SW2021 codes, the names."""
    sw, names = _shenwan_raw(ext)
    df = pd.DataFrame({
        "code": normalize_code(sw["股票代码"]),
        "effective_date": pd.to_datetime(sw["计入日期"]).dt.normalize(),
        "sw_code": pd.to_numeric(sw["行业代码"], errors="coerce").astype("Int64"),
    }).dropna(subset=["code", "sw_code"])
    known = set(names["行业代码"].astype(int))
    return df.sort_values(["code", "effective_date"], kind="stable"), known, names


@lru_cache(maxsize=64)
def _stock_industries_cached(ext: str, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """:func:`stock_industries` for one third-party folder and date, computed once (callers get a copy)."""
    df, known, names = _shenwan_history(ext)
    t = SW2021_START if as_of is None else max(pd.Timestamp(as_of), SW2021_START)
    if as_of is None:
        t = max(df["effective_date"].max(), SW2021_START)
    # the assignment in force at t (codes unchanged in 2021 keep their older entry), else the first later one
    in_force = df[df["effective_date"] <= t].groupby("code").tail(1).assign(backfilled=False)
    later = df[(df["effective_date"] > t) & ~df["code"].isin(in_force["code"])].groupby("code").head(1)
    pick = pd.concat([in_force, later.assign(backfilled=True)])
    if as_of is not None and pd.Timestamp(as_of) < SW2021_START:
        pick = pick.assign(backfilled=True)
    pick = pick[pick["sw_code"].isin(known)]
    l1 = (pick["sw_code"] // 10000 * 10000).astype("Int64")
    l2 = (pick["sw_code"] // 100 * 100).astype("Int64")
    name_of = dict(zip(names["行业代码"].astype(int), names["一级行业名称"], strict=True))
    l2_of = dict(zip(names["行业代码"].astype(int), names["二级行业名称"], strict=True))
    out = pd.DataFrame({
        "code": pick["code"].astype("string").to_numpy(),
        "sw_code": pick["sw_code"].to_numpy(),
        "sw_l1_code": l1.to_numpy(),
        "sw_l1_name": pd.array([name_of.get(int(v)) for v in l1], dtype="string"),
        "sw_l1_en": pd.array([SW_L1_EN.get(int(v)) for v in l1], dtype="string"),
        "sw_l2_name": pd.array([l2_of.get(int(v)) for v in l2], dtype="string"),
        "effective_date": pick["effective_date"].to_numpy(),
        "backfilled": pick["backfilled"].to_numpy(dtype=bool),
    }).sort_values("code", ignore_index=True)
    return mark_real(out, "Shenwan (申万) SW2021 stock classification history (StockClassifyUse_stock.xls)")


def _bj_codes() -> set[str]:
    """Codes listed on the BSE according to the 2025-11 and 2024-06 stock lists (resolved) plus all 920 codes."""
    out: set[str] = set()
    if paths.has_external(*STOCKLIST_2025):
        df = _read_csv_str(paths.external_path(*STOCKLIST_2025))
        bj = df[df["ts_code"].str.endswith(".BJ", na=False)]
        out |= set(normalize_code(bj["symbol"]).dropna())
    if paths.has_external(*STOCKLIST_2024):
        df = _read_csv_str(paths.external_path(*STOCKLIST_2024))
        c = normalize_code(df["code"]).dropna()
        out |= set(c[c.str.match(r"^(4|8|92)")])
    out |= {resolve_codes([c]).iloc[0] for c in list(out)}
    return out


def _codes_accounted(raw: pd.Series, label: str, led: Ledger) -> tuple[pd.Series, np.ndarray]:
    """Normalise a stock list's code column and record every row: kept, or dropped as a malformed code."""
    code = normalize_code(raw)
    rows = np.arange(2, len(raw) + 2)
    bad = code.isna().to_numpy()
    led.add(label, rows[bad], "dropped", reason="malformed code")
    led.add(label, rows[~bad], "kept")
    return code, bad


@lru_cache(maxsize=4)
def _universe_cached(ext: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    led = Ledger()
    parts = []
    mapping = _bse_code_map_cached(ext)
    if paths.has_external(*STOCKLIST_2025):
        df = _read_csv_str(paths.external_path(*STOCKLIST_2025))
        code, bad = _codes_accounted(df["symbol"], "/".join(STOCKLIST_2025), led)
        parts.append(pd.DataFrame({
            "code": resolve_codes(code[~bad], mapping).to_numpy(), "source_code": code[~bad].to_numpy(),
            "name": df.loc[~bad, "name"].to_numpy(), "exchange": df.loc[~bad, "ts_code"].str[-2:].to_numpy(),
            "area": df.loc[~bad, "area"].to_numpy(), "tushare_industry": df.loc[~bad, "industry"].to_numpy(),
            "list": "2025_11"}))
    if paths.has_external(*STOCKLIST_2024):
        df = pd.read_csv(paths.external_path(*STOCKLIST_2024), dtype={"code": str}, encoding="utf-8-sig")
        code, bad = _codes_accounted(df["code"], "/".join(STOCKLIST_2024), led)
        parts.append(pd.DataFrame({
            "code": resolve_codes(code[~bad], mapping).to_numpy(), "source_code": code[~bad].to_numpy(),
            "name": df.loc[~bad, "name"].astype(str).str.replace(r"\s+", "", regex=True).to_numpy(),
            "total_mcap_2024_06": pd.to_numeric(df.loc[~bad, "总市值"], errors="coerce").to_numpy(),
            "float_mcap_2024_06": pd.to_numeric(df.loc[~bad, "流通市值"], errors="coerce").to_numpy(),
            "em_industry": df.loc[~bad, "行业"].to_numpy(), "list": "2024_06"}))
    if not parts:
        raise paths.MissingExternalData(paths.external_path(*STOCKLIST_2025))
    allrows = pd.concat(parts, ignore_index=True)
    a25 = allrows[allrows["list"] == "2025_11"].drop_duplicates("code").set_index("code")
    a24 = allrows[allrows["list"] == "2024_06"].drop_duplicates("code").set_index("code")
    codes = sorted(set(a25.index) | set(a24.index))
    out = pd.DataFrame({"code": pd.array(codes, dtype="string")})
    out["name"] = out["code"].map(a25["name"]).fillna(out["code"].map(a24["name"])).astype("string")
    for col in ("exchange", "area", "tushare_industry"):
        out[col] = out["code"].map(a25[col]).astype("string") if col in a25 else pd.NA
    for col in ("total_mcap_2024_06", "float_mcap_2024_06"):
        out[col] = out["code"].map(a24[col]).astype(float) if col in a24 else np.nan
    out["em_industry"] = out["code"].map(a24["em_industry"]).astype("string") if "em_industry" in a24 else pd.NA
    out["in_list_2025_11"] = out["code"].isin(a25.index)
    out["in_list_2024_06"] = out["code"].isin(a24.index)
    board = board_of(out["code"])
    bj = set(out.loc[out["exchange"] == "BJ", "code"]) | set(out.loc[board == "BSE/NEEQ", "code"])
    board = board.mask((board == "BSE/NEEQ") & out["code"].isin(bj), "BSE")
    out["board"] = board.astype("string")
    try:
        ind = stock_industries()
        out = out.merge(ind[["code", "sw_l1_code", "sw_l1_en", "sw_l1_name"]], on="code", how="left")
    except FileNotFoundError:
        out["sw_l1_code"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["sw_l1_en"] = pd.array([pd.NA] * len(out), dtype="string")
        out["sw_l1_name"] = pd.array([pd.NA] * len(out), dtype="string")
    out["log_float_mcap_2024_06"] = np.log(out["float_mcap_2024_06"].where(out["float_mcap_2024_06"] > 0))
    return out, led.frame()


@renamed_kwargs(with_ledger="return_ledger")
def stock_universe(*, return_ledger: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Return every A-share code in the vendor stock lists, with board, name, region, industry and size.

    Sources: the tushare stock list of about 2025-11 (``LYH-RAIN__StockTradebyZ/stocklist.csv``: name, province,
    tushare industry) and the Eastmoney snapshot of 2024-06-28 (``tszlam__trading/stock_list.csv``: total and float
    market cap in RMB). Shenwan level-1 industry from :func:`stock_industries`. Old BSE codes are resolved to
    ``920xxx`` where the pair is known. Firms delisted before 2024-06 are not in either list (see
    :func:`lgresearch.prices.survivorship_report`).

    Parameters
    ----------
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: ``(frame, ledger)``.

    Returns
    -------
    DataFrame with ``code, name, board, exchange, area, tushare_industry, em_industry, total_mcap_2024_06,
    float_mcap_2024_06, log_float_mcap_2024_06, sw_l1_code, sw_l1_en, sw_l1_name, in_list_2025_11,
    in_list_2024_06``.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     u = stock_universe()
    >>> bool(u["board"].value_counts()[["Main", "ChiNext", "STAR", "BSE"]].gt(0).all())
    True
    """
    frame, led = _universe_cached(str(paths.external_dir()))
    out = mark_real(frame.copy(), "tushare stock list ~2025-11 (LYH-RAIN), Eastmoney stock list 2024-06-28 "
                                  "(tszlam), Shenwan SW2021")
    return (out, Ledger.from_frame(led)) if return_ledger else out


def load_json_board(path: str | Path, key: str = "专精特新") -> pd.DataFrame:
    """Read a THS ``board_constituents`` JSON export (``{key: [[code, name], ...]}``) into ``code, name``.

    Parameters
    ----------
    path : str or Path
        A vendor JSON board file.
    key : str
        The board key to read.

    Returns
    -------
    DataFrame
        One row per stock of the board.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "b.json")
    >>> _ = open(p, "w", encoding="utf-8").write('{"专精特新": [["300557", "理工光科"]]}')
    >>> load_json_board(p).values.tolist()
    [['300557', '理工光科']]
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if key not in data:
        raise InputError(Path(path).name, None, key, f"key {key!r} not found")
    rows = data[key]
    return pd.DataFrame({"code": normalize_code([r[0] for r in rows]),
                         "name": pd.array([r[1] if len(r) > 1 else pd.NA for r in rows], dtype="string")})
