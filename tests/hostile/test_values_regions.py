"""Hostile inputs for regions (issue 9, item 8): district names shared by provinces are flagged, not guessed."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lgresearch.clean import normalize_region, normalize_regions, region_status
from lgresearch.clean._gb2260 import GB2260_SOURCE, PREFECTURES
from lgresearch.clean.regions import CITIES


@pytest.mark.parametrize("district", ["朝阳区", "鼓楼区", "西湖区", "普陀区", "江北区", "长安区", "新华区"])
def test_district_in_several_provinces_is_ambiguous_not_guessed(district):
    assert normalize_region(district) is None
    assert region_status(district) == "ambiguous"


@pytest.mark.parametrize("text, city, province, city_out", [
    ("北京", "朝阳区", "北京", None),
    ("吉林省朝阳区", None, "吉林", "长春市"),       # Changchun's 朝阳区, not Liaoning's 朝阳市
    ("浙江省西湖区", None, "浙江", "杭州市"),
    ("江西", "西湖区", "江西", "南昌市"),
    ("上海市普陀区", None, "上海", None),
    ("浙江", "普陀区", "浙江", "舟山市"),
    ("重庆江北区", None, "重庆", None),
    ("宁波江北区", None, "浙江", "宁波市"),
])
def test_known_province_settles_the_district(text, city, province, city_out):
    rec = normalize_region(text, city)
    assert (rec["province"], rec["city"]) == (province, city_out)
    assert region_status(text, city) == "ok"


@pytest.mark.parametrize("district, province, city", [
    ("余杭区", "浙江", "杭州市"),
    ("大同区", "黑龙江", "大庆市"),   # not Shanxi's 大同市: a district named like a city is not that city
    ("朝阳县", "辽宁", "朝阳市"),
    ("义乌市", "浙江", "金华市"),
])
def test_district_found_in_one_province_is_resolved(district, province, city):
    rec = normalize_region(district)
    assert (rec["province"], rec["city"]) == (province, city)


def test_normalize_regions_reports_the_status_per_row():
    out = normalize_regions(pd.Series(["朝阳区", "北京市朝阳区", "Atlantis", None, "鼓楼区"]),
                            pd.Series([None, None, None, None, "南京市"]))
    assert out["region_status"].tolist() == ["ambiguous", "ok", "unknown", "missing", "ok"]
    assert out["province"].isna().tolist() == [True, False, True, True, False]
    assert out.loc[1, "province"] == "北京" and out.loc[4, "city"] == "南京市"


def test_every_prefecture_of_gb2260_is_in_the_city_table():
    """The prefecture table matches GB/T 2260 (MCA 2024): every prefecture-level division is present."""
    ours = set(zip(CITIES["province_code"], CITIES["city"], strict=True))
    official = {(code[:2], name) for code, name in re.findall(r"(\d{6})(\S+)", PREFECTURES)}
    assert len(official) == 333
    assert official <= ours, sorted(official - ours)
    extra = ours - official  # documented extras: province-administered cities, 杨凌, the XPCC cities (code 66)
    assert {c for c, _ in extra} <= {"41", "42", "61", "66"}
    assert GB2260_SOURCE.startswith("https://www.mca.gov.cn/")
