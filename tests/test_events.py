"""Tests for lgresearch.events: a worked example by hand, statsmodels parity, bad input, tests and differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from lgresearch import events as ev
from lgresearch.provenance import is_simulated

# ---------------------------------------------------------------------------------------------------------------
# A worked example computed by hand
# ---------------------------------------------------------------------------------------------------------------

# seven sessions: estimation window (-6, -2) = sessions 0..4, day -1 = session 5 (unused), event window (0, 1)
# = sessions 6, 7; the event is on session 6.
DATES = pd.to_datetime(["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08", "2024-03-11",
                        "2024-03-12", "2024-03-13"])
MKT = [0.01, -0.02, 0.00, 0.03, -0.01, 0.005, 0.02, -0.01]
RET = [0.02, -0.02, 0.005, 0.04, -0.005, 0.001, 0.06, 0.00]


def _worked():
    returns = pd.DataFrame({"code": "600000", "date": DATES, "ret": RET})
    market = pd.Series(MKT, index=DATES, name="market")
    events = pd.DataFrame({"code": ["600000"], "event_date": [DATES[6]], "event_id": ["x"]})
    return returns, market, events


def test_worked_example_market_model_by_hand():
    returns, market, events = _worked()
    res = ev.abnormal_returns(returns, events, market=market, estimation_window=(-6, -2), event_window=(0, 1),
                              min_estimation_obs=5)
    # by hand: means 0.002 (market) and 0.008 (stock); Sxx = 0.00148, Sxy = 0.00177, Syy = 0.00213
    beta = 0.00177 / 0.00148
    alpha = 0.008 - beta * 0.002
    ar0 = 0.06 - (alpha + beta * 0.02)
    ar1 = 0.00 - (alpha + beta * -0.01)
    s2 = (0.00213 - beta * 0.00177) / 3
    var_car = s2 * (2 + 4 / 5 + (0.02 - 0.01 - 2 * 0.002) ** 2 / 0.00148)
    bhar = (1.06 * 1.00) - (1 + alpha + beta * 0.02) * (1 + alpha - beta * 0.01)
    row = res.iloc[0]
    assert row["status"] == "ok" and row["n_est"] == 5 and row["n_event_obs"] == 2
    assert row["beta"] == pytest.approx(beta, abs=1e-12)
    assert row["alpha"] == pytest.approx(alpha, abs=1e-12)
    assert row["sigma"] == pytest.approx(np.sqrt(s2), abs=1e-12)
    assert row["car"] == pytest.approx(ar0 + ar1, abs=1e-12)
    assert row["car"] == pytest.approx(0.0368243243, abs=1e-9)
    assert row["car_se"] == pytest.approx(np.sqrt(var_car), abs=1e-12)
    assert row["bhar"] == pytest.approx(bhar, abs=1e-12)
    long = ev.ar_long(res)
    assert long["ar"].tolist() == pytest.approx([ar0, ar1], abs=1e-12)


def test_worked_example_market_adjusted_and_mean():
    returns, market, events = _worked()
    kw = dict(estimation_window=(-6, -2), event_window=(0, 1), min_estimation_obs=5)
    adj = ev.abnormal_returns(returns, events, market=market, model="market_adjusted", **kw).iloc[0]
    assert adj["car"] == pytest.approx((0.06 - 0.02) + (0.0 + 0.01), abs=1e-12)
    mean = ev.abnormal_returns(returns, events, market=market, model="mean", **kw).iloc[0]
    assert mean["car"] == pytest.approx((0.06 - 0.008) + (0.0 - 0.008), abs=1e-12)
    # constant mean: s2 = sum (R - 0.008)^2 / 4; var(CAR over 2 days) = s2 * (2 + 4/5)
    s2 = 0.00213 / 4
    assert mean["car_se"] == pytest.approx(np.sqrt(s2 * 2.8), abs=1e-12)


def test_event_on_a_weekend_rolls_to_next_session_and_is_recorded():
    returns, market, events = _worked()
    events = events.assign(event_date=pd.Timestamp("2024-03-10"))  # a Sunday -> Monday 2024-03-11 (session 5)
    res = ev.abnormal_returns(returns, events, market=market, estimation_window=(-5, -1), event_window=(0, 1),
                              min_estimation_obs=5)
    assert bool(res["rolled"].iloc[0]) and res["event_session"].iloc[0] == pd.Timestamp("2024-03-11")
    assert res.attrs["rolled"] == 1
    assert res["car"].iloc[0] == pytest.approx(
        ev.abnormal_returns(returns, events.assign(event_date=DATES[5]), market=market,
                            estimation_window=(-5, -1), event_window=(0, 1), min_estimation_obs=5)["car"].iloc[0])


# ---------------------------------------------------------------------------------------------------------------
# Parity with per-event statsmodels regressions
# ---------------------------------------------------------------------------------------------------------------


def _per_event_ols(sim, res, a=-250, b=-30, c=-1, d=1, wls=False):
    ret = sim.returns.set_index(["code", "date"])
    cal = sim.market.index
    out = []
    for _, r in res[res["status"] == "ok"].iterrows():
        p = cal.get_loc(r["event_session"])
        est_dates, ev_dates = cal[p + a:p + b + 1], cal[p + c:p + d + 1]
        y = ret.loc[r["code"]].reindex(est_dates)
        m = sim.market.reindex(est_dates)
        k = y["gap"].to_numpy(dtype=float)
        mk = np.array([np.prod(1 + sim.market.iloc[cal.get_loc(t) - int(g) + 1:cal.get_loc(t) + 1]) - 1
                       if g >= 1 else np.nan for t, g in zip(est_dates, np.nan_to_num(k), strict=True)])
        ok = y["ret"].notna().to_numpy() & np.isfinite(mk) & (k >= 1)
        if wls:
            X = np.column_stack([k[ok], mk[ok]])
            fit = sm.WLS(y["ret"].to_numpy()[ok], X, weights=1.0 / k[ok]).fit()
        else:
            ok &= k == 1
            fit = sm.OLS(y["ret"].to_numpy()[ok], sm.add_constant(m.to_numpy()[ok])).fit()
        ye = ret.loc[r["code"]].reindex(ev_dates)["ret"].to_numpy()
        ar = ye - (fit.params[0] + fit.params[1] * sim.market.reindex(ev_dates).to_numpy())
        out.append({"alpha": fit.params[0], "beta": fit.params[1], "s2": fit.scale, "car": np.nansum(ar),
                    "ar": ar})
    return out


def test_matches_statsmodels_ols_to_1e8():
    sim = ev.simulate_event_data(n_firms=60, n_days=500, n_event_dates=5, effect=0.02, seed=11)
    # knock out some returns so estimation samples differ across events
    rng = np.random.default_rng(0)
    r = sim.returns.copy()
    r.loc[rng.random(len(r)) < 0.03, "ret"] = np.nan
    sim.returns = r
    res = ev.abnormal_returns(sim.returns, sim.events, market=sim.market)
    ref = _per_event_ols(sim, res)
    ok = res[res["status"] == "ok"]
    assert len(ok) == 60
    long = ev.ar_long(res)
    ar_engine = long["ar"].to_numpy().reshape(len(ok), -1)
    assert np.max(np.abs(ok["alpha"].to_numpy() - [x["alpha"] for x in ref])) < 1e-8
    assert np.max(np.abs(ok["beta"].to_numpy() - [x["beta"] for x in ref])) < 1e-8
    assert np.max(np.abs(ok["sigma"].to_numpy() ** 2 - [x["s2"] for x in ref])) < 1e-8
    assert np.max(np.abs(ok["car"].to_numpy() - [x["car"] for x in ref])) < 1e-8
    ar_ref = np.array([x["ar"] for x in ref])
    fin = np.isfinite(ar_ref)
    assert np.array_equal(fin, np.isfinite(ar_engine))
    assert np.max(np.abs(ar_engine[fin] - ar_ref[fin])) < 1e-8


def test_trade_to_trade_matches_statsmodels_wls():
    sim = ev.simulate_event_data(n_firms=30, n_days=500, suspend_share=0.5, seed=12)
    assert (sim.returns["gap"] > 1).sum() == 15
    res = ev.abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
    ref = _per_event_ols(sim, res, c=0, d=0, wls=True)
    ok = res[res["status"] == "ok"]
    assert np.max(np.abs(ok["alpha"].to_numpy() - [x["alpha"] for x in ref])) < 1e-8
    assert np.max(np.abs(ok["beta"].to_numpy() - [x["beta"] for x in ref])) < 1e-8
    assert np.max(np.abs(ok["sigma"].to_numpy() ** 2 - [x["s2"] for x in ref])) < 1e-8
    # "drop" ignores the multi-session returns: one fewer estimation return for the suspended firms
    dropped = ev.abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0),
                                  thin_trading="drop")
    multi = sim.returns[sim.returns["gap"] > 1]
    ev_pos = dict(zip(sim.events["code"], sim.truth["event_pos"], strict=True))
    rel = sim.market.index.get_indexer(multi["date"]) - multi["code"].map(ev_pos).to_numpy()
    n_in_window = int(((rel >= -250) & (rel <= -30)).sum())
    assert n_in_window > 0
    assert (res["n_est"] - dropped["n_est"]).sum() == n_in_window


# ---------------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------------


def test_duplicate_returns_raise_with_the_row():
    returns, market, events = _worked()
    dup = pd.concat([returns, returns.iloc[[2]]], ignore_index=True)
    with pytest.raises(ev.EventStudyError, match="duplicated \\(code, date\\).*600000.*2024-03-06"):
        ev.abnormal_returns(dup, events, market=market, estimation_window=(-6, -2), event_window=(0, 1),
                            min_estimation_obs=5)


def test_exclusions_are_recorded_with_reason_and_count():
    sim = ev.simulate_event_data(n_firms=10, n_days=400, seed=13)
    extra = pd.DataFrame({
        "code": ["999999", sim.events["code"].iloc[0], sim.events["code"].iloc[1], sim.events["code"].iloc[2],
                 None],
        "event_date": [sim.events["event_date"].iloc[0], pd.Timestamp("2030-01-01"), sim.market.index[100],
                       sim.market.index[-1], sim.market.index[350]],
    })
    evs = pd.concat([sim.events, extra], ignore_index=True)
    res = ev.abnormal_returns(sim.returns, evs, market=sim.market)
    ex = res.attrs["exclusions"]
    assert ex == {"no returns for the code around the event": 1,
                  "event date after the last session of the market data": 1,
                  "estimation window starts before the first session": 1,
                  "event window ends after the last session": 1, "missing code or event date": 1}
    assert (res["status"] == "ok").sum() == 10 and len(res) == 15
    assert res.loc[res["status"] != "ok", "car"].isna().all()


def test_too_few_estimation_days_excluded():
    sim = ev.simulate_event_data(n_firms=6, n_days=400, seed=14)
    r = sim.returns.copy()
    first = sim.events["code"].iloc[0]
    d0 = sim.events["event_date"].iloc[0]
    r.loc[(r["code"] == first) & (r["date"] < d0) & (r["date"] > d0 - pd.Timedelta(days=300)), "ret"] = np.nan
    res = ev.abnormal_returns(r, sim.events, market=sim.market, min_estimation_obs=100)
    assert res["status"].iloc[0] == "too few estimation returns (< 100)"
    assert res.attrs["exclusions"] == {"too few estimation returns (< 100)": 1}


def test_bad_arguments_raise():
    returns, market, events = _worked()
    with pytest.raises(ev.EventStudyError, match="model"):
        ev.abnormal_returns(returns, events, market=market, model="capm")
    with pytest.raises(ev.EventStudyError, match="must end before"):
        ev.abnormal_returns(returns, events, market=market, estimation_window=(-5, 0), event_window=(0, 1))
    with pytest.raises(ev.EventStudyError, match="lacks columns"):
        ev.abnormal_returns(returns.drop(columns="ret"), events, market=market, estimation_window=(-6, -2),
                            event_window=(0, 1), min_estimation_obs=5)
    with pytest.raises(ev.EventStudyError, match="duplicated 'event_id'"):
        ev.abnormal_returns(returns, pd.concat([events, events]), market=market)


def test_several_markets_by_event_column():
    sim = ev.simulate_event_data(n_firms=10, n_days=400, seed=15)
    mk = pd.DataFrame({"a": sim.market, "b": sim.market * 0.0})
    evs = sim.events.assign(market=["a"] * 5 + ["b"] * 5)
    res = ev.abnormal_returns(sim.returns, evs, market=mk, model="market_adjusted")
    single = ev.abnormal_returns(sim.returns, sim.events, market=sim.market, model="market_adjusted")
    assert np.allclose(res["car"].iloc[:5], single["car"].iloc[:5])
    assert not np.allclose(res["car"].iloc[5:], single["car"].iloc[5:])
    with pytest.raises(ev.EventStudyError, match="needs a 'market' column"):
        ev.abnormal_returns(sim.returns, sim.events, market=mk)


# ---------------------------------------------------------------------------------------------------------------
# Tests of the mean CAR
# ---------------------------------------------------------------------------------------------------------------


def test_planted_effect_is_detected_by_every_test():
    sim = ev.simulate_event_data(n_firms=150, n_days=450, effect=0.03, n_event_dates=10, seed=16)
    res = ev.abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(-1, 1))
    tab = ev.test_car(res).set_index("test")
    assert tab.loc["t", "estimate"] == pytest.approx(0.03, abs=0.01)
    assert (tab["p_value"] < 0.01).all(), tab[["statistic", "p_value"]]
    assert tab.loc["t", "ci_low"] < 0.03 < tab.loc["t", "ci_high"]
    sub = ev.test_car(res, window=(-1, -1)).set_index("test")
    assert abs(sub.loc["t", "estimate"]) < 0.01 and sub.loc["t", "p_value"] > 0.001
    assert is_simulated(tab.reset_index())


def test_kolari_pynnonen_shrinks_t_under_event_clustering():
    sim = ev.simulate_event_data(n_firms=200, n_days=450, effect=0.0, n_event_dates=1, common_shock=0.02, seed=17)
    # the common shock also hits the estimation window, so residuals correlate
    rng = np.random.default_rng(1)
    common = rng.normal(0, 0.01, len(sim.market))
    r = sim.returns.copy()
    r["ret"] = r["ret"] + common[sim.market.index.get_indexer(r["date"])]
    res = ev.abnormal_returns(r, sim.events, market=sim.market)
    kp = ev.kp_mean_correlation(res)
    rbar, npairs = kp.r_bar, kp.n_pairs
    assert rbar > 0.05 and npairs == 200 * 199
    tab = ev.test_car(res, tests=["bmp", "kolari_pynnonen"]).set_index("test")
    factor = np.sqrt((1 - rbar) / (1 + 199 * rbar))
    assert tab.loc["kolari_pynnonen", "statistic"] == pytest.approx(tab.loc["bmp", "statistic"] * factor)
    width = tab["ci_high"] - tab["ci_low"]
    assert width["kolari_pynnonen"] > 2 * width["bmp"]


def test_kp_correlation_is_zero_for_non_overlapping_windows():
    sim = ev.simulate_event_data(n_firms=40, n_days=700, seed=18)
    evs = sim.events.assign(event_date=sim.market.index[300 + 5 * np.arange(40)])  # distinct, 5 sessions apart
    res = ev.abnormal_returns(sim.returns, evs, market=sim.market, event_window=(0, 0))
    kp = ev.kp_mean_correlation(res)
    assert (kp.r_bar, kp.n_pairs) == (0.0, 0) and isinstance(kp, ev.KPCorrelation)
    wide = ev.abnormal_returns(sim.returns, evs, market=sim.market, event_window=(-5, 5))
    kp_wide = ev.kp_mean_correlation(wide)
    rbar, n = kp_wide.r_bar, kp_wide.n_pairs
    assert n > 0 and abs(rbar) < 0.05


def test_test_table_by_group_and_unknown_test():
    sim = ev.simulate_event_data(n_firms=40, n_days=400, seed=19)
    res = ev.abnormal_returns(sim.returns, sim.events.assign(board=["Main", "STAR"] * 20), market=sim.market)
    tab = ev.test_car(res, tests=["t", "sign"], by="board")
    assert tab[["board", "test"]].values.tolist() == [["Main", "t"], ["Main", "sign"], ["STAR", "t"],
                                                      ["STAR", "sign"]]
    assert (tab["n"] == 20).all()
    with pytest.raises(ev.EventStudyError, match="unknown tests"):
        ev.test_car(res, tests=["wilcoxon"])


def test_sign_and_rank_tests_under_the_null_are_calm():
    sim = ev.simulate_event_data(n_firms=300, n_days=450, effect=0.0, n_event_dates=30, seed=20)
    res = ev.abnormal_returns(sim.returns, sim.events, market=sim.market)
    tab = ev.test_car(res).set_index("test")
    assert (tab["statistic"].abs() < 3.5).all(), tab["statistic"]
    assert tab.loc["generalized_sign", "note"].startswith("expected share")


def test_car_path_tidy_shape_and_values():
    sim = ev.simulate_event_data(n_firms=80, n_days=400, effect=0.04, seed=21)
    res = ev.abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(-2, 3))
    path = ev.car_path(res)
    assert list(path.columns[:5]) == ["event_time", "estimate", "se", "ci_low", "ci_high"]
    assert path["event_time"].tolist() == [-2, -1, 0, 1, 2, 3]
    last = path.iloc[-1]
    assert last["estimate"] == pytest.approx(res["car"].mean())
    assert last["se"] == pytest.approx(res["car"].std(ddof=1) / np.sqrt(80))
    assert path.attrs["ref"] is None
    by = ev.car_path(res.assign(g=["a", "b"] * 40), by="g")
    assert sorted(by["estimator"].unique()) == ["a", "b"]


# ---------------------------------------------------------------------------------------------------------------
# Matched differences
# ---------------------------------------------------------------------------------------------------------------


def test_matched_difference_recovers_effect_and_removes_common_shock():
    sim = ev.simulate_event_data(n_firms=120, n_days=450, effect=0.0, n_event_dates=1, seed=22)
    evs = sim.events.assign(event_id=[f"e{i}" for i in range(120)])
    treated, pool = evs.iloc[:40], evs.iloc[40:]
    r = sim.returns.copy()
    d0 = treated["event_date"].iloc[0]
    # the treated get +5% on day 0; everyone (treated and controls) gets a common -3% shock on day 0
    hit_t = r["code"].isin(treated["code"]) & (r["date"] == d0)
    r.loc[hit_t, "ret"] += 0.05
    r.loc[r["date"] == d0, "ret"] -= 0.03
    pairs = pd.DataFrame({"treated_id": np.repeat(treated["event_id"].to_numpy(), 2),
                          "control_id": pool["code"].to_numpy()[:80], "weight": 0.5})
    res_t = ev.abnormal_returns(r, treated, market=sim.market, event_window=(0, 0))
    cev = ev.control_events(treated, pairs)
    assert (cev["event_date"] == d0).all() and len(cev) == 80
    res_c = ev.abnormal_returns(r, cev, market=sim.market, event_window=(0, 0))
    diff = ev.matched_difference(res_t, res_c)
    assert res_t["car"].mean() == pytest.approx(0.02, abs=0.01)
    assert diff["car"].mean() == pytest.approx(0.05, abs=0.01)
    assert np.allclose(diff["car"], diff["car_treated"] - diff["car_control"])
    tab = ev.test_car(diff, tests=["t", "bmp", "kolari_pynnonen", "sign"]).set_index("test")
    assert (tab["p_value"] < 0.001).all()
    assert (diff["n_controls"] == 2).all()


def test_implied_per_firm_effect():
    assert ev.implied_per_firm_effect(0.004, 0.2) == pytest.approx(0.02)
    with pytest.raises(ev.EventStudyError):
        ev.implied_per_firm_effect(0.01, 0.0)


# ---------------------------------------------------------------------------------------------------------------
# Designs for listed firms
# ---------------------------------------------------------------------------------------------------------------


def test_batch_event_dates_windows_follow_precision():
    b = pd.DataFrame({
        "batch": [1, 5, 6, 8],
        "publicity_start": pd.to_datetime(["2019-05-01", "2023-07-14", "2024-08-01", "2030-01-01"]),
        "publicity_end": pd.to_datetime([None, "2023-07-20", "2024-09-01", None]),
        "announcement_date": pd.to_datetime(["2019-06-15", None, None, None]),  # a Saturday
        "publicity_start_precision": ["month", "day", "month", "day"],
        "announcement_date_precision": ["day", None, None, None],
    })
    sessions = pd.bdate_range("2019-01-01", "2025-11-21")
    d = ev.batch_event_dates(b, sessions).set_index(["batch", "kind"])
    assert d.loc[(1, "publicity_start"), ["window_start", "window_end"]].tolist() == [0, 22]  # May 2019 weekdays
    assert d.loc[(1, "announcement_date"), "event_session"] == pd.Timestamp("2019-06-17")  # rolled to Monday
    assert d.loc[(5, "publicity_start"), ["window_start", "window_end"]].tolist() == list(ev.DAY_WINDOW)
    # batch 6: from 2024-08-01 to the last session of September (the publicity end's month)
    last = sessions[sessions <= "2024-09-30"][-1]
    assert d.loc[(6, "publicity_start"), "window_end"] == sessions.get_loc(last) - sessions.get_loc(
        pd.Timestamp("2024-08-01"))
    assert pd.isna(d.loc[(8, "publicity_start"), "event_session"])
    assert d.loc[(1, "publicity_start"), "label"] == "batch 1 publicity start 2019-05"


def test_matched_event_study_matches_within_strata_and_excludes_treated():
    sim = ev.simulate_event_data(n_firms=90, n_days=420, effect=0.0, seed=23)
    codes = sim.events["code"].tolist()
    d0 = sim.events["event_date"].iloc[0]
    r = sim.returns.copy()
    r.loc[r["code"].isin(codes[:15]) & (r["date"] == d0), "ret"] += 0.04
    attrs = pd.DataFrame({"code": codes, "board": ["Main", "STAR", "ChiNext"] * 30, "sw_l1_code": 1,
                          "log_size": np.linspace(20, 25, 90)})
    st = ev.matched_event_study(codes[:15], d0, returns=r, market=sim.market, pool_codes=codes, attributes=attrs,
                                k=2, event_window=(0, 0), label="demo")
    board = dict(zip(attrs["code"], attrs["board"], strict=True))
    treated_code = st.pairs["treated_id"].str.split("|").str[1]
    assert (treated_code.map(board) == st.pairs["control_id"].map(board)).all()
    assert not st.pairs["control_id"].isin(codes[:15]).any()
    assert st.info["n_matched"] == 15 and (st.treated["design"] == "demo").all()
    summary = ev.summarize_study(st, tests=["t"]).set_index("series")
    assert summary.loc["tagged minus controls", "estimate"] == pytest.approx(0.04, abs=0.012)
    paths = ev.study_paths(st)
    assert set(paths["estimator"]) == {"tagged firms", "matched controls", "tagged minus controls"}


def test_combine_results_and_mapping_study():
    sim = ev.simulate_event_data(n_firms=80, n_days=450, effect=0.03, n_event_dates=2, seed=24)
    evs = sim.events.assign(event_id=[f"e{i}" for i in range(80)])
    a = ev.abnormal_returns(sim.returns, evs.iloc[:30], market=sim.market)
    b = ev.abnormal_returns(sim.returns, evs.iloc[30:], market=sim.market)
    both = ev.combine_results([a, b])
    whole = ev.abnormal_returns(sim.returns, evs, market=sim.market)
    t1 = ev.test_car(both).set_index("test")
    t2 = ev.test_car(whole).set_index("test")
    assert np.allclose(t1["statistic"].to_numpy(), t2["statistic"].to_numpy(), equal_nan=True)
    with pytest.raises(ev.EventStudyError, match="repeat"):
        ev.combine_results([a, a])
    with pytest.raises(ev.EventStudyError, match="same event and estimation windows"):
        ev.combine_results([a, ev.abnormal_returns(sim.returns, evs.iloc[30:], market=sim.market,
                                                   event_window=(0, 0))])
    codes = sim.events["code"].tolist()
    mapping = pd.DataFrame({"code": codes[:20], "batch": [1] * 10 + [2] * 10,
                            "designation_date": list(sim.events["event_date"].iloc[:10]) + [pd.NaT] * 10})
    batches = pd.DataFrame({"batch": [1, 2], "publicity_start": [pd.NaT, sim.market.index[400]],
                            "announcement_date": [pd.NaT, pd.NaT]})
    me = ev.mapping_events(mapping, batches)
    assert (me["date_source"] == ["mapping"] * 10 + ["batch publicity_start"] * 10).all()
    def attrs(c, d):
        return pd.DataFrame({"code": list(c), "board": "Main", "sw_l1_code": 1, "log_size": 1.0})

    st = ev.mapping_study(mapping, batches, returns=sim.returns, market=sim.market, pool_codes=codes[20:],
                          attributes_at=attrs, event_window=(-2, 2))
    assert st.info["n_treated"] == 20 and st.difference["batch"].notna().all()
    assert set(ev.test_car(st.difference, tests=["t"], by="batch")["batch"]) == {1, 2}
