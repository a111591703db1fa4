"""Estimators: the staggered event study, the aggregated ATT, the naive before/after and static TWFE.

Comparison groups
-----------------
``controls="not_yet_treated"`` (the standard definition: Callaway and Sant'Anna's not-yet-treated group, the
imputation estimators): never-treated units plus units not yet treated (later cohorts before their treatment, units
treated after the sample with ``out_of_range="control"``); with neither never- nor after-sample-treated units, the
last cohort is the comparison, with the periods from its treatment on dropped. ``"later_treated"`` (the package's
rule before 1.0): never-treated units are dropped and only units treated later serve as comparisons.
``"never_treated"``: never-treated units are the comparison (for twfe and sun_abraham every event time of treated
units other than ``ref`` gets its own coefficient; for did2s the first stage also uses treated units' pre-periods).

Estimators
----------
``"did2s"``: Gardner's two-stage (imputation) estimator, computed by :func:`lgresearch.did.did2s_fit` (equal to
:func:`pyfixest.did2s`, which does not scale). ``"sun_abraham"``: cohort x event-time interactions aggregated with
cohort shares (interaction-weighted), one :func:`pyfixest.feols` or :func:`lgresearch.did.fe_dummy_ols`.
``"twfe"``: the dynamic two-way fixed-effects regression. Treated observations after ``window[1]`` are dropped;
earlier ones get a pooled coefficient (twfe, sun_abraham) or serve as pre-periods (did2s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.did.engines import (
    _coef_vcov,
    _fit_event_time,
    _pyfixest,
    _QuietThirdParty,
    _t_crit,
    _wald,
    within_fe_ols,
)
from lgresearch.did.panel import ATT_COLUMNS, prepare_panel
from lgresearch.did.sample import _check_support, _sample, _supported_window, _validate_args
from lgresearch.errors import DidInputError
from lgresearch.matching import _inherit_provenance
from lgresearch.plotting import plot_event_study
from lgresearch.results import FrameResult


def _event_study_core(panel, *, outcome, unit, time, cohort, treatment, controls, estimator, cluster, ref, window,
                      anticipation, min_treated, repeated, out_of_range, engine="auto", prep=None):
    """Event-time estimates, covariance and sample facts; ``prep`` (the panel already prepared with the same
    column arguments) skips :func:`prepare_panel`."""
    win = _validate_args(estimator, controls, window, ref)
    if prep is None:
        prep = prepare_panel(panel, outcome_col=outcome, unit_col=unit, time_col=time, cohort_col=cohort,
                             treatment_col=treatment, cluster_col=cluster, repeated=repeated,
                             out_of_range=out_of_range)
    window_rule = "given"
    if win is None:
        win = _supported_window(prep, controls, ref, min_treated)
        window_rule = (f"largest window the data support: at least {min_treated} treated units at each event time "
                       f"(no window given) -> {win}")
    lo, hi = win
    df, sample_info = _sample(prep, controls, (lo, hi))
    counts = _check_support(df, (lo, hi), ref, min_treated)
    if engine not in ("auto", "pyfixest", "lgresearch"):
        raise DidInputError(f"engine must be 'auto', 'pyfixest' or 'lgresearch', got {engine!r}")
    est, cov, fit_info = _fit_event_time(df, estimator, (lo, hi), ref, anticipation, engine)
    obs_counts = df[df["_gd"] > 0].groupby("_e").size()
    meta = {
        "estimator": estimator, "controls": controls, "ref": None if estimator == "did2s" else ref,
        "window": (lo, hi), "window_rule": window_rule, "anticipation": anticipation,
        "cluster": prep.info["cluster_name"], "n_clusters": fit_info["n_clusters"], "n_obs": fit_info["n_obs"],
        "n_units": int(df["_unit"].nunique()), "n_treated_units": int(df.loc[df["_gd"] > 0, "_unit"].nunique()),
        "treated_units_by_event_time": counts,
        "treated_obs_by_event_time": {int(k): int(v) for k, v in obs_counts.items() if lo <= k <= hi},
        "dropped_event_times": fit_info["dropped_event_times"],
        **{k: v for k, v in prep.info.items() if k not in ("unit_labels",)},
        **sample_info,
    }
    return est, cov, meta


@dataclass(repr=False)
class EventStudyResult(FrameResult):
    """Result of :func:`event_study`: the tidy table, the event-time covariance and the joint pre-trend test.

    Reads like the table (``es["estimate"]``, ``es.loc[...]``, ``es.attrs["pretrend"]`` as in release 0.1);
    :meth:`tidy` is the plain table to save, :meth:`plot` draws it.

    Attributes
    ----------
    frame : DataFrame
        :data:`TIDY_COLUMNS`, one row per reported event time (``attrs`` as documented in :func:`event_study`).
    vcov : DataFrame
        Covariance of the estimates, indexed by event time on both axes.
    pretrend : dict
        Joint Wald test that all leads are 0: ``test, stat, df, p, p_chi2, leads``.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=300, seed=2, effect=0.3, selection=0.0)
    >>> es = event_study(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year",
    ...                  cohort_col="cohort", window=(-2, 1))
    >>> es.vcov.shape, sorted(es.tidy().attrs)
    ((4, 4), ['provenance', 'source'])
    """

    frame: pd.DataFrame
    vcov: pd.DataFrame
    pretrend: dict

    def plot(self, **kwargs):
        """Draw the event study with :func:`lgresearch.plotting.plot_event_study`.

        Parameters
        ----------
        **kwargs
            Passed to :func:`lgresearch.plotting.plot_event_study` (``title``, ``ylabel``, ...).

        Returns
        -------
        matplotlib.figure.Figure
            The figure, with the pre-trend test in the caption and the provenance line.

        Examples
        --------
        >>> from lgresearch.simulate import designation_world
        >>> w = designation_world(n_firms=300, seed=2, effect=0.3, selection=0.0)
        >>> es = event_study(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year",
        ...                  cohort_col="cohort", window=(-2, 1))
        >>> es.plot(title="Planted effect").axes[0].get_title()
        'Planted effect'
        """
        return plot_event_study(self, **kwargs)


@renamed_kwargs(outcome="outcome_col", unit="unit_col", time="time_col", cohort="cohort_col",
                treatment="treatment_col", cluster="cluster_col")
def event_study(
    panel: pd.DataFrame,
    *,
    outcome_col: str,
    unit_col: str,
    time_col: str,
    cohort_col: str | None = None,
    treatment_col: str | None = None,
    controls: str = "not_yet_treated",
    estimator: str = "did2s",
    cluster_col: str | None = None,
    ref: int = -1,
    window: tuple[int, int] | None = None,
    anticipation: int = 0,
    min_treated: int = 2,
    repeated: bool = False,
    out_of_range: str = "error",
    engine: str = "auto",
) -> EventStudyResult:
    """Staggered event study: effects by event time with cluster-robust CIs and a joint pre-trend test.

    Parameters
    ----------
    panel : DataFrame
        Long panel (one row per unit and period; unbalanced allowed; several rows per unit-period only with
        ``repeated=True``, e.g. deal rows with firm and year fixed effects).
    outcome_col, unit_col, time_col : str
        Outcome (e.g. log valuation), unit id (any type) and integer period (year, half-year index).
    cohort_col, treatment_col : str, optional
        First treated period per unit (0 or NaN = never treated), or a 0/1 absorbing treatment indicator.
    controls : {"not_yet_treated", "never_treated", "later_treated"}
        Comparison group (see "Comparison groups" in :mod:`lgresearch.did.estimators`): never- plus
        not-yet-treated units (the standard definition), never-treated only, or later-treated only (never-treated
        dropped; the package's rule before 1.0).
    estimator : {"did2s", "sun_abraham", "twfe"}
        Gardner's two-stage imputation estimator, Sun-Abraham's interaction-weighted estimator, or the dynamic
        two-way fixed-effects regression (biased when effects differ across cohorts; shown for comparison).
    cluster_col : str, optional
        Cluster column (default the unit, coded internally); an explicit column must hold integer IDs.
    ref : int
        Reference (omitted) event time of twfe and sun_abraham. did2s has no omitted period (``attrs["ref"]`` is
        ``None``): every event time in the window is measured against the imputed untreated outcome.
    window : (int, int), optional
        Event times reported (later treated observations dropped, earlier ones pooled or pre-periods). Default:
        the largest window around ``ref`` and 0 with ``min_treated`` treated units at every event time
        (``attrs["window_rule"]`` says which).
    anticipation : int
        did2s only: periods before treatment already affected (excluded from the first stage).
    min_treated : int
        Minimum number of treated units at each event time in the window (else an error names the supported one).
    repeated, out_of_range
        Allow several rows per (unit, time); what to do with cohorts outside the data's periods (see
        :func:`prepare_panel`).
    engine : {"auto", "pyfixest", "lgresearch"}
        twfe / sun_abraham: :func:`pyfixest.feols`, or :func:`fe_dummy_ols` (same estimator, linear memory;
        ``"auto"`` above :data:`FAST_ENGINE_CELLS`). did2s always uses :func:`did2s_fit`.

    Returns
    -------
    EventStudyResult
        Reads as the table :data:`TIDY_COLUMNS`, with ``.vcov``, ``.pretrend`` (joint Wald test of the leads),
        ``.tidy()`` and ``.plot()``; ``attrs``: ``pretrend``, ``ref``, ``window``, sample counts, provenance.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=400, seed=2, effect=0.3, selection=0.0)
    >>> es = event_study(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year",
    ...                  cohort_col="cohort", window=(-3, 2))
    >>> es["event_time"].tolist()  # did2s: no omitted period
    [-3, -2, -1, 0, 1, 2]
    >>> bool(abs(es.loc[es.event_time == 0, "estimate"].iloc[0] - 0.3) < 3 * es["se"].max())
    True
    """
    est, cov, meta = _event_study_core(
        panel, outcome=outcome_col, unit=unit_col, time=time_col, cohort=cohort_col, treatment=treatment_col,
        controls=controls, estimator=estimator, cluster=cluster_col, ref=ref, window=window,
        anticipation=anticipation, min_treated=min_treated, repeated=repeated, out_of_range=out_of_range,
        engine=engine)
    return _event_study_result(panel, est, cov, meta, estimator)


def _pretrend(est: pd.Series, cov: pd.DataFrame, n_clusters: int) -> dict:
    """Joint Wald test that every estimated lead is 0, with the leads tested."""
    leads = [k for k in est.index if k < 0 and np.isfinite(est[k])]
    pre = _wald(est[leads].to_numpy(), cov.loc[leads, leads].to_numpy(), n_clusters)
    pre["leads"] = [int(k) for k in leads]
    return pre


def _event_study_result(panel: pd.DataFrame, est: pd.Series, cov: pd.DataFrame, meta: dict, estimator: str
                        ) -> EventStudyResult:
    """The tidy table (t intervals, counts, attrs) and the result object of :func:`event_study`."""
    se = np.sqrt(np.clip(np.diag(cov.to_numpy()), 0, None))
    tc = _t_crit(meta["n_clusters"])
    tidy = pd.DataFrame({
        "event_time": est.index.astype(int),
        "estimate": est.to_numpy(),
        "se": se,
        "ci_low": est.to_numpy() - tc * se,
        "ci_high": est.to_numpy() + tc * se,
        "estimator": estimator,
        "n_obs": meta["n_obs"],
        "n_units": meta["n_units"],
        "n_treated": [meta["treated_units_by_event_time"].get(int(k), 0) for k in est.index],
    })
    pre = _pretrend(est, cov, meta["n_clusters"])
    tidy.attrs.update(meta)
    tidy.attrs["pretrend"] = pre
    tidy.attrs["vcov"] = cov.to_numpy().tolist()
    tidy.attrs["t_crit"] = tc
    _inherit_provenance(tidy, panel)
    times = [int(k) for k in est.index]
    return EventStudyResult(frame=tidy, vcov=pd.DataFrame(cov.to_numpy(), index=times, columns=times),
                            pretrend=dict(pre))


def _att_from_event_time(est: pd.Series, cov: pd.DataFrame, weights: dict[int, int], post: list[int]) -> tuple:
    w = np.array([weights.get(k, 0) for k in post], dtype=float)
    ok = np.isfinite(est[post].to_numpy())
    w = np.where(ok, w, 0.0)
    if w.sum() == 0:
        return float("nan"), float("nan")
    w = w / w.sum()
    b = float(np.nansum(w * est[post].to_numpy()))
    v = float(w @ np.nan_to_num(cov.loc[post, post].to_numpy()) @ w)
    return b, float(np.sqrt(max(v, 0.0)))


@renamed_kwargs(outcome="outcome_col", unit="unit_col", time="time_col", cohort="cohort_col",
                treatment="treatment_col", cluster="cluster_col")
def att(
    panel: pd.DataFrame,
    *,
    outcome_col: str,
    unit_col: str,
    time_col: str,
    cohort_col: str | None = None,
    treatment_col: str | None = None,
    controls: str = "not_yet_treated",
    estimator: str = "did2s",
    cluster_col: str | None = None,
    ref: int = -1,
    window: tuple[int, int] | None = None,
    anticipation: int = 0,
    min_treated: int = 2,
    repeated: bool = False,
    out_of_range: str = "error",
    engine: str = "auto",
) -> pd.DataFrame:
    """Aggregated post-period effect (event times 0..window[1]) with its cluster-robust interval.

    Same arguments as :func:`event_study`. The ATT is the average of the event-time effects weighted by the
    number of treated observations at each event time (i.e. the average effect over treated unit-periods in the
    window), with its standard error from the event-time covariance.

    Parameters
    ----------
    panel : DataFrame
        Long panel, one row per unit and period (several only with ``repeated=True``).
    outcome_col, unit_col, time_col : str
        Outcome, unit id (any type) and integer period columns.
    cohort_col : str, optional
        First treated period per unit (0 or NaN = never treated).
    treatment_col : str, optional
        Alternatively a 0/1 absorbing treatment indicator.
    cluster_col : str, optional
        Cluster column holding integer ids (default: the unit).
    controls, estimator, ref, window, anticipation, min_treated, engine
        As in :func:`event_study`; the effect averages event times ``0 .. window[1]`` weighted by treated
        observations.
    repeated : bool
        Allow several rows per (unit, period).
    out_of_range : {"error", "drop", "control"}
        What to do with cohorts outside the panel's periods.

    Returns
    -------
    DataFrame
        One row, :data:`ATT_COLUMNS`; ``attrs`` as in :func:`event_study` (incl. the pre-trend test).

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=400, seed=2, effect=0.3, selection=0.0)
    >>> a = att(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort",
    ...         window=(-3, 2))
    >>> bool(a["ci_low"].iloc[0] < 0.3 < a["ci_high"].iloc[0])
    True
    """
    outcome, unit, time, cohort = outcome_col, unit_col, time_col, cohort_col  # column names
    treatment, cluster = treatment_col, cluster_col
    est, cov, meta = _event_study_core(
        panel, outcome=outcome, unit=unit, time=time, cohort=cohort, treatment=treatment, controls=controls,
        estimator=estimator, cluster=cluster, ref=ref, window=window, anticipation=anticipation,
        min_treated=min_treated, repeated=repeated, out_of_range=out_of_range, engine=engine)
    return _att_frame(panel, est, cov, meta, estimator)


def _att_frame(panel: pd.DataFrame, est: pd.Series, cov: pd.DataFrame, meta: dict, estimator: str
               ) -> pd.DataFrame:
    """The one-row ATT table of :func:`att` from the event-time estimates and their covariance."""
    post = [k for k in est.index if k >= 0]
    b, se = _att_from_event_time(est, cov, meta["treated_obs_by_event_time"], post)
    tc = _t_crit(meta["n_clusters"])
    pre = _pretrend(est, cov, meta["n_clusters"])
    out = pd.DataFrame([{
        "estimator": estimator, "estimate": b, "se": se, "ci_low": b - tc * se, "ci_high": b + tc * se,
        "post_from": 0, "post_to": int(meta["window"][1]), "n_obs": meta["n_obs"], "n_units": meta["n_units"],
        "n_treated": meta["n_treated_units"],
    }], columns=ATT_COLUMNS)
    out.attrs.update(meta)
    out.attrs["pretrend"] = pre
    _inherit_provenance(out, panel)
    return out


@renamed_kwargs(outcome="outcome_col", unit="unit_col", time="time_col", cohort="cohort_col",
                treatment="treatment_col", cluster="cluster_col")
def naive_pre_post(
    panel: pd.DataFrame,
    *,
    outcome_col: str,
    unit_col: str,
    time_col: str,
    cohort_col: str | None = None,
    treatment_col: str | None = None,
    cluster_col: str | None = None,
    window: tuple[int, int] = (-4, 4),
    repeated: bool = False,
    out_of_range: str = "error",
) -> pd.DataFrame:
    """The naive before/after comparison: treated units' outcome after vs before treatment, no comparison group.

    A regression of the outcome on a post-treatment dummy with unit fixed effects, on treated units' periods in
    ``window`` (within-unit change, e.g. "valuations rose X% after designation"). It mixes the market's trend,
    the firms' own growth (selection) and any effect, and is shown only to measure that bias.

    Parameters
    ----------
    panel : DataFrame
        Long panel, one row per unit and period (several only with ``repeated=True``).
    outcome_col, unit_col, time_col : str
        Outcome, unit id (any type) and integer period columns.
    cohort_col : str, optional
        First treated period per unit (0 or NaN = never treated).
    treatment_col : str, optional
        Alternatively a 0/1 absorbing treatment indicator.
    cluster_col : str, optional
        Cluster column holding integer ids (default: the unit).
    window : (int, int)
        Event times of treated units kept (before and after treatment).
    repeated : bool
        Allow several rows per (unit, period).
    out_of_range : {"error", "drop", "control"}
        What to do with cohorts outside the panel's periods.

    Returns
    -------
    DataFrame
        One row, :data:`ATT_COLUMNS` with ``estimator = "naive_pre_post"``.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=400, seed=2, effect=0.0, selection=2.0)
    >>> n = naive_pre_post(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
    >>> bool(n["estimate"].iloc[0] > 0.1)
    True
    """
    outcome, unit, time, cohort = outcome_col, unit_col, time_col, cohort_col  # column names
    treatment, cluster = treatment_col, cluster_col
    prep = prepare_panel(panel, outcome_col=outcome, unit_col=unit, time_col=time, cohort_col=cohort,
                         treatment_col=treatment, cluster_col=cluster, repeated=repeated,
                         out_of_range=out_of_range)
    return _naive_frame(panel, prep, window)


def _naive_frame(panel: pd.DataFrame, prep, window: tuple[int, int]) -> pd.DataFrame:
    """The one-row table of :func:`naive_pre_post` on a prepared panel."""
    lo, hi = int(window[0]), int(window[1])
    df = prep.data
    df = df[(df["_g"] > 0) & ~df["_late"]]
    df = df.assign(_e=df["_time"] - df["_g"])
    df = df[df["_e"].between(lo, hi)].copy()
    df["_post"] = (df["_e"] >= 0).astype(np.float64)
    fit = within_fe_ols(df["_y"].to_numpy(), df["_post"].to_numpy(), df["_unit"].to_numpy(), df["_cl"].to_numpy())
    b, se, n_obs = fit if fit is not None else _naive_pyfixest(df)
    n_cl = int(df["_cl"].nunique())
    tc = _t_crit(n_cl)
    out = pd.DataFrame([{
        "estimator": "naive_pre_post", "estimate": b, "se": se, "ci_low": b - tc * se, "ci_high": b + tc * se,
        "post_from": 0, "post_to": hi, "n_obs": n_obs, "n_units": int(df["_unit"].nunique()),
        "n_treated": int(df["_unit"].nunique()),
    }], columns=ATT_COLUMNS)
    out.attrs.update(window=(lo, hi), n_clusters=n_cl, comparison="none (before vs after within treated units)")
    _inherit_provenance(out, panel)
    return out


def _naive_pyfixest(df: pd.DataFrame) -> tuple[float, float, int]:
    """The naive regression through :func:`pyfixest.feols` (clusters that do not nest the units)."""
    pf = _pyfixest()
    with _QuietThirdParty():
        fit = pf.feols("_y ~ _post | _unit", data=df[["_y", "_post", "_unit", "_cl"]], vcov={"CRV1": "_cl"},
                       copy_data=False, store_data=False)
    coef, vc = _coef_vcov(fit)
    return float(coef["_post"]), float(np.sqrt(vc[0, 0])), int(fit._N)


@renamed_kwargs(outcome="outcome_col", unit="unit_col", time="time_col", cohort="cohort_col",
                treatment="treatment_col", cluster="cluster_col")
def static_twfe(
    panel: pd.DataFrame,
    *,
    outcome_col: str,
    unit_col: str,
    time_col: str,
    cohort_col: str | None = None,
    treatment_col: str | None = None,
    cluster_col: str | None = None,
    repeated: bool = False,
    out_of_range: str = "error",
) -> pd.DataFrame:
    """Static two-way fixed effects ``y ~ D | unit + time`` on all units (the textbook DiD; biased when effects
    vary with event time or cohort in staggered designs). Shown for comparison.

    Parameters
    ----------
    panel : DataFrame
        Long panel, one row per unit and period (several only with ``repeated=True``).
    outcome_col, unit_col, time_col : str
        Outcome, unit id (any type) and integer period columns.
    cohort_col : str, optional
        First treated period per unit (0 or NaN = never treated).
    treatment_col : str, optional
        Alternatively a 0/1 absorbing treatment indicator.
    cluster_col : str, optional
        Cluster column holding integer ids (default: the unit).
    repeated : bool
        Allow several rows per (unit, period).
    out_of_range : {"error", "drop", "control"}
        What to do with cohorts outside the panel's periods.

    Returns
    -------
    DataFrame
        One row, :data:`ATT_COLUMNS` with ``estimator = "static_twfe"``.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=300, seed=2, effect=0.3, selection=0.0)
    >>> s = static_twfe(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
    >>> bool(abs(s["estimate"].iloc[0] - 0.3) < 0.1)
    True
    """
    outcome, unit, time, cohort = outcome_col, unit_col, time_col, cohort_col  # column names
    treatment, cluster = treatment_col, cluster_col
    prep = prepare_panel(panel, outcome_col=outcome, unit_col=unit, time_col=time, cohort_col=cohort,
                         treatment_col=treatment, cluster_col=cluster, repeated=repeated,
                         out_of_range=out_of_range)
    df = prep.data.copy()
    df["_D"] = ((df["_g"] > 0) & ~df["_late"] & (df["_time"] >= df["_g"])).astype(np.float64)
    pf = _pyfixest()
    with _QuietThirdParty():
        fit = pf.feols("_y ~ _D | _unit + _time", data=df[["_y", "_D", "_unit", "_time", "_cl"]],
                       vcov={"CRV1": "_cl"}, copy_data=False, store_data=False)
    coef, vc = _coef_vcov(fit)
    b, se = float(coef["_D"]), float(np.sqrt(vc[0, 0]))
    n_cl = int(df["_cl"].nunique())
    tc = _t_crit(n_cl)
    out = pd.DataFrame([{
        "estimator": "static_twfe", "estimate": b, "se": se, "ci_low": b - tc * se, "ci_high": b + tc * se,
        "post_from": 0, "post_to": np.nan, "n_obs": int(fit._N), "n_units": int(df["_unit"].nunique()),
        "n_treated": int(df.loc[df["_g"] > 0, "_unit"].nunique()),
    }], columns=ATT_COLUMNS)
    out.attrs.update(n_clusters=n_cl)
    _inherit_provenance(out, panel)
    return out


def combine(*tidies: pd.DataFrame) -> pd.DataFrame:
    """Stack several event-study frames (e.g. one per estimator) for one plot, keeping each pre-trend test.

    Parameters
    ----------
    *tidies : DataFrame or EventStudyResult
        Event-study tables, each with an ``estimator`` column naming its series.

    Returns
    -------
    DataFrame
        The stacked tables; ``attrs["pretrend"]`` maps each estimator to its pre-trend test and ``attrs["ref"]``
        holds the common reference period (or one per estimator).

    Examples
    --------
    >>> a = pd.DataFrame({"event_time": [0], "estimate": [1.0], "estimator": ["twfe"]})
    >>> a.attrs.update(ref=-1, pretrend={"p": 0.5, "df": 2})
    >>> b = a.assign(estimator="did2s"); b.attrs.update(ref=-1, pretrend={"p": 0.1, "df": 2})
    >>> c = combine(a, b); sorted(c.attrs["pretrend"]), len(c), c.attrs["ref"]
    (['did2s', 'twfe'], 2, -1)
    """
    frames = [t.copy() for t in tidies]
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {}
    out.attrs["pretrend"] = {str(t["estimator"].iloc[0]) if "estimator" in t and len(t) else str(i):
                             t.attrs.get("pretrend") for i, t in enumerate(tidies)}
    refs = {str(t["estimator"].iloc[0]) if "estimator" in t and len(t) else str(i): t.attrs.get("ref")
            for i, t in enumerate(tidies)}
    distinct = set(refs.values())
    out.attrs["ref"] = distinct.pop() if len(distinct) == 1 else refs
    _inherit_provenance(out, *tidies)
    return out


#: Every public name of this module.
__all__ = ["att", "combine", "event_study", "EventStudyResult", "naive_pre_post", "static_twfe"]
