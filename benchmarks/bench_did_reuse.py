"""Monte Carlo replications: one call per estimator (the 0.x calling pattern) against reuse, in the same run.

    python benchmarks/bench_did_reuse.py             # 10 replications of 3,000 firms
    python benchmarks/bench_did_reuse.py --reps 30

The 0.x calling pattern builds a whole :func:`lgresearch.simulate.designation_world` per replication and calls
:func:`lgresearch.did.att` / :func:`lgresearch.did.naive_pre_post` once per estimator (validating the panel each
time). :func:`lgresearch.simulate.monte_carlo` now draws only the panel (:func:`lgresearch.simulate.designation_panel`,
the same frame) and fits every estimator on one validated panel (:func:`lgresearch.did.compare_estimators`).
Both are timed back to back; the script prints the seconds, the ratio, and fails (exit 1) when the estimates
differ by more than 1e-10.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

KW = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
ESTIMATORS = ("did2s", "sun_abraham", "naive_pre_post")


def one_call_per_estimator(reps: int, *, n_firms: int, seed: int) -> pd.DataFrame:
    """The 0.x calling pattern: a whole world per replication, one validation per estimator."""
    from lgresearch import did, simulate

    rows = []
    for r in range(reps):
        w = simulate.designation_world(n_firms=n_firms, seed=seed + r, effect=0.3, selection=2.0, with_deals=False)
        for est in ESTIMATORS:
            if est == "naive_pre_post":
                a = did.naive_pre_post(w.panel, window=(-4, 4), **KW)
            else:
                a = did.att(w.panel, estimator=est, controls="later_treated", window=(-4, 4), engine="lgresearch",
                            **KW)
            rows.append({"rep": r, "estimator": est, "estimate": float(a["estimate"].iloc[0]),
                         "se": float(a["se"].iloc[0])})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--n-firms", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=6000)
    args = parser.parse_args(argv)
    from lgresearch import simulate

    simulate.designation_panel(n_firms=100, seed=0)  # warm imports and the official facts cache
    t0 = time.perf_counter()
    old = one_call_per_estimator(args.reps, n_firms=args.n_firms, seed=args.seed)
    t_old = time.perf_counter() - t0
    t0 = time.perf_counter()
    new = simulate.monte_carlo(args.reps, n_firms=args.n_firms, effect=0.3, selection=2.0, seed=args.seed,
                               estimators=ESTIMATORS, controls="later_treated", engine="lgresearch")
    t_new = time.perf_counter() - t0
    diff = float(np.max(np.abs(old[["estimate", "se"]].to_numpy() - new[["estimate", "se"]].to_numpy())))
    print(f"{args.reps} replications x {args.n_firms} firms, estimators {', '.join(ESTIMATORS)} (SIMULATED DATA)")
    print(f"one call per estimator (0.x): {t_old:6.2f} s")
    print(f"monte_carlo (reuse)         : {t_new:6.2f} s   ratio {t_old / t_new:.2f}x")
    print(f"largest difference in estimates and SEs: {diff:.2e}")
    return 0 if diff <= 1e-10 else 1


if __name__ == "__main__":
    sys.exit(main())
