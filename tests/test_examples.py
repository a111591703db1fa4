"""New analyses written against the public names of release 1.0 (``examples/``), run as a user would run them.

Each script runs in a fresh interpreter from an empty folder, with its own cache folder and FutureWarnings as
errors (so a deprecated name in an example fails here), and must write exactly the files it names.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "listed_event_study.py": {"listed_event_study_cars.parquet", "listed_event_study_cars.dta"},
    "designation_panel.py": {"designation_panel.dta"},
    "step_ups_around_designation.py": {"step_up_comparison.csv"},
    "valuation_did_simulated.py": {"valuation_did.parquet", "valuation_did_event_study.csv"},
}


def test_every_example_is_listed():
    assert {p.name for p in (ROOT / "examples").glob("*.py")} == set(EXAMPLES)


@pytest.mark.parametrize("script", sorted(EXAMPLES))
def test_example_runs_and_writes_only_what_it_names(script, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LGRESEARCH_")}
    env.update({"LGRESEARCH_CACHE_DIR": str(tmp_path / "cache"), "MPLBACKEND": "Agg"})
    res = subprocess.run([sys.executable, "-W", "error::FutureWarning", str(ROOT / "examples" / script)],
                         cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-4000:]
    assert {p.name for p in work.iterdir()} == EXAMPLES[script]
    for name in EXAMPLES[script]:
        path = work / name
        frame = {".parquet": pd.read_parquet, ".csv": pd.read_csv, ".dta": pd.read_stata}[path.suffix](path)
        assert len(frame) > 0, name
