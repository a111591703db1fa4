"""Tests for lgresearch.clean.uscc: the GB 32100-2015 check character."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgresearch.clean import normalize_uscc, validate_uscc
from lgresearch.clean.uscc import USCC_ALPHABET, uscc_check_character, uscc_region

REAL = ["914403001922038216", "9144030071526726XG"]  # published codes of two Shenzhen firms


@pytest.mark.parametrize("code", REAL)
def test_real_codes_validate(code: str) -> None:
    assert validate_uscc(code)
    assert uscc_check_character(code[:17]) == code[17]


def test_every_single_substitution_is_detected() -> None:
    code = REAL[0]
    for pos in range(18):
        for c in USCC_ALPHABET:
            if c == code[pos]:
                continue
            changed = code[:pos] + c + code[pos + 1:]
            if pos in range(2, 8) and not c.isdigit():
                assert not validate_uscc(changed)
                continue
            assert not validate_uscc(changed), (pos, c)


@pytest.mark.parametrize("bad", ["", "123", "91440300192203821", "9144030019220382166", "9144030019220382I6",
                                 "91440300192203821O", "ABCDEFGHJKLMNPQRTU"])
def test_malformed(bad: str) -> None:
    assert not validate_uscc(bad)
    assert normalize_uscc(bad) is None


def test_tolerant_forms_and_vectorised() -> None:
    s = pd.Series([" 9144-0300-1922-0382-16 ", "９１４４０３００１９２２０３８２１６", "9144030071526726xg", None, 5],
                  index=[3, 4, 5, 6, 7])
    assert validate_uscc(s).tolist() == [True, True, True, False, False]
    norm = normalize_uscc(s)
    assert norm.index.tolist() == [3, 4, 5, 6, 7]
    assert norm.tolist()[:3] == ["914403001922038216", "914403001922038216", "9144030071526726XG"]
    assert norm.iloc[3:].isna().all()
    assert uscc_region("914403001922038216") == "44"


def test_check_character_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_character("I" * 17)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=USCC_ALPHABET, min_size=10, max_size=10), st.from_regex(r"[0-9]{6}", fullmatch=True),
       st.sampled_from(["91", "92", "11", "52", "Y1"]))
def test_generated_codes_validate(org: str, region: str, head: str) -> None:
    first17 = head + region + org[:9]
    code = first17 + uscc_check_character(first17)
    assert validate_uscc(code)
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(code[-1]) + 1) % 31]
    assert not validate_uscc(code[:-1] + wrong)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_never_raises(text: str) -> None:
    assert validate_uscc(text) in (True, False)
