"""A-share prices: readers, a returns panel spliced on returns, the trading calendar, limits, size and coverage.

The third-party price sets (see ``PROVENANCE-deals-prices.md`` beside the data) differ in adjustment base (raw,
前复权 with bases 2024-06 / 2025-08 / 2025-09 / 2025-11) and in coverage (survivorship and a size filter). Price
*levels* are therefore never compared across sets. Each set's returns are computed within the set (a close over
the set's own previous close; the raw set uses the exchange's ``p_change``, which is ex-dividend adjusted) and the
panel picks, for every (code, session), one set's return: single-session returns first, then the set priority of
:data:`PRICE_SETS`. Suspensions are not filled: there is no row for a suspended session, and the first return
after it spans several sessions, which ``gap`` records (``gap == 1`` is an ordinary daily return). Limit-up/down
days are flagged in ``limit`` (+1 / -1), never dropped.

The trading calendar is taken from the data (sessions with prices) and checked against the Shanghai exchange
calendar of ``exchange_calendars`` (XSHG, used as the proxy for all mainland boards: the package has no XSHE or
BSE calendar). Rows dated on a non-session (e.g. 109 rows on the 2017-05-30 Dragon Boat holiday) are dropped
and counted.

Row accounting: every dropped price row is recorded in a :class:`lgresearch.ledger.Ledger` with its file row;
kept and merged rows (13.6 million) are counted per file and reconciled against the file sizes and the vendor
manifests (a row-level ledger of that size would cost gigabytes).

Examples
--------
>>> board_of(["600519", "300750", "688981", "920475", "002594", "830799"]).tolist()
['Main', 'ChiNext', 'STAR', 'BSE', 'Main', 'BSE/NEEQ']
>>> limit_rate(["Main", "ChiNext", "ChiNext", "STAR"], pd.to_datetime(["2024-01-02", "2020-08-21",
...            "2020-08-24", "2024-01-02"])).tolist()
[0.1, 0.1, 0.2, 0.2]
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import warnings
from functools import lru_cache
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths, securities
from lgresearch._compat import renamed_kwargs
from lgresearch.ledger import InputError, Ledger, LedgerError
from lgresearch.provenance import mark_real
from lgresearch.securities import BOARDS, CHINEXT_REFORM, LIMITS, board_of, limit_rate  # noqa: F401 (re-exported)

# ---------------------------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------------------------

#: Tolerance for limit detection: a limit day closes at its high (low) and within this of the limit rate.
LIMIT_TOL = 0.006
#: Margin on the board's price limit before a single-session return is flagged: one percentage point plus one
#: price tick (CNY 0.01) of rounding on the previous close.
LIMIT_MARGIN = 0.01
#: Sessions after a code's first row in a set during which returns are not checked against the limit (IPO days:
#: no limit on the first five sessions on ChiNext/STAR, 44% on the Main board's first day).
IPO_WINDOW = 5
#: Largest plausible single-session move of an index: no A-share index can move more than its constituents'
#: largest daily limit (20% on ChiNext and STAR), plus one percentage point.
INDEX_MAX_MOVE = 0.21
#: A date is a session of the data calendar when at least this many stocks trade on it.
MIN_STOCKS_PER_SESSION = 100
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
PRICES_SOURCE = ("A-share daily prices: start2020/Multi-GCGRU (raw), R11happy, SebastienZh, tszlam, LYH-RAIN "
                 "StockTradebyZ (qfq); spliced on returns")


@dataclass(frozen=True)
class PriceSet:
    """One third-party price file and how to read it."""

    name: str
    folder: str
    file: str
    adjust: str
    date_col: str = "date"
    close_col: str = "close"
    high_col: str = "high"
    low_col: str = "low"
    pct_col: str | None = None  # vendor percent change used as the return (raw set)
    note: str = ""
    extra: tuple[str, ...] = field(default=())


#: The price sets in splice priority order (first wins for a session when several have a single-session return).
PRICE_SETS: tuple[PriceSet, ...] = (
    PriceSet("start2020", "start2020__Multi-GCGRU",
             "data__raw_data__all_stock_prices__daily_raw_20170530-20191128.parquet", "raw", pct_col="p_change",
             note="2017-05-30..2019-11-28, all boards, firms listed in 2019-12; return = exchange p_change"),
    PriceSet("R11happy", "R11happy__StockTradebyZ", "data__daily_qfq_20190102-20250822.parquet", "qfq 2025-08",
             note="2019-01..2025-08; firms listed in 2025-08 with market cap >= RMB 5bn (survivorship + size)"),
    PriceSet("LYH-RAIN", "LYH-RAIN__StockTradebyZ", "data__daily_qfq_20240102-20251121.parquet", "qfq 2025-11",
             note="2024-01..2025-11, full SH/SZ market (the file holds no BSE codes)"),
    PriceSet("SebastienZh", "SebastienZh__StockTradebyZ",
             "data__daily_qfq_20200102-20250930__codes_not_in_R11happy.parquet", "qfq 2025-09",
             note="2020-01..2025-09, main-board codes absent from R11happy"),
    PriceSet("tszlam", "tszlam__trading", "data__daily_qfq_20210104-20240626.parquet", "qfq 2024-06",
             date_col="日期", close_col="收盘", high_col="最高", low_col="最低",
             note="2021-01..2024-06, SH/SZ main + STAR, no ChiNext; 成交额 and 换手率 give float market cap",
             extra=("成交额", "换手率")),
)
SET_BY_NAME = {s.name: s for s in PRICE_SETS}

#: Index series: name -> (path parts, what it is). ``*_tr`` are total-return indices.
INDICES: dict[str, tuple[tuple[str, ...], str]] = {
    "csi300": (("LiuZesensengsheng__gupiao", "data", "000300.SH.csv"), "CSI 300 (price)"),
    "chinext": (("LiuZesensengsheng__gupiao", "data", "399006.SZ.csv"), "ChiNext Index (price)"),
    "szse_component": (("LiuZesensengsheng__gupiao", "data", "399001.SZ.csv"), "SZSE Component (price)"),
    "sse_composite": (("LiuZesensengsheng__gupiao", "data", "000001.SH.csv"), "SSE Composite (price)"),
    "csi500": (("hriszc__zechenhehuo", "data", "sh000905.csv"), "CSI 500 (price)"),
    "csi1000": (("hriszc__zechenhehuo", "data", "sh000852.csv"), "CSI 1000 (price)"),
    "csi300_tr": (("hriszc__zechenhehuo", "data", "h00300.csv"), "CSI 300 total return"),
    "csi500_tr": (("hriszc__zechenhehuo", "data", "h00905.csv"), "CSI 500 total return"),
    "csi1000_tr": (("hriszc__zechenhehuo", "data", "h00852.csv"), "CSI 1000 total return"),
}
INDEX_SOURCE = "index closes from LiuZesensengsheng/gupiao and hriszc/zechenhehuo (baostock, csindex)"
#: Float market-cap snapshot (Eastmoney stock list of 2024-06-28) used to roll size to other dates.
SIZE_SNAPSHOT = (("tszlam__trading", "stock_list.csv"), pd.Timestamp("2024-06-28"))


# ---------------------------------------------------------------------------------------------------------------
# Boards and limits
# ---------------------------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------------------------


def price_set_path(name: str) -> Path:
    """Return the parquet path of a price set (it may not exist).

    Parameters
    ----------
    name : str
        A name from :data:`PRICE_SETS`.

    Returns
    -------
    Path
        Where the set's parquet file is expected under the third-party directory.

    Examples
    --------
    >>> price_set_path("LYH-RAIN").name
    'data__daily_qfq_20240102-20251121.parquet'
    """
    s = SET_BY_NAME[name]
    return paths.external_path(s.folder, s.file)


def available_price_sets() -> list[str]:
    """Return the names of the price sets present in the third-party directory.

    Returns
    -------
    list of str
        Names from :data:`PRICE_SETS` whose file exists under the third-party directory.

    Examples
    --------
    >>> isinstance(available_price_sets(), list)
    True
    """
    return [s.name for s in PRICE_SETS if price_set_path(s.name).exists()]


def _require_columns(path: Path, cols: Sequence[str]) -> None:
    """Raise :class:`InputError` naming the file and the first missing column (instead of Arrow's error)."""
    import pyarrow.parquet as pq

    try:
        have = set(pq.read_schema(path).names)
    except Exception as exc:  # noqa: BLE001 - any Arrow failure to read the footer is a bad file
        raise InputError(path.name, None, None, f"not a readable parquet file ({type(exc).__name__}: {exc}); "
                                                "re-export the price file") from exc
    for col in cols:
        if col not in have:
            raise InputError(path.name, None, col, f"column missing from the price file (it has {sorted(have)}); "
                                                   "rename the column or fix the PriceSet definition")


def read_price_set(name: str, *, codes: Iterable[str] | None = None, columns: Sequence[str] | None = None
                   ) -> pd.DataFrame:
    """Read one price set with harmonised column names (``code, date, close, high, low`` + extras).

    Price levels are the vendor's (raw or 前复权 on the set's own base): do not compare them across sets.

    Parameters
    ----------
    name : str
        A name from :data:`PRICE_SETS`.
    codes : iterable of str, optional
        Keep only these codes, in any usual form (``600000``, ``600000.SH``, ``sh600000``, ``600000``).
    columns : sequence of str, optional
        Vendor columns to add (e.g. ``["成交额", "换手率"]`` for tszlam).

    Returns
    -------
    DataFrame
        ``code, date, close, high, low`` plus the requested extra columns, one row per code and date.

    Examples
    --------
    >>> from lgresearch import datasets                       # sample files written by lgresearch
    >>> with datasets.as_external():
    ...     df = read_price_set("LYH-RAIN", codes=["300557"])
    >>> list(df.columns)[:3], df["code"].unique().tolist()
    (['code', 'date', 'close'], ['300557'])
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    s = SET_BY_NAME[name]
    path = paths.external_path(s.folder, s.file, must_exist=True)
    cols = ["code", s.date_col, s.close_col, s.high_col, s.low_col]
    cols += [c for c in ([s.pct_col] if s.pct_col else []) + list(columns or []) if c not in cols]
    _require_columns(path, cols)
    table = pq.read_table(path, columns=cols)
    if codes is not None:
        want = pa_array_of(_as_codes(codes))
        table = table.filter(pc.is_in(table.column("code").cast("string"), value_set=want))
    df = table.to_pandas()
    df = df.rename(columns={s.date_col: "date", s.close_col: "close", s.high_col: "high", s.low_col: "low"})
    df["code"] = df["code"].astype("string")
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    return mark_real(df, f"{s.folder}/{s.file} ({s.adjust})")


def pa_array_of(values: list[str]):
    """Return a pyarrow string array (helper for filters).

    Parameters
    ----------
    values : list of str
        Strings (e.g. stock codes).

    Returns
    -------
    pyarrow.Array
        A pyarrow string array of ``values``, for dataset filters.

    Examples
    --------
    >>> len(pa_array_of(["a", "b"]))
    2
    """
    import pyarrow as pa

    return pa.array(values, type=pa.string())


@renamed_kwargs(with_ledger="return_ledger")
def read_index(name: str, *, return_ledger: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read an index series: ``date, close, ret`` (simple daily return; NaN on the first row).

    Nothing implausible is accepted: a date that is not a trading session (a weekend, or a day XSHG was closed
    inside the calendar's horizon) is dropped, and a single-session move beyond :data:`INDEX_MAX_MOVE` is
    flagged and set missing: when the close jumps and comes back (104 → 10300 → 105) the close itself is set
    missing (both returns become NaN), otherwise the return alone. Every such row is in the ledger.

    Parameters
    ----------
    name : str
        A key of :data:`INDICES` (e.g. ``"csi1000_tr"``, ``"csi300"``, ``"chinext"``).
    return_ledger : bool
        Also return the :class:`~lgresearch.ledger.Ledger` (one outcome per file row, reconciled).

    Returns
    -------
    DataFrame, or (DataFrame, Ledger)

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When the index file is absent.
    InputError
        A missing ``date``/``close`` column, a date that is not a date, a duplicated date or a non-positive close
        (naming the file, row and column).

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     idx = read_index("csi300")
    >>> idx.columns.tolist(), bool(idx["ret"].iloc[1:].notna().all())
    (['date', 'close', 'ret'], True)
    """
    if name not in INDICES:
        raise KeyError(f"unknown index {name!r}; choose from {sorted(INDICES)}")
    parts, what = INDICES[name]
    path = paths.external_path(*parts, must_exist=True)
    df, led = index_from_file(path)
    df = mark_real(df, f"{what}: {'/'.join(parts)} ({INDEX_SOURCE})")
    return (df, led) if return_ledger else df


def _index_raw(path: Path) -> pd.DataFrame:
    """Dates and closes of an index csv, with file rows; errors name the file, row and column."""
    head = pd.read_csv(path, nrows=0).columns
    for col in ("date", "close"):
        if col not in head:
            raise InputError(path.name, 1, col, f"column missing (the file has {list(head)}); an index file needs "
                                                "'date' and 'close'")
    raw = pd.read_csv(path, usecols=["date", "close"], dtype={"date": str})
    date = pd.to_datetime(raw["date"], errors="coerce", format="mixed")
    if date.isna().any():
        i = int(np.flatnonzero(date.isna().to_numpy())[0])
        raise InputError(path.name, i + 2, "date", f"not a date: {raw['date'].iloc[i]!r}")
    close = pd.to_numeric(raw["close"], errors="coerce")
    if (close.isna() | (close <= 0)).any():
        i = int(np.flatnonzero((close.isna() | (close <= 0)).to_numpy())[0])
        raise InputError(path.name, i + 2, "close", f"non-positive or missing close {raw['close'].iloc[i]!r}")
    df = pd.DataFrame({"date": date.astype("datetime64[ns]"), "close": close.astype(float),
                       "row": np.arange(2, len(raw) + 2)})
    if df["date"].duplicated().any():
        i = int(np.flatnonzero(df["date"].duplicated().to_numpy())[0])
        raise InputError(path.name, i + 2, "date", f"duplicated date {df['date'].iloc[i].date()}")
    return df.sort_values("date", ignore_index=True)


def index_from_file(path: str | Path) -> tuple[pd.DataFrame, Ledger]:
    """Read an index csv (columns ``date``, ``close``) with the checks of :func:`read_index`.

    Parameters
    ----------
    path : str or Path
        A csv with at least ``date`` and ``close`` columns.

    Returns
    -------
    (DataFrame with ``date, close, ret``, Ledger)

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "idx.csv")
    >>> _ = open(p, "w").write("date,close\\n2024-01-05,104\\n2024-01-06,104.5\\n2024-01-08,10300\\n2024-01-09,105\\n")
    >>> df, led = index_from_file(p)
    >>> df["date"].dt.strftime("%m-%d").tolist(), df["ret"].isna().tolist()
    (['01-05', '01-08', '01-09'], [True, True, True])
    >>> led.frame()["reason"].tolist()[1]
    'close jumps and reverts beyond the daily limit (close set missing)'
    """
    path = Path(path)
    df = _index_raw(path)
    led = Ledger()
    xs = xshg_sessions(df["date"].min(), df["date"].max()) if len(df) else pd.DatetimeIndex([])
    weekend = df["date"].dt.day_of_week.to_numpy() >= 5
    in_horizon = (df["date"] >= xs.min()).to_numpy() & (df["date"] <= xs.max()).to_numpy() if len(xs) else \
        np.zeros(len(df), dtype=bool)
    off = weekend | (in_horizon & ~df["date"].isin(xs).to_numpy())
    led.add(path.name, df.loc[off, "row"], "dropped", reason="date is not a trading session (weekend or XSHG holiday)",
            detail=df.loc[off, "date"].dt.strftime("%Y-%m-%d").tolist())
    df = df.loc[~off].reset_index(drop=True)
    # sessions spanned by each return: a return over missing sessions is not a daily move
    pos = np.searchsorted(xs, df["date"]) if len(xs) else np.arange(len(df))
    gap = np.diff(pos, prepend=-1)
    ret = df["close"].pct_change().to_numpy()
    beyond = (gap == 1) & (np.abs(ret) > INDEX_MAX_MOVE)
    nxt = np.zeros(len(df), dtype=bool)
    nxt[:-1] = beyond[1:] & (np.sign(ret[1:]) != np.sign(ret[:-1]))
    spike = beyond & nxt
    close = df["close"].to_numpy().copy()
    close[spike] = np.nan
    led.add(path.name, df.loc[spike, "row"], "flagged",
            reason="close jumps and reverts beyond the daily limit (close set missing)",
            detail=[f"{d:%Y-%m-%d} ret {r:+.0%}" for d, r in zip(df.loc[spike, "date"], ret[spike], strict=True)])
    jump = beyond & ~spike & ~np.roll(spike, 1)
    led.add(path.name, df.loc[jump, "row"], "flagged",
            reason="single-session move beyond the daily limit (set missing)",
            detail=[f"{d:%Y-%m-%d} ret {r:+.0%}" for d, r in zip(df.loc[jump, "date"], ret[jump], strict=True)])
    out = pd.DataFrame({"date": df["date"], "close": close})
    out["ret"] = out["close"] / out["close"].shift(1) - 1.0
    out.loc[jump, "ret"] = np.nan
    led.add(path.name, df["row"], "kept")
    led.reconcile({path.name: len(off)})
    return out, led


def market_returns(names: Sequence[str] = ("csi1000_tr", "csi300_tr", "chinext"), *,
                   calendar: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Return a wide frame of index returns (index = date, one column per index name).

    With ``calendar`` (e.g. :func:`sessions`), closes are aligned on those sessions (inside each index's own date
    range) and returns computed session to session: a session missing from an index file leaves that session's
    and the next session's return NaN (counted in ``attrs["missing_sessions"]``); index dates that are not
    sessions are counted in ``attrs["non_sessions"]`` and ignored.

    Parameters
    ----------
    names : sequence of str
        Keys of :data:`INDICES`.
    calendar : DatetimeIndex, optional
        Trading sessions to align the closes on (e.g. :func:`sessions`).

    Returns
    -------
    DataFrame
        Index = date, one column of simple returns per index; ``attrs`` counts missing sessions and non-session
        dates.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     m = market_returns(["csi300", "chinext"])
    >>> m.columns.tolist(), m.index.name
    (['csi300', 'chinext'], 'date')
    """
    cols, missing, non_sessions = {}, {}, {}
    cal = None if calendar is None else pd.DatetimeIndex(calendar).astype("datetime64[ns]")
    for n in names:
        idx = read_index(n).set_index("date")
        if cal is None:
            cols[n] = idx["ret"]
            continue
        inside = cal[(cal >= idx.index.min()) & (cal <= idx.index.max())]
        in_range = idx.index[(idx.index >= cal.min()) & (idx.index <= cal.max())]
        non_sessions[n] = int((~in_range.isin(cal)).sum())
        close = idx["close"].reindex(inside)
        missing[n] = int(close.isna().sum())
        cols[n] = (close / close.shift(1) - 1.0).reindex(cal)
    out = pd.DataFrame(cols).sort_index()
    out.index.name = "date"
    if cal is not None:
        out.attrs["missing_sessions"] = missing
        out.attrs["non_sessions"] = non_sessions
    return mark_real(out, INDEX_SOURCE)


# ---------------------------------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------------------------------


def xshg_sessions(start, end) -> pd.DatetimeIndex:
    """Return XSHG sessions between two dates from ``exchange_calendars`` (clipped to its horizon).

    Parameters
    ----------
    start, end : date-like
        First and last date.

    Returns
    -------
    DatetimeIndex
        XSHG sessions between the two dates (within ``exchange_calendars``' horizon).

    Examples
    --------
    >>> len(xshg_sessions("2024-01-01", "2024-12-31"))
    242
    """
    import exchange_calendars as xcals

    with warnings.catch_warnings():
        # exchange_calendars calls Series.values on tz-aware data (a pandas 3.1 deprecation, not ours)
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        cal = xcals.get_calendar("XSHG")
        first, last = cal.first_session.tz_localize(None), cal.last_session.tz_localize(None)
        lo, hi = max(pd.Timestamp(start), first), min(pd.Timestamp(end), last)
        if lo > hi:
            return pd.DatetimeIndex([], dtype="datetime64[ns]")
        s = cal.sessions_in_range(lo, hi)
    return pd.DatetimeIndex(s.tz_localize(None) if s.tz is not None else s).astype("datetime64[ns]")


def calendar_from_counts(counts: pd.Series, *, min_stocks: int = MIN_STOCKS_PER_SESSION) -> pd.DataFrame:
    """Build the trading calendar from per-date stock counts and check it against XSHG.

    Parameters
    ----------
    counts : Series
        Number of stocks with a price per date (index = dates).
    min_stocks : int
        A date with fewer stocks (or fewer than half the median daily count, whichever is smaller) is not a
        session of the data calendar.

    Returns
    -------
    DataFrame with ``date, n_stocks, in_xshg, session`` (``session``: kept in the calendar) for every date seen,
    plus rows (``n_stocks == 0``) for XSHG sessions inside the data range that have no prices at all.
    ``attrs["check"]`` summarises the mismatches.

    Examples
    --------
    >>> c = pd.Series([3000, 109, 3100], index=pd.to_datetime(["2017-05-26", "2017-05-30", "2017-05-31"]))
    >>> cal = calendar_from_counts(c)
    >>> cal.loc[cal["session"], "date"].dt.strftime("%m-%d").tolist(), cal.attrs["check"]["not_xshg"]
    (['05-26', '05-31'], ['2017-05-30'])
    """
    counts = counts.sort_index()
    idx = pd.DatetimeIndex(counts.index).astype("datetime64[ns]")
    xs = xshg_sessions(idx.min(), idx.max()) if len(idx) else pd.DatetimeIndex([])
    horizon_ok = len(xs) > 0
    in_x = idx.isin(xs) if horizon_ok else np.ones(len(idx), dtype=bool)
    df = pd.DataFrame({"date": idx, "n_stocks": counts.to_numpy(dtype=int), "in_xshg": in_x})
    # small fixtures: never ask for more than half the median daily count
    threshold = min(min_stocks, max(1.0, 0.5 * float(np.median(df["n_stocks"])))) if len(df) else min_stocks
    df["session"] = df["in_xshg"] & (df["n_stocks"] >= threshold)
    missing = xs.difference(idx) if horizon_ok else pd.DatetimeIndex([])
    if len(missing):
        df = pd.concat([df, pd.DataFrame({"date": missing, "n_stocks": 0, "in_xshg": True, "session": False})],
                       ignore_index=True).sort_values("date", ignore_index=True)
    df.attrs["check"] = {
        "n_dates": int(len(idx)),
        "n_sessions": int(df["session"].sum()),
        "not_xshg": [d.strftime("%Y-%m-%d") for d in df.loc[~df["in_xshg"], "date"]],
        "thin": [d.strftime("%Y-%m-%d") for d in df.loc[df["in_xshg"] & (df["n_stocks"] < threshold)
                                                          & (df["n_stocks"] > 0), "date"]],
        "xshg_without_prices": [d.strftime("%Y-%m-%d") for d in missing],
        "xshg_checked": bool(horizon_ok),
    }
    return df


# ---------------------------------------------------------------------------------------------------------------
# The returns panel
# ---------------------------------------------------------------------------------------------------------------


def _manifest_rows(s: PriceSet, codes: np.ndarray) -> int | None:
    path = paths.external_path(s.folder, "data__manifest.csv")
    if not path.exists():
        return None
    man = pd.read_csv(path, usecols=["path", "rows"], dtype={"path": str})
    man["code"] = man["path"].str.extract(r"([0-9]{6})\.[A-Za-z]+$", expand=False)
    man = man[man["code"].isin(set(codes))]
    return int(man["rows"].sum())


def _read_set_arrays(s: PriceSet) -> dict:
    """Read one set as numpy arrays (codes as strings in a dictionary, dates as int days)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = paths.external_path(s.folder, s.file, must_exist=True)
    cols = ["code", s.date_col, s.close_col, s.high_col, s.low_col] + ([s.pct_col] if s.pct_col else [])
    _require_columns(path, cols)
    table = pq.read_table(path, columns=cols)
    code_col = table.column("code").combine_chunks()
    if not pa.types.is_dictionary(code_col.type):
        code_col = code_col.dictionary_encode()
    days = table.column(s.date_col).combine_chunks().cast(pa.int32()).to_numpy(zero_copy_only=False)
    out = {
        "dict": np.asarray(code_col.dictionary.to_pylist(), dtype=object),
        "idx": code_col.indices.to_numpy(zero_copy_only=False).astype(np.int32),
        "days": days.astype(np.int32),
        "close": table.column(s.close_col).to_numpy().astype(np.float64),
        "high": table.column(s.high_col).to_numpy().astype(np.float64),
        "low": table.column(s.low_col).to_numpy().astype(np.float64),
        "pct": table.column(s.pct_col).to_numpy().astype(np.float64) if s.pct_col else None,
        "n": table.num_rows,
        "label": f"{s.folder}/{s.file}",
    }
    return out


def _signature() -> dict:
    sig = {}
    for s in PRICE_SETS:
        p = price_set_path(s.name)
        sig[s.name] = [p.stat().st_size, int(p.stat().st_mtime)] if p.exists() else None
    return sig


def _beyond_limit(ret: np.ndarray, prev_close: np.ndarray, lim: np.ndarray, single: np.ndarray, g: np.ndarray,
                  p: np.ndarray) -> np.ndarray:
    """Single-session returns beyond the board's limit plus :data:`LIMIT_MARGIN` and one price tick.

    Returns over several sessions (resumption after a suspension) and the first :data:`IPO_WINDOW` sessions of
    each code in the set (IPO days) are not checked; nor are codes of unknown board (NaN limit).
    """
    start = np.ones(len(g), dtype=bool)
    start[1:] = g[1:] != g[:-1]
    first_pos = np.maximum.accumulate(np.where(start, np.arange(len(g)), 0))
    ipo = (p - p[first_pos]) < IPO_WINDOW
    with np.errstate(divide="ignore", invalid="ignore"):
        tick = np.where(prev_close > 0, 0.01 / prev_close, 0.0)
        return single & ~ipo & np.isfinite(ret) & (np.abs(ret) > lim + LIMIT_MARGIN + tick)


@dataclass
class PanelBuild:
    """Everything :func:`build_returns_panel` produces."""

    panel: pd.DataFrame
    calendar: pd.DataFrame
    ledger: Ledger
    accounting: pd.DataFrame
    agreement: pd.DataFrame
    seconds: float = 0.0


def build_returns_panel(sets: Sequence[str] | None = None, *, min_stocks: int = MIN_STOCKS_PER_SESSION
                        ) -> PanelBuild:
    """Build the returns panel from all price files, spliced on returns.

    For each set: rows on dates that are not sessions (data calendar checked against XSHG) are dropped; within
    the set, rows are ordered by code and session, ``ret`` is the close over the set's previous close (the raw set
    uses the exchange percent change) and ``gap`` the number of sessions it spans (0 for the set's first row of a
    code, whose return is unknown). Then, per (code, session), one candidate is kept: a single-session return
    before a multi-session one, a known return before an unknown one, then the set priority of
    :data:`PRICE_SETS`. A multi-session return whose span overlaps the previous kept session (a set filling part of
    another's gap) cannot be split and is set to NaN (``overlap`` flag). Non-positive closes give NaN returns.

    Parameters
    ----------
    sets : sequence of str, optional
        Price sets to use (default: every available set).
    min_stocks : int
        Minimum number of stocks for a date to count as a session.

    Returns
    -------
    PanelBuild
        ``panel`` with columns ``code`` (categorical), ``date``, ``ret``, ``gap`` (int16), ``limit`` (int8: +1 up,
        -1 down, 0), ``overlap`` (bool), ``source`` (categorical), ``board`` (categorical); ``calendar`` (see
        :func:`calendar_from_counts`); ``ledger`` (dropped rows); ``accounting`` (kept / merged / dropped counts
        per file, reconciled); ``agreement`` (how candidate returns of different sets agree on shared sessions).

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     b = build_returns_panel()
    >>> b.panel.columns.tolist()
    ['code', 'date', 'ret', 'gap', 'limit', 'overlap', 'source', 'board']
    >>> bool(b.accounting["reconciled"].all())
    True
    """
    t0 = time.perf_counter()
    names = [s.name for s in PRICE_SETS if (sets is None or s.name in sets) and price_set_path(s.name).exists()]
    if not names:
        raise paths.MissingExternalData(price_set_path(PRICE_SETS[0].name))
    raw = {n: _read_set_arrays(SET_BY_NAME[n]) for n in names}

    # global code dictionary and data calendar
    all_codes = np.unique(np.concatenate([r["dict"] for r in raw.values()]).astype(str))
    counts = pd.concat([pd.Series(np.bincount(r["days"] - r["days"].min())) .set_axis(
        np.arange(r["days"].min(), r["days"].max() + 1)) for r in raw.values()], axis=1).fillna(0).sum(axis=1)
    counts = counts[counts > 0]
    counts.index = pd.to_datetime(counts.index.to_numpy(), unit="D").astype("datetime64[ns]")
    calendar = calendar_from_counts(counts, min_stocks=min_stocks)
    sess = calendar.loc[calendar["session"], "date"]
    sess_days = ((sess.to_numpy().astype("datetime64[D]")).astype(np.int64)).astype(np.int32)

    board_names = list(BOARDS) + ["BSE/NEEQ"]
    code_boards = board_of(pd.Series(all_codes)).to_numpy(dtype=object)
    code_board = np.array([board_names.index(b) if b in board_names else -1 for b in code_boards], dtype=np.int8)
    code_limit = np.array([LIMITS.get(b, LIMITS["BSE"] if b == "BSE/NEEQ" else np.nan) for b in code_boards])
    chinext_id = board_names.index("ChiNext")
    reform_day = np.int32((CHINEXT_REFORM - pd.Timestamp("1970-01-01")).days)

    led = Ledger()
    acct_rows = []
    parts = []
    agree_parts = []
    for rank, n in enumerate(names):
        r = raw[n]
        s = SET_BY_NAME[n]
        gid = np.searchsorted(all_codes, r["dict"].astype(str)).astype(np.int32)[r["idx"]]
        pos = np.searchsorted(sess_days, r["days"]).astype(np.int32)
        pos_c = np.minimum(pos, len(sess_days) - 1)
        on_session = sess_days[pos_c] == r["days"]
        file_row = np.arange(r["n"], dtype=np.int64) + 1  # parquet row number (1-based)
        if (~on_session).any():
            bad_days = pd.to_datetime(r["days"][~on_session], unit="D").strftime("%Y-%m-%d")
            led.add(r["label"], file_row[~on_session], "dropped", reason="date is not a session (XSHG check)",
                    detail=list(bad_days))
        keep = on_session
        order = np.lexsort((pos[keep], gid[keep]))
        k_idx = np.flatnonzero(keep)[order]
        g, p = gid[k_idx], pos[k_idx]
        dup = np.zeros(len(g), dtype=bool)
        dup[1:] = (g[1:] == g[:-1]) & (p[1:] == p[:-1])
        if dup.any():
            led.add(r["label"], file_row[k_idx[dup]], "dropped", reason="duplicate (code, date) within the set")
            k_idx, g, p = k_idx[~dup], g[~dup], p[~dup]
        close = r["close"][k_idx]
        same = np.zeros(len(g), dtype=bool)
        same[1:] = g[1:] == g[:-1]
        prev_close = np.empty_like(close)
        prev_close[0] = np.nan
        prev_close[1:] = close[:-1]
        gap = np.zeros(len(g), dtype=np.int32)
        gap[1:] = p[1:] - p[:-1]
        gap[~same] = 0
        if r["pct"] is not None:
            ret = r["pct"][k_idx] / 100.0
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                ret = close / prev_close - 1.0
        ret = np.where(same & (close > 0) & (prev_close > 0), ret, np.nan)
        bad_px = ~(close > 0)
        # limit flags (single-session returns only); board and limit rate looked up per code, not per row
        high, low = r["high"][k_idx], r["low"][k_idx]
        lim = code_limit[g].copy()
        lim[(code_board[g] == chinext_id) & (sess_days[p] < reform_day)] = LIMITS["Main"]
        single = gap == 1
        with np.errstate(invalid="ignore"):
            at_high = np.abs(close - high) <= 1e-6 * np.maximum(1.0, np.abs(high))
            at_low = np.abs(close - low) <= 1e-6 * np.maximum(1.0, np.abs(low))
            up = single & at_high & (ret >= lim - LIMIT_TOL)
            down = single & at_low & (ret <= -lim + LIMIT_TOL)
        limit = np.where(up, 1, np.where(down, -1, 0)).astype(np.int8)
        beyond = _beyond_limit(ret, prev_close, lim, single, g, p)
        if beyond.any():
            led.add(r["label"], file_row[k_idx[beyond]], "flagged",
                    reason="daily return beyond the board's price limit (set missing)",
                    detail=[f"{all_codes[c]} {pd.Timestamp(sess_days[q], unit='D'):%Y-%m-%d} {x:+.1%}"
                            for c, q, x in zip(g[beyond], p[beyond], ret[beyond], strict=True)])
            ret = np.where(beyond, np.nan, ret)
        parts.append(pd.DataFrame({
            "gid": g, "pos": p, "ret": ret, "gap": gap.astype(np.int16), "limit": limit,
            "rank": np.int8(rank), "row": file_row[k_idx], "badpx": bad_px,
        }))
        acct_rows.append({"file": r["label"], "set": n, "rows": r["n"],
                          "dropped_non_session": int((~on_session).sum()), "dropped_duplicate": int(dup.sum()),
                          "nonpositive_close": int(bad_px.sum()), "beyond_limit": int(beyond.sum()),
                          "manifest_rows": _manifest_rows(s, r["dict"].astype(str))})
    del raw
    cand = pd.concat(parts, ignore_index=True)
    del parts
    # preference: known return, single session, set priority
    cand["pref"] = ((~np.isfinite(cand["ret"].to_numpy())).astype(np.int8) * 4
                    + (cand["gap"].to_numpy() != 1).astype(np.int8) * 2)
    order = np.lexsort((cand["rank"].to_numpy(), cand["pref"].to_numpy(), cand["pos"].to_numpy(),
                        cand["gid"].to_numpy()))
    cand = cand.iloc[order].reset_index(drop=True)
    gid, pos = cand["gid"].to_numpy(), cand["pos"].to_numpy()
    first = np.ones(len(cand), dtype=bool)
    first[1:] = (gid[1:] != gid[:-1]) | (pos[1:] != pos[:-1])

    # agreement between sets on shared single-session returns (selected vs other candidates)
    sel_idx = np.flatnonzero(first)
    grp = np.cumsum(first) - 1
    other = ~first & (cand["gap"].to_numpy() == 1) & np.isfinite(cand["ret"].to_numpy())
    sel_of_other = sel_idx[grp[other]]
    sel_ok = (cand["gap"].to_numpy()[sel_of_other] == 1)
    a = pd.DataFrame({"selected": cand["rank"].to_numpy()[sel_of_other][sel_ok],
                      "other": cand["rank"].to_numpy()[other][sel_ok],
                      "r_sel": cand["ret"].to_numpy()[sel_of_other][sel_ok],
                      "r_oth": cand["ret"].to_numpy()[other][sel_ok]})
    if len(a):
        a["d"] = (a["r_sel"] - a["r_oth"]).abs()
        agg = a.groupby(["selected", "other"]).agg(
            n=("d", "size"), median_abs_diff=("d", "median"), share_diff_gt_1pct=("d", lambda x: (x > 0.01).mean()))
        corr = a.groupby(["selected", "other"])[["r_sel", "r_oth"]].corr().xs("r_sel", level=2)["r_oth"]
        agg["corr"] = corr
        agree = agg.reset_index()
        agree["selected"] = [names[i] for i in agree["selected"]]
        agree["other"] = [names[i] for i in agree["other"]]
    else:
        agree = pd.DataFrame(columns=["selected", "other", "n", "median_abs_diff", "share_diff_gt_1pct", "corr"])
    agree_parts.append(agree)

    merged_rank = cand["rank"].to_numpy()[~first]
    sel = cand.loc[first].reset_index(drop=True)
    del cand
    # overlap: a multi-session return whose span reaches back over the previous kept session
    g, p, gp = sel["gid"].to_numpy(), sel["pos"].to_numpy(), sel["gap"].to_numpy().astype(np.int64)
    prev_same = np.zeros(len(sel), dtype=bool)
    prev_same[1:] = g[1:] == g[:-1]
    prev_pos = np.full(len(sel), -1, dtype=np.int64)
    prev_pos[1:] = p[:-1]
    overlap = prev_same & (gp > 1) & (p - gp < prev_pos)
    ret = sel["ret"].to_numpy().copy()
    ret[overlap] = np.nan
    # returns whose span starts before the code's first kept session in the panel keep their gap (documented)
    codes_cat = pd.Categorical.from_codes(g, categories=pd.Index(all_codes, dtype="str"))
    sess_ns = sess.to_numpy().astype("datetime64[ns]")
    board_cat = pd.Categorical.from_codes(code_board[g], categories=board_names)
    panel = pd.DataFrame({
        "code": codes_cat,
        "date": sess_ns[p],
        "ret": ret,
        "gap": sel["gap"].to_numpy(),
        "limit": sel["limit"].to_numpy(),
        "overlap": overlap,
        "source": pd.Categorical.from_codes(sel["rank"].to_numpy(), categories=names),
        "board": board_cat,
    })
    # accounting: kept / merged / dropped per file, reconciled
    kept_by = np.bincount(sel["rank"].to_numpy(), minlength=len(names))
    merged_by = np.bincount(merged_rank, minlength=len(names))
    acct = pd.DataFrame(acct_rows)
    acct["kept"] = kept_by
    acct["merged"] = merged_by
    acct["dropped"] = acct["dropped_non_session"] + acct["dropped_duplicate"]
    acct["reconciled"] = acct["kept"] + acct["merged"] + acct["dropped"] == acct["rows"]
    acct["manifest_match"] = acct["manifest_rows"].isna() | (acct["manifest_rows"] == acct["rows"])
    if not acct["reconciled"].all():
        bad = acct.loc[~acct["reconciled"], ["file", "rows", "kept", "merged", "dropped"]]
        raise LedgerError(f"price rows do not reconcile:\n{bad.to_string(index=False)}")
    panel = mark_real(panel, PRICES_SOURCE)
    panel.attrs["overlap_nan"] = int(overlap.sum())
    return PanelBuild(panel=panel, calendar=calendar, ledger=led, accounting=acct,
                      agreement=pd.concat(agree_parts, ignore_index=True), seconds=time.perf_counter() - t0)


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


def _as_codes(codes: Iterable) -> list[str]:
    """Six-digit codes from the usual forms (``600000``, ``600000.SH``, ``sh600000``, integer ``600000``).

    Read with :func:`lgresearch.securities.normalize_code`; a value that is not a stock code raises
    :class:`InputError` rather than silently matching nothing.
    """
    values = [codes] if isinstance(codes, (str, int, np.integer)) else list(codes)
    read = [securities.normalize_code(v) for v in values]
    bad = [v for v, c in zip(values, read) if c is None]
    if bad:
        raise InputError("codes argument", None, None, f"{len(bad)} value(s) are not stock codes, e.g. {bad[:3]}. Give six-digit codes "
                         "('600000'), with an exchange suffix or prefix ('600000.SH', 'sh600000') or as integers; "
                         "drop missing values first.")
    return sorted(set(read))


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


# ---------------------------------------------------------------------------------------------------------------
# Market returns from the panel, size
# ---------------------------------------------------------------------------------------------------------------


def equal_weighted_market(panel: pd.DataFrame, *, by: str | None = None, exclude_limit: bool = False
                          ) -> pd.DataFrame:
    """Equal-weighted average of single-session returns per date (optionally per ``by`` group, e.g. board).

    Returns a wide frame (index = date; one column ``"ew"`` or one per group).

    Parameters
    ----------
    panel : DataFrame
        Returns panel (:func:`load_returns_panel`): ``code, date, ret, gap, limit, source, board``.
    by : str, optional
        Column to average within (e.g. ``"board"``): one column per group.
    exclude_limit : bool
        Leave out returns that hit the daily price limit.

    Returns
    -------
    DataFrame
        Index = date; one column ``"ew"`` (or one per group) of equal-weighted single-session returns.

    Examples
    --------
    >>> p = pd.DataFrame({"code": ["a", "b", "a", "b"], "date": pd.to_datetime(["2024-01-02"] * 2 + ["2024-01-03"] * 2),
    ...                   "ret": [0.01, 0.03, -0.02, np.nan], "gap": [1, 1, 1, 1], "limit": [0, 0, 0, 0]})
    >>> equal_weighted_market(p)["ew"].round(3).tolist()
    [0.02, -0.02]
    """
    ok = (panel["gap"] == 1) & panel["ret"].notna()
    if exclude_limit:
        ok &= panel["limit"] == 0
    sub = panel.loc[ok]
    if by is None:
        out = sub.groupby("date")["ret"].mean().to_frame("ew")
    else:
        out = sub.groupby(["date", by], observed=True)["ret"].mean().unstack(by)
        out.columns = [str(c) for c in out.columns]
    return mark_real(out, "equal-weighted returns of the stocks in the price panel (survivor-biased)")


def float_market_cap(*, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Daily float market capitalisation (RMB) where derivable: 成交额 ÷ (换手率 / 100), tszlam set.

    Turnover (换手率) is traded shares over float shares in percent, so amount / turnover is the float value at the
    traded price. Rows with zero turnover are dropped (no trade). Coverage: SH/SZ main boards and STAR,
    2021-01-04 to 2024-06-26 (no ChiNext). The full table is read once per process and cached, sorted by code and
    date.

    Parameters
    ----------
    codes : iterable, optional
        Stock codes to keep, in any usual form (default: all).

    Returns
    -------
    DataFrame
        ``code, date, float_mcap`` (RMB), sorted by code and date.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     fm = float_market_cap(codes=["600519"])
    >>> fm.columns.tolist(), fm["code"].unique().tolist()
    (['code', 'date', 'float_mcap'], ['600519'])
    """
    p = price_set_path("tszlam")
    if not p.exists():
        raise paths.MissingExternalData(p)
    full = _float_mcap_cached(str(p), p.stat().st_size, int(p.stat().st_mtime))
    if codes is None:
        out = full.copy()
    else:
        cats = full["code"].cat.categories
        want = cats.get_indexer(pd.Index(_as_codes(codes)))
        keep = np.isin(full["code"].cat.codes.to_numpy(), want[want >= 0])
        out = full.loc[keep]
    out = out.reset_index(drop=True)
    out["code"] = out["code"].astype("string")
    return mark_real(out, "tszlam/trading (Eastmoney via akshare): 成交额 / 换手率")


@lru_cache(maxsize=2)
def _float_mcap_cached(path: str, size: int, mtime: int) -> pd.DataFrame:
    """The tszlam float market caps, read once: ``code`` (category), ``date``, ``float_mcap``, sorted by code
    and date (so a latest-value lookup is one binary search)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    s = SET_BY_NAME["tszlam"]
    table = pq.read_table(path, columns=["code", s.date_col, "成交额", "换手率"])
    table = table.set_column(0, "code", pc.dictionary_encode(table.column("code").cast("string")))
    df = table.to_pandas()
    turn = df["换手率"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        ok = turn > 0
    code = df["code"].astype("category")
    out = pd.DataFrame({"code": code[ok].cat.remove_unused_categories().array,
                        "date": pd.to_datetime(df.loc[ok, s.date_col]).to_numpy().astype("datetime64[ns]"),
                        "float_mcap": df.loc[ok, "成交额"].to_numpy(dtype=float, na_value=np.nan) / (turn[ok] / 100.0)})
    order = np.lexsort((out["date"].to_numpy(), out["code"].cat.codes.to_numpy()))
    return out.iloc[order].reset_index(drop=True)


@lru_cache(maxsize=2)
def _size_snapshot(path: str, size: int, mtime: int) -> pd.Series:
    """Float market cap (流通市值) of the 2024-06-28 Eastmoney snapshot by code, read once."""
    snap = pd.read_csv(path, dtype={"code": str}, usecols=["code", "流通市值"])
    return snap.drop_duplicates("code").set_index("code")["流通市值"].astype(float)


@lru_cache(maxsize=2)
def _float_mcap_keys(path: str, size: int, mtime: int) -> tuple:
    """The daily float-cap table with its (code, day) search keys, computed once per file version."""
    full = _float_mcap_cached(path, size, mtime)
    cc = full["code"].cat.codes.to_numpy().astype(np.int64)
    day_ns = np.int64(86_400_000_000_000)
    dates = full["date"].to_numpy().astype("datetime64[ns]").view(np.int64)
    days = dates // day_ns  # whole days keep code * span + day inside int64
    base = days.min() if len(days) else np.int64(0)
    span = np.int64(days.max() - base + 1) if len(days) else np.int64(1)
    return full, cc, dates, base, span, cc * span + (days - base)


def _latest_daily_mcap(codes: pd.Index, t: pd.Timestamp, max_days: int) -> pd.DataFrame:
    """Latest daily float cap on or before ``t`` (within ``max_days`` calendar days) per code: one binary search
    on the cached (code, date)-sorted table, no per-call sort or group-by."""
    p = price_set_path("tszlam")
    full, cc, dates, base, span, key = _float_mcap_keys(str(p), p.stat().st_size, int(p.stat().st_mtime))
    day_ns = np.int64(86_400_000_000_000)
    ix = full["code"].cat.categories.get_indexer(codes.astype(str))
    t_ns = np.int64(np.datetime64(t, "ns").view(np.int64))
    rel = np.clip(t_ns // day_ns - base, -1, span - 1)
    pos = np.searchsorted(key, np.where(ix >= 0, ix.astype(np.int64) * span + rel, -1), side="right") - 1
    hit = (ix >= 0) & (rel >= 0) & (pos >= 0)
    pos_c = np.maximum(pos, 0)
    hit &= cc[pos_c] == ix
    hit &= dates[pos_c] <= t_ns
    d = dates[pos_c]
    hit &= d >= t_ns - np.int64(max_days) * day_ns
    return pd.DataFrame({"float_mcap": np.where(hit, full["float_mcap"].to_numpy()[pos_c], np.nan),
                         "size_date": pd.to_datetime(np.where(hit, d, np.iinfo(np.int64).min).astype("datetime64[ns]")
                                                     ).where(hit)}, index=codes)


def _cum_log_return(panel: pd.DataFrame, codes: pd.Index, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    """Sum of log(1 + ret) per code over dates in (lo, hi] (missing returns count as zero)."""
    dv = panel["date"].to_numpy()
    lo_v, hi_v = np.datetime64(lo, "ns").astype(dv.dtype), np.datetime64(hi, "ns").astype(dv.dtype)
    rows = np.flatnonzero((dv > lo_v) & (dv <= hi_v))
    col = panel["code"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        lut = col.cat.categories.astype(str).get_indexer(codes.astype(str))
        inv = np.full(len(col.cat.categories) + 1, -1, dtype=np.int64)
        inv[lut[lut >= 0]] = np.flatnonzero(lut >= 0)
        which = inv[col.cat.codes.to_numpy()[rows]]
    else:
        which = codes.astype(str).get_indexer(col.to_numpy()[rows].astype(str))
    sel = which >= 0
    logr = np.nan_to_num(np.log1p(panel["ret"].to_numpy(dtype=float, na_value=np.nan)[rows[sel]]))
    return pd.Series(np.bincount(which[sel], weights=logr, minlength=len(codes)), index=codes)


def size_at(date, codes: Iterable[str], *, panel: pd.DataFrame | None = None, max_lag_sessions: int = 40
            ) -> pd.DataFrame:
    """Float market cap of each code at a date: the daily value where derivable, else the 2024-06 snapshot rolled.

    1. ``daily``: 成交额 / 换手率 from the tszlam set, latest value on or before ``date`` within
       ``max_lag_sessions`` (Main and STAR, 2021-01 to 2024-06).
    2. ``snapshot_rolled``: the float market cap of the 2024-06-28 Eastmoney snapshot, moved to ``date`` with the
       panel's cumulative returns between the two dates (share issuance ignored; missing returns count as zero).

    The daily table and the snapshot are read once per process; each call is a binary search and one pass over
    the panel's dates, so calling it for many dates is cheap.

    Parameters
    ----------
    date : date-like
        The date at which size is measured.
    codes : iterable of str
        Stock codes.
    panel : DataFrame, optional
        Returns panel used to roll the snapshot (default: the cached panel).
    max_lag_sessions : int
        Oldest daily value accepted, in sessions before ``date``.

    Returns
    -------
    DataFrame ``code, float_mcap, log_float_mcap, size_source, size_date``.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     s = size_at("2024-08-01", ["300557", "600519"])
    >>> s["size_source"].tolist()
    ['snapshot_rolled', 'daily']
    """
    t = pd.Timestamp(date)
    codes = pd.Index(pd.Series(list(codes), dtype="string").unique())
    out = pd.DataFrame({"code": codes})
    out["float_mcap"] = np.nan
    out["size_source"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["size_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    # 1. daily where derivable
    if price_set_path("tszlam").exists() and len(codes):
        daily = _latest_daily_mcap(codes, t, int(max_lag_sessions * 1.5))
        m = daily["float_mcap"].notna().to_numpy()
        out.loc[m, "float_mcap"] = daily["float_mcap"].to_numpy()[m]
        out.loc[m, "size_source"] = "daily"
        out.loc[m, "size_date"] = daily["size_date"].to_numpy()[m]
    # 2. snapshot rolled by cumulative returns
    need = out["float_mcap"].isna()
    snap_parts, snap_date = SIZE_SNAPSHOT
    if need.any() and paths.has_external(*snap_parts):
        sp = paths.external_path(*snap_parts)
        snap = _size_snapshot(str(sp), sp.stat().st_size, int(sp.stat().st_mtime))
        want = out.loc[need, "code"]
        have = want[snap.index.get_indexer(pd.Index(want.astype(str))) >= 0]  # snapshot codes are unique
        if len(have):
            lo, hi = min(t, snap_date), max(t, snap_date)
            if panel is None:
                panel = load_returns_panel(start=lo, end=hi, codes=list(have))
            cum = _cum_log_return(panel, pd.Index(have.astype(str)), lo, hi)
            sign = -1.0 if t < snap_date else 1.0
            factor = np.exp(sign * cum.to_numpy())
            idx = have.index
            out.loc[idx, "float_mcap"] = have.astype(str).map(snap).to_numpy(dtype=float) * factor
            out.loc[idx, "size_source"] = "snapshot_rolled"
            out.loc[idx, "size_date"] = snap_date
    out["log_float_mcap"] = np.log(out["float_mcap"].where(out["float_mcap"] > 0))
    out["size_date"] = pd.to_datetime(out["size_date"])
    return mark_real(out, "float market cap: tszlam 成交额/换手率 or Eastmoney 2024-06-28 snapshot rolled by returns")


# ---------------------------------------------------------------------------------------------------------------
# Coverage and survivorship
# ---------------------------------------------------------------------------------------------------------------


def coverage_report(panel: pd.DataFrame, calendar: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Per stock: first and last date, sessions spanned, rows, known returns, sessions missing inside the span,
    multi-session returns, limit days and the sets used.

    Parameters
    ----------
    panel : DataFrame
        Returns panel (:func:`load_returns_panel`): ``code, date, ret, gap, limit, source, board``.
    calendar : DatetimeIndex, optional
        Trading sessions (default: :func:`sessions`).

    Returns
    -------
    DataFrame
        One row per stock: first and last date, sessions spanned, rows, known returns, missing sessions inside the
        span, multi-session returns, limit days and the price sets used.

    Examples
    --------
    >>> p = pd.DataFrame({"code": ["a"] * 3, "date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-05"]),
    ...                   "ret": [np.nan, 0.01, 0.02], "gap": [0, 1, 2], "limit": [0, 0, 1],
    ...                   "source": ["x", "x", "y"], "board": ["Main"] * 3})
    >>> cal = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
    >>> coverage_report(p, cal)[["n_rows", "n_span", "n_missing_in_span", "n_multi_session", "sources"]].values.tolist()
    [[3, 4, 1, 1, 'x;y']]
    """
    if calendar is None:
        calendar = pd.DatetimeIndex(np.sort(panel["date"].unique()))
    cal = pd.DatetimeIndex(calendar)
    p = panel.assign(pos=cal.get_indexer(panel["date"]))
    code = p["code"].astype("string")
    g = p.groupby(code, observed=True)
    out = pd.DataFrame({
        "board": g["board"].first().astype("string"),
        "first_date": g["date"].min(), "last_date": g["date"].max(),
        "n_rows": g.size(), "n_ret": g["ret"].count(),
        "n_span": g["pos"].max() - g["pos"].min() + 1,
        "n_multi_session": (p["gap"] > 1).groupby(code, observed=True).sum(),
        "n_limit": (p["limit"] != 0).groupby(code, observed=True).sum(),
    })
    src = p[["source"]].assign(code=code).drop_duplicates()
    out["sources"] = src.groupby("code", observed=True)["source"].agg(lambda s: ";".join(sorted(map(str, s))))
    out["n_missing_in_span"] = out["n_span"] - out["n_rows"]
    out.index.name = "code"
    return mark_real(out.reset_index(), PRICES_SOURCE)


def survivorship_report(panel: pd.DataFrame, *, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Coverage of the price panel per year and board against the stocks known to exist, with reasons for gaps.

    The reference set per year is the union of codes in the Shenwan classification history (every stock ever
    classified, including delisted ones; its first entry date approximates the listing) and the 2024-06 / 2025-11
    stock lists. For each (year, board):

    - ``n_known``: codes whose first Shenwan entry is on or before the year end and which are either still listed
      (in a 2024/2025 list) or have a price in that year or later;
    - ``n_with_prices``: codes with at least one return in the year;
    - ``n_missing_listed_later``: still listed in 2024/2025 but no price that year (the vendor's size filter, or a
      board a set excludes: the survivorship + size filter gap);
    - ``n_delisted_in_shenwan``: codes in Shenwan but in neither stock list (delisted or renamed before 2024-06)
      whose first entry is on or before the year end, and ``n_delisted_with_prices`` of them priced in the year.

    Parameters
    ----------
    panel : DataFrame
        Returns panel (:func:`load_returns_panel`): ``code, date, ret, gap, limit, source, board``.
    years : sequence of int, optional
        Years reported (default: every year of the panel).

    Returns
    -------
    DataFrame
        One row per year and board: ``n_known, n_with_prices, n_missing_listed_later, n_delisted_in_shenwan,
        n_delisted_with_prices``.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     rep = survivorship_report(load_returns_panel())
    >>> {"year", "board", "n_known", "n_with_prices", "coverage"} <= set(rep.columns)
    True
    """
    from lgresearch import listed

    years = list(years or range(int(panel["date"].dt.year.min()), int(panel["date"].dt.year.max()) + 1))
    sw, _ = listed._shenwan_raw(str(paths.external_dir()))
    first = (pd.DataFrame({"code": listed.normalize_code(sw["股票代码"]),
                           "d": pd.to_datetime(sw["计入日期"])}).dropna().groupby("code")["d"].min())
    uni = listed.stock_universe()
    still = set(uni["code"]) | set(uni.get("source_code", pd.Series(dtype=str)))
    lists_raw = set()
    for parts, col in ((listed.STOCKLIST_2025, "symbol"), (listed.STOCKLIST_2024, "code")):
        if paths.has_external(*parts):
            lists_raw |= set(listed.normalize_code(pd.read_csv(paths.external_path(*parts), dtype=str)[col]).dropna())
    still |= lists_raw
    yr = panel.loc[panel["ret"].notna(), ["code", "date"]].assign(year=lambda d: d["date"].dt.year)
    pairs = yr[["year", "code"]].drop_duplicates()
    priced = pairs.groupby("year")["code"].agg(lambda s: set(map(str, s)))
    last_priced_year = yr.groupby("code", observed=True)["year"].max()
    last_priced_year.index = last_priced_year.index.astype(str)
    codes = pd.Index(sorted(set(first.index) | still))
    boards = board_of(pd.Series(codes, index=codes))
    rows = []
    for y in years:
        end = pd.Timestamp(f"{y}-12-31")
        p_y = priced.get(y, set())
        listed_by = set(first.index[first <= end]) | {c for c in still if c not in first.index and c in p_y}
        for b in BOARDS:
            in_b = set(boards.index[boards == b])
            alive = {c for c in listed_by & in_b if c in still or last_priced_year.get(c, 0) >= y}
            with_p = p_y & in_b
            delisted = {c for c in listed_by & in_b if c not in still}
            rows.append({
                "year": y, "board": b, "n_known": len(alive), "n_with_prices": len(with_p & alive),
                "n_missing_listed_later": len((alive & still) - with_p),
                "n_delisted_in_shenwan": len(delisted), "n_delisted_with_prices": len(delisted & with_p),
            })
    out = pd.DataFrame(rows)
    out["coverage"] = out["n_with_prices"] / out["n_known"].where(out["n_known"] > 0)
    return mark_real(out, PRICES_SOURCE + "; reference: Shenwan history and 2024/2025 stock lists")


# ---------------------------------------------------------------------------------------------------------------
# data/processed
# ---------------------------------------------------------------------------------------------------------------


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


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "ACCOUNTING_FILE", "AGREEMENT_FILE", "available_price_sets", "board_of", "BOARDS", "build_processed",
    "build_returns_panel", "CACHE_FORMAT", "CACHE_SUBDIR", "CALENDAR_FILE", "calendar_from_counts",
    "CHINEXT_REFORM", "coverage_report", "equal_weighted_market", "float_market_cap", "index_from_file",
    "INDEX_MAX_MOVE", "INDEX_SOURCE", "INDICES", "IPO_WINDOW", "LEDGER_FILE", "LIMIT_MARGIN", "limit_rate",
    "LIMIT_TOL", "LIMITS", "load_returns_panel", "market_returns", "MIN_STOCKS_PER_SESSION", "pa_array_of",
    "PANEL_DATASET", "PANEL_FILE", "panel_reports", "PANEL_ROW_GROUP", "PanelBuild", "price_set_path", "PRICE_SETS",
    "PRICES_SOURCE", "PriceSet", "read_index", "read_price_set", "sessions", "SET_BY_NAME", "SIGNATURE_FILE",
    "size_at", "SIZE_SNAPSHOT", "survivorship_report", "trading_calendar", "write_cache", "xshg_sessions"
]
