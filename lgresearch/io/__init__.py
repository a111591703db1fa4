"""Read any table file into raw cells: a frame of strings with the row numbers a person sees in the file.

:func:`read_cells` reads xlsx / xls (calamine), csv / txt (UTF-8, UTF-8 with BOM, GB18030/GBK detected), HTML
tables, PDF tables (pdfplumber) and docx tables (python-docx) and returns one row per row of the file, cells as
strings (``""`` when empty), in columns ``c0, c1, …``, with:

- ``source_file``: the file name (``name.xlsx#Sheet2`` for the second non-empty sheet of a workbook);
- ``source_row``: 1-based row number as a person would cite it (the spreadsheet row; the CSV record; for PDF,
  docx and HTML the running number of the rows and text lines emitted, in reading order);
- ``page``: the PDF page (0 elsewhere); ``block``: which table the row came from (0 for text outside tables).

Rows are physical rows: the line of a CSV file where a record starts (a quoted field that spans lines is one
record; the lines it continues onto are listed in ``attrs["ledger_notes"]`` as merged into it), the row of a
sheet, the table row or text block of HTML and docx, the text line of a PDF page. ``attrs["physical_rows"]`` gives
each label's number of physical rows and ``attrs["ledger_notes"]`` the outcomes of physical rows that are not
frame rows (lines inside quoted fields, rows of hidden sheets) and flags on frame rows (a quote that is never
closed, a truncated last line, a nested table in a cell): :func:`notes_ledger` turns them into a
:class:`~lgresearch.ledger.Ledger`, so readers reconcile against what a person sees in the file.

Merged cells are expanded (every cell of a merged range gets the value, as a reader sees it); text outside
tables in PDF, docx and HTML (titles, headings between tables, footnotes) is emitted as one-cell rows in reading
order, so that nothing a person sees is lost. Nothing here interprets the content: that is the job of the
readers that use it (e.g. :mod:`lgresearch.designations`).

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
>>> _ = p.write_bytes("序号,企业名称\\n1,甲公司\\n".encode("gbk"))
>>> cells = read_cells(p)
>>> cells[["source_row", "c0", "c1"]].values.tolist()
[[1, '序号', '企业名称'], [2, '1', '甲公司']]
>>> cells.attrs["encoding"]
'gb18030'
"""

from __future__ import annotations

from lgresearch.io.cells import (
    FORMATS,
    META_COLUMNS,
    WORKBOOK_FORMATS,
    notes_ledger,
    physical_rows,
    read_cells,
    table_format,
)
from lgresearch.io.csv_text import parse_csv_text, split_lines
from lgresearch.io.decode import MIN_CJK_SHARE, TEXT_ENCODINGS, cjk_share, decode_text
from lgresearch.io.render import cell_text

__all__ = [
    "FORMATS", "WORKBOOK_FORMATS", "TEXT_ENCODINGS", "MIN_CJK_SHARE", "META_COLUMNS", "table_format", "read_cells",
    "physical_rows", "notes_ledger", "cell_text", "cjk_share", "decode_text", "split_lines", "parse_csv_text",
]
