"""Event-study foundations: constants, the per-event path matrices and input handling (returns, market,
calendar positions) shared by the engine, the tests and the placebo windows."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from lgresearch import securities
from lgresearch.errors import EventStudyError
from lgresearch.results import FrameResult

#: Tests :func:`test_car` knows, in the order it reports them.
TESTS = ("t", "patell", "bmp", "kolari_pynnonen", "corrado", "sign", "generalized_sign", "grank", "t_bhar")
TEST_LABELS = {
    "t": "cross-sectional t (CAR)",
    "patell": "Patell Z (standardised CAR)",
    "bmp": "BMP t (standardised cross-sectional)",
    "kolari_pynnonen": "BMP t, Kolari-Pynnonen adjusted",
    "corrado": "Corrado rank (standardised ARs)",
    "sign": "sign test (share CAR > 0 vs 0.5)",
    "generalized_sign": "generalised sign (Cowan 1992)",
    "grank": "generalised rank, GRANK-T (Kolari-Pynnonen 2011)",
    "t_bhar": "cross-sectional t (BHAR)",
}
MODELS = ("market", "market_adjusted", "mean")
#: Minimum common estimation days for a residual correlation to enter the Kolari-Pynnönen average.
KP_MIN_OVERLAP = 20
OK = "ok"


# ---------------------------------------------------------------------------------------------------------------
# Per-event matrices carried by the result frame
# ---------------------------------------------------------------------------------------------------------------


class EventPaths:
    """Per-event arrays behind a result frame (kept in ``result.attrs["event_paths"]``).

    Shared, never copied: pandas deep-copies ``attrs`` on most operations, so ``__deepcopy__`` returns the object
    itself. Rows are looked up by ``event_id``.
    """

    # the arrays set by abnormal_returns (one row per event; event-window columns follow rel_days)
    event_ids: np.ndarray
    rel_days: np.ndarray
    est_days: np.ndarray
    ar: np.ndarray
    ret: np.ndarray
    er: np.ndarray
    sar_est: np.ndarray
    sar_ev: np.ndarray
    s2: np.ndarray
    df: np.ndarray
    k: Any
    Z: Any
    Ainv: Any
    ev_pos: np.ndarray
    est_start: np.ndarray
    n_est_days: np.ndarray
    model: str
    row_of: dict

    def __init__(self, **arrays: Any) -> None:
        self.__dict__.update(arrays)
        self.row_of = {eid: i for i, eid in enumerate(self.event_ids.tolist())}

    def __deepcopy__(self, memo):  # noqa: D105
        return self

    def __copy__(self):  # noqa: D105
        return self

    def rows(self, event_ids: Iterable) -> np.ndarray:
        """Row numbers of the given event ids (raises KeyError for unknown ids)."""
        return np.array([self.row_of[e] for e in event_ids], dtype=np.int64)

    def window_mask(self, window: tuple[int, int] | None) -> np.ndarray:
        """Boolean mask over the stored event days for a sub-window (default: all)."""
        if window is None:
            return np.ones(len(self.rel_days), dtype=bool)
        lo, hi = window
        if lo < self.rel_days[0] or hi > self.rel_days[-1] or lo > hi:
            raise EventStudyError(f"window {window} is not inside the stored event window "
                                  f"({int(self.rel_days[0])}, {int(self.rel_days[-1])})")
        return (self.rel_days >= lo) & (self.rel_days <= hi)


def _event_codes(raw: pd.Series) -> pd.Series:
    """Event codes as six digits where they are stock codes in a usual form; other values kept as written."""
    text = raw.astype("string")
    if len(text) and bool(text.str.fullmatch(r"[0-9]{6}").fillna(False).all()):
        return text  # six ASCII digits already: normalize_code keeps them as they are
    norm = securities.normalize_code(raw)
    return norm.where(norm.notna(), text).astype("string")


def _scipy_stats():
    """``scipy.stats``, imported on first use (it takes about a second to import and few event-study calls
    need it)."""
    from scipy import stats

    return stats


def _is_result(result: object) -> bool:
    """Whether ``result`` is an :class:`~lgresearch.events.AbnormalReturns` (a result object carrying paths)."""
    return isinstance(result, FrameResult) and isinstance(getattr(result, "paths", None), EventPaths)


def _as_frame(result: pd.DataFrame | FrameResult) -> pd.DataFrame:
    """The 0.1 frame (paths in ``attrs``) of a result object or of a frame."""
    return result.as_frame() if _is_result(result) else result


def _paths_of(result: pd.DataFrame) -> EventPaths:
    if _is_result(result):
        return result.paths
    p = result.attrs.get("event_paths")
    if p is None:
        raise EventStudyError("this frame has lost its event paths (attrs['event_paths']); call test_car on the "
                              "frame abnormal_returns returned, or on a row subset of it")
    return p


# ---------------------------------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------------------------------


def _naive_dates(values: object, what: str) -> pd.Series | pd.DatetimeIndex:
    """Dates without a time zone: time-zone-aware dates are converted to China time (Asia/Shanghai, the
    exchanges' clock) and the zone dropped, so they compare with the naive trading calendar.

    Examples
    --------
    >>> _naive_dates(pd.Series(pd.to_datetime(["2024-01-02 20:00"]).tz_localize("UTC")), "event_date").tolist()
    [Timestamp('2024-01-03 04:00:00')]
    """
    try:
        out = pd.to_datetime(values, errors="coerce")
    except (TypeError, ValueError):  # mixed zones, or aware and naive values together
        try:
            out = pd.to_datetime(values, errors="coerce", utc=True)
        except (TypeError, ValueError) as exc:
            raise EventStudyError(f"{what}: dates could not be read ({exc}); give naive dates or one time zone") \
                from exc
    tz = out.dt.tz if isinstance(out, pd.Series) else getattr(out, "tz", None)
    if tz is not None:
        out = (out.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None) if isinstance(out, pd.Series)
               else out.tz_convert("Asia/Shanghai").tz_localize(None))
    return out


def _market_frame(market: pd.Series | pd.DataFrame) -> pd.DataFrame:
    if isinstance(market, pd.Series):
        m = market.to_frame(market.name if market.name is not None else "market")
    elif isinstance(market, pd.DataFrame) and {"date", "ret"} <= set(market.columns):
        m = market.set_index("date")[["ret"]].rename(columns={"ret": "market"})
    elif isinstance(market, pd.DataFrame):
        m = market
    else:
        raise EventStudyError("market must be a Series (index = dates) or a DataFrame (index = dates, one column "
                              "per market series) or a frame with columns date, ret")
    idx = pd.DatetimeIndex(_naive_dates(m.index, "market index")).astype("datetime64[ns]")
    if idx.hasnans:
        raise EventStudyError("market index has missing dates")
    if idx.has_duplicates:
        raise EventStudyError(f"market has duplicated dates, e.g. {idx[idx.duplicated()][0].date()}")
    m = m.set_axis(idx).sort_index()
    m.columns = [str(c) for c in m.columns]
    return m.astype(float)


def _code_positions(col: pd.Series, codes: pd.Index) -> np.ndarray:
    """Position of each row's code in ``codes`` (-1 when absent), via categories/factorize (no per-row strings)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = pd.Index(col.cat.categories.astype(str))
        lut = codes.get_indexer(cats)
        cc = col.cat.codes.to_numpy()
        return np.where(cc >= 0, lut[np.maximum(cc, 0)], -1)
    inv, uniq = pd.factorize(col)
    lut = codes.get_indexer(pd.Index(np.asarray(uniq, dtype=object).astype(str)))
    return np.where(inv >= 0, lut[np.maximum(inv, 0)], -1)


NS_PER_DAY = 86_400_000_000_000


_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
            "ns": NS_PER_DAY}


def _session_positions(cal: pd.DatetimeIndex, dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar position of each date and whether it is a session (a day lookup table when dates are days)."""
    if len(cal) == 0:
        return np.zeros(len(dates), dtype=np.int64), np.zeros(len(dates), dtype=bool)
    unit, _ = np.datetime_data(dates.dtype)
    cal_u = cal.to_numpy().astype(f"datetime64[{unit}]").view(np.int64)
    cal_ok = np.array_equal(cal_u.astype(f"datetime64[{unit}]").astype("datetime64[ns]"),
                            cal.to_numpy().astype("datetime64[ns]"))
    per_day = _PER_DAY.get(unit)
    d_u = dates.view(np.int64)
    if per_day is not None and cal_ok and len(d_u) and not np.any(cal_u % per_day):
        cal_d = cal_u // per_day
        d = d_u // per_day
        exact = (d_u % per_day) == 0 if per_day > 1 else np.ones(len(d), dtype=bool)
        lo = int(min(cal_d[0], d.min()))
        hi = int(max(cal_d[-1], d.max()))
        lut = np.full(hi - lo + 1, -1, dtype=np.int64)
        lut[cal_d - lo] = np.arange(len(cal_d))
        pos = lut[d - lo]
        return np.maximum(pos, 0), (pos >= 0) & exact
    cal_ns = cal.to_numpy().astype("datetime64[ns]").view(np.int64)
    d_ns = dates.astype("datetime64[ns]").view(np.int64)
    pos = np.searchsorted(cal_ns, d_ns)
    pos_c = np.minimum(pos, len(cal_ns) - 1)
    on = (pos < len(cal_ns)) & (cal_ns[pos_c] == d_ns)
    return pos_c, on


_ORDER_CACHE: dict = {}


def _code_bounds(returns: pd.DataFrame) -> tuple | None:
    """``(bounds, codes, dates)`` when ``returns`` has categorical codes and is sorted by (code, date) with
    increasing dates per code (rows of category ``i`` are ``bounds[i]:bounds[i + 1]``), else None. Checked once
    per pair of column arrays (a returns panel reused across many studies is scanned once)."""
    if not {"code", "date"} <= set(returns.columns):
        return None
    col, dcol = returns["code"], returns["date"]
    if not isinstance(col.dtype, pd.CategoricalDtype) or not isinstance(dcol.dtype, np.dtype) \
            or not np.issubdtype(dcol.dtype, np.datetime64):
        return None
    dv = dcol.to_numpy()
    ca, da = col.array, (dv if dv.base is None else dv.base)  # the column's storage, stable across lookups
    key = (id(ca), id(da))
    hit = _ORDER_CACHE.get(key)
    if hit is not None and hit[0]() is ca and hit[1]() is da:
        return hit[2]
    cc = col.cat.codes.to_numpy()
    ok = len(cc) == 0 or bool(cc.min() >= 0 and np.all(cc[1:] >= cc[:-1])
                              and np.all((dv[1:] > dv[:-1]) | (cc[1:] != cc[:-1])) and not np.isnat(dv).any())
    val = (np.searchsorted(cc, np.arange(len(col.cat.categories) + 1)), cc, dv) if ok else None
    if len(_ORDER_CACHE) >= 4:
        _ORDER_CACHE.clear()
    _ORDER_CACHE[key] = (weakref.ref(ca), weakref.ref(da), val)
    return val


def _block_search(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, value, *, side: str) -> np.ndarray:
    """``starts[i] + np.searchsorted(values[starts[i]:ends[i]], value, side)`` for every block at once (each block
    sorted): one bisection over all blocks together, about 12 vectorised steps instead of a loop over blocks."""
    lo, hi = np.asarray(starts, dtype=np.int64).copy(), np.asarray(ends, dtype=np.int64).copy()
    active = lo < hi
    while active.any():
        mid = (lo + hi) // 2
        v = values[np.minimum(mid, len(values) - 1)]
        right = (v < value) if side == "left" else (v <= value)
        lo = np.where(active & right, mid + 1, lo)
        hi = np.where(active & ~right, mid, hi)
        active = lo < hi
    return lo


def _rows_of_codes(returns: pd.DataFrame, codes: pd.Index, lo=None, hi=None) -> pd.DataFrame | None:
    """Rows of ``codes`` dated in [lo, hi] (columns code, date, ret, gap), found by binary search on a
    (code, date)-sorted panel; None when the panel is not sorted that way (the caller masks instead)."""
    b = _code_bounds(returns)
    if b is None:
        return None
    bounds, cc, dv = b
    ids = pd.Index(returns["code"].cat.categories.astype(str)).get_indexer(pd.Index(codes).astype(str))
    ids = np.unique(ids[ids >= 0])
    s0, s1 = bounds[ids], bounds[ids + 1]
    if lo is not None:
        lo_v, hi_v = np.datetime64(lo, "ns").astype(dv.dtype), np.datetime64(hi, "ns").astype(dv.dtype)
        s0, s1 = _block_search(dv, s0, s1, lo_v, side="left"), _block_search(dv, s0, s1, hi_v, side="right")
    n = np.maximum(s1 - s0, 0)
    rows = np.repeat(s0 - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(int(n.sum()))
    cols = [c for c in ("code", "date", "ret", "gap") if c in returns.columns]
    return returns[cols].take(rows)


def _date_slice(returns: pd.DataFrame, cal: pd.DatetimeIndex, pos: np.ndarray, a: int, d: int,
                codes: pd.Index | None = None) -> pd.DataFrame:
    """Rows of ``returns`` dated inside the sessions any window can reach (with a margin of 250 sessions before
    when gaps must be inferred, so a return's previous observation is still seen), restricted to ``codes`` when
    given and the panel is sorted by (code, date) (rows of other codes never enter the returns matrix)."""
    if len(pos) == 0 or len(cal) == 0 or "date" not in returns.columns:
        return returns
    margin = 0 if "gap" in returns.columns else 250
    lo = cal[max(0, int(pos.min()) + a - 1 - margin)]
    hi = cal[min(len(cal) - 1, int(pos.max()) + d)]
    dcol = returns["date"]
    if not np.issubdtype(dcol.dtype, np.datetime64):
        return returns
    if codes is not None:
        sub = _rows_of_codes(returns, codes, lo, hi)
        if sub is not None:
            return sub
    vals = dcol.to_numpy()
    lo_v, hi_v = np.datetime64(lo, "ns").astype(vals.dtype), np.datetime64(hi, "ns").astype(vals.dtype)
    mask = (vals >= lo_v) & (vals <= hi_v)
    return returns if mask.all() else returns.loc[mask]


def _prepare_returns(returns: pd.DataFrame, cal: pd.DatetimeIndex, codes: pd.Index, *, crop: bool = False) -> tuple:
    """Return (R, G, n_off_calendar): return and gap matrices, codes x sessions. With ``crop``, the matrices span
    only the sessions from the first to the last row's and a fourth item gives the first one's position (column
    ``j`` is session ``lo + j``; at least one column)."""
    missing = {"code", "date", "ret"} - set(returns.columns)
    if missing:
        raise EventStudyError(f"returns lacks columns {sorted(missing)} (need code, date, ret[, gap])")
    ci_all = _code_positions(returns["code"], codes)
    sel = ci_all >= 0
    every = bool(sel.all())
    keep: Any = slice(None) if every else np.flatnonzero(sel)
    ci = ci_all if every else ci_all[keep]
    dcol = returns["date"]
    if not isinstance(dcol.dtype, np.dtype) or not np.issubdtype(dcol.dtype, np.datetime64):
        dcol = _naive_dates(dcol, "returns date")
    dates = dcol.to_numpy()[keep]
    pos, on = _session_positions(cal, dates)
    n_off = int(len(on) - np.count_nonzero(on))
    if n_off:
        keep = np.flatnonzero(on) if every else keep[on]
        ci, pos = ci[on], pos[on]
    ret = returns["ret"].to_numpy(dtype=float)[keep]
    lo = int(pos.min()) if crop and len(pos) else 0
    width = (int(pos.max()) - lo + 1 if len(pos) else 1) if crop else len(cal)
    key = ci.astype(np.int64) * width + (pos - lo)
    n_cells = len(codes) * width
    if len(key) and np.bincount(key, minlength=n_cells).max() > 1:
        counts = np.bincount(key, minlength=n_cells)
        i = int(np.flatnonzero(counts[key] > 1)[1])
        row = returns.index[np.arange(len(returns))[keep][i]]
        raise EventStudyError(f"returns has duplicated (code, date) rows, e.g. code {codes[ci[i]]} on "
                              f"{cal[pos[i]].date()} (row label {row}); deduplicate before the event study")
    R = np.full((len(codes), width), np.nan)
    R.ravel()[key] = ret
    G = np.zeros((len(codes), width), dtype=np.int16)
    if "gap" in returns.columns:
        gap = returns["gap"].to_numpy(dtype=float, na_value=0.0)[keep]
        gap = np.clip(np.where(np.isfinite(gap), gap, 0), 0, np.iinfo(np.int16).max).astype(np.int16)
    else:
        order = np.arange(len(key)) if np.all(key[1:] > key[:-1]) else np.argsort(key, kind="stable")
        ci_s, pos_s = ci[order], pos[order]
        gap_s = np.ones(len(order), dtype=np.int32)
        same = np.zeros(len(order), dtype=bool)
        same[1:] = ci_s[1:] == ci_s[:-1]
        gap_s[1:] = np.where(same[1:], pos_s[1:] - pos_s[:-1], 1)
        gap = np.empty_like(gap_s)
        gap[order] = gap_s
        gap = np.minimum(gap, np.iinfo(np.int16).max).astype(np.int16)
    G.ravel()[key] = gap
    return (R, G, n_off, lo) if crop else (R, G, n_off)


__all__ = ["EventPaths", "EventStudyError", "KP_MIN_OVERLAP", "MODELS", "NS_PER_DAY", "OK", "TEST_LABELS", "TESTS"]
