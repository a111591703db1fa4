"""Notebook 04: the step-up counts behind the verdicts, recomputed from the raw 清科 export with plain pandas.

Recomputed here: the private rounds, the merging of closings into rounds, the round pairs at most 183 days apart and
how many step up by 50% or more, with closings merged (the rounds every verdict rests on) and kept (the robustness
row). Not recomputed: which firms are program firms (entity linking of official name fragments and vendor tags), so
the program-versus-others split is checked only through its totals.
"""

import re

import pytest

from . import _deals_plain as plain
from .conftest import number, require_external, row

pytestmark = pytest.mark.notebooks

POOLED = re.compile(r"all firms: (\d+) of (\d+) (merged-round pairs|pairs of closings) <= 183 days apart step up >= 1\.5")


@pytest.fixture(scope="module")
def rounds():
    ev = plain.events(require_external("muweiabc__govfund", "invest_with_treatment.xlsx"))
    valued = plain.private_valued(ev)
    return {"merged": plain.pairs(plain.merge_closings(valued)), "closings": plain.pairs(valued)}


def _pooled(r):
    hits, n, _kind = POOLED.search(r["note"]).groups()
    return int(hits), int(n)


def _within(pairs):
    w = pairs[pairs["days"] <= 183]
    return int((w["step_up"] >= 1.5).sum()), len(w)


def test_merged_round_pairs_within_six_months(claims, rounds):
    ledger = claims("04")
    main = row(ledger, "(reading) program firms see 50%+ step-ups")
    everyone = row(ledger, "(robustness: all other firms")
    assert _pooled(main) == _pooled(everyone) == _within(rounds["merged"])
    assert number(everyone["n"]) == _within(rounds["merged"])[1]


def test_pairs_of_closings_within_six_months(claims, rounds):
    r = row(claims("04"), "(robustness: closings counted as rounds)")
    assert _pooled(r) == _within(rounds["closings"])
    hits_m, n_m = _within(rounds["merged"])
    hits_c, n_c = _within(rounds["closings"])
    assert n_c > 3 * n_m  # most short-horizon pairs of closings are tranches of one round
    assert hits_m / n_m > hits_c / n_c


def test_merging_rule_by_hand():
    import pandas as pd

    ev = pd.DataFrame({"firm": ["f"] * 4, "round": ["A", "A", "A", "B"], "post_money": [100.0, 100.0, 150.0, 300.0],
                       "date": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2020-12-01"])})
    merged = plain.merge_closings(ev)
    assert merged["post_money"].tolist() == [100.0, 150.0, 300.0]
