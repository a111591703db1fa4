"""Average CAR paths for plots and long per-day abnormal returns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.events.base import OK, _as_frame, _paths_of, _scipy_stats
from lgresearch.events.tests import kp_mean_correlation
from lgresearch.provenance import is_simulated, mark_real, mark_simulated, source_of

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
    >>> from lgresearch.events import abnormal_returns, simulate_event_data
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
    >>> from lgresearch.events import abnormal_returns, simulate_event_data
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
    q = _scipy_stats().norm.ppf(0.5 + level / 2)
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


__all__ = ["ar_long", "car_path"]
