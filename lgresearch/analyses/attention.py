"""Venture investors' attention to designated firms: deals to identified firms against matched comparable firms,
listed firms' guidance-fund coverage and the published financing shares (notebook 07).

:func:`attention_comparison` combines the deal panel (:mod:`lgresearch.deals`) with matched controls
(:func:`lgresearch.did.match_controls`) and returns an :class:`AttentionComparison`.

Examples
--------
>>> from lgresearch.simulate import designation_world
>>> w = designation_world(n_firms=300, seed=4)
>>> r = attention_comparison(w.deals.assign(listed_exchange=None), w.designations[["firm_id"]], n_boot=100,
...                          exact=("industry_l1", "first_year"))
>>> sorted(r.by_year["group"].unique())
['identified Little Giants', 'matched comparable firms']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from lgresearch import deals, did, link, official
from lgresearch.provenance import carry_provenance, mark_real, plain_frame

__all__ = ["AttentionComparison", "attention_comparison", "ATTENTION_TIDY_COLUMNS", "TREATED_GROUP",
           "CONTROL_GROUP", "listed_deal_universe", "yearly_shares", "published_financing_shares"]

#: Group labels of :attr:`AttentionComparison.by_year`.
TREATED_GROUP = "identified Little Giants"
CONTROL_GROUP = "matched comparable firms"
#: Columns of :meth:`AttentionComparison.tidy`.
ATTENTION_TIDY_COLUMNS = ["term", "group", "year", "estimate", "ci_low", "ci_high", "n_firms"]


@dataclass(frozen=True, eq=False, repr=False)
class AttentionComparison:
    """Result of :func:`attention_comparison`.

    Attributes
    ----------
    by_year : DataFrame
        ``year, group, mean_deals, mean_amount_cny, n_firms``: mean private rounds (and disclosed amounts) per firm
        and year, identified firms and their matched controls (controls weighted, one unit per treated firm).
    estimate, ci_low, ci_high : float
        Difference in differences of mean private rounds per firm-year (treated minus controls, ``after`` minus
        ``before``) and its bootstrap interval (treated firms resampled with their controls).
    n_treated, n_controls : int
        Matched identified firms and distinct comparable firms.
    before, after : (int, int)
        The two periods (first and last year, inclusive).
    treated_before, treated_after, controls_before, controls_after : float
        Mean private rounds per firm-year in each group and period.
    matched : lgresearch.did.Matched
        The matching (pairs, balance, unmatched).
    firms : DataFrame
        The firm covariates used for matching.
    level, n_boot : settings of the interval.
    """

    by_year: pd.DataFrame
    estimate: float
    ci_low: float
    ci_high: float
    n_treated: int
    n_controls: int
    before: tuple[int, int]
    after: tuple[int, int]
    treated_before: float
    treated_after: float
    controls_before: float
    controls_after: float
    matched: did.Matched
    firms: pd.DataFrame
    level: float = 0.95
    n_boot: int = 2000

    @property
    def did(self) -> dict:
        """The difference in differences as the release-0.1 dict (``estimate, ci_low, ci_high, n_treated, ...``)."""
        return {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "n_treated": self.n_treated, "n_controls": self.n_controls, "before": self.before,
                "after": self.after, "treated_before": self.treated_before, "treated_after": self.treated_after,
                "controls_before": self.controls_before, "controls_after": self.controls_after}

    def summary(self) -> pd.DataFrame:
        """The difference in differences as a one-row frame (no tuples: periods as ``before_from`` ... columns).

        Returns
        -------
        DataFrame
            ``estimate, ci_low, ci_high, n_treated, n_controls, treated_before, treated_after, controls_before,
            controls_after, before_from, before_to, after_from, after_to, level``.

        Examples
        --------
        >>> from lgresearch.simulate import designation_world
        >>> w = designation_world(n_firms=300, seed=4)
        >>> r = attention_comparison(w.deals.assign(listed_exchange=None), w.designations[["firm_id"]],
        ...                          n_boot=50, exact=("industry_l1", "first_year"))
        >>> r.summary()[["before_from", "after_to"]].values.tolist()
        [[2015, 2023]]
        """
        d = {k: v for k, v in self.did.items() if k not in ("before", "after")}
        d.update(before_from=self.before[0], before_to=self.before[1], after_from=self.after[0],
                 after_to=self.after[1], level=self.level)
        return carry_provenance(self.by_year, pd.DataFrame([d]))

    def tidy(self) -> pd.DataFrame:
        """One row per estimate: yearly means by group, period means by group and the difference in differences.

        Returns
        -------
        DataFrame
            :data:`ATTENTION_TIDY_COLUMNS` (plus a ``provenance`` column on simulated data); ``term`` is
            ``mean_deals`` / ``mean_amount_cny`` (per year), ``mean_deals_before`` / ``mean_deals_after`` or
            ``did``. Plain data: saves to parquet, csv and Stata.

        Examples
        --------
        >>> from lgresearch.simulate import designation_world
        >>> w = designation_world(n_firms=300, seed=4)
        >>> r = attention_comparison(w.deals.assign(listed_exchange=None), w.designations[["firm_id"]],
        ...                          n_boot=50, exact=("industry_l1", "first_year"))
        >>> t = r.tidy(); t["term"].iloc[-1], bool(t["estimate"].iloc[-1] == r.estimate)
        ('did', True)
        """
        y = self.by_year
        n = {TREATED_GROUP: self.n_treated, CONTROL_GROUP: self.n_controls}
        rows = [y.assign(term="mean_deals", estimate=y["mean_deals"]),
                y.assign(term="mean_amount_cny", estimate=y["mean_amount_cny"])]
        periods = [(TREATED_GROUP, "before", self.treated_before), (TREATED_GROUP, "after", self.treated_after),
                   (CONTROL_GROUP, "before", self.controls_before), (CONTROL_GROUP, "after", self.controls_after)]
        rows.append(pd.DataFrame([{"term": f"mean_deals_{p}", "group": g, "estimate": v, "n_firms": n[g]}
                                  for g, p, v in periods]))
        rows.append(pd.DataFrame([{"term": "did", "group": f"{TREATED_GROUP} minus {CONTROL_GROUP}",
                                   "estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high,
                                   "n_firms": self.n_treated}]))
        out = pd.concat(rows, ignore_index=True).reindex(columns=ATTENTION_TIDY_COLUMNS)
        out = out.astype({"term": str, "group": str, "year": "float64", "estimate": "float64", "ci_low": "float64",
                          "ci_high": "float64", "n_firms": "int64"})
        return carry_provenance(self.by_year, plain_frame(out))

    def __getitem__(self, key: str):
        """Release-0.1 access ``res["did"]`` / ``res["by_year"]`` (deprecated: use the attributes)."""
        if key not in {"by_year", "did", "matched", "firms"}:
            raise KeyError(key)
        warnings.warn(f'AttentionComparison["{key}"] is deprecated; use the attribute .{key}', FutureWarning,
                      stacklevel=2)
        return getattr(self, key)

    def __repr__(self) -> str:
        return (f"AttentionComparison(estimate={self.estimate:.4g}, ci=[{self.ci_low:.4g}, {self.ci_high:.4g}], "
                f"n_treated={self.n_treated}, n_controls={self.n_controls}, before={self.before}, "
                f"after={self.after})")


def _matched_firms(events: pd.DataFrame, treated: pd.DataFrame, *, exact: tuple[str, ...], on: tuple[str, ...],
                   k: int, seed: int) -> tuple[pd.DataFrame, did.Matched]:
    """Deal firms with matching covariates, and identified firms matched to comparable firms."""
    firms = deals.deal_firms(events)
    firms["listed"] = firms["listed_exchange"].notna()
    firms["first_stage"] = firms["first_stage_order"].fillna(20.0)
    firms = firms.dropna(subset=[c for c in exact if c in firms.columns])
    is_t = firms["firm_id"].isin(set(treated["firm_id"]))
    m = did.match_controls(firms[is_t], firms[~is_t], exact=list(exact), on=list(on), k=k, unit_col="firm_id",
                           seed=seed)
    return firms, m


def _group_matrices(panel: pd.DataFrame, pairs: pd.DataFrame
                    ) -> tuple[list, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Firm x year deal counts and amounts of treated firms and of their weighted controls.

    Each treated firm's controls share one unit of weight: the control mean is the mean over treated firms of their
    own weighted control means, so the bootstrap can resample treated firms as rows.
    """
    t_ids = pairs["treated_id"].unique()
    pv = panel.pivot(index="firm_id", columns="year", values="n_deals")
    pa_ = panel.pivot(index="firm_id", columns="year", values="amount_cny")
    tx = pv.loc[t_ids].to_numpy(dtype=float)
    ta_x = pa_.loc[t_ids].to_numpy(dtype=float)
    w = pairs["weight"].to_numpy(dtype=float)
    cvals = pv.loc[pairs["control_id"]].to_numpy(dtype=float) * w[:, None]
    camt = pa_.loc[pairs["control_id"]].to_numpy(dtype=float) * w[:, None]
    pos = pd.Index(t_ids).get_indexer(pairs["treated_id"])
    cx = np.zeros_like(tx)
    ca_x = np.zeros_like(ta_x)
    np.add.at(cx, pos, cvals)
    np.add.at(ca_x, pos, camt)
    return list(pv.columns), tx, cx, ta_x, ca_x


def _did_by_period(yr: np.ndarray, tx: np.ndarray, cx: np.ndarray, *, before: tuple[int, int],
                   after: tuple[int, int], n_boot: int, seed: int, level: float) -> dict[str, float]:
    """Difference in differences of per-firm means (after minus before), bootstrapping treated firms (rows)."""
    bmask = (yr >= before[0]) & (yr <= before[1])
    amask = (yr >= after[0]) & (yr <= after[1])
    per_firm = (tx[:, amask].mean(axis=1) - tx[:, bmask].mean(axis=1)) - (cx[:, amask].mean(axis=1)
                                                                          - cx[:, bmask].mean(axis=1))
    rng = np.random.default_rng(seed)
    draws = per_firm[rng.integers(0, len(per_firm), size=(n_boot, len(per_firm)))].mean(axis=1)
    a = round((1 - level) / 2, 12)
    tm, cm = tx.mean(axis=0), cx.mean(axis=0)
    return {"estimate": float(per_firm.mean()), "ci_low": float(np.quantile(draws, a)),
            "ci_high": float(np.quantile(draws, 1 - a)), "treated_before": float(tm[bmask].mean()),
            "treated_after": float(tm[amask].mean()), "controls_before": float(cm[bmask].mean()),
            "controls_after": float(cm[amask].mean())}


def attention_comparison(
    events: pd.DataFrame,
    treated: pd.DataFrame,
    *,
    exact: tuple[str, ...] = ("industry_l1", "province", "listed", "first_year"),
    on: tuple[str, ...] = ("first_stage",),
    k: int = 3,
    years: tuple[int, int] = (2012, 2023),
    before: tuple[int, int] = (2015, 2018),
    after: tuple[int, int] = (2019, 2023),
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> AttentionComparison:
    """Deals to identified firms against matched comparable firms, by year and before/after a designation window.

    Comparable firms are deal-database firms not in ``treated``, matched with :func:`lgresearch.did.match_controls`
    exactly on industry, province, listing status and first-deal year, nearest on the first round's stage. Yearly
    means are weighted (each treated firm's controls share one unit of weight). The before/after contrast is a
    difference in differences of mean private deals per firm-year (treated minus controls, ``after`` minus
    ``before``), with a bootstrap interval that resamples treated firms together with their controls.

    Parameters
    ----------
    events : DataFrame
        Canonical events.
    treated : DataFrame
        Identified firms with a ``firm_id`` column.
    exact, on : tuple of str
        Firm covariates matched exactly and by nearest distance (``industry_l1``, ``province``, ``listed``,
        ``first_year``, ``first_stage``).
    k : int, default 3
        Controls per identified firm.
    years : (int, int)
        Years of the firm-year panel.
    before, after : (int, int)
        The two periods compared (inclusive).
    n_boot, seed : int
        Bootstrap draws and seed (also the matching's seed).
    level : float, default 0.95
        Interval level.

    Returns
    -------
    AttentionComparison
        Yearly means, the difference in differences with its interval, the matching and the firm covariates;
        ``.tidy()`` gives plain data. ``res["did"]`` still works for one release (deprecated: use ``res.did``).

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=300, seed=4)
    >>> r = attention_comparison(w.deals.assign(listed_exchange=None), w.designations[["firm_id"]], n_boot=100,
    ...                          exact=("industry_l1", "first_year"))
    >>> bool(r.ci_low <= r.estimate <= r.ci_high), r.n_treated > 10
    (True, True)
    """
    firms, m = _matched_firms(events, treated, exact=exact, on=on, k=k, seed=seed)
    pairs = m.pairs[["treated_id", "control_id", "weight"]]
    t_ids = pairs["treated_id"].unique()
    n_controls = int(pairs["control_id"].nunique())
    panel = deals.firm_year_deals(events, list(t_ids) + list(pairs["control_id"].unique()), years=years)
    yrs, tx, cx, ta_x, ca_x = _group_matrices(panel, pairs)
    tm, cm = tx.mean(axis=0), cx.mean(axis=0)
    by_year = pd.concat([
        pd.DataFrame({"year": yrs, "group": TREATED_GROUP, "mean_deals": tm, "mean_amount_cny": ta_x.mean(axis=0),
                      "n_firms": len(t_ids)}),
        pd.DataFrame({"year": yrs, "group": CONTROL_GROUP, "mean_deals": cm, "mean_amount_cny": ca_x.mean(axis=0),
                      "n_firms": n_controls}),
    ], ignore_index=True)
    summary = _did_by_period(np.array(yrs), tx, cx, before=before, after=after, n_boot=n_boot, seed=seed,
                             level=level)
    return AttentionComparison(
        by_year=carry_provenance(events, by_year), **summary, n_treated=int(len(t_ids)), n_controls=n_controls,
        before=cast("tuple[int, int]", tuple(before)), after=cast("tuple[int, int]", tuple(after)),
        matched=m, firms=firms, level=level, n_boot=n_boot)


def listed_deal_universe(universe: pd.DataFrame, events: pd.DataFrame, tagged_codes: Iterable) -> pd.DataFrame:
    """Listed firms flagged as tagged Little Giants and as firms with a private guidance-fund round.

    Every listed stock is linked to the deal firms the vendor reports as listed, on the stock short name and a
    consistent board (:func:`lgresearch.link.link_listed_short_names`).

    Parameters
    ----------
    universe : DataFrame
        The stock universe (:func:`lgresearch.listed.stock_universe`): ``code``, ``name``, ``board``.
    events : DataFrame
        Canonical deal events.
    tagged_codes : iterable
        Stock codes with a vendor Little Giant tag.

    Returns
    -------
    DataFrame
        ``universe`` with boolean ``tagged`` and ``has_gf_deal`` columns.

    Examples
    --------
    >>> u = pd.DataFrame({"code": ["600000"], "name": ["浦发银行"], "board": ["Main"]})
    >>> from lgresearch import deals
    >>> listed_deal_universe(u, deals.demo_events(), ["600000"])[["tagged", "has_gf_deal"]].values.tolist()
    [[True, False]]
    """
    links = link.link_listed_short_names(universe, deals.deal_firms(events))
    firm_of = links.set_index("code")["firm_id"]
    with_private = set(deals.private_rounds(events)["firm_id"].dropna())
    return universe.assign(tagged=universe["code"].isin(set(tagged_codes)),
                           has_gf_deal=universe["code"].map(firm_of).isin(with_private))


def yearly_shares(private: pd.DataFrame, firm_ids: Iterable, *, since: int = 2012) -> pd.DataFrame:
    """Yearly private rounds and disclosed amounts: all firms against a group, and the group's shares.

    Parameters
    ----------
    private : DataFrame
        Private rounds (:func:`lgresearch.deals.private_rounds`).
    firm_ids : iterable
        ``firm_id`` values of the group.
    since : int, default 2012
        First year shown.

    Returns
    -------
    DataFrame
        ``year, n_events_all, amount_disclosed_cny_all, n_events_lg, amount_disclosed_cny_lg, share_events_lg,
        share_amount_lg``.

    Examples
    --------
    >>> from lgresearch import deals
    >>> yearly_shares(deals.demo_events(), ["甲科技有限公司"], since=2020)["share_events_lg"].tolist()
    [0.5, 0.5]
    """
    cols = ["year", "n_events", "amount_disclosed_cny"]
    ann_all = deals.annual_summary(private)
    ann_lg = deals.annual_summary(private[private["firm_id"].isin(set(firm_ids))])
    yearly = ann_all[cols].merge(ann_lg[cols], on="year", how="left", suffixes=("_all", "_lg")).fillna(0)
    yearly = yearly[yearly["year"] >= since].reset_index(drop=True)
    yearly["share_events_lg"] = yearly["n_events_lg"] / yearly["n_events_all"]
    yearly["share_amount_lg"] = yearly["amount_disclosed_cny_lg"] / yearly["amount_disclosed_cny_all"]
    return yearly


def _denominator(facts: pd.DataFrame, as_of: str, firms: int, share: float) -> int:
    """The published total the share refers to (a cumulative-total fact of that date), else firms / share."""
    hit = facts[(facts["metric"] == "cumulative_total") & (facts["as_of"] == as_of)]
    return int(hit["value"].iloc[0]) if len(hit) else int(round(firms / share))


def published_financing_shares() -> pd.DataFrame:
    """The published shares of Little Giants with venture or any equity financing, from the official facts.

    Returns
    -------
    DataFrame
        ``statement, firms, of, share, source``, one row per published statement, marked as real data.

    Examples
    --------
    >>> p = published_financing_shares()
    >>> len(p), bool((p["share"] > 0).all())
    (3, True)
    """
    facts = official.facts()
    vc_share = float(official.fact_value("vc_pe_backed_share"))
    vc_firms = int(official.fact_value("vc_pe_backed_firms"))
    eq_share, eq_firms = float(official.fact_value("any_equity_share")), int(official.fact_value("any_equity_firms"))
    b4_firms = int(official.fact_value("batch4_firms_with_financing", batch=4))
    b4_total = int(official.fact_value("count_publicity", batch=4))
    published = pd.DataFrame([
        {"statement": "Little Giants with VC/PE investors, end-2022", "firms": vc_firms,
         "of": _denominator(facts, "2022-09-08", vc_firms, vc_share), "share": vc_share,
         "source": "《2022专精特新小巨人企业发展报告》"},
        {"statement": "Little Giants with any equity financing, five batches (to 2023-11)", "firms": eq_firms,
         "of": _denominator(facts, "2023-07", eq_firms, eq_share), "share": eq_share,
         "source": "LP投顾 via 证券日报 2023-11-25"},
        {"statement": "batch-4 firms with any financing (Tianyancha, 2022-08)", "firms": b4_firms, "of": b4_total,
         "share": b4_firms / b4_total, "source": "Tianyancha batch-4 report"},
    ])
    return mark_real(published, "published reports compiled in lgresearch/data/official/facts.csv")
