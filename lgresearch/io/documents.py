"""HTML, PDF and docx tables, with the text outside the tables kept as one-cell rows in reading order."""

from __future__ import annotations

import re
from pathlib import Path

from lgresearch.io.decode import TEXT_ENCODINGS, decode_text
from lgresearch.io.render import _clean_cell

__all__: list[str] = []


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
            items: list[tuple[float, int, list]] = []  # (top, block, cells)
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
