"""Official program facts: batch sizes, dates, reviews, targets, totals, listed counts and VC aggregates.

The facts are tidy CSV files in ``lgresearch/data/official/`` written by hand from the sources they cite (one fact per
row, with ``source_url`` and ``source_note``). Where sources disagree, every candidate value is a row and exactly one is
``chosen``, with the ``reason`` (usually an arithmetic identity between published totals).

Each loader validates its file with a pandera schema; a malformed row (missing source, bad date, non-numeric count)
raises :class:`lgresearch.ledger.InputError` naming the file, the row and the column.

The package is split by concern: ``schema`` (file names and schemas), ``files`` (reading and validating a facts
file), ``tables`` (facts, chosen values and the published tables), ``program`` (the batch table, cumulative counts,
identities, the target) and ``vc`` (venture-capital growth). Every public name is available from
``lgresearch.official``.

Examples
--------
>>> b = batches()
>>> b["count_final"].tolist()
[248, 1584, 2930, 4357, 3671, 3012, 3482]
>>> int(b.loc[b["batch"] <= 3, "count_final"].sum())
4762
"""

from __future__ import annotations

from lgresearch.errors import InputError, MissingFactError  # noqa: F401 (old import paths)
from lgresearch.official.program import batches, build_processed, cumulative_counts, identity_checks, target_crossing
from lgresearch.official.schema import (
    BATCH_COUNT_FIELDS, BATCH_DATE_FIELDS, DATE_RE, FACTS_FILE, FACTS_SCHEMA, INDUSTRY_FILE, INDUSTRY_SCHEMA,
    N_BATCHES, PROVINCE_FILE, PROVINCE_SCHEMA, SOURCE_LINE, VALUE_TYPES, VC_FILE, VC_SCHEMA,
)
from lgresearch.official.tables import (
    fact_value, facts, industry_shares, listed_counts, province_counts, published_totals, vc_aggregates,
)
from lgresearch.official.vc import vc_growth

__all__ = [
    "batches",
    "build_processed",
    "cumulative_counts",
    "fact_value",
    "identity_checks",
    "target_crossing",
    "vc_growth",
    "facts",
    "industry_shares",
    "listed_counts",
    "province_counts",
    "published_totals",
    "vc_aggregates",
    "FACTS_FILE", "PROVINCE_FILE", "INDUSTRY_FILE", "VC_FILE", "N_BATCHES", "SOURCE_LINE", "DATE_RE", "VALUE_TYPES",
    "BATCH_DATE_FIELDS", "BATCH_COUNT_FIELDS", "FACTS_SCHEMA", "PROVINCE_SCHEMA", "INDUSTRY_SCHEMA", "VC_SCHEMA",
]
