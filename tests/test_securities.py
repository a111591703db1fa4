"""lgresearch.securities: the exchange calendar (codes, boards and limits are tested in tests/hostile)."""

from __future__ import annotations

import pandas as pd

from lgresearch import prices, securities
from lgresearch.prices import calendar


def test_xshg_sessions_are_naive_weekdays_without_holidays():
    s = securities.xshg_sessions("2024-01-01", "2024-12-31")
    assert len(s) == 242 and str(s.dtype) == "datetime64[ns]" and s.tz is None
    assert (s.day_of_week < 5).all()
    assert pd.Timestamp("2024-10-01") not in s and pd.Timestamp("2024-10-08") in s  # National Day week


def test_xshg_sessions_outside_the_calendar_horizon_are_empty():
    out = securities.xshg_sessions("2200-01-01", "2200-12-31")
    assert len(out) == 0 and str(out.dtype) == "datetime64[ns]"


def test_prices_keeps_offering_the_exchange_calendar():
    assert prices.xshg_sessions is securities.xshg_sessions is calendar.xshg_sessions
