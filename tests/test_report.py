import pandas as pd
import pytest

from lgresearch import report


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
    rows = [report.claim("c1", "supported", estimate=0.5061, interval=(0.4, 0.6), n=10, provenance="real: x"),
            report.claim("c2", "not testable with available data", provenance="none")]
    table = report.verdict_table(rows, "99_demo")
    assert list(table.columns) == report.CLAIM_COLUMNS
    assert table.loc[0, "interval"] == "[0.4, 0.6]" and table.loc[0, "estimate"] == "0.5061"
    collected = report.collect_claims(tmp_path)
    assert collected["notebook"].tolist() == ["99_demo", "99_demo"]


def test_verdict_table_refuses_empty():
    with pytest.raises(ValueError, match="at least one verdict"):
        report.verdict_table([], "x", write=False)


def test_banner_lists_each_source(capsys):
    text = report.data_banner([report.DataSource("prices", "missing"), report.DataSource("sim", "simulated")])
    assert "NOT AVAILABLE" in text and "SIMULATED DATA" in text
    assert "prices" in capsys.readouterr().out
