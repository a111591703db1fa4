"""Firm size: daily float market capitalisation where derivable, else a 2024-06 snapshot rolled by returns.

Examples
--------
>>> SIZE_SNAPSHOT[1]
Timestamp('2024-06-28 00:00:00')
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from lgresearch import disk_cache, paths, sources
from lgresearch.prices.cache import load_returns_panel
from lgresearch.prices.sets import SET_BY_NAME, _as_codes, price_set_path
from lgresearch.provenance import mark_real

__all__ = ["SIZE_SNAPSHOT", "float_market_cap", "size_at"]

#: Float market-cap snapshot (Eastmoney stock list of 2024-06-28) used to roll size to other dates.
SIZE_SNAPSHOT = (sources.parts("stock_list_2024"), pd.Timestamp("2024-06-28"))


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


#: Version of the on-disk float-cap cache (bump it when :func:`_float_mcap_build` changes).
_FLOAT_MCAP_CACHE_VERSION = 1


@lru_cache(maxsize=2)
def _float_mcap_cached(path: str, size: int, mtime: int) -> pd.DataFrame:
    """The tszlam float market caps, read once per process: ``code`` (category), ``date``, ``float_mcap``, sorted
    by code and date (so a latest-value lookup is one binary search); kept on disk in the cache folder
    (``paths.cache_dir("size")``) under the source file's path, size and mtime, so a new process reads it back."""
    key = {"version": _FLOAT_MCAP_CACHE_VERSION, "path": path, "size": size, "mtime": mtime}
    return disk_cache.cached_frames("size", "float_mcap", key, lambda: [_float_mcap_build(path)], index=False)[0]


def _float_mcap_build(path: str) -> pd.DataFrame:
    """:func:`_float_mcap_cached` computed from the tszlam parquet file."""
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


_BLOCKS: dict = {}


def _code_blocks(panel: pd.DataFrame) -> np.ndarray | None:
    """First row of each code category's block (``blocks[i]:blocks[i + 1]``) when ``panel`` has categorical codes
    and is sorted by code, then increasing date (as :func:`load_returns_panel` gives it), else None. Checked once
    per pair of column arrays (a panel reused for many dates is scanned once)."""
    col, dcol = panel["code"], panel["date"]
    if not isinstance(col.dtype, pd.CategoricalDtype) or not isinstance(dcol.dtype, np.dtype) \
            or not np.issubdtype(dcol.dtype, np.datetime64):
        return None
    dv = dcol.to_numpy()
    ca, da = col.array, (dv if dv.base is None else dv.base)  # the column's storage, stable across lookups
    hit = _BLOCKS.get((id(ca), id(da)))
    if hit is not None and hit[0]() is ca and hit[1]() is da:
        return hit[2]
    cc = col.cat.codes.to_numpy()
    ok = len(cc) == 0 or bool(cc.min() >= 0 and np.all(cc[1:] >= cc[:-1])
                              and np.all((dv[1:] > dv[:-1]) | (cc[1:] != cc[:-1])) and not np.isnat(dv).any())
    val = np.searchsorted(cc, np.arange(len(col.cat.categories) + 1)) if ok else None
    if len(_BLOCKS) >= 4:
        _BLOCKS.clear()
    _BLOCKS[(id(ca), id(da))] = (weakref.ref(ca), weakref.ref(da), val)
    return val


def _after(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, value) -> np.ndarray:
    """``starts[i] + np.searchsorted(values[starts[i]:ends[i]], value, side="right")`` for every sorted block at
    once (one bisection over all blocks together)."""
    lo, hi = starts.astype(np.int64), ends.astype(np.int64)
    active = lo < hi
    while active.any():
        mid = (lo + hi) // 2
        right = values[np.minimum(mid, len(values) - 1)] <= value
        lo = np.where(active & right, mid + 1, lo)
        hi = np.where(active & ~right, mid, hi)
        active = lo < hi
    return lo


def _cum_log_return(panel: pd.DataFrame, codes: pd.Index, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    """Sum of log(1 + ret) per code over dates in (lo, hi] (missing returns count as zero)."""
    dv = panel["date"].to_numpy()
    lo_v, hi_v = np.datetime64(lo, "ns").astype(dv.dtype), np.datetime64(hi, "ns").astype(dv.dtype)
    col = panel["code"]
    blocks = _code_blocks(panel)
    if blocks is not None:  # rows of the codes' blocks in (lo, hi], in panel order (the same sums, no full pass)
        lut = col.cat.categories.astype(str).get_indexer(codes.astype(str))
        have = np.flatnonzero(lut >= 0)
        order = np.argsort(lut[have], kind="stable")
        ids, who = lut[have][order], have[order]
        s0 = _after(dv, blocks[ids], blocks[ids + 1], lo_v)
        n = _after(dv, blocks[ids], blocks[ids + 1], hi_v) - s0
        rows = np.repeat(s0 - np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64), n) + np.arange(int(n.sum()))
        which = np.repeat(who, n)
        sel = np.ones(len(rows), dtype=bool)
    else:
        rows = np.flatnonzero((dv > lo_v) & (dv <= hi_v))
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
    if price_set_path("tszlam").exists() and len(out):
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
