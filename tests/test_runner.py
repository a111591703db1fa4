"""The report runner: failures name the notebook and the cell; a good run writes HTML, claims and the index."""

import re
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
    assert (reports / "run_log.csv").read_text().splitlines()[1].startswith("97_ok,")


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


def _log(reports):
    import pandas as pd

    return pd.read_csv(reports / "run_log.csv").set_index("notebook")["status"].to_dict()


OK_NB = """
# %%
from lgresearch.report import claim, verdict_table
verdict_table([claim("two plus two is four", "supported", estimate=4, n=1, method="arithmetic", provenance="none")],
              "93_cached")
"""


def test_cache_reexecutes_only_what_changed_and_force_reruns_all(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(reports))
    nb = _write(tmp_path / "93_cached.py", OK_NB)
    other = _write(tmp_path / "92_other.py", OK_NB.replace("93_cached", "92_other"))
    assert runner.run_reports(notebooks=tmp_path, site=False, timeout=120) == 0
    assert _log(reports) == {"92_other": "executed", "93_cached": "executed"}
    assert list(__import__("pandas").read_csv(reports / "run_log.csv").columns) == ["notebook", "seconds", "status"]
    assert runner.run_reports(notebooks=tmp_path, site=False, timeout=120) == 0
    assert _log(reports) == {"92_other": "cached", "93_cached": "cached"}
    nb.write_text(nb.read_text() + "\n# %%\nx = 2\n", encoding="utf-8")  # the source changed
    assert runner.run_reports(notebooks=tmp_path, site=False, timeout=120) == 0
    assert _log(reports) == {"92_other": "cached", "93_cached": "executed"}
    monkeypatch.setenv("PYTHONHASHSEED", "1")  # a parameter changed
    assert runner.run_reports(notebooks=tmp_path, site=False, timeout=120) == 0
    assert set(_log(reports).values()) == {"executed"}
    assert runner.run_reports(notebooks=tmp_path, site=False, timeout=120, force=True) == 0
    assert set(_log(reports).values()) == {"executed"}
    assert other.exists()


def test_cache_key_follows_code_data_and_source(tmp_path):
    nb = _write(tmp_path / "91_k.py", OK_NB)
    key = runner.cache_key(nb, code="c", data="d")
    assert runner.cache_key(nb, code="c2", data="d") != key  # package code
    assert runner.cache_key(nb, code="c", data="d2") != key  # input data
    nb.write_text(nb.read_text() + "\n", encoding="utf-8")
    assert runner.cache_key(nb, code="c", data="d") != key  # source


def test_data_fingerprint_sees_a_changed_input_file(tmp_path, monkeypatch):
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "a.csv").write_text("x\n1\n")
    monkeypatch.setenv("LGRESEARCH_EXTERNAL_DIR", str(ext))
    before = runner.data_fingerprint()
    (ext / "a.csv").write_text("x\n1\n2\n")
    assert runner.data_fingerprint() != before


def test_failed_notebook_is_logged_as_failed(tmp_path, monkeypatch, capsys):
    reports = tmp_path / "r"
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(reports))
    _write(tmp_path / "90_bad.py", """
    # %%
    raise RuntimeError("boom")
    """)
    assert runner.run_reports(notebooks=tmp_path, site=False, timeout=120) == 1
    assert _log(reports) == {"90_bad": "failed"}
    assert "boom" in capsys.readouterr().err


def test_site_page_has_folded_code_a_captioned_figure_and_its_data(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(reports))
    _write(tmp_path / "89_fig.py", """
    # %%
    import pandas as pd
    from lgresearch.plotting import bar_chart
    from lgresearch.provenance import mark_simulated
    from lgresearch.report import DataSource, claim, data_banner, verdict_table
    data_banner([DataSource("toy", "simulated", "seed 1")])

    # %%
    df = mark_simulated(pd.DataFrame({"batch": [1, 2], "firms": [1200, 3400]}), "toy world")
    fig = bar_chart(df, x="batch", y="firms", title="Firms per batch", xlabel="Batch", ylabel="Firms (count)")

    # %%
    verdict_table([claim("a claim that is long enough to have been cut short by pandas before " * 3,
                         "supported", estimate=12345.0, n=12000, method="toy count",
                         provenance="simulated: toy")], "89_fig")
    """)
    assert runner.run_reports(notebooks=tmp_path, api=False, timeout=300) == 0
    page = (reports / "89_fig.html").read_text(encoding="utf-8")
    assert "hide-input" in page or "<details" in page  # code folded
    assert "Figure 1" in page and 'alt="Bar chart: Firms per batch.' in page
    assert page.count("SIMULATED DATA: not a finding about China") == 1
    csvs = list((reports / "_downloads").rglob("89_fig-fig-1.csv"))
    assert len(csvs) == 1 and "3400" in csvs[0].read_text()
    assert re.search(r'<a class="reference download[^>]*href="_downloads/\w+/89_fig-fig-1.csv">.*Download', page)
    assert "12,345" in page and "12,000" in page  # formatted, and the claim in full
    assert "pandas before a claim that is long enough" in page
    assert page.count("Data this report ran on") == 1 and "\\n-" not in page
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="89_fig.html#claim-89_fig-1"' in index and "verdict-badge" in index
    assert 'id="claim-89_fig-1"' in page


def test_notebooks_run_longest_first(tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(tmp_path / "reports"))
    short, long_, new = (_write(tmp_path / f"{n}.py", OK_NB) for n in ("81_short", "82_long", "83_new"))
    executed = runner.build_dir() / "executed"
    executed.mkdir(parents=True)
    (executed / "81_short.key").write_text(json.dumps({"key": "k", "seconds": 2.0}))
    (executed / "82_long.key").write_text(json.dumps({"key": "k", "seconds": 9.0}))
    # never timed first (it may be long), then by the seconds of the last run
    assert [p.stem for p in runner.longest_first([short, long_, new])] == ["83_new", "82_long", "81_short"]


def test_read_notebook_gives_stable_cell_ids(tmp_path):
    nb = _write(tmp_path / "80_ids.py", OK_NB + "\n# %%\nx = 2\n")
    first, second = runner.read_notebook(nb), runner.read_notebook(nb)
    assert [c.id for c in first.cells] == [c.id for c in second.cells] == ["cell-1", "cell-2"]
