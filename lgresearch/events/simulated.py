"""Simulated event data (a market model with a planted abnormal return): SIMULATED DATA for tests and demos."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch.provenance import mark_simulated


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
    codes = [f"{i:06d}" for i in range(n_firms)]
    returns = _suspended_panel(R, dates, codes, rng, n_susp=int(round(suspend_share * n_firms)), lo=lo)
    market = pd.Series(m, index=dates, name="market")
    market.iloc[0] = np.nan
    events = pd.DataFrame({"code": codes, "event_date": dates[ev_pos]})
    returns = mark_simulated(returns, "lgresearch.events.simulate_event_data")
    events = mark_simulated(events, "lgresearch.events.simulate_event_data")
    market.attrs["provenance"] = "simulated"
    return SimulatedEvents(returns, market, events,
                           {"effect": effect, "alpha": alpha, "beta": beta, "event_pos": ev_pos})


def _suspended_panel(R: np.ndarray, dates: pd.DatetimeIndex, codes: list[str], rng: np.random.Generator, *,
                     n_susp: int, lo: int) -> pd.DataFrame:
    """Long returns panel of the (firms x days) matrix ``R``, with ``n_susp`` firms losing 3 sessions (the
    resumption return compounds them, ``gap`` = 4); the first day has no return."""
    n_firms, n_days = R.shape
    gap = np.ones((n_firms, n_days), dtype=np.int32)
    keep = np.ones((n_firms, n_days), dtype=bool)
    for i in rng.choice(n_firms, size=n_susp, replace=False):
        s0 = int(rng.integers(60, max(61, lo - 60)))
        keep[i, s0:s0 + 3] = False
        # the resumption return compounds the suspended sessions
        R[i, s0 + 3] = np.prod(1 + R[i, s0:s0 + 4]) - 1
        gap[i, s0 + 3] = 4
    ii, tt = np.nonzero(keep)
    returns = pd.DataFrame({"code": np.array(codes)[ii], "date": dates[tt], "ret": R[ii, tt],
                            "gap": gap[ii, tt]})
    returns.loc[tt == 0, "ret"] = np.nan
    returns.loc[tt == 0, "gap"] = 0
    return returns


__all__ = ["simulate_event_data", "SimulatedEvents"]
