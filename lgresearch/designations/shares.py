"""Shares and counts of designated firms: over-representation ratios, published province shares, Wilson
intervals and firms per list issuer.

Examples
--------
>>> [round(x, 3) for x in proportion_interval(9, 10)]
[0.9, 0.596, 0.982]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lgresearch import official
from lgresearch._compat import renamed_kwargs
from lgresearch.clean.regions import PROVINCES
from lgresearch.designations.schema import _official_batches

__all__ = ["over_representation", "published_province_shares", "SW_MANUFACTURING_L1", "proportion_interval",
           "issuer_counts"]


@renamed_kwargs(alpha=("level", lambda a: 1 - a))
def over_representation(members: Iterable, others: Iterable, *, level: float = 0.95) -> pd.DataFrame:
    """Share of each category among members vs among everyone else, with a ratio and its interval.

    The over-representation ratio is ``share_members / share_others`` (a risk ratio of two disjoint groups);
    its ``level`` interval is the Katz log interval, ``exp(log r ± z·√(1/a − 1/n₁ + 1/c − 1/n₂))``, with
    0.5 added to both counts of a category that is empty in either group.

    Parameters
    ----------
    members, others : iterable
        Category labels of the members and of everyone else (missing labels are left out and counted in
        ``attrs``).
    level : float, default 0.95
        Interval level (``alpha=`` is deprecated: ``level = 1 - alpha``).

    Returns
    -------
    DataFrame
        ``category, n_members, share_members, n_others, share_others, ratio, ci_low, ci_high``, sorted by
        ``n_members`` descending.

    Examples
    --------
    >>> t = over_representation(["a"] * 30 + ["b"] * 10, ["a"] * 20 + ["b"] * 60)
    >>> t.round(2)[["category", "ratio", "ci_low", "ci_high"]].values.tolist()
    [['a', 3.0, 1.97, 4.56], ['b', 0.33, 0.19, 0.58]]
    """
    from scipy.stats import norm

    m = pd.Series(list(members), dtype=object)
    o = pd.Series(list(others), dtype=object)
    n1, n2 = int(m.notna().sum()), int(o.notna().sum())
    a = m.dropna().value_counts()
    c = o.dropna().value_counts()
    cats = sorted(set(a.index) | set(c.index), key=str)
    z = float(norm.ppf(0.5 + level / 2))
    rows = []
    for cat in cats:
        ai, ci = int(a.get(cat, 0)), int(c.get(cat, 0))
        aa, cc = (ai + 0.5, ci + 0.5) if (ai == 0 or ci == 0) else (float(ai), float(ci))
        nn1, nn2 = (n1 + 0.5, n2 + 0.5) if (ai == 0 or ci == 0) else (float(n1), float(n2))
        ratio = (aa / nn1) / (cc / nn2) if n1 and n2 else np.nan
        se = np.sqrt(max(1 / aa - 1 / nn1 + 1 / cc - 1 / nn2, 0.0)) if n1 and n2 else np.nan
        rows.append({"category": cat, "n_members": ai, "share_members": ai / n1 if n1 else np.nan,
                     "n_others": ci, "share_others": ci / n2 if n2 else np.nan, "ratio": ratio,
                     "ci_low": ratio * np.exp(-z * se), "ci_high": ratio * np.exp(z * se)})
    out = pd.DataFrame(rows, columns=["category", "n_members", "share_members", "n_others", "share_others",
                                      "ratio", "ci_low", "ci_high"])
    out = out.sort_values(["n_members", "n_others"], ascending=False, ignore_index=True)
    out.attrs["missing_members"] = int(m.isna().sum())
    out.attrs["missing_others"] = int(o.isna().sum())
    return out


def published_province_shares(
    province_counts: pd.DataFrame | None = None, official_batches: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Published per-province and per-city counts with their share of the batch total (same list type).

    Parameters
    ----------
    province_counts : DataFrame, optional
        Published per-province counts (default :func:`lgresearch.official.province_counts`).
    official_batches : DataFrame, optional
        Batch facts (default :func:`lgresearch.official.batches`).

    Returns
    -------
    DataFrame
        ``batch, scope, unit, province, province_en, count, batch_total, share, source_url, source_note``.

    Examples
    --------
    >>> t = published_province_shares()
    >>> row = t[(t["batch"] == 5) & (t["province"] == "江苏")].iloc[0]
    >>> int(row["count"]), round(float(row["share"]), 3)
    (795, 0.216)
    """
    pc = province_counts if province_counts is not None else official.province_counts()
    ob = official_batches if official_batches is not None else _official_batches()
    totals = ob.set_index("batch")
    out = pc[pc["batch"].astype("int64") > 0].copy()
    out["batch"] = out["batch"].astype("int64")

    def total(b: int, scope: str) -> float:
        if b not in totals.index:
            return np.nan
        col = "count_publicity" if scope == "publicity" else "count_final"
        return float(totals.loc[b, col])

    out["batch_total"] = [total(b, s) for b, s in zip(out["batch"], out["scope"], strict=True)]
    out["share"] = out["count"] / out["batch_total"]
    en = {v[0]: v[2] for v in PROVINCES.values()}
    en.update({"宁波": "Ningbo", "深圳": "Shenzhen", "青岛": "Qingdao", "大连": "Dalian", "厦门": "Xiamen",
               "东部": "East", "中部": "Central", "西部": "West"})
    out["province_en"] = out["province"].map(en)
    return out[["batch", "scope", "unit", "province", "province_en", "count", "batch_total", "share",
                "source_url", "source_note"]].reset_index(drop=True)


#: Shenwan level-1 industries (English names of :data:`lgresearch.listed.SW_L1_EN`) that are manufacturing in
#: the national classification (GB/T 4754 section C). Computers, Telecoms, Environmental Services and Utilities
#: mix manufacturing with services and are left out, so the share is a lower bound.
SW_MANUFACTURING_L1 = (
    "Machinery", "Electronics", "Basic Chemicals", "Power Equipment", "Pharma & Biotech", "Automobiles",
    "Defence", "Non-ferrous Metals", "Light Manufacturing", "Home Appliances", "Building Materials", "Steel",
    "Textiles & Apparel", "Food & Beverage", "Beauty & Personal Care", "Oil & Petrochemicals",
)


@renamed_kwargs(alpha=("level", lambda a: 1 - a))
def proportion_interval(k: int, n: int, *, level: float = 0.95) -> tuple[float, float, float]:
    """Share ``k / n`` with its Wilson interval at ``level``.

    Parameters
    ----------
    k, n : int
        Successes and trials.
    level : float, default 0.95
        Interval level (``alpha=`` is deprecated: ``level = 1 - alpha``).

    Returns
    -------
    tuple of float
        ``(share, ci_low, ci_high)``; all NaN when ``n <= 0``.

    Examples
    --------
    >>> [round(x, 3) for x in proportion_interval(90, 100)]
    [0.9, 0.826, 0.945]
    """
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0:
        return (np.nan, np.nan, np.nan)
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return (k / n, float(lo), float(hi))


def issuer_counts(panel: pd.DataFrame, *, batch: int, list_type: str = "final") -> pd.DataFrame:
    """Firms per list issuer (province, XPCC or separately planned city) in one batch and list type.

    Parameters
    ----------
    panel : DataFrame
        The designation panel (:func:`build_panel`).
    batch : int
        The batch.
    list_type : str
        The list type counted (default ``final``).

    Returns
    -------
    DataFrame
        Firms per issuer in the panel for that batch and list type.

    Examples
    --------
    >>> f = pd.DataFrame({"name": ["甲公司", "乙公司", "丙公司"], "batch": 1, "list_type": "final",
    ...                   "province": ["北京", "深圳", "北京"]})
    >>> from lgresearch.designations import build_panel
    >>> issuer_counts(build_panel([f], write=False), batch=1).values.tolist()
    [['北京', 2], ['深圳', 1]]
    """
    sub = panel[(panel["batch"] == batch) & (panel["list_type"] == list_type)]
    out = sub.groupby("issuer").size().rename("firms").reset_index()
    return out.sort_values(["firms", "issuer"], ascending=[False, True], ignore_index=True)
