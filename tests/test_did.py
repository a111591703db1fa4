"""Tests for lgresearch.did: estimators on simulated worlds with known truth (matching: tests/test_matching.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch import did
from lgresearch.provenance import is_simulated


# ----------------------------------------------------------------------------------------------------------------
# Estimators on simulated worlds with a known truth
# ----------------------------------------------------------------------------------------------------------------

from lgresearch.simulate import designation_world  # noqa: E402

KW = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
KW4 = {**KW, "window": (-4, 4)}  # the window these tests were written for (default: largest supported)
ROBUST = ("sun_abraham", "did2s")


@pytest.fixture(scope="module", params=[0.0, 0.3, 0.6], ids=lambda e: f"effect={e}")
def world(request):
    # strong selection on growth: designated firms grow ~0.1 log points a year faster than the rest
    return designation_world(n_firms=1500, seed=21, effect=request.param, selection=2.0)


@pytest.mark.parametrize("estimator", ROBUST)
def test_robust_estimators_recover_the_truth(world, estimator):
    truth = world.true_att((0, 4))
    # selection on growth: the never-designated grow more slowly, so only later-treated units are valid controls
    a = did.att(world.panel, estimator=estimator, controls="later_treated", **KW4)
    assert abs(a["estimate"].iloc[0] - truth) < 3 * a["se"].iloc[0]
    es = did.event_study(world.panel, estimator=estimator, controls="later_treated", **KW4)
    true_e = world.truth_by_event_time((-4, 4))
    z = (es.set_index("event_time")["estimate"] - true_e.reindex(es["event_time"]).to_numpy()) / \
        es.set_index("event_time")["se"]
    assert (z.abs() < 3.5).all(), z
    assert es.attrs["pretrend"]["p"] > 0.01


def test_naive_pre_post_is_biased_upward(world):
    truth = world.true_att((0, 4))
    n = did.naive_pre_post(world.panel, **KW)
    a = did.att(world.panel, estimator="did2s", controls="later_treated", **KW4)
    # market trend + selected firms' own growth: at least 0.25 log points of spurious uplift
    assert n["estimate"].iloc[0] - truth > 0.25
    assert n["ci_low"].iloc[0] > truth
    assert n["estimate"].iloc[0] - a["estimate"].iloc[0] > 0.25


def test_never_treated_comparison_fails_and_pretrend_test_says_so(world):
    for est in ROBUST:
        es = did.event_study(world.panel, estimator=est, controls="never_treated", **KW4)
        assert es.attrs["pretrend"]["p"] < 0.001
        a = did.att(world.panel, estimator=est, controls="never_treated", **KW4)
        assert a["estimate"].iloc[0] - world.true_att((0, 4)) > 3 * a["se"].iloc[0]


@pytest.mark.parametrize("estimator", ["twfe", *ROBUST])
def test_pretrend_test_rejects_planted_anticipation(estimator):
    w = designation_world(n_firms=1000, seed=3, effect=0.3, anticipation=1, anticipation_effect=0.2,
                          selection=2.0)
    es = did.event_study(w.panel, estimator=estimator, **KW4)
    assert es.attrs["pretrend"]["p"] < 0.001
    # did2s omits no period, so its leads include the reference year
    assert es.attrs["pretrend"]["leads"] == ([-4, -3, -2, -1] if estimator == "did2s" else [-4, -3, -2])


def test_static_twfe_is_biased_under_dynamic_effects_robust_estimators_are_not():
    # effects grow with event time and differ by cohort; no selection, so only the estimator differs
    w = designation_world(n_firms=3000, seed=5, selection=0.0,
                          effect=lambda e, g: (0.2 + 0.1 * e) * (1 + 0.3 * (2022 - g)))
    p = w.panel
    post = p["event_time"].notna() & (p["event_time"] >= 0)
    truth_all = float(p.loc[post, "true_effect"].mean())
    s = did.static_twfe(p, **KW)
    assert truth_all - s["estimate"].iloc[0] > 3 * s["se"].iloc[0]  # forbidden comparisons pull it down
    for est in ROBUST:
        a = did.att(p, estimator=est, controls="never_treated", **KW4)
        assert abs(a["estimate"].iloc[0] - w.true_att((0, 4))) < 3 * a["se"].iloc[0]


def test_tidy_frame_layout_and_attrs():
    w = designation_world(n_firms=600, seed=9, effect=0.3)
    tw = did.event_study(w.panel, estimator="twfe", window=(-3, 2), **KW)
    assert list(tw.columns) == did.TIDY_COLUMNS
    assert tw["event_time"].tolist() == [-3, -2, 0, 1, 2]
    assert (tw["ci_low"] < tw["estimate"]).all() and (tw["estimate"] < tw["ci_high"]).all()
    assert tw.attrs["ref"] == -1 and tw.attrs["window"] == (-3, 2)
    assert is_simulated(tw)
    assert np.asarray(tw.attrs["vcov"]).shape == (5, 5)
    es = did.event_study(w.panel, window=(-3, 2), **KW)  # did2s: no omitted period
    assert es["event_time"].tolist() == [-3, -2, -1, 0, 1, 2] and es.attrs["ref"] is None
    a = did.att(w.panel, window=(-3, 2), **KW)
    assert list(a.columns) == did.ATT_COLUMNS and a["post_to"].iloc[0] == 2
    c = did.combine(es, tw)
    assert set(c.attrs["pretrend"]) == {"did2s", "twfe"} and c.attrs["ref"] == {"did2s": None, "twfe": -1}


def test_did2s_matches_pyfixest():
    import warnings

    import pyfixest as pf

    w = designation_world(n_firms=250, seed=5, effect=0.3, selection=2.0)
    p = w.panel.sample(frac=0.85, random_state=1).sort_values(["firm_id", "year"])  # unbalanced
    es = did.event_study(p, estimator="did2s", controls="never_treated", window=(-3, 3), **KW)
    d = p.copy()
    treated = d["cohort"] > 0
    e = np.where(treated, d["year"] - d["cohort"], -999)
    d = d[~(treated & (e > 3))].copy()
    e = np.where(d["cohort"] > 0, d["year"] - d["cohort"], -999)
    d["D"] = (d["cohort"] > 0) & (e >= 0)
    names = []
    for k in (-3, -2, -1, 0, 1, 2, 3):
        names.append(f"x{k + 10}")
        d[names[-1]] = ((d["cohort"] > 0) & (e == k)).astype(float)
    d["cl"] = pd.factorize(d["firm_id"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.did2s(d, yname="log_value", first_stage="~ 0 | firm_id + year",
                       second_stage="~ " + " + ".join(names), treatment="D", cluster="cl")
    ref = fit.tidy()
    np.testing.assert_allclose(es["estimate"], ref["Estimate"], atol=1e-5)
    np.testing.assert_allclose(es["se"], ref["Std. Error"], rtol=1e-4)


def test_sun_abraham_matches_pyfixest_saturated_event_study():
    """With a window covering every event time, our interaction-weighted estimates equal pyfixest's saturated
    event study aggregated by period (estimates and standard errors)."""
    import warnings

    import pyfixest as pf

    w = designation_world(n_firms=400, seed=8, effect=0.3, selection=0.0)
    es = did.event_study(w.panel, estimator="sun_abraham", controls="never_treated", window=(-10, 6),
                         min_treated=1, **KW)
    d = w.panel.assign(g=w.panel["cohort"], unit=pd.factorize(w.panel["firm_id"])[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.event_study(d, yname="log_value", idname="unit", tname="year", gname="g", estimator="saturated")
        ref = fit.aggregate().astype(float)
    got = es.set_index("event_time")
    np.testing.assert_allclose(got["estimate"], ref.loc[got.index, "Estimate"], atol=1e-6)
    np.testing.assert_allclose(got["se"], ref.loc[got.index, "Std. Error"], rtol=1e-5)


def test_deal_level_panels():
    w = designation_world(n_firms=2500, seed=4, effect=0.3, selection=2.0)
    dp = did.aggregate_deals(w.deals, designations=w.designations)
    assert set(dp.columns) >= {"firm_id", "period", "log_value", "n_deals", "cohort"}
    acc = dp.attrs["deal_accounting"]
    assert acc["merged into firm-periods"] == len(w.deals) == acc["n_deals_in"]
    assert is_simulated(dp)
    a = did.att(dp, outcome_col="log_value", unit_col="firm_id", time_col="period", cohort_col="cohort",
                estimator="did2s", controls="later_treated", window=(-4, 4))
    truth = w.true_att((0, 4), data=dp)
    assert abs(a["estimate"].iloc[0] - truth) < 3 * a["se"].iloc[0]
    # deal rows with firm and year fixed effects
    rows = w.deals.assign(log_value=np.log(w.deals["post_money_cny"]))
    rows = rows.merge(w.designations[["firm_id", "cohort_year"]], on="firm_id", how="left")
    rows["cohort"] = rows["cohort_year"].fillna(0).astype(int)
    b = did.att(rows, outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort", repeated=True,
                controls="later_treated", window=(-4, 4))
    assert abs(b["estimate"].iloc[0] - 0.3) < 3 * b["se"].iloc[0]
    # half-years
    dh = did.aggregate_deals(w.deals, designations=w.designations, freq="half", rule="last_log")
    assert dh["period_label"].str.fullmatch(r"\d{4}H[12]").all()
    assert (dh["period"] // 2 == dh["year"]).all()


def test_aggregate_deals_accounts_for_every_row():
    from lgresearch.ledger import Ledger

    d = pd.DataFrame({"firm_id": ["a", "a", None, "b", "c"],
                      "date": pd.to_datetime(["2020-01-05", "2020-08-01", "2020-01-01", None, "2021-03-03"]),
                      "post_money_cny": [1e8, 4e8, 1e8, 1e8, 0.0]})
    led = Ledger()
    p = did.aggregate_deals(d, ledger=led)
    assert led.reconcile({"deals": 5})
    assert p["log_value"].tolist() == pytest.approx([np.log(2e8)])  # mean of logs
    assert p.attrs["deal_accounting"] == {"n_deals_in": 5, "merged into firm-periods": 2,
                                          "dropped: no firm id": 1, "dropped: no date": 1,
                                          "dropped: no positive valuation": 1}


def test_string_cluster_column_raises_and_default_unit_clustering_matches_integer_codes():
    w = designation_world(n_firms=300, seed=1, effect=0.3)
    p = w.panel.assign(cl_int=pd.factorize(w.panel["firm_id"])[0], prov_str=w.panel["firm_id"].astype(str))
    with pytest.raises(did.DidInputError, match=r"cluster IDs must be integers.*pd\.factorize"):
        did.event_study(p, cluster_col="prov_str", **KW4)
    a = did.event_study(p, **KW4)  # default: cluster on the (string) unit, coded internally
    b = did.event_study(p, cluster_col="cl_int", **KW4)
    np.testing.assert_allclose(a["se"], b["se"])


def test_no_third_party_warnings_escape_but_ours_do():
    import warnings

    w = designation_world(n_firms=300, seed=1, effect=0.3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for est in did.ESTIMATORS:
            did.event_study(w.panel, estimator=est, controls="never_treated", **KW4)
        did.naive_pre_post(w.panel, **KW)
        did.static_twfe(w.panel, **KW)


# ----------------------------------------------------------------------------------------------------------------
# Bad input: each raises a clear error saying what to change
# ----------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small():
    return designation_world(n_firms=300, seed=2, effect=0.2).panel


def test_bad_treatment_reversal(small):
    p = small.assign(d=((small["cohort"] > 0) & (small["year"] >= small["cohort"])).astype(int))
    first = p.index[(p["d"] == 1)][0]
    p.loc[first + 1, "d"] = 0
    with pytest.raises(did.DidInputError, match="treatment reversal.*absorbing"):
        did.event_study(p, outcome_col="log_value", unit_col="firm_id", time_col="year", treatment_col="d")
    p2 = small.copy()
    p2.loc[p2.index[0], "cohort"] = 2021 if p2.loc[p2.index[0], "cohort"] != 2021 else 2022
    with pytest.raises(did.DidInputError, match="cohort varies within"):
        did.event_study(p2, **KW4)


def test_treatment_indicator_equals_cohort(small):
    p = small.assign(d=((small["cohort"] > 0) & (small["year"] >= small["cohort"])).astype(int))
    a = did.event_study(p, outcome_col="log_value", unit_col="firm_id", time_col="year", treatment_col="d")
    b = did.event_study(small, **KW)  # both default to the largest supported window
    np.testing.assert_allclose(a["estimate"], b["estimate"])


def test_bad_duplicate_rows(small):
    p = pd.concat([small, small.iloc[:3]])
    with pytest.raises(did.DidInputError, match="aggregate_deals.*repeated=True"):
        did.event_study(p, **KW4)


def test_bad_cohort_outside_time_range(small):
    late = small[small["year"] <= 2022]  # cohorts 2023-2025 fall after the data
    with pytest.raises(did.DidInputError, match="after the last period 2022.*out_of_range"):
        did.event_study(late, **KW4)
    es = did.event_study(late, out_of_range="control", window=(-3, 2), **KW)
    assert es.attrs["n_units_late_cohort"] > 0 and "treated after the sample" in es.attrs["comparison"]
    early = small[small["year"] >= 2020]  # cohort 2019 and 2020 have no pre-period
    with pytest.raises(did.DidInputError, match="at or before the first period 2020"):
        did.event_study(early, **KW4)


def test_bad_too_few_treated_for_window(small):
    with pytest.raises(did.DidInputError, match=r"too few treated units.*Narrow the window to \(-\d+, \d+\)"):
        did.event_study(small, window=(-4, 9), **KW)
    tiny = small[(small["cohort"] == 0) | small["firm_id"].isin(small.loc[small["cohort"] > 0, "firm_id"][:1])]
    with pytest.raises(did.DidInputError, match="only 1 treated unit"):
        did.event_study(tiny, controls="never_treated", **KW4)


def test_bad_arguments(small):
    with pytest.raises(did.DidInputError, match="estimator must be"):
        did.event_study(small, estimator="cs", **KW4)
    with pytest.raises(did.DidInputError, match="ref < 0"):
        did.event_study(small, ref=0, **KW4)
    with pytest.raises(did.DidInputError, match="lacks column"):
        did.event_study(small, outcome_col="nope", unit_col="firm_id", time_col="year", cohort_col="cohort")
    with pytest.raises(did.DidInputError, match="integer periods"):
        did.event_study(small.assign(year=pd.to_datetime(small["year"].astype(str))), **KW4)
    with pytest.raises(did.DidInputError, match="no never-treated"):
        did.event_study(small[small["cohort"] > 0], controls="never_treated", **KW4)
    with pytest.raises(did.DidInputError, match="missing values"):
        did.event_study(small.assign(cl=np.where(small.index < 5, np.nan, 1.0)), cluster_col="cl", **KW4)


@pytest.mark.parametrize("estimator", ["twfe", "sun_abraham"])
@pytest.mark.parametrize("controls", did.CONTROLS)
def test_linear_memory_engine_equals_pyfixest(estimator, controls):
    w = designation_world(n_firms=400, seed=3, effect=0.3, selection=2.0)
    panels = {
        "balanced": (w.panel, KW),
        "unbalanced, province clusters": (
            w.panel.merge(w.firms[["firm_id", "province"]], on="firm_id").sample(frac=0.8, random_state=2)
            .assign(province_id=lambda d: pd.factorize(d["province"])[0]),
            {**KW, "cluster_col": "province_id"}),
        "deal panel with singletons": (did.aggregate_deals(w.deals, designations=w.designations),
                                       dict(outcome_col="log_value", unit_col="firm_id", time_col="period",
                                            cohort_col="cohort")),
    }
    for name, (p, kw) in panels.items():
        a = did.event_study(p, estimator=estimator, controls=controls, engine="pyfixest", **kw)
        b = did.event_study(p, estimator=estimator, controls=controls, engine="lgresearch", **kw)
        np.testing.assert_allclose(b["estimate"], a["estimate"], atol=1e-9, err_msg=name)
        np.testing.assert_allclose(b["se"], a["se"], rtol=1e-6, err_msg=name)
        assert a["n_obs"].iloc[0] == b["n_obs"].iloc[0], name


@pytest.mark.slow
def test_monte_carlo_coverage_of_robust_estimators():
    """>= 200 replications (about a minute on 2 cores): 95% CI coverage within 0.90-0.98.

    The same run as ``python benchmarks/bench_did_montecarlo.py``; deselected by default (slow marker).
    """
    import importlib.util

    from lgresearch.paths import repo_root

    spec = importlib.util.spec_from_file_location("bench_did_montecarlo",
                                                  repo_root() / "benchmarks" / "bench_did_montecarlo.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    _, table, _ = bench.run(200, n_firms=3000, effect=0.3, selection=2.0, jobs=2)
    cov = table.set_index("estimator")["coverage"]
    for est in ("did2s", "sun_abraham"):
        assert 0.90 <= cov[est] <= 0.98, table
    assert cov["naive_pre_post"] < 0.05


def test_within_fe_ols_equals_pyfixest_and_naive_falls_back_when_clusters_cut_units():
    """The naive before/after uses the closed-form within estimator; it equals pyfixest.feols (estimate, CRV1 SE,
    observations after dropping singleton units), and clusters that do not nest units go to pyfixest."""
    import pyfixest as pf

    rng = np.random.default_rng(3)
    unit = np.repeat(np.arange(200), 6)
    t = np.tile(np.arange(6), 200)
    keep = rng.random(len(unit)) > 0.3  # unbalanced, with some singleton units
    unit, t = unit[keep], t[keep]
    x = (t >= 3).astype(float)
    y = 0.01 * unit + 0.3 * x + rng.normal(0, 1, len(unit))
    for cl in (unit, unit // 7):
        fit = pf.feols("y ~ x | u", data=pd.DataFrame({"y": y, "x": x, "u": unit, "c": cl}), vcov={"CRV1": "c"})
        b, se, n = did.within_fe_ols(y, x, unit, cl)
        assert b == pytest.approx(float(fit.coef().iloc[0]), abs=1e-12)
        assert se == pytest.approx(float(fit.se().iloc[0]), rel=1e-10)
        assert n == fit._N
    assert did.within_fe_ols(y, x, unit, t) is None  # periods as clusters do not nest units
    assert did.within_fe_ols(y, np.ones_like(y), unit, unit) is None  # no within-unit variation
    w = designation_world(n_firms=300, seed=5, effect=0.2, selection=1.0, with_deals=False)
    panel = w.panel.assign(year_cl=w.panel["year"] - 2000)
    kw = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
    fast = did.naive_pre_post(panel, **kw)
    prep = did.prepare_panel(panel, **kw)
    df = prep.data[(prep.data["_g"] > 0) & ~prep.data["_late"]]
    df = df.assign(_e=df["_time"] - df["_g"])
    df = df[df["_e"].between(-4, 4)]
    ref = pf.feols("_y ~ _post | _unit", data=df.assign(_post=(df["_e"] >= 0).astype(float)),
                   vcov={"CRV1": "_cl"})
    assert fast["estimate"].iloc[0] == pytest.approx(float(ref.coef().iloc[0]), abs=1e-12)
    assert fast["se"].iloc[0] == pytest.approx(float(ref.se().iloc[0]), rel=1e-10)
    slow = did.naive_pre_post(panel, cluster_col="year_cl", **kw)  # clusters cut across units: pyfixest
    assert slow["estimate"].iloc[0] == pytest.approx(fast["estimate"].iloc[0], abs=1e-10)
    assert slow["se"].iloc[0] != pytest.approx(fast["se"].iloc[0], rel=1e-3)


def test_compare_estimators_equals_att_and_naive_one_by_one():
    w = designation_world(n_firms=500, seed=8, effect=0.3, selection=2.0, with_deals=False)
    kw = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
    t = did.compare_estimators(w.panel, estimators=("did2s", "naive_pre_post", "twfe"),
                               controls=("later_treated", "not_yet_treated"), engine="lgresearch", **kw)
    assert list(t.columns) == did.COMPARE_COLUMNS
    assert t[["estimator", "controls"]].values.tolist() == [
        ["did2s", "later_treated"], ["did2s", "not_yet_treated"], ["naive_pre_post", "none"],
        ["twfe", "later_treated"], ["twfe", "not_yet_treated"]]
    for _, row in t.iterrows():
        if row["estimator"] == "naive_pre_post":
            one = did.naive_pre_post(w.panel, **kw)
            assert np.isnan(row["pretrend_p"])
        else:
            one = did.att(w.panel, estimator=row["estimator"], controls=row["controls"], window=(-4, 4),
                          engine="lgresearch", **kw)
            assert row["pretrend_p"] == one.attrs["pretrend"]["p"]
        assert row[did.ATT_COLUMNS].tolist() == one.iloc[0][did.ATT_COLUMNS].tolist()
    assert is_simulated(t)
