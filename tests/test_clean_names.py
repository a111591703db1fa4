"""Tests for lgresearch.clean.names: canonical company names and cores."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgresearch.clean import core_name, normalize_company_name


def to_fullwidth(text: str) -> str:
    """Map printable ASCII to its full-width form (space to the ideographic space)."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("浙江蓝特光學股份有限公司", "浙江蓝特光学股份有限公司"),
        ("英飞特电子(杭州)股份有限公司", "英飞特电子（杭州）股份有限公司"),
        ("英飞特电子【杭州】股份有限公司", "英飞特电子（杭州）股份有限公司"),
        ("  杭州 集智 机电股份有限公司  ", "杭州集智机电股份有限公司"),
        ("杭州集智机电股份有限公司*", "杭州集智机电股份有限公司"),
        ("※杭州集智机电股份有限公司", "杭州集智机电股份有限公司"),
        ("杭州集智机电股份有限公司（注）", "杭州集智机电股份有限公司"),
        ("杭州集智机电股份有限公司注2", "杭州集智机电股份有限公司"),
        ("杭州集智机电股份有限公司¹", "杭州集智机电股份有限公司"),
        ("杭州集智机电股份有限公司①", "杭州集智机电股份有限公司"),
        ("杭州集智机电股份有限公司1", "杭州集智机电股份有限公司"),
        ("杭州集智机电股份公司", "杭州集智机电股份有限公司"),
        ("杭州某某责任有限公司", "杭州某某有限责任公司"),
        ("“杭州集智机电股份有限公司”", "杭州集智机电股份有限公司"),
        ("杭州集智\u200b机电股份有限公司\ufeff", "杭州集智机电股份有限公司"),
        ("ＡＢＣ Ｃｏ．，Ｌｔｄ", "ABC Co., Ltd."),
        ("abc  company   limited", "abc Co., Ltd."),
        ("星际控股集团有限公司（普通合伙）", "星际控股集团有限公司（普通合伙）"),
        ("温州市润新机械制造有限公司（）", "温州市润新机械制造有限公司"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize_company_name(raw) == expected


def test_normalize_series_keeps_index_missing_and_dtype() -> None:
    s = pd.Series(["華為技術有限公司", None, "", "  ", "华为技术有限公司"], index=[10, 11, 12, 13, 14], name="n")
    out = normalize_company_name(s)
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert out.name == "n"
    assert out.iloc[0] == out.iloc[4] == "华为技术有限公司"
    assert out.iloc[1:4].isna().all()
    assert pd.api.types.is_string_dtype(out)


def test_normalize_empty_and_scalar_missing() -> None:
    assert normalize_company_name(None) is None
    assert normalize_company_name("***") is None
    assert normalize_company_name(pd.Series([], dtype="object")).empty


def test_normalize_accepts_list_and_non_strings() -> None:
    out = normalize_company_name(["甲公司", 123])
    assert out.tolist() == ["甲公司", "123"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("深圳市大疆创新科技有限公司", "大疆创新"),
        ("浙江铖昌科技股份有限公司", "铖昌"),
        ("英飞特电子（杭州）股份有限公司", "英飞特"),
        ("杭州集智机电股份有限公司", "集智"),
        ("浙江省杭州市申昊科技股份有限公司", "申昊"),
        ("中翰盛泰生物技术股份有限公司", "中翰盛泰"),
        ("温州市润新机械制造有限公司", "润新"),
        ("杭州市余杭区某某精密机械厂", "某某"),
        ("浙江大学", "大学"),
        ("华为", "华为"),
        ("新疆天业（集团）有限公司", "天业"),
    ],
)
def test_core_name_examples(raw: str, expected: str) -> None:
    assert core_name(raw) == expected


def test_core_name_keeps_two_characters() -> None:
    # stripping "科技有限公司" from "深圳科技有限公司" would leave nothing: the region prefix stays
    assert len(core_name("深圳科技有限公司")) >= 2
    assert core_name("北京") == "北京"


def test_core_name_equates_variants() -> None:
    a = core_name(pd.Series(["深圳市大疆创新科技有限公司", "大疆創新科技有限公司", "深圳大疆创新科技股份有限公司"]))
    assert a.nunique() == 1


def test_core_name_latin() -> None:
    assert core_name("Shenzhen DJI Sciences and Technologies Ltd.") == "shenzhen dji"
    assert core_name(pd.Series([None])).isna().all()


names_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from(list("华为技術科创新杭州光電有限公司股份责任（）()【】*※注①¹ 　\t\u200b．，")),
        st.characters(),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(names_text)
def test_normalize_idempotent_and_total(text: str) -> None:
    once = normalize_company_name(text)
    assert once is None or isinstance(once, str)
    assert normalize_company_name(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30),
       st.text(alphabet=st.sampled_from(list("华为技术科创新有限公司")), max_size=6))
def test_fullwidth_equals_halfwidth(ascii_part: str, cjk: str) -> None:
    text = cjk + ascii_part + cjk
    assert normalize_company_name(to_fullwidth(text)) == normalize_company_name(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(names_text, max_size=20))
def test_series_matches_scalar_and_core_never_raises(texts: list[str]) -> None:
    s = pd.Series(texts, dtype=object)
    out = normalize_company_name(s)
    for raw, got in zip(texts, out, strict=True):
        want = normalize_company_name(raw)
        assert (want is None and pd.isna(got)) or got == want
    cores = core_name(s)
    assert len(cores) == len(texts)
