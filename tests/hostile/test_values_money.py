"""Hostile inputs for money amounts (issue 9, item 9): no implausible amount passes as exact."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lgresearch.clean import parse_money


@pytest.mark.parametrize("value", ["9999999999999亿", "-500万", "1e30", "2000万亿元人民币", -5.0, 1e30, float("inf"),
                                   "20000000000000"])
def test_out_of_range_amount_is_flagged_and_missing(value):
    m = parse_money(value)
    assert (m.status, m.flag, m.disclosed) == ("unparsed", "amount out of range", False)
    assert math.isnan(m.point) and math.isnan(m.low) and math.isnan(m.high)


def test_bound_is_in_cny_for_foreign_currencies():
    # 5e12 USD is far above 1e13 CNY; 5e12 CNY is not
    assert parse_money("50000亿美元").flag == "amount out of range"
    assert parse_money("50000亿元").point == 5e12


def test_one_trillion_cny_is_still_exact():
    assert parse_money("1万亿").status == "exact" and parse_money("1万亿").point == 1e12


@pytest.mark.parametrize("value", ["1,5亿", "12,34", "1,5", "1,50万美元", "1，5亿"])
def test_ambiguous_separator_is_flagged(value):
    m = parse_money(value)
    assert (m.status, m.flag) == ("unparsed", "ambiguous separator") and math.isnan(m.point)


@pytest.mark.parametrize("value, point", [("1,500万", 1.5e7), ("7,791.34", 7791.34), ("1,234,567", 1234567.0)])
def test_thousands_separators_are_read(value, point):
    assert parse_money(value).point == pytest.approx(point) and parse_money(value).flag is None


@pytest.mark.parametrize("value, point", [
    ("五千万", 5e7), ("三亿", 3e8), ("一点五亿", 1.5e8), ("两亿五千万", 2.5e8), ("2亿5000万", 2.5e8),
    ("一千五百万元", 1.5e7), ("两千万", 2e7), ("五十亿", 5e9), ("3千万", 3e7), ("十二万", 1.2e5), ("五千万人民币", 5e7),
])
def test_chinese_numerals_are_parsed(value, point):
    m = parse_money(value)
    assert m.status == "exact" and m.point == pytest.approx(point)


@pytest.mark.parametrize("value", ["nanjing", "garbage", "none of your business", "abc亿"])
def test_text_with_no_amount_is_unparsed_not_undisclosed(value):
    m = parse_money(value)
    assert (m.status, m.flag, m.disclosed) == ("unparsed", "no amount in text", False)


@pytest.mark.parametrize("value", ["未透露", "undisclosed", "N/A", "未披露美元"])
def test_undisclosed_words_still_read_as_undisclosed(value):
    assert parse_money(value).status == "undisclosed" and parse_money(value).flag is None


def test_series_carries_the_flag_column():
    out = parse_money(pd.Series(["1,5亿", "-3", "五千万", "nanjing", None]))
    assert out["flag"].tolist() == ["ambiguous separator", "amount out of range", None, "no amount in text", None]
    assert out["status"].tolist() == ["unparsed", "unparsed", "exact", "unparsed", "missing"]
    assert out["point"].notna().tolist() == [False, False, True, False, False]
