"""Exports economists use: the designation panel, deal events and step-ups to Stata, CSV or parquet.

:func:`to_plain` turns any result frame into plain data (no Python objects in cells or in ``attrs``: lists become
``;``-joined text, categoricals text, booleans 0/1 for Stata). :func:`to_stata` writes Stata format 118 (Unicode:
Chinese names and labels survive) with a variable label on every column, from :data:`LABELS` unless given.
:func:`write_table` picks the format from the file suffix; :func:`export` builds the named table (``panel``,
``events``, ``step_ups``) and writes it; it backs the ``lgresearch export`` command.

Examples
--------
>>> import tempfile, os
>>> from lgresearch import deals
>>> out = to_stata(deals.step_ups(deals.demo_events()), os.path.join(tempfile.mkdtemp(), "step_ups.dta"))
>>> import pandas as pd
>>> reader = pd.io.stata.StataReader(out)
>>> with reader:
...     labels = reader.variable_labels()
>>> labels["step_up"]
'Valuation step-up: post-money / previous post-money'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from lgresearch import deals, designations, paths
from lgresearch.ledger import InputError
from lgresearch.stata import LABELS, to_plain, to_stata

__all__ = ["LABELS", "FORMATS", "TABLES", "to_plain", "to_stata", "write_table", "build_table", "export"]

#: Output formats, by file suffix.
FORMATS = ("dta", "csv", "parquet")
#: Tables :func:`export` can build.
TABLES = ("panel", "events", "step_ups")

def write_table(frame: pd.DataFrame, path: str | Path, *, format: str | None = None,
                labels: Mapping[str, str] | None = None) -> Path:
    """Write a frame as plain data to ``.dta`` (Stata 118, labelled), ``.csv`` (UTF-8) or ``.parquet``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any result frame.
    path : str or pathlib.Path
        Output file.
    format : {"dta", "csv", "parquet"}, optional
        Default: from the file suffix.
    labels : mapping, optional
        Stata variable labels (see :func:`to_stata`); ignored for the other formats.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, os
    >>> from lgresearch import deals
    >>> p = write_table(deals.demo_events(), os.path.join(tempfile.mkdtemp(), "events.parquet"))
    >>> pd.read_parquet(p)["investors"].tolist()            # lists of investors become text
    ['X资本', 'Y基金', 'X资本;Z投资', '']
    """
    target = Path(path)
    fmt = (format or target.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise InputError(target.name, None, None, f"unknown export format {fmt!r}; use one of {list(FORMATS)} "
                         "(or a file ending in .dta, .csv or .parquet)")
    if fmt == "dta":
        return to_stata(frame, target, labels=labels)
    plain = to_plain(frame)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        plain.to_csv(target, index=False, encoding="utf-8")
    else:
        plain.to_parquet(target, index=False)
    return target


def _panel(lists: Sequence[str | Path], aliases: str | Path | None) -> pd.DataFrame:
    if lists:
        return designations.build_panel(list(lists), aliases=aliases, write=False)
    stored = paths.processed_dir(create=False) / designations.PANEL_FILE
    if not stored.exists():
        raise InputError(str(stored), None, None, "no designation panel: give list files (--lists PATH ...) or "
                         "build one first with `lgresearch designations build PATH`")
    return pd.read_parquet(stored)


def build_table(table: str, *, lists: Sequence[str | Path] = (), aliases: str | Path | None = None,
                deals_file: str | Path | None = None) -> pd.DataFrame:
    """Build one of :data:`TABLES`: the designation panel, the deal events or the step-ups.

    Parameters
    ----------
    table : {"panel", "events", "step_ups"}
        What to build.
    lists : sequence of paths
        Designation list files or folders (the panel; default: the panel built earlier in ``processed_dir()``).
    aliases : path, optional
        CSV of renamed firms for the panel.
    deals_file : path, optional
        A 清科 (Zero2IPO) export (default: the one in the third-party directory).

    Returns
    -------
    pandas.DataFrame
        The table; ``step_ups`` carries the designation columns when a panel is available.

    Examples
    --------
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "第三批专精特新小巨人企业名单.csv")   # batch and list type from the name
    >>> _ = pd.DataFrame({"企业名称": ["甲科技有限公司"], "省份": ["浙江"]}).to_csv(f, index=False)
    >>> build_table("panel", lists=[f])[["firm_id", "batch", "list_type"]].values.tolist()
    [['甲科技有限公司', 3, 'final']]
    """
    if table not in TABLES:
        raise InputError("export", None, None, f"unknown table {table!r}; choose from {list(TABLES)}")
    if table == "panel":
        return _panel(lists, aliases)
    events = deals.read_zero2ipo(deals_file)
    if table == "events":
        return events
    panel = _panel(lists, aliases) if lists or (paths.processed_dir(create=False)
                                                 / designations.PANEL_FILE).exists() else None
    return deals.step_ups(events, panel)


def export(table: str, path: str | Path, *, format: str | None = None, lists: Iterable[str | Path] = (),
           aliases: str | Path | None = None, deals_file: str | Path | None = None) -> Path:
    """Build a table (:func:`build_table`) and write it (:func:`write_table`); the ``lgresearch export`` command.

    Parameters
    ----------
    table : {"panel", "events", "step_ups"}
        What to export.
    path : str or pathlib.Path
        Output file; its suffix picks the format unless ``format`` is given.
    format : {"dta", "csv", "parquet"}, optional
        Output format.
    lists, aliases, deals_file
        Inputs, as in :func:`build_table`.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> f = os.path.join(d, "第三批专精特新小巨人企业名单.csv")
    >>> _ = pd.DataFrame({"企业名称": ["甲科技有限公司"], "省份": ["浙江"]}).to_csv(f, index=False)
    >>> export("panel", os.path.join(d, "panel.dta"), lists=[f]).name
    'panel.dta'
    """
    frame = build_table(table, lists=list(lists), aliases=aliases, deals_file=deals_file)
    return write_table(frame, path, format=format)
