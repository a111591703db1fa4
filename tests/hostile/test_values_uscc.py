"""Hostile inputs for unified social credit codes (issue 9, item 11): spaces/case normalised, check digit enforced."""

from __future__ import annotations

import pandas as pd
import pytest

from lgresearch.clean import normalize_uscc, uscc_status, validate_uscc

VALID = "914403001922038216"


@pytest.mark.parametrize("written", [
    "9144 0300 1922 0382 16", " 914403001922038216 ", "9144\t0300-1922.0382_16", "９１４４０３００１９２２０３８２１６",
    "9144\u30000300192203821 6", int(VALID),
])
def test_valid_code_written_with_spaces_or_width_is_kept(written):
    assert normalize_uscc(written) == VALID and validate_uscc(written) is True and uscc_status(written) == "valid"


def test_lower_case_letters_are_accepted():
    assert normalize_uscc("9144030071526726xg") == "9144030071526726XG"


@pytest.mark.parametrize("wrong", ["914403001922038217", "9144030071526726XA", "91440300192203821 7"])
def test_wrong_check_character_is_detected(wrong):
    assert validate_uscc(wrong) is False and normalize_uscc(wrong) is None
    assert uscc_status(wrong) == "wrong check character"


@pytest.mark.parametrize("bad", ["12345", "91440300192203821I", "ABCDEFGHJKLMNPQRTU0", "9144030019220382166"])
def test_malformed_codes_are_rejected_with_a_reason(bad):
    assert normalize_uscc(bad) is None and uscc_status(bad) == "malformed"


def test_series_statuses_align_with_the_index():
    s = pd.Series([VALID.lower(), "914403001922038217", None, "x"], index=[10, 11, 12, 13])
    st = uscc_status(s)
    assert st.index.tolist() == [10, 11, 12, 13]
    assert st.tolist() == ["valid", "wrong check character", "missing", "malformed"]
    assert validate_uscc(s).tolist() == [True, False, False, False]
