"""The returns-panel cache: a year-partitioned parquet dataset in the cache folder, read with filters.

The panel is built once from all price files (:func:`lgresearch.prices.build.build_returns_panel`) and cached in
``paths.cache_dir("prices")``, one subfolder per third-party directory. The cache is valid while the signature
file (the input files' sizes and times, and the layout version :data:`CACHE_FORMAT`) matches.

Examples
--------
>>> PANEL_DATASET, CACHE_FORMAT
('returns_panel', 2)
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch.prices.build import PanelBuild, build_returns_panel
from lgresearch.prices.sets import PRICE_SETS, PRICES_SOURCE, _as_codes, available_price_sets, price_set_path
from lgresearch.provenance import mark_real

__all__ = ["CACHE_SUBDIR", "PANEL_FILE", "PANEL_DATASET", "PANEL_ROW_GROUP", "CACHE_FORMAT", "CALENDAR_FILE",
           "LEDGER_FILE", "ACCOUNTING_FILE", "AGREEMENT_FILE", "SIGNATURE_FILE", "write_cache", "load_returns_panel",
           "trading_calendar", "sessions", "panel_reports", "build_processed"]

CACHE_SUBDIR = "prices"
#: Single-file layout of the panel cache before release 1.0 (kept for the benchmark's baseline).
PANEL_FILE = "returns_panel.parquet"
#: The cached panel: a parquet dataset partitioned by year (``year=YYYY/part-0.parquet``), rows sorted by code.
PANEL_DATASET = "returns_panel"
#: Rows per parquet row group in the cached panel (small groups let filters skip most of a partition).
PANEL_ROW_GROUP = 32_768
#: Version of the cache layout; a cache written in another layout is rebuilt.
CACHE_FORMAT = 2
CALENDAR_FILE = "trading_calendar.parquet"
LEDGER_FILE = "returns_panel_ledger.parquet"
ACCOUNTING_FILE = "returns_panel_accounting.parquet"
AGREEMENT_FILE = "returns_panel_agreement.parquet"
SIGNATURE_FILE = "returns_panel_signature.json"


def _signature() -> dict:
    sig = {}
    for s in PRICE_SETS:
        p = price_set_path(s.name)
        sig[s.name] = [p.stat().st_size, int(p.stat().st_mtime)] if p.exists() else None
    return sig



def _cache_dir(create: bool = True) -> Path:
    """Cache folder of the returns panel built from the current third-party directory.

    One subfolder of ``paths.cache_dir("prices")`` per external directory (keyed by a hash of its path), so the
    sample files of :mod:`lgresearch.datasets` and the real vendor files never overwrite each other's cache.
    """
    key = hashlib.sha1(str(paths.external_dir()).encode("utf-8")).hexdigest()[:12]
    return paths.cache_dir(CACHE_SUBDIR, key, create=create)


def _sorted_by_code_date(panel: pd.DataFrame) -> bool:
    """Whether rows are already ordered by code (as text) and date (the build's order): then no sort is needed."""
    code = panel["code"]
    if not (isinstance(code.dtype, pd.CategoricalDtype) and code.cat.categories.is_monotonic_increasing):
        return False
    k = code.cat.codes.to_numpy()
    d = panel["date"].to_numpy()
    dk, dd = np.diff(k), np.diff(d)
    return bool(np.all((dk > 0) | ((dk == 0) & (dd > np.timedelta64(0)))))


def _write_panel_dataset(panel: pd.DataFrame, folder: Path) -> None:
    """Write the panel partitioned by year (``year=YYYY/part-0.parquet``), sorted by code and date.

    Sorted rows and small row groups let pyarrow skip row groups by their code and date statistics.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    plain = panel.copy()
    plain.attrs = {}
    table = pa.Table.from_pandas(plain, preserve_index=False)
    table = table.set_column(table.schema.get_field_index("code"), "code",
                             pc.cast(table.column("code"), pa.string()))  # plain text: fast "in" filters
    years = plain["date"].dt.year.to_numpy()
    ordered = _sorted_by_code_date(plain)
    for year in np.unique(years):
        part = table.filter(pa.array(years == year))
        if not ordered:
            part = part.sort_by([("code", "ascending"), ("date", "ascending")])
        (tmp / f"year={int(year)}").mkdir()
        pq.write_table(part, tmp / f"year={int(year)}" / "part-0.parquet", row_group_size=PANEL_ROW_GROUP)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def write_cache(build: PanelBuild) -> list[Path]:
    """Write a :class:`PanelBuild` to the cache folder (``<cache>/prices/<key>/``) and return the paths.

    The panel is a dataset partitioned by year (:data:`PANEL_DATASET`); the calendar, ledger, accounting and
    agreement tables are single parquet files; :data:`SIGNATURE_FILE` (written last) records the input files'
    sizes and times, which :func:`load_returns_panel` compares to decide whether the cache is still valid.

    Parameters
    ----------
    build : PanelBuild
        The output of :func:`build_returns_panel`.

    Returns
    -------
    list of pathlib.Path
        The folder of the panel dataset and the files written.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     written = write_cache(build_returns_panel())
    >>> [p.name for p in written][:2]
    ['returns_panel', 'trading_calendar.parquet']
    """
    d = _cache_dir()
    (d / SIGNATURE_FILE).unlink(missing_ok=True)
    _write_panel_dataset(build.panel, d / PANEL_DATASET)
    out = [d / PANEL_DATASET]
    cal = build.calendar.copy()
    cal.attrs = {}
    cal.to_parquet(d / CALENDAR_FILE, index=False)
    out.append(d / CALENDAR_FILE)
    build.ledger.frame().to_parquet(d / LEDGER_FILE, index=False)
    out.append(d / LEDGER_FILE)
    build.accounting.to_parquet(d / ACCOUNTING_FILE, index=False)
    out.append(d / ACCOUNTING_FILE)
    build.agreement.to_parquet(d / AGREEMENT_FILE, index=False)
    out.append(d / AGREEMENT_FILE)
    (d / SIGNATURE_FILE).write_text(json.dumps({"format": CACHE_FORMAT, "inputs": _signature(),
                                                "calendar_check": build.calendar.attrs.get("check", {})},
                                               indent=1))
    out.append(d / SIGNATURE_FILE)
    return out


def _cache_valid() -> bool:
    d = _cache_dir(create=False)
    sig = d / SIGNATURE_FILE
    if not (sig.exists() and (d / PANEL_DATASET).is_dir() and (d / CALENDAR_FILE).exists()):
        return False
    try:
        meta = json.loads(sig.read_text())
    except (OSError, ValueError):
        return False
    return meta.get("format") == CACHE_FORMAT and meta.get("inputs") == _signature()



def _filter_panel(panel: pd.DataFrame, start, end, codes: list[str] | None) -> pd.DataFrame:
    if start is not None:
        panel = panel[panel["date"] >= pd.Timestamp(start)]
    if end is not None:
        panel = panel[panel["date"] <= pd.Timestamp(end)]
    if codes is not None:
        panel = panel[panel["code"].astype(str).isin(set(codes))]
    return panel.reset_index(drop=True)


def _read_panel_dataset(folder: Path, start, end, codes: list[str] | None) -> pd.DataFrame:
    """Read only the partitions, row groups and rows that match the filters."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    expr = None
    for cond in (
        None if start is None else (ds.field("year") >= pd.Timestamp(start).year)
        & (ds.field("date") >= pa.scalar(pd.Timestamp(start).as_unit("ns"), type=pa.timestamp("ns"))),
        None if end is None else (ds.field("year") <= pd.Timestamp(end).year)
        & (ds.field("date") <= pa.scalar(pd.Timestamp(end).as_unit("ns"), type=pa.timestamp("ns"))),
        None if codes is None else ds.field("code").isin(pa.array(codes, type=pa.string())),
    ):
        if cond is not None:
            expr = cond if expr is None else expr & cond
    columns = [c for c in dataset.schema.names if c != "year"]
    panel = dataset.to_table(columns=columns, filter=expr).to_pandas()
    # categories are sorted, so sorting on the categorical orders codes as strings (and much faster)
    panel["code"] = panel["code"].astype("category")
    panel = panel.sort_values(["code", "date"], ignore_index=True)
    panel["date"] = panel["date"].astype("datetime64[ns]")
    for col in ("source", "board"):
        if not isinstance(panel[col].dtype, pd.CategoricalDtype):
            panel[col] = panel[col].astype("category")
    return panel


def load_returns_panel(*, start=None, end=None, codes: Iterable | None = None, rebuild: bool = False,
                       cache: bool = True) -> pd.DataFrame:
    """Return the returns panel (``code, date, ret, gap, limit, overlap, source, board``), cached.

    The panel is built once from all price files (:func:`build_returns_panel`) and cached in the cache folder
    (``paths.cache_dir("prices")``, a dataset partitioned by year); the cache is rebuilt when an input file
    changes (size or time). From a warm cache only the partitions and row groups matching ``start``, ``end`` and
    ``codes`` are read (pyarrow dataset filters): 700 codes over 16 months take about a second.

    Parameters
    ----------
    start, end : date-like, optional
        First and last date kept (inclusive).
    codes : iterable, optional
        Stock codes to keep, in any usual form: ``"600000"``, ``"600000.SH"``, ``"sh600000"``, ``600000``.
    rebuild : bool
        Rebuild the panel from the price files even when the cache is valid.
    cache : bool
        Read and write the cache (``False`` builds in memory and writes nothing).

    Returns
    -------
    pandas.DataFrame
        One row per (code, session) with a price, sorted by code and date; ``code`` is categorical.

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When no price file is present.
    lgresearch.ledger.InputError
        When a value of ``codes`` is not a stock code.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     p = load_returns_panel(codes=["sz300557", 600519], start="2024-01-03")
    >>> p["code"].astype(str).unique().tolist()
    ['300557', '600519']
    >>> p["date"].min()
    Timestamp('2024-01-03 00:00:00')
    """
    wanted = None if codes is None else _as_codes(codes)
    if rebuild or not cache or not _cache_valid():
        build = build_returns_panel()
        if cache:
            write_cache(build)
        return mark_real(_filter_panel(build.panel, start, end, wanted), PRICES_SOURCE)
    panel = _read_panel_dataset(_cache_dir() / PANEL_DATASET, start, end, wanted)
    return mark_real(panel, PRICES_SOURCE)


def trading_calendar(*, rebuild: bool = False) -> pd.DataFrame:
    """Return the data calendar (``date, n_stocks, in_xshg, session``); see :func:`calendar_from_counts`.

    Parameters
    ----------
    rebuild : bool
        Rebuild the cached calendar from the price files.

    Returns
    -------
    DataFrame
        ``date, n_stocks, in_xshg, session``, one row per date with prices.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     cal = trading_calendar()
    >>> cal.columns.tolist()[:4], int(cal["session"].sum()) > 100
    (['date', 'n_stocks', 'in_xshg', 'session'], True)
    """
    if rebuild or not _cache_valid():
        load_returns_panel(rebuild=True, start="2100-01-01")
    df = pd.read_parquet(_cache_dir() / CALENDAR_FILE)
    df["date"] = df["date"].astype("datetime64[ns]")
    check = json.loads((_cache_dir() / SIGNATURE_FILE).read_text()).get("calendar_check", {})
    df.attrs["check"] = check
    return df


def sessions(*, rebuild: bool = False) -> pd.DatetimeIndex:
    """Return the trading sessions of the data calendar as a DatetimeIndex.

    Parameters
    ----------
    rebuild : bool
        Rebuild the cached calendar first.

    Returns
    -------
    DatetimeIndex
        The sessions of :func:`trading_calendar`.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     first = sessions()[0]
    >>> first                                            # the sample R11happy file starts on 2023-11-01
    Timestamp('2023-11-01 00:00:00')
    """
    cal = trading_calendar(rebuild=rebuild)
    return pd.DatetimeIndex(cal.loc[cal["session"], "date"])


def panel_reports() -> dict[str, pd.DataFrame]:
    """Return the cached build reports: ``ledger``, ``accounting``, ``agreement`` (building when needed).

    Returns
    -------
    dict of str to DataFrame
        ``ledger``, ``accounting`` and ``agreement`` tables of the cached panel build.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     reports = panel_reports()
    >>> sorted(reports)
    ['accounting', 'agreement', 'ledger']
    """
    if not _cache_valid():
        load_returns_panel(rebuild=True, start="2100-01-01")
    d = _cache_dir()
    return {"ledger": pd.read_parquet(d / LEDGER_FILE), "accounting": pd.read_parquet(d / ACCOUNTING_FILE),
            "agreement": pd.read_parquet(d / AGREEMENT_FILE)}



def build_processed() -> list[Path]:
    """Rebuild the cached returns panel under ``data/processed/prices/`` (nothing when no price file exists).

    Returns
    -------
    list of Path
        The files written (empty when no price file exists).

    Examples
    --------
    >>> isinstance(build_processed, object)
    True
    """
    if not available_price_sets():
        return []
    return write_cache(build_returns_panel())
