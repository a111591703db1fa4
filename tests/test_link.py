"""Tests for lgresearch.link: staged linking, overrides, evaluation, synthetic name lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch import link
from lgresearch.ledger import InputError
from lgresearch.provenance import is_simulated


def _frame(rows, cols=("firm_id", "name", "province")):
    return pd.DataFrame(rows, columns=list(cols))


def _matches(pairs):
    return sorted(map(tuple, pairs.loc[pairs["match"], ["left_id", "right_id", "method"]].values.tolist()))


def test_stage_order_and_methods():
    left = _frame([
        ("L1", "浙江蓝特光學股份有限公司", "浙江"),          # Traditional + legal form -> exact name
        ("L2", "杭州某某精工机械有限公司", "浙江省"),          # region form differs -> stem
        ("L3", "深圳市大疆创新科技有限公司", "广东"),          # core with compatible industry words
        ("L4", "北京无此公司科技有限公司", "北京"),            # no partner
    ])
    right = _frame([
        ("R1", "浙江蓝特光学股份有限公司", "浙江"),
        ("R2", "浙江某某精工机械有限公司", "浙江"),
        ("R3", "大疆创新（深圳）有限公司", "广东省"),
        ("R4", "北京某某精工机械有限公司", "北京"),           # same stem, other province: never linked
    ])
    pairs = link.link_firms(left, right)
    assert _matches(pairs) == [("L1", "R1", "exact_name"), ("L2", "R2", "exact_stem"),
                               ("L3", "R3", "exact_core")]
    assert list(pairs.columns) == link.PAIR_COLUMNS


def test_uscc_wins_and_malformed_codes_are_ignored():
    left = pd.DataFrame({"firm_id": ["L1", "L2"], "name": ["甲公司", "乙公司"], "province": ["浙江", "浙江"],
                         "uscc": ["91330100MA2H2X7X4L", "BADCODE"]})
    right = pd.DataFrame({"firm_id": ["R1", "R2"], "name": ["完全不同的名字有限公司", "丙公司"],
                          "province": ["江苏", "浙江"], "uscc": ["91330100MA2H2X7X4L", "BADCODE"]})
    assert _matches(link.link_firms(left, right, uscc_col="uscc")) == [("L1", "R1", "uscc")]


def test_conflicting_industry_words_are_not_linked():
    left = _frame([("L1", "浙江蓝特电子有限公司", "浙江")])
    right = _frame([("R1", "浙江蓝特机械有限公司", "浙江")])
    pairs = link.link_firms(left, right)
    assert not pairs["match"].any()
    assert (pairs["note"] == "same core, conflicting industry words").any()


def test_place_name_trade_names_do_not_collide():
    # "泰安" and "南通" are stripped as regions, leaving only the generic "微电子": not a basis for a match
    left = _frame([("L1", "泰安微电子股份有限公司", "上海")])
    right = _frame([("R1", "上海南通微电子股份有限公司", "上海")])
    assert not link.link_firms(left, right)["match"].any()


def test_short_names():
    left = _frame([("L1", "航天智造科技股份有限公司", "河北"), ("L2", "江苏兴邦电气股份有限公司", "江苏"),
                   ("L3", "浙江九天行歌航天科技有限公司", "浙江")])
    right = pd.DataFrame({"firm_id": ["R1", "R2", "R3"], "name": [None, None, None],
                          "short_name": ["航天智造", "兴邦", "九天行歌"], "province": ["河北", "江苏", "浙江"]})
    pairs = link.link_firms(left, right, short_col="short_name")
    got = _matches(pairs)
    assert ("L1", "R1", "short_name") in got and ("L3", "R3", "short_name") in got
    # a bare two-character trade name is too ambiguous to accept
    assert not any(r[0] == "L2" for r in got)


def test_short_name_must_be_unambiguous():
    left = _frame([("L1", "浙江九天行歌航天科技有限公司", "浙江"), ("L2", "浙江九天行歌医疗器械有限公司", "浙江")])
    right = pd.DataFrame({"firm_id": ["R1"], "name": [None], "short_name": ["九天行歌"], "province": ["浙江"]})
    assert not link.link_firms(left, right, short_col="short_name")["match"].any()


def test_fuzzy_stage_accepts_long_near_identical_cores_only():
    left = _frame([("L1", "浙江中科微纳米精密光学仪器研究有限公司", "浙江"), ("L2", "浙江蓝特光学有限公司", "浙江"),
                   ("L3", "江苏中科微纳米精密光学仪器研究开发有限公司", "江苏")])
    right = _frame([("R1", "浙江中科徽纳米精密光学仪器研究有限公司", "浙江"),  # a one-character typo
                    ("R2", "浙江蓝持光学有限公司", "浙江"),
                    ("R3", "江苏中科微纳米精密光学仪器研究发展有限公司", "江苏")])
    pairs = link.link_firms(left, right)
    fz = pairs[pairs["method"] == "fuzzy"].set_index("left_id")
    assert fz.loc["L1", "match"] and fz.loc["L1", "score"] >= link.FUZZY_THRESHOLD
    # one character in a four-character core is not close enough: reported as a candidate, not accepted
    assert not pairs.loc[pairs["left_id"] == "L2", "match"].any()
    # equal cores but contradicting industry words (开发 vs 发展) are not accepted
    assert not pairs.loc[pairs["left_id"] == "L3", "match"].any()
    assert link.link_firms(left, right, fuzzy=False)["method"].ne("fuzzy").all()


def test_several_right_rows_of_one_firm_are_all_linked():
    left = _frame([("L1", "深圳精智达技术股份有限公司", "广东")])
    right = _frame([("R1", "深圳精智达技术股份有限公司", "广东"), ("R2", "深圳精智达技术有限公司", "广东")])
    got = _matches(link.link_firms(left, right))
    assert [r[1] for r in got] == ["R1", "R2"] or {r[1] for r in got} == {"R1"}


def test_blocks_missing_left_block_compares_all_when_small():
    left = pd.DataFrame({"firm_id": ["L1"], "name": ["中科微纳米精密光学仪器研究有限公司"], "province": [None]})
    right = _frame([("R1", "浙江中科徽纳米精密光学仪器研究有限公司", "浙江")])
    assert link.link_firms(left, right)["match"].any()


def test_index_as_ids_and_missing_columns():
    left = pd.DataFrame({"name": ["浙江蓝特光学股份有限公司"], "province": ["浙江"]}, index=[7])
    right = pd.DataFrame({"name": ["浙江蓝特光学股份有限公司"], "province": ["浙江"]}, index=[9])
    pairs = link.link_firms(left, right, firm_col=None)
    assert pairs[["left_id", "right_id"]].values.tolist() == [[7, 9]]
    with pytest.raises(KeyError):
        link.link_firms(left, right, name_col="legal_name")


def test_overrides_accept_and_reject(tmp_path):
    left = _frame([("L1", "浙江蓝特光学股份有限公司", "浙江"), ("L2", "浙江某甲有限公司", "浙江")])
    right = _frame([("R1", "浙江蓝特光学股份有限公司", "浙江"), ("R2", "某乙（杭州）有限公司", "浙江")])
    path = tmp_path / "overrides.csv"
    path.write_text("left_id,right_id,decision,note\nL1,R1,reject,checked registry\nL2,R2,Accept,same firm renamed\n",
                    encoding="utf-8")
    pairs = link.link_firms(left, right, overrides=path)
    got = _matches(pairs)
    assert ("L2", "R2", "override") in got and not any(r[:2] == ("L1", "R1") for r in got)
    assert pairs.loc[pairs["left_id"] == "L1", "note"].str.contains("rejected").all()
    bad = tmp_path / "bad.csv"
    bad.write_text("left_id,right_id,decision\nL1,R1,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2"):
        link.link_firms(left, right, overrides=bad)


def test_evaluate():
    pairs = pd.DataFrame({"left_id": ["a", "b", "c", "d"], "right_id": ["x", "y", "q", "w"],
                          "method": ["exact_name", "exact_stem", "fuzzy", "fuzzy"], "match": [True, True, True, False]})
    truth = pd.DataFrame({"left_id": ["a", "b", "c", "e"], "right_id": ["x", "y", "z", "v"]})
    ev = link.evaluate(pairs, truth, by_method=True).set_index("method")
    assert ev.loc["all", "precision"] == pytest.approx(2 / 3) and ev.loc["all", "recall"] == pytest.approx(0.5)
    assert ev.loc["fuzzy", "precision"] == 0.0 and np.isnan(ev.loc["fuzzy", "recall"])


def test_best_matches_keeps_most_reliable_method():
    p = pd.DataFrame({"left_id": ["a", "a", "b"], "right_id": ["x", "x", "y"],
                      "method": ["fuzzy", "exact_stem", "short_name"], "score": [93.0, 98.0, 90.0],
                      "match": [True, True, False]})
    assert link.best_matches(p)[["left_id", "method"]].values.tolist() == [["a", "exact_stem"]]


def test_synthetic_lists_quality_small():
    left, right, truth = link.synthetic_name_lists(600, 6000, seed=3)
    assert is_simulated(left) and is_simulated(right)
    assert len(truth) == 420 and truth["left_id"].is_unique
    pairs = link.link_firms(left, right, short_col="short_name")
    ev = link.evaluate(pairs, truth).iloc[0]
    assert ev["precision"] >= 0.98 and ev["recall"] >= 0.93


def test_name_stem():
    assert link.name_stem("浙江省杭州市蓝特光学股份有限公司") == "蓝特光学"
    assert link.name_stem("蓝特光学（杭州）有限公司") == "蓝特光学"
    assert link.name_stem(None) is None


# ------------------------------------------------------------------------ identifying Little Giants in deal data


def _deal_firms():
    return pd.DataFrame({
        "firm_id": ["d1", "d2", "d3"],
        "firm_name": ["浙江铖昌科技股份有限公司", "南京盛航海运股份有限公司", "杭州某某机械有限公司"],
        "short_name": ["铖昌科技", "盛航股份", "某某机械"],
        "province": ["浙江", "江苏", "浙江"],
        "listed_exchange": ["深圳证券交易所主板", "深圳证券交易所主板", None],
    })


def test_batch_windows_from_official_facts():
    w = link.batch_windows()
    assert w["batch"].tolist()[:3] == [1, 2, 3]
    assert (w["window_end"] >= w["window_start"]).all()


def test_fragment_reader_and_linking(tmp_path):
    p = tmp_path / "frag.csv"
    p.write_text("enterprise_name,province,city,cohort_batch,cohort_year,event,event_year,event_date\n"
                 "浙江铖昌科技股份有限公司,浙江省,杭州市,2,2020,review_pass_publicity,2023,2023-07-14\n"
                 "某不存在公司,浙江省,杭州市,3,2021,designation,2021,\n", encoding="utf-8")
    frag = link.fragment_firms(p)
    assert frag["batch"].tolist() == [2, 3] and frag["window_start"].notna().all()
    got = link.link_fragments(_deal_firms(), frag)
    assert got["firm_id"].tolist() == ["d1"] and bool(got["date_known"].iloc[0])
    bad = tmp_path / "bad.csv"
    bad.write_text("enterprise_name,province,cohort_batch\n甲公司,浙江,two\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2"):
        link.fragment_firms(bad)


def test_listed_short_names_need_listing_and_consistent_board():
    listed_ = pd.DataFrame({"code": ["001270", "001205", "300999"], "name": ["铖昌科技", "盛航股份", "某某机械"],
                            "board": ["Main", "ChiNext", "ChiNext"]})
    got = link.link_listed_short_names(listed_, _deal_firms())
    # 盛航股份 is on the main board in the deal data but ChiNext by code; 某某机械 is not listed in the deal data
    assert got["code"].tolist() == ["001270"] and got["firm_id"].tolist() == ["d1"]


def test_identified_little_giants_combines_sources():
    frag = pd.DataFrame({"fid": ["f1"], "name": ["浙江铖昌科技股份有限公司"], "province": ["浙江"], "batch": [2],
                         "window_start": [pd.Timestamp("2020-11-01")], "window_end": [pd.Timestamp("2020-11-01")]})
    tags = pd.DataFrame({"code": ["001270", "001205"], "name": ["铖昌科技", "盛航股份"], "board": ["Main", "Main"],
                         "verified_batch": pd.array([pd.NA, pd.NA], dtype="Int64"), "high_confidence": [True, False],
                         "bracket_low": [pd.NaT, pd.NaT], "bracket_high": pd.to_datetime(["2024-01-02", "2024-01-02"]),
                         "first_seen": pd.to_datetime(["2023-12-18", "2023-12-18"])})
    ident = link.identified_little_giants(_deal_firms(), fragments=frag, listed_tags=tags)
    assert list(ident.columns) == link.IDENTIFIED_COLUMNS
    assert ident.set_index("firm_id").loc["d1", "source"] == "official fragment"  # the fragment wins
    d2 = ident.set_index("firm_id").loc["d2"]
    assert d2["source"] == "listed vendor tag" and not d2["date_known"]
    assert d2["window_end"] == pd.Timestamp("2024-01-02")
    assert link.identified_little_giants(_deal_firms()).empty


# ---- issue 11 item 8: the linking package (link ↔ registry_link cycle cut; names kept)


@pytest.mark.parametrize("first", ["lgresearch.registry_link", "lgresearch.link.registry.features",
                                   "lgresearch.link.names", "lgresearch.link"])
def test_linking_modules_import_in_any_order(first):
    """No runtime import cycle: each linking module imports first in a fresh interpreter."""
    import subprocess
    import sys

    code = (f"import importlib; importlib.import_module({first!r}); "
            "from lgresearch.registry_link import link_to_registry, name_features; "
            "from lgresearch.link import name_stem; print(name_features.__module__, name_stem.__module__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["lgresearch.link.registry.features", "lgresearch.link.names"]


def test_registry_names_are_one_object_from_every_path():
    from lgresearch import registry_link
    from lgresearch.link import registry

    for name in registry_link.__all__:
        assert getattr(registry_link, name) is getattr(link, name) is getattr(registry, name), name
    assert set(registry_link.__all__) <= set(link.__all__)


def test_fragments_parts_come_from_the_sources_registry():
    from lgresearch import sources

    assert link.FRAGMENTS_PARTS == sources.parts("fragments") == ("official", "srdi_firm_fragments.csv")
