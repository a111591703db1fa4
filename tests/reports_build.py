"""One build of every report for the whole test session (imported by test_notebooks.py and test_site.py).

The notebooks run once with the third-party data (two at a time, as `make reproduce` does) and the site is built
from that run; they run once more with an empty third-party directory, without the site. Executing each notebook
only twice per session keeps CI time reasonable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from lgresearch import runner


@dataclass
class Build:
    reports: Path
    exit_code: int
    log: pd.DataFrame


def _run(base: Path, *, external: str | None, site: bool) -> Build:
    keys = ("LGRESEARCH_REPORTS_DIR", "LGRESEARCH_PROCESSED_DIR", "LGRESEARCH_EXTERNAL_DIR")
    old = {k: os.environ.get(k) for k in keys}
    os.environ["LGRESEARCH_REPORTS_DIR"] = str(base / "reports")
    os.environ["LGRESEARCH_PROCESSED_DIR"] = str(base / "processed")
    if external is not None:
        os.environ["LGRESEARCH_EXTERNAL_DIR"] = external
    try:
        code = runner.run_reports(timeout=900, api=site, site=site, workers=2)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    log = pd.read_csv(base / "reports" / "run_log.csv", dtype={"notebook": str})
    return Build(base / "reports", code, log)


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory) -> Build:
    """Every notebook executed with the configured third-party data, and the site built from them.

    ``LGRESEARCH_TEST_SITE`` may name an already built reports folder (e.g. ``reports`` after ``make reproduce``)
    to check that one instead of building a new one.
    """
    ready = os.environ.get("LGRESEARCH_TEST_SITE")
    if ready:
        reports = Path(ready).resolve()
        return Build(reports, 0, pd.read_csv(reports / "run_log.csv", dtype={"notebook": str}))
    return _run(tmp_path_factory.mktemp("site"), external=None, site=True)


@pytest.fixture(scope="session")
def fallback_reports(tmp_path_factory) -> Build:
    """Every notebook executed with an empty third-party directory (no site)."""
    base = tmp_path_factory.mktemp("fallback")
    (base / "no-external").mkdir()
    return _run(base, external=str(base / "no-external"), site=False)
