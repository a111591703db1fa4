"""How often valuations step up: shares of +50% / +75% step-ups with firm-cluster bootstrap intervals, and
like-for-like comparisons of two groups of firms (:class:`StepUpComparison`).

Examples
--------
>>> r = step_up_rates(step_ups(demo_events()), n_boot=20)
>>> int(r["n_pairs"].iloc[0])
1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.deals.demo import demo_events  # noqa: F401 - used by the examples
from lgresearch.deals.stepups import step_ups  # noqa: F401 - used by the examples

__all__ = ["step_up_rates", "StepUpComparison", "compare_step_up_rates"]


def _cluster_bootstrap_share(flags: np.ndarray, clusters: np.ndarray, n_boot: int, rng: np.random.Generator,
                             level: float = 0.95) -> tuple[float, float]:
    """Percentile CI of a share, resampling clusters (firms) with replacement."""
    if len(flags) == 0 or n_boot <= 0:
        return (np.nan, np.nan)
    codes, uniq = pd.factorize(clusters)
    k = len(uniq)
    sums = np.bincount(codes, weights=flags.astype(float), minlength=k)
    counts = np.bincount(codes, minlength=k).astype(float)
    draws = rng.integers(0, k, size=(n_boot, k))
    shares = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
    a = (1 - level) / 2
    return float(np.quantile(shares, a)), float(np.quantile(shares, 1 - a))


def step_up_rates(
    steps: pd.DataFrame,
    *,
    by: str | list[str] | None = None,
    thresholds: tuple[float, float] = (1.5, 1.75),
    n_boot: int = 1000,
    seed: int = 0,
    min_pairs: int = 1,
) -> pd.DataFrame:
    """How often valuations step up by at least 50% and 75% between consecutive valued rounds.

    Parameters
    ----------
    steps : DataFrame
        Output of :func:`step_ups` (pairs with ``days == 0`` are dropped: two rounds on one day).
    by : str or list of str, optional
        Grouping columns (e.g. ``"year"``, ``"category"``, ``"within_6m"``).
    thresholds : (low, high)
        Step-up ratios (1.5 = +50%, 1.75 = +75%).
    n_boot : int
        Bootstrap draws; intervals resample firms (pairs of one firm are not independent).
    seed : int
        Random seed.
    min_pairs : int
        Groups with fewer pairs are left out.

    Returns
    -------
    DataFrame
        Per group: ``n_pairs, n_firms, median_step_up``, ``share_ge_low`` / ``share_ge_high`` with 95% firm-cluster
        bootstrap intervals (``*_lo``, ``*_hi``), and ``share_between`` (low <= step-up < high, the "50% to 75%"
        band) with its interval.

    Examples
    --------
    >>> s = step_ups(demo_events())
    >>> r = step_up_rates(s, n_boot=50)
    >>> int(r["n_pairs"].iloc[0]), float(r["share_ge_low"].iloc[0]), float(r["share_between"].iloc[0])
    (1, 1.0, 0.0)
    """
    lo_t, hi_t = thresholds
    s = steps[steps["days"] > 0]
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    rng = np.random.default_rng(seed)
    rows = []
    groups = [((), s)] if not keys else s.groupby(keys, sort=True, dropna=False)
    for key, g in groups:
        if len(g) < min_pairs:
            continue
        r = g["step_up"].to_numpy(dtype=float)
        firms = g["firm_id"].to_numpy()
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)) if keys else {}
        row.update({"n_pairs": len(g), "n_firms": int(pd.Series(firms).nunique()),
                    "median_step_up": float(np.median(r))})
        for name, flag in (("share_ge_low", r >= lo_t), ("share_ge_high", r >= hi_t),
                           ("share_between", (r >= lo_t) & (r < hi_t))):
            lo, hi = _cluster_bootstrap_share(flag, firms, n_boot, rng)
            row[name] = float(flag.mean())
            row[f"{name}_lo"] = lo
            row[f"{name}_hi"] = hi
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs = {k: v for k, v in steps.attrs.items() if k in ("provenance", "source")}
    out.attrs["thresholds"] = thresholds
    return out


@dataclass(frozen=True)
class StepUpComparison:
    """Share of step-ups >= ``threshold``: ``group == True`` pairs against ``group == False`` pairs, like for like.

    With strata, the comparison is made within each stratum present in both groups and averaged with the
    ``True`` group's pair counts as weights (the ``False`` group is reweighted to the ``True`` group's mix);
    ``share_false`` is that reweighted share. Pairs in strata the other group lacks are counted in
    ``n_true_unmatched`` / ``n_false_unmatched`` and left out.

    Attributes
    ----------
    share_true, share_false, diff, ci_low, ci_high : float
        Shares, their difference (``True`` minus ``False``) and its firm-cluster bootstrap interval.
    n_true, n_false, firms_true, firms_false : int
        Pairs and firms in the comparison.
    n_true_unmatched, n_false_unmatched : int
        Pairs left out because their stratum has no pair of the other group.
    by_stratum : DataFrame
        One row per stratum: ``stratum``, pairs, shares, difference and weight.
    group, strata, threshold, level, n_boot : settings of the comparison.
    """

    share_true: float
    share_false: float
    diff: float
    ci_low: float
    ci_high: float
    n_true: int
    n_false: int
    firms_true: int
    firms_false: int
    n_true_unmatched: int
    n_false_unmatched: int
    by_stratum: pd.DataFrame
    group: str
    strata: tuple[str, ...]
    threshold: float
    level: float
    n_boot: int

    def tidy(self) -> pd.DataFrame:
        """One row per stratum and a final ``all`` row with the (weighted) difference and its interval.

        Returns
        -------
        DataFrame
            Plain data (no ``attrs``): ``stratum, n_true, n_false, share_true, share_false, diff, weight, ci_low,
            ci_high, threshold, level``.

        Examples
        --------
        >>> s = pd.DataFrame({"firm_id": list("abcd"), "step_up": [2.0, 1.0, 1.6, 0.9], "days": [90] * 4,
        ...                   "g": [True, True, False, False]})
        >>> compare_step_up_rates(s, "g", n_boot=50).tidy()["stratum"].tolist()
        ['all']
        >>> compare_step_up_rates(s.assign(k=["x", "y", "x", "y"]), "g", strata_col="k", n_boot=50).tidy()[
        ...     "stratum"].tolist()
        ['x', 'y', 'all']
        """
        # without strata the single stratum is the total: one row, not two rows both called "all"
        rows = self.by_stratum.assign(ci_low=np.nan, ci_high=np.nan) if self.strata else self.by_stratum.iloc[:0]
        total = pd.DataFrame([{"stratum": "all", "n_true": self.n_true, "n_false": self.n_false,
                               "share_true": self.share_true, "share_false": self.share_false, "diff": self.diff,
                               "weight": 1.0, "ci_low": self.ci_low, "ci_high": self.ci_high}])
        out = pd.concat([rows, total], ignore_index=True).assign(threshold=self.threshold, level=self.level)
        out.attrs = {}
        return out


def _firm_stratum_sums(g: pd.DataFrame, hit: np.ndarray, stratum_codes: np.ndarray, m: int
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Firm x stratum matrices of hits and pair counts."""
    codes, uniq = pd.factorize(g["firm_id"])
    k = len(uniq)
    sums = np.zeros((k, m))
    cnts = np.zeros((k, m))
    np.add.at(sums, (codes, stratum_codes), hit)
    np.add.at(cnts, (codes, stratum_codes), 1.0)
    return sums, cnts


def _boot_weights(k: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """How often each of ``k`` firms is drawn in each bootstrap sample (resampling firms with replacement)."""
    draws = rng.integers(0, k, size=(n_boot, k))
    flat = (np.arange(n_boot)[:, None] * k + draws).ravel()
    return np.bincount(flat, minlength=n_boot * k).reshape(n_boot, k).astype(float)


def _weighted_diff(s1: np.ndarray, c1: np.ndarray, s0: np.ndarray, c0: np.ndarray) -> tuple[float, float, float]:
    """Treated-weighted share difference over strata present in both groups (last axis = strata)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        both = (c1 > 0) & (c0 > 0)
        w = np.where(both, c1, 0.0)
        tot = w.sum(axis=-1)
        p1 = np.where(both, s1 / np.where(c1 > 0, c1, 1), 0.0)
        p0 = np.where(both, s0 / np.where(c0 > 0, c0, 1), 0.0)
        a = (w * p1).sum(axis=-1) / tot
        b = (w * p0).sum(axis=-1) / tot
    return a, b, a - b


@renamed_kwargs(group="group_col", strata="strata_col")
def compare_step_up_rates(
    steps: pd.DataFrame,
    group_col: str,
    *,
    strata_col: str | list[str] | None = None,
    threshold: float = 1.5,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> StepUpComparison:
    """Difference in the share of step-ups >= ``threshold`` between ``group == True`` and ``group == False`` pairs.

    Parameters
    ----------
    steps : DataFrame
        Output of :func:`step_ups` with a boolean ``group`` column (pairs with ``days == 0`` are dropped).
    group_col : str
        The column that marks the group of interest (e.g. ``program_firm``; ``group=`` is deprecated).
    strata_col : str or list of str, optional
        Like-for-like comparison: columns whose combinations define strata (e.g. ``["listing_status",
        "category"]``, see :func:`listing_status`); the difference is averaged over strata present in both groups
        with the ``True`` group's pair counts as weights.
    threshold : float, default 1.5
        Step-up ratio counted as a hit (1.5 = +50%).
    n_boot, seed : int
        Bootstrap draws and seed; the interval resamples firms within each group (firm-cluster bootstrap,
        percentile interval).
    level : float, default 0.95
        Interval level.

    Returns
    -------
    StepUpComparison
        Shares, difference, interval, counts and the per-stratum table; ``.tidy()`` gives plain data.

    Examples
    --------
    >>> s = pd.DataFrame({"firm_id": list("abcd"), "step_up": [2.0, 1.0, 1.6, 0.9], "days": [90] * 4,
    ...                   "g": [True, True, False, False]})
    >>> r = compare_step_up_rates(s, "g", n_boot=100)
    >>> r.share_true, r.share_false, r.diff
    (0.5, 0.5, 0.0)
    """
    keys = [] if strata_col is None else ([strata_col] if isinstance(strata_col, str) else list(strata_col))
    s = steps[steps["days"] > 0]
    label = (s[keys].astype("string").fillna("<NA>").agg(" | ".join, axis=1) if keys
             else pd.Series("all", index=s.index, dtype="string"))
    scodes, suniq = pd.factorize(label)
    m = max(len(suniq), 1)
    rng = np.random.default_rng(seed)
    flags = s[group_col].astype(bool).to_numpy()
    mats, boots = {}, {}
    for flag in (True, False):
        sel = flags == flag
        hit = (s.loc[sel, "step_up"].to_numpy(dtype=float) >= threshold).astype(float)
        sums, cnts = _firm_stratum_sums(s[sel], hit, scodes[sel], m)
        mats[flag] = (sums, cnts)
        w = _boot_weights(len(sums), n_boot, rng) if len(sums) else np.zeros((n_boot, 0))
        boots[flag] = (w @ sums, w @ cnts)
    s1, c1 = mats[True][0].sum(axis=0), mats[True][1].sum(axis=0)
    s0, c0 = mats[False][0].sum(axis=0), mats[False][1].sum(axis=0)
    share_t, share_f, diff = (float(x) for x in _weighted_diff(s1, c1, s0, c0))
    _, _, d = _weighted_diff(*boots[True], *boots[False])
    a = (1 - level) / 2
    ci = (float(np.nanquantile(d, a)), float(np.nanquantile(d, 1 - a))) if np.isfinite(d).any() else (np.nan,) * 2
    both = (c1 > 0) & (c0 > 0)
    firms = {f: int((mats[f][1][:, both].sum(axis=1) > 0).sum()) for f in (True, False)}
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({"stratum": pd.Series(suniq, dtype="string") if len(suniq) else ["all"],
                              "n_true": c1.astype(int), "n_false": c0.astype(int),
                              "share_true": s1 / c1, "share_false": s0 / c0})
    table["diff"] = table["share_true"] - table["share_false"]
    table["weight"] = np.where(both, c1, 0.0) / max(float(np.where(both, c1, 0.0).sum()), 1.0)
    return StepUpComparison(
        share_true=share_t, share_false=share_f, diff=diff, ci_low=ci[0], ci_high=ci[1],
        n_true=int(c1[both].sum()), n_false=int(c0[both].sum()), firms_true=firms[True], firms_false=firms[False],
        n_true_unmatched=int(c1[~both].sum()), n_false_unmatched=int(c0[~both].sum()),
        by_stratum=table.sort_values("n_true", ascending=False, kind="stable").reset_index(drop=True),
        group=group_col, strata=tuple(keys), threshold=threshold, level=level, n_boot=n_boot)
