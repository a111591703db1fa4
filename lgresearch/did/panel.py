"""Panels for the estimators: validation and standardization, cohorts, deal aggregation to firm-periods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.errors import DidInputError
from lgresearch.matching import _check_columns, _inherit_provenance

#: Value of ``cohort`` that marks a never-treated unit (NaN is accepted too).
NEVER_TREATED = 0


#: Estimators of :func:`event_study` / :func:`att`.
ESTIMATORS = ("twfe", "sun_abraham", "did2s")
#: Comparison groups.
CONTROLS = ("not_yet_treated", "never_treated", "later_treated")
#: Columns of the tidy event-study frame.
TIDY_COLUMNS = ["event_time", "estimate", "se", "ci_low", "ci_high", "estimator", "n_obs", "n_units", "n_treated"]
#: Columns of the one-row :func:`att` frame.
ATT_COLUMNS = ["estimator", "estimate", "se", "ci_low", "ci_high", "post_from", "post_to", "n_obs", "n_units",
               "n_treated"]


@renamed_kwargs(unit="unit_col", time="time_col", treatment="treatment_col")
def cohort_from_treatment(panel: pd.DataFrame, *, unit_col: str, time_col: str, treatment_col: str) -> pd.Series:
    """First period with ``treatment == 1`` per unit (0 when never treated); raise on treatment reversal.

    Parameters
    ----------
    panel : DataFrame
        Long panel with a 0/1 (or boolean) treatment indicator.
    unit_col, time_col, treatment_col : str
        Column names.

    Returns
    -------
    Series
        Cohort per row of ``panel`` (aligned to its index).

    Raises
    ------
    DidInputError
        When a unit switches from treated back to untreated (designations are absorbing here), or the indicator
        is not 0/1.

    Examples
    --------
    >>> p = pd.DataFrame({"u": [1, 1, 1, 2, 2, 2], "t": [1, 2, 3] * 2, "d": [0, 1, 1, 0, 0, 0]})
    >>> cohort_from_treatment(p, unit_col="u", time_col="t", treatment_col="d").tolist()
    [2, 2, 2, 0, 0, 0]
    """
    unit, time, treatment = unit_col, time_col, treatment_col  # column names
    _check_columns(panel, [unit, time, treatment], "panel")
    d = pd.to_numeric(panel[treatment], errors="coerce")
    if d.isna().any() or not d.isin([0, 1]).all():
        bad = panel.loc[d.isna() | ~d.isin([0, 1]), treatment].head(3).tolist()
        raise DidInputError(f"treatment column {treatment!r} must be 0/1 (or boolean); found values like {bad}")
    frame = pd.DataFrame({"u": panel[unit].to_numpy(), "t": panel[time].to_numpy(), "d": d.to_numpy()},
                         index=panel.index).sort_values(["u", "t"])
    prev = frame.groupby("u", sort=False)["d"].cummax()
    reversal = (prev > frame["d"])
    if reversal.any():
        r = frame[reversal].iloc[0]
        n_units = frame.loc[reversal, "u"].nunique()
        raise DidInputError(
            f"treatment reversal: unit {r['u']!r} is treated before period {r['t']} and untreated in it "
            f"({n_units} unit(s) affected). The estimators assume an absorbing treatment (once designated, always "
            "designated): code the first designation as the cohort, or drop units whose designation was revoked.")
    first = frame[frame["d"] == 1].groupby("u")["t"].min()
    return panel[unit].map(first).fillna(0).astype(panel[time].dtype if pd.api.types.is_integer_dtype(
        panel[time]) else float).rename("cohort")


@renamed_kwargs(unit="unit_col", date="date_col", value="value_col")
def aggregate_deals(
    deals: pd.DataFrame,
    *,
    designations: pd.DataFrame | None = None,
    unit_col: str = "firm_id",
    date_col: str = "date",
    value_col: str = "post_money_cny",
    freq: str = "year",
    rule: str = "mean_log",
    ledger=None,
) -> pd.DataFrame:
    """Aggregate deal rows (unbalanced, irregular dates) to a firm-period panel of log valuations.

    The documented rule: a firm-period's outcome ``log_value`` is the mean (``rule="mean_log"``) or the last
    (``rule="last_log"``) of ``log(value)`` over the firm's deals dated in that period that carry a positive
    valuation. Periods without a valued deal are absent (the panel is unbalanced; the estimators accept that).
    Deals without a valuation, a date or a firm id are not used; every deal row is accounted for in
    ``attrs["deal_accounting"]`` and, when ``ledger`` is given, in that :class:`lgresearch.ledger.Ledger`
    (``merged`` into a firm-period, or ``dropped`` with the reason).

    Parameters
    ----------
    deals : DataFrame
        Canonical deals (one row per financing event).
    designations : DataFrame, optional
        Designation panel (``firm_id``, ``cohort_year`` and, for half-years, ``event_date`` or
        ``announcement_date``). Adds ``cohort`` (first designation period; 0 = never designated).
    unit_col, date_col, value_col : str
        Column names in ``deals``.
    freq : {"year", "half"}
        Firm-years or firm-half-years. Half-year periods are integers ``2 * year + (month > 6)`` (consecutive),
        with a readable ``period_label`` such as ``"2021H2"``.
    rule : {"mean_log", "last_log"}
        Aggregation rule (see above).
    ledger : Ledger, optional
        Receives one outcome per deal row (``source_file`` = ``"deals"``, ``source_row`` = position + 1).

    Returns
    -------
    DataFrame
        ``firm_id, period, period_label, year, log_value, n_deals, cohort`` (``cohort`` only with designations),
        with the deals' provenance.

    Examples
    --------
    >>> d = pd.DataFrame({"firm_id": ["a", "a", "a", "b"], "post_money_cny": [1e8, 2e8, None, 5e7],
    ...                   "date": pd.to_datetime(["2020-03-01", "2020-09-01", "2021-01-01", "2021-05-01"])})
    >>> p = aggregate_deals(d)
    >>> p[["firm_id", "period", "n_deals"]].values.tolist()
    [['a', 2020, 2], ['b', 2021, 1]]
    >>> p.attrs["deal_accounting"]["dropped: no positive valuation"]
    1
    """
    unit, date, value = unit_col, date_col, value_col  # column names
    if freq not in ("year", "half"):
        raise DidInputError(f"freq must be 'year' or 'half', got {freq!r}")
    if rule not in ("mean_log", "last_log"):
        raise DidInputError(f"rule must be 'mean_log' or 'last_log', got {rule!r}")
    _check_columns(deals, [unit, date, value], "deals")
    d, accounting = _usable_deals(deals, unit=unit, date=date, value=value, ledger=ledger)
    d = _with_periods(d, freq)
    d["log_value"] = np.log(d["value"])
    d = d.sort_values(["firm_id", "period", "date", "row"])
    g = d.groupby(["firm_id", "period"], sort=True)
    out = g.agg(period_label=("period_label", "first"), year=("year", "first"),
                log_value=("log_value", "mean" if rule == "mean_log" else "last"),
                n_deals=("log_value", "size")).reset_index()
    if designations is not None:
        out["cohort"] = out["firm_id"].map(cohorts_from_designations(designations, freq=freq)).fillna(0).astype(int)
    out.attrs["deal_accounting"] = accounting
    out.attrs["aggregation"] = {"freq": freq, "rule": rule, "value": value}
    return _inherit_provenance(out, deals)


def _usable_deals(deals: pd.DataFrame, *, unit: str, date: str, value: str, ledger) -> tuple[pd.DataFrame, dict]:
    """Deal rows with a firm id, a date and a positive valuation, and the count of every row kept or dropped
    (also written to ``ledger`` when given)."""
    d = pd.DataFrame({
        "firm_id": deals[unit].to_numpy(),
        "date": pd.to_datetime(deals[date], errors="coerce").to_numpy(),
        "value": pd.to_numeric(deals[value], errors="coerce").to_numpy(dtype=float),
        "row": np.arange(1, len(deals) + 1),
    })
    no_firm = d["firm_id"].isna() | (d["firm_id"].astype(str).str.strip() == "")
    no_date = d["date"].isna() & ~no_firm
    no_value = ~(d["value"] > 0) & ~no_firm & ~no_date
    use = ~(no_firm | no_date | no_value)
    accounting = {
        "n_deals_in": len(d),
        "merged into firm-periods": int(use.sum()),
        "dropped: no firm id": int(no_firm.sum()),
        "dropped: no date": int(no_date.sum()),
        "dropped: no positive valuation": int(no_value.sum()),
    }
    if ledger is not None:
        ledger.add("deals", d.loc[use, "row"], "merged", detail="firm-period log valuation")
        for mask, why in ((no_firm, "no firm id"), (no_date, "no date"), (no_value, "no positive valuation")):
            ledger.add("deals", d.loc[mask, "row"], "dropped", reason=why)
    return d[use].copy(), accounting


def _with_periods(d: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Add ``year``, the integer ``period`` (year, or half-year index ``2 * year + (month > 6)``) and its label."""
    d["year"] = d["date"].dt.year.astype(int)
    if freq == "year":
        d["period"] = d["year"]
        d["period_label"] = d["year"].astype(str)
    else:
        half = (d["date"].dt.month > 6).astype(int)
        d["period"] = 2 * d["year"] + half
        d["period_label"] = d["year"].astype(str) + "H" + (half + 1).astype(str)
    return d


@renamed_kwargs(unit="unit_col")
def cohorts_from_designations(designations: pd.DataFrame, *, freq: str = "year", unit_col: str = "firm_id"
                              ) -> pd.Series:
    """First designation period per firm (``cohort_year``; for ``freq="half"`` the half-year of the event date).

    Parameters
    ----------
    designations : DataFrame
        Designation panel with ``firm_id`` (see ``unit_col``) and the designation date.
    freq : {"year", "half"}
        Period of the cohort: calendar year, or half-year index of the designation date.
    unit_col : str
        Firm identifier column.

    Returns
    -------
    Series
        First designation period per firm, indexed by the firm identifier.

    Examples
    --------
    >>> des = pd.DataFrame({"firm_id": ["a", "a", "b"], "cohort_year": [2021, 2019, 2022],
    ...                     "event_date": pd.to_datetime(["2021-07-01", "2019-06-13", "2022-11-01"])})
    >>> cohorts_from_designations(des).to_dict()
    {'a': 2019, 'b': 2022}
    >>> cohorts_from_designations(des, freq="half").to_dict()
    {'a': 4038, 'b': 4045}
    """
    unit = unit_col  # column name
    _check_columns(designations, [unit], "designations")
    if freq == "year":
        _check_columns(designations, ["cohort_year"], "designations")
        per = pd.to_numeric(designations["cohort_year"], errors="coerce")
    else:
        col = next((c for c in ("event_date", "announcement_date", "publicity_start") if c in designations), None)
        if col is None:
            raise DidInputError("half-year cohorts need an event_date or announcement_date column in designations")
        dt = pd.to_datetime(designations[col], errors="coerce")
        per = 2 * dt.dt.year + (dt.dt.month > 6).astype(int)
    frame = pd.DataFrame({"u": designations[unit].to_numpy(), "p": per.to_numpy()}).dropna()
    return frame.groupby("u")["p"].min().astype(int).rename("cohort")


@dataclass
class _Prepared:
    data: pd.DataFrame  # columns _y _unit _time _g _e _cl (+ _D)
    info: dict


def _as_int_time(s: pd.Series, name: str) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(s):
        raise DidInputError(
            f"time column {name!r} holds dates; the estimators need integer periods (e.g. years). Aggregate deal "
            "rows with lgresearch.did.aggregate_deals(freq='year' or 'half') first.")
    v = pd.to_numeric(s, errors="coerce")
    if v.isna().any():
        raise DidInputError(f"time column {name!r} has {int(v.isna().sum())} missing or non-numeric values")
    arr = v.to_numpy(dtype=float)
    if not np.all(arr == np.round(arr)):
        raise DidInputError(f"time column {name!r} must hold whole periods (years, half-year indices)")
    return arr.astype(np.int64)


def _example_row(panel: pd.DataFrame, mask: np.ndarray, unit: str, time: str) -> str:
    """'row <label> (unit ..., time ...)' for the first row of ``mask``."""
    i = int(np.flatnonzero(mask)[0])

    def show(v: object) -> str:
        return repr(v.item() if isinstance(v, np.generic) else v)

    return f"row {show(panel.index[i])} ({unit}={show(panel[unit].iloc[i])}, {time}={show(panel[time].iloc[i])})"


def _check_finite_outcome(panel: pd.DataFrame, outcome: str, unit: str, time: str, y: pd.Series) -> None:
    """An infinite outcome would make every estimate NaN: an error naming the column and one row."""
    vals = pd.Series(y).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isinf(vals)
    if bad.any():
        raise DidInputError(
            f"outcome column {outcome!r} has {int(bad.sum())} infinite value(s), e.g. "
            f"{_example_row(panel, bad, unit, time)}"
            f" = {vals[bad][0]}; set them to NaN (missing) or fix the log of zero that produced them")


def _check_cohort_codes(panel: pd.DataFrame, cohort: str, unit: str, time: str, g_raw: pd.Series,
                        t: np.ndarray) -> None:
    """A cohort is NaN (never treated) or a period; sentinel codes are errors naming the column and a row.

    0 means never treated only when no period can be 0 (all periods positive, e.g. years); with 0-based or
    negative periods a 0 would silently become never-treated, so it is an error. A negative cohort that is not a
    period of the panel, or a cohort further from the panel's range than its length (9999 with years), is a
    sentinel code, not a period.
    """
    g = g_raw.to_numpy(dtype=float)
    t_min, t_max = int(t.min()), int(t.max())
    span = t_max - t_min + 1
    given = ~np.isnan(g)
    zero = given & (g == 0)
    if zero.any() and t_min <= 0:
        raise DidInputError(
            f"cohort column {cohort!r} holds 0 ({_example_row(panel, zero, unit, time)}) but the time column "
            f"{time!r} has periods from {t_min}: 0 could be a period, so it cannot mean never treated. Code "
            "never-treated units as NaN.")
    periods = np.unique(t)
    not_period = given & ~zero & ~np.isin(g, periods)
    sentinel = not_period & ((g < 0) | (g > t_max + span) | (g < t_min - span))
    if sentinel.any():
        raise DidInputError(
            f"cohort column {cohort!r} holds {g[sentinel][0]:g} ({_example_row(panel, sentinel, unit, time)}), "
            f"which is not a period (the panel runs {t_min}..{t_max}): a sentinel code? A cohort is the first "
            "treated period, or NaN for never-treated units.")


@renamed_kwargs(outcome="outcome_col", unit="unit_col", time="time_col", cohort="cohort_col",
                treatment="treatment_col", cluster="cluster_col")
def prepare_panel(
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
) -> _Prepared:
    """Validate a panel for the estimators and standardize it (internal columns ``_y, _unit, _time, _g, _cl``).

    Raises :class:`DidInputError` with what to change for: missing columns, a non-numeric or infinite outcome,
    a cohort that is neither NaN nor a period (a sentinel such as -1 or 9999, or 0 when periods start at 0 —
    the message names the column and one row), dates as time, duplicated (unit, time) rows (unless
    ``repeated``), a cohort that varies within a unit or a treatment reversal, cohorts outside the data's time
    range (unless ``out_of_range`` says what to do), missing cluster ids, and fewer than two treated units.

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
    _Prepared
        ``data`` (the panel with internal columns ``_y, _unit, _time, _g, _cl``) and the counts the estimators
        report; bad input raises :class:`DidInputError` naming the row and column.

    Examples
    --------
    >>> p = pd.DataFrame({"u": ["a", "a", "b", "b"], "t": [1, 2, 1, 2], "g": [2, 2, 0, 0], "y": [0., 1., 0., 0.]})
    >>> try:
    ...     prepare_panel(p, outcome_col="y", unit_col="u", time_col="t", cohort_col="g")
    ... except DidInputError as err:
    ...     print(err)
    only 1 treated unit(s) in the panel; an event study needs at least 2
    """
    outcome, unit, time, cohort, treatment = outcome_col, unit_col, time_col, cohort_col, treatment_col
    cluster = _check_prepare_args(panel, outcome=outcome, unit=unit, time=time, cohort=cohort, treatment=treatment,
                                  cluster=cluster_col, out_of_range=out_of_range)
    info: dict = {"n_rows_in": len(panel)}
    y = _numeric_outcome(panel, outcome)
    if panel[unit].isna().any():
        raise DidInputError(f"unit column {unit!r} has {int(panel[unit].isna().sum())} missing values")
    t = _as_int_time(panel[time], time)
    g_raw = _raw_cohorts(panel, unit=unit, time=time, cohort=cohort, treatment=treatment)
    _check_finite_outcome(panel, outcome, unit, time, y)
    g = _cohort_codes(panel, g_raw, unit=unit, time=time, cohort=cohort, t=t)
    cl = panel[cluster]
    if cl.isna().any():
        raise DidInputError(f"cluster column {cluster!r} has {int(cl.isna().sum())} missing values; fill or drop them")

    unit_codes, unit_labels = pd.factorize(panel[unit], sort=False)
    df = pd.DataFrame({"_y": np.asarray(y, dtype=float), "_unit": unit_codes.astype(np.int64), "_time": t,
                       "_g": g, "_cl": pd.factorize(cl, sort=False)[0].astype(np.int64)})
    _check_unit_rows(df, unit_labels, time=time, repeated=repeated)
    missing_y = df["_y"].isna()
    info["n_rows_missing_outcome"] = int(missing_y.sum())
    df = _cohorts_in_range(df[~missing_y], out_of_range, info)
    n_treated = int(df.loc[(df["_g"] > 0) & ~df["_late"], "_unit"].nunique())
    if n_treated < 2:
        raise DidInputError(f"only {n_treated} treated unit(s) in the panel; an event study needs at least 2")
    info["unit_labels"] = unit_labels
    info["cluster_name"] = cluster
    return _Prepared(df.reset_index(drop=True), info)


def _numeric_outcome(panel: pd.DataFrame, outcome: str) -> pd.Series:
    """The outcome column as numbers; text that is not a number is an error."""
    if pd.api.types.is_numeric_dtype(panel[outcome]):
        return panel[outcome]
    y = pd.to_numeric(panel[outcome], errors="coerce")
    if y.notna().sum() < panel[outcome].notna().sum():
        raise DidInputError(f"outcome {outcome!r} is not numeric (dtype {panel[outcome].dtype}); convert it first")
    return y


def _check_prepare_args(panel: pd.DataFrame, *, outcome: str, unit: str, time: str, cohort: str | None,
                        treatment: str | None, cluster: str | None, out_of_range: str) -> str:
    """Check the arguments of :func:`prepare_panel` against the panel; return the cluster column."""
    if (cohort is None) == (treatment is None):
        raise DidInputError("give exactly one of cohort= (first treated period) or treatment= (0/1 indicator)")
    explicit_cluster = cluster is not None and cluster != unit
    cluster = cluster or unit
    cols = [outcome, unit, time, cast(str, cohort or treatment), cluster]  # exactly one is given (checked above)
    _check_columns(panel, list(dict.fromkeys(cols)), "panel")
    if explicit_cluster and not pd.api.types.is_numeric_dtype(panel[cluster]):
        raise DidInputError(
            f"cluster column {cluster!r} holds {panel[cluster].dtype} IDs; cluster IDs must be integers (pyfixest's "
            f"wild bootstrap fails on string IDs): add panel['{cluster}_id'] = pd.factorize(panel['{cluster}'])[0] "
            f"and pass cluster='{cluster}_id' (the default, cluster=unit, is coded internally)")
    if out_of_range not in ("error", "drop", "control"):
        raise DidInputError(f"out_of_range must be 'error', 'drop' or 'control', got {out_of_range!r}")
    return cluster


def _raw_cohorts(panel: pd.DataFrame, *, unit: str, time: str, cohort: str | None, treatment: str | None
                 ) -> pd.Series:
    """Cohort per row as given (NaN or 0 = never treated), from the cohort column or the treatment indicator."""
    if treatment is not None:
        return cohort_from_treatment(panel, unit_col=unit, time_col=time, treatment_col=treatment)
    g_raw = pd.to_numeric(panel[cohort], errors="coerce")
    if panel[cohort].notna().sum() > g_raw.notna().sum():
        raise DidInputError(f"cohort column {cohort!r} must be numeric periods (NaN or 0 = never treated)")
    return g_raw


def _cohort_codes(panel: pd.DataFrame, g_raw: pd.Series, *, unit: str, time: str, cohort: str | None,
                  t: np.ndarray) -> np.ndarray:
    """Integer cohort per row (0 = never treated); sentinel codes and fractional periods are errors."""
    if cohort is not None:
        _check_cohort_codes(panel, cohort, unit, time, g_raw, t)
    g = g_raw.fillna(0).to_numpy(dtype=float)
    if not np.all(g == np.round(g)):
        raise DidInputError(f"cohort column {cohort!r} must hold whole periods like the time column")
    return g.astype(np.int64)


def _check_unit_rows(df: pd.DataFrame, unit_labels: pd.Index, *, time: str, repeated: bool) -> None:
    """One cohort per unit, and (unless ``repeated``) one row per unit and period."""
    # cohort constant within unit (a changing cohort is a treatment reversal or a data error)
    g_per_unit = df.groupby("_unit")["_g"].agg(["min", "max"])
    varying = g_per_unit[g_per_unit["min"] != g_per_unit["max"]]
    if len(varying):
        ex = unit_labels[varying.index[0]]
        raise DidInputError(
            f"cohort varies within {len(varying)} unit(s) (e.g. {ex!r}: {int(varying.iloc[0]['min'])} and "
            f"{int(varying.iloc[0]['max'])}): treatment reversal or re-designation. Give each unit one cohort "
            "(its first designation period) for every row.")
    if not repeated:
        dup = df.duplicated(["_unit", "_time"], keep=False)
        if dup.any():
            r = df[dup].iloc[0]
            raise DidInputError(
                f"{int(dup.sum())} rows share a (unit, time) pair (e.g. unit {unit_labels[int(r['_unit'])]!r}, "
                f"{time} {int(r['_time'])}). Aggregate them first (lgresearch.did.aggregate_deals for deals) or "
                "pass repeated=True to estimate on the rows with unit and time fixed effects.")


def _cohorts_in_range(df: pd.DataFrame, out_of_range: str, info: dict) -> pd.DataFrame:
    """Apply the ``out_of_range`` rule to cohorts at or before the first period or after the last; add ``_late``."""
    t_min, t_max = int(df["_time"].min()), int(df["_time"].max())
    info["time_range"] = (t_min, t_max)
    early = (df["_g"] > 0) & (df["_g"] <= t_min)
    late = df["_g"] > t_max
    n_early, n_late = int(df.loc[early, "_unit"].nunique()), int(df.loc[late, "_unit"].nunique())
    if (n_early or n_late) and out_of_range == "error":
        parts = []
        if n_early:
            parts.append(f"{n_early} unit(s) treated at or before the first period {t_min} (no pre-period)")
        if n_late:
            parts.append(f"{n_late} unit(s) treated after the last period {t_max}")
        raise DidInputError(
            "cohort outside the data's time range: " + "; ".join(parts) + ". Extend the panel, drop those units, "
            "or pass out_of_range='drop' (drop them) or out_of_range='control' (drop the always-treated, keep "
            "the later-treated as not-yet-treated comparisons).")
    info["n_units_dropped_always_treated"] = n_early if out_of_range != "error" else 0
    info["n_units_late_cohort"] = n_late
    df = df[~early]
    if out_of_range == "drop":
        df = df[~late]
        info["late_as_control"] = False
    else:
        info["late_as_control"] = bool(n_late)
    return df.assign(_late=df["_g"] > t_max)


#: Every public name of this module.
__all__ = ["aggregate_deals", "ATT_COLUMNS", "cohort_from_treatment", "cohorts_from_designations", "CONTROLS",
           "ESTIMATORS", "NEVER_TREATED", "prepare_panel", "TIDY_COLUMNS"]
