"""Workbooks (xlsx, xls, ods) read with calamine: merged ranges expanded, hidden sheets noted for the ledger."""

from __future__ import annotations

from pathlib import Path

from lgresearch.errors import InputError
from lgresearch.io.render import _clean_cell, _fill_merged, cell_text

__all__: list[str] = []


def _sheet_grid(book, name: str, *, raw: bool = False) -> list[list]:
    """Cells of one sheet from A1: text with merged ranges expanded, or (``raw``) the values as stored."""
    ws = book.get_sheet_by_name(name)
    if raw:
        return ws.to_python(skip_empty_area=False)  # a list of row lists
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


def _read_workbook(path: Path, sheet: str | int | None, hidden: bool = False, *,
                   raw: bool = False) -> tuple[list, dict]:
    """Rows of the chosen (or every visible non-empty) sheet, and notes on the rows of hidden sheets."""
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
        grid = _sheet_grid(book, name, raw=raw)
        if grid or sheet is not None:
            sheets.append((name, grid))
    if not sheets and names and sheet is None and len(chosen):
        sheets = [(chosen[0], [])]
    rows: list[tuple] = []
    physical: dict[str, int] = {}
    for k, (name, grid) in enumerate(sheets):
        label = path.name if k == 0 else f"{path.name}#{name}"
        rows.extend((label, i + 1, 0, k + 1, cells) for i, cells in enumerate(grid))
        physical[label] = len(grid)
    notes: list[tuple] = []
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

