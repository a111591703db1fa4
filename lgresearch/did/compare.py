"""Several estimators and comparison groups on one panel, validated once: the ATT table a simulation study compares."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lgresearch.did.estimators import _att_frame, _event_study_core, _naive_frame
from lgresearch.did.panel import ATT_COLUMNS, prepare_panel

#: Columns of :func:`compare_estimators`: :data:`ATT_COLUMNS` plus the comparison group and the pre-trend p-value.
COMPARE_COLUMNS = [*ATT_COLUMNS, "controls", "pretrend_p"]


def compare_estimators(
    panel: pd.DataFrame,
    *,
    outcome_col: str,
    unit_col: str,
    time_col: str,
    cohort_col: str | None = None,
    treatment_col: str | None = None,
    estimators: Sequence[str] = ("naive_pre_post", "did2s", "sun_abraham", "twfe"),
    controls: Sequence[str] = ("later_treated",),
    window: tuple[int, int] = (-4, 4),
    cluster_col: str | None = None,
    ref: int = -1,
    min_treated: int = 2,
    out_of_range: str = "error",
    engine: str = "auto",
) -> pd.DataFrame:
    """The post-period ATT of several estimators and comparison groups on one panel (validated once).

    Each row is what :func:`lgresearch.did.att` (or :func:`lgresearch.did.naive_pre_post` for
    ``"naive_pre_post"``) returns for that estimator and comparison group; the panel is validated and coded once,
    so a Monte Carlo or a table of estimators does not repeat that work.

    Parameters
    ----------
    panel : DataFrame
        Long panel, one row per unit and period.
    outcome_col, unit_col, time_col : str
        Outcome, unit id and integer period columns.
    cohort_col, treatment_col : str, optional
        First treated period per unit (0 or NaN = never treated), or a 0/1 absorbing treatment indicator.
    estimators : sequence of str
        Any of :data:`lgresearch.did.ESTIMATORS` and ``"naive_pre_post"``, in the order of the rows.
    controls : sequence of str
        Comparison groups (:data:`lgresearch.did.CONTROLS`); each estimator but the naive one gets one row per
        group (the naive comparison has none: ``controls`` is ``"none"``).
    window : (int, int)
        Event times of the event study; the ATT averages ``0 .. window[1]``.
    cluster_col, ref, min_treated, out_of_range, engine
        As in :func:`lgresearch.did.event_study`.

    Returns
    -------
    DataFrame
        One row per estimator and comparison group: :data:`COMPARE_COLUMNS` (``pretrend_p`` is NaN for the naive
        comparison), with the panel's provenance.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=400, seed=2, effect=0.3, selection=0.0, with_deals=False)
    >>> t = compare_estimators(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year",
    ...                        cohort_col="cohort", estimators=("naive_pre_post", "did2s"),
    ...                        controls=("later_treated", "never_treated"))
    >>> t[["estimator", "controls"]].values.tolist()
    [['naive_pre_post', 'none'], ['did2s', 'later_treated'], ['did2s', 'never_treated']]
    """
    prep = prepare_panel(panel, outcome_col=outcome_col, unit_col=unit_col, time_col=time_col,
                         cohort_col=cohort_col, treatment_col=treatment_col, cluster_col=cluster_col,
                         out_of_range=out_of_range)
    rows = []
    for est in estimators:
        if est == "naive_pre_post":
            rows.append(_naive_frame(panel, prep, window).assign(controls="none", pretrend_p=float("nan")))
            continue
        for ctl in controls:
            b, cov, meta = _event_study_core(
                panel, outcome=outcome_col, unit=unit_col, time=time_col, cohort=cohort_col, treatment=treatment_col,
                controls=ctl, estimator=est, cluster=cluster_col, ref=ref, window=window, anticipation=0,
                min_treated=min_treated, repeated=False, out_of_range=out_of_range, engine=engine, prep=prep)
            a = _att_frame(panel, b, cov, meta, est)
            rows.append(a.assign(controls=ctl, pretrend_p=float(a.attrs["pretrend"]["p"])))
    out = pd.concat(rows, ignore_index=True)[COMPARE_COLUMNS]
    out.attrs = {k: v for k, v in rows[0].attrs.items() if k in ("provenance", "source")}
    return out


#: Every public name of this module.
__all__ = ["COMPARE_COLUMNS", "compare_estimators"]
