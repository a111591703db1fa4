"""Hostile inputs for dates (issue 9, item 10): nothing replaced, nothing guessed, nothing in the future silently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch.clean import parse_date
from lgresearch.clean.dates import DATE_FLAGS


@pytest.mark.parametrize("value", ["2023-02-30", "2023-02-29", "2023/04/31", "2016-13", "2023年13月5日", "31/02/2023"])
def test_impossible_dates_are_flagged_never_replaced(value):
    got = parse_date(value)
    assert (got.date, got.status, got.flag) == (None, "unparsed", "impossible date")


@pytest.mark.parametrize("value, expected", [
    (45000, "2023-03-15"), ("45000", "2023-03-15"), (45000.0, "2023-03-15"),
    (20171222, "2017-12-22"), (20171222.0, "2017-12-22"), (np.int64(20171222), "2017-12-22"),
    ("20171222", "2017-12-22"),
])
def test_excel_serials_and_yyyymmdd_numbers_are_dates(value, expected):
    got = parse_date(value, as_of="2024-01-01")
    assert (got.date, got.precision, got.status) == (pd.Timestamp(expected), "day", "ok")


def test_yyyymm_number_is_a_month_and_small_numbers_are_not_dates():
    assert parse_date(201605)[:3] == (pd.Timestamp("2016-05-01"), "month", "ok")
    assert parse_date(5).status == "unparsed" and parse_date(5).date is None
    assert parse_date(20171332).flag == "impossible date"


@pytest.mark.parametrize("value", ["05/06/2023", "01.02.2023", "12-11-2022"])
def test_day_month_order_is_ambiguous_alone(value):
    got = parse_date(value)
    assert (got.date, got.status, got.flag) == (None, "unparsed", "ambiguous day/month order")


def test_column_settles_the_order_day_first():
    out = parse_date(pd.Series(["05/06/2023", "25/06/2023", "07/07/2023"]))
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-06-05", "2023-06-25", "2023-07-07"]
    assert out["flag"].isna().all()


def test_column_settles_the_order_month_first():
    out = parse_date(pd.Series(["05/06/2023", "06/25/2023"]))
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-05-06", "2023-06-25"]


def test_conflicting_column_leaves_the_ambiguous_values_flagged():
    out = parse_date(pd.Series(["05/06/2023", "25/06/2023", "06/25/2023"]))
    assert out["flag"].tolist() == ["ambiguous day/month order", None, None]
    assert out["date"].iloc[1] == out["date"].iloc[2] == pd.Timestamp("2023-06-25")


def test_explicit_dayfirst_settles_the_order():
    assert parse_date("05/06/2023", dayfirst=True).date == pd.Timestamp("2023-06-05")
    assert parse_date("05/06/2023", dayfirst=False).date == pd.Timestamp("2023-05-06")


@pytest.mark.parametrize("value", ["2099-01-01", "2099年3月1日", "20990301"])
def test_2099_is_never_accepted_silently(value):
    got = parse_date(value)
    assert got.status == "future" and got.flag == "after as_of" and got.date.year == 2099


def test_dates_after_the_files_own_date_are_flagged():
    out = parse_date(pd.Series(["2024-05-01", "2024-05-02"]), as_of="2024-05-01")
    assert out["status"].tolist() == ["ok", "future"] and out["flag"].tolist() == [None, "after as_of"]


def test_time_zone_aware_values_read_as_their_local_day():
    got = parse_date(pd.Timestamp("2023-05-01 23:00", tz="Asia/Shanghai"), as_of="2024-01-01")
    assert got[:3] == (pd.Timestamp("2023-05-01"), "day", "ok")


def test_flags_are_documented():
    out = parse_date(pd.Series(["2023-02-30", "05/06/2023", "2099-01-01", "junk", None]))
    assert set(out["flag"].dropna()) <= set(DATE_FLAGS)
    assert out["flag"].tolist() == ["impossible date", "ambiguous day/month order", "after as_of", "unreadable date",
                                    None]
