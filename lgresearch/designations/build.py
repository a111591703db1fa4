"""Building the designation panel from folders of list files: the ``lgresearch designations build`` command and the
``data/processed`` rebuild.

Examples
--------
>>> cli_build([])
2
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lgresearch import paths
from lgresearch.designations.check import check_against_official
from lgresearch.designations.panel import build_panel, list_files
from lgresearch.designations.schema import CHECK_FILE, LEDGER_FILE, PANEL_FILE
from lgresearch.errors import InputError

__all__ = ["ALIASES_FILE", "cli_build", "build_processed", "user_list_files"]

#: The alias table of renamed firms a user may put beside the list files (``old_name,new_name``).
ALIASES_FILE = "aliases.csv"


def cli_build(paths_: Sequence[str | Path], *, aliases: str | Path | None = None, out: str | Path | None = None) -> int:
    """``lgresearch designations build PATH... [--aliases CSV] [--out DIR]``: panel, ledger and check.

    Writes :data:`PANEL_FILE`, :data:`LEDGER_FILE` and :data:`CHECK_FILE` into ``out`` (default
    ``data/processed``) and prints a summary. Returns the exit code: 0 on success, 1 on bad input (the message
    names the file, row and column), 2 when no list file was found.

    Parameters
    ----------
    paths_ : sequence of str or Path
        List files or folders.
    aliases : str or Path, optional
        Renamed-firms CSV (``old_name, new_name``).
    out : str or Path, optional
        Output folder (default: the processed-data folder).

    Returns
    -------
    int
        The exit status (0 ok, 1 bad input, 2 no files).

    Examples
    --------
    >>> cli_build([])
    2
    """
    try:
        files = list_files(paths_)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not files:
        print("error: no list files (xlsx, xls, csv, html, pdf, docx) in the given paths", file=sys.stderr)
        return 2
    folder = Path(out) if out is not None else paths.processed_dir()
    try:
        panel, led = build_panel(files, aliases=aliases, return_ledger=True, out=folder, write=True)
        check = check_against_official(panel)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    check.to_csv(folder / CHECK_FILE, index=False)
    print(f"read {len(files)} file(s): {led.summary()}")
    print(f"panel: {len(panel)} firm-events, {panel['firm_id'].nunique()} firms -> {folder / PANEL_FILE}")
    counts = led.counts()
    dropped = counts[counts["outcome"].isin(["dropped", "merged"])]
    if len(dropped):
        print("rows not kept, by reason:")
        for r in dropped.itertuples(index=False):
            print(f"  {r.outcome:8s} {r.n:6d}  {r.reason}")
    b = check[(check["level"] == "batch") & (check["found"] > 0)]
    for r in b.itertuples(index=False):
        off = "NA" if pd.isna(r.official) else f"{int(r.official):,}"
        print(f"batch {r.batch} {r.list_type:13s} found {r.found:6,d} of {off:>6s}  {r.status}")
    print(f"ledger -> {folder / LEDGER_FILE}; check -> {folder / CHECK_FILE}")
    return 0


def build_processed() -> list[Path]:
    """Rebuild ``data/processed/designations.parquet`` from the files in ``data/raw/designations/``.

    Does nothing (returns ``[]``) when the folder holds no list files.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> isinstance(build_processed(), list)
    True
    """
    files = user_list_files()
    if not files:
        return []
    aliases = paths.user_lists_dir() / ALIASES_FILE
    out = paths.processed_dir()
    panel = build_panel(files, aliases=aliases if aliases.exists() else None, out=out, write=True)
    check_against_official(panel).to_csv(out / CHECK_FILE, index=False)
    return [out / PANEL_FILE, out / LEDGER_FILE, out / CHECK_FILE]


def user_list_files() -> list[Path]:
    """Return the list files a user put into ``data/raw/designations/`` (the alias table excluded).

    Returns
    -------
    list of Path
        The list files, sorted; empty when the folder does not exist or holds none.

    Examples
    --------
    >>> all(f.name != ALIASES_FILE for f in user_list_files())
    True
    """
    folder = paths.user_lists_dir()
    if not folder.is_dir():
        return []
    return [f for f in list_files([folder]) if f.name != ALIASES_FILE]
