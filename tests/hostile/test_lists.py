"""Hostile designation lists (issue 9): every file is written by the test, every outcome is exact.

Each case is a file a user might bring: a stray quote, a truncated last line, a Big5 export, a footnote that looks
like a row, a review list with failures, a hidden sheet of an old list, impossible dates. The expected outcome is
one of: the correct value, a ledger entry with its reason (and the ledger reconciles with the file's physical
rows), or an InputError naming the file (and the row and column where they apply).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from lgresearch import designations as D
from lgresearch.errors import InputError, LedgerError, LgresearchError
from lgresearch.io import physical_rows, read_cells
from lgresearch.ledger import Ledger

HERE = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("designation_fixtures_h", HERE / "fixtures" / "designations" /
                                               "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
sys.modules["designation_fixtures_h"] = mf
_spec.loader.exec_module(mf)

TITLE5 = "浙江省第五批专精特新“小巨人”企业名单公示"


def _csv(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _read(path: Path, **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    """read_list with a ledger that must reconcile with the file's physical rows."""
    got, led = D.read_list(path, return_ledger=True, **kw)
    led.reconcile(physical_rows(read_cells(path, sheet=kw.get("sheet"))))
    return got, led.frame()


def _reasons(led: pd.DataFrame, row: int) -> set[str]:
    return set(led.loc[led["source_row"] == row, "reason"])


def _n_lines(path: Path) -> int:
    return len(path.read_bytes().decode("utf-8").splitlines())


# ------------------------------------------------------------------------------------ rows lost (csv lines)


def test_unclosed_quote_does_not_swallow_the_rest_of_the_file(tmp_path: Path) -> None:
    p = _csv(tmp_path, "zj.csv", f"{TITLE5}\n序号,企业名称,所在地\n1,杭州集智机电股份有限公司,杭州市\n"
                                 '2,"宁波中意液压马达有限公司,宁波市\n3,温州聚星科技股份有限公司,温州市\n'
                                 "4,浙江铖昌科技股份有限公司,杭州市\n")
    got, led = _read(p)
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "宁波中意液压马达有限公司",
                                    "温州聚星科技股份有限公司", "浙江铖昌科技股份有限公司"]
    assert got["city"].tolist() == ["杭州市", "宁波市", "温州市", "杭州市"]
    assert "unclosed quote: line read without quoting" in _reasons(led, 4)
    assert len(led[led["outcome"] != "flagged"]) == _n_lines(p) == 6


def test_unclosed_quote_on_the_last_line(tmp_path: Path) -> None:
    p = _csv(tmp_path, "last.csv", '序号,企业名称,所在地\n1,杭州集智机电股份有限公司,杭州市\n'
                                   '2,"温州聚星科技股份有限公司,温州市\n')
    got, led = _read(p, batch=5, list_type="publicity", province="浙江")
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "温州聚星科技股份有限公司"]
    assert "unclosed quote: line read without quoting" in _reasons(led, 3)


def test_stray_quote_closed_lines_later_is_not_one_giant_field(tmp_path: Path) -> None:
    p = _csv(tmp_path, "stray.csv", '序号,企业名称,所在地\n1,"杭州集智机电股份有限公司,杭州市\n'
                                    "2,温州聚星科技股份有限公司,温州市\n3,浙江铖昌科技\"股份有限公司,杭州市\n"
                                    "4,浙江威星智能仪表股份有限公司,杭州市\n")
    got, led = _read(p, batch=5, list_type="publicity", province="浙江")
    assert len(got) == 4
    assert got["city"].tolist() == ["杭州市", "温州市", "杭州市", "杭州市"]
    assert "unclosed quote: line read without quoting" in _reasons(led, 2)
    assert "stray quote character" in _reasons(led, 4)


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_legitimate_newline_inside_a_quoted_name(tmp_path: Path, eol: str) -> None:
    text = eol.join(["序号,企业名称,所在地", '1,"杭州集智机电' + eol + '股份有限公司",杭州市',
                     "2,温州聚星科技股份有限公司,温州市", ""])
    p = _csv(tmp_path, "nl.csv", text)
    got, led = _read(p, batch=5, list_type="publicity", province="浙江")
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "温州聚星科技股份有限公司"]
    assert got["source_row"].tolist() == [2, 4]  # physical lines: the quoted name spans lines 2-3
    merged = led[led["outcome"] == "merged"]
    assert merged[["source_row", "reason"]].values.tolist() == [[3, "line inside a quoted field"]]


def test_legitimate_comma_inside_a_quoted_field(tmp_path: Path) -> None:
    p = _csv(tmp_path, "comma.csv", '序号,企业名称,所在地,主导产品\n1,杭州集智机电股份有限公司,杭州市,"平衡机,测试仪"\n'
                                    '2,"库卡机器人(广东)有限公司",佛山市,"机器人,控制器"\n')
    got, led = _read(p, batch=3, list_type="final")
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "库卡机器人（广东）有限公司"]
    assert got["city"].tolist() == ["杭州市", "佛山市"]
    assert not led["reason"].str.contains("quote").any() and len(led) == 3


def test_truncated_last_line_is_flagged(tmp_path: Path) -> None:
    p = _csv(tmp_path, "cut.csv", "序号,企业名称,所在地\n1,甲科技有限公司,杭州市\n2,乙科技有限公司,杭州市\n3,丙科技有")
    got, led = _read(p, batch=5, list_type="publicity", province="浙江")
    assert got["raw_name"].tolist()[-1] == "丙科技有"
    assert {"truncated last line", "name does not look like a company"} <= _reasons(led, 4)


def test_truncated_last_line_of_a_two_column_list_is_flagged(tmp_path: Path) -> None:
    p = _csv(tmp_path, "cut2.csv", "序号,企业名称\n1,甲科技有限公司\n2,乙科技有限公司\n3,丙科技有")
    got, led = _read(p, batch=5, list_type="publicity", province="浙江")
    assert "name does not look like a company" in _reasons(led, 4)
    assert _reasons(led, 2) == {""} or "name does not look like a company" not in _reasons(led, 2)


def test_a_200k_character_cell_is_read_not_a_csv_error(tmp_path: Path) -> None:
    note = "很长的备注" * 40_000
    p = _csv(tmp_path, "big.csv", f"序号,企业名称,备注\n1,甲科技有限公司,{note}\n2,乙科技有限公司,\n")
    got, _led = _read(p, batch=2, list_type="final", province="浙江")
    assert got["name"].tolist() == ["甲科技有限公司", "乙科技有限公司"]


def test_trailing_blank_lines_are_counted_as_blank_lines(tmp_path: Path) -> None:
    p = _csv(tmp_path, "tail.csv", "企业名称\n甲科技有限公司\n\n\n")
    got, led = _read(p, batch=2, list_type="final", province="浙江")
    assert len(got) == 1
    assert led.loc[led["source_row"].isin([3, 4]), "reason"].tolist() == ["blank line", "blank line"]


# ------------------------------------------------------------------------------------ physical rows, every format


def _layout_with(foot: list[str]) -> "mf.Layout":
    lay = mf.Layout("hostile", [("title", [TITLE5]), ("header", ["序号", "企业名称", "所在地"]),
                                ("data", ["1", "杭州集智机电股份有限公司", "杭州市"]),
                                ("data", ["2", "温州聚星科技股份有限公司", "温州市"]),
                                *[("foot", [t]) for t in foot]])
    lay.width = 3
    return lay


FORMATS = ["xlsx", "xls", "csv", "csv_gbk", "html", "html_gbk", "docx", "pdf"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_footnote_without_a_note_marker_never_becomes_a_firm(tmp_path: Path, fmt: str) -> None:
    path = mf.WRITERS[fmt](_layout_with(["以上排名不分先后"]), tmp_path)
    got, led = _read(path)
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "温州聚星科技股份有限公司"]
    foot = led[led["detail"].astype(str).str.contains("不分先后")]
    assert foot["reason"].tolist() == ["footnote"] and foot["outcome"].tolist() == ["dropped"]
    assert set(got["batch"]) == {5} and set(got["list_type"]) == {"publicity"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [("以上排名不分先后", "footnote"), ("特此公示。", "footnote"), ("联系电话：0571-87052345", "footnote"),
     ("2023年7月14日", "date line"), ("浙江省经济和信息化厅", "signature"), ("共 2 家", "total line"),
     ("合计 2 家", "total line"), ("第 1 页", "page number"), ("注1：名单按地区排序", "footnote")],
)
def test_non_firm_rows_in_a_csv_list(tmp_path: Path, text: str, reason: str) -> None:
    p = _csv(tmp_path, "foot.csv", f"{TITLE5}\n序号,企业名称,所在地\n1,杭州集智机电股份有限公司,杭州市\n"
                                   f"2,温州聚星科技股份有限公司,温州市\n,{text},\n")
    got, led = _read(p)
    assert len(got) == 2
    assert _reasons(led, 5) == {reason}


def test_name_that_is_not_a_company_is_flagged(tmp_path: Path) -> None:
    p = _csv(tmp_path, "odd.csv", "序号,企业名称\n1,杭州集智机电股份有限公司\n2,西湖美景\n")
    got, led = _read(p, batch=5, list_type="publicity", province="浙江")
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "西湖美景"]
    assert "name does not look like a company" in _reasons(led, 3)
    assert "name does not look like a company" not in _reasons(led, 2)


def test_nested_html_table_is_not_appended_to_the_name(tmp_path: Path) -> None:
    p = tmp_path / "nested.html"
    p.write_text(f"<p>{TITLE5}</p><table><tr><th>序号</th><th>企业名称</th><th>所在地</th></tr>"
                 "<tr><td>1</td><td>杭州集智机电股份有限公司<table><tr><td>曾用名</td><td>杭州集智机电设备厂</td></tr>"
                 "</table></td><td>杭州市</td></tr><tr><td>2</td><td>温州聚星科技股份有限公司</td><td>温州市</td></tr>"
                 "</table>", encoding="utf-8")
    got, led = _read(p)
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "温州聚星科技股份有限公司"]
    flag = led[led["reason"] == "table nested in a cell (left out of the cell)"]
    assert len(flag) == 1 and "杭州集智机电设备厂" in flag["detail"].iloc[0]


def _workbook(path: Path, sheets: list[tuple[str, list[list], str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, state in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        ws.sheet_state = state
    wb.save(path)
    return path


def test_hidden_sheet_of_an_old_list_is_skipped_with_a_ledger_note(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "wb.xlsx", [
        ("第五批", [[TITLE5], ["序号", "企业名称", "所在地"], [1, "杭州集智机电股份有限公司", "杭州市"]], "visible"),
        ("旧名单", [["第三批专精特新“小巨人”企业名单"], ["序号", "企业名称", "所在地"],
                  [1, "浙江旧名单有限公司", "杭州市"], [2, "浙江另一旧名单有限公司", "杭州市"]], "hidden"),
    ])
    got, led = _read(p)
    assert got["name"].tolist() == ["杭州集智机电股份有限公司"] and set(got["batch"]) == {5}
    hidden = led[led["source_file"] == "wb.xlsx#旧名单"]
    assert hidden["reason"].tolist() == ["hidden sheet"] * 4 and set(hidden["outcome"]) == {"dropped"}


def test_hidden_sheet_is_read_when_named(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "wb2.xlsx", [
        ("当前", [[TITLE5], ["序号", "企业名称"], [1, "杭州集智机电股份有限公司"]], "visible"),
        ("旧名单", [["第三批专精特新“小巨人”企业名单"], ["序号", "企业名称"], [1, "浙江旧名单有限公司"]], "hidden"),
    ])
    got = D.read_list(p, sheet="旧名单", province="浙江")
    assert got[["name", "batch", "list_type"]].values.tolist() == [["浙江旧名单有限公司", 3, "final"]]


def test_very_hidden_sheet_is_skipped_too(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "wb3.xlsx", [
        ("当前", [[TITLE5], ["企业名称"], ["杭州集智机电股份有限公司"]], "visible"),
        ("x", [["企业名称"], ["不该读到有限公司"]], "veryHidden"),
    ])
    got, led = _read(p)
    assert got["name"].tolist() == ["杭州集智机电股份有限公司"]
    assert (led.loc[led["source_file"] == "wb3.xlsx#x", "reason"] == "hidden sheet").all()


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "html", "docx", "pdf"])
def test_ledger_counts_physical_rows_of_every_format(tmp_path: Path, fmt: str) -> None:
    path = mf.WRITERS[fmt](_layout_with(["注：排名不分先后", "2023年7月14日"]), tmp_path)
    cells = read_cells(path)
    _, led = D.read_list(path, return_ledger=True)
    led.reconcile(physical_rows(cells))
    terminal = led.frame().query("outcome != 'flagged'")
    assert len(terminal) == sum(physical_rows(cells).values()) == len(cells)
    assert {"title line", "header row", "footnote", "date line"} <= set(terminal["reason"])


def test_ledger_reconciliation_fails_when_a_line_is_lost() -> None:
    led = Ledger()
    led.add("a.csv", [1, 2], "kept")
    with pytest.raises(LedgerError, match="a.csv: 3 input rows but 2"):
        led.reconcile({"a.csv": 3})
    assert not isinstance(LedgerError("x"), AssertionError) and isinstance(LedgerError("x"), LgresearchError)


# ------------------------------------------------------------------------------------ context only from context


def test_note_cell_naming_another_batch_does_not_move_the_file(tmp_path: Path) -> None:
    p = _csv(tmp_path, "b5.csv", f"{TITLE5}\n序号,企业名称,所在地,备注\n"
                                 "1,杭州集智机电股份有限公司,杭州市,曾入选第三批复核\n"
                                 "2,温州聚星科技股份有限公司,温州市,\n")
    got, led = _read(p)
    assert set(got["batch"]) == {5} and set(got["list_type"]) == {"publicity"}
    assert "cell names another batch" in _reasons(led, 3)


def test_note_in_an_xlsx_without_title_does_not_give_the_batch(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "notitle.xlsx", [("Sheet1", [["序号", "企业名称", "备注"],
                                                           [1, "杭州集智机电股份有限公司", "第三批复核通过名单"]],
                                               "visible")])
    with pytest.raises(InputError, match=r"notitle\.xlsx, row 2: cannot tell the batch and list type"):
        D.read_list(p, province="浙江")


def test_data_cells_in_the_first_rows_are_not_the_title(tmp_path: Path) -> None:
    rows = "".join(f"{i},浙江第{i}号科技有限公司,第三批\n" for i in range(1, 4))
    p = _csv(tmp_path, "x.csv", "序号,企业名称,备注\n" + rows)
    with pytest.raises(InputError, match=r"x\.csv, row 2: cannot tell the batch"):
        D.read_list(p, province="浙江")


def test_blank_batch_cell_does_not_take_another_rows_batch(tmp_path: Path) -> None:
    p = _csv(tmp_path, "bc.csv", "序号,企业名称,批次\n1,甲科技有限公司,第五批\n2,乙科技有限公司,\n"
                                 "3,丙科技有限公司,第五批\n")
    with pytest.raises(InputError, match=r"bc\.csv, row 3: cannot tell the batch"):
        D.read_list(p, list_type="final", province="浙江")


@pytest.mark.parametrize("cell", ["0", "9", "第九批", "第十二批"])
def test_batch_cell_that_is_not_an_official_batch_is_an_error(tmp_path: Path, cell: str) -> None:
    p = _csv(tmp_path, "bad_batch.csv", f"序号,企业名称,批次\n1,甲科技有限公司,5\n2,乙科技有限公司,{cell}\n")
    with pytest.raises(InputError, match=r"bad_batch\.csv, row 3, column '批次': batch \d+ is not an official"):
        D.read_list(p, list_type="final", province="浙江")


@pytest.mark.parametrize("cell", ["abc", "待定", "5-6"])
def test_junk_batch_cell_is_an_error(tmp_path: Path, cell: str) -> None:
    p = _csv(tmp_path, "junk.csv", f"序号,企业名称,批次\n1,甲科技有限公司,{cell}\n")
    with pytest.raises(InputError, match=r"junk\.csv, row 2, column '批次': cannot read the batch"):
        D.read_list(p, list_type="final", province="浙江")


@pytest.mark.parametrize("batch", [0, 9, 20])
def test_batch_argument_that_is_not_official_is_an_error(tmp_path: Path, batch: int) -> None:
    p = _csv(tmp_path, "arg.csv", "企业名称\n甲科技有限公司\n")
    with pytest.raises(InputError, match=rf"arg\.csv: batch {batch} is not an official"):
        D.read_list(p, batch=batch, list_type="final", province="浙江")


def test_title_naming_a_batch_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    p = _csv(tmp_path, "t9.csv", "浙江省第九批专精特新“小巨人”企业名单\n企业名称\n甲科技有限公司\n")
    with pytest.raises(InputError, match=r"t9\.csv, row 3: batch 9 is not an official"):
        D.read_list(p)


def test_batch_cell_that_disagrees_with_the_title_is_flagged(tmp_path: Path) -> None:
    p = _csv(tmp_path, "dis.csv", f"{TITLE5}\n序号,企业名称,批次\n1,甲科技有限公司,第五批\n2,乙科技有限公司,第四批\n")
    got, led = _read(p)
    assert got["batch"].tolist() == [5, 4]
    assert "batch cell differs from the title" in _reasons(led, 4)


def test_sheet_name_gives_the_batch(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "book.xlsx",
                  [("第六批公示名单", [["序号", "企业名称"], [1, "甲科技有限公司"]], "visible")])
    got = D.read_list(p, province="浙江")
    assert got[["batch", "list_type"]].values.tolist() == [[6, "publicity"]]


# ------------------------------------------------------------------------------------ review outcomes


REVIEW = ("第二批专精特新“小巨人”企业复核结果\n序号,企业名称,所在地,复核结果\n1,甲科技有限公司,杭州市,通过\n"
          "2,乙科技有限公司,杭州市,不通过\n3,丙科技有限公司,温州市,未通过\n4,丁科技有限公司,温州市,撤销\n"
          "5,戊科技有限公司,温州市,取消\n")


def test_review_result_column_gives_review_outcome(tmp_path: Path) -> None:
    got, led = _read(_csv(tmp_path, "review.csv", REVIEW), province="浙江")
    assert got["review_outcome"].tolist() == ["passed", "failed", "failed", "withdrawn", "withdrawn"]
    assert led.query("outcome == 'flagged'")["reason"].tolist() == ["review failed", "review failed",
                                                                    "review withdrawn", "review withdrawn"]


def test_failed_review_rows_never_enter_the_panel(tmp_path: Path) -> None:
    review = _csv(tmp_path, "review.csv", REVIEW)
    final = pd.DataFrame({"name": ["甲科技有限公司", "乙科技有限公司", "丁科技有限公司"], "batch": 2,
                          "list_type": "final", "province": "浙江", "source_file": "final.csv"})
    panel, led = D.build_panel([review, final], write=False, return_ledger=True, as_of="2025-06-30")
    pairs = dict(zip(panel["name"] + "/" + panel["list_type"], panel["review_outcome"], strict=True))
    assert pairs == {"甲科技有限公司/final": "passed", "甲科技有限公司/review_passed": "passed",
                     "乙科技有限公司/final": "failed", "丁科技有限公司/final": "withdrawn"}
    lf = led.frame()
    dropped = lf[(lf["source_file"] == "review.csv") & (lf["outcome"] == "dropped")
                 & lf["reason"].str.startswith("review")]
    assert dropped[["source_row", "reason"]].values.tolist() == [
        [4, "review failed"], [5, "review failed"], [6, "review withdrawn"], [7, "review withdrawn"]]
    assert set(panel["review_outcome"]) <= set(D.REVIEW_OUTCOMES)


def test_unreadable_review_result_is_flagged(tmp_path: Path) -> None:
    p = _csv(tmp_path, "r2.csv", "第二批专精特新“小巨人”企业复核结果\n企业名称,复核结果\n甲科技有限公司,待定\n")
    got, led = _read(p, province="浙江")
    assert got["review_outcome"].isna().all()
    assert "unreadable review result" in _reasons(led, 3)


# ------------------------------------------------------------------------------------ encodings and headers


BIG5_TEXT = ("第五批專精特新“小巨人”企業名單公示\n序號,企業名稱,所在地\n1,台灣積體電路製造股份有限公司,杭州市\n"
             "2,鴻海精密工業股份有限公司,溫州市\n")


def test_big5_file_is_not_decoded_as_gbk_garbage(tmp_path: Path) -> None:
    p = tmp_path / "big5.csv"
    p.write_bytes(BIG5_TEXT.replace("“", '"').replace("”", '"').encode("big5"))
    cells = read_cells(p)
    assert cells.attrs["encoding"] == "big5"
    got = D.read_list(p, province="浙江")
    assert got["raw_name"].tolist() == ["台灣積體電路製造股份有限公司", "鴻海精密工業股份有限公司"]
    assert set(got["batch"]) == {5}


@pytest.mark.parametrize(("encoding", "label"), [("utf-16", "utf-16"), ("utf-16-le", "utf-16"),
                                                 ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"),
                                                 ("gbk", "gb18030")])
def test_every_encoding_gives_the_same_list(tmp_path: Path, encoding: str, label: str) -> None:
    text = f"{TITLE5}\n序号,企业名称,所在地\n1,杭州集智机电股份有限公司,杭州市\n2,温州聚星科技股份有限公司,温州市\n"
    p = tmp_path / "enc.csv"
    body = text.encode(encoding)
    p.write_bytes(("\ufeff" + text).encode("utf-16-le") if encoding == "utf-16-le" else body)
    got = D.read_list(p)
    assert read_cells(p).attrs["encoding"] == label
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "温州聚星科技股份有限公司"]
    assert got["city"].tolist() == ["杭州市", "温州市"]


def test_undecodable_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    p = tmp_path / "noise.csv"
    p.write_bytes(bytes(range(128, 256)) * 20)
    with pytest.raises(InputError, match=r"noise\.csv: cannot .*save the file as UTF-8"):
        D.read_list(p, batch=1, list_type="final")


def test_header_with_product_and_field_columns_is_accepted(tmp_path: Path) -> None:
    p = _csv(tmp_path, "prod.csv", "序号,企业名称,所在地区,主导产品,所属领域\n"
                                   "1,杭州集智机电股份有限公司,浙江,平衡机,高端装备\n")
    got = D.read_list(p, batch=5, list_type="publicity")
    assert got[["name", "province"]].values.tolist() == [["杭州集智机电股份有限公司", "浙江"]]


# ------------------------------------------------------------------------------------ dates in a 公示日期 column


def _dated(tmp_path: Path, cell: str) -> Path:
    return _csv(tmp_path, "dated.csv",
                f"{TITLE5}\n序号,企业名称,所在地,公示日期\n1,杭州集智机电股份有限公司,杭州市,{cell}\n")


@pytest.mark.parametrize(("cell", "date"), [("2023-07-14", "2023-07-14"), ("45000", "2023-03-15"),
                                            ("20230714", "2023-07-14"), ("2023年7月14日", "2023-07-14")])
def test_date_cells_are_read(tmp_path: Path, cell: str, date: str) -> None:
    got, _led = _read(_dated(tmp_path, cell))
    assert got["list_date"].tolist() == [date]
    panel = D.build_panel([_dated(tmp_path, cell)], write=False, as_of="2025-06-30")
    assert panel["event_date"].dt.strftime("%Y-%m-%d").tolist() == [date]


@pytest.mark.parametrize("cell", ["2023-02-30", "2023-13-01", "昨天"])
def test_impossible_date_is_flagged_not_silently_replaced(tmp_path: Path, cell: str) -> None:
    got, led = _read(_dated(tmp_path, cell))
    assert got["list_date"].isna().all()
    flag = led[led["reason"] == "unreadable date (official batch date used)"]
    assert flag["source_row"].tolist() == [3] and cell in flag["detail"].iloc[0]


def test_excel_serial_and_number_dates_in_a_workbook(tmp_path: Path) -> None:
    p = _workbook(tmp_path / "d.xlsx", [("名单", [[TITLE5], ["序号", "企业名称", "所在地", "公示日期"],
                                                [1, "杭州集智机电股份有限公司", "杭州市", 45000],
                                                [2, "温州聚星科技股份有限公司", "温州市", 20230714]], "visible")])
    got, _led = _read(p)
    assert got["list_date"].tolist() == ["2023-03-15", "2023-07-14"]


# ------------------------------------------------------------------------------------ vague errors


@pytest.mark.parametrize("ext", [".xlsx", ".xls", ".docx", ".pdf"])
def test_garbage_file_is_an_error_naming_the_file_and_what_to_do(tmp_path: Path, ext: str) -> None:
    p = tmp_path / f"garbage{ext}"
    p.write_bytes(b"PK\x03\x04 not really a zip \x00\x01\x02" * 10)
    with pytest.raises(InputError, match=rf"garbage\{ext}: cannot read the file as .*save it again"):
        D.read_list(p, batch=1, list_type="final")


def test_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.csv: file not found"):
        D.read_list(tmp_path / "nowhere.csv", batch=1, list_type="final")


def test_no_name_column_says_what_to_do(tmp_path: Path) -> None:
    p = _csv(tmp_path, "nocol.csv", "序号,地址\n1,杭州\n")
    with pytest.raises(InputError, match=r"nocol\.csv: no recognisable company-name column.*add a header row"):
        D.read_list(p, batch=1, list_type="final")


def test_unknown_province_cell_names_row_and_column(tmp_path: Path) -> None:
    p = _csv(tmp_path, "prov.csv", "序号,企业名称,省份\n1,甲科技有限公司,Atlantis\n")
    got, led = _read(p, batch=1, list_type="final")
    assert len(got) == 0
    drop = led[led["reason"] == "unknown province"]
    assert drop["source_row"].tolist() == [2] and "省份" in drop["detail"].iloc[0]


def test_errors_are_lgresearch_errors() -> None:
    err = InputError("a.csv", 3, "批次", "batch 9 is not an official national batch")
    assert isinstance(err, LgresearchError) and isinstance(err, ValueError)
    assert str(err) == "a.csv, row 3, column '批次': batch 9 is not an official national batch"
    from lgresearch.ledger import InputError as Reexported
    from lgresearch.ledger import LedgerError as ReexportedLedger

    assert Reexported is InputError and ReexportedLedger is LedgerError


def test_nested_docx_table_is_not_appended_to_the_name(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE5)
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate([["序号", "企业名称", "所在地"], ["1", "杭州集智机电股份有限公司", "杭州市"],
                               ["2", "温州聚星科技股份有限公司", "温州市"]]):
        for c, v in enumerate(cells):
            table.cell(r, c).text = v
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "曾用名"
    inner.cell(0, 1).text = "杭州集智机电设备厂"
    p = tmp_path / "nested.docx"
    document.save(str(p))
    got, led = _read(p)
    assert got["name"].tolist() == ["杭州集智机电股份有限公司", "温州聚星科技股份有限公司"]
    flag = led[led["reason"] == "table nested in a cell (left out of the cell)"]
    assert len(flag) == 1 and "杭州集智机电设备厂" in flag["detail"].iloc[0]


def test_list_type_cell_that_disagrees_with_the_title_is_flagged(tmp_path: Path) -> None:
    p = _csv(tmp_path, "lt.csv", f"{TITLE5}\n序号,企业名称,名单类型\n1,甲科技有限公司,公示\n2,乙科技有限公司,认定\n")
    got, led = _read(p, province="浙江")
    assert got["list_type"].tolist() == ["publicity", "final"]
    assert "list type cell differs from the title" in _reasons(led, 4)
    assert "list type cell differs from the title" not in _reasons(led, 3)
