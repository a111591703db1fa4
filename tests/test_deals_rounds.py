"""Rounds, not closings: tranche merging, private-round filter, like-for-like comparisons, designations on pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch import deals, link
from lgresearch.deals import merge_tranches, relative_to_designation, step_ups
from lgresearch.ledger import InputError


def _ev(rows, *, precision="day"):
    """Events from (firm, date, round, post_money[, date_precision]) tuples."""
    rows = [r if len(r) == 5 else (*r, precision) for r in rows]
    stage = {"angel": 1.0, "A": 4.0, "B": 7.0, "C": 10.0, "unknown": np.nan}
    return pd.DataFrame({
        "event_id": [f"e{i}" for i in range(len(rows))],
        "firm_id": [r[0] for r in rows], "firm_name": [r[0] for r in rows], "short_name": None,
        "province": "浙江", "industry_vendor": "x|y",
        "date": pd.to_datetime([r[1] for r in rows]), "date_precision": [r[4] for r in rows],
        "round_std": [r[2] for r in rows], "stage_order": [stage[r[2]] for r in rows],
        "category": "seed/venture", "investment_type": None,
        "post_money_cny": [float(r[3]) for r in rows], "amount_cny": 1.0, "valuation_basis": "implied",
    })


# ---- tranche merging (hand-worked) ------------------------------------------------------------------------


def test_chain_of_tranches_is_one_round():
    # A closes three times: 0, +91 and +213 days (each within 183 days of the closing before), then B
    ev = _ev([("f", "2020-01-01", "A", 100), ("f", "2020-04-01", "A", 100), ("f", "2020-08-01", "A", 102),
              ("f", "2021-01-01", "B", 250)])
    m = merge_tranches(ev)
    assert m["round_std"].tolist() == ["A", "B"] and m["n_closings"].tolist() == [3, 1]
    assert m.loc[0, "first_closing_date"] == pd.Timestamp("2020-01-01")
    assert m.loc[0, "last_closing_date"] == pd.Timestamp("2020-08-01")
    assert m.loc[0, "amount_cny"] == 3.0 and m.loc[0, "post_money_cny"] == 100.0
    su = step_ups(ev)
    assert len(su) == 1
    row = su.iloc[0]
    assert row["step_up"] == pytest.approx(2.5) and row["days"] == 366 and not row["within_6m"]
    assert (row["n_closings_prev"], row["n_closings"]) == (3, 1)
    assert row["last_closing_date_prev"] == pd.Timestamp("2020-08-01")
    assert list(su.columns) == deals.STEP_UP_COLUMNS
    kept = step_ups(ev, tranches="keep")
    assert kept["step_up"].round(3).tolist() == [1.0, 1.02, pytest.approx(250 / 102, abs=1e-3)]
    assert (kept["n_closings"] == 1).all() and kept.attrs["tranches"] == "keep"


def test_real_step_up_between_tranches_of_one_label_is_kept():
    ev = _ev([("f", "2020-01-01", "A", 100), ("f", "2020-03-01", "A", 150)])
    su = step_ups(ev)
    assert len(su) == 1 and su["step_up"].iloc[0] == pytest.approx(1.5) and su["days"].iloc[0] == 60


@pytest.mark.parametrize("second, merged", [(104.9, True), (95.3, True), (105.2, False), (94.0, False)])
def test_same_round_merges_only_within_five_percent(second, merged):
    ev = _ev([("f", "2020-01-01", "A", 100), ("f", "2020-02-01", "A", second)])
    assert len(merge_tranches(ev)) == (1 if merged else 2)
    assert len(step_ups(ev)) == (0 if merged else 1)


def test_valuation_is_compared_with_the_first_closing_so_it_cannot_creep():
    ev = _ev([("f", "2020-01-01", "A", 100), ("f", "2020-02-01", "A", 104), ("f", "2020-03-01", "A", 108)])
    m = merge_tranches(ev)
    assert m["n_closings"].tolist() == [2, 1]
    su = step_ups(ev)
    assert su["step_up"].iloc[0] == pytest.approx(1.08) and su["days"].iloc[0] == 60


def test_closings_more_than_183_days_apart_are_separate_rounds():
    ev = _ev([("f", "2020-01-01", "A", 100), ("f", "2020-07-15", "A", 100)])
    assert len(merge_tranches(ev)) == 2
    su = step_ups(ev)
    assert su["days"].iloc[0] == 196 and su["step_up"].iloc[0] == 1.0


def test_other_firms_other_rounds_and_unknown_rounds_never_merge():
    ev = _ev([("f", "2020-01-01", "A", 100), ("g", "2020-01-02", "A", 100), ("g", "2020-02-01", "B", 100),
              ("h", "2020-01-01", "unknown", 100), ("h", "2020-02-01", "unknown", 100)])
    m = merge_tranches(ev)
    assert len(m) == 5 and (m["n_closings"] == 1).all()


def test_step_ups_rejects_unknown_tranche_option():
    with pytest.raises(ValueError, match="tranches must be"):
        step_ups(_ev([("f", "2020-01-01", "A", 100)]), tranches="drop")


# ---- private rounds -----------------------------------------------------------------------------------------


def test_private_rounds_filters_on_investment_type():
    ev = _ev([("f", f"2020-0{i}-01", "A", 100) for i in range(1, 7)])
    ev["category"] = ["other", "other", "other", "seed/venture", "other", "public-market placement"]
    ev["investment_type"] = ["发起设立", "并购投资", "创业投资", None, "战略投资", "成长资本"]
    ev.attrs["source"] = "test"
    kept = deals.private_rounds(ev)
    assert kept["investment_type"].fillna("-").tolist() == ["创业投资", "-", "战略投资"]
    assert kept.attrs["source"] == "test"
    assert set(deals.NON_ROUND_INVESTMENT_TYPES) >= {"发起设立", "并购投资"}


# ---- like-for-like comparison -------------------------------------------------------------------------------


def test_listing_status():
    s = deals.listing_status(pd.Series(["香港证券交易所主板", "全国中小企业股份转让系统(新三板)", None, "",
                                        "北京证券交易所，全国中小企业股份转让系统(新三板)"]))
    assert s.tolist() == ["exchange-listed", "NEEQ only", "never listed", "never listed", "exchange-listed"]


def _pairs(rows):
    return pd.DataFrame(rows, columns=["firm_id", "step_up", "days", "g", "st"])


def test_compare_step_up_rates_reweights_controls_to_the_treated_mix():
    # stratum X: treated 3/3 hits, controls 1/2; stratum Y: treated 0/1, controls 1/2
    s = _pairs([("a", 2.0, 30, True, "X"), ("a", 1.6, 30, True, "X"), ("b", 1.9, 30, True, "X"),
                ("c", 1.0, 30, True, "Y"), ("d", 2.0, 30, False, "X"), ("d", 1.0, 30, False, "X"),
                ("e", 1.6, 30, False, "Y"), ("f", 1.1, 30, False, "Y")])
    r = deals.compare_step_up_rates(s, "g", strata_col="st", n_boot=300)
    assert isinstance(r, deals.StepUpComparison)
    assert r.share_true == pytest.approx(0.75) and r.share_false == pytest.approx(0.5)
    assert r.diff == pytest.approx(0.25) and r.ci_low <= r.diff <= r.ci_high
    t = r.tidy()
    assert t["stratum"].tolist() == ["X", "Y", "all"]
    assert t["weight"].tolist() == pytest.approx([0.75, 0.25, 1.0])
    assert t.attrs == {} and t.loc[2, "diff"] == pytest.approx(0.25)


def test_compare_step_up_rates_leaves_out_strata_without_a_comparison():
    s = _pairs([("a", 2.0, 30, True, "X"), ("b", 2.0, 30, True, "X"), ("c", 1.0, 30, False, "X"),
                ("d", 1.0, 30, False, "X"), ("e", 2.0, 30, False, "Y"), ("f", 2.0, 30, False, "Y"),
                ("g", 2.0, 30, False, "Y")])
    plain = deals.compare_step_up_rates(s, "g", n_boot=100)
    assert plain.share_false == pytest.approx(0.6) and plain.diff == pytest.approx(0.4)
    r = deals.compare_step_up_rates(s, "g", strata_col="st", n_boot=100)
    assert r.diff == 1.0 and r.n_false == 2 and r.n_false_unmatched == 3 and r.firms_false == 2


def test_compare_tidy_saves_as_plain_data(tmp_path):
    s = _pairs([("a", 2.0, 30, True, "X"), ("b", 1.0, 30, False, "X")])
    t = deals.compare_step_up_rates(s, "g", strata_col=["st"], n_boot=20).tidy()
    t.to_csv(tmp_path / "t.csv", index=False)
    t.to_parquet(tmp_path / "t.parquet")
    assert len(pd.read_parquet(tmp_path / "t.parquet")) == 2


# ---- designations on deals ------------------------------------------------------------------------------------


PANEL = pd.DataFrame({
    "firm_id": ["P1", "P1", "P2"], "name": ["浙江蓝特光学股份有限公司"] * 2 + ["杭州某某机械有限公司"],
    "province": ["浙江"] * 3, "batch": [3, 3, 4], "list_type": ["review_passed", "publicity", "final"],
    "designation_date": pd.to_datetime(["2024-07-01", "2021-07-01", "2022-08-01"]),
    "designation_precision": ["day", "month", "day"]})


def test_attach_designations_links_and_takes_the_first_designation():
    ev = _ev([("蓝特光学（杭州）有限公司", "2021-03-01", "A", 100), ("宁波某某电子有限公司", "2021-01-01", "A", 100)])
    out = link.attach_designations(ev, PANEL)
    assert list(out.columns[-5:]) == link.ATTACHED_COLUMNS and len(out) == 2
    assert out.loc[0, "designation_date"] == pd.Timestamp("2021-07-01")  # publicity, not the later review
    assert out.loc[0, "designation_precision"] == "month" and int(out.loc[0, "batch"]) == 3
    assert out.loc[0, "match_method"] == "exact_stem" and out.loc[0, "match_score"] == 98.0
    assert out.loc[1, ["designation_date", "batch", "match_method"]].isna().all()


def test_attach_designations_uses_given_links_and_panel_event_date():
    panel = PANEL.rename(columns={"designation_date": "event_date"}).drop(columns="designation_precision")
    links = pd.DataFrame({"left_id": ["P2"], "right_id": ["x"], "method": ["override"], "score": [100.0],
                          "match": [True]})
    out = link.attach_designations(pd.DataFrame({"firm_id": ["x", "y"], "firm_name": ["甲", "乙"]}), panel,
                                   links=links)
    assert out.loc[0, "designation_date"] == pd.Timestamp("2022-08-01")
    assert out.loc[0, "designation_precision"] == "day" and out.loc[0, "match_method"] == "override"


def test_attach_designations_errors_say_what_to_fix():
    with pytest.raises(InputError, match="already has designation columns"):
        link.attach_designations(pd.DataFrame({"firm_id": ["x"], "firm_name": ["甲"], "batch": [1]}), PANEL)
    with pytest.raises(InputError, match="frame lacks columns"):
        link.attach_designations(pd.DataFrame({"firm_id": ["x"]}), PANEL)
    with pytest.raises(InputError, match="designation panel.*lacks columns"):
        link.attach_designations(pd.DataFrame({"firm_id": ["x"], "firm_name": ["甲"]}),
                                 PANEL.drop(columns="designation_date"),
                                 links=pd.DataFrame({"left_id": ["P1"], "right_id": ["x"], "method": ["override"],
                                                     "score": [100.0], "match": [True]}))


def _month_pairs(prev, cur, prec="month"):
    return pd.DataFrame({"date_prev": pd.to_datetime(prev), "date": pd.to_datetime(cur),
                         "designation_date": pd.Timestamp("2021-06-01"), "designation_precision": prec})


def test_relative_to_designation_respects_month_precision():
    p = _month_pairs(["2021-05-31", "2021-06-15", "2021-07-01", "2021-01-01", "2020-01-01", "2021-06-30"],
                     ["2021-07-01", "2021-08-01", "2021-09-01", "2021-06-01", "2021-05-31", "2021-07-01"])
    assert relative_to_designation(p).tolist() == ["straddles", "unknown", "after", "unknown", "before", "after"]
    # the same dates with a day-precision designation on 2021-06-01
    d = relative_to_designation(p.assign(designation_precision="day")).tolist()
    assert d == ["straddles", "after", "after", "straddles", "before", "after"]


def test_relative_to_designation_year_precision_rounds_and_unknowns():
    p = _month_pairs(["2020-01-01", "2020-01-01"], ["2021-01-01", "2022-01-01"], prec="day")
    p["date_precision_prev"] = "day"
    p["date_precision"] = "year"   # the later round is known only to the year 2021 (or 2022)
    assert relative_to_designation(p).tolist() == ["unknown", "straddles"]
    q = _month_pairs(["2020-01-01"] * 3, ["2022-01-01"] * 3, prec=["day", None, "decade"])
    q.loc[0, "designation_date"] = pd.NaT
    assert relative_to_designation(q, designated=pd.Series([True, True, True])).tolist() == ["unknown"] * 3
    assert relative_to_designation(q.assign(designation_date=pd.NaT)).isna().all()  # not designated


def test_step_ups_reads_attached_designations_and_labels_pairs():
    ev = _ev([("蓝特光学（杭州）有限公司", "2021-03-01", "A", 100),
              ("蓝特光学（杭州）有限公司", "2021-09-01", "B", 300),
              ("蓝特光学（杭州）有限公司", "2022-03-01", "C", 600),
              ("宁波某某电子有限公司", "2021-01-01", "A", 100),
              ("宁波某某电子有限公司", "2021-12-01", "B", 100)])
    su = step_ups(link.attach_designations(ev, PANEL))
    lante = su[su["firm_id"].str.startswith("蓝特")].reset_index(drop=True)
    assert lante["relative_to_designation"].tolist() == ["straddles", "after"]
    assert lante.loc[0, "designation_precision"] == "month" and lante.loc[0, "match_method"] == "exact_stem"
    assert su.loc[su["firm_id"].str.startswith("宁波"), "relative_to_designation"].isna().all()


@pytest.mark.parametrize("when", ["2019-01-01", "2030-01-01"])
def test_step_ups_never_crash_when_nothing_straddles(when):
    ev = _ev([("f", "2020-01-01", "A", 100), ("f", "2020-06-01", "B", 200), ("g", "2020-01-01", "A", 100),
              ("g", "2021-01-01", "B", 100)])
    des = pd.DataFrame({"firm_id": ["f"], "designation_date": [pd.Timestamp(when)]})
    su = step_ups(ev, des)
    assert not su["designated_between"].any() and su["designation_date"].isna().all()
    assert su["days_since_designation"].isna().all()
    expected = "after" if when < "2020" else "before"
    assert su["relative_to_designation"].tolist()[0] == expected and pd.isna(su["relative_to_designation"].iloc[1])
    attached = ev.assign(designation_date=ev["firm_id"].map({"f": pd.Timestamp(when)}),
                         designation_precision="day", batch=pd.NA, match_method=pd.NA, match_score=np.nan)
    assert step_ups(attached)["relative_to_designation"].tolist()[0] == expected
    empty = step_ups(ev.iloc[0:0], des)
    assert len(empty) == 0 and "relative_to_designation" in empty.columns
