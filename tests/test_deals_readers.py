"""The deals_readers package after the 1.0 split: sections, names kept, read_table on io.read_cells, collapse rules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lgresearch import io, sources
from lgresearch.deals_readers import collapse, core, rows, schema, table, zero2ipo
from lgresearch.errors import InputError
from lgresearch.ledger import Ledger

#: Every name ``lgresearch.deals_readers.core`` held in release 0.x (public, and private ones other code used).
CORE_0X = [
    "DEAL_COLUMNS", "STR_COLUMNS", "FLOAT_COLUMNS", "VALUATION_BASES", "AMOUNT_STATUSES", "IMPLIED_TOLERANCE",
    "VALUATION_CONFLICT_TOLERANCE", "UNDISCLOSED_FIRM", "INPUT_FIELDS", "DEAL_SCHEMA", "as_text", "empty_events",
    "validate_events", "DealMapping", "read_table", "table_ledger", "events_from_rows", "first_rows_index",
    "finalize_events", "read_with_mapping", "_CHINA", "_blank", "_checked_uscc", "_clean_text", "_collapse",
    "_field", "_fill", "_location", "_number", "_split_investors", "_hash", "_group_lists", "_str_or_na",
    "_is_list_of_str", "_str_col",
]
MAPPING = {"firm_name": "企业", "date": "日期", "round": "轮次", "amount": "金额", "investor": "投资方",
           "stake_pct": "股权%", "post_money_cny": "估值"}


def test_core_keeps_every_name_of_release_0x() -> None:
    missing = [n for n in CORE_0X if not hasattr(core, n)]
    assert not missing
    assert core.read_table is table.read_table and core.events_from_rows is rows.events_from_rows
    assert core.DEAL_COLUMNS is schema.DEAL_COLUMNS and core._collapse is collapse.collapse_rows


def test_zero2ipo_default_parts_come_from_the_sources_registry() -> None:
    assert zero2ipo.DEFAULT_PARTS == sources.parts("zero2ipo")


def test_read_table_rows_are_read_cells_rows_below_the_header(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text('私募通导出\n\n企业,日期,投资方\n甲,2021-03-01," X资本\n一号 "\n乙,2022-01-01,Y\n', encoding="gbk")
    got = table.read_table(p, header_names=["企业", "日期"])
    cells = io.read_cells(p, raw=True, delimiter=",")
    below = cells.iloc[3:]
    assert got[["企业", "日期", "投资方"]].values.tolist() == below[["c0", "c1", "c2"]].values.tolist()
    assert got["_row"].tolist() == below["source_row"].tolist() == [4, 6]
    assert got["投资方"].tolist() == [" X资本\n一号 ", "Y"]  # as written, not cleaned
    led, n = table.table_ledger(got)
    assert n == {"e.csv": 6} == io.physical_rows(cells)
    assert led.frame()[["source_row", "outcome", "reason"]].values.tolist() == [
        [1, "dropped", "title line"], [2, "dropped", "blank line"], [3, "dropped", "header row"],
        [5, "merged", "line inside a quoted field"]]
    assert got.attrs.keys() == {"table_ledger"}


def test_read_table_tsv_splits_on_tabs_only(tmp_path: Path) -> None:
    p = tmp_path / "e.tsv"
    p.write_text("企业\t地区\n甲\t中国,浙江\n", encoding="utf-8")
    assert table.read_table(p)[["企业", "地区"]].values.tolist() == [["甲", "中国,浙江"]]


def test_workbook_trailing_blank_rows_are_accounted(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    for r in (["企业", "日期", "轮次"], ["测试甲科技有限公司", "2021-03-01", "A轮"], [None, None, None],
              [" ", None, None]):
        wb.active.append(r)
    wb.save(tmp_path / "t.xlsx")
    ev, led = core.read_with_mapping(tmp_path / "t.xlsx", core.DealMapping(
        {"firm_name": "企业", "date": "日期", "round": "轮次"}), as_of="2024-06-30")
    assert len(ev) == 1
    assert led.frame().groupby("outcome").size().to_dict() == {"dropped": 3, "kept": 1}
    assert led.summary() == "4 rows: 1 kept, 0 merged, 3 dropped (0 flagged)"


def test_missing_sheet_names_the_sheets(tmp_path: Path) -> None:
    import openpyxl

    openpyxl.Workbook().save(tmp_path / "s.xlsx")
    with pytest.raises(InputError, match=r"s\.xlsx: no sheet 'Deals'; sheets are \['Sheet'\]"):
        table.read_table(tmp_path / "s.xlsx", sheet="Deals")


def _events(frame: pd.DataFrame, **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    led = Ledger()
    m = core.DealMapping({k: v for k, v in MAPPING.items() if v in frame.columns}, investor_level=True,
                         default_currency="CNY", **kw)
    ev = rows.events_from_rows(frame.assign(_row=range(2, 2 + len(frame))), m, source_file="f.csv", ledger=led,
                               as_of="2024-06-30")
    return ev, led.frame()


def test_collapse_sums_amounts_and_keeps_the_median_of_conflicting_valuations() -> None:
    frame = pd.DataFrame({"企业": ["测试甲科技有限公司"] * 3, "日期": ["2021-03-01"] * 3, "轮次": ["A轮"] * 3,
                          "金额": ["1000万", "500万", "未透露"], "投资方": ["X", "Y", "Z"],
                          "估值": ["1亿", "1.2亿", "1亿"]})
    ev, led = _events(frame)
    assert ev[["amount_cny", "amount_status", "n_investors", "post_money_cny"]].values.tolist() == [
        [15e6, "partial", 3, 1e8]]
    assert ev["amount_cny_high"].tolist() == [float("inf")]
    conflict = led[led["reason"] == "conflicting valuations within one event (median kept)"]
    assert conflict["source_row"].tolist() == [2, 3, 4]
    assert led.groupby("outcome").size().to_dict() == {"flagged": 3, "kept": 1, "merged": 2}


def test_collapse_implied_valuation_and_stakes_above_100_percent() -> None:
    frame = pd.DataFrame({"企业": ["测试乙科技有限公司"] * 2, "日期": ["2022-05-10"] * 2, "轮次": ["B轮"] * 2,
                          "金额": ["3000万", "2000万"], "投资方": ["X", "Y"], "股权%": ["60", "50"]})
    ev, led = _events(frame)
    assert ev["stake_pct"].isna().all() and ev["valuation_basis"].tolist() == ["implied"]
    assert ev["post_money_cny"].tolist() == [pytest.approx(5e7 / 110 * 100)]
    assert set(led.loc[led["outcome"] == "flagged", "reason"]) == {
        "stakes of one event sum above 100% (event stake set missing)"}


def test_duplicate_investor_row_is_dropped_with_the_row_it_repeats() -> None:
    frame = pd.DataFrame({"企业": ["测试丙科技有限公司"] * 3, "日期": ["2023-01-09"] * 3, "轮次": ["天使轮"] * 3,
                          "金额": ["500万", "500万", "500万"], "投资方": ["X", "X", "Y"]})
    ev, led = _events(frame)
    assert ev["amount_cny"].tolist() == [10e6] and ev["source_rows"].tolist() == [[2, 4]]
    dropped = led[led["outcome"] == "dropped"]
    assert dropped[["source_row", "reason", "detail"]].values.tolist() == [
        [3, "duplicate investor row", "same as row 2"]]
