"""Venture attention to a group of firms: coverage shares with Wilson intervals, standardised share differences
and zero-filled firm-year deal counts (the panels behind :mod:`lgresearch.analyses.attention`).

Examples
--------
>>> firm_year_deals(demo_events(), ["甲科技有限公司"], years=(2020, 2021))["n_deals"].tolist()
[1, 1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.deals.demo import demo_events  # noqa: F401 - used by the examples
from lgresearch.deals.rounds import private_rounds

__all__ = ["COVERAGE_COLUMNS", "coverage_by_group", "share_difference", "firm_year_deals"]

#: Columns of :func:`coverage_by_group`.
COVERAGE_COLUMNS = ["group", "board", "n_firms", "n_with_deal", "share", "ci_low", "ci_high"]


def _wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    if n == 0:
        return (np.nan, np.nan)
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return float(lo), float(hi)


@renamed_kwargs(group="group_col", has_deal="has_deal_col", board="board_col")
def coverage_by_group(
    universe: pd.DataFrame,
    *,
    group_col: str,
    has_deal_col: str,
    board_col: str | None = "board",
) -> pd.DataFrame:
    """Share of firms with at least one deal, by group (and board), with Wilson 95% intervals.

    Parameters
    ----------
    universe : DataFrame
        One row per firm (e.g. every listed stock) with a boolean group column (e.g. tagged Little Giant) and a
        boolean has-deal column (e.g. appears in the deal data with a private round).
    group_col : str
        The boolean group column (``group=`` is deprecated).
    has_deal_col : str
        The boolean has-deal column (``has_deal=`` is deprecated).
    board_col : str, optional
        Also break down by this column (rows with ``board == "all"`` hold the totals; ``board=`` is deprecated).

    Returns
    -------
    DataFrame
        Columns ``group, board, n_firms, n_with_deal, share, ci_low, ci_high``, one row per group and board.

    Examples
    --------
    >>> u = pd.DataFrame({"lg": [True, True, False, False, False], "deal": [True, False, False, False, True],
    ...                   "board": ["STAR", "STAR", "Main", "Main", "STAR"]})
    >>> c = coverage_by_group(u, group_col="lg", has_deal_col="deal")
    >>> c.loc[c["board"] == "all", ["group", "n_firms", "share"]].values.tolist()
    [[False, 3, 0.3333333333333333], [True, 2, 0.5]]
    """
    rows = []
    keys = [group_col] + ([board_col] if board_col else [])
    for key, g in universe.groupby(keys, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        k, n = int(g[has_deal_col].sum()), len(g)
        lo, hi = _wilson(k, n)
        rows.append({"group": key[0], "board": key[1] if board_col else "all", "n_firms": n, "n_with_deal": k,
                     "share": k / n if n else np.nan, "ci_low": lo, "ci_high": hi})
    if board_col:
        for gv, g in universe.groupby(group_col, sort=True):
            k, n = int(g[has_deal_col].sum()), len(g)
            lo, hi = _wilson(k, n)
            rows.append({"group": gv, "board": "all", "n_firms": n, "n_with_deal": k, "share": k / n,
                         "ci_low": lo, "ci_high": hi})
    out = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    out["group"] = out["group"].astype(bool)
    return out.sort_values(["board", "group"], kind="stable").reset_index(drop=True)


@renamed_kwargs(group="group_col", has_deal="has_deal_col", strata="strata_col")
def share_difference(universe: pd.DataFrame, *, group_col: str, has_deal_col: str, strata_col: str | None = None,
                     n_boot: int = 2000, seed: int = 0) -> dict:
    """Difference in the share with a deal (group minus others), with a bootstrap 95% interval.

    With ``strata_col`` (e.g. the board), the difference is standardised to the group's composition: the
    within-stratum differences are averaged with the group's stratum shares as weights (strata without firms of
    both kinds are left out).

    Parameters
    ----------
    universe : DataFrame
        One row per firm.
    group_col : str
        Boolean column marking the group (``group=`` is deprecated).
    has_deal_col : str
        Boolean column marking firms with a deal (``has_deal=`` is deprecated).
    strata_col : str, optional
        Column whose values define strata (``strata=`` is deprecated).
    n_boot, seed : int
        Bootstrap draws and seed (firms resampled within each stratum and group).

    Returns
    -------
    dict
        ``diff, ci_low, ci_high, n_group, n_other`` and, when both groups have firms, ``share_group`` and
        ``share_other``.

    Examples
    --------
    >>> u = pd.DataFrame({"lg": [True] * 4 + [False] * 4, "deal": [True, True, False, False] + [False] * 3 + [True]})
    >>> share_difference(u, group_col="lg", has_deal_col="deal", n_boot=200)["diff"]
    0.25
    """
    rng = np.random.default_rng(seed)
    g = universe[group_col].astype(bool).to_numpy()
    y = universe[has_deal_col].astype(float).to_numpy()
    st = universe[strata_col].astype(str).to_numpy() if strata_col else np.zeros(len(universe), dtype=object)
    cells = []
    for s_ in pd.unique(st):
        a = y[(st == s_) & g]
        b = y[(st == s_) & ~g]
        if len(a) and len(b):
            cells.append((a, b))
    if not cells:
        return {"diff": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n_group": int(g.sum()),
                "n_other": int((~g).sum())}
    weights = np.array([len(a) for a, _b in cells], dtype=float)
    weights /= weights.sum()
    est = float(sum(w_ * (a.mean() - b.mean()) for w_, (a, b) in zip(weights, cells, strict=True)))
    d = np.zeros(n_boot)
    for w_, (a, b) in zip(weights, cells, strict=True):
        da = a[rng.integers(0, len(a), size=(n_boot, len(a)))].mean(axis=1)
        db = b[rng.integers(0, len(b), size=(n_boot, len(b)))].mean(axis=1)
        d += w_ * (da - db)
    return {"diff": est, "ci_low": float(np.quantile(d, 0.025)), "ci_high": float(np.quantile(d, 0.975)),
            "n_group": int(sum(len(a) for a, _ in cells)), "n_other": int(sum(len(b) for _, b in cells)),
            "share_group": float(np.concatenate([a for a, _ in cells]).mean()),
            "share_other": float(np.concatenate([b for _, b in cells]).mean())}


def firm_year_deals(events: pd.DataFrame, firm_ids: pd.Series | list, *, years: tuple[int, int]) -> pd.DataFrame:
    """Firm x year panel (zero-filled) of private-round deal counts and disclosed amounts for the given firms.

    Parameters
    ----------
    events : DataFrame
        Canonical deal events (:data:`~lgresearch.deals.DEAL_COLUMNS`).
    firm_ids : Series or list
        The firms to count.
    years : (int, int)
        First and last year, inclusive.

    Returns
    -------
    DataFrame
        One row per firm and year with the number of deals.

    Examples
    --------
    >>> p = firm_year_deals(demo_events(), ["甲科技有限公司"], years=(2020, 2021))
    >>> p["n_deals"].tolist(), p["amount_cny"].tolist()
    ([1, 1], [20000000.0, 30000000.0])
    """
    ids = pd.Index(pd.unique(pd.Series(list(firm_ids), dtype=object)))
    ev = private_rounds(events)
    ev = ev[ev["firm_id"].isin(ids) & ev["year"].between(*years)]
    grid = pd.MultiIndex.from_product([ids, range(years[0], years[1] + 1)], names=["firm_id", "year"])
    agg = ev.groupby(["firm_id", "year"]).agg(n_deals=("event_id", "size"), amount_cny=("amount_cny", "sum"))
    out = agg.reindex(grid).fillna({"n_deals": 0, "amount_cny": 0.0}).reset_index()
    out["n_deals"] = out["n_deals"].astype("int64")
    out.attrs = {k: v for k, v in events.attrs.items() if k in ("provenance", "source")}
    return out
