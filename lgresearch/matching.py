"""Matched controls: exact strata, then nearest neighbours on standardized covariates, and the balance table.

:func:`match_controls` pairs each treated unit with ``k`` controls from a pool; :func:`balance_table` reports the
standardized differences before and after matching. Both are re-exported by :mod:`lgresearch.did`.

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
from lgresearch.errors import DidInputError
from lgresearch.provenance import ATTR, SIMULATED, SOURCE_ATTR, is_simulated


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
    exact, on, balance_on = list(exact), list(on), list(balance_on)
    _check_match_input(treated, pool, id_col=unit_col, exact=exact, on=on, balance_on=balance_on, k=k)
    treated, pool = treated.reset_index(drop=True), pool.reset_index(drop=True)
    n_pool_in = len(pool)
    if exclude_treated:
        pool = pool[~pool[unit_col].isin(set(treated[unit_col]))].reset_index(drop=True)
    return _match(treated, pool, id_col=unit_col, exact=exact, on=on, balance_on=balance_on, k=k, replace=replace,
                  caliper=caliper, seed=seed, n_pool_in=n_pool_in)


def _match(treated: pd.DataFrame, pool: pd.DataFrame, *, id_col: str, exact: list[str], on: list[str],
           balance_on: list[str], k: int, replace: bool, caliper: float | None, seed: int, n_pool_in: int
           ) -> Matched:
    """:func:`match_controls` on checked input (``pool`` without the treated units when they are excluded)."""
    n_excluded = n_pool_in - len(pool)
    key_cols = exact + on
    t_ok = treated[key_cols].notna().all(axis=1) if key_cols else pd.Series(True, index=treated.index)
    p_ok = pool[key_cols].notna().all(axis=1) if key_cols else pd.Series(True, index=pool.index)
    unmatched_parts = []
    if (~t_ok).any():
        bad = treated[~t_ok].copy()
        bad["reason"] = "missing value in " + ", ".join(key_cols)
        unmatched_parts.append(bad)
    tt, pp = treated[t_ok], pool[p_ok]
    sd = _scale(tt, pp, on)
    t_keys, p_keys = _stratum_keys(tt, exact), _stratum_keys(pp, exact)
    candidates, reasons = _candidates(tt, pp, t_keys, p_keys, exact=exact, on=on, sd=sd, k=k, replace=replace,
                                      caliper=caliper, rng=np.random.default_rng(seed))
    chosen = _assign(candidates, reasons, k=k, replace=replace)
    pairs, controls = _pairs_and_controls(tt, pp, chosen, id_col=id_col, exact=exact)

    no_match = [i for i in tt.index.to_numpy() if int(i) not in chosen]
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
        "n_treated": len(treated), "n_treated_matched": len(chosen), "n_unmatched": len(unmatched),
        "n_pool": n_pool_in, "n_pool_excluded_as_treated": n_excluded, "n_pool_missing_keys": int((~p_ok).sum()),
        "n_controls_distinct": int(pairs["control_id"].nunique()), "k": k, "replace": replace, "exact": exact,
        "on": on, "scale_sd": dict(zip(on, map(float, sd), strict=True)),
    }
    for frame in (pairs, controls, balance, unmatched):
        _inherit_provenance(frame, treated, pool)
        frame.attrs["match_info"] = info
    return Matched(pairs=pairs, controls=controls, balance=balance, unmatched=unmatched, info=info)


def _check_match_input(treated: pd.DataFrame, pool: pd.DataFrame, *, id_col: str, exact: list[str],
                       on: list[str], balance_on: list[str], k: int) -> None:
    """Columns present, ``on`` and ``balance_on`` numeric, ``k >= 1``, one row per treated unit."""
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


def _scale(tt: pd.DataFrame, pp: pd.DataFrame, on: list[str]) -> np.ndarray:
    """SD of each ``on`` column over treated + pool (complete rows); a zero or undefined SD becomes 1."""
    if not on:
        return np.ones(0)
    both = pd.concat([tt[on], pp[on]], ignore_index=True).astype(float)
    return both.std(ddof=1).fillna(1.0).replace(0.0, 1.0).to_numpy()


def _candidates(tt: pd.DataFrame, pp: pd.DataFrame, t_keys: pd.Series, p_keys: pd.Series, *, exact: list[str],
                on: list[str], sd: np.ndarray, k: int, replace: bool, caliper: float | None,
                rng: np.random.Generator) -> tuple[dict[int, list[tuple[int, float]]], dict[int, str]]:
    """For each treated row (index in ``tt``): its candidate controls ``(pool index, distance)``, nearest first,
    and the reason for treated rows left without one."""
    p_groups = {key: idx.to_numpy() for key, idx in pp.groupby(p_keys, sort=False).groups.items()} if len(pp) else {}
    # scaled ``on`` values, once (row i of ``xp`` is pool row ``pp.index[i]``); strata take rows by position
    xp = pp[on].to_numpy(dtype=float) / sd if on else None
    xt = tt[on].to_numpy(dtype=float) / sd if on else None
    candidates: dict[int, list[tuple[int, float]]] = {}
    reasons: dict[int, str] = {}
    for key, t_idx in tt.groupby(t_keys, sort=False).groups.items():
        t_idx = t_idx.to_numpy()
        p_idx = p_groups.get(key)
        if p_idx is None or len(p_idx) == 0:
            for i in t_idx:
                reasons[int(i)] = "no control in the exact stratum " + (
                    ", ".join(f"{c}={v}" for c, v in zip(exact, key if isinstance(key, tuple) else (key,),
                                                       strict=False)) if exact else "")
            continue
        n_want = min(len(p_idx), k * len(t_idx) + k) if not replace else min(k, len(p_idx))
        if on:
            assert xt is not None and xp is not None  # set whenever ``on`` is
            _nearest(xt[tt.index.get_indexer(t_idx)], xp[pp.index.get_indexer(p_idx)], t_idx, p_idx,
                     n_want=n_want, caliper=caliper, candidates=candidates, reasons=reasons)
        else:
            for i in t_idx:
                draw = rng.permutation(p_idx)[:n_want]
                candidates[int(i)] = [(int(p), 0.0) for p in draw]
    return candidates, reasons


def _nearest(xt: np.ndarray, xp: np.ndarray, t_idx: np.ndarray, p_idx: np.ndarray, *, n_want: int,
             caliper: float | None, candidates: dict, reasons: dict) -> None:
    """Nearest ``n_want`` pool rows of one stratum for each of its treated rows (k-d tree), within ``caliper``;
    ``xt`` and ``xp`` are the scaled ``on`` values of the stratum's treated rows ``t_idx`` and pool rows ``p_idx``."""
    from scipy.spatial import cKDTree

    dist, pos = cKDTree(xp).query(xt, k=n_want)
    dist = np.asarray(dist).reshape(len(t_idx), n_want)
    pos = np.asarray(pos).reshape(len(t_idx), n_want)
    for row, i in enumerate(t_idx):
        cand = [(int(p_idx[pos[row, j]]), float(dist[row, j])) for j in range(n_want)
                if np.isfinite(dist[row, j]) and (caliper is None or dist[row, j] <= caliper)]
        candidates[int(i)] = cand
        if not cand:
            reasons[int(i)] = f"no control within caliper {caliper}"


def _assign(candidates: dict[int, list[tuple[int, float]]], reasons: dict[int, str], *, k: int, replace: bool
            ) -> dict[int, list[tuple[int, float]]]:
    """Controls chosen per treated row: the ``k`` nearest (with replacement) or greedily, closest pairs first."""
    if replace:
        return {i: c[:k] for i, c in candidates.items() if c}
    chosen: dict[int, list[tuple[int, float]]] = {}
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
    return chosen


def _pairs_and_controls(tt: pd.DataFrame, pp: pd.DataFrame, chosen: dict[int, list[tuple[int, float]]], *,
                        id_col: str, exact: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairs table and the matched control rows (treated id, rank, distance and weight in front)."""
    rows = []
    for i in tt.index.to_numpy():
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
    return pairs, controls


#: Every public name of this module.
__all__ = ["BALANCE_COLUMNS", "balance_table", "match_controls", "Matched"]
