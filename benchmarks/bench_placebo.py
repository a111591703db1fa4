"""Size and power of placebo (randomisation) inference for calendar windows, and its speed (SIMULATED DATA).

    python benchmarks/bench_placebo.py              # 1,000 null draws, 200 with a planted effect
    python benchmarks/bench_placebo.py --draws 300

Each draw simulates market-model returns for 10 treated firms (which share a daily group shock, the calendar-
window risk a cross-sectional standard error ignores) and 10 matched controls, and runs
:func:`lgresearch.events.placebo_windows` on a 5-session window against 39 other windows. Printed: the rejection
rate at 5% of the randomisation p-value (exact size 2/40 = 0.05) and of the normal prediction p-value with no
effect, the same for a naive cross-sectional t test of the actual window, the power against a planted effect,
and the seconds per draw. Exit status 1 when the null rejection rate leaves 0.03-0.07.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

BOUNDS = (0.03, 0.07)


def world(seed: int, *, effect: float = 0.0, n_t: int = 10, n_days: int = 260, length: int = 5,
          group_shock: float = 0.01):
    """SIMULATED returns, pairs and the actual window (same design as tests/test_events_inference.py)."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2020-01-02", periods=n_days)
    m = rng.normal(0.0004, 0.012, n_days)
    n = 2 * n_t
    beta = rng.uniform(0.6, 1.4, n)
    R = beta[:, None] * m[None, :] + rng.normal(0, 0.02, (n, n_days))
    R[:n_t] += rng.normal(0, group_shock, n_days)[None, :]
    p0 = n_days - 10 * length
    R[:n_t, p0:p0 + length] += effect / length
    codes = np.array([f"{i:06d}" for i in range(n)])
    ii, tt = np.meshgrid(np.arange(n), np.arange(n_days), indexing="ij")
    ret = pd.DataFrame({"code": codes[ii.ravel()], "date": dates[tt.ravel()], "ret": R.ravel()})
    pairs = pd.DataFrame({"treated": codes[:n_t], "control": codes[n_t:]})
    return ret, pd.Series(m, index=dates), pairs, dates[p0], dates[60]


def draw(seed: int, effect: float = 0.0) -> tuple[float, float, float]:
    """(randomisation p, normal prediction p, naive cross-sectional t p) of one world."""
    from lgresearch import events as ev

    ret, mk, pairs, d, start = world(seed, effect=effect)
    res = ev.placebo_windows(ret, market=mk, treated=list(pairs["treated"]), pairs=pairs, event_date=d, length=5,
                             start=start, estimation_window=(-60, -5), min_estimation_obs=40)
    evs = pd.DataFrame({"event_id": list(pairs["treated"]) + list(pairs["control"]),
                        "code": list(pairs["treated"]) + list(pairs["control"]), "event_date": d})
    car = ev.abnormal_returns(ret, evs, market=mk, estimation_window=(-60, -5), event_window=(0, 4),
                              min_estimation_obs=40).set_index("code")["car"]
    diff = car[pairs["treated"]].to_numpy() - car[pairs["control"]].to_numpy()
    p_naive = stats.ttest_1samp(diff, 0.0).pvalue
    return res.p_value, res.p_normal, float(p_naive)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--power-draws", type=int, default=200)
    parser.add_argument("--effect", type=float, default=0.15)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    null = np.array([draw(s) for s in range(args.draws)])
    secs = (time.perf_counter() - t0) / args.draws
    alt = np.array([draw(100_000 + s, args.effect) for s in range(args.power_draws)])
    rate = (null <= 0.05).mean(axis=0)
    power = (alt <= 0.05).mean(axis=0)
    se = np.sqrt(0.05 * 0.95 / args.draws)
    print(f"placebo windows, SIMULATED DATA: {args.draws} null draws, {args.power_draws} draws with effect "
          f"{args.effect:+.2f} over the window")
    print(f"rejection at 5%, no effect: randomisation {rate[0]:.3f} (binomial SE {se:.3f}), normal prediction "
          f"{rate[1]:.3f}, naive cross-sectional t {rate[2]:.3f}")
    print(f"power at 5%: randomisation {power[0]:.3f}, normal prediction {power[1]:.3f}")
    print(f"seconds per draw (placebo + naive): {secs:.3f}")
    if not BOUNDS[0] <= rate[0] <= BOUNDS[1]:
        print(f"FAIL: randomisation rejection rate {rate[0]:.3f} outside {BOUNDS}")
        return 1
    print(f"OK: randomisation rejection rate within {BOUNDS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
