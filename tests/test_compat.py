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


def test_renamed_kwargs_maps_old_name_and_warns_at_the_caller() -> None:
    import warnings

    import pytest

    from lgresearch._compat import renamed_kwargs

    @renamed_kwargs(ledger="return_ledger", alpha="level")
    def f(x: int, *, return_ledger: bool = False, level: float = 0.95) -> tuple:
        return x, return_ledger, level

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert f(1, ledger=True) == (1, True, 0.95)
    assert len(caught) == 1 and caught[0].category is FutureWarning
    assert "'ledger' is deprecated; use 'return_ledger'" in str(caught[0].message)
    assert caught[0].filename == __file__  # stacklevel points at this line, not at _compat
    with pytest.warns(FutureWarning, match="'alpha' is deprecated; use 'level'"):
        assert f(2, alpha=0.9) == (2, False, 0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(3, level=0.5) == (3, False, 0.5)  # new names: no warning
    with pytest.raises(TypeError, match="pass only 'level'"):
        f(4, alpha=0.9, level=0.5)
    assert f.__name__ == "f"

    @renamed_kwargs(alpha=("level", lambda a: 1 - a))
    def g(*, level: float = 0.95) -> float:
        return level

    with pytest.warns(FutureWarning, match="'alpha' is deprecated; use 'level'"):
        assert g(alpha=0.1) == pytest.approx(0.9)


def test_deprecated_alias_warns_and_calls_through() -> None:
    import pytest

    from lgresearch._compat import deprecated_alias

    def new_name(x: int) -> int:
        return x * 2

    old = deprecated_alias(new_name, "old_name")
    with pytest.warns(FutureWarning, match="old_name is deprecated; use new_name"):
        assert old(2) == 4
    assert old.__name__ == "old_name"
