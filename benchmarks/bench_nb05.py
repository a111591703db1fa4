"""Notebook 05 (announcement returns) execution time against the issue-12 target of 15 s, and the reuse of
per-date work across matched event studies against recomputing it for every study, both measured in this run.

Run: ``.venv/bin/python benchmarks/bench_nb05.py [--repeat 1] [--skip-notebook]``.

1. Notebook: executes ``notebooks/05_announcement_returns.py`` top to bottom through ``lgresearch.runner`` (as
   ``make reproduce`` does; outputs discarded) and an empty notebook as the baseline (kernel start-up), and prints
   the seconds, the ratio to the baseline and the 15 s target. Needs the third-party data for the real run
   (``LGRESEARCH_EXTERNAL_DIR``); without it the notebook falls back to its simulated part.
2. Studies: the notebook's pattern (several matched studies of overlapping firm sets at one date, one of them on a
   second market series) on simulated data, with the per-date cache of ``lgresearch.events`` (abnormal returns
   and attributes of every code computed once per panel, date, market and windows) against the same calls with
   the cache emptied before each study (every study recomputes its treated firms, its pool and its controls).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0
EMPTY = """# %%
from lgresearch import events  # noqa: F401  (the import every notebook pays)
"""


def time_notebooks(repeat: int) -> None:
    from lgresearch import runner

    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "00_empty.py"
        empty.write_text(EMPTY, encoding="utf-8")
        for _ in range(repeat):
            t0 = time.perf_counter()
            runner.execute_notebook(empty)
            base = time.perf_counter() - t0
            t0 = time.perf_counter()
            runner.execute_notebook(ROOT / "notebooks" / "05_announcement_returns.py",
                                    env={"LGRESEARCH_REPORTS_DIR": str(Path(tmp) / "reports")})
            nb = time.perf_counter() - t0
            verdict = "meets" if nb <= TARGET_SECONDS else "misses"
            print(f"notebook 05: {nb:6.1f} s  (empty-notebook baseline {base:4.1f} s, ratio {nb / base:4.1f}x); "
                  f"target <= {TARGET_SECONDS:.0f} s on an idle 2-core machine: {verdict}")


def time_studies(repeat: int) -> None:
    from lgresearch import events as ev
    from lgresearch.events import _reuse

    sim = ev.simulate_event_data(n_firms=3000, n_days=700, effect=0.01, n_event_dates=1, seed=1)
    codes = sim.events["code"].tolist()
    d0 = sim.events["event_date"].iloc[0]
    attrs = pd.DataFrame({"code": codes, "board": np.resize(["Main", "ChiNext"], len(codes)),
                          "sw_l1_code": np.arange(len(codes)) % 7, "log_size": np.linspace(20, 25, len(codes))})
    other = sim.market * 0.9
    calls = [(codes[:400], sim.market), (codes[200:600], sim.market), (codes[:400], other), (codes[:800], sim.market)]

    def run(clear: bool) -> float:
        _reuse._CACHE.clear()
        t0 = time.perf_counter()
        for treated, market in calls:
            if clear:
                _reuse._CACHE.clear()
            ev.matched_event_study(treated, d0, returns=sim.returns, market=market, pool_codes=codes[800:],
                                   attributes=attrs, k=3, event_window=(-5, 10))
        return time.perf_counter() - t0

    for _ in range(repeat):
        recompute, reuse = run(True), run(False)
        print(f"{len(calls)} matched studies at one date: recompute every study {recompute:5.2f} s, reuse per-date "
              f"work {reuse:5.2f} s (ratio {recompute / reuse:4.1f}x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-notebook", action="store_true", help="only the simulated study benchmark")
    args = parser.parse_args(argv)
    time_studies(args.repeat)
    if not args.skip_notebook:
        time_notebooks(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
