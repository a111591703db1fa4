"""Benchmark: link_to_registry (Splink on embedded DuckDB) on SIMULATED registries of 0.2, 2 and 10 million rows.

For each size ``FIRMS x REGISTRY`` a child process writes a synthetic registry (parquet, in chunks), another child
links the list to it, so that each peak memory (``ru_maxrss``) is that step's alone. Reported: time of the
streaming feature pass and of the Splink link, peak memory, precision and recall on the planted links, and the cost
per million registry rows. Baselines measured in the same run: the in-memory ``link.link_firms`` on 20,000 x
200,000 names (time per million right-hand rows) and the recall of an exact join on the normalised name.

Targets (issue 13): 100,000 x 10,000,000 on 2 cores / 24 GB with peak memory <= 6 GB, precision >= 0.98 and
recall >= 0.95.

Usage::

    nice python benchmarks/bench_link_registry.py                       # 20k x 200k and 20k x 2M
    nice python benchmarks/bench_link_registry.py --sizes 100000x10000000
    nice python benchmarks/bench_link_registry.py --sizes 2000x50000 --no-baseline   # smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZES = "20000x200000,20000x2000000"
TARGETS = {"peak_gb": 6.0, "precision": 0.98, "recall": 0.95}


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def child_generate(n_firms: int, n_reg: int, out: Path) -> dict:
    from lgresearch.registry_link import synthetic_registry

    t = time.perf_counter()
    sim = synthetic_registry(n_reg, planted=n_firms, seed=11, path=out / "registry", chunk_rows=500_000)
    sim.firms.to_parquet(out / "firms.parquet")
    sim.truth.to_parquet(out / "truth.parquet")
    return {"generate_s": time.perf_counter() - t, "generate_peak_gb": _peak_gb()}


def child_link(out: Path, threads: int) -> dict:
    import duckdb
    import pandas as pd

    from lgresearch.registry_link import link_to_registry, prepare_registry

    firms = pd.read_parquet(out / "firms.parquet")
    truth = pd.read_parquet(out / "truth.parquet")
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    t0 = time.perf_counter()
    prep = prepare_registry(out / "registry", work / "prepared")
    t1 = time.perf_counter()
    links = link_to_registry(firms, out / "registry", work_dir=work, threads=threads)
    t2 = time.perf_counter()
    acc = set(zip(links.loc[links["match"], "firm_id"], links.loc[links["match"], "registry_id"], strict=True))
    true = set(zip(truth["firm_id"], truth["registry_id"], strict=True))
    hits = len(acc & true)
    # baseline: an exact join on the normalised name (same features, DuckDB)
    con = duckdb.connect()
    con.register("truth_t", truth[["firm_id", "registry_id"]])
    from lgresearch.registry_link import name_features
    import pyarrow as pa

    ff = name_features(pa.Table.from_pandas(firms[["firm_id", "name", "province"]].astype(object).map(str)),
                       firm_col="firm_id", name_col="name", province_col="province", uscc_col=None)
    con.register("ff", ff)
    exact = con.execute(f"SELECT count(*) FROM ff JOIN read_parquet('{prep.as_posix()}') r ON ff.norm = r.norm "
                        "JOIN truth_t t ON t.firm_id = ff.unique_id AND t.registry_id = r.unique_id").fetchall()[0][0]
    methods = links.loc[links["match"], "match_method"].value_counts().to_dict()
    return {"features_s": t1 - t0, "link_s": t2 - t1, "total_s": t2 - t0, "peak_gb": _peak_gb(),
            "precision": hits / max(len(acc), 1), "recall": hits / max(len(true), 1),
            "exact_join_recall": exact / max(len(true), 1), "accepted": len(acc), "planted": len(true),
            "candidates": len(links), "methods": methods}


def child_baseline() -> dict:
    from lgresearch import link

    left, right, truth = link.synthetic_name_lists(20_000, 200_000, seed=0)  # as in bench_link.py
    t = time.perf_counter()
    pairs = link.link_firms(left, right, short_col="short_name")
    elapsed = time.perf_counter() - t
    ev = link.evaluate(pairs, truth)
    return {"link_firms_s": elapsed, "link_firms_peak_gb": _peak_gb(),
            "link_firms_precision": float(ev["precision"].iloc[0]), "link_firms_recall": float(ev["recall"].iloc[0])}


def _run_child(args: list[str]) -> dict:
    cmd = [sys.executable, __file__, "--child", *args]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated FIRMSxREGISTRY sizes")
    ap.add_argument("--work", default=None, help="folder for registries (default: a temporary folder, removed)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind = a.child[0]
        out = {"generate": lambda: child_generate(int(a.child[1]), int(a.child[2]), Path(a.child[3])),
               "link": lambda: child_link(Path(a.child[1]), int(a.child[2])),
               "baseline": child_baseline}[kind]()
        print(json.dumps(out, default=str))
        return
    base_dir = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="bench-link-registry-"))
    print(f"== bench_link_registry ({os.cpu_count()} cores; SIMULATED registries; shared machine, run with nice)")
    baseline = None if a.no_baseline else _run_child(["baseline"])
    if baseline:
        per_m = baseline["link_firms_s"] / 0.2
        print(f"baseline link.link_firms 20,000 x 200,000 (in memory): {baseline['link_firms_s']:.1f} s "
              f"({per_m:.1f} s per million right rows), peak {baseline['link_firms_peak_gb']:.2f} GB, "
              f"precision {baseline['link_firms_precision']:.3f}, recall {baseline['link_firms_recall']:.3f}")
    try:
        for size in a.sizes.split(","):
            n_firms, n_reg = (int(x) for x in size.lower().split("x"))
            out = base_dir / f"{n_firms}x{n_reg}"
            out.mkdir(parents=True, exist_ok=True)
            if not (out / "truth.parquet").exists():
                gen = _run_child(["generate", str(n_firms), str(n_reg), str(out)])
                print(f"-- {n_firms:,} x {n_reg:,}: registry written in {gen['generate_s']:.0f} s "
                      f"(peak {gen['generate_peak_gb']:.2f} GB)")
            r = _run_child(["link", str(out), str(a.threads)])
            per_m = r["total_s"] / (n_reg / 1e6)
            print(f"-- {n_firms:,} x {n_reg:,}: features {r['features_s']:.0f} s + link {r['link_s']:.0f} s = "
                  f"{r['total_s']:.0f} s; {per_m:.1f} s per million registry rows; peak {r['peak_gb']:.2f} GB "
                  f"(target <= {TARGETS['peak_gb']:.0f}); precision {r['precision']:.4f} (>= 0.98), "
                  f"recall {r['recall']:.4f} (>= 0.95); accepted {r['accepted']:,} of {r['planted']:,} planted; "
                  f"by method {r['methods']}")
            ratio = r["recall"] / max(r["exact_join_recall"], 1e-9)
            line = (f"   ratios: recall / exact-normalised-name-join recall = {r['recall']:.3f} / "
                    f"{r['exact_join_recall']:.3f} = {ratio:.2f}x")
            if baseline:
                line += (f"; cost per million rows / link_firms' = "
                         f"{per_m / (baseline['link_firms_s'] / 0.2):.2f}x")
            print(line, flush=True)
            ok = (r["peak_gb"] <= TARGETS["peak_gb"] and r["precision"] >= TARGETS["precision"]
                  and r["recall"] >= TARGETS["recall"])
            print(f"   targets met: {ok}")
    finally:
        if not a.work:
            shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
