"""Figure records: number, caption, alt text and the plotted data of every figure (the report site reads them)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # annotations only: matplotlib is imported when a figure is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Environment variable naming the folder where figure records are written (the report runner sets it; unset,
#: nothing is written and the records live only on the figures).
FIGURES_ENV = "LGRESEARCH_FIGURES_DIR"
_FIGURE_COUNT = {"n": 0}


def _current_cell() -> int | None:
    """The IPython execution count of the running cell, or ``None`` outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with matplotlib-inline
        return None
    shell = get_ipython()
    # IPython counts the running cell before executing it (the kernel replies with execution_count - 1)
    return int(shell.execution_count) - 1 if shell is not None else None


def alt_text(ax: Axes, *, title: str) -> str:
    """Describe a chart in one sentence for screen readers (kind, axes, series).

    Parameters
    ----------
    ax : Axes
        The drawn axes.
    title : str
        The figure's title.

    Returns
    -------
    str

    Examples
    --------
    >>> from lgresearch.plotting import new_figure
    >>> fig, ax = new_figure(); _ = ax.plot([1, 2], [3, 4], label="firms")
    >>> _ = ax.set_xlabel("Year"); _ = ax.set_ylabel("Firms (count)")
    >>> alt_text(ax, title="Designated firms")
    'Line chart: Designated firms. Horizontal axis: Year; vertical axis: Firms (count). Series: firms.'
    """
    lines = [ln for ln in ax.get_lines() if np.asarray(ln.get_xydata()).size]
    n_bars = sum(len(c) for c in ax.containers if hasattr(c, "patches"))
    kind = "Bar chart" if n_bars and not lines else ("Line chart" if lines and not n_bars else "Chart")
    series = [str(ln.get_label()) for ln in lines if not str(ln.get_label()).startswith("_")]
    series += [str(c.get_label()) for c in ax.containers
               if hasattr(c, "patches") and not str(c.get_label()).startswith("_")]
    text = f"{kind}: {title}. Horizontal axis: {ax.get_xlabel()}; vertical axis: {ax.get_ylabel()}."
    return text + (f" Series: {', '.join(dict.fromkeys(series))}." if series else "")


def axes_data(ax: Axes) -> pd.DataFrame:
    """Return what an axes plots as a long table ``series, x, y`` (lines, then bars).

    Parameters
    ----------
    ax : Axes

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> from lgresearch.plotting import new_figure
    >>> fig, ax = new_figure(); _ = ax.bar([0, 1], [5, 7], label="n")
    >>> axes_data(ax)[["series", "y"]].values.tolist()
    [['n', 5.0], ['n', 7.0]]
    """
    parts = []
    for ln in ax.get_lines():
        xy = np.asarray(ln.get_xydata())
        if xy.size:
            parts.append(pd.DataFrame({"series": ln.get_label(), "x": xy[:, 0], "y": xy[:, 1]}))
    ticks = {round(float(t), 6): lab.get_text() for t, lab in zip(ax.get_xticks(), ax.get_xticklabels())}
    for c in ax.containers:
        for patch in getattr(c, "patches", []):
            centre = round(float(patch.get_x() + patch.get_width() / 2), 6)
            parts.append(pd.DataFrame({"series": [str(c.get_label())], "x": [ticks.get(centre, centre)],
                                       "y": [float(patch.get_height())]}))
    if not parts:
        return pd.DataFrame(columns=["series", "x", "y"])
    return pd.concat(parts, ignore_index=True)


def record_figure(fig: Figure, *, data: pd.DataFrame | None = None, **fields) -> dict:
    """Number a figure and record its caption, alt text and data; write them when the runner asks.

    The record is kept on the figure (``fig.lgresearch_figure``). When the environment variable
    :data:`FIGURES_ENV` names a folder (the report runner sets it), the plotted data is written there as
    ``fig-N.csv`` and the record as ``fig-N.json`` (with the kernel's cell number, so the runner can place the
    caption under the right image). Calling it again on the same figure updates the record.

    Parameters
    ----------
    fig : Figure
    data : DataFrame, optional
        The data behind the figure; by default what the first axes plots (:func:`axes_data`).
    **fields
        ``title``, ``caption``, ``alt``, ``source`` (strings).

    Returns
    -------
    dict
        ``number, title, caption, alt, source, cell, csv``.

    Examples
    --------
    >>> from lgresearch.plotting import new_figure
    >>> fig, ax = new_figure(); _ = ax.plot([1, 2], [3, 4])
    >>> rec = record_figure(fig, title="T", alt="A line")
    >>> rec["number"] >= 1 and rec["alt"] == "A line" and fig.lgresearch_figure is rec
    True
    """
    record = getattr(fig, "lgresearch_figure", None)
    if record is None:
        _FIGURE_COUNT["n"] += 1
        n = _FIGURE_COUNT["n"]
        record = {"number": n, "title": "", "caption": "", "alt": "", "source": "", "cell": _current_cell(),
                  "csv": f"fig-{n}.csv"}
        fig.lgresearch_figure = record  # type: ignore[attr-defined]  # our record, kept on the figure itself
    record.update({k: ("" if v is None else str(v)) for k, v in fields.items()})
    folder = os.environ.get(FIGURES_ENV)
    if folder:
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        csv = out / record["csv"]
        if data is not None or not csv.exists():
            table = axes_data(fig.axes[0]) if data is None and fig.axes else data
            plain = pd.DataFrame(table).copy()
            plain.attrs = {}
            plain.to_csv(csv, index=not isinstance(plain.index, pd.RangeIndex))
        (out / f"fig-{record['number']}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return record


#: Every public name of this module.
__all__ = ["alt_text", "axes_data", "FIGURES_ENV", "record_figure"]
