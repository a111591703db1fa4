"""Notebook 01: official counts and targets, recomputed from facts.csv."""

import pandas as pd
import pytest

from .conftest import interval, number, official_file, row

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def facts():
    return pd.read_csv(official_file("facts.csv"), dtype=str, keep_default_na=False)


def _chosen(facts, metric, batch=""):
    hit = facts[(facts["metric"] == metric) & (facts["batch"] == str(batch)) & (facts["chosen"] == "true")]
    assert len(hit) == 1, (metric, batch)
    return float(hit["value"].iloc[0])


def test_4762_after_batch_3(claims, facts):
    r = row(claims("01"), "MIIT has nominated 4,762")
    total = sum(_chosen(facts, "count_final", b) for b in (1, 2, 3))
    assert total == 4762 and number(r["estimate"]) == total and r["verdict"] == "supported"
    b2 = facts.loc[(facts["metric"] == "count_final") & (facts["batch"] == "2"), "value"].astype(float)
    lo, hi = interval(r["interval"])
    assert (lo, hi) == (248 + b2.min() + 2930, 248 + b2.max() + 2930)


def test_plan_of_600(claims, facts):
    r = row(claims("01"), "plans to create around 600")
    assert number(r["estimate"]) == _chosen(facts, "planned_2018_2020") == 600


def test_10000_target_and_when_it_was_crossed(claims, facts):
    r = row(claims("01"), "the goal is to create 10,000")
    assert number(r["estimate"]) == _chosen(facts, "target_by_2025") == 10_000
    counts = pd.Series({b: _chosen(facts, "count_final", b) for b in range(1, 8)})
    gross = counts.cumsum()
    crossed = int(gross[gross >= 10_000].index[0])
    assert interval(r["interval"])[1] == gross[crossed]
    assert f"batch {crossed}" in r["note"]


def test_key_little_giants_and_budget(claims, facts):
    r = row(claims("01"), "about 1,000 priority small giants")
    key, budget = _chosen(facts, "key_little_giants_2021_2025"), _chosen(facts, "central_budget_2021_2025")
    assert r["estimate"] == f">{int(key):,} firms; >{budget:g} bn yuan"
