"""Issue 11 items 2-3: the 1.0 names work, and each deprecated name still works for one release with a
FutureWarning that names the new one."""

from __future__ import annotations

import pandas as pd
import pytest

from lgresearch import clean, designations, link, listed
from lgresearch.analyses import composition
from lgresearch.clean.batches import parse_batch
from lgresearch.errors import InputError

LEFT = pd.DataFrame({"firm_id": ["a"], "name": ["航天智造科技股份有限公司"], "province": ["河北"]})
RIGHT = pd.DataFrame({"firm_id": ["x"], "name": ["航天智造科技股份有限公司"], "province": ["河北省"]})


def test_one_parse_batch_for_a_string_or_a_series() -> None:
    assert listed.parse_batch is designations.parse_batch is clean.parse_batch is parse_batch
    assert parse_batch("第五批") == 5 and parse_batch("第 5 批") == 5 and parse_batch(5) == 5
    assert parse_batch("第十批") == 10 and parse_batch("第十批", max_batch=7) is None
    s = pd.Series(["第五批", None, "batch 3", "5-6"], index=[7, 8, 9, 10], name="batch")
    out = parse_batch(s)
    assert out.dtype == "Int64" and out.index.tolist() == [7, 8, 9, 10] and out.name == "batch"
    assert out.tolist() == [5, pd.NA, 3, pd.NA]


def test_normalize_region_takes_a_series_and_returns_an_aligned_frame() -> None:
    s = pd.Series(["宁波", "Atlantis", None], index=["p", "q", "r"])
    out = clean.normalize_region(s)
    assert isinstance(out, pd.DataFrame) and out.index.tolist() == ["p", "q", "r"]
    assert out["province"].iloc[0] == "浙江" and out["region_status"].tolist() == ["ok", "unknown", "missing"]
    assert clean.normalize_region("宁波")["province"] == "浙江"
    with_city = clean.normalize_region(pd.Series(["北京", "吉林"]), pd.Series(["朝阳区", "朝阳区"]))
    assert with_city["province"].tolist() == ["北京", "吉林"] and with_city["city"].iloc[1] == "长春市"


def test_link_firms_new_names_and_deprecated_aliases() -> None:
    new = link.link_firms(LEFT, RIGHT, name_col="name", province_col="province", firm_col="firm_id")
    assert new["match"].tolist() == [True]
    with pytest.warns(FutureWarning, match="'block_on' is deprecated; use 'province_col'"):
        old = link.link_firms(LEFT, RIGHT, block_on="province")
    pd.testing.assert_frame_equal(old, new)
    for old_name, value in (("on", "name"), ("ids", "firm_id"), ("short", None), ("uscc", None)):
        with pytest.warns(FutureWarning, match=f"'{old_name}' is deprecated"):
            link.link_firms(LEFT, RIGHT, **{old_name: value})


@pytest.mark.parametrize("side", ["left", "right"])
def test_link_firms_with_one_side_lacking_the_blocking_column_is_an_error(side: str) -> None:
    left = LEFT.drop(columns="province") if side == "left" else LEFT
    right = RIGHT.drop(columns="province") if side == "right" else RIGHT
    with pytest.raises(InputError, match=rf"^{side}, column 'province': the blocking \(province\) column is missing"):
        link.link_firms(left, right)
    # both sides without it, or province_col=None: linked without blocking
    assert link.link_firms(left, right, province_col=None)["match"].tolist() == [True]
    assert link.link_firms(LEFT.drop(columns="province"), RIGHT.drop(columns="province"))["match"].tolist() == [True]


def test_level_replaces_alpha_with_the_same_interval() -> None:
    new = designations.proportion_interval(90, 100, level=0.9)
    with pytest.warns(FutureWarning, match="'alpha' is deprecated; use 'level'"):
        old = designations.proportion_interval(90, 100, alpha=0.1)
    assert old == pytest.approx(new)
    a, b = ["a"] * 30 + ["b"] * 10, ["a"] * 20 + ["b"] * 60
    with pytest.warns(FutureWarning, match="'alpha' is deprecated"):
        old_t = designations.over_representation(a, b, alpha=0.1)
    pd.testing.assert_frame_equal(old_t, designations.over_representation(a, b, level=0.9))
    assert designations.over_representation(a, b, level=0.99)["ci_low"].iloc[0] < old_t["ci_low"].iloc[0]


def test_industry_over_representation_industry_col_and_usual_code_forms() -> None:
    uni = pd.DataFrame({"code": [f"{i:06d}.SZ" for i in range(10)], "ind": ["A"] * 5 + ["B"] * 5})
    t = composition.industry_over_representation(["000000", "sz000001", 2, "000005.SZ"], uni, industry_col="ind")
    assert t[["category", "n_members"]].values.tolist() == [["A", 3], ["B", 1]]
    with pytest.warns(FutureWarning, match="'column' is deprecated; use 'industry_col'"):
        old = composition.industry_over_representation(["000000"], uni, column="ind")
    assert old["n_members"].sum() == 1


def test_read_list_and_build_panel_return_ledger(tmp_path) -> None:
    p = tmp_path / "zj.csv"
    p.write_text("浙江省第五批专精特新“小巨人”企业名单公示\n序号,企业名称,所在地\n1,杭州集智机电股份有限公司,杭州市\n",
                 encoding="utf-8")
    frame, led = designations.read_list(p, return_ledger=True)
    assert len(frame) == 1 and led.summary() == "3 rows: 1 kept, 0 merged, 2 dropped (0 flagged)"
    from lgresearch.ledger import Ledger

    old_led = Ledger()
    with pytest.warns(FutureWarning, match="'ledger' is deprecated; use 'return_ledger=True'"):
        old = designations.read_list(p, ledger=old_led)
    assert old_led.summary() == led.summary() and len(old) == 1
    panel, pled = designations.build_panel([p], return_ledger=True, write=False, as_of="2025-01-01")
    assert len(panel) == 1 and pled.summary().startswith("3 rows: 1 kept")
    with pytest.warns(FutureWarning, match="build_panel\\(\\): 'ledger' is deprecated"):
        designations.build_panel([p], ledger=Ledger(), write=False, as_of="2025-01-01")


def test_listed_with_ledger_alias(tmp_path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text("证券代码,批次,公告日期\n300557.SZ,第五批,2023-07-14\n", encoding="utf-8")
    out, led = listed.read_dated_mapping(p, return_ledger=True)
    with pytest.warns(FutureWarning, match="'with_ledger' is deprecated; use 'return_ledger'"):
        out2, led2 = listed.read_dated_mapping(p, with_ledger=True)
    pd.testing.assert_frame_equal(out, out2)
    assert led.summary() == led2.summary()


def test_deals_group_col_names_and_aliases() -> None:
    from lgresearch import deals

    u = pd.DataFrame({"lg": [True] * 4 + [False] * 4, "deal": [True, True, False, False] + [False] * 3 + [True],
                      "board": ["STAR", "Main"] * 4})
    new = deals.share_difference(u, group_col="lg", has_deal_col="deal", strata_col="board", n_boot=50)
    with pytest.warns(FutureWarning, match="'has_deal' is deprecated; use 'has_deal_col'"):
        old = deals.share_difference(u, group="lg", has_deal="deal", strata="board", n_boot=50)
    assert old == new
    cov = deals.coverage_by_group(u, group_col="lg", has_deal_col="deal", board_col=None)
    with pytest.warns(FutureWarning, match="'board' is deprecated; use 'board_col'"):
        pd.testing.assert_frame_equal(deals.coverage_by_group(u, group_col="lg", has_deal_col="deal", board=None), cov)
    s = pd.DataFrame({"g": [True, True, False, False], "st": ["a", "b", "a", "b"], "days": [10] * 4,
                      "step_up": [2.0, 1.0, 1.0, 1.0], "firm_id": ["f1", "f2", "f3", "f4"]})
    r = deals.compare_step_up_rates(s, "g", strata_col="st", n_boot=20)
    with pytest.warns(FutureWarning, match="'strata' is deprecated; use 'strata_col'"):
        r_old = deals.compare_step_up_rates(s, group_col="g", strata="st", n_boot=20)
    assert (r.diff, r.strata, r.group) == (r_old.diff, ("st",), "g")


def test_link_listed_short_names_code_col_and_usual_code_forms() -> None:
    lf = pd.DataFrame({"sec": ["300001.SZ"], "abbr": ["测试光电"], "bd": ["ChiNext"]})
    fi = pd.DataFrame({"firm_id": ["f"], "short_name": ["测试光电"], "listed_exchange": ["深圳证券交易所创业板"]})
    got = link.link_listed_short_names(lf, fi, code_col="sec", name_col="abbr", board_col="bd")
    assert got[["code", "firm_id"]].values.tolist() == [["300001", "f"]]
    with pytest.warns(FutureWarning, match="'code' is deprecated; use 'code_col'"):
        old = link.link_listed_short_names(lf, fi, code="sec", name_col="abbr", board_col="bd")
    pd.testing.assert_frame_equal(old, got)


def test_registry_link_firm_col_alias() -> None:
    import pyarrow as pa

    from lgresearch.registry_link import name_features

    t = pa.table({"id": ["1"], "name": ["深圳市大疆创新科技有限公司"], "province": ["广东"]})
    new = name_features(t, firm_col="id", name_col="name", province_col="province", uscc_col=None).to_pylist()
    with pytest.warns(FutureWarning, match="'id_col' is deprecated; use 'firm_col'"):
        old = name_features(t, id_col="id", name_col="name", province_col="province", uscc_col=None).to_pylist()
    assert old == new and new[0]["unique_id"] == "1"


def test_panel_carries_designation_date_and_precision(tmp_path) -> None:
    f = pd.DataFrame({"name": ["甲科技有限公司", "乙公司"], "batch": [4, 1], "list_type": ["publicity", "final"],
                      "province": ["浙江", "江苏"]})
    p = designations.build_panel([f], write=False, as_of="2025-01-01").set_index("name")
    assert p.loc["甲科技有限公司", "designation_precision"] == "month"  # batch 4: month-precision official date
    assert p.loc["甲科技有限公司", "designation_date"] == p.loc["甲科技有限公司", "event_date"]
    assert p.loc["乙公司", "designation_precision"] == "day"  # batch 1 announcement: a day
    path = tmp_path / "a.csv"
    path.write_text("第五批专精特新“小巨人”企业名单\n序号,企业名称,省份,公示日期\n1,甲科技有限公司,浙江,2023年7月\n"
                    "2,乙科技有限公司,浙江,2023-07-14\n", encoding="utf-8")
    own = designations.build_panel([path], write=False, as_of="2025-01-01").set_index("name")
    assert own["designation_precision"].to_dict() == {"乙科技有限公司": "day", "甲科技有限公司": "month"}
    assert own.loc["甲科技有限公司", "designation_date"] == pd.Timestamp("2023-07-01")
