import math

import pandas as pd
import pytest

from lgresearch import report
from lgresearch.report import NOT_TESTABLE, Decision, decide

SAME = {"claim_object": "private round valuations", "test_object": "private round valuations"}


def test_claim_rejects_unknown_verdicts_and_needs_provenance():
    with pytest.raises(ValueError, match="verdict must be one of"):
        report.claim("x", "true", provenance="none")
    with pytest.raises(ValueError, match="provenance"):
        report.claim("x", "supported", provenance="")


def test_simulated_verdicts_say_so():
    row = report.claim("naive uplift", "inconclusive", provenance="simulated: designation_world")
    assert "SIMULATED" in row["note"]


def test_verdict_table_writes_and_collects(monkeypatch, tmp_path):
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(tmp_path))
    rows = [report.claim("c1", "supported", estimate=0.5061, interval=(0.4, 0.6), n=10, method="share; bootstrap",
                         provenance="real: x"),
            report.claim("c2", "not testable with available data", provenance="none")]
    table = report.verdict_table(rows, "99_demo")
    assert list(table.columns) == report.CLAIM_COLUMNS
    assert "method" in report.CLAIM_COLUMNS
    assert table.loc[0, "interval"] == "[0.4, 0.6]" and table.loc[0, "estimate"] == "0.5061"
    assert table.loc[0, "method"] == "share; bootstrap" and table.loc[1, "method"] == ""
    collected = report.collect_claims(tmp_path)
    assert collected["notebook"].tolist() == ["99_demo", "99_demo"]


def test_verdict_table_refuses_empty():
    with pytest.raises(ValueError, match="at least one verdict"):
        report.verdict_table([], "x", write=False)


@pytest.mark.parametrize("verdict", ["supported", "contradicted", "inconclusive"])
def test_verdict_table_requires_a_method_for_every_tested_row(verdict):
    rows = [report.claim("ok", "not testable with available data", provenance="none"),
            report.claim("tested without method", verdict, estimate=1.0, method="   ", provenance="real: x")]
    with pytest.raises(ValueError, match=r"rows \[1\].*tested without method.*method="):
        report.verdict_table(rows, "98_demo", write=False)


def test_verdict_table_refuses_rows_without_method_column():
    row = report.claim("c", "not testable with available data", provenance="none")
    del row["method"]
    with pytest.raises(ValueError, match="lack columns.*method"):
        report.verdict_table([row], "98_demo", write=False)


def test_claim_takes_a_decision_and_puts_its_rule_in_the_note():
    d = decide(0.6, (0.55, 0.7), claimed=(0.5, 0.75), **SAME)
    row = report.claim("up 50-75%", d, estimate=0.6, interval=(0.55, 0.7), method="m", provenance="real: x",
                       note="Merged rounds.")
    assert row["verdict"] == "supported"
    assert row["note"].startswith("Merged rounds. Supported: the interval [0.55, 0.7] lies inside")


def test_banner_lists_each_source(capsys):
    text = report.data_banner([report.DataSource("prices", "missing"), report.DataSource("sim", "simulated")])
    assert "NOT AVAILABLE" in text and "SIMULATED DATA" in text
    assert "prices" in capsys.readouterr().out


# ---- decide: every branch --------------------------------------------------------------------------------


def test_decide_returns_a_frozen_decision():
    d = decide(0.1, (0.05, 0.2), **SAME)
    assert isinstance(d, Decision) and d.verdict in report.VERDICTS
    with pytest.raises(AttributeError):
        d.verdict = "x"  # type: ignore[misc]


def test_decide_wrong_object_is_not_testable_and_names_both():
    d = decide(0.01, (-0.02, 0.04), claim_object="private round valuations",
               test_object="listed-firm stock returns", claimed=(0.5, 0.75))
    assert d.verdict == NOT_TESTABLE
    assert "private round valuations" in d.rule and "listed-firm stock returns" in d.rule


def test_decide_objects_compare_ignoring_case_and_spacing():
    d = decide(0.6, (0.55, 0.7), claim_object="Private  round valuations ", test_object="private round valuations",
               claimed=(0.5, 0.75))
    assert d.verdict == "supported"


def test_decide_requires_both_objects():
    with pytest.raises(ValueError, match="claim_object and test_object"):
        decide(0.1, (0, 1), claim_object="", test_object="x")


@pytest.mark.parametrize("estimate, interval", [
    (None, (0.0, 1.0)), (0.5, None), (math.nan, (0.0, 1.0)), (0.5, (math.nan, 1.0)), (0.5, (0.0, math.inf)),
    (0.5, (0.0, None)),
])
def test_decide_missing_or_non_finite_numbers_are_not_testable(estimate, interval):
    d = decide(estimate, interval, **SAME)
    assert d.verdict == NOT_TESTABLE and "missing or not finite" in d.rule
    assert decide(None, None, **SAME).rule.startswith("Not testable: there is no estimate")


def test_decide_wrong_object_wins_over_missing_numbers():
    d = decide(None, None, claim_object="a", test_object="b")
    assert d.verdict == NOT_TESTABLE and "about a" in d.rule


@pytest.mark.parametrize("interval, expected", [
    ((0.55, 0.70), "supported"),          # inside
    ((0.50, 0.75), "supported"),          # exactly the range (closed)
    ((0.10, 0.40), "contradicted"),       # entirely below
    ((0.80, 1.20), "contradicted"),       # entirely above
    ((0.40, 0.60), "inconclusive"),       # overlaps the low end
    ((0.30, 0.50), "inconclusive"),       # touches the low end: not entirely outside
    ((0.40, 0.90), "inconclusive"),       # wider than the range
])
def test_decide_claimed_range(interval, expected):
    d = decide(sum(interval) / 2, interval, claimed=(0.5, 0.75), **SAME)
    assert d.verdict == expected
    assert d.rule.lower().startswith(expected)


def test_decide_claimed_range_ignores_null_and_alternative_and_takes_open_ends():
    d = decide(0.7, (0.6, 0.8), claimed=(0.5, math.inf), null=0.7, alternative="less", **SAME)
    assert d.verdict == "supported" and "inf" in d.rule
    assert decide(0.2, (0.1, 0.3), claimed=(0.5, math.inf), **SAME).verdict == "contradicted"


def test_decide_degenerate_interval_for_an_exact_count():
    assert decide(4762, (4762, 4762), claimed=(4762, 4762), **SAME).verdict == "supported"
    assert decide(4700, (4700, 4700), claimed=(4762, 4762), **SAME).verdict == "contradicted"


@pytest.mark.parametrize("alternative, interval, expected", [
    ("greater", (0.1, 0.3), "supported"),
    ("greater", (-0.3, -0.1), "contradicted"),
    ("greater", (-0.1, 0.3), "inconclusive"),
    ("greater", (0.0, 0.3), "inconclusive"),     # touching the null does not exclude it
    ("less", (-0.3, -0.1), "supported"),
    ("less", (0.1, 0.3), "contradicted"),
    ("less", (-0.3, 0.1), "inconclusive"),
    ("two-sided", (0.1, 0.3), "supported"),
    ("two-sided", (-0.3, -0.1), "supported"),
    ("two-sided", (-0.1, 0.1), "inconclusive"),
])
def test_decide_claim_of_an_effect(alternative, interval, expected):
    d = decide(sum(interval) / 2, interval, alternative=alternative, **SAME)
    assert d.verdict == expected
    assert d.rule.lower().startswith(expected)


def test_decide_null_other_than_zero():
    # a ratio of rates: the claim "over-represented" is a ratio above 1
    assert decide(1.5, (1.2, 1.8), null=1.0, alternative="greater", **SAME).verdict == "supported"
    assert decide(0.8, (0.7, 0.9), null=1.0, alternative="greater", **SAME).verdict == "contradicted"
    assert decide(1.1, (0.9, 1.3), null=1.0, alternative="greater", **SAME).verdict == "inconclusive"


@pytest.mark.parametrize("alternative", ["greater", "less", "two-sided"])
def test_decide_negligible_range_contradicts_a_claim_of_an_effect(alternative):
    d = decide(0.001, (-0.01, 0.02), alternative=alternative, negligible=(-0.05, 0.05), **SAME)
    assert d.verdict == "contradicted" and "negligible" in d.rule
    # an interval that reaches past the negligible range stays inconclusive
    assert decide(0.01, (-0.01, 0.08), alternative=alternative, negligible=(-0.05, 0.05),
                  **SAME).verdict == "inconclusive"


def test_decide_direction_beats_negligible_range():
    # an interval that excludes the null in the claimed direction is support even inside a wide "negligible" band
    assert decide(0.02, (0.01, 0.03), alternative="greater", negligible=(-0.05, 0.05), **SAME).verdict == "supported"


@pytest.mark.parametrize("kwargs, match", [
    ({"alternative": "bigger"}, "alternative must be one of"),
    ({"claimed": (0.75, 0.5)}, "claimed range"),
    ({"negligible": (0.1, -0.1)}, "negligible range"),
])
def test_decide_rejects_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        decide(0.1, (0.0, 0.2), **SAME, **kwargs)


def test_decide_rejects_reversed_interval():
    with pytest.raises(ValueError, match="interval .* low end above its high end"):
        decide(0.1, (0.2, 0.0), **SAME)


def test_decide_accepts_numpy_and_pandas_numbers():
    import numpy as np
    d = decide(np.float64(0.2), (np.float64(0.1), np.float32(0.3)), alternative="greater", **SAME)
    assert d.verdict == "supported"
    assert decide(pd.NA, (0.1, 0.3), **SAME).verdict == NOT_TESTABLE


@pytest.mark.parametrize("verdicts, expected", [
    (["supported", "supported"], "supported"),
    (["supported", "inconclusive"], "inconclusive"),
    (["supported", "contradicted", NOT_TESTABLE], "contradicted"),
    (["supported", NOT_TESTABLE], NOT_TESTABLE),
    (["inconclusive", NOT_TESTABLE], NOT_TESTABLE),
])
def test_decide_all_conjunction(verdicts, expected):
    d = report.decide_all([Decision(v, f"rule {i}.") for i, v in enumerate(verdicts)])
    assert d.verdict == expected
    assert "part 1: rule 0" in d.rule and f"part {len(verdicts)}" in d.rule


def test_decide_all_needs_parts():
    with pytest.raises(ValueError, match="at least one part"):
        report.decide_all([])
