"""The generic, mapping-driven reader that every vendor reader uses, and the names of release 0.x.

One output row is one **financing event** (a firm raising a round on a date). Vendor exports are turned into
events in four steps, each accounted for in a :class:`~lgresearch.ledger.Ledger`, each in its own module:

1. :mod:`.table` — read the table (csv / xls / xlsx through :func:`lgresearch.io.read_cells`, header row found by
   name, blank title rows above it skipped), numbering rows as the user sees them in the file;
2. :mod:`.mapping` — rename vendor columns to canonical input fields with a :class:`DealMapping` (the hook that
   lets a user read CVSource, Wind or an IT桔子 paid export without new code);
3. :mod:`.rows` — parse dates (:func:`lgresearch.clean.parse_date`), rounds
   (:func:`~lgresearch.clean.normalize_round`), amounts and valuations (:func:`~lgresearch.clean.parse_money`,
   annual-average FX to CNY), stakes, investors and locations (:func:`lgresearch.clean.regions.normalize_region`),
   flagging every value that cannot be used;
4. :mod:`.collapse` — collapse investor-level rows into events (firm, date, round): disclosed amounts are summed,
   the event's valuation is kept, duplicated investor rows are dropped with a reason.

The canonical columns and checks are in :mod:`.schema`. This module keeps every name it held in release 0.x
(``from lgresearch.deals_readers.core import DEAL_COLUMNS`` keeps working).

Examples
--------
>>> DEAL_COLUMNS[:4]
['event_id', 'source', 'firm_id', 'firm_name']
>>> empty_events().shape[1] == len(DEAL_COLUMNS)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from lgresearch.deals_readers.collapse import first_rows_index
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
from lgresearch.deals_readers.table import read_table, table_ledger
from lgresearch.ledger import Ledger

# private helpers of release 0.x, still importable from here
from lgresearch.deals_readers.collapse import _collapse, _group_lists, _hash  # noqa: F401, E402, I001
from lgresearch.deals_readers.rows import _CHINA, _checked_uscc, _clean_text, _field, _fill  # noqa: F401, E402
from lgresearch.deals_readers.rows import _location, _number, _split_investors  # noqa: F401, E402
from lgresearch.deals_readers.schema import _is_list_of_str, _str_col, _str_or_na  # noqa: F401, E402
from lgresearch.deals_readers.table import _blank  # noqa: F401, E402

__all__ = [
    "DEAL_COLUMNS", "STR_COLUMNS", "FLOAT_COLUMNS", "VALUATION_BASES", "AMOUNT_STATUSES", "IMPLIED_TOLERANCE",
    "VALUATION_CONFLICT_TOLERANCE", "UNDISCLOSED_FIRM", "INPUT_FIELDS", "DEAL_SCHEMA", "as_text", "empty_events",
    "validate_events", "DealMapping", "read_table", "table_ledger", "events_from_rows", "first_rows_index",
    "finalize_events", "read_with_mapping",
]

def read_with_mapping(
    path: str | Path,
    mapping: DealMapping,
    *,
    ledger: Ledger | None = None,
    as_of: str | pd.Timestamp | None = None,
    preprocess: Callable[[pd.DataFrame, Ledger, str], pd.DataFrame] | None = None,
    header_names: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Read one file with a mapping: :func:`read_table` + optional ``preprocess`` + :func:`events_from_rows`.

    Returns ``(events, ledger)``; the ledger accounts for every physical row of the file (lines of a csv, rows of
    the sheet: title and header rows included) and is reconciled before it is returned.

    Parameters
    ----------
    path : str or Path
        The file to read.
    mapping : DealMapping
        Which source column holds which canonical field.
    ledger : Ledger, optional
        A ledger that receives one outcome per input row (internal engine argument).
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).
    preprocess : callable, optional
        Applied to the raw rows before mapping.
    header_names : sequence of str
        Header cells that locate the header row.

    Returns
    -------
    (DataFrame, Ledger)
        The events and the row ledger.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("Firm,Date,Round\\n甲科技有限公司,2021-05,A轮\\n,,\\n")
    >>> ev, led = read_with_mapping(p, DealMapping({"firm_name": "Firm", "date": "Date", "round": "Round"}))
    >>> ev[["round_std", "date_precision"]].values.tolist(), led.summary()
    ([['A', 'month']], '3 rows: 1 kept, 0 merged, 2 dropped (0 flagged)')
    """
    path = Path(path)
    led = ledger if ledger is not None else Ledger()
    names = list(header_names) if header_names is not None else mapping.vendor_columns()
    rows = read_table(path, sheet=mapping.sheet, header_names=names)
    local, n_physical = table_ledger(rows)
    if preprocess is not None:
        rows = preprocess(rows, local, path.name)
    events = events_from_rows(rows, mapping, source_file=path.name, ledger=local, as_of=as_of)
    local.reconcile(n_physical)
    led.extend(local)
    return events, led
