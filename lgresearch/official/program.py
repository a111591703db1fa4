"""Official facts about the program: the batch table, cumulative counts net of reviews, the identities that
reconcile conflicting counts, and when the 10,000 target was reached.

Examples
--------
>>> b = batches()
>>> b["count_final"].tolist()
[248, 1584, 2930, 4357, 3671, 3012, 3482]
>>> int(b.loc[b["batch"] <= 3, "count_final"].sum())
4762
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd

from lgresearch import paths
from lgresearch.official.schema import BATCH_COUNT_FIELDS, BATCH_DATE_FIELDS, N_BATCHES, SOURCE_LINE
from lgresearch.official.tables import _precision, _to_timestamp, fact_value, facts
from lgresearch.provenance import mark_real

__all__ = ["batches", "cumulative_counts", "identity_checks", "target_crossing", "build_processed"]

def batches(directory: Path | None = None) -> pd.DataFrame:
    """One row per national batch (1–7) with the chosen values.

    Dates known only to the month (or year) are set to the first day of that month (year) and their precision is
    given in ``<column>_precision`` (``day``, ``month``, ``year``); unknown dates are NaT. ``review_passed`` is the
    number of the batch's firms that kept the title at the 3-year review (NA when the review is not held yet or, for
    batch 4, was published only jointly with the batch-1 survivors: see :func:`facts`).

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        ``batch, cohort_year, launch_notice, launch_date, publicity_start, publicity_end, announcement_notice,
        announcement_date, count_publicity, count_final, review_year, review_passed`` and the precision columns.

    Examples
    --------
    >>> b = batches()
    >>> b.loc[b["batch"] == 3, ["publicity_start", "publicity_end"]].iloc[0].dt.strftime("%Y-%m-%d").tolist()
    ['2021-07-19', '2021-07-23']
    >>> b.loc[b["batch"] == 6, "publicity_start_precision"].item()
    'month'
    """
    f = facts(directory)
    chosen = f[(f["topic"] == "batch") & f["chosen"]]
    wide = chosen.pivot(index="batch", columns="metric", values="value")
    out = pd.DataFrame({"batch": range(1, N_BATCHES + 1)})
    out["cohort_year"] = 2018 + out["batch"]
    for col in ("launch_notice", "announcement_notice"):
        out[col] = out["batch"].map(wide[col] if col in wide else {}).astype("string")
    for col in BATCH_DATE_FIELDS:
        text = out["batch"].map(wide[col] if col in wide else {})
        out[col] = pd.to_datetime(text.map(_to_timestamp))
        out[f"{col}_precision"] = text.map(_precision).astype("string")
    for col in BATCH_COUNT_FIELDS:
        text = out["batch"].map(wide[col] if col in wide else {})
        out[col] = pd.to_numeric(text).astype("Int64")
    order = ["batch", "cohort_year", "launch_notice", "launch_date", "publicity_start", "publicity_end",
             "announcement_notice", "announcement_date", *BATCH_COUNT_FIELDS]
    rest = [c for c in out.columns if c not in order]
    out = out[order + rest]
    out["count_final"] = out["count_final"].astype("int64")
    out["count_publicity"] = out["count_publicity"].astype("int64")
    return mark_real(out, SOURCE_LINE)


def cumulative_counts(directory: Path | None = None) -> pd.DataFrame:
    """Cumulative designations by batch, gross and net of review attrition.

    ``cumulative_gross`` adds every batch's final count; ``cumulative_net`` replaces a batch's count by its review
    passes once its review year has been reached at that batch's cohort year (reviews run alongside the next
    batches: batch 1 in 2022, batch 2 in 2023, …). The 2025 review of batch 4 is only published jointly with the
    batch-1 survivors (3,916 of 4,499), so for batch 4 its passes are ``3,916 − (batch-1 passes kept)``, i.e. the
    joint total is applied to the pair.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Cumulative designated counts by batch.

    Examples
    --------
    >>> c = cumulative_counts()
    >>> c.set_index("batch").loc[3, "cumulative_gross"], c.set_index("batch").loc[7, "cumulative_net"]
    (np.int64(4762), np.int64(17589))
    """
    b = batches(directory)
    joint_2025 = fact_value("review_2025_passed", directory=directory)
    rows = []
    for _, row in b.iterrows():
        year = int(row["cohort_year"])
        upto = b[b["batch"] <= row["batch"]]
        gross = int(upto["count_final"].sum())
        net = 0
        for _, r in upto.iterrows():
            reviewed = pd.notna(r["review_year"]) and int(r["review_year"]) <= year
            if r["batch"] in (1, 4) and year >= 2025:
                continue  # handled jointly below
            net += int(r["review_passed"]) if reviewed and pd.notna(r["review_passed"]) else int(r["count_final"])
        if year >= 2025:
            net += int(joint_2025)
        rows.append({"batch": int(row["batch"]), "cohort_year": year, "count_final": int(row["count_final"]),
                     "cumulative_gross": gross, "cumulative_net": net})
    out = pd.DataFrame(rows)
    out["attrition"] = out["cumulative_gross"] - out["cumulative_net"]
    return mark_real(out, SOURCE_LINE)


def identity_checks(directory: Path | None = None) -> pd.DataFrame:
    """The arithmetic identities that reconcile conflicting counts, each recomputed from the chosen facts.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        ``identity, computed, published, holds, used_to_choose``: ``holds`` is True when the recomputed value
        matches the published one (to the published precision).

    Examples
    --------
    >>> bool(identity_checks()["holds"].all())
    True
    """
    b = batches(directory).set_index("batch")
    fv = lambda m, **k: fact_value(m, directory=directory, **k)  # noqa: E731
    final = b["count_final"]
    passed_2025 = cast(float, fv("review_2025_passed"))  # a count: the fact is numeric
    alternatives = facts(directory).query("metric == 'review_passed' and batch == 1 and not chosen")
    b1_review_alt = int(alternatives["value"].iloc[0])
    rows = [
        ("batches 1-3: 248 + 1,584 + 2,930", int(final.loc[[1, 2, 3]].sum()),
         fv("cumulative_total", as_of="2022-02-28"), "batch 2 = 1,584"),
        ("Sep 2022: batch-1 survivors (155) + 1,584 + 2,930 + 4,328 (batch 4 at publicity)",
         b1_review_alt + int(final.loc[[2, 3]].sum()) + int(b.loc[4, "count_publicity"]),
         fv("cumulative_total", as_of="2022-09-08"), "counts behind the 8,997 total"),
        ("2025 review pass rate: 3,916 / (4,357 + 142)",
         round(passed_2025 / (int(final.loc[4]) + int(b.loc[1, "review_passed"])), 4),
         fv("review_2025_pass_rate", as_of="2025"), "batch 4 = 4,357 and batch-1 passes = 142"),
        ("2025 review pool: 4,357 + 142", int(final.loc[4]) + int(b.loc[1, "review_passed"]),
         fv("review_2025_pool", as_of="2025"), "batch 4 = 4,357"),
        ("Oct 2025 total: 1,079 + 2,429 + 3,916 + 3,671 + 3,012 + 3,482",
         int(b.loc[2, "review_passed"]) + int(b.loc[3, "review_passed"]) + passed_2025
         + int(final.loc[[5, 6, 7]].sum()), fv("cumulative_total", as_of="2025-10"),
         "batch-3 passes = 2,429; batch 5 = 3,671"),
        ("publicized batches 1-6", int(b.loc[1:6, "count_publicity"].sum()) - int(b.loc[4, "count_publicity"])
         + int(facts(directory).query("metric == 'count_publicity' and batch == 4 and not chosen")["value"].iloc[0]),
         fv("publicized_total_b1_b6", as_of="2024-09-23"), "S2's publicity counts (with 4,359 for batch 4)"),
    ]
    out = pd.DataFrame(rows, columns=["identity", "computed", "published", "used_to_choose"])
    out["holds"] = [abs(float(c) - float(p)) < 5e-5 for c, p in zip(out["computed"], out["published"])]
    return mark_real(out[["identity", "computed", "published", "holds", "used_to_choose"]], SOURCE_LINE)


def target_crossing(target: int | None = None, directory: Path | None = None) -> pd.DataFrame:
    """When the cumulative count first reached the target (default: the 10,000-by-2025 goal).

    Parameters
    ----------
    target : int, optional
        The target count (default: the published programme target).
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        One row per counting rule (``gross``: every final count; ``net``: net of review attrition) with the batch,
        cohort year and cumulative count at crossing, and the years ahead of the target year.

    Examples
    --------
    >>> target_crossing()[["rule", "batch", "cohort_year"]].values.tolist()
    [['gross', 5, 2023], ['net', 5, 2023]]
    """
    target = int(target or fact_value("target_by_2025", directory=directory))
    c = cumulative_counts(directory)
    rows = []
    for rule in ("gross", "net"):
        hit = c[c[f"cumulative_{rule}"] >= target].head(1)
        if hit.empty:
            rows.append({"rule": rule, "batch": pd.NA, "cohort_year": pd.NA, "cumulative": pd.NA})
            continue
        rows.append({"rule": rule, "batch": int(hit["batch"].item()), "cohort_year": int(hit["cohort_year"].item()),
                     "cumulative": int(hit[f"cumulative_{rule}"].item())})
    out = pd.DataFrame(rows)
    out["target"] = target
    out["years_ahead_of_2025"] = 2025 - out["cohort_year"]
    return mark_real(out, SOURCE_LINE)


def build_processed() -> list[Path]:
    """Write the chosen batch table and the cumulative counts to ``data/processed/`` (parquet).

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> [p.name for p in build_processed()]
    ['official_batches.parquet', 'official_cumulative.parquet']
    """
    out = paths.processed_dir()
    written = []
    for name, frame in (("official_batches.parquet", batches()), ("official_cumulative.parquet",
                                                                  cumulative_counts())):
        target = out / name
        frame.to_parquet(target, index=False)
        written.append(target)
    return written
