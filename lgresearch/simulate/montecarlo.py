"""Monte Carlo over simulated worlds: estimates, intervals and coverage of the did estimators against the truth."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lgresearch import did
from lgresearch.provenance import mark_simulated
from lgresearch.simulate.world import designation_panel, true_att

#: Estimators a Monte Carlo can run: the lgresearch.did event-study estimators plus the naive before/after.
MC_ESTIMATORS = ("did2s", "sun_abraham", "twfe", "naive_pre_post")
#: Arguments of :func:`lgresearch.simulate.designation_world` that only shape the deals (not the panel).
_DEAL_ARGS = ("deal_rate", "deal_quality", "deal_noise_sd", "with_deals")


def monte_carlo(
    reps: int,
    *,
    n_firms: int = 1000,
    effect: float = 0.3,
    selection: float = 2.0,
    estimators: tuple[str, ...] = ("did2s", "sun_abraham", "naive_pre_post"),
    controls: str = "later_treated",
    window: tuple[int, int] = (-4, 4),
    seed: int = 0,
    engine: str = "auto",
    **world_kwargs,
) -> pd.DataFrame:
    """Re-simulate a world ``reps`` times and estimate the post-period ATT with each estimator.

    Parameters
    ----------
    reps : int
        Number of replications (seeds ``seed, seed + 1, ...``).
    n_firms, effect, selection : see :func:`designation_world`.
    estimators : tuple of str
        Any of :data:`MC_ESTIMATORS`.
    controls, window : see :func:`lgresearch.did.att`. The default compares with later-designated firms only:
        the simulated worlds select designated firms on growth, so never-designated firms (part of the standard
        ``"not_yet_treated"`` group) are not valid comparisons there.
    seed : int
        First seed.
    engine : {"auto", "pyfixest", "lgresearch"}
        Solver of the Sun-Abraham and TWFE regressions (see :func:`lgresearch.did.event_study`);
        ``"lgresearch"`` gives the same estimates as pyfixest (to about 1e-12) many times faster.
    **world_kwargs
        Passed to :func:`designation_world`.

    Returns
    -------
    DataFrame
        One row per replication and estimator: ``rep, estimator, estimate, se, ci_low, ci_high, truth,
        covered, pretrend_p``; labelled simulated.

    Examples
    --------
    >>> mc = monte_carlo(2, n_firms=300, estimators=("did2s", "naive_pre_post"))
    >>> mc.groupby("estimator").size().to_dict()
    {'did2s': 2, 'naive_pre_post': 2}
    """

    bad = [e for e in estimators if e not in MC_ESTIMATORS]
    if bad:
        raise ValueError(f"unknown estimators {bad}; choose from {MC_ESTIMATORS}")
    kw: dict[str, Any] = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
    # deals do not change the latent panel: the panel alone is drawn (the same frame as designation_world's)
    panel_kw = {k: v for k, v in world_kwargs.items() if k not in _DEAL_ARGS}
    rows = []
    for r in range(int(reps)):
        panel = designation_panel(n_firms=n_firms, seed=seed + r, effect=effect, selection=selection, **panel_kw)
        truth = true_att(panel, (0, window[1]))
        table = did.compare_estimators(panel, estimators=estimators, controls=(controls,), window=window,
                                       engine=engine, **kw)
        for row in table.itertuples(index=False):
            rows.append({"rep": r, "estimator": row.estimator, "estimate": float(row.estimate), "se": float(row.se),
                         "ci_low": float(row.ci_low), "ci_high": float(row.ci_high), "truth": truth,
                         "covered": bool(row.ci_low <= truth <= row.ci_high), "pretrend_p": float(row.pretrend_p)})
    return mark_simulated(pd.DataFrame(rows), f"lgresearch.simulate.monte_carlo(reps={reps}, seed={seed})")


def coverage_table(mc: pd.DataFrame) -> pd.DataFrame:
    """Summarize a :func:`monte_carlo` frame per estimator: bias, SD of the estimates, mean SE, 95% CI coverage
    (with its binomial standard error) and the pre-trend test's rejection rate at 5%.

    Parameters
    ----------
    mc : DataFrame
        Output of :func:`monte_carlo`: ``estimator, estimate, se, truth, covered`` and ``pretrend_p`` per draw.

    Returns
    -------
    DataFrame
        One row per estimator: ``bias``, the SD of the estimates, the mean SE, ``coverage`` with its binomial
        standard error, and ``pretrend_reject_5pct``.

    Examples
    --------
    >>> mc = pd.DataFrame({"estimator": ["a", "a"], "estimate": [0.9, 1.1], "se": [0.1, 0.1], "truth": [1.0, 1.0],
    ...                    "covered": [True, False], "pretrend_p": [0.5, 0.01]})
    >>> coverage_table(mc)[["estimator", "bias", "coverage", "pretrend_reject_5pct"]].values.tolist()
    [['a', 0.0, 0.5, 0.5]]
    """
    g = mc.assign(err=mc["estimate"] - mc["truth"]).groupby("estimator", sort=False)
    out = pd.DataFrame({
        "reps": g.size(),
        "bias": g["err"].mean().round(12),
        "sd_estimate": g["estimate"].std(),
        "mean_se": g["se"].mean(),
        "rmse": g["err"].apply(lambda s: float(np.sqrt(np.mean(s**2)))),
        "coverage": g["covered"].mean(),
        "pretrend_reject_5pct": g["pretrend_p"].apply(lambda s: float((s < 0.05).mean()) if s.notna().any()
                                                      else float("nan")),
    }).reset_index()
    out["coverage_se"] = np.sqrt(out["coverage"] * (1 - out["coverage"]) / out["reps"])
    out.attrs.update(mc.attrs)
    return out


#: Every public name of this module.
__all__ = ["coverage_table", "MC_ESTIMATORS", "monte_carlo"]
