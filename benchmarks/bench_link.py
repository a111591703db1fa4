"""Benchmark: link 20,000 x 200,000 generated company names (lgresearch.link.link_firms).

Targets (issue 4): <= 15 s on 2 cores, precision >= 0.99, recall >= 0.95. The names come from
``lgresearch.link.synthetic_name_lists`` (SIMULATED): region prefixes dropped or changed, region moved into
brackets, legal forms changed, Traditional characters, half-width brackets, stray spaces, short (brand) names
only, and near-miss distractors (same trade name with another industry word, trade names one character away).

Baselines measured in the same run:
* exact join on the raw names;
* unblocked, unnormalised rapidfuzz ``cdist`` best match (ratio >= 90) on a sample of left names, time
  extrapolated.

Run: ``python benchmarks/bench_link.py [--n-left 20000] [--n-right 200000] [--seed 0]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from lgresearch import link


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-left", type=int, default=20_000)
    ap.add_argument("--n-right", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--baseline-sample", type=int, default=200)
    args = ap.parse_args()

    t0 = time.perf_counter()
    left, right, truth = link.synthetic_name_lists(args.n_left, args.n_right, seed=args.seed)
    t_gen = time.perf_counter() - t0
    print(f"generated {len(left):,} x {len(right):,} names ({len(truth):,} true links) in {t_gen:.1f} s")

    t0 = time.perf_counter()
    pairs = link.link_firms(left, right, short_col="short_name")
    t_link = time.perf_counter() - t0
    ev = link.evaluate(pairs, truth, by_method=True)
    allrow = ev.iloc[0]
    print(f"\nlink_firms: {t_link:.2f} s  precision {allrow['precision']:.4f}  recall {allrow['recall']:.4f}  "
          f"(targets: <= 15 s, >= 0.99, >= 0.95)")
    print(ev.to_string(index=False, float_format=lambda x: f"{x:.4f}"))

    # baseline 1: exact join on raw names
    t0 = time.perf_counter()
    naive = left[["firm_id", "name"]].merge(right[["firm_id", "name"]].dropna(), on="name",
                                            suffixes=("_l", "_r"))
    t_exact = time.perf_counter() - t0
    naive_pairs = pd.DataFrame({"left_id": naive["firm_id_l"], "right_id": naive["firm_id_r"], "method": "raw",
                                "match": True})
    e1 = link.evaluate(naive_pairs, truth).iloc[0]
    print(f"\nbaseline exact raw-name join: {t_exact:.2f} s  precision {e1['precision']:.4f}  "
          f"recall {e1['recall']:.4f}")

    # baseline 2: unblocked rapidfuzz extractOne on raw names, on a sample
    rng = np.random.default_rng(args.seed)
    sample = left.iloc[rng.choice(len(left), size=min(args.baseline_sample, len(left)), replace=False)]
    choices = right["name"].fillna(right["short_name"]).tolist()
    t0 = time.perf_counter()
    scores = process.cdist(sample["name"].tolist(), choices, scorer=fuzz.ratio, score_cutoff=90, dtype=np.uint8,
                           workers=-1)
    best = scores.argmax(axis=1)
    ok = scores[np.arange(len(best)), best] >= 90
    rows = [(lid, right["firm_id"].iloc[j]) for lid, j, k in zip(sample["firm_id"], best, ok, strict=True) if k]
    t_fz = time.perf_counter() - t0
    fz_pairs = pd.DataFrame(rows, columns=["left_id", "right_id"]).assign(method="naive_fuzzy", match=True)
    sample_truth = truth[truth["left_id"].isin(sample["firm_id"])]
    e2 = link.evaluate(fz_pairs, sample_truth).iloc[0]
    per = t_fz / len(sample)
    print(f"baseline unblocked fuzzy (raw names, ratio >= 90): {t_fz:.2f} s for {len(sample)} names "
          f"= {per * 1000:.1f} ms/name -> {per * len(left):.0f} s extrapolated to {len(left):,}; "
          f"precision {e2['precision']:.4f}  recall {e2['recall']:.4f} (sample)")
    print(f"\nspeed-up vs extrapolated naive fuzzy: {per * len(left) / t_link:.0f}x; "
          f"recall gain vs exact join: {allrow['recall'] - e1['recall']:+.3f}")


if __name__ == "__main__":
    main()
