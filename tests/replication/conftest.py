"""Replication of the notebooks' headline numbers with plain pandas (no ``lgresearch`` import in this folder).

Each notebook is run once per session through the command line (``python -m lgresearch report --only NN``) into a
temporary reports folder; the tests read ``claims/NN_*.csv`` and recompute the number from the raw files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]


def external_dir() -> Path | None:
    """The vendor data folder (``LGRESEARCH_EXTERNAL_DIR``), or None when unset or missing."""
    value = os.environ.get("LGRESEARCH_EXTERNAL_DIR")
    return Path(value) if value and Path(value).is_dir() else None


def official_file(name: str) -> Path:
    """An official facts file: ``lgresearch/data/official/<name>`` in the checkout, else where the package ships it."""
    candidate = REPO / "lgresearch" / "data" / "official" / name
    if candidate.exists():
        return candidate
    found = sorted(p for p in (REPO / "lgresearch").rglob(name))
    if not found:
        pytest.skip(f"{name} not found in lgresearch/data/official or the package data")
    return found[0]


def require_external(*parts: str) -> Path:
    """Path to an external file, or skip the test with the reason."""
    base = external_dir()
    if base is None:
        pytest.skip("LGRESEARCH_EXTERNAL_DIR is not set or missing: the vendor files are needed")
    path = base.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is missing")
    return path


def number(text: object) -> float:
    """A number as the claims ledger writes it ('4,762', '0.506')."""
    return float(str(text).replace(",", ""))


def interval(text: object) -> tuple[float, float]:
    """'[a, b]' → (a, b)."""
    lo, hi = re.fullmatch(r"\[(.*), (.*)\]", str(text)).groups()
    return number(lo), number(hi)


@pytest.fixture(scope="session")
def claims(tmp_path_factory):
    """claims("04") → that notebook's claims ledger, running the notebook once per session."""
    cache: dict[str, pd.DataFrame] = {}

    def run(prefix: str) -> pd.DataFrame:
        if prefix not in cache:
            out = tmp_path_factory.mktemp(f"reports_{prefix}")
            env = {**os.environ, "LGRESEARCH_REPORTS_DIR": str(out), "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
            proc = subprocess.run([sys.executable, "-m", "lgresearch", "report", "--only", prefix, "--no-api"],
                                  cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
            assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
            files = sorted((out / "claims").glob(f"{prefix}_*.csv"))
            assert len(files) == 1, f"notebook {prefix} wrote {files}"
            cache[prefix] = pd.read_csv(files[0], dtype=str, keep_default_na=False)
        return cache[prefix]

    return run


def row(frame: pd.DataFrame, starts: str) -> pd.Series:
    """The one claims row whose claim text starts with ``starts``."""
    hit = frame[frame["claim"].str.startswith(starts)]
    assert len(hit) == 1, f"{len(hit)} rows start with {starts!r}"
    return hit.iloc[0]
