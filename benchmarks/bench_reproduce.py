"""Warm `make reproduce` time for the foundation notebooks (01, 02), against an empty-notebook baseline.

Run: ``make benchmark`` or ``.venv/bin/python benchmarks/bench_reproduce.py [--all]``.
The baseline is one empty notebook executed in the same run (kernel start-up), so the ratio says how much of the
time is the notebooks' own work. Target (issue 2): under 30 s for 01 + 02 once the environment exists.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EMPTY = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %%
from lgresearch.report import claim, verdict_table
verdict_table([claim("baseline", "inconclusive", provenance="none")], "00_empty")
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="time every notebook, not only 01 and 02")
    args = parser.parse_args()
    lg = str(Path(sys.executable).with_name("lgresearch"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LGRESEARCH_REPORTS_DIR": str(Path(tmp) / "reports")}
        nbdir = Path(tmp) / "nb"
        nbdir.mkdir()
        (nbdir / "00_empty.py").write_text(EMPTY)
        base = timed([sys.executable, "-c",
                      f"from lgresearch.runner import run_reports; from pathlib import Path; "
                      f"raise SystemExit(run_reports(notebooks=Path({str(nbdir)!r}), api=False))"], env)
        only = [] if args.all else ["--only", "01", "02"]
        timed([lg, "report", *only, "--no-api"], env)  # warm-up (imports, caches)
        warm = timed([lg, "report", *only, "--no-api"], env)
        api = timed([sys.executable, "-m", "pdoc", "--docformat", "numpy", "-o", str(Path(tmp) / "api"),
                     "lgresearch"], env)
    n = "all notebooks" if args.all else "01 + 02"
    print(f"baseline (one empty notebook incl. kernel start): {base:6.2f} s")
    print(f"warm report run, {n}:                 {warm:6.2f} s   ratio to baseline {warm / base:5.1f}x")
    print(f"API reference (pdoc):                             {api:6.2f} s")
    print(f"target: warm 01 + 02 under 30 s -> {'OK' if warm < 30 or args.all else 'MISSED'}")


if __name__ == "__main__":
    main()
