"""Monte Carlo of the staggered-DiD estimators: bias and 95% CI coverage on simulated worlds with planted truth.

Run on demand (not in default CI):

    python benchmarks/bench_did_montecarlo.py                 # 200 replications of 3,000 firms, 2 processes
    python benchmarks/bench_did_montecarlo.py --reps 400 --n-firms 1000 --effect 0.6
    python benchmarks/bench_did_montecarlo.py --selection 0 --controls not_yet_treated

Measured (2 cores, 200 replications, effect 0.3, selection 2): with 3,000 firms per world coverage was 0.955
(did2s) and 0.960 (Sun-Abraham), mean SE equal to the SD of the estimates, about 1 minute; with 1,000 firms
(four or five firms in the first batch) 0.920 and 0.925: cluster-robust SEs understate uncertainty when a cohort
has very few units. The naive before/after comparison is biased by +0.51 log points and never covers.

Each replication draws a :func:`lgresearch.simulate.designation_world` with strong selection on growth and the
given effect, and estimates the post-period ATT (event times 0..4) with did2s and Sun-Abraham and the naive
before/after comparison. Comparison group (``--controls``): by default ``later_treated`` when there is selection on
growth (the never-designated grow more slowly, so only later-designated firms are valid comparisons) and the
standard ``not_yet_treated`` (not-yet- plus never-treated units) when ``--selection 0``. It prints per estimator:
bias, SD of the estimates, mean SE, RMSE, 95% CI coverage (with its binomial SE) and the pre-trend test's
rejection rate, plus the seconds taken. Exit status 1 when a robust estimator's coverage falls outside 0.90-0.98.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

ROBUST = ("did2s", "sun_abraham")
COVERAGE_BOUNDS = (0.90, 0.98)


def run(reps: int = 200, *, n_firms: int = 3000, effect: float = 0.3, selection: float = 2.0, seed: int = 1000,
        jobs: int = 2, controls: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Run the Monte Carlo in ``jobs`` processes; return (replications, coverage table, seconds)."""
    from lgresearch.simulate import coverage_table

    if controls is None:
        controls = "later_treated" if selection else "not_yet_treated"
    kw = dict(n_firms=n_firms, effect=effect, selection=selection, controls=controls,
              estimators=("did2s", "sun_abraham", "naive_pre_post"))
    t0 = time.perf_counter()
    jobs = max(1, min(jobs, reps))
    sizes = [reps // jobs + (1 if i < reps % jobs else 0) for i in range(jobs)]
    starts = [seed + sum(sizes[:i]) for i in range(jobs)]
    from lgresearch.simulate import monte_carlo

    if jobs == 1:
        parts = [monte_carlo(reps, seed=seed, **kw)]
    else:  # the worker is a library function, so it pickles however this script was loaded
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(monte_carlo, n, seed=s, **kw) for n, s in zip(sizes, starts, strict=True)]
            parts = [f.result() for f in futures]
    for part, start in zip(parts, starts, strict=False):
        part["rep"] += start - seed
    mc = pd.concat(parts, ignore_index=True)
    return mc, coverage_table(mc), time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--n-firms", type=int, default=3000)
    parser.add_argument("--effect", type=float, default=0.3)
    parser.add_argument("--selection", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--controls", default=None, choices=["not_yet_treated", "later_treated", "never_treated"])
    args = parser.parse_args(argv)
    controls = args.controls or ("later_treated" if args.selection else "not_yet_treated")
    mc, table, seconds = run(args.reps, n_firms=args.n_firms, effect=args.effect, selection=args.selection,
                             seed=args.seed, jobs=args.jobs, controls=controls)
    pd.set_option("display.width", 160)
    print(f"Monte Carlo: {args.reps} replications, {args.n_firms} firms, effect {args.effect}, "
          f"selection {args.selection}, controls {controls} (SIMULATED DATA)")
    print(table.round(4).to_string(index=False))
    print(f"seconds: {seconds:.1f} ({seconds / args.reps:.2f} per replication, {args.jobs} processes)")
    bad = table[table["estimator"].isin(ROBUST) & ~table["coverage"].between(*COVERAGE_BOUNDS)]
    if len(bad):
        print(f"FAIL: coverage outside {COVERAGE_BOUNDS} for {bad['estimator'].tolist()}")
        return 1
    print(f"OK: robust estimators' 95% CI coverage within {COVERAGE_BOUNDS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
