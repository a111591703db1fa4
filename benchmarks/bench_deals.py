"""Benchmark: read the real 清科私募通 export (lgresearch.deals.read_zero2ipo), cold and cached.

Targets (issue 4; kept by issue 9, which added physical-row accounting): cold read <= 5 s, cached reread <= 0.5 s
(cache under data/processed/cache, keyed by the file's SHA-256). Baseline measured in the same run:
pandas.read_excel with the calamine engine (the raw parse alone, no cleaning). Needs LGRESEARCH_EXTERNAL_DIR;
prints a note and exits 0 when the file is absent.

Run: ``LGRESEARCH_EXTERNAL_DIR=... python benchmarks/bench_deals.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import pandas as pd

from lgresearch import deals, paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not deals.zero2ipo_available():
        print("清科 export not found in the third-party directory: nothing to benchmark "
              f"(set {paths.EXTERNAL_ENV}).")
        return
    src = paths.external_path(*deals.ZERO2IPO_PARTS)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[paths.PROCESSED_ENV] = tmp  # a private cache, so the first cached read is really cold
        base, cold, hot = [], [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            raw = pd.read_excel(src, engine="calamine", dtype=str)
            base.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            ev = deals.read_zero2ipo(src, cache=False)
            cold.append(time.perf_counter() - t0)
        deals.read_zero2ipo(src)  # writes the cache
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            hit = deals.read_zero2ipo(src)
            hot.append(time.perf_counter() - t0)
        assert hit.attrs.get("cache") == "hit"
    b, c, h = min(base), min(cold), min(hot)
    print(f"input: {src.name} ({src.stat().st_size / 1e6:.1f} MB, {len(raw):,} rows -> {len(ev):,} events)")
    print(f"baseline pandas.read_excel(engine='calamine'), raw strings only: {b:.2f} s")
    print(f"cold read_zero2ipo (parse, clean, collapse, validate):       {c:.2f} s  ({c / b:.1f}x baseline; "
          f"target <= 5 s)")
    print(f"cached read_zero2ipo (checksum + parquet):                   {h:.3f} s  ({h / b:.2f}x baseline; "
          f"target <= 0.5 s)")
    print(f"best of {args.repeat} runs each")


if __name__ == "__main__":
    main()
