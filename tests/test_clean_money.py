"""Tests for lgresearch.clean.money: amounts, units, currencies, vague and undisclosed amounts, FX."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgresearch.clean import parse_money, to_cny
from lgresearch.clean.money import MONEY_COLUMNS, cny_per_unit, fx_rates


@pytest.mark.parametrize(
    ("text", "point", "currency"),
    [
        ("5000万人民币", 5e7, "CNY"),
        ("1.5亿", 1.5e8, None),
        ("1.5亿元", 1.5e8, "CNY"),
        ("300元", 300.0, "CNY"),
        ("2000万美元", 2e7, "USD"),
        ("US$ 2.5m", 2.5e6, "USD"),
        ("$5 million", 5e6, "USD"),
        ("USD 1.2 billion", 1.2e9, "USD"),
        ("RMB 100M", 1e8, "CNY"),
        ("CNY 3bn", 3e9, "CNY"),
        ("HK$3m", 3e6, "HKD"),
        ("300万港币", 3e6, "HKD"),
        ("300万欧元", 3e6, "EUR"),
        ("1.2亿日元", 1.2e8, "JPY"),
        ("2000万新台币", 2e7, "TWD"),
        ("250 K", 2.5e5, None),
        ("1,000,000", 1e6, None),
        ("7,791.34", 7791.34, None),
        ("两千万人民币", 2e7, "CNY"),
        ("一亿", 1e8, None),
        ("５０００万", 5e7, None),  # full-width digits
        ("3百万", 3e6, None),
        ("2千万", 2e7, None),
    ],
)
def test_exact_amounts(text, point, currency):
    m = parse_money(text)
    assert m.status == "exact"
    assert m.point == pytest.approx(point)
    assert m.low == m.high == m.point
    assert m.currency == currency
    assert m.disclosed


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("数百万", 1e6, 1e7),
        ("数千万人民币", 1e7, 1e8),
        ("数亿", 1e8, 1e9),
        ("数十亿", 1e9, 1e10),
        ("近千万", 8e6, 1e7),
        ("近亿", 8e7, 1e8),
        ("超5000万", 5e7, math.inf),
        ("亿元及以上", 1e8, math.inf),
        ("千万级", 1e7, 1e8),
        ("过亿", 1e8, math.inf),
        ("上亿", 1e8, math.inf),
        ("1000多万", 1e7, 2e7),
        ("1000-2000万", 1e7, 2e7),
        ("1亿-2亿", 1e8, 2e8),
        ("1至2亿", 1e8, 2e8),
    ],
)
def test_vague_amounts_are_ranges_without_a_point(text, low, high):
    m = parse_money(text)
    assert m.status in ("vague", "range")
    assert m.low == pytest.approx(low)
    assert m.high == pytest.approx(high) if math.isfinite(high) else m.high == math.inf
    assert math.isnan(m.point)
    assert m.disclosed


@pytest.mark.parametrize("text", ["未透露", "未披露", "不详", "不披露", "保密", "undisclosed"])
def test_undisclosed(text):
    m = parse_money(text)
    assert (m.status, m.disclosed) == ("undisclosed", False)
    assert math.isnan(m.point) and math.isnan(m.low)


@pytest.mark.parametrize("text", ["--", "-", "", "  ", None, float("nan")])
def test_missing(text):
    m = parse_money(text)
    assert (m.status, m.disclosed) == ("missing", False)


def test_undisclosed_keeps_the_currency():
    assert parse_money("未透露美元").currency == "USD"
    assert parse_money("未透露人民币").status == "undisclosed"


def test_junk_is_unparsed_not_a_number():
    for junk in ["garbage", "约", "12abc34", "5000万万人民币x"]:
        m = parse_money(junk)
        assert m.status == "unparsed", junk
        assert not m.disclosed and math.isnan(m.point)


def test_unknown_currency_is_flagged_and_not_converted():
    m = parse_money("100万 XYZ")
    assert m.status == "unknown_currency" and m.currency == "XYZ"
    assert math.isnan(to_cny([m.point], [m.currency], [2020])[0])


def test_column_unit_and_currency_column():
    out = parse_money(pd.Series(["12.5", "8.86(e)", "--"]), unit="M", currency=pd.Series(["USD", "RMB", "RMB"]))
    assert list(out.columns) == MONEY_COLUMNS
    assert out["point"].iloc[0] == pytest.approx(12.5e6)
    assert out["currency"].tolist() == ["USD", "CNY", "CNY"]
    assert out["estimated"].tolist() == [False, True, False]
    assert out["status"].tolist() == ["exact", "exact", "missing"]


def test_written_currency_wins_over_column():
    assert parse_money("100万美元", currency="RMB").currency == "USD"


def test_series_index_is_preserved():
    s = pd.Series(["1万", "2万"], index=[10, 20])
    assert parse_money(s).index.tolist() == [10, 20]


def test_numbers_pass_through_with_unit():
    assert parse_money(3.5, unit="万").point == pytest.approx(35000.0)


def test_bad_unit_raises():
    with pytest.raises(ValueError):
        parse_money("1", unit="furlongs")


@given(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), st.sampled_from(["万", "亿", "百万", "千万"]))
def test_round_trip_number_with_unit(x, unit):
    mult = {"万": 1e4, "亿": 1e8, "百万": 1e6, "千万": 1e7}[unit]
    text = f"{x:.2f}{unit}人民币"
    m = parse_money(text)
    assert m.currency == "CNY"
    if round(x, 2) * mult > 1e13:  # above 10^13 CNY: set missing and flagged
        assert (m.status, m.flag) == ("unparsed", "amount out of range") and np.isnan(m.point)
    else:
        assert m.point == pytest.approx(round(x, 2) * mult)


def test_fx_table_has_sources_and_plausible_values():
    r = fx_rates()
    assert {"year", "currency", "cny_per_unit", "source_url", "source_note"} <= set(r.columns)
    assert r["source_url"].str.startswith("http").all() and (r["source_note"].str.len() > 20).all()
    usd = r[r["currency"] == "USD"].set_index("year")["cny_per_unit"]
    assert set(range(2000, 2025)) <= set(usd.index)
    assert usd.between(6.0, 8.4).all()
    hkd = r[r["currency"] == "HKD"].set_index("year")["cny_per_unit"]
    # HKD is pegged to USD at 7.75-7.85
    assert ((usd / hkd).loc[hkd.index]).between(7.74, 7.86).all()


def test_to_cny_uses_the_year_and_nearest_year_outside_the_table():
    out = to_cny([1.0, 1.0, 1.0, 1.0], ["USD", "USD", "CNY", "USD"], [2015, 2021, 2021, 2035])
    assert out.tolist()[:3] == [pytest.approx(6.2284), pytest.approx(6.4515), 1.0]
    looked = cny_per_unit(["USD"], [2035])
    assert looked["rate_year"].iloc[0] == 2024


def test_to_cny_missing_year_gives_nan():
    assert np.isnan(to_cny([1.0], ["USD"], [np.nan])[0])
