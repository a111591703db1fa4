"""Abnormal returns around events, vectorised across events, and their tests.

:func:`abnormal_returns` estimates expected returns per event in an estimation window of trading days before the
event (market model, market-adjusted or constant mean) and returns one row per event with the cumulative abnormal
return ``car``, the buy-and-hold abnormal return ``bhar``, the standardised CAR ``scar`` and the inputs'
identifiers. All events are computed at once on (events x days) matrices: there is no Python loop per event.
:func:`test_car` returns the test table: cross-sectional t, Patell, BMP (Boehmer, Musumeci and Poulsen 1991),
BMP with the Kolari-Pynnönen (2010) adjustment for cross-correlation of clustered events (many firms share one list
date), the Corrado (1989) rank test (on standardised abnormal returns, Corrado and Zivney 1992; multi-day form of
Campbell and Wasley 1993), a sign test, Cowan's (1992) generalised sign test and the generalised rank test
(GRANK-T) of Kolari and Pynnönen (2011). :func:`placebo_windows` gives randomisation inference for calendar
windows (the same statistic in every other window of the same length).

Thin trading. A return that spans several sessions (``gap`` > 1, after a suspension) is a *trade-to-trade* return
(Maynes and Rumsey 1993): its expected value is ``alpha * gap + beta * R_m(gap)`` with the market return compounded
over the same sessions, its variance ``gap`` times the daily variance, and the market model is estimated by
weighted least squares with weights ``1 / gap`` (ordinary least squares when no return spans a gap).
``thin_trading="drop"`` instead ignores multi-session returns. A suspended event day contributes nothing to the
CAR; the return on the day trading resumes carries the whole suspension.

Notation (per event): estimation window ``[a, b]`` and event window ``[c, d]`` in trading days relative to the
event session (day 0; an event on a non-trading date is rolled forward to the next session and recorded).

Examples
--------
>>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=1)
>>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
>>> bool(abs(res["car"].mean() - 0.03) < 0.01)
True
>>> tab = test_car(res, tests=["t", "bmp"])
>>> tab["test"].tolist()
['t', 'bmp']
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from lgresearch import securities
from lgresearch._compat import renamed_kwargs
from lgresearch.provenance import is_simulated, mark_real, mark_simulated, source_of
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


from lgresearch.errors import EventStudyError  # noqa: E402  (defined with every error class)


# ---------------------------------------------------------------------------------------------------------------
# Per-event matrices carried by the result frame
# ---------------------------------------------------------------------------------------------------------------


class EventPaths:
    """Per-event arrays behind a result frame (kept in ``result.attrs["event_paths"]``).

    Shared, never copied: pandas deep-copies ``attrs`` on most operations, so ``__deepcopy__`` returns the object
    itself. Rows are looked up by ``event_id``.
    """

    def __init__(self, **arrays):
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


@dataclass(repr=False)
class AbnormalReturns(FrameResult):
    """Result of :func:`abnormal_returns`: the per-event table and the per-day paths behind it.

    Reads like the table (``res["car"]``, ``len(res)``, ``res.loc[...]``); every function that took the frame
    of release 0.1 (:func:`test_car`, :func:`car_path`, :func:`window_stats`, ...) takes this object.
    ``res[mask]`` with a boolean mask returns the subset as an :class:`AbnormalReturns` (see :meth:`subset`).

    Attributes
    ----------
    frame : DataFrame
        One row per event (see :func:`abnormal_returns`); ``attrs`` holds only plain data.
    paths : EventPaths
        Per-event, per-day matrices (abnormal returns, forecast-error terms) the tests use.
    windows : dict
        ``{"estimation": (a, b), "event": (c, d)}`` in trading days.
    exclusions : dict
        Events excluded, counted by reason.
    provenance : str
        The source line (or the SIMULATED DATA mark).

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=20, n_days=400, effect=0.05, seed=2)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
    >>> res.test(level=0.9)["test"].iloc[0], res.windows["event"]
    ('t', (0, 0))
    >>> sorted(res.tidy().attrs)
    ['provenance', 'source']
    """

    frame: pd.DataFrame
    paths: EventPaths
    windows: dict
    exclusions: dict
    provenance: str

    def __getitem__(self, key):
        if isinstance(key, (pd.Series, np.ndarray)) and np.asarray(key).dtype == bool:
            return self.subset(key)
        return self.frame[key]

    def subset(self, rows) -> AbnormalReturns:
        """The events selected by a boolean mask (or a list of ``event_id``), keeping the paths.

        Parameters
        ----------
        rows : boolean Series or array, or list of event ids
            Which events to keep.

        Returns
        -------
        AbnormalReturns
            The same result restricted to those events (tests and paths recomputed on them).

        Examples
        --------
        >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=3)
        >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market)
        >>> len(res.subset(res["event_id"] < 5))
        5
        """
        arr = np.asarray(rows)
        if arr.dtype == bool:
            sub = self.frame[arr]
        else:
            sub = self.frame[self.frame["event_id"].isin(list(rows))]
        excl = {str(k): int(v) for k, v in sub.loc[sub["status"] != OK, "status"].value_counts().items()}
        return AbnormalReturns(frame=sub, paths=self.paths, windows=dict(self.windows), exclusions=excl,
                               provenance=self.provenance)

    def assign(self, **columns) -> AbnormalReturns:
        """Add columns to the table (e.g. a grouping for ``test(by=...)``), keeping the paths.

        Parameters
        ----------
        **columns
            As in :meth:`pandas.DataFrame.assign`.

        Returns
        -------
        AbnormalReturns
            A new result whose table has the extra columns.

        Examples
        --------
        >>> sim = simulate_event_data(n_firms=4, n_days=350, seed=3)
        >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market).assign(g=["a", "b"] * 2)
        >>> res.test(tests=["t"], by="g")["g"].tolist()
        ['a', 'b']
        """
        return replace(self, frame=self.frame.assign(**columns))

    def test(self, *, level: float = 0.95, **kwargs) -> pd.DataFrame:
        """Test the mean CAR (see :func:`test_car`).

        Parameters
        ----------
        level : float
            Confidence level of the intervals.
        **kwargs
            ``tests``, ``window``, ``by`` as in :func:`test_car`.

        Returns
        -------
        DataFrame
            The test table of :func:`test_car`.

        Examples
        --------
        >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=3)
        >>> abnormal_returns(sim.returns, sim.events, market=sim.market).test(tests=["t"])["n"].iloc[0]
        np.int64(20)
        """
        return test_car(self, level=level, **kwargs)

    def car_path(self, **kwargs) -> pd.DataFrame:
        """Average CAR by event day (see :func:`car_path`).

        Parameters
        ----------
        **kwargs
            ``by``, ``level``, ``weights``, ``kp_adjust`` as in :func:`car_path`.

        Returns
        -------
        DataFrame
            ``event_time, estimate, se, ci_low, ci_high, n``.

        Examples
        --------
        >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=3)
        >>> abnormal_returns(sim.returns, sim.events, market=sim.market).car_path()["event_time"].tolist()
        [-1, 0, 1]
        """
        return car_path(self, **kwargs)

    def as_frame(self) -> pd.DataFrame:
        """The table with the paths in ``attrs["event_paths"]`` (the 0.1 representation, for internal use).

        Returns
        -------
        DataFrame
            A shallow copy of ``frame``; do not save it (``attrs`` holds an object).

        Examples
        --------
        >>> sim = simulate_event_data(n_firms=5, n_days=350, seed=3)
        >>> "event_paths" in abnormal_returns(sim.returns, sim.events, market=sim.market).as_frame().attrs
        True
        """
        out = self.frame.copy(deep=False)
        out.attrs = dict(self.frame.attrs)
        out.attrs["event_paths"] = self.paths
        return out


def _event_codes(raw: pd.Series) -> pd.Series:
    """Event codes as six digits where they are stock codes in a usual form; other values kept as written."""
    text = raw.astype("string")
    norm = securities.normalize_code(raw)
    return norm.where(norm.notna(), text).astype("string")


def _as_frame(result: pd.DataFrame | AbnormalReturns) -> pd.DataFrame:
    """The 0.1 frame (paths in ``attrs``) of a result object or of a frame."""
    return result.as_frame() if isinstance(result, AbnormalReturns) else result


def _to_result(out: pd.DataFrame) -> AbnormalReturns:
    """Wrap a frame whose ``attrs`` hold ``event_paths`` into an :class:`AbnormalReturns`."""
    attrs = dict(out.attrs)
    paths = attrs.pop("event_paths")
    frame = out.copy(deep=False)
    frame.attrs = attrs
    windows = attrs.get("windows", {"event": (int(paths.rel_days[0]), int(paths.rel_days[-1]))})
    return AbnormalReturns(frame=frame, paths=paths, windows=dict(windows),
                           exclusions=dict(attrs.get("exclusions", {})), provenance=source_of(frame))


def _paths_of(result: pd.DataFrame) -> EventPaths:
    if isinstance(result, AbnormalReturns):
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
        s0, s1 = (np.array([a + np.searchsorted(dv[a:z], lo_v, side="left") for a, z in zip(s0, s1)], dtype=np.int64),
                  np.array([a + np.searchsorted(dv[a:z], hi_v, side="right") for a, z in zip(s0, s1)], dtype=np.int64))
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


def _prepare_returns(returns: pd.DataFrame, cal: pd.DatetimeIndex, codes: pd.Index) -> tuple:
    """Return (R, G, n_off_calendar): return and gap matrices, codes x sessions."""
    missing = {"code", "date", "ret"} - set(returns.columns)
    if missing:
        raise EventStudyError(f"returns lacks columns {sorted(missing)} (need code, date, ret[, gap])")
    ci_all = _code_positions(returns["code"], codes)
    sel = ci_all >= 0
    every = bool(sel.all())
    keep = slice(None) if every else np.flatnonzero(sel)
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
    key = ci.astype(np.int64) * len(cal) + pos
    n_cells = len(codes) * len(cal)
    if len(key) and np.bincount(key, minlength=n_cells).max() > 1:
        counts = np.bincount(key, minlength=n_cells)
        i = int(np.flatnonzero(counts[key] > 1)[1])
        row = returns.index[np.arange(len(returns))[keep][i]]
        raise EventStudyError(f"returns has duplicated (code, date) rows, e.g. code {codes[ci[i]]} on "
                              f"{cal[pos[i]].date()} (row label {row}); deduplicate before the event study")
    R = np.full((len(codes), len(cal)), np.nan)
    R.ravel()[key] = ret
    G = np.zeros((len(codes), len(cal)), dtype=np.int16)
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
    return R, G, n_off


@dataclass
class SimulatedEvents:
    """Output of :func:`simulate_event_data`."""

    returns: pd.DataFrame
    market: pd.Series
    events: pd.DataFrame
    truth: dict


def simulate_event_data(n_firms: int = 200, n_days: int = 600, *, effect: float = 0.02, effect_days: int = 1,
                        n_event_dates: int = 1, beta_range: tuple[float, float] = (0.6, 1.4),
                        sigma: float = 0.02, common_shock: float = 0.0, suspend_share: float = 0.0,
                        seed: int = 0) -> SimulatedEvents:
    """Simulate daily returns from a market model with a planted abnormal return (SIMULATED DATA).

    Firms get ``alpha ~ N(0, 0.0005)``, ``beta ~ U(beta_range)``, idiosyncratic N(0, ``sigma``). Each firm has
    one event on one of ``n_event_dates`` dates (shared dates = clustering), placed after day 300; an abnormal
    return of ``effect / effect_days`` is added on days 0..effect_days-1. ``common_shock`` adds a cross-sectionally
    common N(0, common_shock) shock on each event-window day (clustering that the Kolari-Pynnönen adjustment is
    for). ``suspend_share`` of firms lose 3 sessions in the estimation window (trade-to-trade returns).

    Parameters
    ----------
    n_firms : int
        Number of firms (one event each).
    n_days : int
        Number of trading sessions.
    effect : float
        Planted abnormal return per event day.
    effect_days : int
        Number of days from day 0 that carry the effect.
    n_event_dates : int
        Number of distinct event dates (firms share dates: clustered events).
    beta_range : (float, float)
        Range of the firms' market betas.
    sigma : float
        Idiosyncratic daily volatility.
    common_shock : float
        Volatility of a shock common to firms on the same event date (cross-correlation).
    suspend_share : float
        Share of firm-days suspended (missing returns, multi-session returns after them).
    seed : int
        Random seed.

    Returns
    -------
    SimulatedEvents
        ``returns`` (long panel), ``events`` (``event_id, code, event_date``) and ``market``, all labelled as
        SIMULATED DATA.

    Examples
    --------
    >>> s = simulate_event_data(n_firms=5, n_days=350, seed=3)
    >>> sorted(s.returns.columns), len(s.events), s.returns["provenance"].iloc[0]
    (['code', 'date', 'gap', 'provenance', 'ret'], 5, 'simulated')
    """
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2020-01-02", periods=n_days)
    m = rng.normal(0.0004, 0.012, n_days)
    alpha = rng.normal(0.0, 0.0005, n_firms)
    beta = rng.uniform(*beta_range, n_firms)
    eps = rng.normal(0.0, sigma, (n_firms, n_days))
    R = alpha[:, None] + beta[:, None] * m[None, :] + eps
    lo = min(300, n_days - 40)
    ev_dates = np.sort(rng.choice(np.arange(lo, n_days - 30), size=n_event_dates, replace=False))
    ev_pos = rng.choice(ev_dates, size=n_firms)
    shock = rng.normal(0.0, common_shock, (n_days,)) if common_shock > 0 else np.zeros(n_days)
    for j in range(effect_days):
        R[np.arange(n_firms), ev_pos + j] += effect / effect_days
    for dpos in ev_dates:
        for j in range(-1, 2):
            hit = ev_pos == dpos
            R[hit, dpos + j] += shock[dpos + j]
    gap = np.ones((n_firms, n_days), dtype=np.int32)
    keep = np.ones((n_firms, n_days), dtype=bool)
    n_susp = int(round(suspend_share * n_firms))
    for i in rng.choice(n_firms, size=n_susp, replace=False):
        s0 = int(rng.integers(60, max(61, lo - 60)))
        keep[i, s0:s0 + 3] = False
        # the resumption return compounds the suspended sessions
        R[i, s0 + 3] = np.prod(1 + R[i, s0:s0 + 4]) - 1
        gap[i, s0 + 3] = 4
    codes = [f"{i:06d}" for i in range(n_firms)]
    ii, tt = np.nonzero(keep)
    returns = pd.DataFrame({"code": np.array(codes)[ii], "date": dates[tt], "ret": R[ii, tt],
                            "gap": gap[ii, tt]})
    returns.loc[tt == 0, "ret"] = np.nan
    returns.loc[tt == 0, "gap"] = 0
    market = pd.Series(m, index=dates, name="market")
    market.iloc[0] = np.nan
    events = pd.DataFrame({"code": codes, "event_date": dates[ev_pos]})
    returns = mark_simulated(returns, "lgresearch.events.simulate_event_data")
    events = mark_simulated(events, "lgresearch.events.simulate_event_data")
    market.attrs["provenance"] = "simulated"
    return SimulatedEvents(returns, market, events,
                           {"effect": effect, "alpha": alpha, "beta": beta, "event_pos": ev_pos})


# ---------------------------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------------------------


def _solve_sym(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve batched p x p symmetric systems (p = 1 or 2) in closed form; returns (x, A_inv), NaN if singular."""
    p = A.shape[-1]
    if p == 0:
        return np.zeros(b.shape), np.zeros(A.shape)
    if p == 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = np.where(A > 0, 1.0 / A, np.nan)
        return inv[:, :, 0] * b, inv
    a11, a12, a22 = A[:, 0, 0], A[:, 0, 1], A[:, 1, 1]
    det = a11 * a22 - a12 * a12
    with np.errstate(divide="ignore", invalid="ignore"):
        bad = ~(np.abs(det) > 1e-300)
        inv = np.empty_like(A)
        inv[:, 0, 0] = a22 / det
        inv[:, 1, 1] = a11 / det
        inv[:, 0, 1] = inv[:, 1, 0] = -a12 / det
    inv[bad] = np.nan
    x = np.einsum("eij,ej->ei", inv, b)
    return x, inv


@renamed_kwargs(id_col="event_id_col", market_column="market_col")
def abnormal_returns(
    returns: pd.DataFrame,
    events: pd.DataFrame,
    *,
    market: pd.Series | pd.DataFrame,
    model: str = "market",
    estimation_window: tuple[int, int] = (-250, -30),
    event_window: tuple[int, int] = (-1, 1),
    min_estimation_obs: int | None = None,
    thin_trading: str = "trade_to_trade",
    market_col: str = "market",
    code_col: str = "code",
    date_col: str = "event_date",
    event_id_col: str = "event_id",
) -> AbnormalReturns:
    """Abnormal returns for many events at once: one row per event with ``car``, ``bhar`` and identifiers.

    Parameters
    ----------
    returns : DataFrame
        Long panel with ``code, date, ret`` and optionally ``gap`` (sessions the return spans; inferred from the
        calendar when absent: a return after missing sessions spans them). Duplicate (code, date) rows raise.
        Rows on dates that are not in the market calendar are ignored and counted
        (``attrs["returns_off_calendar"]``).
    events : DataFrame
        One row per event with ``code`` and ``event_date`` (see ``code_col``/``date_col``); other columns are
        carried to the output. ``event_id`` (unique) is kept when present, else events are numbered.
    market : Series or DataFrame
        Market returns indexed by date. Its dates are the trading calendar (day offsets count them). A DataFrame
        with several columns gives several markets: ``events[market_column]`` names each event's column.
    model : {"market", "market_adjusted", "mean"}
        Market model (OLS/WLS of the return on the market), market-adjusted (``R - R_m``) or constant mean.
    estimation_window, event_window : (int, int)
        Inclusive windows in trading days relative to the event session (day 0).
    min_estimation_obs : int, optional
        Minimum usable returns in the estimation window (default: half its length). Events below it are
        excluded with the reason recorded.
    thin_trading : {"trade_to_trade", "drop"}
        How multi-session returns (after suspensions) enter: see the module docstring.
    market_col, code_col, date_col, event_id_col : str
        Column names in ``events``. Codes may be written in the usual forms (``000586``, ``000586.SZ``,
        ``sz000586``, ``586``): they are normalised to six digits (:func:`lgresearch.securities.normalize_code`);
        a value that is not a stock code is kept as written.

    Returns
    -------
    AbnormalReturns
        ``.frame`` (also read directly: ``res["car"]``) has ``event_id, code, event_date, event_session,
        rolled`` plus the carried event columns and ``market, model, status`` (``"ok"`` or the exclusion reason),
        ``n_est, alpha, beta, sigma, df, n_event_obs, car, car_se, scar, bhar``. ``.exclusions`` counts
        exclusions by reason (also ``frame.attrs["exclusions"]``), ``frame.attrs["rolled"]`` the events moved to
        the next session; ``.paths`` holds the per-day matrices that :func:`test_car`, :func:`car_path` and
        :func:`ar_long` use; ``.tidy()`` is the plain table to save.

    Raises
    ------
    EventStudyError
        Unknown model, bad windows, missing columns, duplicate (code, date) returns or event ids.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=30, n_days=400, effect=0.05, seed=2)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
    >>> bool(res["status"].eq("ok").all()), bool(res["car"].mean() > 0.03)
    (True, True)
    """
    market_column, id_col = market_col, event_id_col  # column names
    if model not in MODELS:
        raise EventStudyError(f"model must be one of {MODELS}, got {model!r}")
    if thin_trading not in ("trade_to_trade", "drop"):
        raise EventStudyError("thin_trading must be 'trade_to_trade' or 'drop'")
    a, b = map(int, estimation_window)
    c, d = map(int, event_window)
    if a > b or c > d:
        raise EventStudyError(f"windows must be (start, end) with start <= end: {estimation_window}, {event_window}")
    if b >= c:
        raise EventStudyError(f"the estimation window {estimation_window} must end before the event window "
                              f"{event_window} starts")
    La, Le = b - a + 1, d - c + 1
    min_obs = int(min_estimation_obs) if min_estimation_obs is not None else max(La // 2, 3)
    n_par = {"market": 2, "mean": 1, "market_adjusted": 0}[model]
    if min_obs < n_par + 3:
        raise EventStudyError(f"min_estimation_obs must be at least {n_par + 3} for the {model} model")
    for col in (code_col, date_col):
        if col not in events.columns:
            raise EventStudyError(f"events lacks column {col!r}")

    mkt = _market_frame(market)
    cal = pd.DatetimeIndex(mkt.index)
    T = len(cal)
    ev = events.reset_index(drop=True).copy()
    E = len(ev)
    if id_col in ev.columns:
        if ev[id_col].duplicated().any():
            raise EventStudyError(f"events has duplicated {id_col!r} values, e.g. "
                                  f"{ev.loc[ev[id_col].duplicated(), id_col].iloc[0]!r}")
        eid = ev[id_col].to_numpy()
    else:
        eid = np.arange(E)
    status = np.full(E, OK, dtype=object)

    # market column per event
    if mkt.shape[1] == 1:
        mcol = np.zeros(E, dtype=np.int64)
        mname = np.full(E, mkt.columns[0], dtype=object)
    else:
        if market_column not in ev.columns:
            raise EventStudyError(f"market has {mkt.shape[1]} columns; events needs a {market_column!r} column "
                                  f"naming one of {list(mkt.columns)}")
        mname = ev[market_column].astype(str).to_numpy()
        mcol = pd.Index(mkt.columns).get_indexer(mname)
        status[mcol < 0] = "unknown market column"
        mcol = np.maximum(mcol, 0)

    # event sessions (roll forward to the next session)
    codes_ev = _event_codes(ev[code_col])
    dates_ev = _naive_dates(ev[date_col], f"events column {date_col!r}")
    miss = (codes_ev.isna() | dates_ev.isna()).to_numpy()
    status[miss & (status == OK)] = "missing code or event date"
    dnum = pd.DatetimeIndex(dates_ev.fillna(cal[0] if T else pd.Timestamp("2000-01-01"))).astype("datetime64[ns]")
    p = np.searchsorted(cal.to_numpy(), dnum.to_numpy(), side="left")
    after = p >= T
    status[after & (status == OK)] = "event date after the last session of the market data"
    p = np.minimum(p, max(T - 1, 0))
    before = (dnum.to_numpy() < cal.to_numpy()[0]) if T else np.ones(E, dtype=bool)
    status[before & (status == OK)] = "event date before the first session of the market data"
    session = cal.to_numpy()[p] if T else np.full(E, np.datetime64("NaT"))
    rolled = np.where(miss | after | before, False, session != dnum.to_numpy())
    status[(p + a < 0) & (status == OK)] = "estimation window starts before the first session"
    status[(p + d >= T) & (status == OK)] = "event window ends after the last session"

    # returns matrix for the event codes (rows outside the sessions the windows can reach are cut first)
    code_index = pd.Index(pd.unique(codes_ev.dropna().astype(str)))
    R, G, n_off = _prepare_returns(_date_slice(returns, cal, p[status == OK], a, d, code_index), cal,
                                    code_index)
    has_ret = np.isfinite(R).any(axis=1)
    ci = code_index.get_indexer(codes_ev.fillna("").astype(str).to_numpy())
    unknown = (ci < 0) | ~has_ret[np.maximum(ci, 0)]
    status[unknown & (status == OK)] = "no returns for the code around the event"
    ci = np.maximum(ci, 0)

    # market: compounded over gaps via cumulative log sums
    M = mkt.to_numpy(dtype=float)
    lm = np.log1p(np.where(np.isfinite(M), M, 0.0))
    CL = np.vstack([np.zeros((1, M.shape[1])), np.cumsum(lm, axis=0)])
    CN = np.vstack([np.zeros((1, M.shape[1]), dtype=np.int64), np.cumsum(~np.isfinite(M), axis=0)])

    def gather(offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        P = np.clip(p[:, None] + offsets[None, :], 0, max(T - 1, 0))
        r = R[ci[:, None], P]
        k = G[ci[:, None], P]
        kk = np.maximum(k, 1)
        m1 = M[P, mcol[:, None]]
        if (kk > 1).any():
            kk = kk.astype(np.int64)
            lo_ = np.clip(P + 1 - kk, 0, T)
            mk = np.expm1(CL[P + 1, mcol[:, None]] - CL[lo_, mcol[:, None]])
            nan_span = (CN[P + 1, mcol[:, None]] - CN[lo_, mcol[:, None]]) > 0
            mk = np.where(kk == 1, m1, np.where(nan_span | (P + 1 - kk < 0), np.nan, mk))
        else:
            mk = m1
        valid = np.isfinite(r) & np.isfinite(mk) & (k >= 1)
        if thin_trading == "drop":
            valid &= k == 1
        return r, kk.astype(float), mk, valid

    est_off = np.arange(a, b + 1)
    ev_off = np.arange(c, d + 1)
    r_es, k_es, m_es, v_es = gather(est_off)
    r_ev, k_ev, m_ev, v_ev = gather(ev_off)
    okrow = status == OK
    v_es &= okrow[:, None]
    v_ev &= okrow[:, None]
    n_est = v_es.sum(axis=1)
    few = okrow & (n_est < min_obs)
    status[few] = f"too few estimation returns (< {min_obs})"
    okrow = status == OK
    v_es &= okrow[:, None]
    v_ev &= okrow[:, None]

    # design: z = (k, M_k) market; (k) mean; none for market-adjusted; weights 1/k
    w = np.where(v_es, 1.0 / k_es, 0.0)
    r0 = np.where(v_es, r_es, 0.0)
    m0 = np.where(v_es, m_es, 0.0)
    k0 = np.where(v_es, k_es, 0.0)
    if model == "market":
        Z_es = np.stack([k0, m0], axis=-1)
        Z_ev = np.stack([k_ev, m_ev], axis=-1)
    elif model == "mean":
        Z_es = k0[..., None]
        Z_ev = k_ev[..., None]
    else:
        Z_es = np.zeros(k0.shape + (0,))
        Z_ev = np.zeros(k_ev.shape + (0,))
    y = r0 if model != "market_adjusted" else r0 - m0
    wZ = w[..., None] * Z_es
    A = np.matmul(wZ.transpose(0, 2, 1), Z_es)
    bvec = np.matmul(wZ.transpose(0, 2, 1), y[..., None])[..., 0]
    theta, Ainv = _solve_sym(A, bvec)
    fit_es = np.matmul(Z_es, theta[..., None])[..., 0]
    resid = np.where(v_es, y - fit_es, np.nan)
    if model == "market_adjusted":
        # variance of the market-adjusted return around its (per-session) mean in the estimation window
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.nansum(np.where(v_es, resid, 0.0), axis=1) / np.where(okrow, k0.sum(axis=1), np.nan)
        centred = resid - mu[:, None] * k_es
        df = n_est - 1
        ssr = np.nansum(np.where(v_es, centred ** 2 / k_es, 0.0), axis=1)
    else:
        df = n_est - n_par
        ssr = np.nansum(np.where(v_es, resid ** 2 / k_es, 0.0), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.where(okrow & (df > 0), ssr / df, np.nan)
    sing = okrow & ~np.isfinite(s2 if n_par == 0 else Ainv.reshape(E, -1).sum(axis=1))
    status[sing] = "singular estimation (no market variation)"
    okrow = status == OK
    v_ev &= okrow[:, None]

    # event window
    er = np.matmul(Z_ev, theta[..., None])[..., 0]
    if model == "market_adjusted":
        er = m_ev
    ar = np.where(v_ev, r_ev - er, np.nan)
    n_ev = v_ev.sum(axis=1)
    none_ev = okrow & (n_ev == 0)
    status[none_ev] = "no return in the event window"
    okrow = status == OK
    v_ev &= okrow[:, None]
    ar = np.where(v_ev, ar, np.nan)
    car = np.where(okrow, np.nansum(ar, axis=1), np.nan)
    ksum = np.where(v_ev, k_ev, 0.0).sum(axis=1)
    zsum = np.einsum("et,eti->ei", v_ev.astype(float), np.where(v_ev[..., None], Z_ev, 0.0))
    var_car = s2 * (ksum + np.einsum("ei,eij,ej->e", zsum, Ainv, zsum))
    with np.errstate(invalid="ignore", divide="ignore"):
        car_se = np.where(okrow, np.sqrt(var_car), np.nan)
        scar = car / car_se
        gross = np.where(v_ev, 1.0 + r_ev, 1.0).prod(axis=1) - np.where(v_ev, 1.0 + er, 1.0).prod(axis=1)
    bhar = np.where(okrow, gross, np.nan)

    # standardised ARs for ranks and residual correlations
    with np.errstate(invalid="ignore", divide="ignore"):
        sar_es = resid / np.sqrt(s2[:, None] * k_es)
        var_t = s2[:, None] * (k_ev + np.einsum("eti,eij,etj->et", Z_ev, Ainv, Z_ev))
        sar_ev = ar / np.sqrt(var_t)
    sar_ev = np.where(okrow[:, None], sar_ev, np.nan)

    alpha_ = theta[:, 0] if n_par >= 1 else np.full(E, np.nan)
    beta_ = theta[:, 1] if n_par == 2 else (np.zeros(E) if model == "market_adjusted" else np.full(E, np.nan))
    if model == "market_adjusted":
        alpha_ = np.zeros(E)
        beta_ = np.ones(E)
    out = pd.DataFrame({"event_id": eid})
    out["code"] = codes_ev.to_numpy()
    out["event_date"] = dates_ev.to_numpy()
    out["event_session"] = pd.to_datetime(np.where(miss | after | before, np.datetime64("NaT"), session))
    out["rolled"] = rolled
    carry = [col for col in ev.columns if col not in (id_col, code_col, date_col)]
    for col in carry:
        out[col] = ev[col].to_numpy()
    out["market"] = mname
    out["model"] = model
    out["status"] = status.astype(str)
    ok = out["status"] == OK
    out["n_est"] = np.where(ok, n_est, 0)
    out["alpha"] = np.where(ok, alpha_, np.nan)
    out["beta"] = np.where(ok, beta_, np.nan)
    out["sigma"] = np.where(ok, np.sqrt(s2), np.nan)
    out["df"] = np.where(ok, df, 0)
    out["n_event_obs"] = np.where(ok, n_ev, 0)
    out["car"] = np.where(ok, car, np.nan)
    out["car_se"] = np.where(ok, car_se, np.nan)
    out["scar"] = np.where(ok, scar, np.nan)
    out["bhar"] = np.where(ok, bhar, np.nan)
    if is_simulated(events) or is_simulated(returns):
        out = mark_simulated(out, "lgresearch.events on simulated returns")
    else:
        mark_real(out, f"abnormal returns ({model} model) from {source_of(returns, 'returns')}; market: "
                       f"{source_of(mkt, 'market series') if mkt.attrs else 'market series'}")
    excl = out.loc[~ok, "status"].value_counts()
    out.attrs["exclusions"] = {str(k): int(v) for k, v in excl.items()}
    out.attrs["rolled"] = int(rolled.sum())
    out.attrs["returns_off_calendar"] = n_off
    out.attrs["windows"] = {"estimation": (a, b), "event": (c, d)}
    out.attrs["event_paths"] = EventPaths(
        event_ids=np.asarray(eid, dtype=object), rel_days=ev_off, est_days=est_off, ar=ar,
        ret=np.where(v_ev, r_ev, np.nan), er=np.where(v_ev, er, np.nan), k=np.where(v_ev, k_ev, 0.0),
        Z=np.where(v_ev[..., None], Z_ev, 0.0), Ainv=Ainv, s2=s2, df=df.astype(float), sar_est=sar_es,
        sar_ev=sar_ev, n_est_days=La, est_start=p + a, ev_pos=p, ok=okrow.copy(), model=model)
    return _to_result(out)


# ---------------------------------------------------------------------------------------------------------------
# Window statistics recomputed from the paths
# ---------------------------------------------------------------------------------------------------------------


def window_stats(result: pd.DataFrame, window: tuple[int, int] | None = None) -> pd.DataFrame:
    """CAR, its forecast-error standard error, SCAR and BHAR of each ``ok`` event over a sub-window.

    Parameters
    ----------
    result : AbnormalReturns or DataFrame
        Output of :func:`abnormal_returns` (or a subset of it, or of :func:`matched_difference` /
        :func:`combine_results`).
    window : (int, int), optional
        Sub-window of the stored event window (default: all of it).

    Returns
    -------
    DataFrame
        One row per ``ok`` event: ``event_id, car, car_se, scar, bhar, df, n_obs`` (index of the result's rows).

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=10, n_days=400, seed=4)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(-2, 2))
    >>> ws = window_stats(res, (-2, 2))
    >>> bool(np.allclose(ws["car"], res["car"]))
    True
    """
    result = _as_frame(result)
    P = _paths_of(result)
    sub = result[result["status"] == OK]
    rows = P.rows(sub["event_id"])
    wm = P.window_mask(window)
    ar = P.ar[rows][:, wm]
    v = np.isfinite(ar)
    car = np.where(v, ar, 0.0).sum(axis=1)
    ksum = P.k[rows][:, wm].sum(axis=1)
    zsum = P.Z[rows][:, wm].sum(axis=1)
    Ainv = P.Ainv[rows]
    var = P.s2[rows] * (ksum + np.einsum("ei,eij,ej->e", zsum, Ainv, zsum))
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(var)
        scar = np.where(v.any(axis=1), car / se, np.nan)
    ret, er = P.ret[rows][:, wm], P.er[rows][:, wm]
    bhar = np.where(v, 1.0 + ret, 1.0).prod(axis=1) - np.where(v, 1.0 + er, 1.0).prod(axis=1)
    car = np.where(v.any(axis=1), car, np.nan)
    bhar = np.where(v.any(axis=1), bhar, np.nan)
    return pd.DataFrame({"event_id": sub["event_id"].to_numpy(), "car": car, "car_se": se, "scar": scar,
                         "bhar": bhar, "df": P.df[rows], "n_obs": v.sum(axis=1)}, index=sub.index)


@dataclass(frozen=True)
class KPCorrelation:
    """Result of :func:`kp_mean_correlation`: the average residual cross-correlation and the pairs behind it.

    Unpacks like the 0.1 tuple: ``r_bar, n_pairs = kp_mean_correlation(res)``.

    Examples
    --------
    >>> r_bar, n = KPCorrelation(0.1, 4)
    >>> KPCorrelation(0.1, 4).tidy()["n_pairs"].tolist()
    [4]
    """

    r_bar: float
    n_pairs: int

    def __iter__(self):
        return iter((self.r_bar, self.n_pairs))

    def tidy(self) -> pd.DataFrame:
        """One-row plain frame ``r_bar, n_pairs``.

        Returns
        -------
        DataFrame
            Saves to parquet, csv and Stata.

        Examples
        --------
        >>> KPCorrelation(0.0, 0).tidy().shape
        (1, 2)
        """
        return pd.DataFrame({"r_bar": [float(self.r_bar)], "n_pairs": [int(self.n_pairs)]})


def kp_mean_correlation(result: pd.DataFrame | AbnormalReturns, window: tuple[int, int] | None = None,
                        min_overlap: int = KP_MIN_OVERLAP) -> KPCorrelation:
    """Average cross-correlation r-bar of the events' estimation-window residuals (Kolari and Pynnönen 2010).

    Residuals (standardised) are aligned on calendar sessions; each pair's correlation uses their common
    estimation days (pairs with fewer than ``min_overlap`` count as zero) and is weighted by the share of the
    tested event window the two events have in common in calendar time (1 for events on the same date, 0 for
    windows that do not overlap). r-bar is the average over all ordered pairs i != j. Computed per block of events
    with overlapping windows (a loop over event dates, not events).

    Parameters
    ----------
    result : AbnormalReturns or DataFrame
        Output of :func:`abnormal_returns` (or a subset of it).
    window : (int, int), optional
        Sub-window of the event window the overlap weights refer to (default: the whole event window).
    min_overlap : int
        Minimum common estimation days for a pair's correlation to count.

    Returns
    -------
    KPCorrelation
        ``r_bar`` and ``n_pairs`` (pairs used); unpacks as ``(r_bar, n_pairs)``.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=30, n_days=400, n_event_dates=1, common_shock=0.0, seed=5)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market)
    >>> kp = kp_mean_correlation(res)
    >>> bool(abs(kp.r_bar) < 0.05), kp.n_pairs
    (True, 870)
    """
    result = _as_frame(result)
    P = _paths_of(result)
    sub = result[result["status"] == OK]
    rows = P.rows(sub["event_id"])
    N = len(rows)
    if N < 2:
        return KPCorrelation(float("nan"), 0)
    wm = P.window_mask(window)
    wd = P.rel_days[wm]
    L = len(wd)
    # r-bar depends on the events and the window's length only (overlaps are shift-invariant; with one event
    # date every pair overlaps fully whatever the length): reuse it
    cache = P.__dict__.setdefault("_kp_cache", {})
    one_date = bool(np.all(P.ev_pos[rows] == P.ev_pos[rows][0]))
    key = (rows.tobytes(), None if one_date else L, int(min_overlap))
    if key not in cache:
        cache[key] = _kp_mean_correlation_rows(P, rows, wd, min_overlap)
    return cache[key]


def _kp_mean_correlation_rows(P: EventPaths, rows: np.ndarray, wd: np.ndarray, min_overlap: int
                              ) -> tuple[float, int]:
    """:func:`kp_mean_correlation` for the given path rows and window days (uncached)."""
    N = len(rows)
    L = len(wd)
    pos = P.ev_pos[rows]
    w_lo = pos + wd[0]
    X = P.sar_est[rows]
    start = P.est_start[rows]
    La = P.n_est_days
    order = np.argsort(pos, kind="stable")
    pos_o = pos[order]
    uniq = np.unique(pos_o)
    total = 0.0
    n_used = 0
    for u in uniq:
        gi = order[pos_o == u]
        lo_i = np.searchsorted(pos_o, u - L + 1, side="left")
        hi_i = np.searchsorted(pos_o, u + L - 1, side="right")
        nj = order[lo_i:hi_i]
        # align residuals of group and neighbours on a common calendar span
        s0 = min(start[gi].min(), start[nj].min())
        s1 = max(start[gi].max(), start[nj].max()) + La
        span = s1 - s0

        def aligned(idx):
            Y = np.full((len(idx), span), np.nan)
            cols = (start[idx] - s0)[:, None] + np.arange(La)[None, :]
            Y[np.arange(len(idx))[:, None], cols] = X[idx]
            return Y

        Yi, Yj = aligned(gi), aligned(nj)
        Mi, Mj = np.isfinite(Yi).astype(float), np.isfinite(Yj).astype(float)
        Yi0, Yj0 = np.nan_to_num(Yi), np.nan_to_num(Yj)
        n = Mi @ Mj.T
        sx = Yi0 @ Mj.T
        sxx = (Yi0 ** 2) @ Mj.T
        if len(gi) == len(nj) and np.array_equal(gi, nj):  # one date: the pair sums are symmetric
            sy, syy = sx.T, sxx.T
        else:
            sy = Mi @ Yj0.T
            syy = Mi @ (Yj0 ** 2).T
        sxy = Yi0 @ Yj0.T
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = sxy - sx * sy / n
            vx = sxx - sx ** 2 / n
            vy = syy - sy ** 2 / n
            r = cov / np.sqrt(vx * vy)
        r = np.where((n >= min_overlap) & np.isfinite(r), r, 0.0)
        ov = np.maximum(0, np.minimum(w_lo[gi][:, None], w_lo[nj][None, :]) + L
                        - np.maximum(w_lo[gi][:, None], w_lo[nj][None, :])) / L
        same = gi[:, None] == nj[None, :]
        contrib = np.where(same, 0.0, r * ov)
        total += contrib.sum()
        n_used += int(((n >= min_overlap) & ~same & (ov > 0)).sum())
    return KPCorrelation(float(total / (N * (N - 1))), n_used)


# ---------------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------------


def _rank_u(P: EventPaths, rows: np.ndarray) -> np.ndarray:
    """Corrado ranks: rank / (n + 1) - 0.5 of each event's standardised ARs over estimation + event days."""
    allsar = np.concatenate([P.sar_est[rows], P.sar_ev[rows]], axis=1)
    ranks = stats.rankdata(allsar, axis=1, nan_policy="omit")
    n_valid = np.isfinite(allsar).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ranks / (n_valid[:, None] + 1.0) - 0.5


def _t_row(x: np.ndarray, level: float) -> tuple[float, float, float, float, float]:
    x = x[np.isfinite(x)]
    n = len(x)
    if n < 2:
        return (float(np.mean(x)) if n else np.nan), np.nan, np.nan, np.nan, np.nan
    m, sd = float(np.mean(x)), float(np.std(x, ddof=1))
    se = sd / np.sqrt(n)
    t = m / se if se > 0 else np.nan
    p = 2 * stats.t.sf(abs(t), n - 1) if np.isfinite(t) else np.nan
    q = stats.t.ppf(0.5 + level / 2, n - 1)
    return m, t, p, m - q * se, m + q * se


def _cowan_share(sar_est: np.ndarray) -> float:
    """Cowan (1992) expected share of positive abnormal returns: the average over events of each event's share
    of positive estimation-window residuals (not pooled over all residuals, which over-weights long windows)."""
    fin = np.isfinite(sar_est)
    n_i = fin.sum(axis=1)
    good = n_i > 0
    if not good.any():
        return float("nan")
    share = (np.where(fin, sar_est, 0.0) > 0).sum(axis=1)[good] / n_i[good]
    return float(share.mean())


def _grank(sar_est: np.ndarray, scar: np.ndarray) -> tuple[float, int, float]:
    """GRANK-T of Kolari and Pynnönen (2011) for a cumulative window; returns (t_grank, df, U-bar_0).

    The event window collapses to one observation per event, the re-standardised CAR ``SCAR_i / sd(SCAR)``
    (robust to event-induced variance); with the estimation-window standardised residuals it is ranked within
    the event (``U_it = rank / (T_i + 1) - 1/2``, ``T_i`` non-missing observations). ``Z = U-bar_0 / S_U`` with
    ``S_U^2 = (1/T) sum_t (n_t / n) U-bar_t^2`` over the ``T = L1 + 1`` days (cross-sectional averages of the
    ranks, so cross-correlation of events on one date enters ``S_U``), and ``t = Z sqrt((T - 2) / (T - 1 - Z^2))``
    on ``T - 2`` df.
    """
    good = np.isfinite(scar)
    if good.sum() < 2 or sar_est.shape[1] < 2:
        return float("nan"), 0, float("nan")
    s = scar[good]
    sd = s.std(ddof=1)
    if not sd > 0:
        return float("nan"), 0, float("nan")
    gsar = np.concatenate([sar_est[good], (s / sd)[:, None]], axis=1)
    fin = np.isfinite(gsar)
    ranks = stats.rankdata(np.where(fin, gsar, np.nan), axis=1, nan_policy="omit")
    t_i = fin.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        U = np.where(fin, ranks / (t_i[:, None] + 1.0) - 0.5, np.nan)
    n = U.shape[0]
    n_t = fin.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ubar = np.where(n_t > 0, np.where(fin, U, 0.0).sum(axis=0) / np.maximum(n_t, 1), 0.0)
    T = U.shape[1]
    su = np.sqrt(np.sum((n_t / n) * ubar ** 2) / T)
    if not su > 0:
        return float("nan"), 0, float("nan")
    u0 = float(ubar[-1])
    z = u0 / su
    denom = T - 1 - z ** 2
    tg = z * np.sqrt((T - 2) / denom) if denom > 0 else np.sign(z) * np.inf
    return float(tg), int(T - 2), u0


def t_interval(values: Iterable[float], *, level: float = 0.95) -> dict[str, float]:
    """Mean of a sample with its t-test against zero and t interval (missing values dropped).

    Parameters
    ----------
    values : iterable of float
        The sample (missing values dropped).
    level : float
        Confidence level of the interval.

    Returns
    -------
    dict ``n, estimate, statistic, p_value, ci_low, ci_high`` (NaN where fewer than two values).

    Examples
    --------
    >>> out = t_interval([0.01, 0.03, 0.02])
    >>> out["n"], round(out["estimate"], 4), round(out["ci_high"], 4)
    (3, 0.02, 0.0448)
    """
    x = np.asarray(list(values), dtype=float)
    x = x[np.isfinite(x)]
    m, t, p, lo, hi = _t_row(x, level)
    return {"n": int(len(x)), "estimate": float(m), "statistic": float(t), "p_value": float(p),
            "ci_low": float(lo), "ci_high": float(hi)}


def _tests_one(result: pd.DataFrame, tests: Sequence[str], window, level: float) -> list[dict]:
    P = _paths_of(result)
    ws = window_stats(result, window)
    ws = ws[np.isfinite(ws["car"])]
    car, scar, bhar, dfv = ws["car"].to_numpy(), ws["scar"].to_numpy(), ws["bhar"].to_numpy(), ws["df"].to_numpy()
    N = len(ws)
    out = []
    z = stats.norm.ppf(0.5 + level / 2)
    mean_car = float(np.mean(car)) if N else np.nan
    for name in tests:
        row = {"test": name, "label": TEST_LABELS[name], "n": N, "estimate": mean_car, "statistic": np.nan,
               "p_value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "note": ""}
        if N == 0:
            row["note"] = "no usable events"
            out.append(row)
            continue
        if name == "t":
            m, t, p, lo, hi = _t_row(car, level)
            row.update(statistic=t, p_value=p, ci_low=lo, ci_high=hi)
        elif name == "t_bhar":
            m, t, p, lo, hi = _t_row(bhar, level)
            row.update(estimate=m, statistic=t, p_value=p, ci_low=lo, ci_high=hi)
        elif name == "patell":
            good = np.isfinite(scar) & (dfv > 2)
            if good.sum() == 0:
                row["note"] = "needs estimation df > 2"
            else:
                zs = scar[good].sum() / np.sqrt((dfv[good] / (dfv[good] - 2)).sum())
                row.update(statistic=zs, p_value=2 * stats.norm.sf(abs(zs)), n=int(good.sum()))
        elif name in ("bmp", "kolari_pynnonen"):
            s = scar[np.isfinite(scar)]
            if len(s) < 2:
                row["note"] = "needs >= 2 standardised CARs"
                out.append(row)
                continue
            tb = s.mean() / (s.std(ddof=1) / np.sqrt(len(s)))
            # CI for the mean CAR implied by the BMP scaling: se = mean CAR / t
            se_car = abs(mean_car / tb) if tb != 0 else np.nan
            q = stats.t.ppf(0.5 + level / 2, len(s) - 1)
            if name == "bmp":
                row.update(statistic=tb, p_value=2 * stats.t.sf(abs(tb), len(s) - 1),
                           ci_low=mean_car - q * se_car, ci_high=mean_car + q * se_car, n=len(s))
            else:
                rbar, npairs = kp_mean_correlation(result, window)
                factor = np.sqrt((1 - rbar) / (1 + (len(s) - 1) * rbar)) if (1 + (len(s) - 1) * rbar) > 0 else np.nan
                tk = tb * factor
                se_k = se_car / factor if factor and np.isfinite(factor) else np.nan
                row.update(statistic=tk, p_value=2 * stats.t.sf(abs(tk), len(s) - 1),
                           ci_low=mean_car - q * se_k, ci_high=mean_car + q * se_k, n=len(s),
                           note=f"r-bar = {rbar:.4f} from {npairs} pairs")
        elif name == "corrado":
            rows = P.rows(ws["event_id"])
            U = _rank_u(P, rows)
            wm = P.window_mask(window)
            ev_cols = P.n_est_days + np.flatnonzero(wm)
            fin = np.isfinite(U)
            cnt = fin.sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                kbar = np.where(cnt > 0, np.where(fin, U, 0.0).sum(axis=0) / cnt, np.nan)
            kbar_valid = kbar[np.isfinite(kbar)]
            sk = np.sqrt(np.mean(kbar_valid ** 2)) if len(kbar_valid) else np.nan
            kw = kbar[ev_cols]
            kw = kw[np.isfinite(kw)]
            if len(kw) == 0 or not sk > 0:
                row["note"] = "no ranks"
            else:
                tc = np.sqrt(len(kw)) * kw.mean() / sk
                row.update(statistic=tc, p_value=2 * stats.norm.sf(abs(tc)), estimate=float(kw.mean()),
                           note="estimate = mean (rank/(n+1) - 0.5) over the window")
        elif name == "sign":
            pos = int((car > 0).sum())
            bt = stats.binomtest(pos, N, 0.5)
            row.update(estimate=pos / N, statistic=(pos - 0.5 * N) / np.sqrt(0.25 * N), p_value=bt.pvalue,
                       note="estimate = share of CARs > 0")
            ci = bt.proportion_ci(confidence_level=level)
            row.update(ci_low=ci.low, ci_high=ci.high)
        elif name == "generalized_sign":
            rows = P.rows(ws["event_id"])
            phat = _cowan_share(P.sar_est[rows])
            pos = int((car > 0).sum())
            zg = (pos - N * phat) / np.sqrt(N * phat * (1 - phat)) if 0 < phat < 1 else np.nan
            pz = 2 * stats.norm.sf(abs(zg)) if np.isfinite(zg) else np.nan
            row.update(estimate=pos / N, statistic=zg, p_value=pz,
                       note=f"expected share = mean of each event's estimation-window share of positive "
                            f"residuals = {phat:.3f}")
        elif name == "grank":
            rows = P.rows(ws["event_id"])
            tg, df_g, u0 = _grank(P.sar_est[rows], scar)
            if not np.isfinite(tg):
                row["note"] = "needs >= 2 standardised CARs and estimation residuals"
            else:
                row.update(statistic=tg, p_value=2 * stats.t.sf(abs(tg), df_g), estimate=u0,
                           n=int(np.isfinite(scar).sum()),
                           note=f"estimate = mean demeaned rank of the re-standardised CAR; t with {df_g} df")
        out.append(row)
    return out


def test_car(result: pd.DataFrame, *, tests: Sequence[str] = TESTS, window: tuple[int, int] | None = None,
             by: str | Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Test the mean CAR of the ``ok`` events: one row per test (and per group with ``by``).

    Parameters
    ----------
    result : DataFrame
        Output of :func:`abnormal_returns` (or a row subset of it).
    tests : sequence of str
        Any of :data:`TESTS`: ``"t"`` (cross-sectional t on CAR), ``"patell"``, ``"bmp"``,
        ``"kolari_pynnonen"``, ``"corrado"``, ``"sign"``, ``"generalized_sign"`` (Cowan 1992: the expected share of
        positive CARs is the average of each event's share of positive estimation residuals), ``"grank"``
        (Kolari and Pynnönen 2011, robust to event-induced variance and to cross-correlation of events sharing a
        date), ``"t_bhar"``.
    window : (int, int), optional
        Sub-window of the stored event window (default: the whole event window).
    by : str or list of str, optional
        Columns of ``result`` to test groups separately (e.g. ``"board"``).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame with ``[by...], test, label, n, estimate, statistic, p_value, ci_low, ci_high, note, window``.
    ``estimate`` is the mean CAR except for the rank and sign tests (see ``note``). Intervals: t-based for
    ``t``/``t_bhar``; the BMP and Kolari-Pynnönen rows give the interval for the mean CAR implied by their
    standard error; the sign rows a Clopper-Pearson interval for the share.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=60, n_days=400, effect=0.0, seed=6)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market)
    >>> tab = test_car(res)
    >>> tab["test"].tolist() == list(TESTS), bool((tab["p_value"] > 0.01).all())
    (True, True)
    """
    tests = list(tests)
    bad = [t for t in tests if t not in TESTS]
    if bad:
        raise EventStudyError(f"unknown tests {bad}; choose from {TESTS}")
    result = _as_frame(result)
    P = _paths_of(result)
    win = window or (int(P.rel_days[0]), int(P.rel_days[-1]))
    if by is None:
        rows = _tests_one(result, tests, window, level)
        out = pd.DataFrame(rows)
    else:
        keys = [by] if isinstance(by, str) else list(by)
        parts = []
        for key, grp in result.groupby(keys, observed=True, sort=True):
            key = key if isinstance(key, tuple) else (key,)
            grp = grp.copy()
            grp.attrs = result.attrs
            part = pd.DataFrame(_tests_one(grp, tests, window, level))
            for k_, v_ in zip(keys, key, strict=True):
                part.insert(0, k_, v_)
            parts.append(part)
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out["window"] = f"[{win[0]}, {win[1]}]"
    if is_simulated(result):
        out = mark_simulated(out, "lgresearch.events on simulated returns")
    else:
        mark_real(out, source_of(result, "abnormal returns"))
    return out


test_car.__test__ = False  # a library function, not a pytest test


# ---------------------------------------------------------------------------------------------------------------
# Paths for plots, long ARs
# ---------------------------------------------------------------------------------------------------------------


def ar_long(result: pd.DataFrame) -> pd.DataFrame:
    """Abnormal returns of the ``ok`` events in long form: ``event_id, event_time, ar, car``.

    Parameters
    ----------
    result : AbnormalReturns or DataFrame
        Output of :func:`abnormal_returns` (or a subset of it, or of :func:`matched_difference` /
        :func:`combine_results`).

    Returns
    -------
    DataFrame
        One row per ``ok`` event and event day: ``event_id, event_time, ar, car`` (``car`` cumulated from the first
        day of the event window), with the result's provenance.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=3, n_days=350, seed=7)
    >>> ar_long(abnormal_returns(sim.returns, sim.events, market=sim.market))[["event_time", "ar"]].shape
    (9, 2)
    """
    result = _as_frame(result)
    P = _paths_of(result)
    sub = result[result["status"] == OK]
    rows = P.rows(sub["event_id"])
    ar = P.ar[rows]
    car = np.cumsum(np.nan_to_num(ar), axis=1)
    n, L = ar.shape
    out = pd.DataFrame({"event_id": np.repeat(sub["event_id"].to_numpy(), L),
                        "event_time": np.tile(P.rel_days, n), "ar": ar.ravel(), "car": car.ravel()})
    return mark_simulated(out) if is_simulated(result) else mark_real(out, source_of(result, "abnormal returns"))


def car_path(result: pd.DataFrame, *, by: str | None = None, level: float = 0.95, weights: str | None = None,
             kp_adjust: bool = False) -> pd.DataFrame:
    """Average cumulative abnormal return by event day, in the tidy shape of ``plotting.plot_event_study``.

    The CAR at day t cumulates from the first day of the event window. Its standard error is the
    cross-sectional one (sd / sqrt(N)), inflated by the Kolari-Pynnönen factor ``sqrt((1 + (N-1) r) / (1 - r))``
    when ``kp_adjust``.

    Parameters
    ----------
    result : AbnormalReturns or DataFrame
        Output of :func:`abnormal_returns` (or a subset of it, or of :func:`matched_difference` /
        :func:`combine_results`).
    by : str, optional
        Column of the result to draw one path per group (the group goes into ``estimator``).
    level : float
        Confidence level of the pointwise intervals.
    weights : str, optional
        Reserved; paths are equally weighted averages over events.
    kp_adjust : bool
        Inflate the standard errors by the Kolari-Pynnönen factor for cross-correlated events.

    Returns
    -------
    DataFrame with ``event_time, estimate, se, ci_low, ci_high, n`` (and ``estimator`` = group when ``by``);
    ``attrs["ref"] = None`` (no omitted period).

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=50, n_days=400, effect=0.04, seed=8)
    >>> path = car_path(abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(-3, 3)))
    >>> path["event_time"].tolist()[:3], bool(path.loc[path["event_time"] == 3, "estimate"].iloc[0] > 0.02)
    ([-3, -2, -1], True)
    """
    result = _as_frame(result)
    P = _paths_of(result)
    sub = result[result["status"] == OK]
    groups = [(None, sub)] if by is None else list(sub.groupby(by, observed=True, sort=True))
    parts = []
    q = stats.norm.ppf(0.5 + level / 2)
    for key, grp in groups:
        rows = P.rows(grp["event_id"])
        ar = P.ar[rows]
        car = np.cumsum(np.nan_to_num(ar), axis=1)
        n = len(rows)
        est = car.mean(axis=0) if n else np.full(len(P.rel_days), np.nan)
        se = car.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full(len(P.rel_days), np.nan)
        if kp_adjust and n > 1:
            g2 = grp.copy()
            g2.attrs = result.attrs
            rbar, _ = kp_mean_correlation(g2)
            ok_r = (1 - rbar) > 0 and (1 + (n - 1) * rbar) > 0
            infl = np.sqrt((1 + (n - 1) * rbar) / (1 - rbar)) if ok_r else np.nan
            se = se * infl
        part = pd.DataFrame({"event_time": P.rel_days.astype(int), "estimate": est, "se": se,
                             "ci_low": est - q * se, "ci_high": est + q * se, "n": n})
        if by is not None:
            part["estimator"] = str(key[0] if isinstance(key, tuple) else key)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out = mark_simulated(out) if is_simulated(result) else mark_real(out, source_of(result, "abnormal returns"))
    out.attrs["ref"] = None
    return out


# ---------------------------------------------------------------------------------------------------------------
# Matched controls: events for controls and treated-minus-control differences
# ---------------------------------------------------------------------------------------------------------------


def control_events(treated_events: pd.DataFrame, pairs: pd.DataFrame, *, treated_key: str = "event_id",
                   date_col: str = "event_date") -> pd.DataFrame:
    """Events for matched controls: each control gets its treated event's date.

    Parameters
    ----------
    treated_events : DataFrame
        Treated events with ``treated_key`` and ``date_col``.
    pairs : DataFrame
        ``treated_id, control_id, weight`` (e.g. ``lgresearch.did.match_controls(...).pairs``), where
        ``treated_id`` holds the treated events' ``treated_key`` and ``control_id`` the control stock code.

    Returns
    -------
    DataFrame ``event_id, code, event_date, treated_event_id, weight`` (``event_id`` = ``"<treated>|<code>"``).

    Examples
    --------
    >>> te = pd.DataFrame({"event_id": ["a"], "event_date": pd.to_datetime(["2024-08-01"])})
    >>> pr = pd.DataFrame({"treated_id": ["a", "a"], "control_id": ["000001", "000002"], "weight": [0.5, 0.5]})
    >>> control_events(te, pr)["event_id"].tolist()
    ['a|000001', 'a|000002']
    """
    dates = treated_events.set_index(treated_key)[date_col]
    out = pd.DataFrame({
        "event_id": pairs["treated_id"].astype(str) + "|" + pairs["control_id"].astype(str),
        "code": pairs["control_id"].astype(str).to_numpy(),
        "event_date": pairs["treated_id"].map(dates).to_numpy(),
        "treated_event_id": pairs["treated_id"].to_numpy(),
        "weight": pairs["weight"].to_numpy(dtype=float) if "weight" in pairs else 1.0,
    })
    return out.drop_duplicates("event_id", ignore_index=True)


def matched_difference(treated: pd.DataFrame, controls: pd.DataFrame, *, treated_key: str = "event_id"
                       ) -> pd.DataFrame:
    """Treated-minus-matched-control abnormal returns, as a result frame that :func:`test_car` accepts.

    For each ``ok`` treated event with at least one ``ok`` control, the difference path is the treated AR minus the
    weight-averaged control AR on each event day (control weights renormalised over usable controls); the
    estimation-window residual differences give the difference's variance (no parameter uncertainty), so the
    standardised tests apply. Treated events with no usable control are kept with ``status = "no usable
    control"``.

    Parameters
    ----------
    treated : DataFrame
        :func:`abnormal_returns` output for the treated events.
    controls : DataFrame
        :func:`abnormal_returns` output for :func:`control_events` (needs ``treated_event_id`` and ``weight``).

    Returns
    -------
    AbnormalReturns or DataFrame
        One row per treated event with the difference's ``car, car_se, scar, bhar, df, status``; the per-day
        difference paths are kept for :func:`test_car` and :func:`car_path` (an :class:`AbnormalReturns` when
        ``treated`` is one).

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=9)
    >>> ev = sim.events.assign(event_id=[f"e{i}" for i in range(40)])
    >>> t_ev, pool = ev.iloc[:20], ev.iloc[20:]
    >>> pairs = pd.DataFrame({"treated_id": t_ev["event_id"], "control_id": pool["code"].to_numpy(), "weight": 1.0})
    >>> res_t = abnormal_returns(sim.returns, t_ev, market=sim.market)
    >>> res_c = abnormal_returns(sim.returns, control_events(t_ev, pairs), market=sim.market)
    >>> diff = matched_difference(res_t, res_c)
    >>> int((diff["status"] == "ok").sum()), "car" in diff
    (20, True)
    """
    wrap = isinstance(treated, AbnormalReturns)
    treated, controls = _as_frame(treated), _as_frame(controls)
    Pt, Pc = _paths_of(treated), _paths_of(controls)
    if not np.array_equal(Pt.rel_days, Pc.rel_days) or Pt.n_est_days != Pc.n_est_days:
        raise EventStudyError("treated and control results must use the same windows")
    t_ok = treated[treated["status"] == OK]
    c_ok = controls[(controls["status"] == OK) & controls["treated_event_id"].isin(set(t_ok[treated_key]))]
    E = len(treated)
    L, La = len(Pt.rel_days), Pt.n_est_days
    # control weight matrix: treated rows x control rows (sparse in practice; dense per treated via scatter-add)
    t_index = pd.Index(treated[treated_key])
    ti = t_index.get_indexer(c_ok["treated_event_id"])
    crow = Pc.rows(c_ok["event_id"])
    w = c_ok["weight"].to_numpy(dtype=float)
    wsum = np.bincount(ti, weights=w, minlength=E)
    wn = w / wsum[ti]

    def wavg(mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        vals = mat[crow]
        fin = np.isfinite(vals)
        num = np.zeros((E, mat.shape[1]))
        den = np.zeros((E, mat.shape[1]))
        np.add.at(num, ti, np.where(fin, vals, 0.0) * wn[:, None])
        np.add.at(den, ti, fin * wn[:, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / den, np.nan), den

    ar_c, _ = wavg(Pc.ar)
    ret_c, _ = wavg(Pc.ret)
    # residuals (unstandardised: sar * sigma) for the difference's variance
    res_c, _ = wavg(Pc.sar_est * np.sqrt(Pc.s2)[:, None])
    trow = Pt.rows(treated[treated_key])
    has_c = wsum[np.arange(E)] > 0
    ok = (treated["status"].to_numpy() == OK) & has_c
    ar_t = Pt.ar[trow]
    ar_d = np.where(ok[:, None] & np.isfinite(ar_t) & np.isfinite(ar_c), ar_t - ar_c, np.nan)
    res_t = Pt.sar_est[trow] * np.sqrt(Pt.s2[trow])[:, None]
    res_d = res_t - res_c
    fin_r = np.isfinite(res_d)
    n_res = fin_r.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_r = np.where(fin_r, res_d, 0.0).sum(axis=1) / n_res
        s2 = np.where(fin_r, (res_d - mean_r[:, None]) ** 2, 0.0).sum(axis=1) / (n_res - 1)
    s2 = np.where(n_res > 1, s2, np.nan)
    v = np.isfinite(ar_d)
    car = np.where(ok & v.any(axis=1), np.where(v, ar_d, 0.0).sum(axis=1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(s2 * v.sum(axis=1))
        sar_est = res_d / np.sqrt(s2)[:, None]
        sar_ev = ar_d / np.sqrt(s2)[:, None]
    ret_t = Pt.ret[trow]
    bhar = (np.where(v, 1.0 + ret_t, 1.0).prod(axis=1) - np.where(v, 1.0 + ret_c, 1.0).prod(axis=1))
    out = treated.copy()
    status = np.where(treated["status"].to_numpy() != OK, treated["status"].to_numpy(),
                      np.where(has_c, OK, "no usable control"))
    status = np.where((status == OK) & ~v.any(axis=1), "no return in the event window", status)
    out["status"] = status
    okf = out["status"].to_numpy() == OK
    out["n_controls"] = np.bincount(ti, minlength=E)
    out["car_treated"] = treated["car"].to_numpy()
    out["car_control"] = np.where(okf, np.where(np.isfinite(ar_c), ar_c, 0.0).sum(axis=1), np.nan)
    out["car"] = np.where(okf, car, np.nan)
    out["car_se"] = np.where(okf, se, np.nan)
    out["scar"] = np.where(okf, car / se, np.nan)
    out["bhar"] = np.where(okf, bhar, np.nan)
    out["df"] = np.where(okf, n_res - 1, 0)
    out.attrs = {k: v_ for k, v_ in treated.attrs.items() if k != "event_paths"}
    out.attrs["event_paths"] = EventPaths(
        event_ids=treated[treated_key].to_numpy(dtype=object), rel_days=Pt.rel_days, est_days=Pt.est_days,
        ar=ar_d, ret=np.where(v, ret_t, np.nan), er=np.where(v, ret_c, np.nan), k=v.astype(float),
        Z=np.zeros((E, L, 0)), Ainv=np.zeros((E, 0, 0)), s2=s2, df=(n_res - 1).astype(float), sar_est=sar_est,
        sar_ev=np.where(ok[:, None], sar_ev, np.nan), n_est_days=La, est_start=Pt.est_start[trow],
        ev_pos=Pt.ev_pos[trow], ok=okf,
        model="matched difference")
    out.attrs["exclusions"] = {str(k): int(v_) for k, v_ in out.loc[~okf, "status"].value_counts().items()}
    return _to_result(out) if wrap else out


def implied_per_firm_effect(pooled: float, share_treated: float) -> float:
    """Per-firm effect implied by a pooled CAR when only ``share_treated`` of the pooled firms are treated.

    If untreated firms have zero abnormal return, ``pooled = share * effect``, so ``effect = pooled / share``.

    Parameters
    ----------
    pooled : float
        The pooled average CAR over treated and untreated firms.
    share_treated : float
        Share of the pooled firms that are treated, in (0, 1].

    Returns
    -------
    float
        ``pooled / share_treated``; a share outside (0, 1] raises :class:`EventStudyError`.

    Examples
    --------
    >>> implied_per_firm_effect(0.002, 0.1)
    0.02
    """
    if not 0 < share_treated <= 1:
        raise EventStudyError("share_treated must be in (0, 1]")
    return float(pooled) / float(share_treated)


# ---------------------------------------------------------------------------------------------------------------
# Designation events for listed firms: dates from the official batch table, firm attributes, matched studies
# ---------------------------------------------------------------------------------------------------------------

#: Event window (trading days) around a date known to the day.
DAY_WINDOW = (-5, 10)


def batch_event_dates(batches: pd.DataFrame, sessions: pd.DatetimeIndex, *,
                      kinds: Sequence[str] = ("publicity_start", "announcement_date"),
                      day_window: tuple[int, int] = DAY_WINDOW) -> pd.DataFrame:
    """Event dates of each batch (publicity start, final announcement) with the window their precision allows.

    A date known to the day gets ``day_window`` around its session. A date known only to the month (the
    official table stores the first of the month with ``<kind>_precision == "month"``) gets a window from the
    month's first session to its last session (for a publicity start, to the last session of the publicity end's
    month when that is later): the market can only be looked at over the whole month.

    Parameters
    ----------
    batches : DataFrame
        ``lgresearch.official.batches()`` (``batch``, the date columns and ``<kind>_precision`` columns).
    sessions : DatetimeIndex
        Trading sessions (e.g. :func:`lgresearch.prices.sessions`).

    Returns
    -------
    DataFrame ``batch, kind, date, precision, event_session, window_start, window_end, label``; dates outside the
    sessions' range are kept with ``event_session`` NaT.

    Examples
    --------
    >>> b = pd.DataFrame({"batch": [3, 6], "publicity_start": pd.to_datetime(["2021-07-19", "2024-08-01"]),
    ...                   "publicity_end": pd.to_datetime(["2021-07-23", "2024-09-01"]),
    ...                   "publicity_start_precision": ["day", "month"], "publicity_end_precision": ["day", "month"]})
    >>> s = pd.bdate_range("2021-07-01", "2024-10-31")
    >>> d = batch_event_dates(b, s, kinds=["publicity_start"])
    >>> d[["batch", "precision", "window_start", "window_end"]].values.tolist()
    [[3, 'day', -5, 10], [6, 'month', 0, 42]]
    """
    cal = pd.DatetimeIndex(sessions)
    rows = []
    for _, b in batches.iterrows():
        for kind in kinds:
            date = b.get(kind)
            if date is None or pd.isna(date):
                continue
            prec = b.get(f"{kind}_precision")
            prec = "day" if prec is None or pd.isna(prec) else str(prec)
            date = pd.Timestamp(date)
            if prec == "year":
                continue
            p = int(np.searchsorted(cal.to_numpy(), date.to_datetime64()))
            if p >= len(cal) or date < cal[0]:
                rows.append({"batch": int(b["batch"]), "kind": kind, "date": date, "precision": prec,
                             "event_session": pd.NaT, "window_start": np.nan, "window_end": np.nan})
                continue
            if prec == "day":
                w0, w1 = day_window
            else:
                end = date + pd.offsets.MonthEnd(0)
                if kind == "publicity_start" and pd.notna(b.get("publicity_end")):
                    end = max(end, pd.Timestamp(b["publicity_end"]) + pd.offsets.MonthEnd(0))
                last = int(np.searchsorted(cal.to_numpy(), end.to_datetime64(), side="right")) - 1
                w0, w1 = 0, max(0, last - p)
            rows.append({"batch": int(b["batch"]), "kind": kind, "date": date, "precision": prec,
                         "event_session": cal[p], "window_start": w0, "window_end": w1})
    out = pd.DataFrame(rows, columns=["batch", "kind", "date", "precision", "event_session", "window_start",
                                      "window_end"])
    out["window_start"] = out["window_start"].astype("Int64")
    out["window_end"] = out["window_end"].astype("Int64")
    out["label"] = ("batch " + out["batch"].astype(str) + " " + out["kind"].str.replace("_", " ")
                    + " " + out["date"].dt.strftime("%Y-%m-%d").where(out["precision"] == "day",
                                                                      out["date"].dt.strftime("%Y-%m")))
    return out


def firm_attributes(codes: Iterable[str], date, *, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matching attributes of stocks at a date: board (from the code), Shenwan level-1 industry (point in time)
    and log float market cap (:func:`lgresearch.prices.size_at`).

    Parameters
    ----------
    codes : iterable of str
        Six-digit stock codes.
    date : date-like
        The date at which attributes are measured (point in time).
    panel : DataFrame, optional
        Returns panel with ``code, date`` and size columns; default: the cached returns panel.

    Returns
    -------
    DataFrame ``code, board, sw_l1_code, sw_l1_en, log_size, size_source`` (missing values where unknown).

    Examples
    --------
    >>> firm_attributes(["300557"], "2024-08-01").columns.tolist()        # doctest: +SKIP
    ['code', 'board', 'sw_l1_code', 'sw_l1_en', 'log_size', 'size_source']
    """
    from lgresearch import listed, prices

    codes = pd.Series(pd.unique(pd.Series(list(codes), dtype="string")), dtype="string")
    out = pd.DataFrame({"code": codes, "board": prices.board_of(codes).to_numpy()})
    try:
        ind = listed.stock_industries(as_of=date).set_index("code")
        out["sw_l1_code"] = out["code"].map(ind["sw_l1_code"]).astype("Int64")
        out["sw_l1_en"] = out["code"].map(ind["sw_l1_en"]).astype("string")
    except FileNotFoundError:
        out["sw_l1_code"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["sw_l1_en"] = pd.array([pd.NA] * len(out), dtype="string")
    size = prices.size_at(date, codes, panel=panel).set_index("code")
    out["log_size"] = out["code"].map(size["log_float_mcap"]).astype(float)
    out["size_source"] = out["code"].map(size["size_source"]).astype("string")
    return mark_real(out, "board from code; Shenwan SW2021; float market cap (prices.size_at)")


@dataclass
class MatchedStudy:
    """Output of :func:`matched_event_study`."""

    treated: pd.DataFrame
    controls: pd.DataFrame
    difference: pd.DataFrame
    pairs: pd.DataFrame
    balance: pd.DataFrame
    unmatched: pd.DataFrame
    info: dict


_POOL_CACHE: dict = {}


def _returns_token(returns: pd.DataFrame) -> tuple:
    """The frame and the storage of its columns (held, so their ids cannot be reused while cached)."""
    cols = tuple(returns[c].array if isinstance(returns[c].dtype, pd.CategoricalDtype) else
                 (lambda v: v if v.base is None else v.base)(returns[c].to_numpy())
                 for c in ("code", "date", "ret", "gap") if c in returns.columns)
    return (id(returns), *map(id, cols)), (returns, cols)


def _pool_memo(kind: str, returns: pd.DataFrame, key: tuple, compute):
    """Value of ``compute()`` reused while the same returns frame (same column storage) and key come back."""
    ids, held = _returns_token(returns)
    full = (kind, ids, *key)
    hit = _POOL_CACHE.get(full)
    if hit is not None and hit[0][0] is held[0] and all(a is b for a, b in zip(hit[0][1], held[1], strict=True)):
        return hit[1]
    if len(_POOL_CACHE) >= 64:
        _POOL_CACHE.clear()
    val = compute()
    _POOL_CACHE[full] = (held, val)
    return val


def _usable_pool(returns: pd.DataFrame, pool_codes: list[str], date: pd.Timestamp, kw: dict) -> list[str]:
    """Pool codes whose abnormal returns can be computed at the date (reused across studies of one date)."""
    market = kw["market"]

    def compute() -> tuple:
        pev = pd.DataFrame({"event_id": pool_codes, "code": pool_codes, "event_date": date})
        res_p = abnormal_returns(returns, pev, **kw).as_frame()
        return market, list(res_p.loc[res_p["status"] == OK, "code"])

    key = (id(market), date, tuple(pool_codes), kw["model"], tuple(kw["estimation_window"]),
           tuple(kw["event_window"]), kw["min_estimation_obs"])
    held_market, codes = _pool_memo("pool", returns, key, compute)
    if held_market is not market:  # the id of a market series that was freed: compute afresh
        _POOL_CACHE.clear()
        held_market, codes = _pool_memo("pool", returns, key, compute)
    return list(codes)


def _pool_attributes(returns: pd.DataFrame, codes: list[str], date: pd.Timestamp) -> pd.DataFrame:
    """:func:`firm_attributes` of pool codes at a date (per-code values; reused across studies of one date)."""
    return _pool_memo("attrs", returns, (date, tuple(codes)),
                      lambda: firm_attributes(codes, date, panel=returns)).copy()


def matched_event_study(
    treated_codes: Iterable[str],
    event_date,
    *,
    returns: pd.DataFrame,
    market: pd.Series | pd.DataFrame,
    pool_codes: Iterable[str],
    attributes: pd.DataFrame | None = None,
    exact: Sequence[str] = ("board", "sw_l1_code"),
    on: Sequence[str] = ("log_size",),
    k: int = 3,
    model: str = "market",
    estimation_window: tuple[int, int] = (-250, -30),
    event_window: tuple[int, int] = (-1, 1),
    min_estimation_obs: int | None = None,
    label: str = "",
) -> MatchedStudy:
    """Abnormal returns of treated stocks around one date, against matched untagged controls.

    1. Abnormal returns for the treated codes and for every pool code at the same date (one vectorised call each).
    2. Among treated and pool stocks whose abnormal returns could be computed, each treated stock gets ``k``
       controls with :func:`lgresearch.did.match_controls` (exact on ``exact``, nearest on ``on``, with
       replacement).
    3. Treated-minus-control differences (:func:`matched_difference`).

    Parameters
    ----------
    treated_codes, pool_codes : iterable of str
        Treated stocks and candidate controls (pass untagged stocks; treated codes are removed from the pool).
    event_date : date-like
        Common event date (rolled to the next session if needed).
    returns, market : see :func:`abnormal_returns`.
    attributes : DataFrame, optional
        ``code`` plus the ``exact`` and ``on`` columns; default :func:`firm_attributes` at the event date.
    label : str
        Carried into every result row (``design`` column).

    Returns
    -------
    MatchedStudy
        ``treated``, ``controls`` and ``difference`` results, the matched ``pairs``, the ``balance`` table, the
        ``unmatched`` treated firms and an ``info`` dictionary of counts.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=60, n_days=400, effect=0.03, seed=10)
    >>> d0 = sim.events["event_date"].iloc[0]
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(60.0)})
    >>> st = matched_event_study(codes[:10], d0, returns=sim.returns, market=sim.market, pool_codes=codes[10:],
    ...                          attributes=attrs, k=2, event_window=(0, 0))
    >>> st.info["n_treated_ok"], st.info["n_matched"], len(st.pairs)
    (10, 10, 20)
    """
    from lgresearch.did import match_controls

    date = pd.Timestamp(event_date)
    treated_codes = list(dict.fromkeys(map(str, treated_codes)))
    tset = set(treated_codes)
    pool_codes_in = list(pool_codes)
    pool_codes = [c for c in dict.fromkeys(map(str, pool_codes_in)) if c not in tset]
    kw = dict(market=market, model=model, estimation_window=estimation_window, event_window=event_window,
              min_estimation_obs=min_estimation_obs)
    tev = pd.DataFrame({"event_id": [f"{date.date()}|{c}" for c in treated_codes], "code": treated_codes,
                        "event_date": date, "design": label})
    res_t = abnormal_returns(returns, tev, **kw).as_frame()
    ok_t = res_t.loc[res_t["status"] == OK, ["event_id", "code"]]
    # per-code results: the usable pool (and its attributes) of the whole pool at a date, then treated removed
    all_ok_p = _usable_pool(returns, list(dict.fromkeys(map(str, pool_codes_in))), date, kw)
    ok_p = pd.DataFrame({"code": [c for c in all_ok_p if c not in tset]})
    if attributes is None:
        parts = [firm_attributes(list(ok_t["code"]), date, panel=returns)] if len(ok_t) else []
        parts += [_pool_attributes(returns, all_ok_p, date)] if len(all_ok_p) else []
        attributes = (pd.concat(parts, ignore_index=True) if parts
                      else firm_attributes([], date, panel=returns))
    attrs = attributes.drop_duplicates("code").set_index("code")
    cols = list(dict.fromkeys([*exact, *on]))
    tdf = ok_t.join(attrs[cols], on="code")
    pdf = ok_p.join(attrs[cols], on="code")
    info = {"label": label, "event_date": str(date.date()), "n_treated": len(treated_codes),
            "n_treated_ok": len(ok_t), "n_pool": len(pool_codes), "n_pool_ok": len(ok_p),
            "treated_exclusions": res_t.attrs.get("exclusions", {})}
    if len(tdf) == 0 or len(pdf) == 0:
        empty = res_t.iloc[0:0]
        info.update(n_matched=0)
        return MatchedStudy(res_t, empty, res_t.assign(status="no usable control"), pd.DataFrame(),
                            pd.DataFrame(), tdf, info)
    m = match_controls(tdf.drop(columns="event_id"), pdf, exact=list(exact), on=list(on), k=k, unit_col="code")
    pairs = m.pairs.copy()
    pairs["treated_id"] = pairs["treated_id"].map(dict(zip(ok_t["code"], ok_t["event_id"], strict=True)))
    cev = control_events(tev, pairs)
    res_c = abnormal_returns(returns, cev, **kw).as_frame()
    diff = matched_difference(res_t, res_c)
    info.update(n_matched=int(pairs["treated_id"].nunique()), n_controls_distinct=int(pairs["control_id"].nunique()),
                n_unmatched=len(m.unmatched))
    return MatchedStudy(res_t, res_c, diff, pairs, m.balance, m.unmatched, info)


def combine_results(results: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Stack several :func:`abnormal_returns` (or :func:`matched_difference`) frames with the same windows into
    one result frame that :func:`test_car` and :func:`car_path` accept (event ids must be unique across them, and
    all must use the same market calendar: the Kolari-Pynnönen alignment uses calendar positions).

    Parameters
    ----------
    results : sequence of AbnormalReturns or DataFrame
        Results with the same event and estimation windows and unique event ids; empty ones are skipped.

    Returns
    -------
    AbnormalReturns or DataFrame
        The stacked events with their paths (an :class:`AbnormalReturns` when any input is one); exclusions are
        summed.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=11)
    >>> ev = sim.events.assign(event_id=[f"e{i}" for i in range(20)])
    >>> a = abnormal_returns(sim.returns, ev.iloc[:10], market=sim.market)
    >>> b = abnormal_returns(sim.returns, ev.iloc[10:], market=sim.market)
    >>> len(test_car(combine_results([a, b]), tests=["t"]).query("n == 20"))
    1
    """
    wrap = any(isinstance(r, AbnormalReturns) for r in results)
    results = [_as_frame(r) for r in results if len(r)]
    if not results:
        raise EventStudyError("nothing to combine")
    paths = [_paths_of(r) for r in results]
    first = paths[0]
    for p in paths[1:]:
        if not np.array_equal(p.rel_days, first.rel_days) or p.n_est_days != first.n_est_days:
            raise EventStudyError("results to combine must use the same event and estimation windows")
    out = pd.concat([r.drop(columns=[c for c in ("provenance",) if c in r.columns]) for r in results],
                    ignore_index=True)
    if out["event_id"].duplicated().any():
        raise EventStudyError("event ids repeat across the results; make them unique before combining")

    def cat(name):
        return np.concatenate([getattr(p, name) for p in paths], axis=0)

    widths = {p.Z.shape[-1] for p in paths}
    if len(widths) > 1:  # mixing models: drop parameter uncertainty terms (zeros) to a common width
        w = max(widths)
        Zs = [np.concatenate([p.Z, np.zeros(p.Z.shape[:2] + (w - p.Z.shape[-1],))], axis=-1) for p in paths]
        As = []
        for p in paths:
            A = np.zeros((p.Ainv.shape[0], w, w))
            A[:, :p.Ainv.shape[1], :p.Ainv.shape[2]] = p.Ainv
            As.append(A)
        Z, Ainv = np.concatenate(Zs), np.concatenate(As)
    else:
        Z, Ainv = cat("Z"), cat("Ainv")
    out.attrs = {k: v for k, v in results[0].attrs.items() if k != "event_paths"}
    out.attrs["exclusions"] = {}
    for r in results:
        for k_, v in r.attrs.get("exclusions", {}).items():
            out.attrs["exclusions"][k_] = out.attrs["exclusions"].get(k_, 0) + v
    out.attrs["event_paths"] = EventPaths(
        event_ids=np.concatenate([p.event_ids for p in paths]), rel_days=first.rel_days, est_days=first.est_days,
        ar=cat("ar"), ret=cat("ret"), er=cat("er"), k=cat("k"), Z=Z, Ainv=Ainv, s2=cat("s2"), df=cat("df"),
        sar_est=cat("sar_est"), sar_ev=cat("sar_ev"), n_est_days=first.n_est_days, est_start=cat("est_start"),
        ev_pos=cat("ev_pos"), ok=cat("ok"), model=first.model)
    if any(is_simulated(r) for r in results):
        out = mark_simulated(out, "lgresearch.events on simulated returns")
    return _to_result(out) if wrap else out


def study_paths(study: MatchedStudy, *, kp_adjust: bool = True, level: float = 0.95,
                names: tuple[str, str, str] = ("tagged firms", "matched controls", "tagged minus controls")
                ) -> pd.DataFrame:
    """Average CAR paths of a :class:`MatchedStudy` (treated, controls, difference) in one tidy frame for
    ``plotting.plot_event_study`` (``estimator`` names the series).

    Parameters
    ----------
    study : MatchedStudy
        Output of :func:`matched_event_study` or :func:`mapping_study`.
    kp_adjust : bool
        Inflate standard errors by the Kolari-Pynnönen factor.
    level : float
        Confidence level of the intervals.
    names : (str, str, str)
        Series names for treated, controls and difference.

    Returns
    -------
    DataFrame
        ``event_time, estimate, se, ci_low, ci_high, n, estimator``; ``attrs["ref"] = None``.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=12)
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(40.0)})
    >>> st = matched_event_study(codes[:10], sim.events["event_date"].iloc[0], returns=sim.returns,
    ...                          market=sim.market, pool_codes=codes[10:], attributes=attrs, event_window=(-2, 2))
    >>> sorted(study_paths(st)["estimator"].unique())
    ['matched controls', 'tagged firms', 'tagged minus controls']
    """
    parts = []
    for name, res in zip(names, (study.treated, study.controls, study.difference), strict=True):
        if len(res) and (res["status"] == OK).sum() > 1:
            parts.append(car_path(res, kp_adjust=kp_adjust, level=level).assign(estimator=name))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["event_time", "estimate", "se", "ci_low", "ci_high", "n", "estimator"])
    src = study.treated
    out = mark_simulated(out) if is_simulated(src) else mark_real(out, source_of(src, "abnormal returns"))
    out.attrs["ref"] = None
    return out


def summarize_study(study: MatchedStudy, *, window: tuple[int, int] | None = None,
                    tests: Sequence[str] = ("t", "bmp", "kolari_pynnonen", "sign")) -> pd.DataFrame:
    """One tidy table of tests for the treated CARs, the controls' CARs and the matched differences.

    Parameters
    ----------
    study : MatchedStudy
        Output of :func:`matched_event_study` or :func:`mapping_study`.
    window : (int, int), optional
        Sub-window tested (default: the whole event window).
    tests : sequence of str
        Tests of :func:`test_car`.

    Returns
    -------
    DataFrame
        The :func:`test_car` table for treated, controls and difference, with ``design``, ``event_date`` and
        ``series`` columns.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=13)
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(40.0)})
    >>> st = matched_event_study(codes[:10], sim.events["event_date"].iloc[0], returns=sim.returns,
    ...                          market=sim.market, pool_codes=codes[10:], attributes=attrs)
    >>> summarize_study(st, tests=["t"])["series"].tolist()
    ['tagged', 'controls', 'tagged minus controls']
    """
    parts = []
    for name, res in (("tagged", study.treated), ("controls", study.controls),
                      ("tagged minus controls", study.difference)):
        if len(res) == 0 or (res["status"] == OK).sum() == 0:
            continue
        tab = test_car(res, tests=tests, window=window)
        tab.insert(0, "series", name)
        parts.append(tab)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(out):
        out.insert(0, "design", study.info.get("label", ""))
        out.insert(1, "event_date", study.info.get("event_date", ""))
    return out


def mapping_events(mapping: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """Events from a dated mapping (``code, batch, designation_date``): the firm's own date when given, else its
    batch's publicity start (or announcement) date from the official table; ``date_source`` says which.

    Parameters
    ----------
    mapping : DataFrame
        A user's dated mapping with ``code``, ``batch`` and optionally ``designation_date``.
    batches : DataFrame
        Official batch facts (:func:`lgresearch.official.batches`) giving each batch's announcement date.

    Returns
    -------
    DataFrame
        One row per firm: the mapping's columns with ``event_date`` (the firm's own date when given, else its
        batch's date), ``date_source`` and ``event_id``.

    Examples
    --------
    >>> m = pd.DataFrame({"code": ["a", "b"], "batch": [5, 3],
    ...                   "designation_date": pd.to_datetime(["2023-07-20", None])})
    >>> b = pd.DataFrame({"batch": [3, 5], "publicity_start": pd.to_datetime(["2021-07-19", "2023-07-14"]),
    ...                   "announcement_date": pd.to_datetime([None, None])})
    >>> out = mapping_events(m, b)
    >>> out["event_date"].dt.strftime("%Y-%m-%d").tolist(), out["date_source"].tolist()
    (['2023-07-20', '2021-07-19'], ['mapping', 'batch publicity_start'])
    """
    b = batches.set_index("batch")
    out = mapping[["code", "batch", "designation_date"]].copy()
    out["event_date"] = pd.to_datetime(out["designation_date"])
    out["date_source"] = np.where(out["event_date"].notna(), "mapping", None)
    for kind in ("publicity_start", "announcement_date"):
        need = out["event_date"].isna() & out["batch"].notna()
        if kind not in b.columns or not need.any():
            continue
        fill = out.loc[need, "batch"].astype(int).map(b[kind])
        got = fill.notna()
        idx = fill.index[got]
        out.loc[idx, "event_date"] = fill[got].to_numpy()
        out.loc[idx, "date_source"] = f"batch {kind}"
    missing = out["event_date"].isna()
    out.loc[missing, "date_source"] = "no date for the batch"
    out["event_id"] = out["code"].astype(str) + "|" + out["event_date"].dt.strftime("%Y-%m-%d").fillna("NA")
    return out.drop(columns="designation_date")


def mapping_study(mapping: pd.DataFrame, batches: pd.DataFrame, *, returns: pd.DataFrame,
                  market: pd.Series | pd.DataFrame, pool_codes: Iterable[str], attributes_at=None, k: int = 3,
                  event_window: tuple[int, int] = (-5, 20), estimation_window: tuple[int, int] = (-250, -30),
                  min_estimation_obs: int | None = None) -> MatchedStudy:
    """Matched event study of every firm in a user's dated mapping: one :func:`matched_event_study` per
    distinct event date (a loop over dates, not firms), combined into one :class:`MatchedStudy`.

    ``attributes_at`` is an optional callable ``(codes, date) -> attributes frame`` (default
    :func:`firm_attributes`). The ``batch`` and ``board`` columns are carried for ``test_car(by=...)``.

    Parameters
    ----------
    mapping : DataFrame
        A user's dated mapping (see :func:`mapping_events`).
    batches : DataFrame
        Official batch facts with announcement dates.
    returns : DataFrame
        Long returns panel ``code, date, ret``.
    market : Series or DataFrame
        Market returns indexed by session (the trading calendar).
    pool_codes : iterable of str
        Candidate control stocks (mapping firms are excluded per date).
    attributes_at : callable, optional
        ``attributes_at(codes, date) -> DataFrame`` of matching attributes; default :func:`firm_attributes`.
    k : int
        Controls per treated firm.
    event_window, estimation_window : (int, int)
        Windows in trading days relative to the event session.
    min_estimation_obs : int, optional
        Minimum usable estimation returns per event.

    Returns
    -------
    MatchedStudy
        Treated, control and difference results stacked over dates (with ``batch`` and ``board`` columns), the
        matched pairs, the unmatched firms and per-date information.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=60, n_days=400, effect=0.03, n_event_dates=2, seed=14)
    >>> codes = sim.events["code"].tolist()
    >>> m = pd.DataFrame({"code": codes[:20], "batch": [1] * 20, "designation_date": sim.events["event_date"][:20]})
    >>> attrs = lambda c, d: pd.DataFrame({"code": list(c), "board": "Main", "sw_l1_code": 1, "log_size": 1.0})
    >>> st = mapping_study(m, pd.DataFrame({"batch": [1]}), returns=sim.returns, market=sim.market,
    ...                    pool_codes=codes[20:], attributes_at=attrs, event_window=(-2, 2))
    >>> int((st.difference["status"] == "ok").sum())
    20
    """
    from lgresearch import prices

    evs = mapping_events(mapping, batches)
    batch_of = dict(zip(evs["code"], evs["batch"], strict=False))
    treated, controls, diffs, pairs, unmatched, infos = [], [], [], [], [], []
    for date, grp in evs.dropna(subset=["event_date"]).groupby("event_date", sort=True):
        pool = list(pool_codes)
        attrs = None
        if attributes_at is not None:
            attrs = attributes_at(list(grp["code"]) + pool, date)
        st = matched_event_study(grp["code"], date, returns=returns, market=market, pool_codes=pool,
                                 attributes=attrs, k=k, event_window=event_window,
                                 estimation_window=estimation_window, min_estimation_obs=min_estimation_obs,
                                 label=f"user mapping {pd.Timestamp(date).date()}")
        treated.append(st.treated)
        if len(st.controls):
            controls.append(st.controls)
        diffs.append(st.difference)
        pairs.append(st.pairs)
        unmatched.append(st.unmatched)
        infos.append(st.info)
    if not treated:
        raise EventStudyError("the mapping has no event dates")
    t_all = combine_results(treated)
    d_all = combine_results(diffs)
    c_all = combine_results(controls) if controls else t_all.iloc[0:0]
    for frame in (t_all, d_all):
        frame["batch"] = frame["code"].map(batch_of).astype("Int64")
        frame["board"] = prices.board_of(frame["code"].astype(str)).to_numpy()
    info = {"dates": len(infos), "n_treated": int(sum(i["n_treated"] for i in infos)),
            "n_treated_ok": int(sum(i["n_treated_ok"] for i in infos)),
            "n_matched": int(sum(i.get("n_matched", 0) for i in infos)), "per_date": infos,
            "label": "user dated mapping"}
    return MatchedStudy(t_all, c_all, d_all, pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(),
                        pd.DataFrame(), pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame(),
                        info)


# ---------------------------------------------------------------------------------------------------------------
# Placebo (randomisation) inference for calendar windows
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class PlaceboResult:
    """Output of :func:`placebo_windows` (and :func:`placebo_inference`): plain data, no Python objects in attrs.

    Attributes
    ----------
    windows : DataFrame
        One row per window: ``window_start, window_end, role`` (``actual``, ``pre`` for the window just before
        the actual one, ``placebo``), ``estimate`` (the statistic) and ``n`` (units behind it).
    estimate : float
        The statistic in the actual window.
    effect : float
        ``estimate`` minus the mean of the placebo statistics: the actual window against a typical window.
    p_value : float
        Two-sided randomisation p-value, ``min(1, 2 * min(P(S >= s), P(S <= s)))`` with the actual window counted
        among the windows (exact under exchangeability; it cannot fall below ``2 / (n_placebo + 1)``).
    p_normal : float
        Two-sided p-value of ``(estimate - placebo mean) / (placebo sd * sqrt(1 + 1/n))`` on ``n - 1`` df (a
        prediction test that assumes normal placebo statistics; usable with few windows).
    ci_low, ci_high : float
        Calibrated interval for ``effect``: placebo quantiles when there are enough windows for ``level``
        (``n_placebo >= 2 / (1 - level) - 1``), otherwise the normal prediction interval; ``interval_method``
        says which.
    """

    windows: pd.DataFrame
    estimate: float
    effect: float
    p_value: float
    p_normal: float
    ci_low: float
    ci_high: float
    interval_method: str
    level: float
    n_placebo: int
    placebo_mean: float
    placebo_sd: float
    pre_estimate: float
    length: int
    statistic: str

    def summary(self) -> pd.DataFrame:
        """One row: the actual window, its effect against the placebo distribution, p-values and interval."""
        act = self.windows[self.windows["role"] == "actual"]
        row = {"statistic": self.statistic, "length": self.length,
               "window_start": act["window_start"].iloc[0] if len(act) else pd.NaT,
               "window_end": act["window_end"].iloc[0] if len(act) else pd.NaT,
               "n": int(act["n"].iloc[0]) if len(act) else 0, "estimate": self.estimate, "effect": self.effect,
               "ci_low": self.ci_low, "ci_high": self.ci_high, "level": self.level,
               "interval_method": self.interval_method, "p_value": self.p_value, "p_normal": self.p_normal,
               "n_placebo": self.n_placebo, "placebo_mean": self.placebo_mean, "placebo_sd": self.placebo_sd,
               "share_placebo_abs_ge": float(np.mean(np.abs(self._placebo()) >= abs(self.estimate)))
               if self.n_placebo else np.nan,
               "pre_estimate": self.pre_estimate}
        return pd.DataFrame([row])

    def _placebo(self) -> np.ndarray:
        w = self.windows
        est = w.loc[w["role"] != "actual", "estimate"].to_numpy(dtype=float)
        return est[np.isfinite(est)]

    def tidy(self) -> pd.DataFrame:
        """The windows table with the summary's columns repeated (one frame to save)."""
        s = self.summary().drop(columns=["window_start", "window_end", "n", "estimate"]).iloc[0]
        out = self.windows.copy()
        for k_, v in s.items():
            out[f"actual_{k_}" if k_ in out.columns else k_] = v
        return out


def placebo_inference(actual: float, placebo: Sequence[float] | np.ndarray, *, level: float = 0.95
                      ) -> dict[str, float | str]:
    """Randomisation p-value and calibrated interval of one statistic against its placebo values.

    Parameters
    ----------
    actual : float
        The statistic in the window of interest.
    placebo : array-like
        The same statistic in windows where nothing happened (NaNs are dropped).
    level : float
        Confidence level of the interval.

    Returns
    -------
    dict with ``effect, p_value, p_normal, ci_low, ci_high, interval_method, n_placebo, placebo_mean,
    placebo_sd`` (see :class:`PlaceboResult`).

    Examples
    --------
    >>> out = placebo_inference(3.0, np.linspace(-1, 1, 39))
    >>> out["p_value"], out["interval_method"]
    (0.05, 'placebo quantiles')
    >>> round(out["effect"], 6)
    3.0
    """
    s = np.asarray(placebo, dtype=float)
    s = s[np.isfinite(s)]
    n = len(s)
    nan = float("nan")
    out: dict[str, float | str] = {"effect": nan, "p_value": nan, "p_normal": nan, "ci_low": nan, "ci_high": nan,
                                   "interval_method": "none (fewer than 2 placebo windows)", "n_placebo": n,
                                   "placebo_mean": float(s.mean()) if n else nan,
                                   "placebo_sd": float(s.std(ddof=1)) if n > 1 else nan}
    if n == 0 or not np.isfinite(actual):
        return out
    mean = float(s.mean())
    out["effect"] = float(actual - mean)
    p_hi = (1 + np.sum(s >= actual)) / (n + 1)
    p_lo = (1 + np.sum(s <= actual)) / (n + 1)
    out["p_value"] = float(min(1.0, 2 * min(p_hi, p_lo)))
    if n < 2:
        return out
    sd = float(s.std(ddof=1))
    scale = sd * np.sqrt(1 + 1 / n)
    if scale > 0:
        out["p_normal"] = float(2 * stats.t.sf(abs(actual - mean) / scale, n - 1))
    alpha = 1 - level
    if n >= 2 / alpha - 1 - 1e-9:
        # invert the randomisation test: effects d for which actual - d is not in either tail
        lo_q, hi_q = np.quantile(s - mean, [alpha / 2, 1 - alpha / 2], method="linear")
        out.update(ci_low=float(actual - mean - hi_q), ci_high=float(actual - mean - lo_q),
                   interval_method="placebo quantiles")
    else:
        q = stats.t.ppf(0.5 + level / 2, n - 1)
        out.update(ci_low=float(actual - mean - q * scale), ci_high=float(actual - mean + q * scale),
                   interval_method=f"normal prediction interval ({n} placebo windows)")
    return out


def placebo_starts(calendar: pd.DatetimeIndex, event_date, length: int, *, start=None, end=None,
                   exclude: Sequence[tuple] = ()) -> pd.DataFrame:
    """Non-overlapping ``length``-session windows tiling ``[start, end]``, aligned on the actual window.

    The actual window starts at the event session (``event_date`` rolled forward to a session); the other windows
    step ``length`` sessions backwards and forwards from it, as long as they fit inside ``[start, end]``
    (default: the whole calendar). Windows that overlap a ``(date_from, date_to)`` range in ``exclude`` (other
    events) are dropped, never the actual one.

    Parameters
    ----------
    calendar : DatetimeIndex
        Trading sessions.
    event_date : date-like
        Date of the actual event; windows are aligned on its window.
    length : int
        Window length in sessions.
    start, end : date-like, optional
        Range tiled by the placebo windows (default: the whole calendar).
    exclude : sequence of (start, end)
        Date ranges no placebo window may overlap (e.g. other announcements).

    Returns
    -------
    DataFrame ``window_start, window_end, role`` (``actual``, ``pre`` for the window just before it, ``placebo``).

    Examples
    --------
    >>> cal = pd.bdate_range("2024-01-01", periods=100)
    >>> w = placebo_starts(cal, "2024-02-12", 10)
    >>> len(w), w.loc[w["role"] == "actual", "window_start"].dt.strftime("%Y-%m-%d").tolist()
    (10, ['2024-02-12'])
    """
    cal = pd.DatetimeIndex(calendar).sort_values()
    if length < 1:
        raise EventStudyError(f"length must be a positive number of sessions, got {length}")
    p0 = int(cal.searchsorted(pd.Timestamp(event_date)))
    if p0 >= len(cal):
        raise EventStudyError(f"event date {pd.Timestamp(event_date).date()} is after the last session "
                              f"({cal[-1].date()})")
    lo = 0 if start is None else int(cal.searchsorted(pd.Timestamp(start)))
    hi = len(cal) - 1 if end is None else int(cal.searchsorted(pd.Timestamp(end), side="right")) - 1
    first = p0 - ((p0 - lo) // length) * length
    starts = np.arange(first, hi - length + 2, length)
    starts = starts[starts >= lo]
    if p0 not in starts:
        starts = np.sort(np.append(starts, p0))
    out = pd.DataFrame({"window_start": cal[starts], "window_end": cal[np.minimum(starts + length - 1, len(cal) - 1)]})
    out["role"] = np.where(starts == p0, "actual", np.where(starts == p0 - length, "pre", "placebo"))
    keep = np.ones(len(out), dtype=bool)
    for a, b in exclude:
        hit = (out["window_start"] <= pd.Timestamp(b)) & (out["window_end"] >= pd.Timestamp(a))
        keep &= ~(hit.to_numpy() & (out["role"] != "actual").to_numpy())
    return out[keep & (starts + length - 1 < len(cal))].reset_index(drop=True)


def _window_cars(returns: pd.DataFrame, codes: list[str], cal: pd.DatetimeIndex, market: np.ndarray,
                 starts: np.ndarray, length: int, *, model: str, estimation_window: tuple[int, int],
                 min_estimation_obs: int | None) -> np.ndarray:
    """CAR[0, length-1] of every code at every window start (session positions): a (codes x windows) matrix,
    NaN where unusable. Market-model OLS on single-session returns from running sums (no loop over windows or
    firms); returns that span a suspension are left out of both the estimation and the event window."""
    if model not in MODELS:
        raise EventStudyError(f"model must be one of {MODELS}, got {model!r}")
    sub = _rows_of_codes(returns, pd.Index(codes))
    R, G, _ = _prepare_returns(returns if sub is None else sub, cal, pd.Index(codes))
    R = np.where(G > 1, np.nan, R)
    m = np.asarray(market, dtype=float)
    V = np.isfinite(R) & np.isfinite(m)[None, :]
    r0 = np.where(V, R, 0.0)
    m0 = np.where(V, m[None, :], 0.0)

    def csum(x: np.ndarray) -> np.ndarray:
        return np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(x, axis=1)], axis=1)

    C = {k: csum(x) for k, x in (("n", V.astype(float)), ("r", r0), ("m", m0), ("mm", m0 * m0), ("rm", r0 * m0))}
    a, b = estimation_window
    n_cal = len(cal)
    lo, hi = starts + a, starts + b + 1
    ok_w = (lo >= 0) & (starts + length <= n_cal)
    lo_c, hi_c = np.clip(lo, 0, n_cal), np.clip(hi, 0, n_cal)
    e0, e1 = np.clip(starts, 0, n_cal), np.clip(starts + length, 0, n_cal)

    def span(k: str, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        return C[k][:, x1] - C[k][:, x0]

    n, sr, sm, smm, srm = (span(k, lo_c, hi_c) for k in ("n", "r", "m", "mm", "rm"))
    with np.errstate(invalid="ignore", divide="ignore"):
        if model == "market":
            beta = (srm - sr * sm / n) / (smm - sm * sm / n)
            alpha = (sr - beta * sm) / n
        elif model == "mean":
            beta, alpha = np.zeros_like(n), sr / n
        else:
            beta, alpha = np.ones_like(n), np.zeros_like(n)
        en, er, em = span("n", e0, e1), span("r", e0, e1), span("m", e0, e1)
        car = er - alpha * en - beta * em
    need = max(3, int(min_estimation_obs or 0)) if model == "market" else max(1, int(min_estimation_obs or 0))
    usable = ok_w[None, :] & (n >= need) & (en > 0) & np.isfinite(car)
    return np.where(usable, car, np.nan)


def _placebo_statistic(car: np.ndarray, t_ix: np.ndarray, pairs: np.ndarray | None,
                       c_ix: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Per window: mean treated-minus-matched-controls CAR (pairs), treated minus controls, or treated mean."""
    if pairs is not None:
        pt, pc = pairs[:, 0], pairs[:, 1]
        cc = car[pc]
        fin = np.isfinite(cc)
        n_t = car.shape[0]
        sums = np.zeros((n_t, car.shape[1]))
        cnts = np.zeros((n_t, car.shape[1]))
        np.add.at(sums, pt, np.where(fin, cc, 0.0))
        np.add.at(cnts, pt, fin.astype(float))
        with np.errstate(invalid="ignore", divide="ignore"):
            diff = car - sums / cnts
        d = diff[t_ix]
    elif c_ix is not None:
        cc = car[c_ix]
        fin = np.isfinite(cc)
        cnt = fin.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            cm = np.where(cnt > 0, np.where(fin, cc, 0.0).sum(axis=0) / np.maximum(cnt, 1), np.nan)
        d = car[t_ix] - cm[None, :]
    else:
        d = car[t_ix]
    n = np.isfinite(d).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = np.where(n > 0, np.where(np.isfinite(d), d, 0.0).sum(axis=0) / np.maximum(n, 1), np.nan)
    return est, n


def placebo_windows(
    returns: pd.DataFrame,
    *,
    market: pd.Series | pd.DataFrame,
    treated: Iterable[str],
    event_date,
    length: int,
    pairs: pd.DataFrame | None = None,
    controls: Iterable[str] | None = None,
    start=None,
    end=None,
    exclude: Sequence[tuple] = (),
    model: str = "market",
    estimation_window: tuple[int, int] = (-250, -30),
    min_estimation_obs: int | None = None,
    level: float = 0.95,
) -> PlaceboResult:
    """Placebo (randomisation) inference for a calendar window of ``length`` sessions starting at ``event_date``.

    The statistic is computed in the actual window and, identically, in every non-overlapping window of the same
    length in the sample period (or ``[start, end]``): the same firms, the same controls, the same expected-return
    model re-estimated before each window. Under "nothing happened in the actual window" the actual statistic is
    one draw from the placebo distribution, which already contains everything a calendar window carries (shared
    shocks, sector rotations, drift of the treated firms against their controls) that a cross-sectional standard
    error ignores. The window just before the actual one is labelled ``pre`` (the drift before the event).

    CARs come from the OLS market model (or ``"market_adjusted"``, ``"mean"``) computed with running sums over
    the (codes x sessions) return matrix, so hundreds of windows cost about as much as one; unlike
    :func:`abnormal_returns`, returns spanning a suspension are left out (no trade-to-trade adjustment), for the
    actual window and the placebos alike.

    Statistic per window: with ``pairs`` (columns ``treated``, ``control``: codes), the mean over treated firms of
    CAR minus the mean CAR of its matched controls; with ``controls`` only, mean treated CAR minus mean control
    CAR; with neither, the mean treated CAR.

    Parameters
    ----------
    returns, market, model, estimation_window, min_estimation_obs
        As in :func:`abnormal_returns`; the market's dates are the session calendar.
    treated : iterable of str
        Treated stock codes.
    event_date : date-like
        First day of the actual window (rolled forward to a session).
    length : int
        Window length in sessions (e.g. 41 for August-September 2024).
    pairs : DataFrame, optional
        Matched pairs, columns ``treated`` and ``control`` (codes).
    controls : iterable of str, optional
        Control codes when there are no pairs.
    start, end : date-like, optional
        Range the placebo windows must lie in (default: the market calendar).
    exclude : sequence of (date, date)
        Date ranges whose windows are not used as placebos (other events).
    level : float
        Confidence level of the calibrated interval.

    Returns
    -------
    PlaceboResult

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=40, n_days=900, effect=0.0, seed=21)
    >>> codes = sim.events["code"].tolist()
    >>> pairs = pd.DataFrame({"treated": codes[:20], "control": codes[20:]})
    >>> res = placebo_windows(sim.returns, market=sim.market, treated=codes[:20], pairs=pairs,
    ...                       event_date=sim.market.index[600], length=20, estimation_window=(-120, -10))
    >>> res.length, bool(res.n_placebo >= 30), bool(0 <= res.p_value <= 1)
    (20, True, True)
    """
    mkt = _market_frame(market)
    cal = mkt.index[mkt.notna().any(axis=1).to_numpy()]
    treated = list(dict.fromkeys(map(str, treated)))
    if not treated:
        raise EventStudyError("placebo_windows needs at least one treated code")
    if pairs is not None:
        missing = {"treated", "control"} - set(pairs.columns)
        if missing:
            raise EventStudyError(f"pairs lacks columns {sorted(missing)}: pass one row per (treated, control) "
                                  "code pair")
        pairs = pairs.astype({"treated": str, "control": str})
        pairs = pairs[pairs["treated"].isin(set(treated))]
    ctrl = list(dict.fromkeys(map(str, pairs["control"]))) if pairs is not None else (
        list(dict.fromkeys(map(str, controls))) if controls is not None else [])
    codes = list(dict.fromkeys(treated + ctrl))
    ix = {c: i for i, c in enumerate(codes)}
    wins = placebo_starts(cal, event_date, length, start=start, end=end, exclude=exclude)
    car = _window_cars(returns, codes, cal, mkt.iloc[:, 0].reindex(cal).to_numpy(),
                       cal.get_indexer(wins["window_start"]), length, model=model,
                       estimation_window=estimation_window, min_estimation_obs=min_estimation_obs)
    t_ix = np.array([ix[c] for c in treated], dtype=np.int64)
    pr = (np.column_stack([pairs["treated"].map(ix).to_numpy(dtype=np.int64),
                           pairs["control"].map(ix).to_numpy(dtype=np.int64)]) if pairs is not None else None)
    c_ix = np.array([ix[c] for c in ctrl], dtype=np.int64) if (pairs is None and ctrl) else None
    est, n = _placebo_statistic(car, t_ix, pr, c_ix)
    wins["estimate"] = est
    wins["n"] = n.astype(int)
    actual = float(est[(wins["role"] == "actual").to_numpy()][0])
    placebo = est[(wins["role"] != "actual").to_numpy() & (n > 0)]
    inf = placebo_inference(actual, placebo, level=level)
    pre = wins.loc[wins["role"] == "pre", "estimate"]
    name = ("mean CAR, treated minus matched controls" if pairs is not None else
            "mean CAR, treated minus controls" if ctrl else "mean CAR, treated")
    return PlaceboResult(windows=wins, estimate=actual, effect=float(inf["effect"]), p_value=float(inf["p_value"]),
                         p_normal=float(inf["p_normal"]), ci_low=float(inf["ci_low"]), ci_high=float(inf["ci_high"]),
                         interval_method=str(inf["interval_method"]), level=level, n_placebo=int(inf["n_placebo"]),
                         placebo_mean=float(inf["placebo_mean"]), placebo_sd=float(inf["placebo_sd"]),
                         pre_estimate=float(pre.iloc[0]) if len(pre) else float("nan"), length=int(length),
                         statistic=name)


def control_pool(returns: pd.DataFrame, event_date, *, exclude: Iterable[str] = (),
                 candidates: Iterable[str] | None = None, lookback: int = 20) -> tuple[list[str], dict]:
    """Candidate controls that existed at the event date: stocks with a return in the ``lookback`` sessions up to
    it (delisted-later stocks included), minus ``exclude``; and how many listed candidates lack prices.

    Parameters
    ----------
    returns : DataFrame
        ``code, date, ret`` (the returns panel).
    event_date : date-like
        The event date.
    exclude : iterable of str
        Codes that cannot be controls (e.g. every tagged firm).
    candidates : iterable of str, optional
        Codes a dated stock list says were trading near the date (e.g. the 2024-06-28 Eastmoney list for a 2024
        event); the accounting counts those without prices at the date.
    lookback : int
        Sessions (distinct dates in ``returns``) up to the event date in which a stock must have a return.

    Returns
    -------
    (pool, accounting)
        ``pool``: sorted codes; ``accounting``: ``n_pool``, ``n_candidates``, ``n_candidates_priced``,
        ``n_candidates_lacking_prices``, ``lacking_examples`` (up to 10 codes) and ``n_excluded``.

    Examples
    --------
    >>> r = pd.DataFrame({"code": ["a", "b", "c", "a"], "date": pd.to_datetime(["2024-01-02"] * 3 + ["2024-01-03"]),
    ...                   "ret": [0.01, np.nan, 0.02, 0.0]})
    >>> pool, acc = control_pool(r, "2024-01-03", exclude=["c"], candidates=["a", "b", "c", "d"])
    >>> pool, acc["n_candidates_lacking_prices"], acc["lacking_examples"]
    (['a'], 2, ['b', 'd'])
    """
    t = pd.Timestamp(event_date)
    dv = returns["date"].to_numpy()
    t_v = np.datetime64(t, "ns").astype(dv.dtype) if np.issubdtype(dv.dtype, np.datetime64) else t
    days = np.sort(pd.unique(dv))
    days = days[days <= t_v]
    if len(days) == 0:
        raise EventStudyError(f"no returns on or before {t.date()}: the event date is before the panel starts")
    first = days[max(0, len(days) - int(lookback))]
    sel = (dv <= t_v) & (dv >= first) & returns["ret"].notna().to_numpy()
    col = returns["code"]
    if isinstance(col.dtype, pd.CategoricalDtype):  # codes, not 7 million strings
        cc = np.unique(col.cat.codes.to_numpy()[sel])
        trading = {str(c) for c in col.cat.categories[cc[cc >= 0]]}
    else:
        trading = {str(c) for c in pd.unique(col.to_numpy()[sel])}
    excl = set(map(str, exclude))
    pool = sorted(trading - excl)
    acc: dict = {"n_pool": len(pool), "n_excluded": len(trading & excl), "lookback_sessions": int(lookback)}
    if candidates is not None:
        cand = set(map(str, candidates)) - excl
        lacking = sorted(cand - trading)
        acc.update(n_candidates=len(cand), n_candidates_priced=len(cand) - len(lacking),
                   n_candidates_lacking_prices=len(lacking), lacking_examples=lacking[:10])
    return pool, acc


def study_pairs(study: MatchedStudy) -> pd.DataFrame:
    """The matched pairs of a :class:`MatchedStudy` as stock codes: ``treated, control`` (for
    :func:`placebo_windows`).

    Parameters
    ----------
    study : MatchedStudy
        Output of :func:`matched_event_study` or :func:`mapping_study`.

    Returns
    -------
    DataFrame
        One row per matched pair: the ``treated`` and ``control`` stock codes.

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=30, n_days=400, seed=15)
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(30.0)})
    >>> st = matched_event_study(codes[:5], sim.events["event_date"].iloc[0], returns=sim.returns,
    ...                          market=sim.market, pool_codes=codes[5:], attributes=attrs, k=2)
    >>> study_pairs(st).shape
    (10, 2)
    """
    if study.pairs is None or len(study.pairs) == 0:
        return pd.DataFrame({"treated": pd.Series(dtype="string"), "control": pd.Series(dtype="string")})
    code_of = dict(zip(study.treated["event_id"], study.treated["code"].astype(str), strict=False))
    return pd.DataFrame({"treated": study.pairs["treated_id"].map(code_of).astype("string").to_numpy(),
                         "control": study.pairs["control_id"].astype("string").to_numpy()})


def study_placebo(study: MatchedStudy, *, returns: pd.DataFrame, market: pd.Series | pd.DataFrame,
                  window: tuple[int, int] | None = None, start=None, end=None, exclude: Sequence[tuple] = (),
                  estimation_window: tuple[int, int] = (-250, -30), min_estimation_obs: int | None = None,
                  level: float = 0.95) -> PlaceboResult:
    """:func:`placebo_windows` for a :class:`MatchedStudy`: the same treated firms and matched controls, the
    window ``window`` of the study (default: its whole event window) against every other window of that length.

    Parameters
    ----------
    study : MatchedStudy
        Output of :func:`matched_event_study`.
    returns : DataFrame
        Long returns panel ``code, date, ret``.
    market : Series or DataFrame
        Market returns indexed by session.
    window : (int, int), optional
        Tested window (default: the study's event window).
    start, end : date-like, optional
        Range of the placebo windows.
    exclude : sequence of (start, end)
        Date ranges the placebo windows may not overlap.
    estimation_window : (int, int)
        Estimation window of the market model in each placebo window.
    min_estimation_obs : int, optional
        Minimum usable estimation returns.
    level : float
        Level of the randomisation interval.

    Returns
    -------
    PlaceboResult
        The actual statistic, the placebo distribution and the randomisation p-value (see
        :func:`placebo_windows`).

    Examples
    --------
    >>> sim = simulate_event_data(n_firms=40, n_days=900, effect=0.0, seed=16)
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(40.0)})
    >>> st = matched_event_study(codes[:10], sim.market.index[700], returns=sim.returns, market=sim.market,
    ...                          pool_codes=codes[10:], attributes=attrs, event_window=(0, 19))
    >>> res = study_placebo(st, returns=sim.returns, market=sim.market)
    >>> res.length, bool(res.n_placebo > 20)
    (20, True)
    """
    P = _paths_of(study.treated)
    lo, hi = window or (int(P.rel_days[0]), int(P.rel_days[-1]))
    mkt = _market_frame(market)
    cal = mkt.index[mkt.notna().any(axis=1).to_numpy()]
    p0 = int(cal.searchsorted(pd.Timestamp(study.info["event_date"])))
    if not 0 <= p0 + lo < len(cal):
        raise EventStudyError(f"window {window} starts outside the market calendar")
    pairs = study_pairs(study)
    return placebo_windows(returns, market=mkt.iloc[:, 0], treated=pairs["treated"].unique().tolist(), pairs=pairs,
                           event_date=cal[p0 + lo], length=hi - lo + 1, start=start, end=end, exclude=exclude,
                           estimation_window=estimation_window, min_estimation_obs=min_estimation_obs, level=level)


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "abnormal_returns", "AbnormalReturns", "ar_long", "batch_event_dates", "car_path", "combine_results",
    "control_events", "control_pool", "DAY_WINDOW", "EventPaths", "EventStudyError", "firm_attributes",
    "implied_per_firm_effect", "kp_mean_correlation", "KP_MIN_OVERLAP", "KPCorrelation", "mapping_events",
    "mapping_study", "matched_difference", "matched_event_study", "MatchedStudy", "MODELS", "NS_PER_DAY", "OK",
    "placebo_inference", "placebo_starts", "placebo_windows", "PlaceboResult", "simulate_event_data",
    "SimulatedEvents", "study_pairs", "study_paths", "study_placebo", "summarize_study", "t_interval", "test_car",
    "TEST_LABELS", "TESTS", "window_stats"
]
