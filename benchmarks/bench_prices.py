"""Returns panel: build once, then read 700 codes x 16 months from a warm cache (targets below).

Run on demand: ``LGRESEARCH_EXTERNAL_DIR=... .venv/bin/python benchmarks/bench_prices.py``.

Every measurement runs in a fresh child process that reports its own wall time and peak resident memory
(``ru_maxrss``), so the numbers are the operation's own (imports included). In the same run it measures:

* ``build``: :func:`prices.build_returns_panel` + :func:`prices.write_cache` (target <= 30 s, <= 4 GiB);
* ``cold``: today's first call, ``load_returns_panel(codes, start, end)`` with no cache, which builds the whole
  panel and then filters it (the 1.0 path still does this when the cache is absent or stale);
* ``old warm``: the 0.1 warm path, one parquet file read with ``pyarrow.parquet.read_table(filters=...)``;
* ``new warm``: the 1.0 warm path, the year-partitioned dataset read with pyarrow dataset filters
  (targets: <= 2 s and <= 500 MB peak for the whole process).

Exit status 1 when a target is missed; 2 when the price files are absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

START, END, N_CODES = "2023-09-01", "2024-12-31", 700

PRELUDE = """
import json, resource, sys, time
codes = json.loads(sys.argv[1]); start, end, old_file = sys.argv[2], sys.argv[3], sys.argv[4]
def report(**kw):
    kw["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(kw))
"""

CHILD = {
    "baseline": """
import pyarrow.parquet, pyarrow.dataset, pandas
from lgresearch import prices
report(seconds=0.0)
""",
    "build": """
from lgresearch import prices
t0 = time.perf_counter()
b = prices.build_returns_panel()
t1 = time.perf_counter()
prices.write_cache(b)
t2 = time.perf_counter()
plain = b.panel.copy(); plain.attrs = {}
plain.to_parquet(old_file, index=False)           # the 0.1 single-file layout, for the old warm path
codes = sorted(map(str, b.panel["code"].unique()))
report(seconds=t1 - t0, write_s=t2 - t1, rows=len(b.panel), codes=codes, sets=b.accounting["set"].tolist(),
       reconciled=bool(b.accounting["reconciled"].all()))
""",
    "cold": """
from lgresearch import prices
t0 = time.perf_counter()
p = prices.load_returns_panel(codes=codes, start=start, end=end, cache=False)
report(seconds=time.perf_counter() - t0, rows=len(p))
""",
    "old_warm": """
import pandas as pd, pyarrow.parquet as pq
from lgresearch import prices
t0 = time.perf_counter()
filters = [("date", ">=", pd.Timestamp(start)), ("date", "<=", pd.Timestamp(end)), ("code", "in", codes)]
panel = pq.read_table(old_file, filters=filters).to_pandas()
panel["date"] = panel["date"].astype("datetime64[ns]")
report(seconds=time.perf_counter() - t0, rows=len(panel))
""",
    "new_warm": """
from lgresearch import prices
t0 = time.perf_counter()
p = prices.load_returns_panel(codes=codes, start=start, end=end)
report(seconds=time.perf_counter() - t0, rows=len(p))
""",
}


def _child(name: str, env: dict, codes: list[str], old_file: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", PRELUDE + CHILD[name], json.dumps(codes), START, END, old_file],
                          env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{name}: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    from lgresearch import prices

    if not prices.available_price_sets():
        print("price files not found: set LGRESEARCH_EXTERNAL_DIR")
        return 2
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["LGRESEARCH_CACHE_DIR"] = os.path.join(tmp, "cache")
        env["LGRESEARCH_PROCESSED_DIR"] = os.path.join(tmp, "processed")
        old_file = os.path.join(tmp, "returns_panel_v01.parquet")
        base = _child("baseline", env, [], old_file)
        build = _child("build", env, [], old_file)
        codes = [build["codes"][i] for i in range(0, len(build["codes"]), max(1, len(build["codes"]) // N_CODES))]
        codes = codes[:N_CODES]
        res = {name: _child(name, env, codes, old_file) for name in ("cold", "old_warm", "new_warm")}
    print(f"price sets: {', '.join(build['sets'])}; rows reconciled: {build['reconciled']}")
    print(f"panel: {build['rows']:,} rows, {len(build['codes']):,} codes; query: {len(codes)} codes, {START}..{END}")
    print(f"baseline (imports only)   : peak {base['peak_mb']:7.0f} MB")
    print(f"build + write cache       : {build['seconds']:6.2f} s (+ {build['write_s']:.2f} s write), peak "
          f"{build['peak_mb']:7.0f} MB   target <= 30 s, <= 4096 MB")
    for name, label in (("cold", "cold: build then filter"), ("old_warm", "old warm: one parquet file"),
                        ("new_warm", "new warm: year-partitioned")):
        r = res[name]
        print(f"{label:26s}: {r['seconds']:6.2f} s, peak {r['peak_mb']:7.0f} MB, {r['rows']:,} rows")
    new, old, cold = res["new_warm"], res["old_warm"], res["cold"]
    print(f"ratios (new warm): {cold['seconds'] / new['seconds']:.0f}x faster and "
          f"{cold['peak_mb'] / new['peak_mb']:.1f}x less memory than cold; "
          f"{old['seconds'] / new['seconds']:.1f}x faster than the old warm read   "
          "target <= 2 s, <= 500 MB")
    failed = (build["seconds"] > 30 or build["peak_mb"] > 4096 or not build["reconciled"] or new["seconds"] > 2
              or new["peak_mb"] > 500 or not (new["rows"] == old["rows"] == cold["rows"]))
    print("RESULT:", "FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
