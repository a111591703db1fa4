"""Speed and memory of lgresearch.did.event_study on a 200,000-unit x 12-period simulated panel.

Run on demand:

    python benchmarks/bench_did.py                     # every estimator x comparison group
    python benchmarks/bench_did.py --units 50000 --only did2s

Each configuration runs in a fresh process so its peak resident memory is its own (the peak includes the
simulated panel itself); imports and numba compilation are warmed up before timing. Printed per configuration:
seconds, peak memory (GiB) and the ratio of seconds to a baseline measured in the same run on the same panel
(pyfixest's static two-way fixed-effects regression ``y ~ D | unit + year``, the cheapest regression of this size).
A second comparison times pyfixest's own ``did2s`` against ours on a smaller panel (pyfixest's GMM variance
builds dense unit-dummy matrices, so it cannot run at 200,000 units).
Targets (issue 6): under 20 s and under 4 GiB on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

TARGET_SECONDS = 20.0
TARGET_GIB = 4.0


def _child(kind: str, units: int, estimator: str, controls: str) -> dict:
    """Body of one measured process."""
    import resource
    import warnings

    import numpy as np

    from lgresearch import did
    from lgresearch.simulate import designation_world

    # warm-up (imports and numba compilation are not timed)
    small = designation_world(n_firms=200, seed=0, with_deals=False).panel
    kw = dict(outcome="log_value", unit="firm_id", time="year", cohort="cohort")
    for est in did.ESTIMATORS:
        did.event_study(small, estimator=est, controls="never_treated", **kw)
    w = designation_world(n_firms=units, seed=1, effect=0.3, with_deals=False)
    panel = w.panel[["firm_id", "year", "cohort", "log_value"]]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if kind == "baseline":
        import pyfixest as pf

        d = panel.assign(D=((panel["cohort"] > 0) & (panel["year"] >= panel["cohort"])).astype(float),
                         unit=np.unique(panel["firm_id"], return_inverse=True)[1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pf.feols("log_value ~ D | unit + year", data=d, vcov={"CRV1": "unit"})
        est = None
    elif kind == "pyfixest_did2s":
        import pyfixest as pf

        # the same design as event_study(estimator="did2s", controls="never_treated", window=(-4, 4))
        d = panel.assign(unit=np.unique(panel["firm_id"], return_inverse=True)[1])
        e = np.where(d["cohort"] > 0, d["year"] - d["cohort"], -1000)
        d = d[~((d["cohort"] > 0) & (e > 4))].copy()
        e = np.where(d["cohort"] > 0, d["year"] - d["cohort"], -1000)
        d["D"] = (d["cohort"] > 0) & (e >= 0)
        names = []
        for k in (-4, -3, -2, 0, 1, 2, 3, 4):
            names.append(f"e{k + 10}")
            d[names[-1]] = ((d["cohort"] > 0) & (e == k)).astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = pf.did2s(d, yname="log_value", first_stage="~ 0 | unit + year",
                           second_stage="~ " + " + ".join(names), treatment="D", cluster="unit")
        est = [round(float(x), 3) for x in fit.coef().to_numpy()[3:]]
    else:
        es = did.event_study(panel, estimator=estimator, controls=controls, **kw)
        est = es.loc[es["event_time"] >= 0, "estimate"].round(3).tolist()
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": seconds, "peak_gib": peak / 1024**2, "panel_gib": before / 1024**2, "rows": len(panel),
            "post_estimates": est}


def _measure(kind: str, units: int, estimator: str = "", controls: str = "") -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(__file__.rsplit('/', 1)[0])!r}); "
            f"import bench_did as b; print('RESULT', json.dumps(b._child({kind!r}, {units}, {estimator!r}, "
            f"{controls!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:] or ["no output"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--only", nargs="*", default=None, help="estimators to run (default: all)")
    parser.add_argument("--small-units", type=int, default=3000, help="panel size for the pyfixest did2s check")
    args = parser.parse_args(argv)
    from lgresearch.did import CONTROLS, ESTIMATORS

    print(f"panel: {args.units:,} units x 12 years (SIMULATED DATA); targets < {TARGET_SECONDS:.0f} s, "
          f"< {TARGET_GIB:.0f} GiB")
    base = _measure("baseline", args.units)
    if "error" in base:
        print("baseline failed:", base["error"])
        return 1
    print(f"{'baseline: pyfixest static TWFE':44s} {base['seconds']:7.1f} s  peak {base['peak_gib']:5.2f} GiB")
    failures = 0
    for estimator in args.only or ESTIMATORS:
        for controls in CONTROLS:
            r = _measure("event_study", args.units, estimator, controls)
            label = f"event_study({estimator}, {controls})"
            if "error" in r:
                print(f"{label:44s} ERROR {r['error']}")
                failures += 1
                continue
            ok = r["seconds"] < TARGET_SECONDS and r["peak_gib"] < TARGET_GIB
            failures += not ok
            print(f"{label:44s} {r['seconds']:7.1f} s  peak {r['peak_gib']:5.2f} GiB  "
                  f"x{r['seconds'] / base['seconds']:5.1f} baseline  {'ok' if ok else 'OVER TARGET'}  "
                  f"post: {r['post_estimates']}")
    small_ours = _measure("event_study", args.small_units, "did2s", "never_treated")
    small_pf = _measure("pyfixest_did2s", args.small_units)
    if "error" not in small_ours and "error" not in small_pf:
        print(f"did2s on {args.small_units:,} units x 12 years: lgresearch {small_ours['seconds']:.2f} s "
              f"(peak {small_ours['peak_gib']:.2f} GiB) vs pyfixest.did2s {small_pf['seconds']:.2f} s (peak "
              f"{small_pf['peak_gib']:.2f} GiB), x{small_pf['seconds'] / small_ours['seconds']:.0f}; same post "
              f"estimates: {small_ours['post_estimates'] == small_pf['post_estimates']}")
    else:
        print("did2s comparison failed:", small_ours.get("error"), small_pf.get("error"))
    print("all within target" if not failures else f"{failures} configuration(s) over target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
