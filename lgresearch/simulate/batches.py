"""Simulated MIIT batches: batch sizes from the official counts, who is designated and when, the designation panel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch import official
from lgresearch.designations import PANEL_COLUMNS

#: Fallback official final batch counts (batches 1-7), used only when :func:`lgresearch.official.batches` fails.
FALLBACK_BATCH_COUNTS = (248, 1584, 2930, 4357, 3671, 3012, 3482)
#: Cohort (designation) year of batches 1-7.
BATCH_YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2025)

#: Columns of the simulated designation panel: ``lgresearch.designations.PANEL_COLUMNS`` + ``provenance``.
DESIGNATION_COLUMNS = [*PANEL_COLUMNS, "provenance"]

_MEMO: dict = {}


def _official_batches() -> pd.DataFrame:
    """``official.batches()``, read once per process (a Monte Carlo builds hundreds of worlds); a copy each call.

    Keyed on the function object, so a replaced ``official.batches`` (tests) is read afresh.
    """
    fn = official.batches
    if _MEMO.get("batches_fn") is not fn:
        _MEMO["batches"] = fn()
        _MEMO["batches_fn"] = fn
    return _MEMO["batches"].copy()


def _batch_counts() -> np.ndarray:
    try:
        counts = _official_batches()["count_final"].to_numpy(dtype=float)
        if len(counts) == len(BATCH_YEARS) and np.all(counts > 0):
            return counts
    except Exception:  # noqa: BLE001 - the facts file may be absent in a user's checkout
        pass
    return np.asarray(FALLBACK_BATCH_COUNTS, dtype=float)


def _allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Largest-remainder allocation of ``total`` into integer parts proportional to ``shares``, each >= 1."""
    raw = shares / shares.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    short = base < 1
    while short.any() and base.sum() > len(base):
        base[np.argmax(base)] -= 1
        base[np.argmax(short)] += 1
        short = base < 1
    return base


def _weighted_sample(rng: np.random.Generator, weights_log: np.ndarray, k: int) -> np.ndarray:
    """Draw ``k`` indices without replacement with probability proportional to ``exp(weights_log)`` (Gumbel top-k)."""
    if k <= 0:
        return np.array([], dtype=int)
    keys = weights_log + rng.gumbel(size=len(weights_log))
    return np.argsort(-keys, kind="stable")[:k]


def _zscore(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def _batch_sizes(designated_share: float, n: int, y0: int, y1: int) -> np.ndarray:
    """Designated firms per batch: ``designated_share * n`` split in proportion to the official counts (batches
    whose year lies in ``y0..y1``)."""
    counts = _batch_counts()
    batch_years = np.array(BATCH_YEARS)
    in_range = (batch_years >= y0) & (batch_years <= y1)
    sizes = np.zeros(len(batch_years), dtype=int)
    total = int(round(designated_share * n))
    sizes[in_range] = _allocate(total, counts[in_range]) if in_range.any() else 0
    return sizes


def _assign_cohorts(rng: np.random.Generator, growth: np.ndarray, shocks: np.ndarray, sizes: np.ndarray, *,
                    selection: float, timing_selection: float, shock_selection: float, growth_sd: float, y0: int
                    ) -> np.ndarray:
    """Cohort (designation year, 0 = never) per firm: who is designated is selected on recent growth; the batch
    of a designated firm on trend growth (``timing_selection``) and recent shocks (``shock_selection``)."""
    n = len(growth)
    batch_years = np.array(BATCH_YEARS)
    recent_growth = growth + rng.normal(0, growth_sd * 0.5, size=n)
    chosen = _weighted_sample(rng, selection * _zscore(recent_growth), int(sizes.sum()))
    cohort = np.zeros(n, dtype=int)
    remaining = chosen.copy()
    zg = _zscore(growth)
    for b, (year, size) in enumerate(zip(batch_years, sizes, strict=True)):
        if size == 0:
            continue
        score = timing_selection * zg[remaining]
        if shock_selection:
            j = int(year - y0)
            lag1, lag3 = max(j - 1, 0), max(j - 3, 0)
            score = score + shock_selection * _zscore(shocks[remaining, lag1] - shocks[remaining, lag3])
        pick = _weighted_sample(rng, score, int(size)) if b < len(batch_years) - 1 else np.arange(len(remaining))
        cohort[remaining[pick]] = year
        remaining = np.delete(remaining, pick)
    return cohort


def _official_dates() -> pd.DataFrame:
    cols = ["batch", "cohort_year", "launch_date", "publicity_start", "publicity_end", "announcement_date",
            "review_year"]
    try:
        ob = _official_batches()[cols].copy()
    except Exception:  # noqa: BLE001 - facts absent: synthetic dates
        ob = pd.DataFrame({"batch": range(1, 8), "cohort_year": list(BATCH_YEARS)})
        ob["launch_date"] = pd.to_datetime([f"{y - 1}-12-01" for y in BATCH_YEARS])
        ob["publicity_start"] = pd.to_datetime([f"{y}-06-01" for y in BATCH_YEARS])
        ob["publicity_end"] = pd.to_datetime([f"{y}-06-08" for y in BATCH_YEARS])
        ob["announcement_date"] = pd.to_datetime([f"{y}-07-15" for y in BATCH_YEARS])
        ob["review_year"] = [y + 3 for y in BATCH_YEARS]
    for c in ("launch_date", "publicity_start", "publicity_end", "announcement_date"):
        ob[c] = pd.to_datetime(ob[c]).astype("datetime64[ns]")
    return ob


def _designation_panel(cohort: np.ndarray, legal: np.ndarray, short: np.ndarray, region: np.ndarray,
                       reg: np.ndarray) -> pd.DataFrame:
    """One ``final``-list row per designated firm, in the layout of lgresearch.designations.build_panel."""
    idx = np.flatnonzero(cohort > 0)
    idx = idx[np.lexsort((idx, cohort[idx]))]
    coh = cohort[idx].astype(int)
    batch_of = {int(y): b + 1 for b, y in enumerate(BATCH_YEARS)}
    ob = _official_dates().set_index("cohort_year")
    batch = np.array([batch_of[int(y)] for y in coh], dtype=int)
    facts = ob.reindex(coh)
    # the event date of a final list is its announcement; where the facts lack one, the end (else start) of
    # publicity, else 1 July of the cohort year
    fallback = pd.to_datetime([f"{y}-07-01" for y in coh]).astype("datetime64[ns]")
    event = facts["announcement_date"].fillna(facts["publicity_end"]).fillna(facts["publicity_start"])
    event = event.to_numpy(dtype="datetime64[ns]")
    event = np.where(pd.isna(event), fallback.to_numpy(), event)
    r = region[idx]
    des = pd.DataFrame({
        "firm_id": legal[idx],
        "id_type": "name",
        "name": legal[idx],
        "core": short[idx],
        "uscc": pd.Series([None] * len(idx), dtype=object),
        "batch": pd.array(batch, dtype="Int64"),
        "cohort_year": pd.array(coh, dtype="Int64"),
        "list_type": "final",
        "event_date": event,
        "designation_date": event,  # the panel's 1.0 name for event_date (issue 11 item 2)
        "designation_precision": "day",
        "province_code": reg[r, 1].astype(str),
        "province": reg[r, 0].astype(str),
        "province_en": reg[r, 2].astype(str),
        "city": reg[r, 3].astype(str),
        "city_en": reg[r, 4].astype(str),
        "issuer": reg[r, 5].astype(str),
        "separately_planned": reg[r, 6].astype(bool),
        "launch_date": facts["launch_date"].to_numpy(),
        "publicity_start": facts["publicity_start"].to_numpy(),
        "publicity_end": facts["publicity_end"].to_numpy(),
        "announcement_date": facts["announcement_date"].to_numpy(),
        "review_year": pd.array(pd.to_numeric(facts["review_year"], errors="coerce"), dtype="Int64"),
        "review_outcome": "review list not supplied",
        "name_as_listed": legal[idx],
        "n_sources": np.ones(len(idx), dtype=np.int64),
        "province_conflict": np.zeros(len(idx), dtype=bool),
        "source_file": "simulated",
        "source_row": np.arange(1, len(idx) + 1, dtype=np.int64),
    })
    for c in ("firm_id", "id_type", "name", "core", "list_type", "province_code", "province", "province_en",
              "city", "city_en", "issuer", "review_outcome", "name_as_listed", "source_file"):
        des[c] = des[c].astype(str)
    return des


#: Every public name of this module.
__all__ = ["BATCH_YEARS", "DESIGNATION_COLUMNS", "FALLBACK_BATCH_COUNTS"]
