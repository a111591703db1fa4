"""Tests for lgresearch.io.read_cells: every format, encodings, merged cells, row numbers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from lgresearch.io import cell_text, decode_text, read_cells, table_format
from lgresearch.ledger import InputError

HERE = Path(__file__).parent


def _fixtures():
    spec = importlib.util.spec_from_file_location(
        "designation_fixtures", HERE / "fixtures" / "designations" / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["designation_fixtures"] = mod
    spec.loader.exec_module(mod)
    return mod


mf = _fixtures()


def cells_of(frame) -> list[list[str]]:
    cols = [c for c in frame.columns if c.startswith("c")]
    return [[v for v in row if v != ""] for row in frame[cols].values.tolist()]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_detected(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes("序号,企业名称,省份\n1,杭州集智机电股份有限公司,浙江省\n".encode(encoding))
    frame = read_cells(p)
    assert frame["c1"].tolist() == ["企业名称", "杭州集智机电股份有限公司"]
    assert frame["source_row"].tolist() == [1, 2]
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030"}[encoding]
    assert frame.attrs["encoding"] == expected


def test_csv_delimiters_blank_rows_and_wrapped_cells(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_text('序号\t企业名称\n\n1\t"杭州集智机电\n股份有限公司"\n2\tABC\n', encoding="utf-8")
    frame = read_cells(p)
    assert frame["source_row"].tolist() == [1, 2, 3, 5]  # physical lines: the quoted field spans lines 3-4
    assert frame["c1"].tolist() == ["企业名称", "", "杭州集智机电股份有限公司", "ABC"]
    assert frame.attrs["physical_rows"] == {"t.tsv": 5}
    assert frame.attrs["ledger_notes"] == [("t.tsv", 4, "merged", "line inside a quoted field", "continues row 3")]


def test_undecodable_text_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        decode_text(b"\xff\xfe\xfa\x80\x81", "x.csv", encodings=("utf-8",))


def test_xlsx_merged_cells_expanded_and_row_numbers(tmp_path: Path) -> None:
    lay = mf.layout_national_columns()
    frame = read_cells(mf.write_xlsx(lay, tmp_path / "n.xlsx"))
    assert frame["source_row"].tolist() == list(range(1, len(lay.rows) + 1))
    rows = frame.set_index("source_row")
    # the title row is merged across the table: every cell shows it
    assert rows.loc[2, ["c0", "c1", "c2", "c3"]].tolist() == ["第五批专精特新“小巨人”企业名单公示"] * 4
    # province cells merged vertically: every firm row shows its province
    provinces = rows.loc[4:, "c3"].tolist()
    assert "" not in [p for p, (k, _) in zip(provinces, lay.rows[3:], strict=False) if k == "data"]
    assert frame["c0"].iloc[3] == "1"  # integers come back without ".0"


def test_xls_via_calamine(tmp_path: Path) -> None:
    lay = mf.layout_province_groups()
    frame = read_cells(mf.write_xls(lay, tmp_path / "p.xls"))
    assert frame.attrs["format"] == "xls"
    assert cells_of(frame)[2] == ["一、北京市"] * 3  # merged group row: the text in every cell
    assert frame["c1"].tolist()[3] == "北京臻迪科技股份有限公司"


def test_workbook_sheets(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["企业名称"])
    wb.active.append(["甲公司"])
    second = wb.create_sheet("第二页")
    second.append(["企业名称"])
    wb.create_sheet("empty")
    p = tmp_path / "s.xlsx"
    wb.save(p)
    frame = read_cells(p)
    assert sorted(set(frame["source_file"])) == ["s.xlsx", "s.xlsx#第二页"]
    assert len(read_cells(p, sheet="第二页")) == 1
    with pytest.raises(InputError, match="no sheet"):
        read_cells(p, sheet="nope")


def test_html_spans_breaks_and_text_outside_tables(tmp_path: Path) -> None:
    lay = mf.layout_wrapped()
    frame = read_cells(mf.write_html(lay, tmp_path / "w.html"))
    got = cells_of(frame)
    assert got[0] == ["宁波市第四批专精特新“小巨人”企业名单"]
    assert got[1] == ["序号", "单位名称", "单位名称", "所在地"]  # colspan repeated
    assert frame["block"].tolist()[0] == 0 and frame["block"].tolist()[1] == 1
    assert "第 1 页" in got[-1]
    # a <br/> inside a cell is a wrapped line: joined without a space between Chinese characters
    assert any("股份有限公司" in " ".join(r) and "股份 有限" not in " ".join(r) for r in got)


def test_html_gbk_meta_charset(tmp_path: Path) -> None:
    frame = read_cells(mf.write_html(mf.layout_sections(), tmp_path / "s.htm", "gbk"))
    assert frame.attrs["encoding"] == "gb18030"
    assert "公司名称" in cells_of(frame)[2]


def test_docx_tables_paragraphs_and_merges(tmp_path: Path) -> None:
    lay = mf.layout_national_columns()
    frame = read_cells(mf.write_docx(lay, tmp_path / "n.docx"))
    got = cells_of(frame)
    assert got[0] == ["附件"] and got[1] == ["第五批专精特新“小巨人”企业名单公示"]
    assert got[2] == ["序号", "企业名称", "统一社会信用代码", "省份"]
    data = frame[frame["block"] == 1]
    firm_rows = data[data["c0"].str.fullmatch(r"\d+")]
    assert (firm_rows["c3"] != "").all()  # vertically merged province cells filled
    assert got[-1] == ["注：以上企业排名不分先后"]


def test_pdf_tables_text_lines_and_pages(tmp_path: Path) -> None:
    lay = mf.big_layout(120)
    frame = read_cells(mf.write_pdf(lay, tmp_path / "big.pdf"))
    assert frame["page"].max() >= 2
    assert frame["source_row"].tolist() == list(range(1, len(frame) + 1))
    headers = frame[frame["c1"] == "企业名称"]
    assert len(headers) == frame["page"].max()  # the header is repeated on every page
    firms = frame[frame["c0"].str.fullmatch(r"\d+") & (frame["block"] > 0)]
    assert len(firms) == 120
    assert frame["c0"].iloc[0] == "第六批专精特新“小巨人”企业名单公示"
    assert frame["c0"].str.startswith("第 ").sum() == frame["page"].max()  # page footers as text rows


def test_cell_text() -> None:
    import datetime as dt

    assert cell_text(1.0) == "1" and cell_text(1.5) == "1.5" and cell_text(float("nan")) == ""
    assert cell_text(dt.datetime(2023, 7, 14)) == "2023-07-14"
    assert cell_text(True) == "True"


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported"):
        table_format("x.json")
    with pytest.raises(InputError, match="not found"):
        read_cells(tmp_path / "missing.csv")
    for ext in (".xlsx", ".xls", ".pdf", ".docx"):
        p = tmp_path / f"corrupt{ext}"
        p.write_bytes(b"this is not a real file \x00\x01")
        with pytest.raises(InputError) as err:
            read_cells(p)
        assert p.name in str(err.value)


def test_empty_csv(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("", encoding="utf-8")
    assert len(read_cells(p)) == 0


# ------------------------------------------------------------------ raw cells (the deal readers' view of a file)


def test_raw_csv_cells_are_kept_as_written(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text('企业,投资方\n甲," X资本\n【一号基金】 "\n', encoding="utf-8")
    raw, clean = read_cells(p, raw=True), read_cells(p)
    assert raw["c1"].tolist() == ["投资方", " X资本\n【一号基金】 "]
    assert clean["c1"].tolist() == ["投资方", "X资本【一号基金】"]
    assert raw["source_row"].tolist() == clean["source_row"].tolist() == [1, 2]
    assert raw.attrs["physical_rows"] == {"r.csv": 3}
    assert raw["c1"].dtype == object


def test_delimiter_given_is_used_instead_of_sniffing(tmp_path: Path) -> None:
    p = tmp_path / "pipes.csv"
    p.write_text("企业,地区\n甲,中国|浙江|杭州\n乙,中国|江苏|南京\n", encoding="utf-8")
    assert read_cells(p, delimiter=",")["c1"].tolist() == ["地区", "中国|浙江|杭州", "中国|江苏|南京"]
    assert read_cells(p, delimiter=",").attrs["delimiter"] == ","


def test_raw_workbook_cells_keep_types_merges_and_trailing_rows(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业", "金额"])
    ws.append(["甲", 20.5])
    ws.append(["乙", 3])
    ws.merge_cells("A2:A3")
    ws.append([None, None])
    ws.append([" ", None])  # a blank-looking last row: a physical row a person sees
    wb.save(tmp_path / "w.xlsx")
    raw = read_cells(tmp_path / "w.xlsx", sheet=0, raw=True)
    text = read_cells(tmp_path / "w.xlsx", sheet=0)
    assert raw["c1"].tolist()[1:3] == [20.5, 3]
    assert raw["c0"].tolist()[1:3] == ["甲", ""]  # the merged range as stored: value in its first cell only
    assert text["c0"].tolist()[1:3] == ["甲", "甲"] and text["c1"].tolist()[1:3] == ["20.5", "3"]
    assert len(raw) == 5 and len(text) == 3  # raw keeps the blank rows at the end of the sheet
    assert raw.attrs["physical_rows"] == {"w.xlsx": 5} and text.attrs["physical_rows"] == {"w.xlsx": 3}
