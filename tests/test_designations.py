"""Tests for lgresearch.designations: reading every list layout and format, the panel, the check, the CLI."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from lgresearch import designations as D
from lgresearch import listed, paths
from lgresearch.analyses import composition
from lgresearch.io import read_cells
from lgresearch.ledger import InputError, Ledger

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location(
    "designation_fixtures", HERE / "fixtures" / "designations" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
sys.modules["designation_fixtures"] = mf
_spec.loader.exec_module(mf)

COLS = ["name", "province", "city", "batch", "list_type"]


@pytest.fixture(scope="session")
def fixture_files(tmp_path_factory) -> dict:
    return mf.write_all(tmp_path_factory.mktemp("designations"))


def _as_lists(frame: pd.DataFrame, cols: list[str]) -> list[list]:
    sub = frame[cols].astype(object)
    return sub.where(sub.notna(), None).values.tolist()


def _reconciles(led: Ledger, path: Path) -> None:
    cells = read_cells(path)
    led.reconcile(cells.groupby("source_file").size().to_dict())


@pytest.mark.parametrize("fmt", list(mf.WRITERS))
@pytest.mark.parametrize("layout", list(mf.LAYOUTS))
def test_every_layout_in_every_format(fixture_files: dict, layout: str, fmt: str) -> None:
    lay = mf.LAYOUTS[layout]()
    path = fixture_files[(layout, fmt)]
    got, led = D.read_list(path, return_ledger=True)
    expected = pd.DataFrame(lay.expected)
    assert _as_lists(got, COLS) == _as_lists(expected, COLS)
    if "uscc" in expected:
        assert _as_lists(got, ["uscc"]) == _as_lists(expected, ["uscc"])
    if "issuer" in expected:
        assert got["issuer"].tolist() == expected["issuer"].tolist()
    counts = led.frame()["outcome"].value_counts()
    assert int(counts.get("merged", 0)) == lay.n_continuations
    assert int(counts.get("kept", 0)) == len(expected)
    _reconciles(led, path)
    assert list(got.columns) == D.LIST_COLUMNS


def test_ledger_reasons_for_layout_rows(fixture_files: dict) -> None:
    _, led = D.read_list(fixture_files[("city_groups", "xlsx")], return_ledger=True)
    reasons = led.frame().groupby("reason").size().to_dict()
    assert reasons["title line"] == 2 and reasons["header row"] == 1 and reasons["group row"] == 2
    assert reasons["blank line"] == 2 and reasons["footnote"] == 1
    _, led = D.read_list(fixture_files[("national_columns", "csv")], return_ledger=True)
    frame = led.frame()
    assert (frame["reason"] == "repeated header").sum() == 1
    bad = frame[frame["reason"] == "invalid USCC"]
    assert len(bad) == 1 and bad["outcome"].iloc[0] == "flagged"


def test_explicit_arguments_win(fixture_files: dict) -> None:
    got = D.read_list(fixture_files[("city_groups", "csv")], batch=3, list_type="final")
    assert set(got["batch"]) == {3} and set(got["list_type"]) == {"final"}
    got = D.read_list(fixture_files[("sections", "xlsx")], batch=6)
    assert set(got["batch"]) == {6}
    assert got["list_type"].tolist() == ["final", "final", "review_passed"]


def test_province_argument_for_lists_without_region(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("序号,企业名称\n1,甲科技有限公司\n", encoding="utf-8")
    got = D.read_list(p, batch=6, list_type="publicity", province="Xiamen")
    assert got[["province", "city", "issuer"]].values.tolist() == [["福建", "厦门市", "厦门"]]
    with pytest.raises(InputError, match="unknown province argument"):
        D.read_list(p, batch=6, list_type="publicity", province="Atlantis")
    with pytest.raises(InputError, match="list_type"):
        D.read_list(p, batch=6, list_type="weird")


def test_batch_and_list_type_from_file_name(tmp_path: Path) -> None:
    p = tmp_path / "江苏省第六批专精特新小巨人企业公示名单.csv"
    p.write_text("企业名称\n甲科技有限公司\n", encoding="utf-8")
    got = D.read_list(p)
    assert got[["province", "batch", "list_type"]].values.tolist() == [["江苏", 6, "publicity"]]


def test_missing_batch_is_an_error_naming_the_file(tmp_path: Path) -> None:
    p = tmp_path / "names.csv"
    p.write_text("企业名称,省份\n甲科技有限公司,浙江\n", encoding="utf-8")
    with pytest.raises(InputError, match="names.csv.*batch"):
        D.read_list(p)


def test_no_name_column_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("第五批专精特新“小巨人”企业名单\n序号,地址\n1,杭州\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.csv.*company-name column"):
        D.read_list(p)


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="broken.xlsx"):
        D.read_list(p, batch=1, list_type="final")


def test_unknown_province_row_is_a_counted_drop(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text("序号,企业名称,省份\n1,甲科技有限公司,浙江省\n2,乙科技有限公司,Atlantis\n", encoding="utf-8")
    got, led = D.read_list(p, batch=4, list_type="final", return_ledger=True)
    assert got["name"].tolist() == ["甲科技有限公司"]
    drop = led.frame().query("outcome == 'dropped' and reason == 'unknown province'")
    assert drop["source_row"].tolist() == [3]
    assert "省份" in drop["detail"].iloc[0] and "Atlantis" in drop["detail"].iloc[0]
    led.reconcile({"p.csv": 3})


def test_wrapped_name_without_sequence_column(tmp_path: Path) -> None:
    p = tmp_path / "w.csv"
    p.write_text("企业名称,地市\n浙江某某新材料科技,杭州市\n有限公司,\n温州聚星科技股份有限公司,温州市\n",
                 encoding="utf-8")
    got, led = D.read_list(p, batch=5, list_type="publicity", province="浙江", return_ledger=True)
    assert got["name"].tolist() == ["浙江某某新材料科技有限公司", "温州聚星科技股份有限公司"]
    assert got["city"].tolist() == ["杭州市", "温州市"]
    assert led.frame().query("outcome == 'merged'")["source_row"].tolist() == [3]


def test_two_region_columns_and_totals(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("第三批专精特新“小巨人”企业名单\n序号,企业名称,省份,地市\n1,甲科技有限公司,广东,佛山\n"
                 "2,乙科技有限公司,广东省,深圳市\n合计,2家,,\n- 2 -\n", encoding="utf-8")
    got, led = D.read_list(p, return_ledger=True)
    assert got[["city", "issuer", "separately_planned"]].values.tolist() == [
        ["佛山市", "广东", False], ["深圳市", "深圳", True]]
    reasons = set(led.frame()["reason"])
    assert {"total line", "page number"} <= reasons


@pytest.mark.parametrize(
    ("text", "batch", "list_type"),
    [("附件：第五批专精特新“小巨人”企业名单（公示）", 5, "publicity"),
     ("关于第四批专精特新“小巨人”企业和第一批专精特新“小巨人”企业复核通过名单的公告", 4, "final"),
     ("第二批专精特新“小巨人”企业复核通过名单", 2, "review_passed"),
     ("2022年度专精特新“小巨人”企业名单", 4, "final"),
     ("2023年专精特新“小巨人”复核通过企业名单", 2, "review_passed"),
     ("第十批", 10, None)],
)
def test_infer_context(text: str, batch: int, list_type: str | None) -> None:
    info = D.infer_context(text)
    assert info["batch"] == batch and info["list_type"] == list_type


def test_header_field_variants() -> None:
    for text, field in [("序号", "seq"), ("企业名称", "name"), ("单位名称", "name"), ("公司名称", "name"),
                        ("申报企业", "name"), ("省份", "province"), ("地区", "province"), ("所在地", "province"),
                        ("地市", "city"), ("推荐单位", "province"), ("统一社会信用代码", "uscc"),
                        ("企 业 名 称", "name"), ("省（区、市）", "province")]:
        assert D.header_field(text) == field, text


# -------------------------------------------------------------------------------------------------- panel


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_panel_deduplicates_across_files_and_flags_conflicting_provinces(tmp_path: Path, fixture_files) -> None:
    a = fixture_files[("national_columns", "xlsx")]
    b = _write(tmp_path, "extra.csv", "第五批专精特新“小巨人”企业名单公示\n序号,企业名称,省份\n"
               "1,北京臻迪科技股份有限公司,河北省\n2,杭州集智机电股份有限公司,浙江\n3,新的企业有限公司,浙江\n")
    panel, led = D.build_panel([a, b], return_ledger=True, out=tmp_path / "out", as_of="2025-06-30")
    assert list(panel.columns) == D.PANEL_COLUMNS
    assert len(panel) == 10  # 9 firms in the national file + 1 new
    assert not panel.duplicated(["firm_id", "batch", "list_type"]).any()
    zd = panel[panel["name"] == "北京臻迪科技股份有限公司"].iloc[0]
    assert zd["province"] == "北京" and bool(zd["province_conflict"]) and zd["n_sources"] == 2
    lf = led.frame()
    merged = lf[lf["outcome"] == "merged"]
    assert set(merged["reason"]) == {"duplicate firm", "duplicate firm with a conflicting province"}
    assert set(merged["source_file"]) == {"extra.csv"}
    # every input row of both files has exactly one outcome
    led.reconcile({a.name: len(read_cells(a)), b.name: len(read_cells(b))})
    assert (tmp_path / "out" / D.PANEL_FILE).exists() and (tmp_path / "out" / D.LEDGER_FILE).exists()
    back = pd.read_parquet(tmp_path / "out" / D.PANEL_FILE)
    assert len(back) == len(panel)
    written = pd.read_csv(tmp_path / "out" / D.LEDGER_FILE)
    assert len(written) == len(lf)


def test_panel_firm_id_prefers_uscc_and_joins_official_dates(tmp_path: Path, fixture_files) -> None:
    a = fixture_files[("national_columns", "csv")]
    code = mf.make_uscc(1)
    b = _write(tmp_path, "final.csv", "第五批专精特新“小巨人”企业名单\n企业名称,省份\n北京臻迪科技股份有限公司,北京\n")
    panel = D.build_panel([a, b], write=False, as_of="2025-06-30")
    rows = panel[panel["name"] == "北京臻迪科技股份有限公司"]
    assert rows["firm_id"].tolist() == [code, code]
    assert set(rows["id_type"]) == {"uscc"}
    assert rows["list_type"].tolist() == ["final", "publicity"]
    assert set(rows["cohort_year"]) == {2023}
    pub = rows[rows["list_type"] == "publicity"].iloc[0]
    assert pub["event_date"] == pub["publicity_start"] and pd.notna(pub["event_date"])
    no_code = panel[panel["id_type"] == "name"]
    assert (no_code["firm_id"] == no_code["name"]).all()


def test_aliases_rename_firms(tmp_path: Path) -> None:
    f = pd.DataFrame({"name": ["旧名科技有限公司", "新名科技有限公司"], "batch": [3, 3],
                      "list_type": ["publicity", "final"], "province": ["浙江", "浙江"]})
    alias = _write(tmp_path, "aliases.csv", "old_name,new_name\n旧名科技有限公司,新名科技有限公司\n")
    panel, led = D.build_panel([f], aliases=alias, write=False, return_ledger=True)
    assert panel["firm_id"].nunique() == 1
    assert sorted(panel["name_as_listed"]) == ["新名科技有限公司", "旧名科技有限公司"]
    assert "renamed by alias table" in set(led.frame()["reason"])
    cyc = pd.DataFrame({"old_name": ["甲公司", "乙公司"], "new_name": ["乙公司", "甲公司"]})
    with pytest.raises(InputError, match="cycle"):
        D.read_aliases(cyc)
    with pytest.raises(InputError, match="old_name,new_name"):
        D.read_aliases(_write(tmp_path, "bad_alias.csv", "a,b\nx,y\n"))


def test_review_outcomes(tmp_path: Path) -> None:
    final = pd.DataFrame({"name": ["甲有限公司", "乙有限公司", "丙有限公司"], "batch": 2, "list_type": "final",
                          "province": ["浙江", "浙江", "江苏"]})
    review = pd.DataFrame({"name": ["甲有限公司"], "batch": 2, "list_type": "review_passed",
                           "province": ["浙江"], "source_file": "review.csv"})
    later = pd.DataFrame({"name": ["丁有限公司"], "batch": 5, "list_type": "final", "province": ["浙江"],
                          "source_file": "b5.csv"})
    panel = D.build_panel([final, review, later], write=False, as_of="2025-06-30")
    out = dict(zip(panel["name"] + "/" + panel["list_type"], panel["review_outcome"], strict=True))
    assert out["甲有限公司/final"] == "passed" and out["甲有限公司/review_passed"] == "passed"
    assert out["乙有限公司/final"] == "not on the pass list"
    assert out["丙有限公司/final"] == "review list not supplied"  # Jiangsu's pass list was not read
    assert out["丁有限公司/final"] == "not yet reviewed"
    assert set(panel["review_outcome"]) <= set(D.REVIEW_OUTCOMES)


def test_frame_inputs_are_validated() -> None:
    with pytest.raises(InputError, match="batch"):
        D.build_panel([pd.DataFrame({"name": ["甲公司"]})], write=False)
    with pytest.raises(InputError):
        D.build_panel([pd.DataFrame({"name": ["甲公司"], "batch": [1], "list_type": ["odd"]})], write=False)


# -------------------------------------------------------------------------------------------------- check


def _official(n_final: int) -> pd.DataFrame:
    return pd.DataFrame({"batch": [1], "cohort_year": [2019], "launch_date": [pd.NaT],
                         "publicity_start": [pd.Timestamp("2019-05-01")], "publicity_end": [pd.NaT],
                         "announcement_date": [pd.Timestamp("2019-06-13")], "count_publicity": [n_final],
                         "count_final": [n_final], "review_year": [2022], "review_passed": [pd.NA]})


def test_check_against_official_counts_and_shares() -> None:
    ob = _official(10)
    pc = pd.DataFrame({"batch": [1, 1], "scope": ["final", "final"], "unit": ["province", "city"],
                       "province": ["北京", "深圳"], "count": [2, 1], "source_url": "", "source_note": ""})
    f = pd.DataFrame({"name": [f"企业{i}有限公司" for i in range(10)], "batch": 1, "list_type": "final",
                      "province": ["北京"] * 9 + ["深圳"]})
    panel = D.build_panel([f], write=False, official_batches=ob)
    chk = D.check_against_official(panel, official_batches=ob, province_counts=pc)
    b = chk[(chk["level"] == "batch") & (chk["list_type"] == "final")].iloc[0]
    assert (b["found"], b["official"], b["status"]) == (10, 10, "complete")
    bj = chk[(chk["level"] == "province") & (chk["province"] == "北京")].iloc[0]
    assert bj["status"] == "implausible share" and bj["found"] == 9 and bj["official"] == 2
    sz = chk[chk["level"] == "separately planned city"].iloc[0]
    assert (sz["province"], sz["found"], sz["official"], sz["status"]) == ("深圳", 1, 1, "complete")
    pub = chk[(chk["level"] == "batch") & (chk["list_type"] == "publicity")].iloc[0]
    assert pub["status"] == "none read"


def test_check_more_than_official() -> None:
    ob = _official(2)
    f = pd.DataFrame({"name": ["甲有限公司", "乙有限公司", "丙有限公司"], "batch": 1, "list_type": "final",
                      "province": "北京"})
    panel = D.build_panel([f], write=False, official_batches=ob)
    chk = D.check_against_official(panel, official_batches=ob, province_counts=pd.DataFrame(
        columns=["batch", "scope", "unit", "province", "count", "source_url", "source_note"]))
    assert chk.loc[(chk["level"] == "batch") & (chk["list_type"] == "final"), "status"].item() == \
        "more than official"


# ---------------------------------------------------------------------------------------------------- CLI


def test_cli_build_writes_panel_ledger_and_check(tmp_path: Path, fixture_files, capsys) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    for key in [("city_groups", "pdf"), ("national_columns", "docx"), ("wrapped", "xls")]:
        src = fixture_files[key]
        (folder / src.name).write_bytes(src.read_bytes())
    (folder / "README.md").write_text("notes", encoding="utf-8")
    out = tmp_path / "out"
    from lgresearch.cli import main

    assert main(["designations", "build", str(folder), "--out", str(out)]) == 0
    for name in (D.PANEL_FILE, D.LEDGER_FILE, D.CHECK_FILE):
        assert (out / name).exists()
    text = capsys.readouterr().out
    assert "kept" in text and "batch 2 review_passed" in text
    panel = pd.read_parquet(out / D.PANEL_FILE)
    assert len(panel) == 9 + 9 + 4  # 宁波中意 is in two files, but in different batches: two events
    assert D.cli_build([tmp_path / "nothing-here.csv"]) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert D.cli_build([empty]) == 2
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.csv").write_text("序号,地址\n1,杭州\n", encoding="utf-8")
    assert D.cli_build([bad], out=tmp_path / "o2") == 1
    assert "company-name column" in capsys.readouterr().err


def test_build_processed(tmp_path: Path, monkeypatch, fixture_files) -> None:
    lists = tmp_path / "raw" / "designations"
    monkeypatch.setattr(paths, "user_lists_dir", lambda: lists)
    monkeypatch.setenv(paths.PROCESSED_ENV, str(tmp_path / "processed"))
    assert D.build_processed() == []
    lists.mkdir(parents=True)
    assert D.build_processed() == []
    src = fixture_files[("province_groups", "csv_gbk")]
    (lists / src.name).write_bytes(src.read_bytes())
    (lists / "aliases.csv").write_text("old_name,new_name\n唐山贺祥机电股份有限公司,唐山贺祥智能科技股份有限公司\n",
                                       encoding="utf-8")
    written = D.build_processed()
    assert [p.name for p in written] == [D.PANEL_FILE, D.LEDGER_FILE, D.CHECK_FILE]
    assert all(p.exists() for p in written)
    panel = pd.read_parquet(written[0])
    assert "唐山贺祥智能科技股份有限公司" in set(panel["name"])
    assert D.user_list_files() == [lists / src.name]  # the alias table is not a list file


def test_held_by_batch_counts_distinct_firms_against_the_official_count() -> None:
    f = pd.DataFrame({"name": ["甲科技有限公司", "甲科技有限公司", "乙科技有限公司", "丙科技有限公司"],
                      "batch": [1, 1, 1, 3], "list_type": ["publicity", "final", "final", "final"],
                      "province": "北京"})
    held = D.held_by_batch(D.build_panel([f], write=False), lists="two test lists").set_index("batch")
    assert held["held"].to_dict() == {1: 2, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 0}
    assert held.loc[3, "share_held"] == pytest.approx(1 / 2930)
    assert held.attrs["source"].endswith("and two test lists")


def test_moved_names_still_resolve_with_a_future_warning() -> None:
    with pytest.warns(FutureWarning, match="designations.listed_little_giants moved to lgresearch.listed"):
        old = D.listed_little_giants
    assert old is listed.listed_little_giants
    with pytest.warns(FutureWarning, match="moved to lgresearch.analyses.composition.industry_over_representation"):
        moved = D.industry_over_representation
    assert moved is composition.industry_over_representation
    assert "listed_little_giants" not in D.__all__ and "industry_over_representation" not in D.__all__
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        _ = D.no_such_name


@pytest.mark.external
def test_real_fragments() -> None:
    if not paths.has_external("official", "srdi_firm_fragments.csv"):
        pytest.skip("third-party data not available")
    path = paths.external_path("official", "srdi_firm_fragments.csv")
    frame, led = D.read_list(path, return_ledger=True)
    assert len(frame) == 104
    _reconciles(led, path)
    panel = D.build_panel([path], write=False)
    assert len(panel) == 104
    zj = panel[(panel["batch"] == 2) & (panel["list_type"] == "review_passed")]
    assert len(zj) == 75 and set(zj["province"]) == {"浙江"}
    assert set(panel.loc[panel["issuer"] == "宁波", "batch"]) == {1}


# ------------------------------------------------------------------------------------------ property tests

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_cell_text = st.text(alphabet=st.sampled_from(list("华为技术科创新杭州光电有限公司股份（）()*※注 ,\""
                                                  "一二第批名单浙江省1")),
                     max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_cell_text, _cell_text), min_size=0, max_size=12))
def test_read_list_accounts_for_every_row(tmp_path_factory, rows: list[tuple[str, str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["序号", "企业名称"])
    for k, (seq, name) in enumerate(rows):
        w.writerow([seq if k % 3 == 0 else str(k + 1), name])
    p = tmp_path_factory.mktemp("prop") / "p.csv"
    p.write_text(buf.getvalue(), encoding="utf-8")
    try:
        got, led = D.read_list(p, batch=3, list_type="final", province="浙江", return_ledger=True)
    except InputError:
        return  # a clear error naming the file is an acceptable outcome, a crash is not
    n_rows = len(read_cells(p))
    led.reconcile({"p.csv": n_rows})
    kept = led.frame().query("outcome == 'kept'")
    assert len(kept) == len(got)
    assert got["name"].notna().all()
