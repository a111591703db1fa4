"""Vendor tag snapshots folded into one row per stock code, with first-seen brackets; cached on disk.

Examples
--------
>>> sorted(BRACKETS)[:2]
['2024_2025', '2024_2025_bse_unverified']
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, overload

import numpy as np
import pandas as pd

from lgresearch import disk_cache, paths
from lgresearch._compat import renamed_kwargs
from lgresearch.clean.batches import parse_batch
from lgresearch.ledger import InputError, Ledger
from lgresearch.listed.codes import _bj_codes, _bse_code_map_cached, resolve_codes
from lgresearch.listed.files import (
    CANDIDATES_FILE, FIRST_SEEN_FILE, FLAG_COLUMNS, HISTORY_DIR, LLG_DIR, SNAPSHOTS, SOURCE_LINE, STOCKLIST_2024,
    STOCKLIST_2025, _read_csv_str, _require,
)
from lgresearch.official import N_BATCHES
from lgresearch.provenance import mark_real
from lgresearch.securities import board_of, normalize_code

__all__ = ["EM_EARLY", "EM_EARLY_DATE", "EM_LATE_DATE", "BRACKETS", "LISTED_CACHE_VERSION", "read_snapshots",
           "listed_little_giants"]

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


@overload
def read_snapshots(*, return_ledger: Literal[False] = ...) -> pd.DataFrame: ...
@overload
def read_snapshots(*, return_ledger: Literal[True]) -> tuple[pd.DataFrame, Ledger]: ...
@overload
def read_snapshots(*, return_ledger: bool) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]: ...
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
    files = sorted(p for p in paths.external_path(LLG_DIR).rglob("*") if p.is_file())
    files += [paths.external_path(*parts) for parts in (STOCKLIST_2025, STOCKLIST_2024)]
    return disk_cache.file_signature(files, relative_to=paths.external_dir())


def _listed_cache_files(ext: str) -> tuple[Path, Path]:
    key = {"version": LISTED_CACHE_VERSION, "external": ext, "inputs": _listed_inputs()}
    table_file, ledger_file = disk_cache.cache_files("listed", "listed_little_giants", key, parts=("", "ledger"))
    return table_file, ledger_file


@lru_cache(maxsize=4)
def _listed_cached(ext: str, table_file: Path, ledger_file: Path) -> pd.DataFrame:
    """The listed-firm table, from the on-disk cache when its input signature matches, else built and written."""
    if table_file.exists() and ledger_file.exists():
        try:
            return pd.read_parquet(table_file)
        except (OSError, ValueError):
            pass  # an unreadable cache file is rebuilt below
    frame, led = _build_listed(ext)
    # the table last: its presence marks a complete write
    disk_cache.write_frames([led, frame], [ledger_file, table_file], index=False)
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


@overload
def listed_little_giants(*, return_ledger: Literal[False] = ...) -> pd.DataFrame: ...
@overload
def listed_little_giants(*, return_ledger: Literal[True]) -> tuple[pd.DataFrame, Ledger]: ...
@overload
def listed_little_giants(*, return_ledger: bool) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]: ...
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
