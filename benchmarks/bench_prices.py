"""Build the returns panel from all price files: seconds and peak memory (targets: <= 30 s, <= 4 GiB).

Run on demand: ``LGRESEARCH_EXTERNAL_DIR=... .venv/bin/python benchmarks/bench_prices.py``.

The build runs in a fresh child process so its peak resident memory (``ru_maxrss`` of the child) is the build's
own, measured against a baseline child that only imports the package and pyarrow (in the same run). It also
times reading the cached panel back, whole and filtered (one year, 500 codes), which is what notebooks do.
Exit status 1 when a target is missed; 2 when the price files are absent.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

CHILD_BUILD = """
import json, time
from lgresearch import prices
t0 = time.perf_counter()
b = prices.build_returns_panel()
t1 = time.perf_counter()
prices.write_cache(b)
t2 = time.perf_counter()
print(json.dumps({"build_s": t1 - t0, "write_s": t2 - t1, "rows": len(b.panel),
                  "codes": int(b.panel["code"].nunique()), "sets": b.accounting["set"].tolist(),
                  "reconciled": bool(b.accounting["reconciled"].all())}))
"""

CHILD_BASELINE = """
import pyarrow.parquet, pandas
from lgresearch import prices
print("{}")
"""

CHILD_READ = """
import json, time
from lgresearch import prices
t0 = time.perf_counter()
p = prices.load_returns_panel()
t1 = time.perf_counter()
codes = p["code"].cat.categories[:500].tolist()
q = prices.load_returns_panel(start="2024-01-01", end="2024-12-31", codes=codes)
t2 = time.perf_counter()
print(json.dumps({"read_all_s": t1 - t0, "read_filtered_s": t2 - t1, "filtered_rows": len(q)}))
"""


def _child(code: str, env: dict) -> tuple[dict, float, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall, peak_kb / 1024**2


def main() -> int:
    from lgresearch import prices

    if not prices.available_price_sets():
        print("price files not found: set LGRESEARCH_EXTERNAL_DIR")
        return 2
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["LGRESEARCH_PROCESSED_DIR"] = tmp
        # RUSAGE_CHILDREN reports the maximum over all children waited for so far: run the baseline first
        _, base_wall, base_peak = _child(CHILD_BASELINE, env)
        info, wall, peak = _child(CHILD_BUILD, env)
        read, read_wall, _ = _child(CHILD_READ, env)
    print(f"price sets: {', '.join(info['sets'])}; rows reconciled: {info['reconciled']}")
    print(f"panel: {info['rows']:,} rows, {info['codes']:,} codes")
    print(f"build            : {info['build_s']:6.2f} s  (+ write cache {info['write_s']:.2f} s; child wall "
          f"{wall:.1f} s, of which start-up/imports ~{base_wall:.1f} s)   target <= 30 s")
    print(f"peak memory      : {peak:6.2f} GiB  (baseline child: {base_peak:.2f} GiB; ratio "
          f"{peak / base_peak:.1f} x)   target <= 4 GiB")
    print(f"read cache       : whole {read['read_all_s']:.2f} s; one year x 500 codes "
          f"{read['read_filtered_s']:.2f} s ({read['filtered_rows']:,} rows)")
    failed = info["build_s"] > 30 or peak > 4.0 or not info["reconciled"]
    print("RESULT:", "FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
