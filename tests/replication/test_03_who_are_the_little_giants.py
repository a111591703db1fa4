"""Notebook 03: industry over-representation of listed Little Giants, recomputed from the vendor files."""

import pytest

from . import _listed_plain as plain
from .conftest import interval, number, require_external, row

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def universe():
    require_external("markzhou-github__h5m80d50_priority", "StockClassifyUse_stock.xls")
    require_external("listed-little-giants", "listed_little_giants_by_code.csv")
    return plain.universe_with_industries(require_external())


def _industries(u):
    semis = u["l2_name"].str.contains("半导体")
    return {
        "many of them in the semiconductor, machinery and pharmaceutical": u["l1_name"].isin(["机械设备", "医药生物"])
        | semis,
        "many of them in the machinery industry": u["l1_name"] == "机械设备",
        "many of them in the semiconductor industry": semis,
        "many of them in the pharmaceutical industry": u["l1_name"] == "医药生物",
    }


def test_every_industry_ratio_and_interval(claims, universe):
    ledger = claims("03")
    for start, flag in _industries(universe).items():
        r = row(ledger, start)
        est, lo, hi = plain.ratio(universe, flag)
        assert number(r["estimate"]) == pytest.approx(round(est, 3), abs=1e-9), start
        assert interval(r["interval"]) == pytest.approx((round(lo, 3), round(hi, 3)), abs=1e-9), start


def test_one_denominator_for_every_row(claims, universe):
    r = row(claims("03"), "many of them in the semiconductor, machinery and pharmaceutical")
    assert number(r["n"]) == int(universe["member"].sum())
    machinery = row(claims("03"), "many of them in the machinery industry")
    assert number(machinery["n"]) == int((universe["member"] & (universe["l1_name"] == "机械设备")).sum())
