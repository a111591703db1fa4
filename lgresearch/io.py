"""Read any table file into raw cells: a frame of strings with the row numbers a person sees in the file.

:func:`read_cells` reads xlsx / xls (calamine), csv / txt (UTF-8, UTF-8 with BOM, GB18030/GBK detected), HTML
tables, PDF tables (pdfplumber) and docx tables (python-docx) and returns one row per row of the file, cells as
strings (``""`` when empty), in columns ``c0, c1, …``, with:

- ``source_file``: the file name (``name.xlsx#Sheet2`` for the second non-empty sheet of a workbook);
- ``source_row``: 1-based row number as a person would cite it (the spreadsheet row; the CSV record; for PDF,
  docx and HTML the running number of the rows and text lines emitted, in reading order);
- ``page``: the PDF page (0 elsewhere); ``block``: which table the row came from (0 for text outside tables).

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
from lgresearch.ledger import InputError

#: Formats read by :func:`read_cells`, by file extension.
FORMATS = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
}
#: Encodings tried for text files, in order (GB18030 is a superset of GBK and GB2312).
TEXT_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
META_COLUMNS = ["source_file", "source_row", "page", "block"]


def table_format(path: str | Path) -> str:
    """Return the format name of a file from its extension, or raise :class:`InputError`.

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


def read_cells(path: str | Path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a table file into raw cells (strings) with source row numbers.

    Parameters
    ----------
    path : str or Path
        An xlsx, xls, csv/txt/tsv, html/htm, pdf or docx file.
    sheet : str or int, optional
        For workbooks: read only this sheet (name or 0-based index). Default: every non-empty sheet.

    Returns
    -------
    DataFrame
        Columns :data:`META_COLUMNS` then ``c0 … cN`` (strings, ``""`` for empty). ``attrs`` holds ``format``,
        ``encoding`` (text formats) and ``text`` (all text outside tables, for titles).

    Raises
    ------
    InputError
        The file is missing, of an unsupported type, or cannot be read (corrupt, wrong encoding).

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
        raise InputError(path.name, None, None, "file not found")
    readers = {"xlsx": _read_workbook, "xls": _read_workbook, "csv": _read_csv, "html": _read_html,
               "pdf": _read_pdf, "docx": _read_docx}
    try:
        if fmt in ("xlsx", "xls"):
            rows, attrs = readers[fmt](path, sheet)
        else:
            rows, attrs = readers[fmt](path)
    except InputError:
        raise
    except Exception as exc:  # a corrupt or mislabelled file: name it, never a bare traceback
        raise InputError(path.name, None, None, f"cannot read as {fmt}: {type(exc).__name__}: {exc}") from exc
    frame = _to_frame(rows, path.name)
    frame.attrs.update({"format": fmt, **attrs})
    return frame


# --------------------------------------------------------------------------------------------------- helpers


def cell_text(value: object) -> str:
    """Render one cell value as a person reads it (``1.0`` → ``'1'``, dates as ISO, None → ``''``).

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


def _read_workbook(path: Path, sheet: str | int | None) -> tuple[list, dict]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    names = list(book.sheet_names)
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
        chosen = names
    sheets = []
    for name in chosen:
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
        if grid or sheet is not None:
            sheets.append((name, grid))
    if not sheets and names:
        sheets = [(names[0], [])]
    rows = []
    for k, (name, grid) in enumerate(sheets):
        label = path.name if k == 0 else f"{path.name}#{name}"
        rows.extend((label, i + 1, 0, k + 1, cells) for i, cells in enumerate(grid))
    text = "\n".join(" ".join(c for c in cells if c) for *_, cells in rows[:15])
    return rows, {"text": text, "sheets": [n for n, _ in sheets]}


# ----------------------------------------------------------------------------------------------- text/CSV


def decode_text(raw: bytes, name: str = "file", encodings: Sequence[str] = TEXT_ENCODINGS) -> tuple[str, str]:
    """Decode bytes with the first encoding that reads them without error.

    Examples
    --------
    >>> decode_text("企业".encode("gbk"))
    ('企业', 'gb18030')
    >>> decode_text("\\ufeff企业".encode("utf-8"))[1]
    'utf-8-sig'
    """
    for enc in encodings:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig" and not raw.startswith(b"\xef\xbb\xbf"):
            enc = "utf-8"
        return text, enc
    raise InputError(name, None, None, f"cannot decode the text with any of {list(encodings)}")


def _read_csv(path: Path) -> tuple[list, dict]:
    text, enc = decode_text(path.read_bytes(), path.name)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [(path.name, i + 1, 0, 1, [_clean_cell(c) for c in rec]) for i, rec in enumerate(reader)]
    while rows and not any(rows[-1][4]):
        rows.pop()
    head = "\n".join(" ".join(c for c in r[4] if c) for r in rows[:15])
    return rows, {"encoding": enc, "delimiter": delimiter, "text": head}


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


def _expand_spans(trs: list) -> list[list[str]]:
    """Expand rowspan/colspan of lxml <tr> elements into a rectangular grid of texts."""
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
            text = _clean_cell(_element_text(cell))
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


def _element_text(el) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
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
            return
        if tag == "table":
            block += 1
            this = block
            trs = [tr for tr in node.iter("tr") if _closest_table(tr) is node]
            for cells in _expand_spans(trs):
                n += 1
                rows.append((path.name, n, 0, this, cells))
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
    return rows, {"encoding": enc, "text": "\n".join(outside)}


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


def _docx_cell_text(tc) -> str:
    paras = []
    for p in tc.iter(f"{_W}p"):
        paras.append("".join(t.text or "" for t in p.iter(f"{_W}t")))
    return _clean_cell("\n".join(paras))


def _docx_table(tbl) -> list[list[str]]:
    grid: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in tbl.iter(f"{_W}tr"):
        if tr.getparent() is not None and _docx_parent_table(tr) is not tbl:
            continue  # nested table rows belong to the nested table
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
            text = _docx_cell_text(tc)
            if vmerge == "continue":
                text = above.get(col, "")
            for k in range(span):
                row.append(text)
                above[col + k] = text
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
            for cells in _docx_table(child):
                n += 1
                rows.append((path.name, n, 0, block, cells))
    return rows, {"text": "\n".join(texts[:40])}
