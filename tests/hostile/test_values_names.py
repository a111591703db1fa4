"""Hostile inputs for company-name normalisation (issue 9, item 7): valid simplified text is never rewritten."""

from __future__ import annotations

import pandas as pd
import pytest

from lgresearch.clean import core_name, normalize_company_name


@pytest.mark.parametrize("name", [
    "厦门乾照光电股份有限公司",      # 乾 (qián) is a standard simplified character: t2s would give 干照
    "江苏甦盛生物科技有限公司",      # 甦 restored as a standard character in 2013
    "甦醒科技有限公司",              # the phrase 甦醒 is rewritten to 苏醒 by OpenCC's phrase table
    "杭州藉美科技有限公司",
    "藉口科技有限公司",              # phrase 藉口 -> 借口 in OpenCC
    "幺麽网络科技有限公司",          # 麽 -> 么 in OpenCC
    "瞭望信息技术有限公司",
    "蒜薹食品有限公司",              # 薹 -> 苔 in OpenCC although 蒜薹 is the simplified spelling
])
def test_valid_simplified_names_are_unchanged(name):
    assert normalize_company_name(name) == name


def test_traditional_form_of_qianzhao_normalises_to_the_simplified_name():
    assert normalize_company_name("廈門乾照光電股份有限公司") == "厦门乾照光电股份有限公司"


@pytest.mark.parametrize("traditional, simplified", [
    ("華為技術有限公司", "华为技术有限公司"),
    ("後來科技有限公司", "后来科技有限公司"),     # 後 is in GB 2312 but is a traditional form
    ("髮型設計有限公司", "发型设计有限公司"),
    ("台灣積體電路製造股份有限公司", "台湾积体电路制造股份有限公司"),
])
def test_traditional_only_characters_are_still_converted(traditional, simplified):
    assert normalize_company_name(traditional) == simplified


def test_series_keeps_valid_characters_and_is_idempotent():
    s = pd.Series(["厦门乾照光电股份有限公司", "廈門乾照光電股份有限公司", None])
    once = normalize_company_name(s)
    assert once.tolist()[:2] == ["厦门乾照光电股份有限公司"] * 2 and pd.isna(once.iloc[2])
    assert normalize_company_name(once).tolist()[:2] == once.tolist()[:2]


def test_core_name_keeps_qian():
    assert core_name("厦门乾照光电股份有限公司") == "乾照"
