"""Tests for lgresearch.analyses.composition: industry over-representation of listed Little Giants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lgresearch import designations, sources
from lgresearch.analyses import composition as C


def _world() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Twelve stocks; eight tagged codes (one unlisted, one low-confidence, one without a Shenwan code, one not in
    the universe)."""
    codes = [f"{i:06d}" for i in range(1, 13)]
    universe = pd.DataFrame({
        "code": codes,
        "sw_l1_en": ["Machinery", "Machinery", "Electronics", "Pharma & Biotech", None, "Machinery",
                     "Banks", "Banks", "Electronics", "Pharma & Biotech", "Machinery", None],
    })
    tags = pd.DataFrame({
        "code": ["000001", "000002", "000003", "000004", "000005", "000006", "000007", "000099"],
        "high_confidence": [True, True, True, True, True, False, True, True],
        "listed": [True, True, True, True, True, True, False, True],
    })
    industries = pd.DataFrame({"code": ["000003", "000009"], "sw_l2_name": ["半导体", "光学光电子"]})
    return tags, universe, industries


def test_industry_over_representation_matches_hand_counts() -> None:
    uni = pd.DataFrame({"code": [f"{i:06d}.SZ" for i in range(8)], "ind": ["A"] * 4 + ["B"] * 4})
    t = C.industry_over_representation(["000000", "sz000001", 4, "999999"], uni, industry_col="ind",
                                       groups={"first two": ["000000", "000001"]})
    a = t.set_index("category")
    # members: A 2, B 1 (999999 is not in the universe); others: A 2, B 3
    assert a.loc["A", "n_members"] == 2 and a.loc["A", "n_others"] == 2
    assert a.loc["A", "ratio"] == pytest.approx((2 / 3) / (2 / 5))
    assert a.loc["first two", "level"] == "group" and a.loc["first two", "n_members"] == 2
    assert t.attrs["members_not_in_universe"] == 1
    assert (t.attrs["n_members"], t.attrs["n_others"]) == (3, 5)


def test_industry_groups_pool_semiconductors_with_the_named_level_one_industries() -> None:
    _, universe, industries = _world()
    groups = C.industry_groups(universe, industries)
    assert groups[C.SEMICONDUCTORS].tolist() == ["000003"]
    assert sorted(groups[C.THREE_NAMED]) == ["000001", "000002", "000003", "000004", "000006", "000010",
                                              "000011"]


def test_listed_industry_comparison_uses_one_denominator() -> None:
    tags, universe, industries = _world()
    c = C.listed_industry_comparison(tags=tags, universe=universe, industries=industries, level=0.9)
    # members: high-confidence and listed, with a Shenwan code: 000001-000004 (000005 has none, 000006 is
    # low-confidence, 000007 unlisted, 000099 not in the universe); others: the other stocks with a Shenwan code
    assert (c.n_members, c.n_others) == (4, 6)
    assert (c.n_without_industry, c.n_members_without_industry) == (2, 1)
    assert c.n_members_not_in_universe == 1  # 000099
    assert c.row("Machinery")[["n_members", "n_others"]].tolist() == [2, 2]
    three = c.row(C.THREE_NAMED)
    assert (three["n_members"], three["n_others"]) == (4, 3)
    shares = c.named_shares()
    assert tuple(shares.loc["three_named_members"]) == pytest.approx(
        designations.proportion_interval(4, 4, level=0.9))
    manu = 2 + 1 + 1  # Machinery, Electronics, Pharma & Biotech are manufacturing-type industries
    assert shares.loc["manufacturing_members", "share"] == pytest.approx(manu / 4)
    assert c.frame.attrs["source"] == C.COMPARISON_SOURCE
    assert "4 listed Little Giants" in c.coverage_text() and "2 stocks without a Shenwan code" in c.coverage_text()
    tidy = c.tidy()
    assert all(isinstance(v, str) for v in tidy.attrs.values())


def test_named_shares_follow_the_level() -> None:
    tags, universe, industries = _world()
    wide = C.listed_industry_comparison(tags=tags, universe=universe, industries=industries, level=0.99)
    narrow = C.listed_industry_comparison(tags=tags, universe=universe, industries=industries, level=0.8)
    w, n = wide.named_shares(), narrow.named_shares()
    assert (w["ci_low"] <= n["ci_low"]).all() and (w["ci_high"] >= n["ci_high"]).all()
    assert (w["ci_low"] < n["ci_low"]).any()


def test_plot_draws_categories_with_enough_members_on_a_log_axis() -> None:
    tags, universe, industries = _world()
    table = C.listed_industry_comparison(tags=tags, universe=universe, industries=industries).frame
    fig = C.plot_over_representation(table, highlight=["Machinery"], min_members=2)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels and all("(n=" in lab for lab in labels)
    assert len(labels) == int((table["n_members"] >= 2).sum())
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert np.isfinite([p.get_offsets() for p in ax.collections if hasattr(p, "get_offsets")][-1]).all()


def test_old_path_warns_and_the_alias_keywords_still_work() -> None:
    with pytest.warns(FutureWarning, match="moved to lgresearch.analyses.composition"):
        old = designations.industry_over_representation
    assert old is C.industry_over_representation
    uni = pd.DataFrame({"code": ["000001", "000002"], "ind": ["A", "B"]})
    with pytest.warns(FutureWarning, match="'alpha' is deprecated"):
        t = C.industry_over_representation(["000001"], uni, industry_col="ind", alpha=0.1)
    assert not math.isnan(t["ci_low"].iloc[0])


@pytest.mark.external
def test_real_listed_comparison_has_the_notebook_counts() -> None:
    if not (sources.available("listed_tags") and sources.available("shenwan")):
        pytest.skip("third-party data not available")
    c = C.listed_industry_comparison()
    assert c.n_members > 900 and c.n_others > 4000
    machinery = c.row("Machinery")
    assert machinery["ratio"] > 1 and machinery["ci_low"] > 1
    assert set(C.NAMED_INDUSTRIES) <= set(c.frame["category"])
