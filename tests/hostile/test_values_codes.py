"""Hostile inputs for stock codes (issue 9, item 12): six digits after an exchange affix, never padded from a float."""

from __future__ import annotations

import pandas as pd
import pytest

from lgresearch import listed, prices, securities
from lgresearch.ledger import InputError
from lgresearch.securities import code_status, normalize_code


@pytest.mark.parametrize("value", ["1.5", 1.5, "60051", 60051, "00000", "0", 0, -1, "12345678", "6000001", "abc",
                                   "600000.HK", "sh60000a", True, "000001.5"])
def test_values_that_are_not_codes_are_missing_never_padded(value):
    assert normalize_code(value) is None
    assert code_status(value) == "invalid"


@pytest.mark.parametrize("value", ["300750.SZ", "300750.sz", "sz300750", "SZ300750", "SZ.300750", "300750SZ",
                                   " 300750 ", "３００７５０"])
def test_exchange_prefix_or_suffix_in_any_case_is_removed(value):
    assert normalize_code(value) == "300750" and code_status(value) == "ok"


@pytest.mark.parametrize("value, code", [("sh600000", "600000"), ("600000.SH", "600000"), ("BJ830799", "830799"),
                                         ("920475.BJ", "920475"), ("bj920475", "920475")])
def test_each_exchange_is_recognised(value, code):
    assert normalize_code(value) == code


@pytest.mark.parametrize("value", [1270, "1270", "1270.0", 1270.0, 1])
def test_integer_that_lost_its_leading_zeros_is_padded_and_reported(value):
    assert normalize_code(value) == "001270" or (value == 1 and normalize_code(value) == "000001")
    assert code_status(value) == "zero-padded"


def test_series_input_keeps_index_and_name():
    s = pd.Series(["300750.SZ", "1.5", None], index=[5, 6, 7], name="code")
    out = normalize_code(s)
    assert out.index.tolist() == [5, 6, 7] and out.name == "code"
    assert out.tolist() == ["300750", pd.NA, pd.NA]
    assert code_status(s).tolist() == ["ok", "invalid", "missing"]


def test_old_import_paths_still_work():
    assert listed.normalize_code is securities.normalize_code
    assert prices.board_of is securities.board_of and prices.limit_rate is securities.limit_rate
    assert prices.LIMITS is securities.LIMITS


def _mapping(tmp_path, body: str):
    p = tmp_path / "mapping.csv"
    p.write_text(body, encoding="utf-8")
    return p


def test_dated_mapping_drops_non_codes_and_flags_padded_ones(tmp_path):
    p = _mapping(tmp_path, "code,batch\n1.5,3\n60051,3\n00000,3\n1270,2\n300557.SZ,5\n")
    out, led = listed.read_dated_mapping(p, return_ledger=True)
    assert out["code"].tolist() == ["001270", "300557"]
    f = led.frame()
    dropped = f[f["outcome"] == "dropped"].sort_values("source_row")
    assert dropped["source_row"].tolist() == [2, 3, 4]
    assert dropped["detail"].tolist() == ["1.5", "60051", "00000"]
    assert set(dropped["reason"]) == {"blank or malformed stock code"}
    flagged = f[f["outcome"] == "flagged"]
    assert flagged["source_row"].tolist() == [5] and "zero-padded" in flagged["reason"].iloc[0]
    assert led.reconcile({"mapping.csv": 5})


@pytest.mark.parametrize("batch", ["9", "0", "第十批", "batch 12"])
def test_dated_mapping_rejects_a_batch_that_is_not_official(tmp_path, batch):
    p = _mapping(tmp_path, f"code,batch\n300557,3\n600000,{batch}\n")
    with pytest.raises(InputError, match=r"mapping.csv, row 3, column 'batch': not a batch"):
        listed.read_dated_mapping(p)


@pytest.mark.parametrize("date, why", [("2023-02-30", "impossible date"), ("05/06/2023", "ambiguous day/month order")])
def test_dated_mapping_date_errors_name_row_column_and_reason(tmp_path, date, why):
    p = _mapping(tmp_path, f"code,date\n300557,2023-07-14\n600000,{date}\n")
    with pytest.raises(InputError, match=rf"row 3, column 'date': not a date \({why}\)"):
        listed.read_dated_mapping(p)
