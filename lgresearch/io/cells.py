"""Any table file to raw cells: :func:`read_cells`, the file formats, and the ledger of physical rows.

Examples
--------
>>> table_format("list.XLSX")
'xlsx'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lgresearch._compat import TEXT_DTYPE
from lgresearch.errors import InputError
from lgresearch.io.csv_text import _read_csv
from lgresearch.io.documents import _read_docx, _read_html, _read_pdf
from lgresearch.io.excel import _read_workbook
from lgresearch.ledger import Ledger

__all__ = ["FORMATS", "WORKBOOK_FORMATS", "META_COLUMNS", "table_format", "read_cells", "physical_rows", "notes_ledger"]


#: Formats read by :func:`read_cells`, by file extension.
FORMATS = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".ods": "ods",
}
#: Formats read by workbook engine (calamine).
WORKBOOK_FORMATS = ("xlsx", "xls", "ods")
#: The columns of a :func:`read_cells` frame before the cells ``c0 … cN``.
META_COLUMNS = ["source_file", "source_row", "page", "block"]


def table_format(path: str | Path) -> str:
    """Return the format name of a file from its extension, or raise :class:`InputError`.

    Parameters
    ----------
    path : str or Path
        The file whose format is wanted.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Examples
    --------
    >>> table_format("list.XLSX")
    'xlsx'
    """
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise InputError(Path(path).name, None, None,
                         f"unsupported file type {ext or '(none)'}; expected one of {sorted(FORMATS)}")
    return FORMATS[ext]


def read_cells(path: str | Path, *, sheet: str | int | None = None, hidden: bool = False,
               delimiter: str | None = None, raw: bool = False) -> pd.DataFrame:
    """Read a table file into raw cells (strings) with source row numbers.

    Parameters
    ----------
    path : str or Path
        An xlsx, xls, ods, csv/txt/tsv, html/htm, pdf or docx file.
    sheet : str or int, optional
        For workbooks: read only this sheet (name or 0-based index), hidden or not. Default: every non-empty
        visible sheet.
    hidden : bool
        Also read hidden sheets when ``sheet`` is not given (default False: their rows are noted as dropped,
        reason ``hidden sheet``).
    delimiter : str, optional
        Field separator of a text file (default: sniffed among ``, \\t ; |``).
    raw : bool
        Keep CSV and workbook cells exactly as the file holds them (default False): CSV fields are not stripped
        and lines wrapped inside a quoted field are not joined; workbook cells keep their types (numbers, dates;
        ``""`` when empty), merged ranges are not expanded and blank rows at the end of a sheet are kept (and
        counted as physical rows). The cell columns are then of ``object`` dtype. HTML, PDF and docx cells are
        always text.

    Returns
    -------
    DataFrame
        Columns :data:`META_COLUMNS` then ``c0 … cN`` (strings, ``""`` for empty). ``attrs`` holds ``format``,
        ``encoding`` (text formats), ``text`` (text outside tables in HTML, PDF and docx, for titles; empty for
        CSV and workbooks, whose rows are all in the frame), ``title`` (an HTML ``<title>``), ``sheets``,
        ``physical_rows`` and ``ledger_notes`` (see the module docstring and :func:`notes_ledger`).

    Raises
    ------
    InputError
        The file is missing, of an unsupported type, or cannot be read (corrupt, wrong encoding); the message
        names the file and says what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.html"
    >>> _ = p.write_text("<h1>第五批名单</h1><table><tr><td rowspan=2>浙江</td><td>甲</td></tr>"
    ...                  "<tr><td>乙</td></tr></table>", encoding="utf-8")
    >>> read_cells(p)[["source_row", "block", "c0", "c1"]].values.tolist()
    [[1, 0, '第五批名单', ''], [2, 1, '浙江', '甲'], [3, 1, '浙江', '乙']]
    >>> q = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = q.write_text('name,note\\n甲," a\\nb "\\n', encoding="utf-8")
    >>> read_cells(q, raw=True)["c1"].tolist(), read_cells(q)["c1"].tolist()
    (['note', ' a\\nb '], ['note', 'a b'])
    """
    path = Path(path)
    fmt = table_format(path)
    if not path.is_file():
        raise InputError(path.name, None, None, "file not found; check the path")
    try:
        rows, attrs = _read_rows(path, fmt, sheet=sheet, hidden=hidden, delimiter=delimiter, raw=raw)
    except InputError:
        raise
    except Exception as exc:  # a corrupt or mislabelled file: name it, never a bare traceback
        raise InputError(path.name, None, None,
                         f"cannot read the file as {fmt} ({type(exc).__name__}: {str(exc)[:200]}); check that it "
                         f"is a real {fmt} file (open it and save it again as {fmt}, or export it as CSV "
                         f"UTF-8)") from exc
    frame = _to_frame(rows, raw=raw)
    notes = attrs.pop("ledger_notes", [])
    physical = attrs.pop("physical_rows", None)
    if physical is None:
        physical = {}
        for label, *_ in rows:
            physical[label] = physical.get(label, 0) + 1
        if not physical:
            physical = {path.name: 0}
    frame.attrs.update({"format": fmt, "text": "", **attrs, "physical_rows": physical, "ledger_notes": notes})
    return frame


def _read_rows(path: Path, fmt: str, *, sheet: str | int | None, hidden: bool, delimiter: str | None,
               raw: bool) -> tuple[list, dict]:
    """Rows ``(file label, source_row, page, block, cells)`` and attrs from the reader of ``fmt``."""
    if fmt in WORKBOOK_FORMATS:
        return _read_workbook(path, sheet, hidden, raw=raw)
    if fmt == "csv":
        return _read_csv(path, delimiter=delimiter, raw=raw)
    return {"html": _read_html, "pdf": _read_pdf, "docx": _read_docx}[fmt](path)


def physical_rows(cells: pd.DataFrame) -> dict[str, int]:
    """Number of physical rows per file label of a :func:`read_cells` frame (what a ledger must account for).

    Parameters
    ----------
    cells : DataFrame
        Raw cells from :func:`read_cells`.

    Returns
    -------
    dict of str to int
        Physical rows per source file (what a ledger must account for).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = p.write_text('企业名称,备注\\n"甲科技\\n有限公司",x\\n', encoding="utf-8")
    >>> cells = read_cells(p)
    >>> len(cells), physical_rows(cells)
    (2, {'q.csv': 3})
    """
    return dict(cells.attrs.get("physical_rows") or cells.groupby("source_file").size().to_dict())


def notes_ledger(cells: pd.DataFrame, *, label: str | None = None, name: str | None = None) -> Ledger:
    """The ledger entries :func:`read_cells` made: physical rows that are not frame rows, and flags.

    Parameters
    ----------
    cells : DataFrame from :func:`read_cells`
    label, name : str, optional
        Rename file label ``name`` (the file name) to ``label`` (as a reader that labels files differently does).

    Returns
    -------
    Ledger

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = p.write_text('企业名称,备注\\n"甲科技\\n有限公司",x\\n', encoding="utf-8")
    >>> notes_ledger(read_cells(p)).frame()[["source_row", "outcome", "reason"]].values.tolist()
    [[3, 'merged', 'line inside a quoted field']]
    """
    led = Ledger()
    for file, row, outcome, reason, detail in cells.attrs.get("ledger_notes", []):
        if label is not None and name is not None and label != name:
            file = file.replace(name, label, 1)
        led.add(file, [int(row)], outcome, reason=reason, detail=detail)
    return led




def _to_frame(rows: list[tuple[str, int, int, int, list]], *, raw: bool = False) -> pd.DataFrame:
    """rows: (file label, source_row, page, block, cells); cells as text unless ``raw``."""
    width = max((len(r[4]) for r in rows), default=0)
    cols = [f"c{i}" for i in range(width)]
    meta = pd.DataFrame(
        {
            "source_file": pd.Series([r[0] for r in rows], dtype=object),
            "source_row": pd.Series([r[1] for r in rows], dtype="int64"),
            "page": pd.Series([r[2] for r in rows], dtype="int64"),
            "block": pd.Series([r[3] for r in rows], dtype="int64"),
        }
    )
    if rows:
        body = pd.DataFrame([r[4] if len(r[4]) == width else [*r[4], *[""] * (width - len(r[4]))] for r in rows],
                            columns=cols, dtype=object)
    else:
        body = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    frame = pd.concat([meta, body], axis=1)
    for c in ["source_file", *([] if raw else cols)]:
        frame[c] = frame[c].astype(TEXT_DTYPE)
    return frame
