"""Tests for lgresearch._compat: the house text dtype behaves like pandas 3's ``str`` on every supported pandas."""

from __future__ import annotations

import math

import pandas as pd

from lgresearch._compat import PANDAS_3, TEXT_DTYPE, text_dtype
from lgresearch.clean import core_name, normalize_company_name
from lgresearch.deals_readers.core import as_text


def test_flag_matches_installed_pandas() -> None:
    assert PANDAS_3 == (int(pd.__version__.split(".")[0]) >= 3)
    assert text_dtype() is TEXT_DTYPE


def test_text_dtype_missing_is_nan_and_comparisons_are_plain_bool() -> None:
    s = pd.Series(["a", None, float("nan")], dtype=TEXT_DTYPE)
    assert pd.api.types.is_string_dtype(s)
    assert s.isna().tolist() == [False, True, True]
    assert s.iloc[1] is not pd.NA and math.isnan(s.iloc[1])
    eq = s == "a"
    assert eq.dtype == bool and eq.tolist() == [True, False, False]
    assert s.str.len().dtype == "float64"


def test_house_text_columns_share_one_dtype() -> None:
    raw = pd.Series(["華為技術有限公司", None], dtype=object)
    want = pd.Series([], dtype=TEXT_DTYPE).dtype
    assert normalize_company_name(raw).dtype == want
    assert core_name(raw).dtype == want
    assert as_text(raw).dtype == want


def test_names_with_nul_characters_are_not_merged() -> None:
    # pandas 2 hashes object strings only up to a NUL: "" and "\x000" must still be told apart
    out = normalize_company_name(pd.Series(["", "\x000", "a\x00b", "a"], dtype=object))
    assert pd.isna(out.iloc[0])
    assert out.iloc[1:].tolist() == ["0", "ab", "a"]
