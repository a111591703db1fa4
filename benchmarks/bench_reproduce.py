"""Report build times: a full re-execution of every notebook plus the site, and a cached rebuild with nothing
changed, against an empty-notebook baseline measured in the same run.

Run: ``make benchmark`` or ``.venv/bin/python benchmarks/bench_reproduce.py [--only 01 02]``.
Targets (issue 12): full re-execution (2 workers on 2 cores, ``lgresearch report --force``) <= 60 s with no
notebook over 15 s; cached rebuild (nothing changed) <= 10 s. The baseline is one empty notebook run through the
same runner (kernel start-up and a one-page site), so the ratios say how much is the notebooks' own work.
``data/processed`` is built once beforehand and not timed (``lgresearch processed`` caches it the same way).
"""

from __future__ import annotations

import argparse
import csv
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
verdict_table([claim("baseline", "inconclusive", provenance="none", method="none: an empty notebook (timing baseline)")],
              "00_empty")
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=None, help="notebook prefixes (default: all)")
    args = parser.parse_args()
    lg = str(Path(sys.executable).with_name("lgresearch"))
    only = ["--only", *args.only] if args.only else []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LGRESEARCH_REPORTS_DIR": str(Path(tmp) / "reports"), "MPLBACKEND": "Agg"}
        subprocess.run([lg, "processed"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        nbdir = Path(tmp) / "nb"
        nbdir.mkdir()
        (nbdir / "00_empty.py").write_text(EMPTY)
        base_env = {**env, "LGRESEARCH_REPORTS_DIR": str(Path(tmp) / "base")}
        base = timed([sys.executable, "-c",
                      "from lgresearch.runner import run_reports; from pathlib import Path; "
                      f"raise SystemExit(run_reports(notebooks=Path({str(nbdir)!r}), api=False, force=True))"],
                     base_env)
        full = timed([lg, "report", *only, "--force"], env)
        with open(Path(tmp) / "reports" / "run_log.csv", newline="") as fh:
            log = list(csv.DictReader(fh))
        cached = timed([lg, "report", *only], env)
        with open(Path(tmp) / "reports" / "run_log.csv", newline="") as fh:
            statuses = {r["status"] for r in csv.DictReader(fh)}
    print(f"baseline (one empty notebook + one-page site):      {base:6.1f} s")
    print(f"full re-execution + site, 2 workers:                {full:6.1f} s   ratio to baseline {full / base:5.1f}x")
    for r in log:
        flag = "  OVER 15 s" if float(r["seconds"]) > 15 else ""
        print(f"    {r['notebook']:<32} {float(r['seconds']):6.1f} s  {r['status']}{flag}")
    print(f"cached rebuild, nothing changed:                    {cached:6.1f} s   ratio to baseline "
          f"{cached / base:5.1f}x   (statuses: {', '.join(sorted(statuses))})")
    slowest = max(float(r["seconds"]) for r in log)
    print(f"targets: full <= 60 s -> {'OK' if full <= 60 else 'MISSED'}; every notebook <= 15 s -> "
          f"{'OK' if slowest <= 15 else 'MISSED'}; cached <= 10 s -> {'OK' if cached <= 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
