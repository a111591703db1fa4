"""Hostile inputs for the estimators (issue 9, item 14): sentinel cohorts and infinite outcomes are errors.

All panels here are SIMULATED (small planted-effect panels), never data about China.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch import did, events
from lgresearch.did import DidInputError, prepare_panel


def _panel(t0: int = 2015, n_periods: int = 6, never_code=np.nan) -> pd.DataFrame:
    """SIMULATED: 6 treated units in two cohorts, 4 never-treated coded with ``never_code``."""
    rng = np.random.default_rng(0)
    rows = []
    cohorts = [t0 + 3] * 3 + [t0 + 4] * 3 + [never_code] * 4
    for u, g in enumerate(cohorts):
        for t in range(t0, t0 + n_periods):
            treated = not pd.isna(g) and g not in (-1, 9999) and t >= g and g != 0
            rows.append({"unit": f"u{u}", "t": t, "g": g, "y": rng.normal() + (0.5 if treated else 0.0)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("sentinel", [-1, 9999, -99, 3000])
def test_sentinel_cohort_is_an_error_naming_column_and_row(sentinel):
    p = _panel(never_code=sentinel)
    with pytest.raises(DidInputError, match=rf"cohort column 'g' holds {sentinel} \(row 36 \(unit='u6', t=2015\)\)"):
        prepare_panel(p, outcome_col="y", unit_col="unit", time_col="t", cohort_col="g")


def test_cohort_minus_one_does_not_move_the_att():
    with pytest.raises(DidInputError, match="sentinel"):
        did.att(_panel(never_code=-1), outcome_col="y", unit_col="unit", time_col="t", cohort_col="g", window=(-2, 1))


def test_cohort_zero_with_zero_based_periods_is_an_error():
    p = _panel(t0=0, never_code=0)
    with pytest.raises(DidInputError, match=r"cohort column 'g' holds 0 \(row 36 .*periods from 0.*NaN"):
        prepare_panel(p, outcome_col="y", unit_col="unit", time_col="t", cohort_col="g")


def test_cohort_zero_with_calendar_years_still_means_never_treated():
    prep = prepare_panel(_panel(never_code=0), outcome_col="y", unit_col="unit", time_col="t", cohort_col="g")
    assert int((prep.data["_g"] == 0).sum()) == 24


def test_nan_cohort_with_zero_based_periods_is_fine():
    prep = prepare_panel(_panel(t0=0), outcome_col="y", unit_col="unit", time_col="t", cohort_col="g")
    assert prep.info["time_range"] == (0, 5)


def test_late_cohort_just_after_the_panel_is_still_allowed():
    p = _panel()
    p.loc[p["unit"] == "u9", "g"] = 2021  # designated the year after the panel ends
    prep = prepare_panel(p, outcome_col="y", unit_col="unit", time_col="t", cohort_col="g", out_of_range="control")
    assert prep.info["n_units_late_cohort"] == 1


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_infinite_outcome_is_an_error_naming_column_and_row(bad):
    p = _panel()
    p.loc[7, "y"] = bad
    want = r"outcome column 'y' has 1 infinite value\(s\), e.g. row 7 \(unit='u1', t=2016\)"
    with pytest.raises(DidInputError, match=want):
        prepare_panel(p, outcome_col="y", unit_col="unit", time_col="t", cohort_col="g")


def test_time_zone_aware_event_dates_give_the_naive_result():
    s = events.simulate_event_data(n_firms=20, n_days=400)
    base = events.abnormal_returns(s.returns, s.events, market=s.market)
    ev = s.events.copy()
    ev["event_date"] = pd.to_datetime(ev["event_date"]).dt.tz_localize("Asia/Shanghai")
    got = events.abnormal_returns(s.returns, ev, market=s.market)
    assert (got["status"] == "ok").all()
    assert np.allclose(got["car"].to_numpy(dtype=float), base["car"].to_numpy(dtype=float))


def test_utc_event_times_are_read_in_china_time():
    s = events.simulate_event_data(n_firms=20, n_days=400)
    ev = s.events.copy()
    local = pd.to_datetime(ev["event_date"])
    # midnight in Beijing is 16:00 UTC the day before: read in UTC, the event would move a day early
    ev["event_date"] = local.dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC")
    assert (ev["event_date"].dt.day != local.dt.day).all()
    got = events.abnormal_returns(s.returns, ev, market=s.market)
    base = events.abnormal_returns(s.returns, s.events, market=s.market)
    assert (got["event_session"].to_numpy() == base["event_session"].to_numpy()).all()


def test_time_zone_aware_market_index_is_accepted():
    s = events.simulate_event_data(n_firms=20, n_days=400)
    m = s.market.copy()
    m.index = pd.DatetimeIndex(m.index).tz_localize("Asia/Shanghai")
    got = events.abnormal_returns(s.returns, s.events, market=m)
    assert (got["status"] == "ok").all()
