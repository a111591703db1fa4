"""Reading a vendor export into rows: the header row found by name, every physical row accounted for.

:func:`read_table` is built on :func:`lgresearch.io.read_cells` (which decodes the file, numbers its rows and notes
odd lines); this module finds the header and names the columns, and :func:`table_ledger` turns what lies above
the header and what the file reader noted into ledger entries.

Examples
--------
>>> ".xls" in TABLE_SUFFIXES, ".pdf" in TABLE_SUFFIXES
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch.errors import InputError
from lgresearch.io import read_cells
from lgresearch.ledger import Ledger

__all__ = ["TABLE_SUFFIXES", "read_table", "table_ledger"]

#: File types :func:`read_table` reads, by extension (text files and workbooks).
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xls", ".xlsx", ".xlsm", ".ods")


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str)
                                                                                      and not v.strip())


def _file_cells(path: Path, sheet: str | int) -> pd.DataFrame:
    """The file's cells as stored (:func:`lgresearch.io.read_cells` with ``raw=True``), errors in reader terms."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(path.name, None, None, "file not found; check the path")
    if suffix not in TABLE_SUFFIXES:
        raise InputError(path.name, None, None, f"unsupported file type {suffix!r}; save the export as csv, xls "
                                                f"or xlsx")
    text = suffix in (".csv", ".txt", ".tsv")
    try:
        return read_cells(path, sheet=None if text else sheet, raw=True,
                          delimiter=("\t" if suffix == ".tsv" else ",") if text else None)
    except InputError as err:
        cause = err.__cause__
        if text or cause is None or isinstance(cause, InputError):
            raise
        raise InputError(path.name, None, None, f"cannot read the workbook: {cause}") from cause


def _header_index(raw: pd.DataFrame, wanted: set[str], max_scan: int, name: str) -> int:
    """Position of the header row: the first non-blank row, or the one holding the most ``wanted`` names."""
    header_idx = None
    best = 0
    for i in range(min(max_scan, len(raw))):
        cells = [str(v).strip() for v in raw.iloc[i].tolist() if not _blank(v)]
        if not cells:
            continue
        if not wanted:
            header_idx = i
            break
        hits = len(wanted & set(cells))
        if hits > best:
            best, header_idx = hits, i
    if header_idx is None or (wanted and best == 0):
        raise InputError(name, None, None, f"no header row with any of {sorted(wanted)[:6]} in the first "
                                           f"{max_scan} rows; check the export's column names (or pass a "
                                           f"DealMapping naming your columns)")
    return header_idx


def _column_names(header: list) -> list[str]:
    """Header cells as column names: blank ones ``Unnamed: <i>``, repeated ones suffixed ``_dup``."""
    names: list[str] = []
    for j, v in enumerate(header):
        name = f"Unnamed: {j}" if _blank(v) else str(v).strip()
        while name in names:
            name += "_dup"
        names.append(name)
    return names


def read_table(path: str | Path, *, sheet: str | int = 0, header_names: Sequence[str] = (),
               max_scan: int = 30) -> pd.DataFrame:
    """Read a csv / xls / xlsx export with its header row found by name.

    Title rows and blank rows above the header (as in raw 私募通 ``.xls`` exports) are skipped. Cells keep their
    types (numbers stay numbers). The returned frame has a ``_row`` column: the row number a spreadsheet shows
    (1-based, header included). Empty header cells are named ``Unnamed: <i>``. The file is read by
    :func:`lgresearch.io.read_cells` (``raw=True``: encodings detected, quoted multi-line CSV fields kept as
    written, unclosed quotes noted).

    Parameters
    ----------
    path : path
        A csv / txt / tsv file or a workbook (xls, xlsx, xlsm, ods).
    sheet : str or int
        Worksheet of a workbook.
    header_names : sequence of str
        Column names expected in the header; the first row among the first ``max_scan`` rows holding the most of
        them is the header (the first non-blank row when none is given).
    max_scan : int
        How many rows from the top are searched for the header.

    Returns
    -------
    DataFrame
        The rows below the header, cells as stored, with ``_row``; ``attrs["table_ledger"]`` feeds
        :func:`table_ledger`.

    Raises
    ------
    InputError
        The file is missing, of another type, unreadable or empty, or has no header row; the message names the
        file and says what to do.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "x.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("title line,\\n,\\nname,date\\nA,2020-01-01\\n")
    >>> read_table(p, header_names=["name", "date"])[["name", "date", "_row"]].values.tolist()
    [['A', '2020-01-01', 4]]
    """
    path = Path(path)
    cells = _file_cells(path, sheet)
    if cells.empty:
        raise InputError(path.name, None, None, "the file is empty; check that the export holds data rows")
    raw = cells[[c for c in cells.columns if c not in ("source_file", "source_row", "page", "block")]]
    line_of = cells["source_row"].tolist()
    wanted = {str(h).strip() for h in header_names}
    header_idx = _header_index(raw, wanted, max_scan, path.name)
    body = raw.iloc[header_idx + 1:].copy()
    body.columns = _column_names(raw.iloc[header_idx].tolist())
    # the row number a person sees: the spreadsheet row, or the CSV line where the record starts
    body["_row"] = np.asarray(line_of[header_idx + 1:], dtype="int64")
    body = body.reset_index(drop=True)
    body.attrs = {}  # read_cells' attrs stay with the cells; the rows carry only what table_ledger needs
    above = [(line_of[i], "blank line" if all(_blank(v) for v in raw.iloc[i].tolist()) else "title line")
             for i in range(header_idx)]
    body.attrs["table_ledger"] = {"file": path.name, "physical_rows": int(cells.attrs["physical_rows"][path.name]),
                                  "above": [*above, (line_of[header_idx], "header row")],
                                  "notes": list(cells.attrs["ledger_notes"])}
    return body


def table_ledger(rows: pd.DataFrame) -> tuple[Ledger, dict[str, int]]:
    """Ledger entries for the rows :func:`read_table` did not return as data, and the file's physical row count.

    Rows above the header (title and blank lines) and the header row are ``dropped`` with their reason; lines
    inside a quoted CSV field are ``merged`` into the record they continue; lines with an unclosed quote or a
    truncated last line are ``flagged`` (see :func:`lgresearch.io.parse_csv_text`).

    Parameters
    ----------
    rows : DataFrame
        Rows from :func:`read_table` with ``source_file`` and ``source_row``.

    Returns
    -------
    (Ledger, {file: physical rows})

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("export\\nname,date\\nA,2020-01-01\\n")
    >>> led, n = table_ledger(read_table(p, header_names=["name", "date"]))
    >>> led.frame()[["source_row", "reason"]].values.tolist(), n
    ([[1, 'title line'], [2, 'header row']], {'x.csv': 3})
    """
    info = rows.attrs.get("table_ledger") or {}
    led = Ledger()
    if not info:
        return led, {}
    name = info["file"]
    for row, reason in info["above"]:
        led.add(name, [int(row)], "dropped", reason=reason)
    for file, row, outcome, reason, detail in info["notes"]:
        led.add(file, [int(row)], outcome, reason=reason, detail=detail)
    return led, {name: int(info["physical_rows"])}


