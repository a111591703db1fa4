"""CSV text: physical lines, records numbered by the line they start on, odd quotes noted for the ledger.

Examples
--------
>>> split_lines("a\\nb")
['a\\n', 'b']
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from lgresearch.io.decode import decode_text
from lgresearch.io.render import _clean_cell

__all__ = ["split_lines", "parse_csv_text"]


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
    lines = split_lines(text)
    n = len(lines)
    width = _modal_width(lines, delimiter)
    records: list[tuple[int, list[str]]] = []
    notes: list[tuple] = []
    old_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        start: int | None = 0
        while start is not None and start < n:
            start = _parse_from(lines, start, width, delimiter, name, records, notes)
    finally:
        csv.field_size_limit(old_limit)
    _note_truncated_last_line(lines, records, width, name, notes)
    return records, notes, n


def _parse_from(lines: list[str], start: int, width: int, delimiter: str, name: str,
                records: list[tuple[int, list[str]]], notes: list[tuple]) -> int | None:
    """Parse records from 0-based line ``start``; return the line to restart from after an unclosed quote."""
    n = len(lines)
    reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter)
    consumed = 0
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
                return first  # 0-based index of the next line
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
    return None


def _note_truncated_last_line(lines: list[str], records: list[tuple[int, list[str]]], width: int, name: str,
                              notes: list[tuple]) -> None:
    """Flag a last line without a line end and with fewer fields than the table (a file cut short)."""
    n = len(lines)
    if lines and not lines[-1].endswith(("\n", "\r")) and records:
        last_row, fields = records[-1]
        if last_row == n and 1 < len(fields) < width:
            notes.append((name, last_row, "flagged", "truncated last line",
                          f"{len(fields)} of {width} fields and no line end: the file may be cut short"))


def _read_csv(path: Path, *, delimiter: str | None = None, raw: bool = False) -> tuple[list, dict]:
    """Rows of a text file: decoded, delimiter sniffed unless given, fields cleaned unless ``raw``."""
    text, enc = decode_text(path.read_bytes(), path.name)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:20000], delimiters=",\t;|").delimiter
        except csv.Error:
            delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    records, notes, n = parse_csv_text(text, delimiter=delimiter, name=path.name)
    rows = [(path.name, line, 0, 1, rec if raw else [_clean_cell(c) for c in rec]) for line, rec in records]
    return rows, {"encoding": enc, "delimiter": delimiter, "physical_rows": {path.name: n}, "ledger_notes": notes}
