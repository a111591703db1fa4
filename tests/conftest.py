"""Shared test settings: derived files and reports go to a temporary folder, never into the repository."""

from __future__ import annotations

import os

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True, scope="session")
def _isolated_outputs(tmp_path_factory):
    """Point data/processed, reports and the cache at a session temp dir (the notebooks' kernels inherit it)."""
    base = tmp_path_factory.mktemp("lgresearch-out")
    old = {k: os.environ.get(k) for k in ("LGRESEARCH_PROCESSED_DIR", "LGRESEARCH_REPORTS_DIR",
                                          "LGRESEARCH_CACHE_DIR")}
    os.environ.setdefault("LGRESEARCH_PROCESSED_DIR", str(base / "processed"))
    os.environ.setdefault("LGRESEARCH_REPORTS_DIR", str(base / "reports"))
    os.environ.setdefault("LGRESEARCH_CACHE_DIR", str(base / "cache"))
    yield base
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
