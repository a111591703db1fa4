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

import csv
import datetime as _dt
import io as _io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from lgresearch._compat import TEXT_DTYPE
from lgresearch.errors import InputError

__all__ = [
    "FORMATS", "TEXT_ENCODINGS", "MIN_CJK_SHARE", "META_COLUMNS", "table_format", "read_cells", "physical_rows",
    "notes_ledger", "cell_text", "cjk_share", "decode_text", "split_lines", "parse_csv_text",
]


#: Formats read by :func:`read_cells`, by file extension.
FORMATS = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
}
#: Encodings tried for text files (GB18030 is a superset of GBK and GB2312). UTF-8 (with or without BOM) and
#: UTF-16 (with a BOM or zero bytes) are recognised first; GB18030 and Big5 are then scored on how much of the
#: decoded text is common Chinese, so Big5 is never read as GBK garbage.
TEXT_ENCODINGS = ("utf-8-sig", "utf-8", "utf-16", "gb18030", "big5")
#: Share of the non-ASCII characters that must be common Chinese characters for a legacy (GBK/Big5) decoding to
#: be accepted.
MIN_CJK_SHARE = 0.8
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


def read_cells(path: str | Path, *, sheet: str | int | None = None, hidden: bool = False) -> pd.DataFrame:
    """Read a table file into raw cells (strings) with source row numbers.

    Parameters
    ----------
    path : str or Path
        An xlsx, xls, csv/txt/tsv, html/htm, pdf or docx file.
    sheet : str or int, optional
        For workbooks: read only this sheet (name or 0-based index), hidden or not. Default: every non-empty
        visible sheet.
    hidden : bool
        Also read hidden sheets when ``sheet`` is not given (default False: their rows are noted as dropped,
        reason ``hidden sheet``).

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
    """
    path = Path(path)
    fmt = table_format(path)
    if not path.is_file():
        raise InputError(path.name, None, None, "file not found; check the path")
    readers = {"xlsx": _read_workbook, "xls": _read_workbook, "csv": _read_csv, "html": _read_html,
               "pdf": _read_pdf, "docx": _read_docx}
    try:
        if fmt in ("xlsx", "xls"):
            rows, attrs = readers[fmt](path, sheet, hidden)
        else:
            rows, attrs = readers[fmt](path)
    except InputError:
        raise
    except Exception as exc:  # a corrupt or mislabelled file: name it, never a bare traceback
        raise InputError(path.name, None, None,
                         f"cannot read the file as {fmt} ({type(exc).__name__}: {str(exc)[:200]}); check that it "
                         f"is a real {fmt} file (open it and save it again as {fmt}, or export it as CSV "
                         f"UTF-8)") from exc
    frame = _to_frame(rows, path.name)
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


def notes_ledger(cells: pd.DataFrame, *, label: str | None = None, name: str | None = None):
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
    from lgresearch.ledger import Ledger

    led = Ledger()
    for file, row, outcome, reason, detail in cells.attrs.get("ledger_notes", []):
        if label is not None and name is not None and label != name:
            file = file.replace(name, label, 1)
        led.add(file, [int(row)], outcome, reason=reason, detail=detail)
    return led


# --------------------------------------------------------------------------------------------------- helpers


def cell_text(value: object) -> str:
    """Render one cell value as a person reads it (``1.0`` → ``'1'``, dates as ISO, None → ``''``).

    Parameters
    ----------
    value : object
        One raw cell value.

    Returns
    -------
    str
        The cell as text (``""`` for a blank cell).

    Examples
    --------
    >>> cell_text(3.0), cell_text(None), cell_text(" 甲\\u3000"), cell_text(2.5)
    ('3', '', '甲', '2.5')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()[:10] if isinstance(value, _dt.datetime) and value.time() == _dt.time() \
            else value.isoformat()
    return str(value).strip()


def _to_frame(rows: list[tuple[str, int, int, int, list[str]]], default_name: str) -> pd.DataFrame:
    """rows: (file label, source_row, page, block, cells)."""
    width = max((len(r[4]) for r in rows), default=0)
    cols = [f"c{i}" for i in range(width)]
    data = {c: [] for c in cols}
    for r in rows:
        cells = r[4]
        for i, c in enumerate(cols):
            data[c].append(cells[i] if i < len(cells) else "")
    frame = pd.DataFrame(
        {
            "source_file": pd.Series([r[0] for r in rows], dtype=object),
            "source_row": pd.Series([r[1] for r in rows], dtype="int64"),
            "page": pd.Series([r[2] for r in rows], dtype="int64"),
            "block": pd.Series([r[3] for r in rows], dtype="int64"),
            **{c: pd.Series(v, dtype=object) for c, v in data.items()},
        }
    )
    if not rows:
        frame["source_file"] = pd.Series([], dtype=object)
    for c in ["source_file", *cols]:
        frame[c] = frame[c].astype(TEXT_DTYPE)
    return frame


def _clean_cell(text: str) -> str:
    """Join lines wrapped inside a cell: no separator between CJK characters, one space otherwise."""
    if "\n" not in text and "\r" not in text:
        return text.strip()
    parts = [p.strip() for p in re.split(r"[\r\n]+", text) if p.strip()]
    if not parts:
        return ""
    out = parts[0]
    for p in parts[1:]:
        out += (" " if out[-1].isascii() and p[0].isascii() and out[-1].isalnum() and p[0].isalnum() else "") + p
    return out


def _fill_merged(grid: list[list[str]], ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = value


# ------------------------------------------------------------------------------------------------ workbooks


def _sheet_grid(book, name: str) -> list[list[str]]:
    ws = book.get_sheet_by_name(name)
    grid = [[cell_text(v) for v in row] for row in ws.to_python(skip_empty_area=False)]
    try:
        merged = ws.merged_cell_ranges or []
    except Exception:  # pragma: no cover - older calamine without merged ranges
        merged = []
    _fill_merged(grid, merged)
    grid = [[_clean_cell(c) for c in row] for row in grid]
    while grid and not any(grid[-1]):
        grid.pop()
    return grid


def _hidden_sheets(book) -> set[str]:
    try:
        from python_calamine import SheetVisibleEnum

        return {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    except Exception:  # pragma: no cover - a calamine without sheet metadata
        return set()


def _read_workbook(path: Path, sheet: str | int | None, hidden: bool = False) -> tuple[list, dict]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    names = list(book.sheet_names)
    invisible = _hidden_sheets(book)
    if sheet is not None:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise InputError(path.name, None, None, f"no sheet {sheet}; sheets are {names}")
            chosen = [names[sheet]]
        else:
            if sheet not in names:
                raise InputError(path.name, None, None, f"no sheet {sheet!r}; sheets are {names}")
            chosen = [sheet]
    else:
        chosen = [n for n in names if hidden or n not in invisible]
    sheets = []
    for name in chosen:
        grid = _sheet_grid(book, name)
        if grid or sheet is not None:
            sheets.append((name, grid))
    if not sheets and names and sheet is None and len(chosen):
        sheets = [(chosen[0], [])]
    rows = []
    physical: dict[str, int] = {}
    for k, (name, grid) in enumerate(sheets):
        label = path.name if k == 0 else f"{path.name}#{name}"
        rows.extend((label, i + 1, 0, k + 1, cells) for i, cells in enumerate(grid))
        physical[label] = len(grid)
    notes = []
    skipped = [] if sheet is not None or hidden else [n for n in names if n in invisible]
    for name in skipped:
        grid = _sheet_grid(book, name)
        label = f"{path.name}#{name}"
        if grid:
            physical[label] = len(grid)
            notes.extend((label, i + 1, "dropped", "hidden sheet", f"sheet {name!r} is hidden; pass sheet= to "
                                                                    f"read it") for i in range(len(grid)))
    if not physical:
        physical[path.name] = 0
    return rows, {"sheets": [n for n, _ in sheets], "hidden_sheets": skipped, "physical_rows": physical,
                  "ledger_notes": notes}


# ----------------------------------------------------------------------------------------------- text/CSV


_CJK_PUNCT = set("、，。：；！？（）“”‘’《》〈〉【】—…·「」『』　％＋－／＝［］｛｝～℃①②③④⑤⑥⑦⑧⑨⑩")


def _common_cjk(ch: str, encoding: str) -> bool:
    if not ("\u4e00" <= ch <= "\u9fff"):
        return False
    if encoding == "big5":
        try:
            return 0xA4 <= ch.encode("big5")[0] <= 0xC6  # Big5 level 1: the frequent characters
        except UnicodeEncodeError:
            return False
    try:
        ch.encode("gb2312")  # GB2312: the common simplified (and shared) characters
    except UnicodeEncodeError:
        return False
    return True


def cjk_share(text: str, encoding: str = "gb18030") -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters for ``encoding``.

    Text decoded with the wrong legacy encoding (Big5 bytes read as GBK, or the reverse) is full of rare
    characters and symbols and scores low; Chinese punctuation is ignored. Text without non-ASCII characters
    scores 1.

    Parameters
    ----------
    text : str
        Decoded text.
    encoding : str
        The encoding the text was decoded with.

    Returns
    -------
    float
        Share of the non-ASCII characters that are common Chinese characters for ``encoding``.

    Examples
    --------
    >>> raw = "台灣積體電路製造股份有限公司".encode("big5")
    >>> round(cjk_share(raw.decode("big5"), "big5"), 2), cjk_share(raw.decode("gb18030", "replace")) < 0.8
    (1.0, True)
    """
    sample = text[:50000]
    counts: dict[str, int] = {}
    for ch in sample:
        if ord(ch) > 127 and ch not in _CJK_PUNCT:
            counts[ch] = counts.get(ch, 0) + 1
    total = sum(counts.values())
    if not total:
        return 1.0
    good = sum(n for ch, n in counts.items() if _common_cjk(ch, encoding))
    return good / total


def _utf16_guess(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:4000]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.1 * len(odd) and even.count(0) < 0.02 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.1 * len(even) and odd.count(0) < 0.02 * len(odd):
            return "utf-16-be"
    return None


def decode_text(raw: bytes, name: str = "file", encodings: Sequence[str] = TEXT_ENCODINGS) -> tuple[str, str]:
    """Decode bytes with the encoding that yields valid Chinese text.

    UTF-8 (``utf-8-sig`` when it starts with a byte-order mark) and UTF-16 (a byte-order mark, or zero bytes in
    every other position) are recognised by their form. Otherwise each legacy encoding among ``encodings``
    (GB18030, which covers GBK and GB2312, and Big5) that decodes the bytes without error is scored with
    :func:`cjk_share`, and the best one is used when at least :data:`MIN_CJK_SHARE` of the text is common
    Chinese.

    Parameters
    ----------
    raw : bytes
        The file contents.
    name : str
        File name used in error messages.
    encodings : sequence of str
        Encodings to try, in order.

    Returns
    -------
    (str, str)
        The text and the encoding that decoded it.

    Raises
    ------
    InputError
        No encoding decodes the file into plausible text (the message names the file and says to save it as
        UTF-8).

    Examples
    --------
    >>> decode_text("企业".encode("gbk"))
    ('企业', 'gb18030')
    >>> decode_text("\\ufeff企业".encode("utf-8"))[1]
    'utf-8-sig'
    >>> decode_text("台灣積體電路製造股份有限公司".encode("big5"))
    ('台灣積體電路製造股份有限公司', 'big5')
    >>> decode_text("序号,企业名称".encode("utf-16"))[1]
    'utf-16'
    """
    encodings = list(encodings)
    if "utf-16" in encodings:
        guess = _utf16_guess(raw)
        if guess is not None:
            try:
                text = raw.decode(guess)
                return text.lstrip("\ufeff"), "utf-16"
            except UnicodeDecodeError:
                pass
    for enc in ("utf-8-sig", "utf-8"):
        if enc in encodings:
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            return text, ("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    scored: list[tuple[float, int, str, str]] = []
    for k, enc in enumerate(e for e in encodings if e not in ("utf-8-sig", "utf-8", "utf-16")):
        try:
            text = raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text[:4000]:
            continue
        scored.append((cjk_share(text, "big5" if "big5" in enc.lower() else "gb18030"), -k, enc, text))
    if scored:
        share, _, enc, text = max(scored)
        if share >= MIN_CJK_SHARE:
            return text, "gb18030" if enc.lower() in ("gbk", "gb2312", "gb18030") else enc
        raise InputError(name, None, None,
                         f"cannot tell the text encoding: the best reading ({enc}) gives only {share:.0%} common "
                         f"Chinese characters; save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8')")
    raise InputError(name, None, None,
                     f"cannot decode the text with any of {encodings}; save the file as UTF-8 (in Excel: Save As, "
                     f"'CSV UTF-8')")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Physical lines of a text, line ends kept (``\\r\\n``, ``\\r`` or ``\\n``, as csv reads them).

    Parameters
    ----------
    text : str
        Decoded text.

    Returns
    -------
    list of str
        The lines, without line breaks.

    Examples
    --------
    >>> split_lines("a\\nb\\r\\nc")
    ['a\\n', 'b\\r\\n', 'c']
    """
    return _LINE.findall(text)


def _modal_width(lines: Sequence[str], delimiter: str) -> int:
    counts: dict[int, int] = {}
    for line in lines[:500]:
        n = line.count(delimiter)
        if n:
            counts[n + 1] = counts.get(n + 1, 0) + 1
    if not counts:
        return 1
    total = sum(counts.values())
    common = [w for w, k in counts.items() if k >= 0.25 * total]
    return max(common) if common else max(counts, key=lambda w: (counts[w], w))


def _unquoted(line: str, delimiter: str) -> list[str]:
    return [f.strip().strip('"').strip() for f in line.rstrip("\r\n").split(delimiter)]


def _suspicious(record_lines: Sequence[str], fields: list[str], width: int, delimiter: str) -> bool:
    """A record spanning lines whose quote looks unclosed rather than a legitimate multi-line field."""
    if len(fields) < width:
        return True
    threshold = max(1, width - 1)
    for k, line in enumerate(record_lines[1:], start=1):
        part = line[: line.rfind('"')] if k == len(record_lines) - 1 and '"' in line else line
        if part.count(delimiter) >= threshold:
            return True
    return False


def parse_csv_text(text: str, *, delimiter: str = ",", name: str = "file") -> tuple[list[tuple[int, list[str]]],
                                                                                   list[tuple], int]:
    """Parse CSV text into records numbered by the physical line they start on, with notes on odd lines.

    A quoted field may span lines (its continuation lines are noted as ``merged`` into the record). A quote that
    is never closed (it would swallow the following lines into one field, or runs to the end of the file) is
    not trusted: its line is read without quoting and flagged ``unclosed quote``. A last line cut short (no
    line end and fewer fields than the table) is flagged ``truncated last line``. Fields of any length are read.

    Parameters
    ----------
    text : str
    delimiter : str
    name : str
        File label used in the notes.

    Returns
    -------
    records : list of (line number, fields)
    notes : list of (file, line, outcome, reason, detail)
    n_lines : int
        Number of physical lines.

    Examples
    --------
    >>> recs, notes, n = parse_csv_text('序号,企业名称,省份\\n1,"甲公司,浙江\\n2,乙公司,江苏\\n', name="a.csv")
    >>> recs
    [(1, ['序号', '企业名称', '省份']), (2, ['1', '甲公司', '浙江']), (3, ['2', '乙公司', '江苏'])]
    >>> [(r, reason) for _, r, _, reason, _ in notes], n
    ([(2, 'unclosed quote: line read without quoting')], 3)
    """
    import itertools
    import sys

    lines = split_lines(text)
    n = len(lines)
    width = _modal_width(lines, delimiter)
    records: list[tuple[int, list[str]]] = []
    notes: list[tuple] = []
    old_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        start = 0
        while start < n:
            reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter)
            consumed = 0
            restart = None
            for rec in reader:
                first, last = start + consumed + 1, start + reader.line_num
                consumed = reader.line_num
                if last > first:
                    chunk = lines[first - 1:last]
                    odd = sum(line.count('"') for line in chunk) % 2 == 1
                    if odd or _suspicious(chunk, rec, width, delimiter):
                        records.append((first, _unquoted(lines[first - 1], delimiter)))
                        notes.append((name, first, "flagged", "unclosed quote: line read without quoting",
                                      lines[first - 1].strip()[:80]))
                        restart = first  # 0-based index of the next line
                        break
                    records.append((first, rec))
                    notes.extend((name, k, "merged", "line inside a quoted field", f"continues row {first}")
                                 for k in range(first + 1, last + 1))
                else:
                    line = lines[first - 1]
                    if '"' in line and line.count('"') % 2 == 1:
                        if last == n:
                            rec = _unquoted(line, delimiter)
                            notes.append((name, first, "flagged", "unclosed quote: line read without quoting",
                                          line.strip()[:80]))
                        else:
                            notes.append((name, first, "flagged", "stray quote character", line.strip()[:80]))
                    records.append((first, rec))
            if restart is None:
                break
            start = restart
    finally:
        csv.field_size_limit(old_limit)
    if lines and not lines[-1].endswith(("\n", "\r")) and records:
        last_row, fields = records[-1]
        if last_row == n and 1 < len([f for f in fields]) < width:
            notes.append((name, last_row, "flagged", "truncated last line",
                          f"{len(fields)} of {width} fields and no line end: the file may be cut short"))
    return records, notes, n


def _read_csv(path: Path) -> tuple[list, dict]:
    text, enc = decode_text(path.read_bytes(), path.name)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    records, notes, n = parse_csv_text(text, delimiter=delimiter, name=path.name)
    rows = [(path.name, line, 0, 1, [_clean_cell(c) for c in rec]) for line, rec in records]
    return rows, {"encoding": enc, "delimiter": delimiter, "physical_rows": {path.name: n}, "ledger_notes": notes}


# ---------------------------------------------------------------------------------------------------- HTML

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "title", "dt", "dd", "pre"}


def _html_text(raw: bytes, name: str) -> tuple[str, str]:
    head = raw[:4096].decode("ascii", errors="ignore")
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", head, flags=re.I)
    encodings: list[str] = list(TEXT_ENCODINGS)
    if m:
        declared = m.group(1).lower()
        declared = "gb18030" if declared in {"gb2312", "gbk", "gb18030", "x-gbk"} else declared
        encodings = [declared, *[e for e in TEXT_ENCODINGS if e != declared]]
    return decode_text(raw, name, encodings)


def _expand_spans(trs: list, nested: dict[int, str] | None = None) -> list[list[str]]:
    """Expand rowspan/colspan of lxml <tr> elements into a rectangular grid of texts.

    Text of a table nested inside a cell is left out of the cell and recorded in ``nested`` (row index → text).
    """
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(trs):
        row: list[str] = []
        col = 0
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        for cell in cells:
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            inner: list[str] = []
            text = _clean_cell(_element_text(cell, inner))
            if inner and nested is not None:
                nested[r] = " ".join(_clean_cell(t) for t in inner if _clean_cell(t))
            rs = _int_attr(cell, "rowspan")
            cs = _int_attr(cell, "colspan")
            for dc in range(cs):
                row.append(text)
                for dr in range(1, rs):
                    pending[(r + dr, col + dc)] = text
            col += cs
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        grid.append(row)
    return grid


def _int_attr(el, name: str) -> int:
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def _element_text(el, nested: list[str] | None = None) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag == "table" and node is not el and nested is not None:
            nested.append(_element_text(node))  # a table inside a cell: not part of the cell's text
            if node.tail:
                parts.append(node.tail)
            return
        if tag == "br":
            parts.append("\n")
        elif tag in ("script", "style"):
            if node.tail:
                parts.append(node.tail)
            return
        if node.text and tag != "br":
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK_TAGS or tag in ("div", "tr"):
            parts.append("\n")
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    return "".join(parts)


def _read_html(path: Path) -> tuple[list, dict]:
    import lxml.html

    text, enc = _html_text(path.read_bytes(), path.name)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    doc = lxml.html.document_fromstring(text or "<html></html>")
    rows: list = []
    block = 0
    outside: list[str] = []
    notes: list[tuple] = []
    titles: list[str] = []
    n = 0

    def emit_text(t: str) -> None:
        nonlocal n
        t = _clean_cell(t)
        if t:
            n += 1
            rows.append((path.name, n, 0, 0, [t]))
            outside.append(t)

    def visit(node) -> None:
        nonlocal block, n
        if not isinstance(node.tag, str):
            return
        tag = node.tag.lower()
        if tag in ("script", "style", "head"):
            if tag == "head":
                title = node.find(".//title")
                if title is not None and title.text:
                    outside.append(title.text.strip())
                    titles.append(title.text.strip())
            return
        if tag == "table":
            block += 1
            this = block
            trs = [tr for tr in node.iter("tr") if _closest_table(tr) is node]
            nested: dict[int, str] = {}
            for k, cells in enumerate(_expand_spans(trs, nested)):
                n += 1
                rows.append((path.name, n, 0, this, cells))
                if k in nested:
                    notes.append((path.name, n, "flagged", "table nested in a cell (left out of the cell)",
                                  nested[k][:80]))
            return
        if tag in _BLOCK_TAGS:
            emit_text(_element_text(node))
            return
        structural = _BLOCK_TAGS | {"table", "div", "section", "article", "body", "tbody", "ul", "ol", "dl",
                                    "center", "form", "main", "header", "footer", "nav", "aside"}
        if tag not in ("html", "body") and not any(
            isinstance(c.tag, str) and (c.tag.lower() in structural) for c in node.iter() if c is not node
        ):
            emit_text(_element_text(node))  # a div or span holding only inline content
            return
        if node.text and node.text.strip():
            emit_text(node.text)
        for child in node:
            visit(child)
            if child.tail and child.tail.strip():
                emit_text(child.tail)

    visit(doc)
    return rows, {"encoding": enc, "text": "\n".join(outside), "title": " ".join(titles), "ledger_notes": notes}


def _closest_table(el):
    parent = el.getparent()
    while parent is not None and not (isinstance(parent.tag, str) and parent.tag.lower() == "table"):
        parent = parent.getparent()
    return parent


# ----------------------------------------------------------------------------------------------------- PDF


def _read_pdf(path: Path) -> tuple[list, dict]:
    import pdfplumber

    rows: list = []
    texts: list[str] = []
    n = 0
    block = 0
    with pdfplumber.open(str(path)) as pdf:
        for pageno, page in enumerate(pdf.pages, start=1):
            items: list[tuple[float, int, list[str]]] = []  # (top, block, cells)
            tables = page.find_tables()
            boxes = []
            for table in tables:
                block += 1
                boxes.append(table.bbox)
                extracted = table.extract()
                for row_obj, cells in zip(table.rows, extracted, strict=False):
                    top = row_obj.bbox[1]
                    items.append((top, block, [_clean_cell(c or "") for c in cells]))
            for line in page.extract_text_lines(layout=False, strip=True):
                mid = (line["top"] + line["bottom"]) / 2
                if any(x0 - 1 <= (line["x0"] + line["x1"]) / 2 <= x1 + 1 and top - 1 <= mid <= bottom + 1
                       for x0, top, x1, bottom in boxes):
                    continue
                text = line["text"].strip()
                if not text:
                    continue
                texts.append(text)
                cells = [text] if boxes else [c for c in re.split(r"\s+", text) if c]
                items.append((line["top"], 0, cells))
            items.sort(key=lambda t: t[0])
            for _top, blk, cells in items:
                n += 1
                rows.append((path.name, n, pageno, blk, cells))
            page.flush_cache()
    return rows, {"text": "\n".join(texts[:40])}


# ---------------------------------------------------------------------------------------------------- docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_cell_text(tc, nested: list[str] | None = None) -> str:
    """Text of a docx cell; paragraphs of a table nested in the cell go to ``nested``, not into the text."""
    own = _docx_parent_table(tc)
    paras = []
    for p in tc.iter(f"{_W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
        if _docx_parent_table(p) is own:
            paras.append(text)
        elif nested is not None and text.strip():
            nested.append(text.strip())
    return _clean_cell("\n".join(paras))


def _docx_table(tbl, nested: dict[int, str] | None = None) -> list[list[str]]:
    grid: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in tbl.iter(f"{_W}tr"):
        if tr.getparent() is not None and _docx_parent_table(tr) is not tbl:
            continue  # nested table rows belong to the nested table
        inner: list[str] = []
        row: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span = 1
            vmerge = None
            if props is not None:
                gs = props.find(f"{_W}gridSpan")
                if gs is not None:
                    span = int(gs.get(f"{_W}val", "1") or 1)
                vm = props.find(f"{_W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{_W}val", "continue")
            col = len(row)
            text = _docx_cell_text(tc, inner)
            if vmerge == "continue":
                text = above.get(col, "")
            for k in range(span):
                row.append(text)
                above[col + k] = text
        if inner and nested is not None:
            nested[len(grid)] = " ".join(inner)
        grid.append(row)
    return grid


def _docx_parent_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != f"{_W}tbl":
        parent = parent.getparent()
    return parent


def _read_docx(path: Path) -> tuple[list, dict]:
    import docx

    document = docx.Document(str(path))
    body = document.element.body
    rows: list = []
    texts: list[str] = []
    notes: list[tuple] = []
    n = 0
    block = 0
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            text = _clean_cell("".join(t.text or "" for t in child.iter(f"{_W}t")))
            if text:
                n += 1
                rows.append((path.name, n, 0, 0, [text]))
                texts.append(text)
        elif child.tag == f"{_W}tbl":
            block += 1
            nested: dict[int, str] = {}
            for k, cells in enumerate(_docx_table(child, nested)):
                n += 1
                rows.append((path.name, n, 0, block, cells))
                if k in nested:
                    notes.append((path.name, n, "flagged", "table nested in a cell (left out of the cell)",
                                  nested[k][:80]))
    return rows, {"text": "\n".join(texts[:40]), "ledger_notes": notes}
