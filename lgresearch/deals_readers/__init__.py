"""Vendor readers behind :mod:`lgresearch.deals` (users import the public names from ``lgresearch.deals``).

The generic engine, in the order a file goes through it:

* :mod:`.schema` — the canonical events frame (``DEAL_COLUMNS``, ``DEAL_SCHEMA``, :func:`~.schema.finalize_events`);
* :mod:`.mapping` — :class:`~.mapping.DealMapping`, which vendor column holds which canonical field;
* :mod:`.table` — :func:`~.table.read_table`, built on :func:`lgresearch.io.read_cells`, and the ledger of the rows
  above the header;
* :mod:`.rows` — :func:`~.rows.events_from_rows`, every field parsed and every unusable value flagged;
* :mod:`.collapse` — :func:`~.collapse.collapse_rows`, investor rows collapsed into events;
* :mod:`.core` — :func:`~.core.read_with_mapping` (table + rows + collapse, ledger reconciled), and every name of
  release 0.x.

The vendors:

* :mod:`.zero2ipo` — 清科私募通 (Zero2IPO / PEdata) investment-event exports, with a checksum-keyed cache;
* :mod:`.itjuzi` — IT桔子 company pages (company row + round rows) and 投资事件 lists;
* :mod:`.crunchbase` — Crunchbase ``funding_rounds.csv``.

Examples
--------
>>> from lgresearch.deals_readers import DEAL_COLUMNS, DealMapping
>>> DEAL_COLUMNS[0], DealMapping({"firm_name": "Firm", "date": "Date"}).required_missing()
('event_id', [])
"""

from __future__ import annotations

from lgresearch.deals_readers.collapse import EVENT_KEYS, collapse_rows, first_rows_index
from lgresearch.deals_readers.core import read_with_mapping
from lgresearch.deals_readers.crunchbase import REQUIRED, crunchbase_mapping, read_crunchbase_file
from lgresearch.deals_readers.itjuzi import ITJUZI_COMPANY_MAPPING, ITJUZI_EVENTS_MAPPING, read_itjuzi_file
from lgresearch.deals_readers.mapping import DealMapping
from lgresearch.deals_readers.rows import events_from_rows
from lgresearch.deals_readers.schema import (
    AMOUNT_STATUSES,
    DEAL_COLUMNS,
    DEAL_SCHEMA,
    FLOAT_COLUMNS,
    IMPLIED_TOLERANCE,
    INPUT_FIELDS,
    STR_COLUMNS,
    UNDISCLOSED_FIRM,
    VALUATION_BASES,
    VALUATION_CONFLICT_TOLERANCE,
    as_text,
    empty_events,
    finalize_events,
    validate_events,
)
from lgresearch.deals_readers.table import TABLE_SUFFIXES, read_table, table_ledger
from lgresearch.deals_readers.zero2ipo import (
    DEFAULT_PARTS,
    READER_VERSION,
    SOURCE_LINE,
    ZERO2IPO_MAPPING,
    cache_dir,
    default_path,
    file_checksum,
    read_zero2ipo_cached,
    read_zero2ipo_uncached,
)

__all__ = [
    "DEAL_COLUMNS", "STR_COLUMNS", "FLOAT_COLUMNS", "VALUATION_BASES", "AMOUNT_STATUSES", "IMPLIED_TOLERANCE",
    "VALUATION_CONFLICT_TOLERANCE", "UNDISCLOSED_FIRM", "INPUT_FIELDS", "DEAL_SCHEMA", "as_text",
    "empty_events", "validate_events", "finalize_events", "DealMapping", "TABLE_SUFFIXES", "read_table",
    "table_ledger", "events_from_rows", "EVENT_KEYS", "collapse_rows", "first_rows_index", "read_with_mapping",
    "READER_VERSION", "DEFAULT_PARTS", "SOURCE_LINE", "ZERO2IPO_MAPPING", "file_checksum", "cache_dir",
    "read_zero2ipo_uncached", "read_zero2ipo_cached", "default_path", "ITJUZI_COMPANY_MAPPING",
    "ITJUZI_EVENTS_MAPPING", "read_itjuzi_file", "REQUIRED", "crunchbase_mapping", "read_crunchbase_file",
]
