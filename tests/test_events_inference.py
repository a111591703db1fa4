"""Placebo (randomisation) inference for calendar windows, Cowan's generalised sign test and GRANK (events)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch import events as ev
from lgresearch.events.tests import _grank

# ---------------------------------------------------------------------------------------------------------------
# Placebo windows
# ---------------------------------------------------------------------------------------------------------------


def placebo_world(seed: int, *, effect: float = 0.0, n_t: int = 10, n_c: int = 10, n_days: int = 260,
                  length: int = 5, group_shock: float = 0.01):
    """SIMULATED market-model returns; treated firms share a daily group shock (a calendar-window risk that a
    cross-sectional standard error ignores); ``effect`` is added to the treated over the actual window."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2020-01-02", periods=n_days)
    m = rng.normal(0.0004, 0.012, n_days)
    n = n_t + n_c
    beta = rng.uniform(0.6, 1.4, n)
    R = beta[:, None] * m[None, :] + rng.normal(0, 0.02, (n, n_days))
    R[:n_t] += rng.normal(0, group_shock, n_days)[None, :]
    p0 = n_days - 10 * length  # the actual window: 9 windows after it, 30 before
    R[:n_t, p0:p0 + length] += effect / length
    codes = np.array([f"{i:06d}" for i in range(n)])
    ii, tt = np.meshgrid(np.arange(n), np.arange(n_days), indexing="ij")
    ret = pd.DataFrame({"code": codes[ii.ravel()], "date": dates[tt.ravel()], "ret": R.ravel()})
    pairs = pd.DataFrame({"treated": codes[:n_t], "control": codes[n_t:n_t + n_t]})
    return ret, pd.Series(m, index=dates), list(codes[:n_t]), pairs, dates[p0], dates[60]


def _run(seed, effect=0.0):
    ret, mk, t, pairs, d, start = placebo_world(seed, effect=effect)
    return ev.placebo_windows(ret, market=mk, treated=t, pairs=pairs, event_date=d, length=5, start=start,
                              estimation_window=(-60, -5), min_estimation_obs=40)


def test_placebo_windows_tile_the_period_without_overlap():
    cal = pd.bdate_range("2024-01-01", periods=103)
    w = ev.placebo_starts(cal, cal[33], 10)
    assert w["role"].tolist().count("actual") == 1
    assert w.loc[w["role"] == "actual", "window_start"].iloc[0] == cal[33]
    assert w.loc[w["role"] == "pre", "window_start"].iloc[0] == cal[23]
    starts = cal.get_indexer(w["window_start"])
    assert (np.diff(starts) == 10).all() and starts[0] == 3 and starts[-1] == 93  # 93 + 9 = 102, the last session
    ex = ev.placebo_starts(cal, cal[33], 10, exclude=[(cal[0], cal[14])])
    assert cal.get_indexer(ex["window_start"]).min() == 23
    with pytest.raises(ev.EventStudyError, match="positive"):
        ev.placebo_starts(cal, cal[33], 0)


def test_placebo_inference_by_hand():
    placebo = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    out = ev.placebo_inference(1.5, placebo)
    # one of five placebos >= 1.5: P(S >= s) = (1 + 1) / 6; two-sided = 4/6
    assert out["p_value"] == pytest.approx(4 / 6)
    assert out["effect"] == pytest.approx(1.5)
    sd = np.std(placebo, ddof=1)
    from scipy import stats
    assert out["p_normal"] == pytest.approx(2 * stats.t.sf(1.5 / (sd * np.sqrt(1.2)), 4))
    half = stats.t.ppf(0.975, 4) * sd * np.sqrt(1.2)
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((1.5 - half, 1.5 + half))
    assert out["interval_method"].startswith("normal prediction")
    assert np.isnan(ev.placebo_inference(1.0, [])["p_value"])


def test_placebo_result_tidy_and_pre_window():
    res = _run(3)
    tidy = res.tidy()
    assert set(tidy["role"]) == {"actual", "pre", "placebo"}
    assert res.n_placebo == 39 and res.interval_method == "placebo quantiles"
    pre = tidy.loc[tidy["role"] == "pre", "estimate"].iloc[0]
    assert pre == pytest.approx(res.pre_estimate)
    assert all(not isinstance(v, object) or isinstance(v, (str, float, int, np.generic, pd.Timestamp))
               for v in tidy.iloc[0].to_numpy())
    s = res.summary().iloc[0]
    assert s["n"] == 10 and s["ci_low"] <= s["effect"] <= s["ci_high"]


def test_placebo_statistic_matches_a_direct_computation():
    ret, mk, t, pairs, d, start = placebo_world(5)
    res = ev.placebo_windows(ret, market=mk, treated=t, pairs=pairs, event_date=d, length=5, start=start,
                             estimation_window=(-60, -5), min_estimation_obs=40)
    codes = list(pairs["treated"]) + list(pairs["control"])
    evs = pd.DataFrame({"event_id": codes, "code": codes, "event_date": d})
    ar = ev.abnormal_returns(ret, evs, market=mk, estimation_window=(-60, -5), event_window=(0, 4),
                             min_estimation_obs=40).set_index("code")["car"]
    direct = np.mean(ar[pairs["treated"]].to_numpy() - ar[pairs["control"]].to_numpy())
    assert res.estimate == pytest.approx(direct, abs=1e-12)


def test_placebo_size_and_power_in_simulation():
    """No effect: rejection rate at 5% within 0.03-0.07 over 200 draws although the treated share a group shock
    (which a cross-sectional standard error ignores); the normal prediction p-value is close; a planted 15%
    effect over the window is found."""
    rej, rej_t = [], []
    for seed in range(200):
        res = _run(seed)
        rej.append(res.p_value <= 0.05)
        rej_t.append(res.p_normal <= 0.05)
    rate = float(np.mean(rej))
    assert 0.03 <= rate <= 0.07, rate
    assert 0.02 <= float(np.mean(rej_t)) <= 0.09
    power = np.mean([_run(1000 + s, effect=0.15).p_value <= 0.05 for s in range(40)])
    assert power >= 0.8, power


def test_placebo_bad_input():
    ret, mk, t, pairs, d, start = placebo_world(1)
    with pytest.raises(ev.EventStudyError, match="pairs lacks columns"):
        ev.placebo_windows(ret, market=mk, treated=t, pairs=pairs.rename(columns={"control": "c"}), event_date=d,
                           length=5)
    with pytest.raises(ev.EventStudyError, match="at least one treated"):
        ev.placebo_windows(ret, market=mk, treated=[], event_date=d, length=5)


# ---------------------------------------------------------------------------------------------------------------
# Cowan's generalised sign test with estimation windows of different lengths
# ---------------------------------------------------------------------------------------------------------------


def test_generalized_sign_averages_each_events_share_cowan_1992():
    sim = ev.simulate_event_data(n_firms=12, n_days=420, effect=0.0, n_event_dates=1, seed=31)
    r = sim.returns.copy()
    d0 = sim.events["event_date"].iloc[0]
    pos0 = sim.market.index.get_loc(d0)
    # half the firms start trading late: their estimation windows are much shorter
    late = set(sim.events["code"].iloc[:6])
    cut = sim.market.index[pos0 - 80]
    r = r[~(r["code"].isin(late) & (r["date"] < cut))]
    res = ev.abnormal_returns(r, sim.events, market=sim.market, estimation_window=(-250, -30),
                              event_window=(0, 0), min_estimation_obs=30)
    assert (res["status"] == "ok").all()
    shares, pooled_pos, pooled_n = [], 0, 0
    est_dates = sim.market.index[pos0 - 250:pos0 - 29]
    for _, e in res.iterrows():
        x = r[(r["code"] == e["code"]) & r["date"].isin(est_dates)].dropna(subset=["ret"])
        resid = x["ret"].to_numpy() - e["alpha"] - e["beta"] * sim.market.reindex(x["date"]).to_numpy()
        shares.append(np.mean(resid > 0))
        pooled_pos += int((resid > 0).sum())
        pooled_n += len(resid)
    p_cowan, p_pooled = float(np.mean(shares)), pooled_pos / pooled_n
    assert abs(p_cowan - p_pooled) > 1e-4  # the two definitions differ here
    n = len(res)
    w = int((res["car"] > 0).sum())
    z = (w - n * p_cowan) / np.sqrt(n * p_cowan * (1 - p_cowan))
    row = ev.test_car(res, tests=["generalized_sign"]).iloc[0]
    assert row["statistic"] == pytest.approx(z, rel=1e-10)
    assert f"{p_cowan:.3f}" in row["note"]


# ---------------------------------------------------------------------------------------------------------------
# GRANK (Kolari and Pynnönen 2011)
# ---------------------------------------------------------------------------------------------------------------


def test_grank_by_hand_small_example():
    sar = np.array([[0.5, -1.0, 0.2], [1.5, 0.1, -0.3], [-0.2, 0.4, 0.9]])
    scar = np.array([2.0, 1.0, 3.0])
    t, df, u0 = _grank(sar, scar)
    g = scar / scar.std(ddof=1)
    gs = np.column_stack([sar, g])
    U = np.array([(pd.Series(row).rank().to_numpy() / 5) - 0.5 for row in gs])
    ubar = U.mean(axis=0)
    su = np.sqrt(np.mean(ubar ** 2))
    z = ubar[-1] / su
    assert u0 == pytest.approx(ubar[-1]) and df == 2
    assert t == pytest.approx(z * np.sqrt(2 / (3 - z ** 2)))


def _grank_draw(rng, n=40, l1=120, rho=0.3, event_var=3.0):
    """Standardised residuals of n events on ONE date (cross-correlation rho) and an event-window SCAR with
    event-induced variance ``event_var`` (SIMULATED)."""
    f = rng.normal(size=l1 + 1)
    e = rng.normal(size=(n, l1 + 1))
    x = np.sqrt(rho) * f[None, :] + np.sqrt(1 - rho) * e
    return x[:, :l1], x[:, l1] * np.sqrt(event_var)


def test_grank_null_rejection_rate_with_clustered_events():
    rng = np.random.default_rng(7)
    rej_g, rej_t = [], []
    from scipy import stats
    for _ in range(1000):
        sar, scar = _grank_draw(rng)
        tg, df, _ = _grank(sar, scar)
        rej_g.append(2 * stats.t.sf(abs(tg), df) <= 0.05)
        tt = scar.mean() / (scar.std(ddof=1) / np.sqrt(len(scar)))
        rej_t.append(2 * stats.t.sf(abs(tt), len(scar) - 1) <= 0.05)
    assert 0.03 <= np.mean(rej_g) <= 0.07, np.mean(rej_g)
    assert np.mean(rej_t) > 0.3  # the cross-sectional test ignores the common date


def test_grank_through_test_car_null_and_power():
    null_p = []
    for seed in range(60):
        sim = ev.simulate_event_data(n_firms=30, n_days=400, effect=0.0, n_event_dates=1, seed=seed)
        # a shock common to all firms on every day (not in the market index): cross-correlation on one date
        common = np.random.default_rng(seed).normal(0, 0.01, len(sim.market))
        r = sim.returns.assign(ret=sim.returns["ret"] + common[sim.market.index.get_indexer(sim.returns["date"])])
        res = ev.abnormal_returns(r, sim.events, market=sim.market, event_window=(-1, 1))
        null_p.append(ev.test_car(res, tests=["grank"]).iloc[0]["p_value"])
    assert np.mean(np.array(null_p) <= 0.05) <= 0.12
    sim = ev.simulate_event_data(n_firms=60, n_days=400, effect=0.08, n_event_dates=1, seed=99)
    res = ev.abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
    row = ev.test_car(res, tests=["grank"]).iloc[0]
    assert row["p_value"] < 0.01 and row["statistic"] > 0 and "df" in row["note"]
