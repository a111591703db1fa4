"""Notebook 04: the step-up counts behind the verdicts, recomputed from the raw 清科 export with plain pandas.

Recomputed here: the private rounds, the merging of closings into rounds, the round pairs at most 183 days apart and
how many step up by 50% or more, with closings merged (the rounds every verdict rests on) and kept (the robustness
row). Not recomputed: which firms are program firms (entity linking of official name fragments and vendor tags), so
the program-versus-others split is checked only through its totals.
"""

import re

import pytest

import numpy as np
import pandas as pd

from . import _deals_plain as plain
from . import _listed_plain as listed
from .conftest import interval, number, require_external, row

pytestmark = pytest.mark.notebooks

POOLED = re.compile(r"all firms: (\d+) of (\d+) (merged-round pairs|pairs of closings) "
                    r"<= 183 days apart step up >= 1\.5")


@pytest.fixture(scope="module")
def raw_events():
    return plain.events(require_external("muweiabc__govfund", "invest_with_treatment.xlsx"))


@pytest.fixture(scope="module")
def rounds(raw_events):
    valued = plain.private_valued(raw_events)
    return {"merged": plain.pairs(plain.merge_closings(valued)), "closings": plain.pairs(valued)}


@pytest.fixture(scope="module")
def short_horizon(raw_events):
    """Merged-round pairs <= 183 days apart, flagged program firm, with listing status and stage."""
    ext = require_external()
    require_external("listed-little-giants", "listed_little_giants_by_code.csv")
    fragments = require_external("official", "srdi_firm_fragments.csv")
    firms = plain.firms(raw_events)
    tagged = set(listed.link_short_names(listed.tag_rows(ext), firms, plain._name)["firm"])
    names = set(plain._name(pd.read_csv(fragments, dtype=str, keep_default_na=False)["enterprise_name"].str.strip()))
    program = tagged | (set(firms["firm"]) & names)
    p = plain.pairs_with_stage(plain.merge_closings(plain.private_valued(raw_events)))
    p = p[p["days"] <= 183]
    status = plain.listing_status(firms.set_index("firm")["exchange"])
    return p.assign(program=p["firm"].isin(program), status=p["firm"].map(status), hit=p["step_up"] >= 1.5)


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


def test_typical_share_of_program_firms(claims, short_horizon):
    r = row(claims("04"), "(reading) a valuation increase of 50% or more within six months is the typical")
    prog = short_horizon[short_horizon["program"]]
    assert number(r["n"]) == len(prog)
    assert number(r["estimate"]) == pytest.approx(round(prog["hit"].mean(), 3), abs=1e-9)
    assert interval(r["interval"])[1] < 0.5 and r["verdict"] == "contradicted"


def test_like_for_like_difference(claims, short_horizon):
    r = row(claims("04"), "(reading) program firms see 50%+ step-ups")
    cells = short_horizon.groupby(["status", "stage", "program"])["hit"].agg(["sum", "count"]).unstack("program")
    cells = cells.dropna()
    cells = cells[(cells[("count", True)] > 0) & (cells[("count", False)] > 0)]
    weight = cells[("count", True)] / cells[("count", True)].sum()
    diff = float((weight * (cells[("sum", True)] / cells[("count", True)]
                            - cells[("sum", False)] / cells[("count", False)])).sum())
    assert number(r["estimate"]) == pytest.approx(round(diff, 3), abs=1e-9)
    assert number(r["n"]) == int(cells[("count", True)].sum() + cells[("count", False)].sum())
    lo, hi = interval(r["interval"])
    assert lo < diff < hi and np.isfinite([lo, hi]).all()
