"""Tests for lgresearch.clean.dates."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgresearch.clean import parse_date
from lgresearch.clean.dates import DATE_COLUMNS


@pytest.mark.parametrize(
    ("raw", "iso", "precision"),
    [
        ("2023-12-15", "2023-12-15", "day"),
        ("2017.12.22", "2017-12-22", "day"),
        ("2017/12/22", "2017-12-22", "day"),
        ("2017年12月22日", "2017-12-22", "day"),
        ("20171222", "2017-12-22", "day"),
        ("2023-12-15 00:00:00", "2023-12-15", "day"),
        ("2016-05", "2016-05-01", "month"),
        ("2012-12", "2012-12-01", "month"),
        ("2016.5", "2016-05-01", "month"),
        ("2016年5月", "2016-05-01", "month"),
        ("201605", "2016-05-01", "month"),
        ("2012", "2012-01-01", "year"),
        ("2012年", "2012-01-01", "year"),
        (2012, "2012-01-01", "year"),
        (43000, "2017-09-22", "day"),
        ("43000", "2017-09-22", "day"),
        (43000.0, "2017-09-22", "day"),
        (dt.date(2020, 1, 2), "2020-01-02", "day"),
        (pd.Timestamp("2021-03-04 10:30"), "2021-03-04", "day"),
    ],
)
def test_forms(raw, iso, precision):
    got = parse_date(raw, as_of="2030-01-01")
    assert got.status == "ok"
    assert got.date == pd.Timestamp(iso)
    assert got.precision == precision


@pytest.mark.parametrize("raw", ["2023-02-30", "2016-13", "abc", "1800", "12/31/2020x", 43000.5])
def test_unparsed(raw):
    got = parse_date(raw)
    assert got.status == "unparsed" and got.date is None


@pytest.mark.parametrize("raw", [None, np.nan, "", "--", pd.NaT])
def test_missing(raw):
    assert parse_date(raw).status == "missing"


def test_future_dates_are_flagged_not_dropped():
    out = parse_date(pd.Series(["2023-01-01", "2031-05-01"]), as_of="2024-06-30")
    assert out["status"].tolist() == ["ok", "future"]
    assert out["date"].iloc[1] == pd.Timestamp("2031-05-01")


def test_series_dtype_and_index():
    out = parse_date(pd.Series(["2020-01-01", None], index=[3, 4]))
    assert list(out.columns) == DATE_COLUMNS
    assert out.index.tolist() == [3, 4]
    assert str(out["date"].dtype).startswith("datetime64")


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_round_trip_day(d):
    for text in (d.isoformat(), d.strftime("%Y.%m.%d"), f"{d.year}年{d.month}月{d.day}日"):
        got = parse_date(text, as_of="2100-01-01")
        assert (got.date, got.precision) == (pd.Timestamp(d), "day")
