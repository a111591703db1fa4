"""Placebo (randomisation) inference for calendar windows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch.errors import EventStudyError
from lgresearch.events._reuse import memo
from lgresearch.events.base import MODELS, _market_frame, _paths_of, _prepare_returns, _rows_of_codes, _scipy_stats
from lgresearch.events.study import MatchedStudy, study_pairs

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
        out["p_normal"] = float(2 * _scipy_stats().t.sf(abs(actual - mean) / scale, n - 1))
    alpha = 1 - level
    if n >= 2 / alpha - 1 - 1e-9:
        # invert the randomisation test: effects d for which actual - d is not in either tail
        lo_q, hi_q = np.quantile(s - mean, [alpha / 2, 1 - alpha / 2], method="linear")
        out.update(ci_low=float(actual - mean - hi_q), ci_high=float(actual - mean - lo_q),
                   interval_method="placebo quantiles")
    else:
        q = _scipy_stats().t.ppf(0.5 + level / 2, n - 1)
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


def _code_sums(returns: pd.DataFrame, codes: list[str], cal: pd.DatetimeIndex, m: np.ndarray) -> np.ndarray:
    """Running sums over sessions of each code's usable-day count, return, market, market squared and return times
    market (5 x codes x sessions + 1, zero first column); a code's row depends on its own returns only."""
    sub = _rows_of_codes(returns, pd.Index(codes))
    R, G, _ = _prepare_returns(returns if sub is None else sub, cal, pd.Index(codes))
    R = np.where(G > 1, np.nan, R)
    V = np.isfinite(R) & np.isfinite(m)[None, :]
    r0 = np.where(V, R, 0.0)
    m0 = np.where(V, m[None, :], 0.0)
    out = np.zeros((len(_SUMS), len(codes), R.shape[1] + 1))
    for i, x in enumerate((V.astype(float), r0, m0, m0 * m0, r0 * m0)):
        np.cumsum(x, axis=1, out=out[i, :, 1:])
    return out


#: The running sums of :func:`_code_sums`, in order.
_SUMS = ("n", "r", "m", "mm", "rm")


def _sums_of(returns: pd.DataFrame, codes: list[str], cal: pd.DatetimeIndex, m: np.ndarray) -> dict:
    """:func:`_code_sums` of every code asked for so far with this panel, calendar and market (computed once per
    code; placebo studies of one notebook share most of their firms): chunks of sums and each code's place."""
    key = (str(cal.dtype), np.asarray(cal.asi8).tobytes(), m.tobytes())
    entry = memo("placebo_sums", returns, key, lambda: {"chunks": [], "where": {}})
    missing = [c for c in dict.fromkeys(codes) if c not in entry["where"]]
    if missing:
        entry["chunks"].append(_code_sums(returns, missing, cal, m))
        j = len(entry["chunks"]) - 1
        entry["where"].update({c: (j, i) for i, c in enumerate(missing)})
    return entry


def _window_cars(returns: pd.DataFrame, codes: list[str], cal: pd.DatetimeIndex, market: np.ndarray,
                 starts: np.ndarray, length: int, *, model: str, estimation_window: tuple[int, int],
                 min_estimation_obs: int | None) -> np.ndarray:
    """CAR[0, length-1] of every code at every window start (session positions): a (codes x windows) matrix,
    NaN where unusable. Market-model OLS on single-session returns from running sums (no loop over windows or
    firms); returns that span a suspension are left out of both the estimation and the event window."""
    if model not in MODELS:
        raise EventStudyError(f"model must be one of {MODELS}, got {model!r}")
    m = np.asarray(market, dtype=float)
    entry = _sums_of(returns, codes, cal, m)
    loc = np.array([entry["where"][c] for c in codes], dtype=np.int64).reshape(len(codes), 2)
    parts = [(np.flatnonzero(loc[:, 0] == j), entry["chunks"][j]) for j in np.unique(loc[:, 0])]
    a, b = estimation_window
    n_cal = len(cal)
    lo, hi = starts + a, starts + b + 1
    ok_w = (lo >= 0) & (starts + length <= n_cal)
    lo_c, hi_c = np.clip(lo, 0, n_cal), np.clip(hi, 0, n_cal)
    e0, e1 = np.clip(starts, 0, n_cal), np.clip(starts + length, 0, n_cal)

    def span(k: str, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        out = np.empty((len(codes), len(x0)))
        for sel, C in parts:
            Ck, rows = C[_SUMS.index(k)], loc[sel, 1][:, None]
            out[sel] = Ck[rows, x1[None, :]] - Ck[rows, x0[None, :]]
        return out

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
    returns: pd.DataFrame, *, market: pd.Series | pd.DataFrame, treated: Iterable[str], event_date, length: int,
    pairs: pd.DataFrame | None = None, controls: Iterable[str] | None = None, start=None, end=None,
    exclude: Sequence[tuple] = (), model: str = "market", estimation_window: tuple[int, int] = (-250, -30),
    min_estimation_obs: int | None = None, level: float = 0.95,
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
    >>> from lgresearch.events import simulate_event_data
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
    treated, pairs, ctrl = _placebo_codes(treated, pairs, controls)
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
    wins["estimate"], wins["n"] = est, n.astype(int)
    actual = float(est[(wins["role"] == "actual").to_numpy()][0])
    inf = placebo_inference(actual, est[(wins["role"] != "actual").to_numpy() & (n > 0)], level=level)
    name = ("mean CAR, treated minus matched controls" if pairs is not None else
            "mean CAR, treated minus controls" if ctrl else "mean CAR, treated")
    return _placebo_result(wins, actual, inf, level=level, length=length, statistic=name)


def _placebo_codes(treated: Iterable[str], pairs: pd.DataFrame | None,
                   controls: Iterable[str] | None) -> tuple[list[str], pd.DataFrame | None, list[str]]:
    """Treated codes, the pairs of those codes (as text) and the control codes, checked."""
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
    return treated, pairs, ctrl


def _placebo_result(wins: pd.DataFrame, actual: float, inf: dict, *, level: float, length: int,
                    statistic: str) -> PlaceboResult:
    """The :class:`PlaceboResult` of the windows' statistics and the placebo inference."""
    pre = wins.loc[wins["role"] == "pre", "estimate"]
    return PlaceboResult(windows=wins, estimate=actual, effect=float(inf["effect"]), p_value=float(inf["p_value"]),
                         p_normal=float(inf["p_normal"]), ci_low=float(inf["ci_low"]), ci_high=float(inf["ci_high"]),
                         interval_method=str(inf["interval_method"]), level=level, n_placebo=int(inf["n_placebo"]),
                         placebo_mean=float(inf["placebo_mean"]), placebo_sd=float(inf["placebo_sd"]),
                         pre_estimate=float(pre.iloc[0]) if len(pre) else float("nan"), length=int(length),
                         statistic=statistic)


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
    >>> from lgresearch.events import matched_event_study, simulate_event_data
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


__all__ = ["placebo_inference", "placebo_starts", "placebo_windows", "PlaceboResult", "study_placebo"]
