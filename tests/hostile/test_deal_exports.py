"""Hostile deal exports (issue 9): 清科, IT桔子, Crunchbase and mapped exports written by the tests.

Each case asserts the exact outcome: the correct value, a ledger entry with its reason (the ledger reconciling with
the file's physical lines), or an InputError naming the file (and the row and column where they apply).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lgresearch import deals
from lgresearch.errors import InputError

AS_OF = "2024-06-30"
Z_HEAD = "融资主体,企业,地区,投资时间,轮次,投资币种,投资金额(M),股权%,企业估值(RMB/M),投资方"
ROW_A = "测试甲科技有限公司,测甲,中国|浙江省|杭州市,2021-03-15,A,RMB,20.00,5.00,400.00,X资本"
ROW_B = "测试乙科技有限公司,测乙,中国|江苏省|南京市,2022-05-10,B,RMB,30.00,10.00,300.00,Y基金"
ROW_C = "测试丙科技有限公司,测丙,中国|广东省|深圳市,2023-01-09,天使轮,RMB,5.00,10.00,50.00,Z资本"
# a valid USCC (GB 32100-2015 check digit) and the same code with a wrong check digit
GOOD = "914403001922038216"
WRONG = "914403001922038217"


def _file(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _z2i(path: Path):
    ev, led = deals.read_zero2ipo(path, cache=False, return_ledger=True, as_of=AS_OF)
    return ev, led.frame()


def _reasons(led: pd.DataFrame, row: int) -> set[str]:
    return set(led.loc[led["source_row"] == row, "reason"])


def _terminal(led: pd.DataFrame) -> int:
    return int((led["outcome"] != "flagged").sum())


# ------------------------------------------------------------------------------------ rows lost


def test_unclosed_quote_in_a_zero2ipo_export(tmp_path: Path) -> None:
    bad = ROW_B.replace("测试乙科技有限公司", '"测试乙科技有限公司')
    p = _file(tmp_path, "z.csv", "\n".join([Z_HEAD, ROW_A, bad, ROW_C, ""]))
    ev, led = _z2i(p)
    assert ev["firm_name"].tolist() == ["测试甲科技有限公司", "测试乙科技有限公司", "测试丙科技有限公司"]
    assert "unclosed quote: line read without quoting" in _reasons(led, 3)
    assert _terminal(led) == 4


def test_legitimate_multiline_investor_cell(tmp_path: Path) -> None:
    row = ROW_A.replace("X资本", '"X资本\n【一号基金】"')
    p = _file(tmp_path, "z.csv", "\n".join([Z_HEAD, row, ROW_B, ""]))
    ev, led = _z2i(p)
    assert ev["investors"].tolist() == [["X资本\n【一号基金】"], ["Y基金"]]  # the cell as written
    assert ev["source_rows"].tolist() == [[2], [4]]
    assert led.loc[led["outcome"] == "merged", ["source_row", "reason"]].values.tolist() == [
        [3, "line inside a quoted field"]]
    assert _terminal(led) == 4


def test_truncated_last_line_of_an_export(tmp_path: Path) -> None:
    p = _file(tmp_path, "z.csv",
              "\n".join([Z_HEAD, ROW_A, ROW_B, "测试丙科技有限公司,测丙,中国|广东省|深圳市,2023-01"]))
    _ev, led = _z2i(p)
    assert "truncated last line" in _reasons(led, 4)
    assert _terminal(led) == 4


def test_title_and_blank_lines_above_the_header_are_accounted(tmp_path: Path) -> None:
    p = _file(tmp_path, "z.csv", "\n".join(["私募通 投资事件导出", "", Z_HEAD, ROW_A, ""]))
    ev, led = _z2i(p)
    assert len(ev) == 1 and ev["source_rows"].tolist() == [[4]]
    assert [_reasons(led, r) for r in (1, 2, 3)] == [{"title line"}, {"blank line"}, {"header row"}]


def test_a_200k_character_cell_is_read(tmp_path: Path) -> None:
    row = ROW_A.replace("X资本", "X资本" + "甲" * 200_000)
    p = _file(tmp_path, "z.csv", "\n".join([Z_HEAD, row, ROW_B, ""]))
    ev, _led = _z2i(p)
    assert len(ev) == 2 and len(ev["investors"].iloc[0][0]) == 200_003


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_export_in_another_encoding(tmp_path: Path, encoding: str) -> None:
    p = _file(tmp_path, "z.csv", "\n".join([Z_HEAD, ROW_A, ROW_B, ""]), encoding)
    ev, _led = _z2i(p)
    assert ev["firm_name"].tolist() == ["测试甲科技有限公司", "测试乙科技有限公司"]
    assert ev["post_money_cny"].tolist() == [400e6, 300e6]


def test_big5_export_is_read_as_big5(tmp_path: Path) -> None:
    head = "被投企業,披露日期,融資輪次"
    p = _file(tmp_path, "tw.csv", f"{head}\n台灣積體電路製造股份有限公司,2021-03-15,A輪\n", "big5")
    ev = deals.read_deals(p, {"firm_name": "被投企業", "date": "披露日期", "round": "融資輪次"}, as_of=AS_OF)
    assert ev["firm_name"].tolist() == ["台灣積體電路製造股份有限公司"]


def test_undecodable_export_is_an_error_naming_the_file(tmp_path: Path) -> None:
    p = tmp_path / "noise.csv"
    p.write_bytes(bytes(range(128, 256)) * 20)
    with pytest.raises(InputError, match=r"noise\.csv: cannot .*UTF-8"):
        deals.read_zero2ipo(p, cache=False)


def test_unclosed_quote_in_an_itjuzi_company_page(tmp_path: Path) -> None:
    text = ("公司名称,工商名称,地点,行业,子行业,融资时间,轮次,融资金额,投资方\n"
            '甲,"北京甲科技有限公司,北京-海淀区,硬件,机器人,2018-05-01,A轮,数千万人民币,X资本\n'
            ",,,,,2016-01-01,天使轮,500万人民币,Y基金\n"
            "乙,北京乙科技有限公司,北京-朝阳区,硬件,芯片,2019-06-01,B轮,1亿人民币,Z资本\n")
    ev, led = deals.read_itjuzi(_file(tmp_path, "it.csv", text), return_ledger=True, as_of=AS_OF)
    assert ev["firm_name"].tolist() == ["北京甲科技有限公司", "北京甲科技有限公司", "北京乙科技有限公司"]
    assert "unclosed quote: line read without quoting" in _reasons(led.frame(), 2)
    assert _terminal(led.frame()) == 4


def test_stray_quote_in_a_crunchbase_export(tmp_path: Path) -> None:
    text = ("org_name,announced_on,investment_type,raised_amount_usd\n"
            '"Acme Robotics,2019-04-10,series_a,14496000\nBeta AI,2020-08-01,seed,1000000\n')
    ev, led = deals.read_crunchbase(_file(tmp_path, "funding_rounds.csv", text), return_ledger=True, as_of=AS_OF)
    assert ev["firm_name"].tolist() == ["Acme Robotics", "Beta AI"]
    assert "unclosed quote: line read without quoting" in _reasons(led.frame(), 2)


# ------------------------------------------------------------------------------------ USCC


USCC_MAP = {"firm_name": "企业", "uscc": "信用代码", "date": "日期", "round": "轮次"}


def _uscc_file(tmp_path: Path, code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = _file(tmp_path, "u.csv", f"企业,信用代码,日期,轮次\n测试甲科技有限公司,{code},2021-03-15,A轮\n")
    ev, led = deals.read_deals(p, USCC_MAP, return_ledger=True, as_of=AS_OF)
    return ev, led.frame()


@pytest.mark.parametrize("code", [WRONG, "9144030071526726XH", "91440300715267261X"])
def test_uscc_with_a_wrong_check_digit_is_flagged_and_not_kept(tmp_path: Path, code: str) -> None:
    ev, led = _uscc_file(tmp_path, code)
    assert ev["uscc"].isna().all()
    assert _reasons(led, 2) >= {"USCC check digit wrong (set missing)"}


@pytest.mark.parametrize("code", ["9144 0300 1922 0382 16", "914403001922038216 ", "9144030071526726xg",
                                  "９１４４０３００１９２２０３８２１６", "91440300-19220382-16"])
def test_valid_uscc_written_with_spaces_or_lowercase_is_kept(tmp_path: Path, code: str) -> None:
    ev, led = _uscc_file(tmp_path, code)
    expected = "9144030071526726XG" if code.endswith("xg") else GOOD
    assert ev["uscc"].tolist() == [expected]
    assert not led["reason"].str.contains("USCC").any()


@pytest.mark.parametrize("code", ["91440300192203821", "ABC", "91440300192203821699"])
def test_malformed_uscc_is_flagged(tmp_path: Path, code: str) -> None:
    ev, led = _uscc_file(tmp_path, code)
    assert ev["uscc"].isna().all()
    assert "malformed USCC (set missing)" in _reasons(led, 2)


# ------------------------------------------------------------------------------------ amounts and schema errors


@pytest.mark.parametrize("amount", ["-20.00", "-5"])
def test_negative_amount_is_flagged_not_a_schema_error(tmp_path: Path, amount: str) -> None:
    row = ROW_A.replace("20.00", amount, 1)
    p = _file(tmp_path, "z.csv", "\n".join([Z_HEAD, row, ""]))
    ev, led = _z2i(p)
    assert math.isnan(ev["amount_cny"].iloc[0]) and ev["amount_status"].iloc[0] == "unparsed"
    assert "negative amount (set missing)" in _reasons(led, 2)


def test_negative_number_in_a_workbook_is_flagged_not_a_schema_error(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(Z_HEAD.split(","))
    wb.active.append(["测试甲科技有限公司", "测甲", "中国|浙江省|杭州市", "2021-03-15", "A", "RMB", -20.0, 5.0, 400.0,
                      "X资本"])
    wb.save(tmp_path / "neg.xlsx")
    ev, led = _z2i(tmp_path / "neg.xlsx")
    assert ev["amount_cny"].isna().all() and ev["post_money_cny"].tolist() == [400e6]
    assert "negative amount (set missing)" in _reasons(led, 2)


def test_negative_amount_in_a_mapped_export(tmp_path: Path) -> None:
    p = _file(tmp_path, "w.csv", "企业,日期,轮次,金额\n测试甲科技有限公司,2021-03-15,A轮,-500万人民币\n")
    ev, led = deals.read_deals(p, {"firm_name": "企业", "date": "日期", "round": "轮次", "amount": "金额"},
                               return_ledger=True, as_of=AS_OF)
    assert ev["amount_cny"].isna().all()
    assert "negative amount (set missing)" in _reasons(led.frame(), 2)


def test_schema_failure_names_file_row_and_column() -> None:
    ev = deals.demo_events()
    ev.loc[0, "amount_cny"] = -1.0
    ev["source_file"] = "export.xlsx"
    ev.at[0, "source_rows"] = [7]
    with pytest.raises(InputError, match=r"export\.xlsx, row 7, column 'amount_cny': .*correct the value"):
        deals._finish(ev, None, False, True)


# ------------------------------------------------------------------------------------ vague errors


@pytest.mark.parametrize("ext", [".xlsx", ".xls"])
def test_garbage_workbook_is_an_error_naming_the_file(tmp_path: Path, ext: str) -> None:
    p = tmp_path / f"garbage{ext}"
    p.write_bytes(b"PK\x03\x04 garbage \x00\x01" * 20)
    with pytest.raises(InputError, match=rf"garbage\{ext}: cannot read the workbook"):
        deals.read_zero2ipo(p, cache=False)


def test_missing_export_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"absent\.csv: file not found"):
        deals.read_deals(tmp_path / "absent.csv", USCC_MAP)


def test_empty_export_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty"):
        deals.read_deals(_file(tmp_path, "empty.csv", ""), USCC_MAP)


def test_missing_mapped_column_names_the_column(tmp_path: Path) -> None:
    p = _file(tmp_path, "m.csv", "企业,日期\n测试甲科技有限公司,2021-03-15\n")
    with pytest.raises(InputError, match=r"m\.csv, column '轮次': column not found"):
        deals.read_deals(p, {"firm_name": "企业", "date": "日期", "round": "轮次"})


def test_no_header_row_says_what_to_do(tmp_path: Path) -> None:
    p = _file(tmp_path, "h.csv", "a,b\n1,2\n")
    with pytest.raises(InputError, match=r"h\.csv: no header row .*DealMapping"):
        deals.read_deals(p, {"firm_name": "企业", "date": "日期"})


def test_unsupported_file_type_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"d\.json: unsupported file type .*save the export as csv"):
        deals.read_deals(_file(tmp_path, "d.json", "{}"), {"firm_name": "企业", "date": "日期"})
