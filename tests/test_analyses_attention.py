"""lgresearch.analyses.attention: deals to identified firms against matched controls, as a result object."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from lgresearch import deals
from lgresearch.analyses import attention
from lgresearch.analyses.attention import AttentionComparison, attention_comparison
from lgresearch.provenance import is_simulated
from lgresearch.simulate import designation_world


@pytest.fixture(scope="module")
def world():
    return designation_world(n_firms=300, seed=4)


@pytest.fixture(scope="module")
def result(world) -> AttentionComparison:
    treated = world.designations[["firm_id"]].drop_duplicates()
    return attention_comparison(world.deals.assign(listed_exchange=None), treated, n_boot=200,
                                exact=("industry_l1", "first_year"))


def test_comparison_on_simulated_world(result):
    assert set(result.by_year["group"]) == {attention.TREATED_GROUP, attention.CONTROL_GROUP}
    assert result.n_treated > 10 and result.ci_low <= result.estimate <= result.ci_high
    assert result.before == (2015, 2018) and result.after == (2019, 2023)
    # the estimate is the difference in differences of the group means
    assert result.estimate == pytest.approx((result.treated_after - result.treated_before)
                                            - (result.controls_after - result.controls_before))
    assert is_simulated(result.by_year)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.estimate = 0.0  # type: ignore[misc]


def test_level_widens_the_interval(world, result):
    treated = world.designations[["firm_id"]].drop_duplicates()
    wide = attention_comparison(world.deals.assign(listed_exchange=None), treated, n_boot=200,
                                exact=("industry_l1", "first_year"), level=0.99)
    assert wide.estimate == result.estimate
    assert wide.ci_low <= result.ci_low and wide.ci_high >= result.ci_high


def test_tidy_and_summary_are_plain_data_and_save_everywhere(result, tmp_path):
    t = result.tidy()
    assert list(t.columns)[: len(attention.ATTENTION_TIDY_COLUMNS)] == attention.ATTENTION_TIDY_COLUMNS
    assert set(t["term"]) == {"mean_deals", "mean_amount_cny", "mean_deals_before", "mean_deals_after", "did"}
    d = t[t["term"] == "did"].iloc[0]
    assert (d["estimate"], d["ci_low"], d["ci_high"]) == (result.estimate, result.ci_low, result.ci_high)
    assert sorted(t.attrs) == ["provenance", "source"]
    t.to_parquet(tmp_path / "a.parquet")
    t.to_csv(tmp_path / "a.csv", index=False)
    t.to_stata(tmp_path / "a.dta", write_index=False, version=118)
    assert np.allclose(pd.read_stata(tmp_path / "a.dta")["estimate"], t["estimate"], equal_nan=True)
    s = result.summary()
    assert len(s) == 1 and s["before_from"].iloc[0] == 2015 and s["estimate"].iloc[0] == result.estimate
    s.to_stata(tmp_path / "s.dta", write_index=False, version=118)


def test_dict_access_still_works_for_one_release_with_a_warning(result):
    with pytest.warns(FutureWarning, match=r'AttentionComparison\["did"\] is deprecated'):
        dd = result["did"]
    assert dd["estimate"] == result.estimate and dd["before"] == result.before
    with pytest.warns(FutureWarning):
        assert result["by_year"] is result.by_year


def test_yearly_shares_and_published_shares():
    y = attention.yearly_shares(deals.demo_events(), ["甲科技有限公司"], since=2020)
    assert y["n_events_all"].tolist() == [2, 2] and y["n_events_lg"].tolist() == [1, 1]
    p = attention.published_financing_shares()
    assert (p["firms"] <= p["of"]).all() and p.attrs["provenance"] == "real"
