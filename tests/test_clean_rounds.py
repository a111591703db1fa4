"""Tests for lgresearch.clean.rounds."""

import math

import pandas as pd
import pytest

from lgresearch.clean import normalize_round
from lgresearch.clean.rounds import CATEGORIES, ROUND_COLUMNS, round_labels


@pytest.mark.parametrize(
    ("raw", "std", "category"),
    [
        ("种子轮", "seed", "seed/venture"), ("天使轮", "angel", "seed/venture"), ("Pre-A", "pre-A", "seed/venture"),
        ("Pre-A轮", "pre-A", "seed/venture"), ("A", "A", "seed/venture"), ("A轮", "A", "seed/venture"),
        ("A+", "A+", "seed/venture"), ("A+轮", "A+", "seed/venture"), ("Pre-B", "pre-B", "seed/venture"),
        ("B", "B", "seed/venture"), ("C", "C", "growth"), ("C+", "C+", "growth"), ("H", "H", "growth"),
        ("F轮-上市前", "F", "growth"), ("Pre-IPO", "pre-IPO", "pre-IPO"), ("战略投资", "strategic", "other"),
        ("基石投资", "cornerstone", "public-market placement"),
        ("新三板定增", "NEEQ placement", "public-market placement"),
        ("新三板", "NEEQ listing", "public-market placement"),
        ("上市定增", "listed placement", "public-market placement"),
        ("IPO上市", "IPO", "public-market placement"), ("IPO上市后", "post-IPO", "public-market placement"),
        ("老股权转让", "secondary", "secondary/transfer"), ("并购", "M&A", "M&A"), ("其他", "other", "other"),
        ("Series A", "A", "seed/venture"), ("series_b", "B", "seed/venture"), ("seed", "seed", "seed/venture"),
        ("pre_seed", "seed", "seed/venture"), ("angel", "angel", "seed/venture"), ("Series C+", "C+", "growth"),
        ("post_ipo_equity", "listed placement", "public-market placement"), ("corporate_round", "strategic", "other"),
        ("private_equity", "private equity", "growth"), ("secondary_market", "secondary", "secondary/transfer"),
        ("--", "undisclosed", "other"), ("", "undisclosed", "other"),
    ],
)
def test_known_spellings(raw, std, category):
    r = normalize_round(raw)
    assert (r.round_std, r.category, r.known) == (std, category, True)
    assert r.category in CATEGORIES


def test_unknown_rounds_are_marked_not_guessed():
    for raw in ["Z轮", "XYZ", "Series Q", "第三轮"]:
        r = normalize_round(raw)
        assert (r.round_std, r.known) == ("unknown", False)
        assert math.isnan(r.stage_order)


def test_stage_order_increases_along_the_ladder():
    ladder = ["种子轮", "天使轮", "Pre-A", "A", "A+", "Pre-B", "B", "B+", "C", "C+", "D", "E", "F", "G", "H",
              "Pre-IPO", "IPO上市", "上市定增"]
    orders = normalize_round(pd.Series(ladder))["stage_order"].tolist()
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_off_ladder_rounds_have_no_order():
    out = normalize_round(["战略投资", "新三板定增", "老股权转让", "并购", "其他"])
    assert out["stage_order"].isna().all()


def test_series_output_shape():
    out = normalize_round(pd.Series(["A", "B"], index=[5, 6]))
    assert list(out.columns) == ROUND_COLUMNS and out.index.tolist() == [5, 6]


def test_round_labels_cover_the_ladder():
    labels = round_labels()
    assert labels[:3] == ["seed", "angel", "pre-A"] and "M&A" in labels and "unknown" in labels
