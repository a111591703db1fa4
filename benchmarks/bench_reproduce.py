"""Report build times (issue 12): ``lgresearch reproduce --force`` (``make reproduce FORCE=1``: data/processed, every
notebook re-executed, the site) and a cached rebuild with nothing changed, against an empty-notebook baseline
measured in the same run.

Run: ``make benchmark`` or ``.venv/bin/python benchmarks/bench_reproduce.py``.
Limits: a full re-execution takes <= 60 s on 2 cores with no notebook over 15 s; a cached rebuild with nothing
changed takes <= 10 s. Three builds run in fresh temporary folders (reports, data/processed, caches):

1. ``reproduce --force`` from nothing (no site, no Sphinx environment, no caches: a fresh clone);
2. ``reproduce --force`` again (what ``make reproduce FORCE=1`` costs in a checkout that has been built before);
3. ``reproduce`` with nothing changed (the cached rebuild).

The baseline is one empty notebook run through the same runner (kernel start-up and a one-page site), so the ratios
say how much is the notebooks' own work. The phases of each build are read from its output.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULL_LIMIT, CACHED_LIMIT, NOTEBOOK_LIMIT = 60.0, 10.0, 15.0
EMPTY = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %%
from lgresearch.report import claim, verdict_table
verdict_table([claim("baseline", "inconclusive", provenance="none",
                     method="none: an empty notebook (timing baseline)")], "00_empty")
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, check=True, env=env, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def phases(output: str) -> str:
    """The phase lines a build prints ([processed] builders, [site] sources and Sphinx)."""
    keep = [line.strip() for line in output.splitlines() if re.match(r"\[(processed|site)\]", line.strip())]
    return "\n".join(f"      {line}" for line in keep)


def run_log(reports: Path) -> list[dict[str, str]]:
    with open(reports / "run_log.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    lg = str(Path(sys.executable).with_name("lgresearch"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = {**os.environ, "MPLBACKEND": "Agg", "LGRESEARCH_REPORTS_DIR": str(base / "reports"),
               "LGRESEARCH_PROCESSED_DIR": str(base / "processed"), "LGRESEARCH_CACHE_DIR": str(base / "cache")}
        nbdir = base / "nb"
        nbdir.mkdir()
        (nbdir / "00_empty.py").write_text(EMPTY)
        baseline, _ = timed([sys.executable, "-c",
                             "from lgresearch.runner import run_reports; from pathlib import Path; "
                             f"raise SystemExit(run_reports(notebooks=Path({str(nbdir)!r}), api=False, force=True))"],
                            {**env, "LGRESEARCH_REPORTS_DIR": str(base / "base")})
        cold, cold_out = timed([lg, "reproduce", "--force"], env)
        warm, warm_out = timed([lg, "reproduce", "--force"], env)
        log = run_log(base / "reports")
        cached, cached_out = timed([lg, "reproduce"], env)
        statuses = {r["status"] for r in run_log(base / "reports")}
    print(f"baseline (one empty notebook + one-page site):          {baseline:6.1f} s")
    print(f"reproduce --force, from nothing (fresh clone):          {cold:6.1f} s   ratio {cold / baseline:5.1f}x")
    print(phases(cold_out))
    print(f"reproduce --force, built before (make reproduce FORCE=1): {warm:4.1f} s   ratio {warm / baseline:5.1f}x")
    print(phases(warm_out))
    for r in log:
        flag = f"  OVER {NOTEBOOK_LIMIT:.0f} s" if float(r["seconds"]) > NOTEBOOK_LIMIT else ""
        print(f"      {r['notebook']:<32} {float(r['seconds']):6.1f} s  {r['status']}{flag}")
    print(f"reproduce, nothing changed (cached):                    {cached:6.1f} s   ratio {cached / baseline:5.1f}x"
          f"   (statuses: {', '.join(sorted(statuses))})")
    print(phases(cached_out))
    slowest = max(float(r["seconds"]) for r in log)
    ok = {True: "OK", False: "MISSED"}
    print(f"limits: full re-execution <= {FULL_LIMIT:.0f} s -> from nothing {ok[cold <= FULL_LIMIT]}, built before "
          f"{ok[warm <= FULL_LIMIT]}; every notebook <= {NOTEBOOK_LIMIT:.0f} s -> {ok[slowest <= NOTEBOOK_LIMIT]}; "
          f"cached <= {CACHED_LIMIT:.0f} s -> {ok[cached <= CACHED_LIMIT]}")


if __name__ == "__main__":
    main()
