"""Execute every report notebook top to bottom (as CI and `make reproduce` do) and check its verdict table.

Each notebook runs twice per session (tests/reports_build.py): with the third-party directory as configured (CI:
../shared/data/external), building the site, and with an empty one, where it must fall back with a banner rather
than die.
"""

import os

import jupytext
import nbformat
import pandas as pd
import pytest
from reports_build import built_reports, fallback_reports  # noqa: F401 - session fixtures

from lgresearch import runner
from lgresearch.report import VERDICTS

NOTEBOOKS = runner.notebook_files()


@pytest.mark.notebooks
@pytest.mark.parametrize("py", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_and_writes_verdicts(py, built_reports):  # noqa: F811
    status = built_reports.log.set_index("notebook")["status"]
    assert status[py.stem] in ("executed", "cached"), f"{py.stem}: {status[py.stem]}"
    claims = pd.read_csv(built_reports.reports / "claims" / f"{py.stem}.csv", dtype=str, keep_default_na=False)
    assert len(claims) >= 1
    assert claims["verdict"].isin(VERDICTS).all()
    assert (claims["data_provenance"].str.len() > 0).all()
    sim = claims["data_provenance"].str.lower().str.startswith("simulated")
    assert claims.loc[sim, "note"].str.contains("SIMULATED", case=False).all()
    # the banner saying which data ran is shown once near the top, as rendered Markdown
    nb = nbformat.read(runner.build_dir_for(built_reports.reports) / "executed" / f"{py.stem}.ipynb", as_version=4)
    outputs = [o for c in nb.cells[:8] for o in c.get("outputs", [])]
    banners = [o for o in outputs if "Data this report ran on" in str(o.get("data", {}).get("text/markdown", ""))]
    assert len(banners) == 1
    printed = " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Data this report ran on" not in printed, "the banner is shown once, not printed or echoed as a string"


@pytest.mark.notebooks
def test_all_notebooks_ran_in_one_build(built_reports):  # noqa: F811
    assert built_reports.exit_code == 0
    assert list(built_reports.log["notebook"]) == [p.stem for p in NOTEBOOKS]
    assert (built_reports.reports / "index.html").exists()


@pytest.mark.notebooks
@pytest.mark.parametrize("py", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_falls_back_without_third_party_data(py, fallback_reports):  # noqa: F811
    status = fallback_reports.log.set_index("notebook")["status"]
    assert status[py.stem] == "executed", f"{py.stem}: {status[py.stem]} without third-party data"
    claims = pd.read_csv(fallback_reports.reports / "claims" / f"{py.stem}.csv", dtype=str, keep_default_na=False)
    assert len(claims) >= 1


@pytest.mark.parametrize("py", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_paired_ipynb_matches_its_percent_source(py):
    ipynb = py.with_suffix(".ipynb")
    assert ipynb.exists(), f"{ipynb.name} missing: run `make sync`"
    src = [c.source.strip() for c in jupytext.read(py).cells]
    paired = [c.source.strip() for c in jupytext.read(ipynb).cells]
    assert src == paired, f"{ipynb.name} is out of sync with {py.name}: run `make sync`"
    assert all(not c.get("outputs") for c in jupytext.read(ipynb).cells), "commit notebooks without outputs"


def test_no_machine_paths_or_absolute_data_paths_in_notebooks():
    for py in NOTEBOOKS:
        text = py.read_text(encoding="utf-8")
        assert "shared/data" not in text, py.name
        assert os.sep + "tmp" + os.sep not in text, py.name
