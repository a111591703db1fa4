"""Tests for lgresearch.listed on generated vendor files (and, marked external, on the real snapshots)."""

from __future__ import annotations

import pandas as pd
import pytest

from lgresearch import designations, listed, paths
from lgresearch.ledger import InputError

HIST = ("listed-little-giants", "history")


def _snap(ext, file, rows):
    d = ext.joinpath(*HIST)
    d.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=["code", "name", "board_code", "code_norm", "market"]).to_csv(d / file, index=False)


@pytest.fixture()
def ext(tmp_path, monkeypatch):
    d = tmp_path / "external"
    d.mkdir()
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(d))
    em = "EM:专精特新"
    # Dec-2023 / Jan-2024 Eastmoney: 300001 (early), BSE firm under its old code 834475
    for f in ("hikyuu_em-concept-zjtx_2023-12-18.csv", "hikyuu_em-concept-zjtx_2024-01-02.csv"):
        _snap(d, f, [["300001", "甲科技", em, "300001", "ChiNext"], ["834475", "三友科技", em, "920475", "BSE/NEEQ"]])
    # Jul-2025 Eastmoney: adds 688002 (trading since 2024-01-02 -> bracketed) and 301999 (listed later)
    _snap(d, "etrobot_em-concept-zjtx_2025-07-30.csv", [
        ["300001", "甲科技", "BK1005", "300001", "ChiNext"], ["920475", "三友科技", "BK1005", "920475", "BSE"],
        ["688002", "乙股份", "BK1005", "688002", "STAR"], ["301999", "丙新材", "BK1005", "301999", "ChiNext"]])
    _snap(d, "widgeta_ths-concept-zjtx_2026-06-18.csv", [
        ["300001", "甲科技", "885929.TI", "300001", "ChiNext"], ["600001", "丁集团", "885929.TI", "600001", "Main"]])
    _snap(d, "oisea365_wind-neeq-zjtxflag_2023-04-29.csv", [["873700", "益坤电气", "Wind", "873700", "BSE/NEEQ"],
                                                             ["abc", "坏代码", "Wind", "abc", "BSE/NEEQ"]])
    pd.DataFrame({"code": ["300001", "688002", "301999", "600001"],
                  "first_trade_date_in_2024_2025_prices": ["2024-01-02", "2024-01-02", "2024-09-01", "2024-01-02"]}
                 ).to_csv(d.joinpath(*HIST, "first_seen.csv"), index=False)
    (d / "listed-little-giants" / "listed_little_giants_candidates.csv").write_text(
        "code,name,label,batch,source,board,snapshot\n"
        "834475,三友科技,国家级专精特新“小巨人”(official list fragment; full name 三门三友科技股份有限公司),"
        "2,x,BSE,list\n"
        "300001,甲科技,国家级专精特新“小巨人”(official list fragment; full name 甲（杭州）科技股份有限公司),"
        "第三批,x,ChiNext,l\n",
        encoding="utf-8")
    return d


# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------


def test_normalize_code_and_name():
    assert listed.normalize_code(["300750.SZ", "sz000001", 1270, "1270.0", None, "12345678"]).tolist() == \
        ["300750", "000001", "001270", "001270", pd.NA, pd.NA]
    assert listed.normalize_name(["*ST 云创", "ＸＤ星昊医", "N 新股份"]).tolist() == ["云创", "星昊医", "新股份"]


def test_parse_batch():
    assert listed.parse_batch(["第一批", "第7批", "batch 3", "3rd", "10", "", None], max_batch=7).tolist() == \
        [1, 7, 3, 3, pd.NA, pd.NA, pd.NA]
    # one parse_batch: a string is one label, never iterated character by character
    assert listed.parse_batch("第五批") == 5
    assert listed.parse_batch is designations.parse_batch
    s = pd.Series(["第五批", "x"], index=[10, 11])
    out = listed.parse_batch(s)
    assert out.index.tolist() == [10, 11] and out.tolist() == [5, pd.NA]


def test_resolve_codes_with_explicit_map():
    m = pd.DataFrame({"old_code": ["834475", "430017"], "new_code": ["920475", "920017"]})
    assert listed.resolve_codes(["834475", "430017", "831627", "300001.SZ"], m).tolist() == \
        ["920475", "920017", "831627", "300001"]


# ---------------------------------------------------------------------------------------------------------------
# Snapshots -> one row per code
# ---------------------------------------------------------------------------------------------------------------


def test_listed_little_giants_flags_sets_and_brackets(ext):
    llg, led = listed.listed_little_giants(return_ledger=True)
    t = llg.set_index("code")
    assert sorted(t.index) == ["300001", "301999", "600001", "688002", "873700", "920475"]
    # the old BSE code is resolved and both of its snapshots land on one row
    assert t.loc["920475", "in_em_2023_12"] and t.loc["920475", "in_em_2025_07"]
    assert t.loc["920475", "source_codes"] == "834475;920475"
    assert t.loc["920475", "verified_batch"] == 2 and t.loc["920475", "full_name"] == "三门三友科技股份有限公司"
    assert t.loc["300001", "verified_batch"] == 3 and t.loc["300001", "full_name"] == "甲（杭州）科技股份有限公司"
    # sets
    assert t["high_confidence"].to_dict() == {"300001": True, "301999": False, "600001": False, "688002": False,
                                              "873700": False, "920475": False}
    assert t["broad"].all()
    # brackets: early, bracketed (trading 2024-01-02, absent then), listed after, BSE unverified, none
    assert t.loc["300001", "em_bracket"] == "pre_2024" and t.loc["300001", "candidate_batches"] == "1-5"
    assert t.loc["688002", "em_bracket"] == "2024_2025" and t.loc["688002", "candidate_batches"] == "5-6"
    assert t.loc["688002", "bracket_low"] == pd.Timestamp("2024-01-02")
    assert t.loc["688002", "bracket_high"] == pd.Timestamp("2025-07-30")
    assert t.loc["301999", "em_bracket"] == "listed_after_2024_01" and pd.isna(t.loc["301999", "bracket_low"])
    assert pd.isna(t.loc["600001", "em_bracket"])
    # boards: NEEQ-only firm flagged by Wind is not a listed firm
    assert t.loc["873700", "board"] == "NEEQ" and not t.loc["873700", "listed"]
    assert t.loc["920475", "board"] == "BSE" and t.loc["688002", "board"] == "STAR"
    # ledger: the malformed code is dropped with a reason, every other row kept
    frame = led.frame()
    assert frame.loc[frame["outcome"] == "dropped", "reason"].tolist() == ["code is not 1-6 digits"]
    assert led.reconcile()
    assert llg.attrs["provenance"] == "real"


def test_listed_little_giants_without_data_raises(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(tmp_path / "none"))
    with pytest.raises(paths.MissingExternalData):
        listed.listed_little_giants()


def test_bse_code_map_by_name_and_conflicts(ext):
    # a stock list with an old code and a 920 code sharing a name -> a pair; a name claimed twice -> dropped
    f = ext / "LYH-RAIN__StockTradebyZ"
    f.mkdir()
    pd.DataFrame({"ts_code": ["831010.BJ", "920010.BJ", "832001.BJ", "920201.BJ", "920202.BJ"],
                  "symbol": ["831010", "920010", "832001", "920201", "920202"],
                  "name": ["凯添燃气", "凯添燃气", "双胞胎", "双胞胎", "双胞胎"], "area": "x", "industry": "y"}
                 ).to_csv(f / "stocklist.csv", index=False)
    m = listed.bse_code_map().set_index("old_code")
    assert m.loc["831010", "new_code"] == "920010"
    assert m.loc["834475", "new_code"] == "920475"
    assert "832001" not in m.index


# ---------------------------------------------------------------------------------------------------------------
# A user's dated mapping
# ---------------------------------------------------------------------------------------------------------------


def test_read_dated_mapping_accounts_for_every_row(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text("证券代码,批次,公告日期,证券简称\n"
                 "300557.SZ,第五批,2023-07-14,理工光科\n"
                 "1270,2,,铖昌科技\n"
                 "300557,第六批,2024-09-01,理工光科\n"
                 ",3,2021-07-19,空\n"
                 "688400,,,凌云光\n", encoding="utf-8")
    out, led = listed.read_dated_mapping(p, return_ledger=True)
    assert out["code"].tolist() == ["001270", "300557"]
    assert out["batch"].tolist() == [2, 5]
    assert out.loc[out["code"] == "300557", "designation_date"].iloc[0] == pd.Timestamp("2023-07-14")
    assert pd.isna(out.loc[out["code"] == "001270", "designation_date"].iloc[0])
    f = led.frame().set_index("source_row")
    assert f.loc[4, "outcome"] == "merged" and f.loc[5, "reason"] == "blank or malformed stock code"
    assert f.loc[6, "reason"] == "neither a batch nor a date"
    assert led.reconcile({"mine.csv": 5})


def test_read_dated_mapping_errors(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("ticker,date\n300557,2023-13-45\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.csv, row 2, column 'date': not a date"):
        listed.read_dated_mapping(p)
    q = tmp_path / "nocode.csv"
    q.write_text("firm,batch\nx,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="no code column"):
        listed.read_dated_mapping(q)
    r = tmp_path / "nobatch.csv"
    r.write_text("code,name\n300557,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a batch column"):
        listed.read_dated_mapping(r)


def test_read_dated_mapping_xlsx(tmp_path):
    p = tmp_path / "m.xlsx"
    pd.DataFrame({"code": ["300557"], "designation_date": ["2023-07-14"]}).to_excel(p, index=False)
    out = listed.read_dated_mapping(p)
    assert out["designation_date"].tolist() == [pd.Timestamp("2023-07-14")] and out["batch"].isna().all()


# ---------------------------------------------------------------------------------------------------------------
# Shenwan and the universe
# ---------------------------------------------------------------------------------------------------------------


def _write_xls(path, frame):
    import xlwt

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    for j, c in enumerate(frame.columns):
        ws.write(0, j, c)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    wb.save(str(path))


def _write_shenwan(ext) -> None:
    sw = pd.DataFrame({
        "股票代码": [2, 300750, 300750, 688002, 1],
        "计入日期": ["1991-01-29", "2018-05-28", "2021-07-30", "2022-01-10", "2010-01-01"],
        "行业代码": [430101, 630305, 630701, 270102, 210101],  # 000001's only code is SW2014-only (210101)
        "更新日期": ["2015-10-27"] * 5,
    })
    _write_xls(ext.joinpath(*listed.SHENWAN_FILE), sw)
    names = pd.DataFrame({"行业代码": [430000, 430100, 430101, 630000, 630700, 630701, 270000, 270100, 270102],
                          "一级行业名称": ["房地产"] * 3 + ["电力设备"] * 3 + ["电子"] * 3,
                          "二级行业名称": ["", "房地产开发", "房地产开发", "", "电池", "电池", "", "半导体", "半导体"],
                          "三级行业名称": ["", "", "住宅开发", "", "", "锂电池", "", "", "模拟芯片设计"]})
    _write_xls(ext.joinpath(*listed.SW2021_CODES_FILE), names)


def test_stock_industries_point_in_time(ext):
    _write_shenwan(ext)
    now = listed.stock_industries().set_index("code")
    assert sorted(now.index) == ["000002", "300750", "688002"]
    assert now.loc["000002", "sw_l1_en"] == "Real Estate"  # an SW2014 code kept in SW2021 counts
    assert now.loc["300750", "sw_l1_en"] == "Power Equipment" and now.loc["300750", "sw_l2_name"] == "电池"
    early = listed.stock_industries("2019-06-13").set_index("code")
    assert early["backfilled"].all()
    mid = listed.stock_industries("2021-12-31").set_index("code")
    assert not mid.loc["300750", "backfilled"] and mid.loc["688002", "backfilled"]


def test_industry_l1_one_row_per_code_given(ext):
    _write_shenwan(ext)
    given = pd.Series(["300750.SZ", 2, "sh688002", "000001", "not a code"], index=[10, 11, 12, 13, 14])
    l1 = listed.industry_l1(given)
    assert l1.index.tolist() == [10, 11, 12, 13, 14]  # aligned with the frame the codes came from
    assert l1["code"].tolist()[:4] == ["300750", "000002", "688002", "000001"] and pd.isna(l1["code"].iloc[4])
    assert l1["sw_l1_en"].tolist()[:3] == ["Power Equipment", "Real Estate", "Electronics"]
    assert l1["sw_l1_name"].iloc[0] == "电力设备" and l1["sw_l1_code"].iloc[1] == 430000
    assert l1[["sw_l1_code", "sw_l1_en", "sw_l1_name"]].iloc[3:].isna().all().all()  # SW2014-only / not a code
    assert str(l1["sw_l1_code"].dtype) == "Int64" and l1.attrs.get("provenance")
    # point in time: the same lookup as stock_industries(as_of)
    early = listed.industry_l1(["300750"], as_of="2019-06-13")
    assert early["sw_l1_en"].tolist() == ["Power Equipment"]
    # a plain list gets a fresh index; the result agrees with stock_industries row for row
    ind = listed.stock_industries()
    again = listed.industry_l1(ind["code"].tolist())
    assert again["sw_l1_en"].tolist() == ind["sw_l1_en"].tolist() and again.index.tolist() == list(range(len(ind)))


def test_industry_l1_without_shenwan_files_raises(ext):
    with pytest.raises(paths.MissingExternalData):
        listed.industry_l1(["300750"])


def test_first_classified_is_the_first_entry_of_any_system(ext):
    _write_shenwan(ext)
    first = listed.first_classified()
    assert first["300750"] == pd.Timestamp("2018-05-28")  # the SW2014 entry, before the SW2021 one
    assert first["000001"] == pd.Timestamp("2010-01-01")  # kept though its code is SW2014-only
    assert sorted(first.index) == ["000001", "000002", "300750", "688002"]


def test_stock_universe_from_lists(ext):
    f = ext / "LYH-RAIN__StockTradebyZ"
    f.mkdir()
    pd.DataFrame({"ts_code": ["300001.SZ", "834475.BJ"], "symbol": ["300001", "834475"], "name": ["甲", "三友"],
                  "area": ["浙江", "浙江"], "industry": ["a", "b"]}).to_csv(f / "stocklist.csv", index=False)
    g = ext / "tszlam__trading"
    g.mkdir()
    pd.DataFrame({"code": ["300001", "600009"], "name": ["甲", "乙  机场"], "总市值": [3e9, 5e10],
                  "流通市值": [2e9, 4e10], "行业": ["x", "y"], "总股本": [1, 1], "流通股": [1, 1]}
                 ).to_csv(g / "stock_list.csv", index=False)
    u, led = listed.stock_universe(return_ledger=True)
    t = u.set_index("code")
    assert sorted(t.index) == ["300001", "600009", "920475"]
    assert t.loc["920475", "board"] == "BSE" and t.loc["600009", "name"] == "乙机场"
    assert t.loc["300001", "float_mcap_2024_06"] == 2e9 and t.loc["300001", "in_list_2025_11"]
    assert not t.loc["600009", "in_list_2025_11"]
    assert led.reconcile()


# ---------------------------------------------------------------------------------------------------------------
# The real vendor files
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.external
def test_real_snapshots_reproduce_documented_counts():
    if not paths.has_external(*HIST):
        pytest.skip("third-party listed-little-giants folder not available")
    llg = listed.listed_little_giants()
    assert llg["code"].is_unique
    assert int(llg["in_em_2025_07"].sum()) == 1199 and int(llg["in_ths_2026_06"].sum()) == 1199
    assert int(llg["high_confidence"].sum()) == 1014
    em = llg[llg["in_em_2025_07"]]
    assert int((em["em_bracket"] == "pre_2024").sum()) == 642
    br = em[em["em_bracket"] == "2024_2025"]
    assert len(br) == 414 and br["board"].value_counts().to_dict() == {"ChiNext": 168, "STAR": 140, "Main": 106}
    assert int(llg["verified_batch"].notna().sum()) == 17
    m = listed.bse_code_map().set_index("old_code")
    assert m.loc["834475", "new_code"] == "920475" and m.loc["874021", "new_code"] == "920111"
    ind = listed.stock_industries().set_index("code")
    assert ind.loc["300750", "sw_l1_en"] == "Power Equipment" and ind["sw_l1_en"].notna().all()
    u = listed.stock_universe()
    assert u["code"].is_unique and {"Main", "ChiNext", "STAR", "BSE"} <= set(u["board"])
