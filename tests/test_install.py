"""The package works as a dependency: a wheel installed apart from the checkout, run from an empty folder.

The wheel is built from a copy of the sources (nothing is written into the checkout), installed with
``pip install --no-deps --target`` (the locked dependencies come from this environment, the package itself only from
the wheel), and exercised in a child process whose working folder is empty and whose ``sys.path`` cannot reach the
checkout. The child runs ``official.batches()``, readers on the sample files and the README's reuse example; the
test then asserts that nothing was written outside the cache folder and the outputs the example names.

Marked ``install`` (deselect with ``-m "not install"``); it runs in CI with the rest of the suite (about 20 s).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lgresearch import paths

pytestmark = pytest.mark.install

ROOT = paths.repo_root()

CHILD = r"""
import os, sys
from pathlib import Path
import lgresearch
from lgresearch import datasets, listed, official, paths, prices

site = Path(os.environ["LG_SITE"]).resolve()
assert Path(lgresearch.__file__).resolve().is_relative_to(site), lgresearch.__file__
assert paths.official_dir().is_relative_to(site) and not paths.in_checkout()
b = official.batches()
assert b["batch"].tolist() == [1, 2, 3, 4, 5, 6, 7], b["batch"].tolist()
with datasets.as_external():
    p = prices.load_returns_panel(codes=["sz300557", 600519], start="2024-03-01")
    llg = listed.listed_little_giants()
assert p["code"].astype(str).unique().tolist() == ["300557", "600519"]
assert "920475" in set(llg["code"])
assert paths.processed_dir(create=False).is_relative_to(Path(os.environ["LGRESEARCH_CACHE_DIR"]).resolve())
print("ok", lgresearch.__version__)
"""


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Reusing lgresearch in your own project", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the README's reuse section should hold one python example"
    return blocks[0]


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    pytest.importorskip("setuptools", minversion="77")
    base = tmp_path_factory.mktemp("install")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "lgresearch", src / "lgresearch",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    dist, site = base / "dist", base / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(src)],
                   check=True, capture_output=True, text=True)
    wheels = list(dist.glob("lgresearch-*.whl"))
    assert len(wheels) == 1
    subprocess.run([*pip, "install", "--no-deps", "--no-compile", "-q", "--target", str(site), str(wheels[0])],
                   check=True, capture_output=True, text=True)
    return base, site


def _run(code: str, base: Path, site: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LGRESEARCH_", "PYTHON", "XDG_"))}
    env.update({
        "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "LG_SITE": str(site),
        "LGRESEARCH_CACHE_DIR": str(base / "cache"), "HOME": str(base / "home"), "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(base / "cache" / "matplotlib"),
    })
    # -P: do not put the script's folder on sys.path; the checkout is reachable only through the editable
    # install's path hooks, which come after PYTHONPATH (the child asserts it imported the wheel's copy).
    return subprocess.run([sys.executable, "-P", "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_wheel_ships_package_data(installed):
    _, site = installed
    pkg = site / "lgresearch"
    assert (pkg / "py.typed").is_file()
    for name in ("facts.csv", "fx_rates.csv", "province_counts.csv", "industry_shares.csv", "vc_aggregates.csv"):
        assert (pkg / "data" / "official" / name).is_file(), name
    assert (pkg / "datasets" / "_generate.py").is_file()  # vendor-shaped samples are generated into the cache
    assert not (pkg / "datasets" / "samples" / "external").exists()
    assert (pkg / "datasets" / "samples" / "user" / "wind_deals_sample.csv").is_file()


def test_installed_package_runs_from_an_empty_folder_and_writes_only_its_cache(installed):
    base, site = installed
    work = base / "work_readers"
    work.mkdir()
    before_site = _files(site)
    res = _run(CHILD, base, site, work)
    assert res.returncode == 0, res.stderr[-4000:]
    assert res.stdout.strip().endswith("ok 1.0.0")
    assert _files(work) == set(), "wrote into the working folder"
    assert _files(site) == before_site, "wrote into the installed package"
    assert not (base / "home").exists() or _files(base / "home") == set()
    assert any((base / "cache" / "prices").rglob("*.parquet")) and any((base / "cache" / "listed").iterdir())
    assert any((base / "cache" / "samples").rglob("*.parquet"))


def test_readme_reuse_example_runs_and_writes_only_what_it_names(installed):
    base, site = installed
    work = base / "work_readme"
    work.mkdir()
    git_before = _git_status()
    res = _run(_readme_example(), base, site, work)
    assert res.returncode == 0, res.stderr[-4000:]
    assert "relative_to_designation" in res.stdout and "广东丙芯片科技有限公司" in res.stdout
    assert _files(work) == {"step_ups.dta"}
    import pandas as pd

    steps = pd.read_stata(work / "step_ups.dta")
    assert len(steps) == 5 and (steps["relative_to_designation"] == "straddles").sum() == 3
    assert (steps["relative_to_designation"] == "before").sum() == 1
    assert _git_status() == git_before, "the example wrote into the checkout"


def _git_status() -> str:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return ""
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True,
                          text=True, check=False).stdout
