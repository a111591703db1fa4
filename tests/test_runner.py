"""The report runner: failures name the notebook and the cell; a good run writes HTML, claims and the index."""

import textwrap

import pytest

from lgresearch import runner
from lgresearch.cli import build_parser, main

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""


def _write(path, body):
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def test_failing_cell_is_named(tmp_path):
    nb = _write(tmp_path / "98_broken.py", """
    # %%
    x = 1

    # %%
    raise ValueError("planted failure")
    """)
    with pytest.raises(runner.NotebookFailed) as err:
        runner.execute_notebook(nb, timeout=120)
    assert err.value.notebook == "98_broken"
    assert err.value.cell == 2
    assert "planted failure" in str(err.value)


def test_run_reports_writes_html_claims_and_index(tmp_path, monkeypatch, capsys):
    reports = tmp_path / "reports"
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(reports))
    _write(tmp_path / "97_ok.py", """
    # %%
    from lgresearch.report import claim, verdict_table
    verdict_table([claim("two plus two is four", "supported", estimate=4, n=1, method="arithmetic",
          provenance="none")], "97_ok")
    """)
    assert runner.run_reports(notebooks=tmp_path, api=False, timeout=120) == 0
    assert (reports / "97_ok.html").stat().st_size > 1000
    claims = (reports / "claims.csv").read_text()
    assert "two plus two is four" in claims
    assert "97_ok.html" in (reports / "index.html").read_text()


def test_run_reports_exit_code_names_failure(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(tmp_path / "r"))
    _write(tmp_path / "96_bad.py", """
    # %%
    1 / 0
    """)
    assert runner.run_reports(notebooks=tmp_path, api=False, timeout=120) == 1
    err = capsys.readouterr().err
    assert "96_bad" in err and "cell 1" in err and "ZeroDivisionError" in err


def test_notebook_without_verdicts_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(tmp_path / "r"))
    _write(tmp_path / "95_silent.py", """
    # %%
    x = 1
    """)
    assert runner.run_reports(notebooks=tmp_path, api=False, timeout=120) == 1
    assert "no verdict table" in capsys.readouterr().err


def test_cli_parses_the_documented_commands():
    p = build_parser()
    assert p.parse_args(["report"]).command == "report"
    assert p.parse_args(["designations", "build", "a.xlsx", "b.pdf"]).paths == ["a.xlsx", "b.pdf"]
    with pytest.raises(SystemExit):
        main(["no-such-command"])


def test_notebooks_are_numbered_and_unique():
    names = [p.stem for p in runner.notebook_files()]
    assert names == sorted(names)
    assert len({n[:2] for n in names}) == len(names)


def test_timeout_is_a_budget_for_the_whole_notebook(tmp_path):
    nb = _write(tmp_path / "94_slow.py", """
    # %%
    import time
    time.sleep(3)

    # %%
    time.sleep(3)

    # %%
    time.sleep(3)
    """)
    # every cell fits a 5 s per-cell limit, but the notebook as a whole does not
    with pytest.raises(runner.NotebookFailed, match="timed out") as err:
        runner.execute_notebook(nb, timeout=5)
    assert err.value.cell in (2, 3)
