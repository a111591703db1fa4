"""Simulation studies on designation worlds: the naive uplift taken apart, estimators against the truth, failures.

Each function runs the estimators of :mod:`lgresearch.did` on simulated panels and returns a plain table labelled
simulated, so that a notebook narrates and calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lgresearch import did
from lgresearch.provenance import mark_simulated
from lgresearch.simulate.world import World, designation_panel, true_att

#: Column arguments of the simulated panels.
PANEL_COLS: dict[str, Any] = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
#: Components of the latent log valuation that :func:`naive_decomposition` passes through the naive estimator.
COMPONENTS = ("log_value", "market", "firm_trend", "true_effect")


def naive_decomposition(world: World, *, window: tuple[int, int] = (-4, 4)) -> pd.DataFrame:
    """The naive before/after estimate of the log valuation and of each of its latent components.

    The naive comparison is linear in the outcome, so its estimate on ``log_value`` is the sum of its estimates on
    the market level, the firms' own trend (growth x years since the panel's start), the true effect and noise.

    Parameters
    ----------
    world : World
        A simulated world (:func:`lgresearch.simulate.designation_world`).
    window : (int, int)
        Event times of designated firms kept (as in :func:`lgresearch.did.naive_pre_post`).

    Returns
    -------
    DataFrame
        ``component`` and ``naive before/after (log points)``, one row per :data:`COMPONENTS`.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> parts = naive_decomposition(designation_world(n_firms=300, seed=1, with_deals=False))
    >>> parts["component"].tolist()
    ['log_value', 'market', 'firm_trend', 'true_effect']
    """
    y0 = int(world.panel["year"].min())
    trend = world.panel.merge(world.firms[["firm_id", "growth"]], on="firm_id")
    trend = trend.assign(firm_trend=trend["growth"] * (trend["year"] - y0))
    rows = [{"component": c, "naive before/after (log points)":
             float(did.naive_pre_post(trend, window=window, **{**PANEL_COLS, "outcome_col": c})["estimate"].iloc[0])}
            for c in COMPONENTS]
    return pd.DataFrame(rows)


def estimator_grid(panels: Mapping[float, pd.DataFrame], *, estimators: Sequence[str] = ("did2s", "sun_abraham",
                   "twfe"), controls: Sequence[str] = ("later_treated", "never_treated"),
                   window: tuple[int, int] = (-4, 4), truth_window: tuple[int, int] = (0, 4),
                   engine: str = "auto") -> pd.DataFrame:
    """The naive comparison and every estimator x comparison group on simulated panels, against the truth.

    Parameters
    ----------
    panels : mapping
        Simulated panels (``World.panel`` or :func:`lgresearch.simulate.designation_panel`) by a label, e.g. the
        planted effect.
    estimators, controls : sequence of str
        Estimators of :func:`lgresearch.did.att` and comparison groups; the naive comparison comes first.
    window, truth_window : (int, int)
        Event-study window, and the event times over which the true effect is averaged.
    engine : {"auto", "pyfixest", "lgresearch"}
        Solver of the Sun-Abraham and TWFE regressions.

    Returns
    -------
    DataFrame
        ``true effect, estimator, estimate, se, ci_low, ci_high, error / se, pre-trend p``, one row per panel,
        estimator and comparison group; labelled simulated.

    Examples
    --------
    >>> g = estimator_grid({0.3: designation_panel(n_firms=300, seed=1, effect=0.3)}, estimators=("did2s",),
    ...                    controls=("later_treated",))
    >>> g["estimator"].tolist()
    ['naive_pre_post', 'did2s (later treated)']
    """
    tables = []
    for panel in panels.values():
        truth = true_att(panel, truth_window)
        t = did.compare_estimators(panel, estimators=("naive_pre_post", *estimators), controls=controls,
                                   window=window, engine=engine, **PANEL_COLS)
        label = np.where(t["controls"] == "none", t["estimator"],
                         t["estimator"] + " (" + t["controls"].str.replace("_", " ") + ")")
        tables.append(pd.DataFrame({
            "true effect": truth, "estimator": label, "estimate": t["estimate"], "se": t["se"],
            "ci_low": t["ci_low"], "ci_high": t["ci_high"], "error / se": (t["estimate"] - truth) / t["se"],
            "pre-trend p": t["pretrend_p"]}))
    return mark_simulated(pd.concat(tables, ignore_index=True))


def failure_scenarios(scenarios: Mapping[str, Mapping], *, n_firms: int, seed: int, effect: float,
                      selection: float, window: tuple[int, int] = (-4, 4),
                      truth_window: tuple[int, int] = (0, 4)) -> pd.DataFrame:
    """did2s with later-designated comparisons in worlds that break its assumptions (anticipation, selection on
    timing), against the truth.

    Parameters
    ----------
    scenarios : mapping
        Scenario name -> extra arguments of :func:`lgresearch.simulate.designation_world` (``{}`` = baseline).
    n_firms, seed, effect, selection
        Arguments of every world.
    window, truth_window : (int, int)
        Event-study window, and the event times of the true ATT.

    Returns
    -------
    DataFrame
        ``scenario, true ATT (0..4), did2s estimate, ci_low, ci_high, pre-trend p``; labelled simulated.

    Examples
    --------
    >>> s = failure_scenarios({"baseline": {}}, n_firms=300, seed=1, effect=0.3, selection=2.0)
    >>> s["scenario"].tolist()
    ['baseline']
    """
    rows = []
    for name, kwargs in scenarios.items():
        panel = designation_panel(n_firms=n_firms, seed=seed, effect=effect, selection=selection, **kwargs)
        a = did.att(panel, estimator="did2s", controls="later_treated", window=window, **PANEL_COLS)
        rows.append({"scenario": name, "true ATT (0..4)": true_att(panel, truth_window),
                     "did2s estimate": a["estimate"].iloc[0], "ci_low": a["ci_low"].iloc[0],
                     "ci_high": a["ci_high"].iloc[0], "pre-trend p": a.attrs["pretrend"]["p"]})
    return mark_simulated(pd.DataFrame(rows))


#: Every public name of this module.
__all__ = ["COMPONENTS", "estimator_grid", "failure_scenarios", "naive_decomposition", "PANEL_COLS"]
