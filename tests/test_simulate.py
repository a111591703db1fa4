"""Tests for lgresearch.simulate: schemas, provenance, batch sizes, selection, planted effects, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch import simulate
from lgresearch.provenance import is_simulated


@pytest.fixture(scope="module")
def world():
    return simulate.designation_world(n_firms=1500, seed=7, effect=0.3, selection=2.0)


def test_frames_follow_the_readers_schemas(world):
    from lgresearch.deals_readers.core import DEAL_COLUMNS, validate_events
    from lgresearch.designations import PANEL_COLUMNS

    assert list(world.deals.columns) == [*DEAL_COLUMNS, "provenance"]
    validate_events(world.deals)
    assert list(world.designations.columns) == [*PANEL_COLUMNS, "provenance"]
    assert world.designations["firm_id"].is_unique
    assert set(world.designations["list_type"]) == {"final"}
    # the same firm ids across the three frames
    assert set(world.designations["firm_id"]) <= set(world.firms["firm_id"])
    assert set(world.deals["firm_id"]) <= set(world.firms["firm_id"])
    assert set(world.panel["firm_id"]) == set(world.firms["firm_id"])


def test_every_frame_is_labelled_simulated(world):
    for frame in (world.firms, world.designations, world.deals, world.panel):
        assert frame.attrs["provenance"] == "simulated"
        assert (frame["provenance"] == "simulated").all()
        assert is_simulated(frame)


def test_batches_proportional_to_official_counts(world):
    from lgresearch import official

    counts = official.batches()["count_final"].to_numpy(dtype=float)
    sizes = world.designations.groupby("batch").size().reindex(range(1, 8)).to_numpy(dtype=float)
    assert sizes.sum() == round(0.35 * 1500)
    np.testing.assert_allclose(sizes / sizes.sum(), counts / counts.sum(), atol=2 / sizes.sum())
    assert (world.designations["cohort_year"] == world.designations["batch"] + 2018).all()
    # event dates fall in the cohort year
    assert (world.designations["event_date"].dt.year == world.designations["cohort_year"]).all()


def test_selection_on_growth(world):
    g = world.firms.groupby("ever_designated")["growth"].mean()
    assert g[True] - g[False] > 0.05
    flat = simulate.designation_world(n_firms=1500, seed=7, selection=0.0)
    g0 = flat.firms.groupby("ever_designated")["growth"].mean()
    assert abs(g0[True] - g0[False]) < 0.02


def test_timing_selection_makes_early_batches_faster_growing():
    w = simulate.designation_world(n_firms=3000, seed=2, timing_selection=2.0)
    coh = w.firms.merge(w.designations[["firm_id", "cohort_year"]], on="firm_id")
    by = coh.groupby("cohort_year")["growth"].mean()
    assert by.loc[2019:2020].mean() > by.loc[2024:2025].mean() + 0.03


def test_planted_effect_and_truth(world):
    p = world.panel
    post = p["event_time"].notna() & (p["event_time"] >= 0)
    assert np.allclose(p.loc[post, "true_effect"], 0.3)
    assert (p.loc[~post, "true_effect"] == 0).all()
    assert world.true_att((0, 4)) == pytest.approx(0.3)
    assert world.truth_by_event_time((-2, 1)).tolist() == pytest.approx([0, 0, 0.3, 0.3])


def test_effect_by_event_time_and_cohort_and_anticipation():
    w = simulate.designation_world(n_firms=400, seed=1, effect={0: 0.1, 2: 0.5})
    t = w.truth_by_event_time((0, 4))
    assert t.tolist() == pytest.approx([0.1, 0.0, 0.5, 0.5, 0.5])
    w = simulate.designation_world(n_firms=400, seed=1, effect=lambda e, g: 0.1 * (g - 2018))
    p = w.panel[w.panel["event_time"].notna() & (w.panel["event_time"] >= 0)]
    assert np.allclose(p["true_effect"], 0.1 * (p["cohort"] - 2018))
    w = simulate.designation_world(n_firms=400, seed=1, anticipation=2, anticipation_effect=0.25)
    assert w.truth_by_event_time((-3, 0)).tolist() == pytest.approx([0, 0.25, 0.25, 0])


def test_deals_rate_rises_with_quality_and_prices_follow_latent_value(world):
    per_firm = world.deals.groupby("firm_id").size().reindex(world.firms["firm_id"], fill_value=0)
    q = world.firms.set_index("firm_id")["quality"]
    assert np.corrcoef(q, per_firm)[0, 1] > 0.2
    d = world.deals.assign(year=world.deals["date"].dt.year).merge(world.panel, on=["firm_id", "year"])
    resid = np.log(d["post_money_cny"]) - d["log_value"]
    assert abs(resid.mean()) < 0.02 and resid.std() < 0.2
    assert (world.deals["date"].dt.year.between(2014, 2025)).all()


def test_deterministic_given_seed():
    a = simulate.designation_world(n_firms=200, seed=3)
    b = simulate.designation_world(n_firms=200, seed=3)
    c = simulate.designation_world(n_firms=200, seed=4)
    pd.testing.assert_frame_equal(a.deals, b.deals)
    assert not a.panel["log_value"].equals(c.panel["log_value"])


def test_without_deals_and_bad_arguments():
    w = simulate.designation_world(n_firms=100, seed=0, with_deals=False)
    assert len(w.deals) == 0 and list(w.deals.columns) == simulate.DEAL_COLUMNS
    with pytest.raises(ValueError, match="n_firms"):
        simulate.designation_world(n_firms=5)
    with pytest.raises(ValueError, match="designated_share"):
        simulate.designation_world(n_firms=100, designated_share=1.5)


def test_round_ladder_matches_the_cleaner():
    from lgresearch.clean import normalize_round

    for raw, std, order, cat in simulate.ROUNDS:
        r = normalize_round(raw)
        assert (r.round_std, r.stage_order, r.category) == (std, order, cat)


def test_monte_carlo_and_coverage_table():
    mc = simulate.monte_carlo(3, n_firms=300, effect=0.3, estimators=("did2s", "naive_pre_post"), seed=5)
    assert len(mc) == 6 and is_simulated(mc)
    assert set(mc.columns) >= {"rep", "estimator", "estimate", "se", "truth", "covered", "pretrend_p"}
    cov = simulate.coverage_table(mc).set_index("estimator")
    assert cov.loc["naive_pre_post", "bias"] > 0.2  # the naive comparison is far off
    assert cov.loc["did2s", "reps"] == 3
    with pytest.raises(ValueError, match="unknown estimators"):
        simulate.monte_carlo(1, n_firms=100, estimators=("cs",))


def test_designation_panel_is_the_worlds_panel_bit_for_bit():
    """Monte Carlo draws only the panel: the same frame as designation_world's for the same arguments."""
    kw = dict(n_firms=400, seed=11, effect={0: 0.1, 2: 0.4}, anticipation=1, shock_selection=0.5)
    w = simulate.designation_world(**kw)
    pd.testing.assert_frame_equal(simulate.designation_panel(**kw), w.panel, check_exact=True)
    assert simulate.true_att(w.panel, (0, 3)) == w.true_att((0, 3))


def test_studies_match_the_estimators_called_one_by_one():
    from lgresearch import did

    kw = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
    panel = simulate.designation_panel(n_firms=500, seed=4, effect=0.3, selection=2.0)
    grid = simulate.estimator_grid({0.3: panel}, estimators=("did2s", "sun_abraham"),
                                   controls=("later_treated", "never_treated"), engine="lgresearch")
    assert grid["estimator"].tolist() == ["naive_pre_post", "did2s (later treated)", "did2s (never treated)",
                                          "sun_abraham (later treated)", "sun_abraham (never treated)"]
    one = did.att(panel, estimator="sun_abraham", controls="never_treated", window=(-4, 4), engine="lgresearch", **kw)
    row = grid.set_index("estimator").loc["sun_abraham (never treated)"]
    assert row["estimate"] == one["estimate"].iloc[0] and row["pre-trend p"] == one.attrs["pretrend"]["p"]
    assert row["true effect"] == pytest.approx(0.3)
    assert grid["provenance"].eq("simulated").all()
    scen = simulate.failure_scenarios({"base": {}, "anticipation": {"anticipation": 1}}, n_firms=400, seed=2,
                                      effect=0.3, selection=2.0)
    w = simulate.designation_world(n_firms=400, seed=2, effect=0.3, selection=2.0, anticipation=1, with_deals=False)
    a = did.att(w.panel, estimator="did2s", controls="later_treated", window=(-4, 4), **kw)
    assert scen.loc[1, "did2s estimate"] == a["estimate"].iloc[0]
    assert scen.loc[1, "true ATT (0..4)"] == w.true_att((0, 4))
    world = simulate.designation_world(n_firms=400, seed=2, with_deals=False)
    parts = simulate.naive_decomposition(world).set_index("component")["naive before/after (log points)"]
    # the naive estimator is linear: the components add up to the estimate on log_value (up to the shocks)
    assert parts["log_value"] == pytest.approx(
        did.naive_pre_post(world.panel, **kw)["estimate"].iloc[0], abs=1e-12)
    assert parts["true_effect"] == pytest.approx(0.0)
