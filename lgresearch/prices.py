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

import json
import time
import warnings
from functools import lru_cache
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch.ledger import InputError, Ledger, LedgerError
from lgresearch.provenance import mark_real

# ---------------------------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------------------------

#: Board names (English) used across the package.
BOARDS = ("Main", "ChiNext", "STAR", "BSE")
#: Daily price limits by board (ChiNext moved from 10% to 20% on 2020-08-24; ST stocks' 5% is not detected).
LIMITS = {"Main": 0.10, "ChiNext": 0.20, "STAR": 0.20, "BSE": 0.30}
CHINEXT_REFORM = pd.Timestamp("2020-08-24")
#: Tolerance for limit detection: a limit day closes at its high (low) and within this of the limit rate.
LIMIT_TOL = 0.006
#: A date is a session of the data calendar when at least this many stocks trade on it.
MIN_STOCKS_PER_SESSION = 100
CACHE_SUBDIR = "prices"
PANEL_FILE = "returns_panel.parquet"
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


def board_of(codes: Iterable[str] | pd.Series) -> pd.Series:
    """Return the board of each 6-digit A-share code from its prefix.

    ``60``/``000``-``003`` -> Main (the SZSE SME board, ``002``, merged into Main in 2021), ``300``-``302`` ->
    ChiNext, ``688``/``689`` -> STAR, ``920`` -> BSE. Old NEEQ-style codes (``4xxxxx``/``8xxxxx``) give
    ``"BSE/NEEQ"``: the code alone cannot tell a BSE listing from a NEEQ quotation. Anything else is missing.

    Parameters
    ----------
    codes : iterable of str
        Stock codes (6 digits; a suffix such as ``.SZ`` is ignored).

    Returns
    -------
    Series of str (missing for unknown prefixes), aligned with ``codes``.

    Examples
    --------
    >>> board_of(pd.Series(["000001.SZ", "301556", "123456"])).tolist()
    ['Main', 'ChiNext', nan]
    """
    s = pd.Series(codes, dtype="string") if not isinstance(codes, pd.Series) else codes.astype("string")
    c = s.str.strip().str.slice(0, 6)
    out = pd.Series(pd.NA, index=s.index, dtype="object")
    rules = [
        (c.str.match(r"^(60[0-5]|00[0-3])\d{3}$"), "Main"),
        (c.str.match(r"^30[0-2]\d{3}$"), "ChiNext"),
        (c.str.match(r"^68[89]\d{3}$"), "STAR"),
        (c.str.match(r"^920\d{3}$"), "BSE"),
        (c.str.match(r"^(4[0-9]|8[0-9])\d{4}$"), "BSE/NEEQ"),
    ]
    for mask, name in rules:
        out[mask.fillna(False).to_numpy(dtype=bool)] = name
    return out.astype("str").where(out.notna(), np.nan)


def limit_rate(boards: Iterable[str], dates: Iterable) -> pd.Series:
    """Return the daily price-limit rate for each (board, date) (NaN for unknown boards).

    Examples
    --------
    >>> limit_rate(["BSE", "x"], pd.to_datetime(["2024-01-02", "2024-01-02"])).tolist()
    [0.3, nan]
    """
    b = pd.Series(list(boards), dtype="object")
    d = pd.to_datetime(pd.Series(list(dates)))
    rate = b.map(LIMITS).astype(float)
    early_chinext = (b == "ChiNext").to_numpy() & (d < CHINEXT_REFORM).to_numpy()
    rate[early_chinext] = 0.10
    rate[(b == "BSE/NEEQ").to_numpy()] = LIMITS["BSE"]
    return rate


# ---------------------------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------------------------


def price_set_path(name: str) -> Path:
    """Return the parquet path of a price set (it may not exist).

    Examples
    --------
    >>> price_set_path("LYH-RAIN").name
    'data__daily_qfq_20240102-20251121.parquet'
    """
    s = SET_BY_NAME[name]
    return paths.external_path(s.folder, s.file)


def available_price_sets() -> list[str]:
    """Return the names of the price sets present in the third-party directory.

    Examples
    --------
    >>> isinstance(available_price_sets(), list)
    True
    """
    return [s.name for s in PRICE_SETS if price_set_path(s.name).exists()]


def read_price_set(name: str, *, codes: Iterable[str] | None = None, columns: Sequence[str] | None = None
                   ) -> pd.DataFrame:
    """Read one price set with harmonised column names (``code, date, close, high, low`` + extras).

    Price levels are the vendor's (raw or 前复权 on the set's own base): do not compare them across sets.

    Parameters
    ----------
    name : str
        A name from :data:`PRICE_SETS`.
    codes : iterable of str, optional
        Keep only these codes.
    columns : sequence of str, optional
        Vendor columns to add (e.g. ``["成交额", "换手率"]`` for tszlam).

    Examples
    --------
    >>> df = read_price_set("LYH-RAIN", codes=["300557"])            # doctest: +SKIP
    >>> list(df.columns)[:3]                                            # doctest: +SKIP
    ['code', 'date', 'close']
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    s = SET_BY_NAME[name]
    path = paths.external_path(s.folder, s.file, must_exist=True)
    cols = ["code", s.date_col, s.close_col, s.high_col, s.low_col]
    cols += [c for c in ([s.pct_col] if s.pct_col else []) + list(columns or []) if c not in cols]
    table = pq.read_table(path, columns=cols)
    if codes is not None:
        want = pa_array_of([str(c) for c in codes])
        table = table.filter(pc.is_in(table.column("code").cast("string"), value_set=want))
    df = table.to_pandas()
    df = df.rename(columns={s.date_col: "date", s.close_col: "close", s.high_col: "high", s.low_col: "low"})
    df["code"] = df["code"].astype("string")
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    return mark_real(df, f"{s.folder}/{s.file} ({s.adjust})")


def pa_array_of(values: list[str]):
    """Return a pyarrow string array (helper for filters).

    Examples
    --------
    >>> len(pa_array_of(["a", "b"]))
    2
    """
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def read_index(name: str) -> pd.DataFrame:
    """Read an index series: ``date, close, ret`` (simple daily return; NaN on the first row).

    Parameters
    ----------
    name : str
        A key of :data:`INDICES` (e.g. ``"csi1000_tr"``, ``"csi300"``, ``"chinext"``).

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When the index file is absent.
    InputError
        A duplicated date or a non-positive close (naming the row).

    Examples
    --------
    >>> read_index("csi300").columns.tolist()                       # doctest: +SKIP
    ['date', 'close', 'ret']
    """
    if name not in INDICES:
        raise KeyError(f"unknown index {name!r}; choose from {sorted(INDICES)}")
    parts, what = INDICES[name]
    path = paths.external_path(*parts, must_exist=True)
    raw = pd.read_csv(path, usecols=["date", "close"])
    date = pd.to_datetime(raw["date"], errors="coerce")
    if date.isna().any():
        i = int(np.flatnonzero(date.isna().to_numpy())[0])
        raise InputError(path.name, i + 2, "date", f"not a date: {raw['date'].iloc[i]!r}")
    close = pd.to_numeric(raw["close"], errors="coerce")
    if (close.isna() | (close <= 0)).any():
        i = int(np.flatnonzero((close.isna() | (close <= 0)).to_numpy())[0])
        raise InputError(path.name, i + 2, "close", f"non-positive or missing close {raw['close'].iloc[i]!r}")
    df = pd.DataFrame({"date": date.astype("datetime64[ns]"), "close": close.astype(float)})
    if df["date"].duplicated().any():
        i = int(np.flatnonzero(df["date"].duplicated().to_numpy())[0])
        raise InputError(path.name, i + 2, "date", f"duplicated date {df['date'].iloc[i].date()}")
    df = df.sort_values("date", ignore_index=True)
    df["ret"] = df["close"].pct_change()
    return mark_real(df, f"{what}: {'/'.join(parts)} ({INDEX_SOURCE})")


def market_returns(names: Sequence[str] = ("csi1000_tr", "csi300_tr", "chinext"), *,
                   calendar: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Return a wide frame of index returns (index = date, one column per index name).

    With ``calendar`` (e.g. :func:`sessions`), closes are aligned on those sessions (inside each index's own date
    range) and returns computed session to session: a session missing from an index file leaves that session's
    and the next session's return NaN (counted in ``attrs["missing_sessions"]``); index dates that are not
    sessions are counted in ``attrs["non_sessions"]`` and ignored.

    Examples
    --------
    >>> m = market_returns(["csi300"])                                # doctest: +SKIP
    >>> m.columns.tolist()                                            # doctest: +SKIP
    ['csi300']
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
    >>> b = build_returns_panel()                                        # doctest: +SKIP
    >>> b.panel.columns.tolist()                                         # doctest: +SKIP
    ['code', 'date', 'ret', 'gap', 'limit', 'overlap', 'source', 'board']
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
        parts.append(pd.DataFrame({
            "gid": g, "pos": p, "ret": ret, "gap": gap.astype(np.int16), "limit": limit,
            "rank": np.int8(rank), "row": file_row[k_idx], "badpx": bad_px,
        }))
        acct_rows.append({"file": r["label"], "set": n, "rows": r["n"],
                          "dropped_non_session": int((~on_session).sum()), "dropped_duplicate": int(dup.sum()),
                          "nonpositive_close": int(bad_px.sum()),
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


def _cache_dir() -> Path:
    d = paths.processed_dir() / CACHE_SUBDIR
    d.mkdir(parents=True, exist_ok=True)
    return d


def write_cache(build: PanelBuild) -> list[Path]:
    """Write a :class:`PanelBuild` to ``data/processed/prices/`` and return the paths.

    Examples
    --------
    >>> write_cache  # doctest: +ELLIPSIS
    <function write_cache at ...>
    """
    d = _cache_dir()
    out = []
    panel = build.panel.copy()
    panel.attrs = {}
    panel.to_parquet(d / PANEL_FILE, index=False)
    out.append(d / PANEL_FILE)
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
    (d / SIGNATURE_FILE).write_text(json.dumps({"inputs": _signature(), "calendar_check":
                                                build.calendar.attrs.get("check", {})}, indent=1))
    out.append(d / SIGNATURE_FILE)
    return out


def _cache_valid() -> bool:
    d = paths.processed_dir(create=False) / CACHE_SUBDIR
    sig = d / SIGNATURE_FILE
    if not (sig.exists() and (d / PANEL_FILE).exists() and (d / CALENDAR_FILE).exists()):
        return False
    try:
        return json.loads(sig.read_text()).get("inputs") == _signature()
    except (OSError, ValueError):
        return False


def load_returns_panel(*, start=None, end=None, codes: Iterable[str] | None = None, rebuild: bool = False,
                       cache: bool = True) -> pd.DataFrame:
    """Return the returns panel (``code, date, ret, gap, limit, overlap, source, board``), cached.

    The panel is built once from all price files (:func:`build_returns_panel`) and cached under
    ``data/processed/prices/``; the cache is rebuilt when an input file changes (size or time). ``start``,
    ``end`` and ``codes`` filter the rows read back (pyarrow filters), which keeps memory small.

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When no price file is present.

    Examples
    --------
    >>> p = load_returns_panel(codes=["300557"], start="2024-01-01")    # doctest: +SKIP
    >>> p["code"].astype(str).unique().tolist()                        # doctest: +SKIP
    ['300557']
    """
    import pyarrow.parquet as pq

    if rebuild or not cache or not _cache_valid():
        build = build_returns_panel()
        if cache:
            write_cache(build)
        panel = build.panel
        if start is not None:
            panel = panel[panel["date"] >= pd.Timestamp(start)]
        if end is not None:
            panel = panel[panel["date"] <= pd.Timestamp(end)]
        if codes is not None:
            panel = panel[panel["code"].isin(set(map(str, codes)))]
        return mark_real(panel.reset_index(drop=True), PRICES_SOURCE)
    filters = []
    if start is not None:
        filters.append(("date", ">=", pd.Timestamp(start)))
    if end is not None:
        filters.append(("date", "<=", pd.Timestamp(end)))
    if codes is not None:
        filters.append(("code", "in", sorted(set(map(str, codes)))))
    table = pq.read_table(_cache_dir() / PANEL_FILE, filters=filters or None)
    panel = table.to_pandas()
    panel["date"] = panel["date"].astype("datetime64[ns]")
    if not isinstance(panel["code"].dtype, pd.CategoricalDtype):
        panel["code"] = panel["code"].astype("category")
    return mark_real(panel, PRICES_SOURCE)


def trading_calendar(*, rebuild: bool = False) -> pd.DataFrame:
    """Return the data calendar (``date, n_stocks, in_xshg, session``); see :func:`calendar_from_counts`.

    Examples
    --------
    >>> cal = trading_calendar()                                     # doctest: +SKIP
    >>> int(cal["session"].sum()) > 2000                              # doctest: +SKIP
    True
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

    Examples
    --------
    >>> sessions()[0]                                                  # doctest: +SKIP
    Timestamp('2017-05-31 00:00:00')
    """
    cal = trading_calendar(rebuild=rebuild)
    return pd.DatetimeIndex(cal.loc[cal["session"], "date"])


def panel_reports() -> dict[str, pd.DataFrame]:
    """Return the cached build reports: ``ledger``, ``accounting``, ``agreement`` (building when needed).

    Examples
    --------
    >>> sorted(panel_reports())                                        # doctest: +SKIP
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

    Examples
    --------
    >>> fm = float_market_cap(codes=["600519"])                       # doctest: +SKIP
    >>> fm.columns.tolist()                                           # doctest: +SKIP
    ['code', 'date', 'float_mcap']
    """
    p = price_set_path("tszlam")
    if not p.exists():
        raise paths.MissingExternalData(p)
    full = _float_mcap_cached(str(p), p.stat().st_size, int(p.stat().st_mtime))
    if codes is None:
        out = full.copy()
    else:
        cats = full["code"].cat.categories
        want = cats.get_indexer(pd.Index(list(dict.fromkeys(map(str, codes)))))
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


def _latest_daily_mcap(codes: pd.Index, t: pd.Timestamp, max_days: int) -> pd.DataFrame:
    """Latest daily float cap on or before ``t`` (within ``max_days`` calendar days) per code: one binary search
    on the cached (code, date)-sorted table, no per-call sort or group-by."""
    p = price_set_path("tszlam")
    full = _float_mcap_cached(str(p), p.stat().st_size, int(p.stat().st_mtime))
    cc = full["code"].cat.codes.to_numpy().astype(np.int64)
    day_ns = np.int64(86_400_000_000_000)
    dates = full["date"].to_numpy().astype("datetime64[ns]").view(np.int64)
    days = dates // day_ns  # whole days keep code * span + day inside int64
    base = days.min() if len(days) else np.int64(0)
    span = np.int64(days.max() - base + 1) if len(days) else np.int64(1)
    key = cc * span + (days - base)
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

    Returns
    -------
    DataFrame ``code, float_mcap, log_float_mcap, size_source, size_date``.

    Examples
    --------
    >>> s = size_at("2024-08-01", ["300557", "600519"])                # doctest: +SKIP
    >>> s["size_source"].tolist()                                     # doctest: +SKIP
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
        have = want[want.isin(snap.index)]
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

    Examples
    --------
    >>> rep = survivorship_report(load_returns_panel())                  # doctest: +SKIP
    >>> {"year", "board", "n_known", "n_with_prices", "coverage"} <= set(rep.columns)   # doctest: +SKIP
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
    priced = yr.groupby("year")["code"].agg(lambda s: set(map(str, s.unique())))
    last_priced_year = yr.assign(code=yr["code"].astype(str)).groupby("code")["year"].max()
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

    Examples
    --------
    >>> isinstance(build_processed, object)
    True
    """
    if not available_price_sets():
        return []
    return write_cache(build_returns_panel())
