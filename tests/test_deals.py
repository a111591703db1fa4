"""Tests for lgresearch.deals: schema, readers (清科, IT桔子, Crunchbase, mapping hook), cache, step-ups, summaries."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lgresearch import deals, paths
from lgresearch.deals import DEAL_COLUMNS, DealMapping, annual_summary, step_ups
from lgresearch.ledger import InputError
from lgresearch.provenance import is_simulated

FIX = Path(__file__).parent / "fixtures" / "deals"
AS_OF = "2024-06-30"


@pytest.fixture(autouse=True)
def _processed_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.PROCESSED_ENV, str(tmp_path / "processed"))


@pytest.fixture
def z2i():
    return deals.read_zero2ipo(FIX / "zero2ipo_sample.csv", cache=False, return_ledger=True, as_of=AS_OF)


def _reasons(led, row):
    f = led.frame()
    return set(f.loc[f["source_row"] == row, "reason"])


# --------------------------------------------------------------------------------------------- schema


def test_schema_constant_and_empty_frame():
    assert DEAL_COLUMNS[0] == "event_id" and "post_money_cny" in DEAL_COLUMNS and "source_rows" in DEAL_COLUMNS
    empty = deals.empty_events()
    assert list(empty.columns) == DEAL_COLUMNS
    deals.validate_events(empty)


def test_demo_events_validate_and_are_simulated():
    ev = deals.demo_events()
    deals.validate_events(ev)
    assert is_simulated(ev)


def test_schema_rejects_bad_values():
    import pandera.errors

    ev = deals.demo_events()
    bad = ev.copy()
    bad.loc[0, "stake_pct"] = 150.0
    with pytest.raises(pandera.errors.SchemaError):
        deals.validate_events(bad)
    bad = ev.copy()
    bad.loc[0, "valuation_basis"] = "none"  # but a valuation is present
    with pytest.raises(pandera.errors.SchemaError):
        deals.validate_events(bad)
    bad = ev.copy()
    bad.loc[1, "event_id"] = bad.loc[0, "event_id"]
    with pytest.raises(pandera.errors.SchemaError):
        deals.validate_events(bad)


# --------------------------------------------------------------------------------------------- 清科


def test_zero2ipo_every_row_accounted(z2i):
    ev, led = z2i
    assert led.reconcile({"zero2ipo_sample.csv": 16})  # physical lines, the header included
    counts = led.frame().groupby("outcome").size().to_dict()
    assert counts["kept"] == len(ev) == 8
    assert counts["merged"] == 2 and counts["dropped"] == 6


def test_zero2ipo_investor_rows_collapse_into_events(z2i):
    ev, led = z2i
    a = ev[(ev["firm_id"] == "测试甲科技有限公司") & (ev["round_std"] == "A")].iloc[0]
    assert a["amount_cny"] == pytest.approx(30e6)  # 20 + 10; the duplicated investor row is not double-counted
    assert a["stake_pct"] == pytest.approx(7.5)
    assert a["post_money_cny"] == pytest.approx(400e6) and a["valuation_basis"] == "implied"
    assert a["n_investors"] == 2 and a["source_rows"] == [2, 3]
    assert a["province"] == "浙江" and a["city"] == "杭州市" and a["country"] == "中国"
    assert "duplicate investor row" in _reasons(led, 4)


def test_zero2ipo_bad_input_is_flagged_or_dropped_never_silent(z2i):
    ev, led = z2i
    assert "blank row" in _reasons(led, 12)
    assert "no firm name" in _reasons(led, 14)
    assert "no date" in _reasons(led, 11)
    assert "unreadable date" in _reasons(led, 13)
    assert {"date in the future", "unknown round", "unparseable amount",
            "stake out of range (0, 100] (set missing)"} <= _reasons(led, 9)
    assert {"unknown currency", "stake out of range (0, 100] (set missing)"} <= _reasons(led, 10)
    assert "estimated amount (vendor mark)" in _reasons(led, 15)
    assert "conflicting valuations within one event (median kept)" in _reasons(led, 16)
    junk = ev[ev["firm_id"] == "测试戊智能有限公司"].iloc[0]
    assert math.isnan(junk["amount_cny"]) and math.isnan(junk["stake_pct"]) and junk["round_std"] == "unknown"
    xyz = ev[ev["firm_id"] == "测试己电子有限公司"].iloc[0]
    assert xyz["currency"] == "XYZ" and math.isnan(xyz["amount_cny"]) and math.isnan(xyz["stake_pct"])


def test_zero2ipo_undisclosed_firm_kept_without_id(z2i):
    ev, led = z2i
    anon = ev[ev["firm_id"].isna()]
    assert len(anon) == 1 and anon["round_std"].iloc[0] == "pre-A"
    assert "firm undisclosed by the vendor (kept; no firm_id)" in _reasons(led, 7)


def test_zero2ipo_fx_conversion_and_month_precision(z2i):
    ev, _ = z2i
    usd = ev[ev["firm_id"] == "测试丁新材料有限公司"].iloc[0]
    assert usd["currency"] == "USD" and usd["date_precision"] == "month"
    assert usd["date"] == pd.Timestamp("2019-05-01")
    assert usd["amount_cny"] == pytest.approx(10e6 * 6.8985)
    assert usd["post_money_cny"] == pytest.approx(10e6 * 6.8985 / 0.10)  # implied from amount / stake


def test_zero2ipo_validates_and_is_marked_real(z2i):
    ev, _ = z2i
    deals.validate_events(ev)
    assert ev.attrs["provenance"] == "real" and "Zero2IPO" in ev.attrs["source"]
    assert not re.search(r"[\u4e00-\u9fff]", ev.attrs["source"])  # printed under figures: no Chinese
    assert "rows" in ev.attrs["ledger_summary"]


def _write_raw_xls(csv: Path, out: Path, n_title_rows: int = 3) -> None:
    import xlwt

    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    book = xlwt.Workbook()
    sheet = book.add_sheet("机构投资列表")
    for j, col in enumerate(frame.columns):
        sheet.write(n_title_rows, j, col)
    for i, row in enumerate(frame.itertuples(index=False), start=n_title_rows + 1):
        for j, v in enumerate(row):
            sheet.write(i, j, v)
    book.save(str(out))


def test_zero2ipo_raw_xls_with_blank_title_rows(tmp_path, z2i):
    ev_csv, _ = z2i
    xls = tmp_path / "2099.xls"
    _write_raw_xls(FIX / "zero2ipo_sample.csv", xls)
    ev, led = deals.read_zero2ipo(xls, cache=False, return_ledger=True, as_of=AS_OF)
    assert led.reconcile({"2099.xls": 19})  # physical rows: 3 title rows and the header included
    cols = ["firm_id", "round_std", "amount_cny", "post_money_cny", "n_investors"]
    pd.testing.assert_frame_equal(ev[cols], ev_csv[cols])
    # rows are numbered as the spreadsheet shows them: header on row 4, first data row 5
    assert ev.iloc[0]["source_rows"] == [5, 6]


def test_zero2ipo_xlsx(tmp_path, z2i):
    ev_csv, _ = z2i
    xlsx = tmp_path / "merged.xlsx"
    pd.read_csv(FIX / "zero2ipo_sample.csv", dtype=str, keep_default_na=False).to_excel(xlsx, index=False)
    ev = deals.read_zero2ipo(xlsx, cache=False, as_of=AS_OF)
    assert ev["amount_cny"].sum() == pytest.approx(ev_csv["amount_cny"].sum())


def test_zero2ipo_cache_hit_and_invalidation(tmp_path):
    src = tmp_path / "export.csv"
    shutil.copy(FIX / "zero2ipo_sample.csv", src)
    first = deals.read_zero2ipo(src)
    assert first.attrs["cache"] == "miss"
    second, led = deals.read_zero2ipo(src, return_ledger=True)
    assert second.attrs["cache"] == "hit"
    pd.testing.assert_frame_equal(first, second)
    assert led.reconcile({"export.csv": 16})
    assert list(second["source_rows"].iloc[0]) == [2, 3] and isinstance(second["investors"].iloc[0], list)
    # a changed file is re-read
    text = src.read_text(encoding="utf-8").replace("2021-09-01", "2021-10-01")
    src.write_text(text, encoding="utf-8")
    third = deals.read_zero2ipo(src)
    assert third.attrs["cache"] == "miss"
    assert (third["date"] == pd.Timestamp("2021-10-01")).any()
    assert len(list((paths.processed_dir() / "cache").glob("zero2ipo-export-*.events.parquet"))) == 1


def test_zero2ipo_missing_default_file(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(tmp_path / "nothing"))
    assert not deals.zero2ipo_available()
    with pytest.raises(paths.MissingExternalData):
        deals.read_zero2ipo()
    assert deals.build_processed() == []


# --------------------------------------------------------------------------------------------- IT桔子, Crunchbase


def test_itjuzi_company_pages():
    ev, led = deals.read_itjuzi(FIX / "itjuzi_company_pages.csv", return_ledger=True, as_of=AS_OF)
    assert led.reconcile({"itjuzi_company_pages.csv": 8})
    assert "company without a financing round" in _reasons(led, 8)
    assert "IT桔子 company valuation not used (vendor standard estimate)" in _reasons(led, 6)
    assert ev["post_money_cny"].isna().all() and (ev["valuation_basis"] == "none").all()
    # company fields carried down to round rows
    sheng = ev[ev["short_name"] == "测声科技"]
    assert len(sheng) == 4 and (sheng["firm_name"] == "北京测声信息技术有限公司").all()
    assert (sheng["province"] == "北京").all() and sheng["industry_vendor"].iloc[0] == "企业服务|行业信息化"
    vague = sheng[sheng["round_std"] == "B+"].iloc[0]
    assert vague["amount_status"] == "vague" and vague["amount_cny_low"] == pytest.approx(1e8)
    assert math.isnan(vague["amount_cny"])
    c = sheng[sheng["round_std"] == "C"].iloc[0]
    assert c["currency"] == "USD" and c["amount_cny"] == pytest.approx(1e8 * 6.6174)
    assert c["investors"] == ["测虎360", "测富控股"]
    year_only = ev[(ev["short_name"] == "测门问问") & (ev["round_std"] == "A")].iloc[0]
    assert year_only["date_precision"] == "year"


def test_itjuzi_event_list():
    ev, led = deals.read_itjuzi(FIX / "itjuzi_events.csv", return_ledger=True, as_of=AS_OF)
    assert led.reconcile({"itjuzi_events.csv": 7})
    assert "duplicate row" in _reasons(led, 6)
    assert ev["firm_name"].isna().all() and ev["firm_id"].str.startswith("short:").all()
    top = ev[ev["short_name"] == "测智能"].iloc[0]
    assert top["amount_cny_low"] == pytest.approx(1e8) and top["amount_cny_high"] == np.inf


def test_itjuzi_rejects_other_files(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError):
        deals.read_itjuzi(p)


def test_crunchbase_fixture():
    ev, led = deals.read_crunchbase(FIX / "funding_rounds.csv", return_ledger=True, as_of=AS_OF)
    assert led.reconcile({"funding_rounds.csv": 8})
    assert "unreadable date" in _reasons(led, 7) and "date in the future" in _reasons(led, 8)
    acme = ev[ev["firm_id"] == "Acme Robotics"].sort_values("date")
    assert acme["round_std"].tolist() == ["A", "B"]
    assert acme["amount_cny"].tolist() == [pytest.approx(1e8), pytest.approx(3e7 * 6.8974)]
    assert (acme["valuation_basis"] == "reported").all()
    assert acme["n_investors"].tolist() == [3, 2]
    assert acme["province"].iloc[0] == "北京"
    foo = ev[ev["firm_id"] == "Foo Analytik"].iloc[0]
    assert foo["country"] == "DEU" and foo["province"] == "Bayern" and foo["currency"] == "EUR"
    su = step_ups(ev)
    assert su["step_up"].iloc[0] == pytest.approx(3e8 * 6.8974 / 7e8)


# --------------------------------------------------------------------------------------------- mapping hook


def test_read_deals_with_a_plain_mapping(tmp_path):
    p = tmp_path / "cvsource.csv"
    p.write_text(
        "CVSource export 2024\n\n企业名称,地区,日期,轮次,金额,币种,投后估值(万元),投资方\n"
        "测试子科技有限公司,广东-深圳,2022-03-08,A轮,3000万,人民币,60000,甲资本;乙投资\n"
        "测试子科技有限公司,广东-深圳,2023-01-09,B轮,1000万,美元,150000,丙资本\n",
        encoding="utf-8",
    )
    ev, led = deals.read_deals(
        p, {"firm_name": "企业名称", "location": "地区", "date": "日期", "round": "轮次", "amount": "金额",
            "currency": "币种", "post_money": "投后估值(万元)", "investor": "投资方"},
        valuation_unit="万", investor_sep=";", location_sep="-", source="cvsource", return_ledger=True,
        as_of=AS_OF,
    )
    assert led.reconcile({"cvsource.csv": 5})
    assert ev["source"].unique().tolist() == ["cvsource"]
    assert ev["amount_cny"].tolist() == [pytest.approx(3e7), pytest.approx(1e7 * 7.0467)]
    # without a valuation-currency column the valuation is in the amount's currency (美元 here)
    assert ev["post_money_cny"].tolist() == [pytest.approx(6e8), pytest.approx(1.5e9 * 7.0467)]
    assert ev["province"].tolist() == ["广东", "广东"] and ev["city"].iloc[0] == "深圳市"
    assert ev["investors"].iloc[0] == ["甲资本", "乙投资"]


def test_read_deals_errors_name_the_problem(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Company,Date\nA,2020-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="Round"):
        deals.read_deals(p, {"firm_name": "Company", "date": "Date", "round": "Round"})
    with pytest.raises(ValueError, match="unknown canonical fields"):
        DealMapping({"firm_name": "Company", "date": "Date", "valuation": "V"})
    with pytest.raises(ValueError, match="required"):
        deals.read_deals(p, {"round": "Date"})


# --------------------------------------------------------------------------------------------- analysis


def test_step_ups_pairs_consecutive_valued_rounds(z2i):
    ev, _ = z2i
    su = step_ups(ev)
    assert len(su) == 1
    row = su.iloc[0]
    assert (row["round_std_prev"], row["round_std"]) == ("A", "B")
    assert row["step_up"] == pytest.approx(2.5) and row["days"] == 170 and row["within_6m"]
    assert row["annual_log_step_up"] == pytest.approx(math.log(2.5) / (170 / 365.25))
    assert list(su.columns) == deals.STEP_UP_COLUMNS


def test_step_ups_with_designations():
    ev = deals.demo_events()
    des = pd.DataFrame({"firm_id": ["甲科技有限公司", "甲科技有限公司", "乙光学股份有限公司"],
                        "designation_date": pd.to_datetime(["2019-07-01", "2021-02-01", "2021-01-01"])})
    su = step_ups(ev, des)
    row = su.iloc[0]
    assert row["designated_between"] and row["designated_before_prev"]
    assert row["designation_date"] == pd.Timestamp("2021-02-01")
    assert row["days_since_designation"] == (pd.Timestamp("2021-03-15") - pd.Timestamp("2021-02-01")).days
    with pytest.raises(KeyError):
        step_ups(ev, des.rename(columns={"designation_date": "d"}))


def test_step_ups_same_day_rounds_have_no_annual_rate():
    ev = deals.demo_events()
    ev.loc[2, "date"] = ev.loc[0, "date"]
    su = step_ups(ev)
    assert su["days"].iloc[0] == 0 and math.isnan(su["annual_log_step_up"].iloc[0])


def test_annual_summary(z2i):
    ev, _ = z2i
    s = annual_summary(ev)
    assert list(s.columns) == deals.SUMMARY_COLUMNS
    y21 = s[s["year"] == 2021].iloc[0]
    assert y21["n_events"] == 2 and y21["n_firms"] == 1 and y21["n_amount_disclosed"] == 2
    assert y21["amount_disclosed_cny"] == pytest.approx(80e6)
    assert y21["median_post_money_cny"] == pytest.approx(700e6)
    y22 = s[s["year"] == 2022].iloc[0]
    assert y22["n_firms"] == 1 and y22["n_events"] == 2  # the undisclosed firm is an event, not a firm
    assert s.attrs["provenance"] == "real"
    assert annual_summary(deals.empty_events()).empty
    assert is_simulated(annual_summary(deals.demo_events()))


def test_build_processed_writes_files(monkeypatch, tmp_path):
    ext = tmp_path / "ext" / "muweiabc__govfund"
    ext.mkdir(parents=True)
    shutil.copy(FIX / "zero2ipo_sample.csv", ext / "invest_with_treatment.xlsx.csv")
    from lgresearch import sources

    monkeypatch.setitem(sources.SOURCES, "zero2ipo", sources.Source(
        "zero2ipo", "sample", (("muweiabc__govfund", "invest_with_treatment.xlsx.csv"),)))
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(tmp_path / "ext"))
    out = deals.build_processed()
    assert [p.name for p in out] == [deals.PROCESSED_EVENTS, deals.PROCESSED_LEDGER]
    back = pd.read_parquet(out[0])
    assert len(back) == 8


# --------------------------------------------------------------------------------------------- real data


needs_z2i = pytest.mark.skipif(not paths.has_external("muweiabc__govfund", "invest_with_treatment.xlsx"),
                               reason="third-party 清科 export not available")


@pytest.mark.external
@needs_z2i
def test_real_zero2ipo_export():
    ev, led = deals.read_zero2ipo(return_ledger=True, cache=False)
    assert led.reconcile({"invest_with_treatment.xlsx": 23279})
    assert 19_000 <= len(ev) <= 20_500
    assert 11_000 <= ev["firm_id"].nunique() <= 12_000
    assert ev["date"].min() >= pd.Timestamp("2000-01-01") and ev["date"].max() <= pd.Timestamp("2023-12-31")
    valued = ev[ev["post_money_cny"].notna()]
    assert 7_000 <= len(valued) <= 9_500
    # the vendor's valuation is mostly amount / stake
    assert (valued["valuation_basis"] == "implied").mean() > 0.5
    assert ev["round_std"].ne("unknown").all()


@pytest.mark.external
@needs_z2i
def test_real_raw_2023_export_matches_merged_file():
    raw = deals.read_zero2ipo(paths.external_path("muweiabc__govfund", "2023.xls"), cache=False)
    merged = deals.read_zero2ipo()
    assert len(raw) == (merged["year"] == 2023).sum()
    assert raw["post_money_cny"].notna().sum() == merged.loc[merged["year"] == 2023, "post_money_cny"].notna().sum()


@pytest.mark.external
@needs_z2i
def test_real_vendor_usd_rate_agrees_with_fx_table():
    import python_calamine  # noqa: F401

    raw = pd.read_excel(paths.external_path(*deals.ZERO2IPO_PARTS), engine="calamine", dtype=str)
    num = {c: pd.to_numeric(raw[c].str.replace(",", ""), errors="coerce")
           for c in ("投资金额(RMB/M)", "投资金额(USD/M)")}
    ratio = (num["投资金额(RMB/M)"] / num["投资金额(USD/M)"]).rename("r")
    by_year = ratio.groupby(raw["投资时间"].str[:4].astype(int)).median()
    from lgresearch.clean.money import cny_per_unit

    years = [y for y in range(2012, 2024) if y in by_year.index]
    ours = cny_per_unit(["USD"] * len(years), years)["rate"].to_numpy()
    rel = np.abs(by_year.loc[years].to_numpy() / ours - 1)
    assert (rel < 0.03).all(), dict(zip(years, rel.round(3), strict=True))


@pytest.mark.external
def test_real_itjuzi_files():
    parts = ("hao44le__itjuzi-data", "公司列表_820条_2018年12月25日10时16分46秒.csv")
    if not paths.has_external(*parts):
        pytest.skip("IT桔子 scrape not available")
    ev, led = deals.read_itjuzi(paths.external_path(*parts), return_ledger=True)
    assert led.reconcile({parts[1]: 1488})  # physical lines: 49 lines continue quoted fields or are the header
    assert 1_100 <= len(ev) <= 1_160
    assert ev["firm_id"].nunique() >= 500
    assert ev["round_std"].ne("unknown").all()


# --------------------------------------------------------------------------------------------- firm views, rates


def test_deal_firms_and_private_rounds(z2i):
    ev, _ = z2i
    firms = deals.deal_firms(ev)
    assert list(firms.columns) == deals.FIRM_COLUMNS
    assert firms["firm_id"].is_unique and firms["firm_id"].notna().all()
    jia = firms.set_index("firm_id").loc["测试甲科技有限公司"]
    assert jia["n_events"] == 2 and jia["first_round_std"] == "A" and jia["industry_l1"] == "半导体及电子设备"
    assert jia["amount_cny_total"] == pytest.approx(80e6)
    priv = deals.private_rounds(ev)
    assert not priv["category"].isin(["public-market placement", "secondary/transfer", "M&A"]).any()


def _steps(rows):
    return pd.DataFrame(rows, columns=["firm_id", "step_up", "days", "g"])


def test_step_up_rates_bands_and_cluster_bootstrap():
    s = _steps([("a", 1.6, 100, True), ("a", 1.0, 50, True), ("b", 2.0, 400, False), ("c", 1.2, 30, False),
                ("d", 1.8, 0, False)])
    r = deals.step_up_rates(s, n_boot=200).iloc[0]
    assert r["n_pairs"] == 4 and r["n_firms"] == 3  # the same-day pair is dropped
    assert r["share_ge_low"] == pytest.approx(0.5) and r["share_between"] == pytest.approx(0.25)
    assert r["share_ge_high"] == pytest.approx(0.25)
    assert 0 <= r["share_ge_low_lo"] <= r["share_ge_low"] <= r["share_ge_low_hi"] <= 1
    by = deals.step_up_rates(s, by="g", n_boot=50)
    assert by["g"].tolist() == [False, True] and by["n_pairs"].tolist() == [2, 2]


def test_compare_step_up_rates():
    s = _steps([("a", 2.0, 10, True), ("b", 2.0, 10, True), ("c", 1.0, 10, False), ("d", 1.0, 10, False)])
    r = deals.compare_step_up_rates(s, "g", n_boot=200)
    assert r.diff == 1.0 and r.ci_low == 1.0 and r.n_true == 2


def test_coverage_and_share_difference():
    u = pd.DataFrame({"lg": [True] * 10 + [False] * 10, "deal": [True] * 6 + [False] * 4 + [True] * 2 + [False] * 8,
                      "board": ["STAR"] * 5 + ["Main"] * 5 + ["STAR"] * 5 + ["Main"] * 5})
    cov = deals.coverage_by_group(u, group_col="lg", has_deal_col="deal")
    tot = cov[cov["board"] == "all"].set_index("group")
    assert tot.loc[True, "share"] == 0.6 and tot.loc[False, "share"] == 0.2
    assert tot.loc[True, "ci_low"] < 0.6 < tot.loc[True, "ci_high"]
    d = deals.share_difference(u, group_col="lg", has_deal_col="deal", n_boot=500)
    assert d["diff"] == pytest.approx(0.4) and d["ci_low"] < 0.4 < d["ci_high"]
    ds = deals.share_difference(u, group_col="lg", has_deal_col="deal", strata_col="board", n_boot=500)
    assert np.isfinite(ds["diff"]) and ds["n_group"] == 10


def test_firm_year_deals_zero_fills():
    p = deals.firm_year_deals(deals.demo_events(), ["甲科技有限公司", "乙光学股份有限公司"], years=(2019, 2021))
    assert len(p) == 6
    assert p.set_index(["firm_id", "year"]).loc[("甲科技有限公司", 2019), "n_deals"] == 0


def test_moved_analyses_still_resolve_from_deals_with_a_future_warning():
    from lgresearch.analyses import attention, valuation

    with pytest.warns(FutureWarning, match="lgresearch.deals.valuation_did moved to lgresearch.analyses.valuation"):
        assert deals.valuation_did is valuation.valuation_did
    with pytest.warns(FutureWarning, match="attention_comparison moved to lgresearch.analyses.attention"):
        assert deals.attention_comparison is attention.attention_comparison
    assert "valuation_did" not in deals.__all__
    with pytest.raises(AttributeError):
        deals.no_such_name  # noqa: B018


def test_deals_package_imports_no_estimator():
    import ast
    from pathlib import Path

    for path in Path(deals.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "lgresearch"
                     for a in n.names}
        assert not imported & {"did", "lgresearch.did", "events", "lgresearch.events", "lgresearch.analyses"}, path


def test_zero2ipo_parts_come_from_the_sources_registry():
    from lgresearch import sources

    assert deals.ZERO2IPO_PARTS == sources.parts("zero2ipo")
    assert deals.zero2ipo_available() == sources.available("zero2ipo")


def test_industry_l1_is_the_first_level_of_the_vendor_industry():
    s = pd.Series(["半导体及电子设备|半导体", "医疗健康", None])
    assert deals.industry_l1(s, missing="unknown").tolist() == ["半导体及电子设备", "医疗健康", "unknown"]
    assert deals.deal_firms(deals.demo_events())["industry_l1"].tolist() == ["半导体及电子设备"] * 2
