"""Causal toolkit: matched controls, staggered difference-in-differences and event studies.

Thin wrappers over pyfixest (and numpy/scipy where simpler), not re-implementations. Every estimator returns one
tidy frame (``event_time, estimate, se, ci_low, ci_high, estimator, n_obs, n_units``) that
:func:`lgresearch.plotting.plot_event_study` draws, with the joint pre-trend Wald test in ``attrs["pretrend"]``.

Conventions
-----------
- ``cohort`` is the first treated period (e.g. the designation year); never-treated units have ``cohort`` NaN
  or 0 (both accepted; see :data:`NEVER_TREATED`).
- ``event_time = time - cohort``; the reference (omitted) period ``ref`` defaults to -1.
- Clustering defaults to the unit (any ID type, coded to integers internally). An explicit ``cluster=`` column must
  hold integer IDs (pyfixest's wild bootstrap fails on strings); a string column raises an error saying how to code it.

Examples
--------
>>> import pandas as pd
>>> treated = pd.DataFrame({"id": ["a", "b"], "industry": ["x", "y"], "size": [1.0, 5.0]})
>>> pool = pd.DataFrame({"id": ["c", "d", "e"], "industry": ["x", "y", "y"], "size": [1.2, 9.0, 5.5]})
>>> m = match_controls(treated, pool, exact=["industry"], on=["size"], unit_col="id")
>>> m.pairs[["treated_id", "control_id"]].values.tolist()
[['a', 'c'], ['b', 'e']]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.results import FrameResult

#: Value of ``cohort`` that marks a never-treated unit (NaN is accepted too).
NEVER_TREATED = 0


from lgresearch.errors import DidInputError  # noqa: E402  (defined with every error class)


# ----------------------------------------------------------------------------------------------------------------
# Matching
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class Matched:
    """Result of :func:`match_controls`.

    Attributes
    ----------
    pairs : DataFrame
        One row per (treated, control) match: ``treated_id, control_id, match_rank, distance, weight`` plus the
        exact-match keys. ``weight`` is 1 / (number of controls matched to that treated unit), so weights sum to
        one per treated unit.
    controls : DataFrame
        The matched control rows of ``pool`` (one row per pair, repeated when a control serves several treated
        units), with ``treated_id``, ``match_rank``, ``distance`` and ``weight`` columns in front.
    balance : DataFrame
        Balance table, one row per variable: means of treated, pool (same exact strata, before matching) and
        matched controls (weighted), standardized differences before and after (difference in means over
        sqrt((var_treated + var_pool) / 2), the pre-matching pooled SD used for both), and variance ratios.
    unmatched : DataFrame
        Treated rows with no control (``reason`` says why: missing value, empty stratum, caliper).
    """

    pairs: pd.DataFrame
    controls: pd.DataFrame
    balance: pd.DataFrame
    unmatched: pd.DataFrame
    info: dict = field(default_factory=dict)

    def __iter__(self):
        """Allow ``pairs, controls, balance, unmatched = match_controls(...)``."""
        return iter((self.pairs, self.controls, self.balance, self.unmatched))


def _inherit_provenance(out: pd.DataFrame, *inputs: pd.DataFrame) -> pd.DataFrame:
    """Copy provenance attrs to a derived frame: simulated if any input is simulated, else the first real source."""
    from lgresearch.provenance import ATTR, SIMULATED, SOURCE_ATTR, is_simulated

    sim = [f for f in inputs if is_simulated(f)]
    if sim:
        out.attrs[ATTR] = SIMULATED
        out.attrs[SOURCE_ATTR] = sim[0].attrs.get(SOURCE_ATTR, "SIMULATED DATA")
        return out
    for f in inputs:
        if ATTR in f.attrs:
            out.attrs[ATTR] = f.attrs[ATTR]
            if SOURCE_ATTR in f.attrs:
                out.attrs[SOURCE_ATTR] = f.attrs[SOURCE_ATTR]
            break
    return out


def _check_columns(frame: pd.DataFrame, cols: Sequence[str], name: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise DidInputError(f"{name} lacks column(s) {missing}; it has {list(frame.columns)}")


def _stratum_keys(frame: pd.DataFrame, exact: list[str]) -> pd.Series:
    if not exact:
        return pd.Series("all", index=frame.index, dtype=object)
    return pd.Series(list(zip(*(frame[c].tolist() for c in exact), strict=True)), index=frame.index,
                     dtype=object)


#: Columns of :func:`balance_table`.
BALANCE_COLUMNS = ["variable", "mean_treated", "mean_pool", "mean_matched", "std_diff_before", "std_diff_after",
                   "var_ratio_before", "var_ratio_after", "n_treated", "n_pool", "n_matched"]


def _std_diff(mt: float, mc: float, vt: float, vc: float) -> float:
    denom = np.sqrt((vt + vc) / 2.0)
    if not np.isfinite(denom) or denom == 0:
        return 0.0 if mt == mc else float("nan")
    return float((mt - mc) / denom)


def balance_table(
    treated: pd.DataFrame,
    pool: pd.DataFrame,
    matched: pd.DataFrame,
    variables: Sequence[str],
    *,
    weights: pd.Series | np.ndarray | None = None,
) -> pd.DataFrame:
    """Standardized differences of ``variables`` before (treated vs pool) and after matching (treated vs matched).

    Parameters
    ----------
    treated, pool, matched : DataFrame
        Treated rows, candidate controls before matching, and matched control rows.
    variables : sequence of str
        Numeric columns to compare.
    weights : array-like, optional
        Weights of the matched rows (default equal).

    Returns
    -------
    DataFrame
        ``variable, mean_treated, mean_pool, mean_matched, std_diff_before, std_diff_after, var_ratio_before,
        var_ratio_after, n_treated, n_pool, n_matched``. ``|std_diff| < 0.1`` is the usual balance threshold.

    Examples
    --------
    >>> t = pd.DataFrame({"x": [1.0, 2.0, 3.0]}); p = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 10.0]})
    >>> b = balance_table(t, p, p.iloc[1:4], ["x"])
    >>> round(float(b.loc[0, "std_diff_after"]), 6)
    0.0
    """
    rows = []
    w = np.ones(len(matched)) if weights is None else np.asarray(weights, dtype=float)
    for var in variables:
        xt = pd.to_numeric(treated[var], errors="coerce").to_numpy(dtype=float)
        xp = pd.to_numeric(pool[var], errors="coerce").to_numpy(dtype=float)
        xm = pd.to_numeric(matched[var], errors="coerce").to_numpy(dtype=float)
        xt, xp = xt[np.isfinite(xt)], xp[np.isfinite(xp)]
        ok = np.isfinite(xm)
        xm, wm = xm[ok], w[ok]
        mt = float(np.mean(xt)) if len(xt) else np.nan
        mp = float(np.mean(xp)) if len(xp) else np.nan
        vt = float(np.var(xt, ddof=1)) if len(xt) > 1 else 0.0
        vp = float(np.var(xp, ddof=1)) if len(xp) > 1 else 0.0
        if len(xm) and wm.sum() > 0:
            mm = float(np.average(xm, weights=wm))
            vm = float(np.average((xm - mm) ** 2, weights=wm)) if len(xm) > 1 else 0.0
        else:
            mm, vm = np.nan, np.nan
        rows.append({
            "variable": var,
            "mean_treated": mt,
            "mean_pool": mp,
            "mean_matched": mm,
            "std_diff_before": _std_diff(mt, mp, vt, vp),
            "std_diff_after": _std_diff(mt, mm, vt, vp),
            "var_ratio_before": vt / vp if vp > 0 else np.nan,
            "var_ratio_after": vt / vm if vm and vm > 0 else np.nan,
            "n_treated": len(xt),
            "n_pool": len(xp),
            "n_matched": len(xm),
        })
    return pd.DataFrame(rows, columns=BALANCE_COLUMNS)


@renamed_kwargs(id_col="unit_col")
def match_controls(
    treated: pd.DataFrame,
    pool: pd.DataFrame,
    *,
    exact: Sequence[str] = (),
    on: Sequence[str] = (),
    k: int = 1,
    replace: bool = True,
    unit_col: str = "firm_id",
    caliper: float | None = None,
    exclude_treated: bool = True,
    balance_on: Sequence[str] = (),
    seed: int = 0,
) -> Matched:
    """Match each treated row to ``k`` controls: exact strata, then nearest neighbours on standardized ``on``.

    Distances are Euclidean on the ``on`` columns divided by their standard deviation in treated + pool (a
    diagonal Mahalanobis distance), computed within each exact stratum (e.g. province, industry, stage, year).

    Parameters
    ----------
    treated : DataFrame
        Units to find controls for (one row each; e.g. designated firms with pre-period outcomes).
    pool : DataFrame
        Candidate controls (e.g. untagged firms). Rows whose ``id_col`` is in ``treated`` are dropped when
        ``exclude_treated`` is true.
    exact : sequence of str
        Columns that must be equal (strata). Rows with a missing value in any of them cannot be matched.
    on : sequence of str
        Numeric columns for nearest-neighbour matching (e.g. log size, pre-period outcome). Empty: controls
        are drawn at random within the stratum (reproducible with ``seed``).
    k : int
        Controls per treated unit (fewer when the stratum has fewer candidates; see ``weight``).
    replace : bool
        Whether one control may serve several treated units. Without replacement, treated units are served
        greedily, closest pairs first.
    unit_col : str
        Unit identifier column in both frames.
    caliper : float, optional
        Maximum distance (in standard deviations); farther candidates are not used.
    exclude_treated : bool
        Drop pool rows whose id is also a treated id.
    balance_on : sequence of str
        Extra numeric columns for the balance table (``on`` columns are always included).
    seed : int
        Random seed (used only when ``on`` is empty).

    Returns
    -------
    Matched
        ``pairs``, ``controls``, ``balance``, ``unmatched`` (also unpackable in that order) and ``info``.

    Raises
    ------
    DidInputError
        Missing columns, non-numeric ``on`` columns, ``k < 1``, or duplicated treated ids.

    Examples
    --------
    >>> t = pd.DataFrame({"firm_id": ["t1"], "prov": ["Zhejiang"], "size": [3.0]})
    >>> p = pd.DataFrame({"firm_id": ["c1", "c2", "c3"], "prov": ["Zhejiang"] * 3, "size": [1.0, 2.9, 3.2]})
    >>> m = match_controls(t, p, exact=["prov"], on=["size"], k=2)
    >>> m.pairs["control_id"].tolist(), m.pairs["weight"].tolist()
    (['c2', 'c3'], [0.5, 0.5])
    >>> m.balance["variable"].tolist()
    ['size']
    """
    id_col = unit_col  # column name
    exact, on, balance_on = list(exact), list(on), list(balance_on)
    if k < 1:
        raise DidInputError(f"k must be at least 1, got {k}")
    _check_columns(treated, [id_col, *exact, *on, *balance_on], "treated")
    _check_columns(pool, [id_col, *exact, *on, *balance_on], "pool")
    for c in on + balance_on:
        for name, frame in (("treated", treated), ("pool", pool)):
            if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c])):
                raise DidInputError(
                    f"{name}[{c!r}] must be numeric for nearest-neighbour matching (dtype {frame[c].dtype}); "
                    f"convert it, or pass it in exact= instead")
    if treated[id_col].duplicated().any():
        dups = treated.loc[treated[id_col].duplicated(), id_col].head(5).tolist()
        raise DidInputError(f"treated has duplicated {id_col!r} values {dups}; pass one row per treated unit")

    treated = treated.reset_index(drop=True)
    pool = pool.reset_index(drop=True)
    n_pool_in = len(pool)
    if exclude_treated:
        pool = pool[~pool[id_col].isin(set(treated[id_col]))].reset_index(drop=True)
    n_excluded = n_pool_in - len(pool)

    key_cols = exact + on
    t_ok = treated[key_cols].notna().all(axis=1) if key_cols else pd.Series(True, index=treated.index)
    p_ok = pool[key_cols].notna().all(axis=1) if key_cols else pd.Series(True, index=pool.index)
    unmatched_parts = []
    if (~t_ok).any():
        bad = treated[~t_ok].copy()
        bad["reason"] = "missing value in " + ", ".join(key_cols)
        unmatched_parts.append(bad)
    n_pool_missing = int((~p_ok).sum())
    tt = treated[t_ok]
    pp = pool[p_ok]

    # scale: SD over treated + pool (complete rows); zero or undefined SD -> 1
    if on:
        both = pd.concat([tt[on], pp[on]], ignore_index=True).astype(float)
        sd = both.std(ddof=1).fillna(1.0).replace(0.0, 1.0).to_numpy()
    else:
        sd = np.ones(0)

    t_keys = _stratum_keys(tt, exact)
    p_keys = _stratum_keys(pp, exact)
    p_groups = {key: idx.to_numpy() for key, idx in pp.groupby(p_keys, sort=False).groups.items()} if len(pp) else {}
    rng = np.random.default_rng(seed)

    # candidate lists: for each treated row (positional index in tt), ordered (pool_pos, distance)
    candidates: dict[int, list[tuple[int, float]]] = {}
    reasons: dict[int, str] = {}
    t_index = tt.index.to_numpy()
    for key, t_idx in tt.groupby(t_keys, sort=False).groups.items():
        t_idx = t_idx.to_numpy()
        p_idx = p_groups.get(key)
        if p_idx is None or len(p_idx) == 0:
            for i in t_idx:
                reasons[int(i)] = "no control in the exact stratum " + (
                    ", ".join(f"{c}={v}" for c, v in zip(exact, key if isinstance(key, tuple) else (key,),
                                                       strict=False)) if exact else "")
            continue
        n_want = len(p_idx) if not replace else min(k, len(p_idx))
        if not replace:
            n_want = min(len(p_idx), k * len(t_idx) + k)
        if on:
            from scipy.spatial import cKDTree

            xp = pp.loc[p_idx, on].to_numpy(dtype=float) / sd
            xt = tt.loc[t_idx, on].to_numpy(dtype=float) / sd
            dist, pos = cKDTree(xp).query(xt, k=n_want)
            dist = np.asarray(dist).reshape(len(t_idx), n_want)
            pos = np.asarray(pos).reshape(len(t_idx), n_want)
            for row, i in enumerate(t_idx):
                cand = [(int(p_idx[pos[row, j]]), float(dist[row, j])) for j in range(n_want)
                        if np.isfinite(dist[row, j]) and (caliper is None or dist[row, j] <= caliper)]
                candidates[int(i)] = cand
                if not cand:
                    reasons[int(i)] = f"no control within caliper {caliper}"
        else:
            for i in t_idx:
                draw = rng.permutation(p_idx)[:n_want]
                candidates[int(i)] = [(int(p), 0.0) for p in draw]

    # assignment
    chosen: dict[int, list[tuple[int, float]]] = {}
    if replace:
        chosen = {i: c[:k] for i, c in candidates.items() if c}
    else:
        used: set[int] = set()
        # greedy: repeatedly serve the treated unit whose best free candidate is closest
        for _round in range(k):
            order = sorted(
                ((i, next(((p, d) for p, d in c if p not in used), None)) for i, c in candidates.items()),
                key=lambda x: (x[1] is None, x[1][1] if x[1] else 0.0, x[0]),
            )
            for i, _best in order:
                free = next(((p, d) for p, d in candidates[i] if p not in used), None)
                if free is None:
                    continue
                used.add(free[0])
                chosen.setdefault(i, []).append(free)
        for i, c in candidates.items():
            if c and i not in chosen:
                reasons[i] = "all controls in the stratum already used (replace=False)"

    rows = []
    for i in t_index:
        for rank, (p, d) in enumerate(chosen.get(int(i), []), start=1):
            rows.append((int(i), p, rank, d, 1.0 / len(chosen[int(i)])))
    pair_pos = pd.DataFrame(rows, columns=["_t", "_p", "match_rank", "distance", "weight"])
    pairs = pd.DataFrame({
        "treated_id": tt.loc[pair_pos["_t"], id_col].to_numpy(),
        "control_id": pp.loc[pair_pos["_p"], id_col].to_numpy(),
        "match_rank": pair_pos["match_rank"].to_numpy(dtype=int),
        "distance": pair_pos["distance"].to_numpy(dtype=float),
        "weight": pair_pos["weight"].to_numpy(dtype=float),
    })
    for c in exact:
        pairs[c] = tt.loc[pair_pos["_t"], c].to_numpy()

    controls = pp.loc[pair_pos["_p"]].reset_index(drop=True)
    front = pairs[["treated_id", "match_rank", "distance", "weight"]].reset_index(drop=True)
    controls = pd.concat([front, controls.drop(columns=[c for c in front.columns if c in controls.columns])],
                         axis=1)

    no_match = [i for i in t_index if int(i) not in chosen]
    if no_match:
        extra = tt.loc[no_match].copy()
        extra["reason"] = [reasons.get(int(i), "no candidate") for i in no_match]
        unmatched_parts.append(extra)
    unmatched = (pd.concat(unmatched_parts, ignore_index=True) if unmatched_parts
                 else treated.iloc[0:0].assign(reason=pd.Series(dtype=str)))

    # balance: treated that were matched vs pool in the strata they use (before) and matched controls (after)
    variables = list(dict.fromkeys(on + balance_on))
    matched_t = tt.loc[sorted(chosen)] if chosen else tt.iloc[0:0]
    pool_before = pp[p_keys.isin(set(t_keys))] if exact else pp
    balance = balance_table(matched_t, pool_before, controls, variables, weights=controls["weight"])

    info = {
        "n_treated": len(treated),
        "n_treated_matched": len(chosen),
        "n_unmatched": len(unmatched),
        "n_pool": n_pool_in,
        "n_pool_excluded_as_treated": n_excluded,
        "n_pool_missing_keys": n_pool_missing,
        "n_controls_distinct": int(pairs["control_id"].nunique()),
        "k": k,
        "replace": replace,
        "exact": exact,
        "on": on,
        "scale_sd": dict(zip(on, map(float, sd), strict=True)),
    }
    for frame in (pairs, controls, balance, unmatched):
        _inherit_provenance(frame, treated, pool)
        frame.attrs["match_info"] = info
    return Matched(pairs=pairs, controls=controls, balance=balance, unmatched=unmatched, info=info)


# ----------------------------------------------------------------------------------------------------------------
# Panels: validation, cohorts, deal aggregation
# ----------------------------------------------------------------------------------------------------------------

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
    d = d[use].copy()
    d["year"] = d["date"].dt.year.astype(int)
    if freq == "year":
        d["period"] = d["year"]
        d["period_label"] = d["year"].astype(str)
    else:
        half = (d["date"].dt.month > 6).astype(int)
        d["period"] = 2 * d["year"] + half
        d["period_label"] = d["year"].astype(str) + "H" + (half + 1).astype(str)
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
    the message names the column and one row), dates as time,
    duplicated (unit, time) rows (unless ``repeated``), a cohort that varies within a unit or a treatment
    reversal, cohorts outside the data's time range (unless ``out_of_range`` says what to do), missing cluster
    ids, and fewer than two treated units.

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
    outcome, unit, time, cohort = outcome_col, unit_col, time_col, cohort_col  # column names
    treatment, cluster = treatment_col, cluster_col
    if (cohort is None) == (treatment is None):
        raise DidInputError("give exactly one of cohort= (first treated period) or treatment= (0/1 indicator)")
    explicit_cluster = cluster is not None and cluster != unit
    cluster = cluster or unit
    cols = [outcome, unit, time, cohort or treatment, cluster]
    _check_columns(panel, list(dict.fromkeys(cols)), "panel")
    if explicit_cluster and not pd.api.types.is_numeric_dtype(panel[cluster]):
        raise DidInputError(
            f"cluster column {cluster!r} holds {panel[cluster].dtype} IDs; cluster IDs must be integers (pyfixest's "
            f"wild bootstrap fails on string IDs): add panel['{cluster}_id'] = pd.factorize(panel['{cluster}'])[0] "
            f"and pass cluster='{cluster}_id' (the default, cluster=unit, is coded internally)")
    if out_of_range not in ("error", "drop", "control"):
        raise DidInputError(f"out_of_range must be 'error', 'drop' or 'control', got {out_of_range!r}")
    info: dict = {"n_rows_in": len(panel)}
    y = pd.to_numeric(panel[outcome], errors="coerce") if not pd.api.types.is_numeric_dtype(panel[outcome]) \
        else panel[outcome]
    if not pd.api.types.is_numeric_dtype(panel[outcome]) and y.notna().sum() < panel[outcome].notna().sum():
        raise DidInputError(f"outcome {outcome!r} is not numeric (dtype {panel[outcome].dtype}); convert it first")
    if panel[unit].isna().any():
        raise DidInputError(f"unit column {unit!r} has {int(panel[unit].isna().sum())} missing values")
    t = _as_int_time(panel[time], time)
    if treatment is not None:
        g_raw = cohort_from_treatment(panel, unit_col=unit, time_col=time, treatment_col=treatment)
    else:
        g_raw = pd.to_numeric(panel[cohort], errors="coerce")
        if panel[cohort].notna().sum() > g_raw.notna().sum():
            raise DidInputError(f"cohort column {cohort!r} must be numeric periods (NaN or 0 = never treated)")
    _check_finite_outcome(panel, outcome, unit, time, y)
    if cohort is not None:
        _check_cohort_codes(panel, cohort, unit, time, g_raw, t)
    g = g_raw.fillna(0).to_numpy(dtype=float)
    if not np.all(g == np.round(g)):
        raise DidInputError(f"cohort column {cohort!r} must hold whole periods like the time column")
    g = g.astype(np.int64)
    cl = panel[cluster]
    if cl.isna().any():
        raise DidInputError(f"cluster column {cluster!r} has {int(cl.isna().sum())} missing values; fill or drop them")

    unit_codes, unit_labels = pd.factorize(panel[unit], sort=False)
    df = pd.DataFrame({"_y": np.asarray(y, dtype=float), "_unit": unit_codes.astype(np.int64), "_time": t,
                       "_g": g, "_cl": pd.factorize(cl, sort=False)[0].astype(np.int64)})
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
    missing_y = df["_y"].isna()
    info["n_rows_missing_outcome"] = int(missing_y.sum())
    df = df[~missing_y]
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
    df = df.assign(_late=df["_g"] > t_max)
    n_treated = int(df.loc[(df["_g"] > 0) & ~df["_late"], "_unit"].nunique())
    if n_treated < 2:
        raise DidInputError(f"only {n_treated} treated unit(s) in the panel; an event study needs at least 2")
    info["unit_labels"] = unit_labels
    info["cluster_name"] = cluster
    return _Prepared(df.reset_index(drop=True), info)


# ----------------------------------------------------------------------------------------------------------------
# Event study and ATT
# ----------------------------------------------------------------------------------------------------------------


def _pyfixest():
    import pyfixest as pf

    return pf


class DidWarning(UserWarning):
    """Something in an estimate the user should know (e.g. a coefficient that could not be identified)."""


class _QuietThirdParty:
    """Run pyfixest quietly: drop pandas/pyfixest deprecation chatter (e.g. ``Pandas4Warning``), keep the
    collinearity notes in :attr:`notes`, and re-emit any other warning. Only wraps third-party calls, so
    lgresearch's own warnings are never hidden."""

    def __enter__(self):
        import warnings

        self._cm = warnings.catch_warnings(record=True)
        self.records = self._cm.__enter__()
        warnings.simplefilter("always")
        self.notes: list[str] = []
        return self

    def __exit__(self, *exc):
        import warnings

        out = self._cm.__exit__(*exc)
        for r in self.records:
            if issubclass(r.category, (DeprecationWarning, FutureWarning)):
                continue
            text = " ".join(str(r.message).split())
            if "multicollinearity" in text or "singleton" in text.lower():
                self.notes.append(text)
                continue
            if issubclass(r.category, RuntimeWarning) and "pyfixest" in str(r.filename):
                # 0/0 in pyfixest's fit statistics (t-stats, R²) when an outcome has no variance left: keep a note
                self.notes.append(f"pyfixest: {text}")
                continue
            warnings.warn_explicit(r.message, r.category, r.filename, r.lineno)
        return out


def _name(e: int) -> str:
    return f"m{-e}" if e < 0 else f"p{e}"


def _last_cohort_as_control(df: pd.DataFrame, gd: np.ndarray, info: dict, name: str
                            ) -> tuple[pd.DataFrame, np.ndarray]:
    """No untreated comparison unit: the last cohort serves as comparison, periods from its treatment dropped."""
    cohorts = np.unique(gd[gd > 0])
    if len(cohorts) < 2:
        raise DidInputError(f"controls={name!r} needs never-treated units or at least two treatment cohorts (the "
                            "last one serves as the comparison); use controls='never_treated'")
    g_max = int(cohorts.max())
    keep = df["_time"].to_numpy() < g_max
    info["comparison"] = f"not-yet-treated units; periods from {g_max} (last cohort) on dropped"
    info["last_cohort_as_control"] = g_max
    return df[keep], np.where(gd[keep] == g_max, 0, gd[keep])


def _sample(prep: _Prepared, controls: str, window: tuple[int, int]) -> tuple[pd.DataFrame, dict]:
    """Apply the comparison-group rule; return the estimation sample with ``_gd`` (design cohort) and ``_e``.

    ``never_treated``: never-treated units only (units treated after the sample dropped). ``not_yet_treated``
    (the standard definition, Callaway and Sant'Anna's not-yet-treated group, the imputation estimators):
    never-treated units, units treated after the sample and the later cohorts before their treatment.
    ``later_treated``: never-treated units dropped; only units treated later (after the sample, or the last
    cohort) are comparisons.
    """
    df = prep.data
    info: dict = {}
    never = df["_g"] == 0
    late = df["_late"]
    if controls == "never_treated":
        if not never.any():
            raise DidInputError("controls='never_treated' but the panel has no never-treated units (cohort 0/NaN); "
                                "use controls='not_yet_treated'")
        df = df[~late]
        info["comparison"] = "never-treated units"
        gd = df["_g"].to_numpy()
    elif controls == "not_yet_treated":
        gd = np.where(late, 0, df["_g"])
        info["n_units_never_treated"] = int(prep.data.loc[never, "_unit"].nunique())
        if never.any() or late.any():
            info["comparison"] = ("not-yet-treated and never-treated units"
                                  + (" (incl. units treated after the sample)" if late.any() else ""))
        else:
            df, gd = _last_cohort_as_control(df, gd, info, controls)
    else:
        df = df[~never]
        info["n_units_dropped_never_treated"] = int(prep.data.loc[never, "_unit"].nunique())
        gd = np.where(df["_late"], 0, df["_g"])
        if df["_late"].any():
            info["comparison"] = "later-treated units (units treated after the sample; never-treated dropped)"
        else:
            df, gd = _last_cohort_as_control(df, gd, info, controls)
            info["comparison"] = info["comparison"].replace("not-yet-treated", "later-treated") + \
                "; never-treated dropped"
    df = df.assign(_gd=gd)
    e = np.where(df["_gd"] > 0, df["_time"] - df["_gd"], np.iinfo(np.int32).min)
    df = df.assign(_e=e)
    # treated observations after the window are dropped (their effects are not reported)
    df = df[~((df["_gd"] > 0) & (df["_e"] > window[1]))]
    return df.reset_index(drop=True), info


def _supported_window(prep: _Prepared, controls: str, ref: int, min_treated: int) -> tuple[int, int]:
    """Largest window around ``ref`` (and 0) with at least ``min_treated`` treated units at every event time."""
    wide = (-10_000, 10_000)
    df, _ = _sample(prep, controls, wide)
    treated = df[df["_gd"] > 0]
    counts = treated.groupby("_e")["_unit"].nunique()
    ok = set(int(e) for e, c in counts.items() if c >= min_treated)
    if ref not in ok or 0 not in ok or any(e not in ok for e in range(ref, 1)):
        raise DidInputError(f"no window is supported: event times {ref}..0 need at least {min_treated} treated "
                            f"units each (counts: { {int(k): int(v) for k, v in counts.items() if -5 <= k <= 5} }); "
                            "add data or lower min_treated")
    lo, hi = ref, 0
    while lo - 1 in ok:
        lo -= 1
    while hi + 1 in ok:
        hi += 1
    return lo, hi


def _check_support(df: pd.DataFrame, window: tuple[int, int], ref: int, min_treated: int) -> dict[int, int]:
    treated = df[df["_gd"] > 0]
    counts = treated[treated["_e"].between(*window)].groupby("_e")["_unit"].nunique()
    counts = {int(e): int(counts.get(e, 0)) for e in range(window[0], window[1] + 1)}
    thin = [e for e, c in counts.items() if c < min_treated and e != ref]
    if thin or counts.get(ref, 0) < min_treated:
        ok = [e for e, c in counts.items() if c >= min_treated]
        suggestion = ""
        if ok and ref in ok:
            lo = ref
            while lo - 1 in ok:
                lo -= 1
            hi = ref
            while hi + 1 in ok:
                hi += 1
            suggestion = f" Narrow the window to ({lo}, {hi})" + (" (no post period available)" if hi < 0 else "")
        bad = thin or [ref]
        raise DidInputError(
            f"too few treated units for window {window}: event time(s) {bad} have fewer than {min_treated} treated "
            f"units observed ({ {e: counts[e] for e in bad} }).{suggestion} or add data.")
    return counts


def _wald(b: np.ndarray, v: np.ndarray, n_clusters: int) -> dict:
    from scipy import stats

    q = len(b)
    if q == 0:
        return {"stat": float("nan"), "df": 0, "p": float("nan"), "p_chi2": float("nan"), "test": "no leads"}
    stat = float(b @ np.linalg.pinv(v) @ b)
    f = stat / q
    df2 = max(n_clusters - 1, 1)
    return {"stat": stat, "df": q, "p": float(stats.f.sf(f, q, df2)), "p_chi2": float(stats.chi2.sf(stat, q)),
            "test": f"Wald F({q}, {df2}) on the leads, cluster-robust"}


#: ``engine="auto"`` switches from pyfixest to :func:`fe_dummy_ols` above this many observation x dummy cells
#: (pyfixest holds the dummies densely, several copies: ~7 GiB for Sun-Abraham on 200,000 units x 12 years).
FAST_ENGINE_CELLS = 50_000_000


def _cells(df: pd.DataFrame, estimator: str, times: list[int], lo: int) -> tuple[np.ndarray, list[str], dict]:
    """Cell code per observation (-1 = none) for the twfe / sun_abraham dummies, their names, and the map
    (cohort or None, event time) -> cell name for the reported cells."""
    treated = df["_gd"].to_numpy() > 0
    e = df["_e"].to_numpy()
    g = df["_gd"].to_numpy()
    cell = np.full(len(df), -1, dtype=np.int64)
    names: list[str] = []
    reported: dict = {}
    groups = [None] if estimator == "twfe" else sorted(int(c) for c in np.unique(g[treated]))
    for c in groups:
        in_c = treated if c is None else treated & (g == c)
        prefix = "es" if c is None else f"sa_{c}"
        for k in [*times, "prebin"]:
            m = in_c & ((e < lo) if k == "prebin" else (e == k))
            if m.any():
                cell[m] = len(names)
                names.append(f"{prefix}_{k if k == 'prebin' else _name(k)}")
                if k != "prebin":
                    reported[(c, k)] = names[-1]
    return cell, names, reported


def _fit_event_time(df: pd.DataFrame, estimator: str, window: tuple[int, int], ref: int, anticipation: int,
                    engine: str = "auto") -> tuple[pd.Series, pd.DataFrame, dict]:
    """Fit one estimator; return event-time estimates (index = event time), their covariance, and fit info."""
    lo, hi = window
    extra: dict = {}
    times = [e for e in range(lo, hi + 1) if e != ref]
    treated = df["_gd"].to_numpy() > 0
    e = df["_e"].to_numpy()
    data = df[["_y", "_unit", "_time", "_cl"]].copy()
    n_clusters = int(df["_cl"].nunique())
    if estimator in ("twfe", "sun_abraham"):
        cell, names, reported = _cells(df, estimator, times, lo)
        fast = engine == "lgresearch" or (engine == "auto" and len(df) * len(names) > FAST_ENGINE_CELLS)
        extra["engine"] = "lgresearch.did.fe_dummy_ols" if fast else "pyfixest.feols"
        if fast:
            beta, vc_full, n_obs = fe_dummy_ols(df["_y"].to_numpy(dtype=float), df["_unit"].to_numpy(),
                                                df["_time"].to_numpy(), df["_cl"].to_numpy(), cell, len(names))
            ok = np.isfinite(beta)
            coef = pd.Series(beta[ok], index=[n for n, k in zip(names, ok, strict=True) if k])
            vc = vc_full[np.ix_(ok, ok)]
        else:
            pf = _pyfixest()
            for j, name in enumerate(names):
                data[name] = (cell == j).astype(np.float64)
            with _QuietThirdParty() as quiet:
                fit = pf.feols(f"_y ~ {' + '.join(names)} | _unit + _time", data=data, vcov={"CRV1": "_cl"},
                               copy_data=False, store_data=False)
            extra["pyfixest_notes"] = quiet.notes
            coef, vc = _coef_vcov(fit)
            n_obs = int(fit._N)
        A = pd.DataFrame(0.0, index=times, columns=coef.index)
        if estimator == "twfe":
            for k in times:
                col = reported.get((None, k))
                if col in A.columns:
                    A.loc[k, col] = 1.0
        else:
            # interaction-weighted aggregation: cohort shares among treated observations at each event time
            cohorts = sorted({c for c, _ in reported})
            cell_n = df[treated].groupby(["_gd", "_e"]).size()
            lost = [reported[ck] for ck in reported if reported[ck] not in A.columns]
            if lost:
                import warnings

                warnings.warn(f"sun_abraham: cohort x event-time cell(s) {lost} not identified (collinear); the "
                              "event-time averages use the remaining cohorts.", DidWarning, stacklevel=4)
            for k in times:
                cols = [(c, reported[(c, k)]) for c in cohorts
                        if (c, k) in reported and reported[(c, k)] in A.columns]
                tot = sum(int(cell_n.get((c, k), 0)) for c, _ in cols)
                for c, col in cols:
                    A.loc[k, col] = cell_n.get((c, k), 0) / tot if tot else 0.0
    elif estimator == "did2s":
        # no omitted period: every event time in the window, the reference included, is measured against the
        # imputed untreated outcome (so the leads show any pre-trend as it is)
        times = list(range(lo, hi + 1))
        D = treated & (e >= -int(anticipation))
        X2 = np.column_stack([(treated & (e == k)) for k in times]).astype(np.float64)
        beta, vc, n_obs, n_dropped = did2s_fit(
            data["_y"].to_numpy(dtype=float), data["_unit"].to_numpy(), data["_time"].to_numpy(),
            data["_cl"].to_numpy(), D, X2)
        names = [f"es_{_name(k)}" for k in times]
        coef = pd.Series(beta, index=names)
        A = pd.DataFrame(np.eye(len(times)), index=times, columns=names)
        A.loc[:, ~np.isfinite(beta)] = 0.0
        coef = coef.fillna(0.0)
        vc = np.nan_to_num(vc)
        extra["did2s_dropped_obs_not_imputable"] = n_dropped
    else:  # pragma: no cover - validated by the caller
        raise DidInputError(f"unknown estimator {estimator!r}")
    dropped = [k for k in times if not (A.loc[k] != 0).any()]
    if dropped:
        import warnings

        warnings.warn(f"{estimator}: event time(s) {dropped} not identified in this sample (collinear or empty); "
                      "reported as NaN. Narrow the window or check the panel's coverage.", DidWarning, stacklevel=4)
    b = A.to_numpy() @ coef.to_numpy()
    V = A.to_numpy() @ vc @ A.to_numpy().T
    b[[times.index(k) for k in dropped]] = np.nan
    est = pd.Series(b, index=times)
    cov = pd.DataFrame(V, index=times, columns=times)
    return est, cov, {"n_obs": n_obs, "n_clusters": n_clusters, "dropped_event_times": dropped, **extra}


def _twoway_solve(unit: np.ndarray, tix: np.ndarray, n_units: int, n_times: int, rows: np.ndarray,
                  b_u: np.ndarray, b_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve the two-way fixed-effects normal equations ``(X0'X0) d = b`` exactly.

    ``X0`` holds unit and time dummies of the observations selected by ``rows``. The unit block is diagonal,
    so the time block's Schur complement (``n_times`` square) is solved directly (the two-way
    design has one redundant dimension, removed by setting the first period's effect to 0; the fitted
    ``d_unit + d_time`` is unique). Cost is linear in rows.
    """
    from scipy import sparse

    u, t = unit[rows], tix[rows]
    C = sparse.csr_matrix((np.ones(len(u)), (u, t)), shape=(n_units, n_times))
    d_u = np.asarray(C.sum(axis=1)).ravel()
    d_t = np.asarray(C.sum(axis=0)).ravel()
    inv_u = np.divide(1.0, d_u, out=np.zeros_like(d_u), where=d_u > 0)
    Cw = sparse.diags(inv_u) @ C
    S = np.diag(d_t) - (C.T @ Cw).toarray()
    r = b_t - Cw.T @ b_u
    # normalize the first period's effect to 0 (removes the redundant dimension; a connected design has no
    # other), then least squares on the remaining periods
    delta_t = np.zeros_like(r, dtype=float)
    if n_times > 1:
        delta_t[1:] = np.linalg.lstsq(S[1:, 1:], r[1:], rcond=None)[0]
    delta_u = inv_u[:, None] * (b_u - C @ delta_t)
    return delta_u, delta_t


def did2s_fit(y: np.ndarray, unit: np.ndarray, time: np.ndarray, cluster: np.ndarray, treated: np.ndarray,
              X2: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Gardner's two-stage DiD with its GMM cluster-robust covariance, linear in the number of observations.

    Stage 1 fits ``y = a_unit + l_time`` on untreated observations; stage 2 regresses the residual
    ``y - a - l`` on ``X2`` (mutually exclusive event-time dummies). The covariance is the GMM sandwich of
    Gardner (2022) / Butts' ``did2s`` (as in :func:`pyfixest.did2s`, no small-sample factor). pyfixest 0.60's
    own covariance builds dense unit-dummy matrices and loops over clusters, which does not scale past a few
    thousand units; this computes the same quantities through the two-way normal equations (the test suite
    checks equality with :func:`pyfixest.did2s`). Observations whose unit or period has no untreated
    observation cannot be imputed and are dropped (counted in the last return value).

    Parameters
    ----------
    y : ndarray
        Outcome per observation.
    unit, time : ndarray
        Integer-coded unit and period per observation.
    cluster : ndarray
        Integer-coded cluster per observation.
    treated : ndarray of bool
        Whether the observation is treated (excluded from the first stage).
    X2 : ndarray
        Second-stage regressors (observations x event-time dummies).

    Returns
    -------
    beta, vcov, n_obs, n_dropped

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> unit, time = np.repeat(np.arange(60), 4), np.tile(np.arange(4), 60)
    >>> treated = (unit < 30) & (time >= 2)
    >>> y = 0.1 * unit + 0.2 * time + 0.5 * treated + rng.normal(0, 0.01, 240)
    >>> beta, vcov, n, dropped = did2s_fit(y, unit, time, unit, treated, treated[:, None].astype(float))
    >>> round(float(beta[0]), 1), n, dropped
    (0.5, 240, 0)
    """
    keep = np.ones(len(y), dtype=bool)
    while True:  # units / periods without an untreated observation cannot be imputed
        un = ~treated & keep
        ok_u = np.isin(unit, np.unique(unit[un]))
        ok_t = np.isin(time, np.unique(time[un]))
        new = keep & ok_u & ok_t
        if new.sum() == keep.sum():
            break
        keep = new
    n_dropped = int((~keep).sum())
    y, cluster, treated, X2 = y[keep], cluster[keep], treated[keep], X2[keep]
    unit = pd.factorize(unit[keep])[0]
    tix = pd.factorize(time[keep])[0]
    U, T = int(unit.max()) + 1, int(tix.max()) + 1
    untreated = ~treated
    rows = np.flatnonzero(untreated)
    # stage 1
    b_u = np.bincount(unit[rows], weights=y[rows], minlength=U)[:, None]
    b_t = np.bincount(tix[rows], weights=y[rows], minlength=T)[:, None]
    a_u, l_t = _twoway_solve(unit, tix, U, T, rows, b_u, b_t)
    u1 = y - a_u[unit, 0] - l_t[tix, 0]
    # stage 2 (disjoint dummies: coefficients are cell means)
    n_cell = X2.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = (X2.T @ u1) / n_cell
    beta_f = np.where(n_cell > 0, beta, 0.0)
    u2 = u1 - X2 @ beta_f
    # GMM covariance: V' = (X10'X10)^-1 X1'X2, solved column by column through the normal equations
    k = X2.shape[1]
    B_u = np.column_stack([np.bincount(unit, weights=X2[:, j], minlength=U) for j in range(k)])
    B_t = np.column_stack([np.bincount(tix, weights=X2[:, j], minlength=T) for j in range(k)])
    d_u, d_t = _twoway_solve(unit, tix, U, T, rows, B_u, B_t)
    proj = d_u[unit] + d_t[tix]  # (n, k)
    score = X2 * u2[:, None] - (untreated * u1)[:, None] * proj
    cl = pd.factorize(cluster)[0]
    G = int(cl.max()) + 1
    S = np.column_stack([np.bincount(cl, weights=score[:, j], minlength=G) for j in range(k)])
    bread = np.divide(1.0, n_cell, out=np.zeros_like(n_cell), where=n_cell > 0)
    vcov = bread[:, None] * (S.T @ S) * bread[None, :]
    beta = np.where(n_cell > 0, beta, np.nan)
    return beta, vcov, int(len(y)), n_dropped


def fe_dummy_ols(y: np.ndarray, unit: np.ndarray, time: np.ndarray, cluster: np.ndarray, cell: np.ndarray,
                 n_cells: int, *, collin_tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray, int]:
    """OLS of ``y`` on mutually exclusive cell dummies with unit and time fixed effects, CRV1 by ``cluster``.

    The same estimator as ``pyfixest.feols("y ~ d_0 + ... | unit + time", vcov={"CRV1": cluster})`` (and the
    same small-sample factor ``G/(G-1) * (N-1)/(N-k)``, with the unit effects counted as nested in the
    clusters when every unit lies in one cluster), computed through the Frisch-Waugh-Lovell theorem and the
    exact two-way normal equations, so memory and time are linear in the observations instead of
    observations x dummies. Used for large designs (see ``engine`` in :func:`event_study`); the test suite
    checks equality with pyfixest.

    Parameters
    ----------
    y, unit, time, cluster : arrays
        Outcome, integer-coded unit and time, cluster codes.
    cell : int array
        Cell of each observation in ``0 .. n_cells - 1`` or -1 for none (the reference observations).
    n_cells : int
        Number of dummies.

    Returns
    -------
    beta, vcov, n_obs
        ``beta`` has NaN for cells dropped as collinear (their rows/columns of ``vcov`` are 0).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> unit, time = np.repeat(np.arange(60), 4), np.tile(np.arange(4), 60)
    >>> cell = np.where((unit < 30) & (time >= 2), 0, -1)
    >>> y = 0.1 * unit + 0.2 * time + 0.5 * (cell == 0) + rng.normal(0, 0.01, 240)
    >>> beta, vcov, n = fe_dummy_ols(y, unit, time, unit, cell, 1)
    >>> round(float(beta[0]), 1), n
    (0.5, 240)
    """
    from scipy import sparse

    # drop singleton observations (a unit or period seen once), as pyfixest does: they do not change the
    # estimates but would count in the small-sample factor
    keep = np.ones(len(y), dtype=bool)
    while True:
        u_n = pd.Series(unit[keep]).map(pd.Series(unit[keep]).value_counts()).to_numpy()
        t_n = pd.Series(time[keep]).map(pd.Series(time[keep]).value_counts()).to_numpy()
        single = (u_n == 1) | (t_n == 1)
        if not single.any():
            break
        idx = np.flatnonzero(keep)
        keep[idx[single]] = False
    y, unit, time, cluster, cell = y[keep], unit[keep], time[keep], cluster[keep], cell[keep]
    unit = pd.factorize(unit)[0]
    tix = pd.factorize(time)[0]
    U, T, N, K = int(unit.max()) + 1, int(tix.max()) + 1, len(y), int(n_cells)
    rows = np.arange(N)
    has = cell >= 0
    # two-way residuals of y and of each dummy (as unit/time projections)
    a_u, l_t = _twoway_solve(unit, tix, U, T, rows, np.bincount(unit, weights=y, minlength=U)[:, None],
                             np.bincount(tix, weights=y, minlength=T)[:, None])
    y_t = y - a_u[unit, 0] - l_t[tix, 0]
    cu = sparse.csr_matrix((np.ones(int(has.sum())), (unit[has], cell[has])), shape=(U, K))
    ct = sparse.csr_matrix((np.ones(int(has.sum())), (tix[has], cell[has])), shape=(T, K))
    d_u, d_t = _twoway_solve(unit, tix, U, T, rows, cu.toarray(), ct.toarray())
    n_cell = np.bincount(cell[has], minlength=K).astype(float)
    B = np.diag(n_cell) - cu.T @ d_u - ct.T @ d_t  # X'MX
    B = (B + B.T) / 2
    xy = np.bincount(cell[has], weights=y_t[has], minlength=K)  # X'My
    # drop collinear cells (greedy pivoted Cholesky on X'MX, as pyfixest drops collinear variables)
    keep: list[int] = []
    for j in range(K):
        if B[j, j] <= 0:
            continue
        if keep:
            Bk = B[np.ix_(keep, keep)]
            r = B[j, j] - B[j, keep] @ np.linalg.solve(Bk, B[keep, j])
        else:
            r = B[j, j]
        if r > collin_tol * max(B[j, j], 1.0):
            keep.append(j)
    kk = np.array(keep, dtype=int)
    beta = np.full(K, np.nan)
    vcov = np.zeros((K, K))
    if not len(kk):
        return beta, vcov, N
    Bk = B[np.ix_(kk, kk)]
    bk = np.linalg.solve(Bk, xy[kk])
    beta[kk] = bk
    bfull = np.where(np.isnan(beta), 0.0, beta)
    # residuals of the full model: y~ - X~ b, with X~ b = X b - (d_u b)[unit] - (d_t b)[time]
    fit = np.where(has, bfull[np.where(has, cell, 0)], 0.0)
    eps = y_t - fit + (d_u @ bfull)[unit] + (d_t @ bfull)[tix]
    cl = pd.factorize(cluster)[0]
    G = int(cl.max()) + 1
    s1 = sparse.csr_matrix((eps[has], (cl[has], cell[has])), shape=(G, K)).toarray()
    hu = sparse.csr_matrix((eps, (cl, unit)), shape=(G, U))
    ht = sparse.csr_matrix((eps, (cl, tix)), shape=(G, T))
    S = (s1 - hu @ d_u - ht @ d_t)[:, kk]
    Binv = np.linalg.inv(Bk)
    nested = bool((pd.Series(cl).groupby(unit).nunique() == 1).all())
    df_k = len(kk) + (T if nested else U + T - 1)
    ssc = G / (G - 1) * (N - 1) / (N - df_k)
    vcov[np.ix_(kk, kk)] = ssc * Binv @ (S.T @ S) @ Binv
    return beta, vcov, N


def _coef_vcov(fit) -> tuple[pd.Series, np.ndarray]:
    coef = fit.coef()
    names = list(fit._coefnames)
    return pd.Series(np.asarray(coef, dtype=float), index=names), np.asarray(fit._vcov, dtype=float)


def _validate_args(estimator: str, controls: str, window: tuple[int, int] | None, ref: int
                   ) -> tuple[int, int] | None:
    if estimator not in ESTIMATORS:
        raise DidInputError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if controls not in CONTROLS:
        raise DidInputError(f"controls must be one of {CONTROLS}, got {controls!r}")
    if window is None:
        if ref >= 0:
            raise DidInputError(f"need ref < 0; got ref={ref}")
        return None
    lo, hi = int(window[0]), int(window[1])
    if not lo <= ref < 0 <= hi:
        raise DidInputError(f"need window[0] <= ref < 0 <= window[1]; got window={window}, ref={ref}")
    return lo, hi


def _event_study_core(panel, *, outcome, unit, time, cohort, treatment, controls, estimator, cluster, ref, window,
                      anticipation, min_treated, repeated, out_of_range, engine="auto"):
    win = _validate_args(estimator, controls, window, ref)
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


def _t_crit(n_clusters: int, level: float = 0.95) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.5 + level / 2, max(n_clusters - 1, 1)))


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
        from lgresearch.plotting import plot_event_study  # plotting sits above the estimators (matplotlib)

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
    cohort_col : str, optional
        First treated period per unit (constant within unit; 0 or NaN = never treated).
    treatment_col : str, optional
        Alternatively a 0/1 absorbing treatment indicator (reversals raise).
    controls : {"not_yet_treated", "never_treated", "later_treated"}
        Comparison group. ``"not_yet_treated"`` (the standard definition: Callaway and Sant'Anna's not-yet-treated
        group, the imputation estimators): never-treated units plus units not yet treated (later cohorts before
        their treatment, units treated after the sample with ``out_of_range="control"``); with neither never- nor
        after-sample-treated units, the last cohort is the comparison, with the periods from its treatment on
        dropped. ``"later_treated"`` (the package's rule before 1.0): never-treated units are dropped and only
        units treated later serve as comparisons. ``"never_treated"``: never-treated units are the
        comparison (for twfe and sun_abraham every event time of treated units other than ``ref`` gets its own
        coefficient; for did2s the first stage also uses treated units' pre-periods).
    estimator : {"did2s", "sun_abraham", "twfe"}
        ``"did2s"``: Gardner's two-stage (imputation) estimator, :func:`pyfixest.did2s`. ``"sun_abraham"``:
        cohort x event-time interactions aggregated with cohort shares (interaction-weighted), one
        :func:`pyfixest.feols`. ``"twfe"``: the dynamic two-way fixed-effects regression (biased when effects
        differ across cohorts; shown for comparison).
    cluster_col : str, optional
        Cluster column (default ``unit``, any ID type, coded internally). An explicit column must hold integer
        IDs; a string column raises :class:`DidInputError` saying how to code it.
    ref : int
        Reference (omitted) event time, normalized to 0 (twfe, sun_abraham). did2s has no omitted period: every
        event time in the window, ``ref`` included, is estimated against the imputed untreated outcome, and
        ``attrs["ref"]`` is ``None``.
    window : (int, int), optional
        Event times reported. Treated observations after ``window[1]`` are dropped; earlier ones get a pooled
        coefficient (twfe, sun_abraham) or serve as pre-periods (did2s). Default: the largest window around
        ``ref`` and 0 with at least ``min_treated`` treated units at every event time; ``attrs["window_rule"]``
        says which window was used and why.
    anticipation : int
        did2s only: periods before treatment already affected (excluded from the first stage).
    min_treated : int
        Minimum number of treated units observed at each event time in the window (else an error says which
        window the data support).
    repeated : bool
        Allow several rows per (unit, time).
    out_of_range : {"error", "drop", "control"}
        What to do with cohorts outside the data's periods.
    engine : {"auto", "pyfixest", "lgresearch"}
        twfe / sun_abraham only: fit with :func:`pyfixest.feols`, or with :func:`fe_dummy_ols` (the same
        estimator, linear memory). ``"auto"`` uses pyfixest unless observations x dummies exceed
        :data:`FAST_ENGINE_CELLS`. did2s always uses :func:`did2s_fit` (pyfixest 0.60's did2s covariance
        does not scale; estimates and SEs are checked equal to :func:`pyfixest.did2s` in the tests).

    Returns
    -------
    EventStudyResult
        Reads as the table :data:`TIDY_COLUMNS` (one row per event time in the window, except ``ref`` for twfe
        and sun_abraham), with ``.vcov``, ``.pretrend``, ``.tidy()`` and ``.plot()``; the table's ``attrs``:
        ``pretrend`` (joint Wald test that all leads are 0: ``stat, df, p, p_chi2, leads``), ``ref``,
        ``window``, ``vcov`` (event-time covariance as nested lists), sample counts, and the panel's provenance.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=400, seed=2, effect=0.3, selection=0.0)
    >>> es = event_study(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year",
    ...                  cohort_col="cohort",
    ...                  window=(-3, 2))
    >>> es["event_time"].tolist()  # did2s: no omitted period
    [-3, -2, -1, 0, 1, 2]
    >>> bool(abs(es.loc[es.event_time == 0, "estimate"].iloc[0] - 0.3) < 3 * es["se"].max())
    True
    >>> sorted(es.attrs["pretrend"])
    ['df', 'leads', 'p', 'p_chi2', 'stat', 'test']
    """
    outcome, unit, time, cohort = outcome_col, unit_col, time_col, cohort_col  # column names
    treatment, cluster = treatment_col, cluster_col
    est, cov, meta = _event_study_core(
        panel, outcome=outcome, unit=unit, time=time, cohort=cohort, treatment=treatment, controls=controls,
        estimator=estimator, cluster=cluster, ref=ref, window=window, anticipation=anticipation,
        min_treated=min_treated, repeated=repeated, out_of_range=out_of_range, engine=engine)
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
    leads = [k for k in est.index if k < 0 and np.isfinite(est[k])]
    pre = _wald(est[leads].to_numpy(), cov.loc[leads, leads].to_numpy(), meta["n_clusters"])
    pre["leads"] = [int(k) for k in leads]
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
    post = [k for k in est.index if k >= 0]
    b, se = _att_from_event_time(est, cov, meta["treated_obs_by_event_time"], post)
    tc = _t_crit(meta["n_clusters"])
    leads = [k for k in est.index if k < 0 and np.isfinite(est[k])]
    pre = _wald(est[leads].to_numpy(), cov.loc[leads, leads].to_numpy(), meta["n_clusters"])
    pre["leads"] = [int(k) for k in leads]
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
    lo, hi = int(window[0]), int(window[1])
    prep = prepare_panel(panel, outcome_col=outcome, unit_col=unit, time_col=time, cohort_col=cohort,
                         treatment_col=treatment, cluster_col=cluster, repeated=repeated,
                         out_of_range=out_of_range)
    df = prep.data
    df = df[(df["_g"] > 0) & ~df["_late"]]
    df = df.assign(_e=df["_time"] - df["_g"])
    df = df[df["_e"].between(lo, hi)].copy()
    df["_post"] = (df["_e"] >= 0).astype(np.float64)
    pf = _pyfixest()
    with _QuietThirdParty():
        fit = pf.feols("_y ~ _post | _unit", data=df[["_y", "_post", "_unit", "_cl"]], vcov={"CRV1": "_cl"},
                       copy_data=False, store_data=False)
    coef, vc = _coef_vcov(fit)
    b, se = float(coef["_post"]), float(np.sqrt(vc[0, 0]))
    n_cl = int(df["_cl"].nunique())
    tc = _t_crit(n_cl)
    out = pd.DataFrame([{
        "estimator": "naive_pre_post", "estimate": b, "se": se, "ci_low": b - tc * se, "ci_high": b + tc * se,
        "post_from": 0, "post_to": hi, "n_obs": int(fit._N), "n_units": int(df["_unit"].nunique()),
        "n_treated": int(df["_unit"].nunique()),
    }], columns=ATT_COLUMNS)
    out.attrs.update(window=(lo, hi), n_clusters=n_cl, comparison="none (before vs after within treated units)")
    _inherit_provenance(out, panel)
    return out


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


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "aggregate_deals", "att", "ATT_COLUMNS", "BALANCE_COLUMNS", "balance_table", "cohort_from_treatment",
    "cohorts_from_designations", "combine", "CONTROLS", "did2s_fit", "DidInputError", "DidWarning", "ESTIMATORS",
    "event_study", "EventStudyResult", "FAST_ENGINE_CELLS", "fe_dummy_ols", "match_controls", "Matched",
    "naive_pre_post", "NEVER_TREATED", "prepare_panel", "static_twfe", "TIDY_COLUMNS"
]
