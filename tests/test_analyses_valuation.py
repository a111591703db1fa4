"""lgresearch.analyses.valuation: the valuation DiD as a result object, and the round pairs of notebook 04."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from lgresearch import deals
from lgresearch.analyses import valuation
from lgresearch.analyses.valuation import ValuationDiD, flag_pairs, program_step_ups, valuation_did
from lgresearch.provenance import is_simulated
from lgresearch.simulate import designation_world


@pytest.fixture(scope="module")
def result() -> ValuationDiD:
    w = designation_world(n_firms=600, seed=1, effect=0.4, selection=0.0)
    return valuation_did(w.deals, w.designations, exact=("industry_vendor",))


def test_recovers_planted_effect_when_designation_is_random(result):
    a = result.att.iloc[0]
    assert a["ci_low"] < 0.4 < a["ci_high"]
    assert result.n_treated > 20 and result.n_controls >= result.n_treated
    assert result.n_treated == result.matched.pairs["treated_id"].nunique()


def test_result_is_a_frozen_dataclass(result):
    assert dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n_treated = 0  # type: ignore[misc]
    assert result.window == (-3, 2) and result.exact == ("industry_vendor",) and result.estimator == "did2s"
    assert 0 <= result.pretrend_p <= 1
    assert "ValuationDiD(estimate=" in repr(result)


def test_tidy_is_plain_data_and_saves_everywhere(result, tmp_path):
    t = result.tidy()
    assert list(t.columns)[: len(valuation.VALUATION_TIDY_COLUMNS)] == valuation.VALUATION_TIDY_COLUMNS
    assert t["term"].tolist()[-1] == "att" and (t["term"].iloc[:-1] == "event_time").all()
    assert t["estimate"].iloc[-1] == pytest.approx(result.att["estimate"].iloc[0])
    assert sorted(t.attrs) == ["provenance", "source"] and all(isinstance(v, str) for v in t.attrs.values())
    assert is_simulated(t)
    t.to_parquet(tmp_path / "v.parquet")
    t.to_csv(tmp_path / "v.csv", index=False)
    t.to_stata(tmp_path / "v.dta", write_index=False, version=118)
    back = pd.read_stata(tmp_path / "v.dta")
    assert np.allclose(back["estimate"], t["estimate"])
    assert pd.read_parquet(tmp_path / "v.parquet")["term"].tolist() == t["term"].tolist()


def test_dict_access_still_works_for_one_release_with_a_warning(result):
    with pytest.warns(FutureWarning, match=r'ValuationDiD\["att"\] is deprecated'):
        assert result["att"] is result.att
    with pytest.raises(KeyError):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result["nothing"]


def test_method_check_labels_every_row_simulated():
    table, results = valuation.did_method_check({"random": 0.0}, n_firms=500, effect=0.4, seed=1)
    assert table["provenance"].eq("simulated").all() and is_simulated(table)
    r = results["random"]
    assert table["DiD estimate"].iloc[0] == pytest.approx(r.att["estimate"].iloc[0])
    assert table["true effect"].iloc[0] == pytest.approx(0.4, abs=0.1)


def test_flag_pairs_and_program_step_ups():
    ev = deals.demo_events()
    pairs = deals.step_ups(ev)
    status = pd.Series({"甲科技有限公司": "exchange-listed"})
    p = flag_pairs(pairs, program_firms={"甲科技有限公司"}, listing_status=status)
    assert p[["program_firm", "listing_status", "horizon"]].values.tolist() == [
        [True, "exchange-listed", "within 6 months"]]
    assert p.attrs["provenance"] == "simulated"
    ids = pd.DataFrame({"firm_id": ["甲科技有限公司"], "window_start": [pd.Timestamp("2021-06-01")],
                        "date_known": [False]})
    assert program_step_ups(p, ids).empty  # the later round (2021-03-15) precedes the earliest designation
    ids["window_start"] = pd.Timestamp("2020-01-01")
    hit = program_step_ups(p, ids)
    assert len(hit) == 1 and not hit["designation_date_known"].iloc[0]
    assert program_step_ups(p, ids, low=2.5).empty


def test_from_panel_links_the_panel_to_the_deals_and_gives_the_same_estimate(result):
    w = designation_world(n_firms=600, seed=1, effect=0.4, selection=0.0)
    linked = valuation.valuation_did_from_panel(w.deals, w.designations, exact=("industry_vendor",))
    assert linked.n_treated == result.n_treated and linked.n_controls == result.n_controls
    assert linked.att["estimate"].iloc[0] == pytest.approx(result.att["estimate"].iloc[0])
