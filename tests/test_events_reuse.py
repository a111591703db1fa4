"""Per-date reuse inside matched event studies (events/_reuse.py), the listed-events analysis set-up
(analyses/listed_events.py) and the moved ``events.firm_attributes``."""

import warnings

import numpy as np
import pandas as pd
import pytest

from lgresearch import events as ev
from lgresearch.analyses import listed_events as le
from lgresearch.events import _reuse


@pytest.fixture(scope="module")
def sim():
    return ev.simulate_event_data(n_firms=80, n_days=500, effect=0.02, n_event_dates=2, suspend_share=0.2, seed=5)


def _attrs(codes):
    return pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1,
                         "log_size": np.arange(len(codes), dtype=float)})


def test_reused_results_equal_a_fresh_computation(sim):
    codes = sim.events["code"].tolist()
    d0 = sim.events["event_date"].iloc[0]
    attrs = _attrs(codes)
    kw = dict(returns=sim.returns, market=sim.market, attributes=attrs, k=2, event_window=(-2, 4))
    _reuse._CACHE.clear()
    ev.matched_event_study(codes[:30], d0, pool_codes=codes[30:], **kw)  # fills the cache with other codes
    reused = ev.matched_event_study(codes[20:40], d0, pool_codes=codes[40:] + codes[:5], **kw)
    _reuse._CACHE.clear()
    fresh = ev.matched_event_study(codes[20:40], d0, pool_codes=codes[40:] + codes[:5], **kw)
    for part in ("treated", "controls", "difference", "pairs"):
        pd.testing.assert_frame_equal(getattr(reused, part), getattr(fresh, part), check_exact=True)
    assert reused.info == fresh.info
    pd.testing.assert_frame_equal(ev.test_car(reused.difference), ev.test_car(fresh.difference), check_exact=True)


def test_reused_treated_rows_equal_abnormal_returns_of_the_same_events(sim):
    codes = sim.events["code"].tolist()
    d0 = sim.events["event_date"].iloc[0]
    _reuse._CACHE.clear()
    st = ev.matched_event_study(codes[:10], d0, returns=sim.returns, market=sim.market, pool_codes=codes[10:],
                                attributes=_attrs(codes), event_window=(-1, 1), label="x")
    tev = pd.DataFrame({"event_id": [f"{d0.date()}|{c}" for c in codes[:10]], "code": codes[:10],
                        "event_date": d0, "design": "x"})
    direct = ev.abnormal_returns(sim.returns, tev, market=sim.market, event_window=(-1, 1))
    pd.testing.assert_frame_equal(st.treated, direct.as_frame(), check_exact=True)


def test_a_new_market_series_is_not_served_from_the_cache(sim):
    codes = sim.events["code"].tolist()
    d0 = sim.events["event_date"].iloc[0]
    kw = dict(returns=sim.returns, pool_codes=codes[20:], attributes=_attrs(codes), event_window=(-1, 1))
    a = ev.matched_event_study(codes[:20], d0, market=sim.market, **kw)
    b = ev.matched_event_study(codes[:20], d0, market=sim.market * 2.0, **kw)
    assert not np.allclose(a.treated["beta"].dropna(), b.treated["beta"].dropna())


def test_holm_matches_statsmodels():
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    p = np.random.default_rng(0).uniform(0, 0.2, 9)
    np.testing.assert_array_equal(le.holm(p), multitest.multipletests(p, method="holm")[1])


def test_setup_builds_each_pool_once_and_leaves_other_batch_windows_out_of_the_placebo(sim):
    codes = sim.events["code"].tolist()
    cal = sim.market.index
    dates = pd.DataFrame({"event_session": [cal[420], cal[460]], "window_end": [5, 5]})
    setup = le.ListedEventSetup(sim.returns, sim.market, cal, None, codes[:10], dates)
    first = setup.pool_at(cal[420])
    assert setup.pool_at(cal[420]) is first and not set(first) & set(codes[:10])
    assert len(setup.pool_table()) == 1
    assert setup.other_events == [(cal[420], cal[425]), (cal[460], cal[465])]


def test_listed_in_batch_comes_from_the_official_facts():
    got = le.listed_in_batch()
    assert got[1] == 35 and got[2] == 157 and got[3] == 119
    assert got[4] == 643 - 35 - 157 - 119


def test_firm_attributes_moved_to_analyses_with_a_future_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        moved = ev.firm_attributes
    assert moved is le.firm_attributes
    assert any(issubclass(w.category, FutureWarning) and "analyses.listed_events" in str(w.message) for w in caught)


def test_block_search_equals_searchsorted_per_block():
    from lgresearch.events.base import _block_search

    rng = np.random.default_rng(1)
    sizes = rng.integers(0, 40, 50)
    values = np.concatenate([np.sort(rng.choice(200, s, replace=False)) for s in sizes]).astype("datetime64[D]")
    starts, ends = np.concatenate([[0], np.cumsum(sizes)[:-1]]), np.cumsum(sizes)
    for x in (np.datetime64(-3, "D"), np.datetime64(57, "D"), np.datetime64(250, "D")):
        for side in ("left", "right"):
            ref = [a + np.searchsorted(values[a:z], x, side=side) for a, z in zip(starts, ends, strict=True)]
            assert _block_search(values, starts, ends, x, side=side).tolist() == ref
