"""Tests for lgresearch.clean.regions: provinces, separately planned cities, prefecture-level cities."""

from __future__ import annotations

import pandas as pd
import pytest

from lgresearch.clean import normalize_region, normalize_regions
from lgresearch.clean.regions import CITIES, PROVINCES, SEPARATELY_PLANNED, XPCC_CODE, region_prefix_forms


@pytest.mark.parametrize(
    ("text", "code", "short", "english"),
    [
        ("浙江", "33", "浙江", "Zhejiang"), ("浙江省", "33", "浙江", "Zhejiang"),
        ("Zhejiang", "33", "浙江", "Zhejiang"), ("ZHEJIANG PROVINCE", "33", "浙江", "Zhejiang"),
        ("33", "33", "浙江", "Zhejiang"),
        ("内蒙古自治区", "15", "内蒙古", "Inner Mongolia"), ("Inner Mongolia", "15", "内蒙古", "Inner Mongolia"),
        ("Neimenggu", "15", "内蒙古", "Inner Mongolia"), ("广西壮族自治区", "45", "广西", "Guangxi"),
        ("宁夏回族自治区", "64", "宁夏", "Ningxia"), ("新疆维吾尔自治区", "65", "新疆", "Xinjiang"),
        ("Tibet", "54", "西藏", "Tibet"), ("Xizang", "54", "西藏", "Tibet"), ("陕西省", "61", "陕西", "Shaanxi"),
        ("Shanxi", "14", "山西", "Shanxi"), ("北京市", "11", "北京", "Beijing"), ("重庆", "50", "重庆", "Chongqing"),
        ("浙江省经济和信息化厅", "33", "浙江", "Zhejiang"), ("　浙江省 ", "33", "浙江", "Zhejiang"),
    ],
)
def test_province_forms(text: str, code: str, short: str, english: str) -> None:
    rec = normalize_region(text)
    assert (rec["province_code"], rec["province"], rec["province_en"]) == (code, short, english)
    assert rec["separately_planned"] is False


def test_all_31_provinces_and_xpcc_round_trip() -> None:
    assert len([c for c in PROVINCES if c != XPCC_CODE]) == 31
    for code, (short, long, english, pinyin) in PROVINCES.items():
        for form in (short, long, english, pinyin):
            assert normalize_region(form)["province_code"] == code, form


@pytest.mark.parametrize("text", ["新疆生产建设兵团", "兵团", "XPCC", "新疆生产建设兵团工业和信息化局"])
def test_xpcc_is_its_own_issuer(text: str) -> None:
    rec = normalize_region(text)
    assert rec["province_code"] == XPCC_CODE and rec["province"] == "新疆兵团"


@pytest.mark.parametrize(
    ("text", "province", "city"),
    [("大连", "辽宁", "大连市"), ("青岛市", "山东", "青岛市"), ("Ningbo", "浙江", "宁波市"), ("厦门", "福建", "厦门市"),
     ("深圳市工业和信息化局", "广东", "深圳市"), ("广东省深圳市", "广东", "深圳市")],
)
def test_separately_planned_cities_map_to_parent_with_flag(text: str, province: str, city: str) -> None:
    rec = normalize_region(text)
    assert (rec["province"], rec["city"], rec["separately_planned"]) == (province, city, True)
    assert set(SEPARATELY_PLANNED) == {"大连", "青岛", "宁波", "厦门", "深圳"}


@pytest.mark.parametrize(
    ("text", "province", "city", "city_en"),
    [("杭州", "浙江", "杭州市", "Hangzhou"), ("Hangzhou", "浙江", "杭州市", "Hangzhou"),
     ("浙江省杭州市", "浙江", "杭州市", "Hangzhou"), ("杭州市余杭区", "浙江", "杭州市", "Hangzhou"),
     ("吉林市", "吉林", "吉林市", "Jilin"), ("延边州", "吉林", "延边朝鲜族自治州", "Yanbian"),
     ("湖北省恩施州", "湖北", "恩施土家族苗族自治州", "Enshi"),
     ("海南藏族自治州", "青海", "海南藏族自治州", "Hainan Prefecture"),
     ("莱芜", "山东", "济南市", "Jinan")],
)
def test_prefecture_cities(text: str, province: str, city: str, city_en: str) -> None:
    rec = normalize_region(text)
    assert (rec["province"], rec["city"], rec["city_en"]) == (province, city, city_en)


def test_ambiguous_and_unknown() -> None:
    assert normalize_region("吉林")["city"] is None  # the province, not the city
    assert normalize_region("海南")["province"] == "海南"
    assert normalize_region("Suzhou") is None  # 苏州 or 宿州: English alone cannot say
    for bad in ("Atlantis", "", None, "东部", "省"):
        assert normalize_region(bad) is None


def test_separate_city_argument() -> None:
    assert normalize_region("浙江", "温州")["city"] == "温州市"
    assert normalize_region("浙江", "南京") is None  # the city is in another province
    assert normalize_region("", "Wenzhou")["province"] == "浙江"


def test_cities_table_is_consistent() -> None:
    assert CITIES["province_code"].isin(list(PROVINCES)).all()
    assert not CITIES.duplicated(["province_code", "city"]).any()
    assert len(CITIES) > 330


def test_normalize_regions_vectorised() -> None:
    s = pd.Series(["浙江省", "Ningbo", "Atlantis", None, "浙江省"], index=list("abcde"))
    out = normalize_regions(s)
    assert out.index.tolist() == list("abcde")
    assert out.loc["a", "province_code"] == "33" and out.loc["e", "province_code"] == "33"
    assert out.loc["b", "separately_planned"] and not out.loc["a", "separately_planned"]
    assert out.loc[["c", "d"], "province"].isna().all()
    both = normalize_regions(pd.Series(["浙江", "浙江"]), pd.Series(["杭州", None]))
    assert both["city"].tolist()[0] == "杭州市" and pd.isna(both["city"].tolist()[1])


def test_prefix_forms_longest_first() -> None:
    forms = region_prefix_forms()
    assert forms.index("浙江省") < forms.index("浙江")
    assert "新疆兵团" not in forms
