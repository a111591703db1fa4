"""Cell values as a person reads them: numbers without a spurious ``.0``, dates as ISO, wrapped lines joined.

Examples
--------
>>> cell_text(3.0)
'3'
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

__all__ = ["cell_text"]


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

