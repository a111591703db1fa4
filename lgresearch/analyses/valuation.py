"""Private-round valuations around designation: difference in differences with matched controls, and the round
pairs of program firms (notebook 04).

:func:`valuation_did` combines the deal panel (:mod:`lgresearch.deals`) with the estimators of :mod:`lgresearch.did`
and returns a :class:`ValuationDiD`; :func:`flag_pairs` and :func:`program_step_ups` prepare the round pairs the
step-up verdicts rest on; :func:`did_method_check` runs the estimator on simulated worlds with a planted effect.

Examples
--------
>>> from lgresearch import deals
>>> pairs = deals.step_ups(deals.demo_events())
>>> flag_pairs(pairs, program_firms=["甲科技有限公司"])[["program_firm", "horizon", "stage"]].values.tolist()
[[True, 'within 6 months', 'seed/venture']]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any, cast
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch import deals, did, link, simulate
from lgresearch.provenance import carry_provenance, mark_simulated, plain_frame

__all__ = ["ValuationDiD", "valuation_did", "valuation_did_from_panel", "flag_pairs", "program_step_ups",
           "identified_from_designations", "did_method_check", "VALUATION_TIDY_COLUMNS"]

#: Columns of :meth:`ValuationDiD.tidy`.
VALUATION_TIDY_COLUMNS = ["term", "event_time", "estimate", "se", "ci_low", "ci_high", "estimator", "n_obs",
                          "n_units", "n_treated", "n_controls", "pretrend_p"]


@dataclass(frozen=True, eq=False, repr=False)
class ValuationDiD:
    """Result of :func:`valuation_did`: the ATT, the event study, the matching and the estimation panel.

    Attributes
    ----------
    att : DataFrame
        One row, :data:`lgresearch.did.ATT_COLUMNS`: the average effect on log post-money over event times
        ``0 .. window[1]`` with its cluster-robust interval.
    event_study : lgresearch.did.EventStudyResult
        Effects by event time, their covariance and the joint pre-trend test (``.pretrend``).
    matched : lgresearch.did.Matched
        Treated firms and their matched never-designated controls (pairs, balance, unmatched).
    panel : DataFrame
        The firm-year estimation panel (treated firms and matched controls).
    n_treated, n_controls : int
        Distinct matched treated firms and distinct controls.
    k, window, exact, estimator : settings of the analysis.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=500, seed=1, effect=0.4, selection=0.0)
    >>> r = valuation_did(w.deals, w.designations, exact=("industry_vendor",))
    >>> r.tidy()["term"].iloc[-1], r.n_controls >= r.n_treated
    ('att', True)
    """

    att: pd.DataFrame
    event_study: did.EventStudyResult
    matched: did.Matched
    panel: pd.DataFrame
    n_treated: int
    n_controls: int
    k: int = 3
    window: tuple[int, int] = (-3, 2)
    exact: tuple[str, ...] = ("industry_l1",)
    estimator: str = "did2s"

    @property
    def pretrend_p(self) -> float:
        """p-value of the joint test that all leads are zero (NaN when there are no leads)."""
        return float(self.event_study.attrs.get("pretrend", {}).get("p", np.nan))

    def tidy(self) -> pd.DataFrame:
        """One row per event time (``term == "event_time"``) and a final ``att`` row; plain data.

        Returns
        -------
        DataFrame
            :data:`VALUATION_TIDY_COLUMNS` (plus a ``provenance`` column on simulated data), with only the
            provenance strings in ``attrs``: saves to parquet, csv and Stata.

        Examples
        --------
        >>> from lgresearch.simulate import designation_world
        >>> w = designation_world(n_firms=400, seed=1, effect=0.4, selection=0.0)
        >>> t = valuation_did(w.deals, w.designations, exact=("industry_vendor",)).tidy()
        >>> list(t.columns) == VALUATION_TIDY_COLUMNS + ["provenance"], sorted(t.attrs)
        (True, ['provenance', 'source'])
        """
        es = self.event_study.tidy().assign(term="event_time")
        a = self.att.assign(term="att", event_time=np.nan)
        out = pd.concat([es, a], ignore_index=True).assign(n_controls=self.n_controls, pretrend_p=self.pretrend_p)
        out["event_time"] = out["event_time"].astype("float64")
        out = plain_frame(out.reindex(columns=VALUATION_TIDY_COLUMNS))
        return carry_provenance(self.att, out)

    def __getitem__(self, key: str):
        """Release-0.1 access ``res["att"]`` (deprecated: use the attribute ``res.att``)."""
        if key not in {"att", "event_study", "matched", "panel", "n_treated", "n_controls"}:
            raise KeyError(key)
        warnings.warn(f'ValuationDiD["{key}"] is deprecated; use the attribute .{key}', FutureWarning,
                      stacklevel=2)
        return getattr(self, key)

    def __repr__(self) -> str:
        a = self.att.iloc[0] if len(self.att) else {}
        return (f"ValuationDiD(estimate={a.get('estimate', np.nan):.4g}, ci=[{a.get('ci_low', np.nan):.4g}, "
                f"{a.get('ci_high', np.nan):.4g}], n_treated={self.n_treated}, n_controls={self.n_controls}, "
                f"pretrend_p={self.pretrend_p:.3g})")


def valuation_did(
    deal_events: pd.DataFrame,
    designations: pd.DataFrame,
    *,
    k: int = 3,
    window: tuple[int, int] = (-3, 2),
    exact: tuple[str, ...] = ("industry_l1",),
    estimator: str = "did2s",
    seed: int = 0,
) -> ValuationDiD:
    """Difference-in-differences of log valuation around designation, with matched never-designated controls.

    Steps (all through :mod:`lgresearch.did`): deals → firm-year mean log post-money
    (:func:`lgresearch.did.aggregate_deals`, cohort = first designation year); each designated firm valued at least
    once before its cohort year is matched to ``k`` never-designated firms in the same ``exact`` strata (columns of
    :func:`lgresearch.deals.deal_firms`, e.g. ``industry_l1``), nearest on first deal year and first log valuation
    (:func:`lgresearch.did.match_controls`); the event study and the ATT are estimated on treated + matched
    controls with never-treated comparisons (:func:`lgresearch.did.event_study`, :func:`lgresearch.did.att`).

    Parameters
    ----------
    deal_events : DataFrame
        Canonical events whose ``firm_id`` matches the designation panel's ``firm_id``.
    designations : DataFrame
        Designation panel with ``firm_id`` and ``cohort_year``.
    k : int, default 3
        Controls per treated firm.
    window : (int, int), default (-3, 2)
        Event-time window of the event study; the ATT averages ``0 .. window[1]``.
    exact : tuple of str, default ("industry_l1",)
        Firm columns matched exactly.
    estimator : str, default "did2s"
        Estimator of :func:`lgresearch.did.event_study`.
    seed : int, default 0
        Seed of the matching's tie breaks.

    Returns
    -------
    ValuationDiD
        ATT, event study, matching, panel and counts; ``.tidy()`` gives plain data. ``res["att"]`` still works for
        one release (deprecated: use ``res.att``).

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=500, seed=1, effect=0.4, selection=0.0)
    >>> r = valuation_did(w.deals, w.designations, exact=("industry_vendor",))
    >>> a = r.att.iloc[0]
    >>> bool(a["ci_low"] < 0.4 < a["ci_high"]), r.n_controls >= r.n_treated
    (True, True)
    """
    panel = did.aggregate_deals(deal_events, designations=designations)
    matched = _match_valued_firms(panel, deals.deal_firms(deal_events), exact=exact, k=k, seed=seed)
    keep = set(matched.pairs["treated_id"]) | set(matched.pairs["control_id"])
    est_panel = panel[panel["firm_id"].isin(keep)].copy()
    years = (int(est_panel["period"].min()), int(est_panel["period"].max()))
    est_panel = est_panel[(est_panel["cohort"] == 0) | est_panel["cohort"].between(*years)]
    common: dict[str, Any] = dict(outcome_col="log_value", unit_col="firm_id", time_col="period", cohort_col="cohort",
                                  controls="never_treated", estimator=estimator, window=window, out_of_range="drop")
    es = did.event_study(est_panel, **common)
    a = did.att(est_panel, **common)
    return ValuationDiD(att=a, event_study=es, matched=matched, panel=est_panel,
                        n_treated=int(matched.pairs["treated_id"].nunique()),
                        n_controls=int(matched.pairs["control_id"].nunique()),
                        k=k, window=cast("tuple[int, int]", tuple(window)), exact=tuple(exact), estimator=estimator)


def _match_valued_firms(panel: pd.DataFrame, firms: pd.DataFrame, *, exact: tuple[str, ...], k: int, seed: int
                        ) -> did.Matched:
    """Designated firms valued before their cohort year, matched to never-designated firms."""
    firms = firms.set_index("firm_id")
    first_log = (panel.sort_values(["firm_id", "period"]).groupby("firm_id")
                 .agg(first_period=("period", "first"), first_log_value=("log_value", "first")))
    cohort = panel.groupby("firm_id")["cohort"].first()
    unit = first_log.join(cohort).join(firms[list(exact)], how="left").reset_index()
    unit = unit.dropna(subset=list(exact))
    treated = unit[(unit["cohort"] > 0) & (unit["first_period"] < unit["cohort"])]
    pool = unit[unit["cohort"] == 0]
    return did.match_controls(treated, pool, exact=list(exact), on=["first_period", "first_log_value"], k=k,
                              unit_col="firm_id", seed=seed)


def valuation_did_from_panel(deal_events: pd.DataFrame, panel: pd.DataFrame, *, seed: int = 0,
                             **options: object) -> ValuationDiD:
    """:func:`valuation_did` on real deals and a designation panel: link, attach dates, estimate.

    Parameters
    ----------
    deal_events : DataFrame
        Canonical events.
    panel : DataFrame
        Designation panel (:func:`lgresearch.designations.build_panel`).
    seed : int, default 0
        Seed of the matching.
    **options
        Passed to :func:`valuation_did` (``k``, ``window``, ``exact``, ``estimator``).

    Returns
    -------
    ValuationDiD
        The estimate on the linked firms (cohort = year of the designation date).

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=400, seed=1, effect=0.4, selection=0.0)
    >>> r = valuation_did_from_panel(w.deals, w.designations, exact=("industry_vendor",))
    >>> r.n_treated == valuation_did(w.deals, w.designations, exact=("industry_vendor",)).n_treated
    True
    """
    attached = link.attach_designations(deal_events, panel)
    des = (attached.loc[attached["designation_date"].notna(), ["firm_id", "designation_date", "batch"]]
           .drop_duplicates("firm_id").assign(cohort_year=lambda d: d["designation_date"].dt.year))
    plain = attached.drop(columns=link.ATTACHED_COLUMNS)
    return valuation_did(plain, des, seed=seed, **options)  # type: ignore[arg-type]


def flag_pairs(
    pairs: pd.DataFrame,
    *,
    program_firms: Iterable[object],
    listing_status: pd.Series | Mapping[object, str] | None = None,
) -> pd.DataFrame:
    """Round pairs with the flags the step-up comparisons use; pairs of two rounds on one day are dropped.

    Parameters
    ----------
    pairs : DataFrame
        Output of :func:`lgresearch.deals.step_ups`.
    program_firms : iterable
        ``firm_id`` values of the program firms.
    listing_status : Series or mapping, optional
        ``firm_id`` → listing status (:func:`lgresearch.deals.listing_status`); firms without one are
        ``never listed``.

    Returns
    -------
    DataFrame
        The pairs with ``days > 0`` and ``program_firm`` (bool), ``horizon`` (``within 6 months`` / ``more than 6
        months``), ``listing_status`` and ``stage`` (the later round's category); provenance carried over.

    Examples
    --------
    >>> from lgresearch import deals
    >>> p = flag_pairs(deals.step_ups(deals.demo_events()), program_firms=[])
    >>> p[["program_firm", "listing_status"]].values.tolist()
    [[False, 'never listed']]
    """
    status = pd.Series(dtype=object) if listing_status is None else listing_status
    mapped = pairs["firm_id"].map(status)
    if not pd.api.types.is_string_dtype(mapped.dtype):  # all missing: float NaN, which cannot take text
        mapped = mapped.astype(object)
    out = pairs.assign(program_firm=pairs["firm_id"].isin(set(program_firms)),
                       horizon=np.where(pairs["within_6m"], "within 6 months", "more than 6 months"),
                       listing_status=mapped.fillna("never listed"),
                       stage=pairs["category"])
    out = out[out["days"] > 0].reset_index(drop=True)
    out.attrs.update({k: v for k, v in pairs.attrs.items() if k in ("provenance", "source")})
    return out


def program_step_ups(steps: pd.DataFrame, identified: pd.DataFrame, *, low: float = 1.5) -> pd.DataFrame:
    """Program firms' pairs within six months with a step-up of at least ``low``, on or after the earliest
    possible designation.

    Parameters
    ----------
    steps : DataFrame
        Output of :func:`flag_pairs`.
    identified : DataFrame
        Identified program firms (:func:`lgresearch.link.identified_little_giants`): ``firm_id``,
        ``window_start`` (earliest possible designation) and ``date_known``.
    low : float, default 1.5
        Smallest step-up counted.

    Returns
    -------
    DataFrame
        The selected pairs with ``after_earliest_designation`` and ``designation_date_known`` columns.

    Examples
    --------
    >>> from lgresearch import deals
    >>> s = flag_pairs(deals.step_ups(deals.demo_events()), program_firms=["甲科技有限公司"])
    >>> ids = pd.DataFrame({"firm_id": ["甲科技有限公司"], "window_start": [pd.Timestamp("2021-01-01")],
    ...                     "date_known": [True]})
    >>> program_step_ups(s, ids)["step_up"].tolist()
    [2.0]
    """
    earliest = identified.set_index("firm_id")["window_start"]
    date_known = identified.set_index("firm_id")["date_known"]
    s = steps.assign(after_earliest_designation=steps["date"] >= steps["firm_id"].map(earliest),
                     designation_date_known=steps["firm_id"].map(date_known).astype("boolean").fillna(False)
                     .astype(bool))
    return s[s["program_firm"] & s["within_6m"] & (s["step_up"] >= low) & s["after_earliest_designation"]]


def identified_from_designations(designations: pd.DataFrame, *, date_col: str = "event_date",
                                 source: str = "simulated designation") -> pd.DataFrame:
    """Designated firms with exact dates in the shape of :func:`lgresearch.link.identified_little_giants`.

    Used when the designation dates are known for every firm (a simulated world, or a designation panel already
    keyed by the deals' ``firm_id``): the window is the designation date itself.

    Parameters
    ----------
    designations : DataFrame
        ``firm_id`` and a date column.
    date_col : str, default "event_date"
        The designation date column.
    source : str, default "simulated designation"
        Value of the ``source`` column.

    Returns
    -------
    DataFrame
        ``firm_id, source, window_start, window_end, date_known`` (always true).

    Examples
    --------
    >>> d = pd.DataFrame({"firm_id": ["a"], "event_date": ["2021-07-01"]})
    >>> identified_from_designations(d)[["firm_id", "window_start", "date_known"]].values.tolist()
    [['a', Timestamp('2021-07-01 00:00:00'), True]]
    """
    dates = pd.to_datetime(designations[date_col])
    return pd.DataFrame({"firm_id": designations["firm_id"], "source": source, "window_start": dates,
                         "window_end": dates, "date_known": True})


def did_method_check(
    selections: Mapping[str, float],
    *,
    n_firms: int,
    effect: float,
    seed: int = 0,
    exact: tuple[str, ...] = ("industry_vendor",),
) -> tuple[pd.DataFrame, dict[str, ValuationDiD]]:
    """:func:`valuation_did` on simulated designation worlds with a planted effect, one world per selection.

    Parameters
    ----------
    selections : mapping of str to float
        World label → selection strength of :func:`lgresearch.simulate.designation_world` (0 = random).
    n_firms : int
        Simulated firms per world.
    effect : float
        Planted effect on log valuation.
    seed : int, default 0
        Seed of the worlds and the matching.
    exact : tuple of str
        Exact matching columns.

    Returns
    -------
    (DataFrame, dict)
        A table (``world``, ``true effect``, ``DiD estimate``, ``ci_low``, ``ci_high``, ``pre-trend p``,
        ``treated``, ``controls``), labelled SIMULATED, and the :class:`ValuationDiD` of each world.

    Examples
    --------
    >>> t, res = did_method_check({"random": 0.0}, n_firms=400, effect=0.4, seed=1)
    >>> t["world"].tolist(), t["provenance"].iloc[0]
    (['random'], 'simulated')
    """
    rows, results = [], {}
    for label, selection in selections.items():
        w = simulate.designation_world(n_firms=n_firms, seed=seed, effect=effect, selection=selection)
        r = valuation_did(w.deals, w.designations, exact=exact, seed=seed)
        truth = float(w.true_att(window=(0, 2)))
        a = r.att.iloc[0]
        rows.append({"world": label, "true effect": truth, "DiD estimate": a["estimate"], "ci_low": a["ci_low"],
                     "ci_high": a["ci_high"], "pre-trend p": r.pretrend_p, "treated": r.n_treated,
                     "controls": r.n_controls})
        results[label] = r
    return mark_simulated(pd.DataFrame(rows), "lgresearch.simulate.designation_world"), results
