"""House style, the provenance stamp and the basic charts (bar, line) every figure of the reports uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pandas as pd
from cycler import cycler

from lgresearch.plotting.records import alt_text, record_figure
from lgresearch.provenance import is_simulated, source_of

if TYPE_CHECKING:  # annotations only: matplotlib is imported when a figure is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: One palette for the whole project (colour-blind safe, prints in grey).
PALETTE = ["#1b4f72", "#c0392b", "#7f8c8d", "#27ae60", "#8e44ad", "#d68910", "#2e86c1"]
SIMULATED_MARK = "SIMULATED DATA"

HOUSE_RC = {
    "figure.figsize": (8.0, 4.6),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=PALETTE),
}


def _pyplot():
    """``matplotlib.pyplot``, imported on first use so that importing the estimators does not load matplotlib."""
    import matplotlib.pyplot as plt

    return plt


def use_house_style() -> None:
    """Apply the project's matplotlib style (idempotent).

    Returns
    -------
    None
        The style is applied to matplotlib's ``rcParams``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> use_house_style(); plt.rcParams["axes.spines.top"]
    False
    """
    _pyplot().rcParams.update(HOUSE_RC)


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[Figure, Axes]:
    """Create a figure in the house style.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes.
    **kwargs
        Passed to :func:`matplotlib.pyplot.subplots`.

    Returns
    -------
    (Figure, Axes)
        The figure and its axes (an array of axes for a grid).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig, ax = new_figure(); isinstance(fig, Figure)
    True
    """
    use_house_style()
    fig, ax = _pyplot().subplots(nrows, ncols, **kwargs)
    return fig, ax


def simulated_source_line(source: str | None = None) -> str:
    """Return the source line of a figure on simulated data, saying SIMULATED DATA exactly once.

    A provenance note that itself starts with ``SIMULATED DATA (...)`` (what
    :func:`lgresearch.provenance.mark_simulated` writes) is unwrapped instead of repeated.

    Parameters
    ----------
    source : str, optional
        The data's source note, e.g. ``"SIMULATED DATA (lgresearch.simulate)"`` or ``"lgresearch.simulate"``.

    Returns
    -------
    str

    Examples
    --------
    >>> simulated_source_line("SIMULATED DATA (lgresearch.simulate.designation_world)")
    'SIMULATED DATA: not a finding about China. Source: lgresearch.simulate.designation_world'
    >>> simulated_source_line()
    'SIMULATED DATA: not a finding about China'
    """
    text = (source or "").strip()
    upper = text.upper()
    if upper.startswith(SIMULATED_MARK):
        text = text[len(SIMULATED_MARK):].strip(" :.-")
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
    if text.lower().startswith("source:"):
        text = text[len("source:"):].strip()
    if text.lower() in ("", "simulated", "unknown source"):
        return f"{SIMULATED_MARK}: not a finding about China"
    return f"{SIMULATED_MARK}: not a finding about China. Source: {text}"


def stamp(fig: Figure, *, source: str | None = None, simulated: bool = False) -> Figure:
    """Draw the source line under the figure, and a SIMULATED DATA mark across it when simulated.

    Parameters
    ----------
    fig : Figure
    source : str, optional
        Human source line (``"Source: "`` is prepended when missing).
    simulated : bool
        Draw the SIMULATED DATA watermark and prefix the source line with it.

    Returns
    -------
    Figure
        ``fig`` with the source line (and the SIMULATED DATA mark).

    Examples
    --------
    >>> fig, ax = new_figure(); _ = stamp(fig, simulated=True)
    >>> any(SIMULATED_MARK in t.get_text() for t in fig.texts)
    True
    """
    if simulated:
        fig.text(0.5, 0.5, SIMULATED_MARK, fontsize=40, color="#c0392b", alpha=0.15, ha="center",
                 va="center", rotation=20, weight="bold", gid="simulated-mark", zorder=100)
        line = simulated_source_line(source)
        fig.text(0.01, 0.005, line, fontsize=8, color="#c0392b", ha="left", va="bottom", gid="source-line")
        return fig
    text = source or "Source: not stated"
    if not text.lower().startswith("source"):
        text = f"Source: {text}"
    fig.text(0.01, 0.005, text, fontsize=8, color="#555555", ha="left", va="bottom", gid="source-line",
             wrap=True)
    return fig


def finish(
    fig: Figure,
    ax: Axes,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    data: pd.DataFrame | None = None,
    source: str | None = None,
    legend: bool | None = None,
    caption: str | None = None,
    alt: str | None = None,
) -> Figure:
    """Title, axis labels, legend and the provenance stamp; returns the figure.

    The stamp comes from ``data`` (its ``attrs`` / ``provenance`` column) unless ``source`` is given. Simulated
    data always gets the SIMULATED DATA mark, whatever ``source`` says. The figure is also recorded (see
    :func:`record_figure`): a number, a caption (title, ``caption`` and the source line), alt text (``alt`` or
    one written from the axes) and the plotted data (``data``, else what the axes hold), which the report runner
    writes beside the figure as CSV.

    Parameters
    ----------
    fig : Figure
        The figure.
    ax : Axes
        Its main axes.
    title, xlabel, ylabel : str
        Title and axis labels (with units).
    data : DataFrame, optional
        The plotted data: provenance for the stamp and the CSV written beside the figure.
    source : str, optional
        Source line overriding the data's provenance (simulated data is always marked).
    legend : bool, optional
        Draw a legend (default: when the axes have labelled artists).
    caption : str, optional
        Caption under the axes.
    alt : str, optional
        Alt text (default: written from the axes).

    Returns
    -------
    Figure
        ``fig``, finished and recorded.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> finish(fig, ax, title="T", xlabel="X", ylabel="Y", source="MIIT").texts[-1].get_text()
    'Source: MIIT'
    """
    if not (title and xlabel and ylabel):
        raise ValueError("every figure has a title and labelled axes")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles, _ = ax.get_legend_handles_labels()
    if (legend is None and handles) or legend:
        ax.legend()
    simulated = data is not None and is_simulated(data)
    src = source if source is not None else (source_of(data) if data is not None else None)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig = stamp(fig, source=src, simulated=simulated)
    line = next((t.get_text() for t in reversed(fig.texts) if t.get_gid() == "source-line"), "")
    record_figure(fig, title=title, caption=caption, alt=alt or alt_text(ax, title=title), source=line,
                  data=data)
    return fig


def bar_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str | list[str],
    title: str,
    xlabel: str,
    ylabel: str,
    source: str | None = None,
    labels: dict[str, str] | None = None,
    annotate: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Grouped bar chart of one or more value columns against a category column.

    Parameters
    ----------
    frame : DataFrame
        The data, one row per category.
    x : str
        Category column.
    y : str or list of str
        Value column(s): one bar group per column.
    title, xlabel, ylabel : str
        Figure title and axis labels (with units).
    source : str, optional
        Source line (default: the frame's provenance).
    labels : dict, optional
        Legend label per value column.
    annotate : bool
        Write each bar's value above it.
    ax : Axes, optional
        Draw into these axes instead of a new figure.

    Returns
    -------
    Figure
        The finished figure (title, labels, source line, recorded).

    Examples
    --------
    >>> df = pd.DataFrame({"batch": [1, 2], "n": [248, 1584]})
    >>> fig = bar_chart(df, x="batch", y="n", title="T", xlabel="Batch", ylabel="Firms", source="MIIT")
    >>> len(fig.axes[0].patches)
    2
    """
    cols = [y] if isinstance(y, str) else list(y)
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = cast("Figure", ax.figure)  # the stubs allow a SubFigure; our axes live on figures
    width = 0.8 / len(cols)
    xs = range(len(frame))
    for i, col in enumerate(cols):
        pos = [p + (i - (len(cols) - 1) / 2) * width for p in xs]
        bars = ax.bar(pos, frame[col].to_numpy(dtype=float), width=width,
                      label=(labels or {}).get(col, col) if len(cols) > 1 else None)
        if annotate:
            ax.bar_label(bars, fmt="{:,.0f}", fontsize=7)
    ax.set_xticks(list(xs), [str(v) for v in frame[x]])
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, data=frame, source=source)


def line_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str | list[str],
    title: str,
    xlabel: str,
    ylabel: str,
    source: str | None = None,
    labels: dict[str, str] | None = None,
    marker: str = "o",
    ax: Axes | None = None,
) -> Figure:
    """Line chart of one or more value columns.

    Parameters
    ----------
    frame : DataFrame
        The data, one row per x value.
    x : str
        Column on the horizontal axis.
    y : str or list of str
        Value column(s): one line each.
    title, xlabel, ylabel : str
        Figure title and axis labels (with units).
    source : str, optional
        Source line (default: the frame's provenance).
    labels : dict, optional
        Legend label per value column.
    marker : str
        Matplotlib marker of the points.
    ax : Axes, optional
        Draw into these axes instead of a new figure.

    Returns
    -------
    Figure
        The finished figure.

    Examples
    --------
    >>> df = pd.DataFrame({"t": [1, 2], "a": [1.0, 2.0]})
    >>> fig = line_chart(df, x="t", y="a", title="T", xlabel="t", ylabel="a", source="x")
    >>> len(fig.axes[0].lines)
    1
    """
    cols = [y] if isinstance(y, str) else list(y)
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = cast("Figure", ax.figure)  # the stubs allow a SubFigure; our axes live on figures
    for col in cols:
        ax.plot(frame[x], frame[col], marker=marker, label=(labels or {}).get(col, col) if len(cols) > 1 else None)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, data=frame, source=source)


#: Every public name of this module.
__all__ = ["bar_chart", "finish", "HOUSE_RC", "line_chart", "new_figure", "PALETTE", "SIMULATED_MARK",
           "simulated_source_line", "stamp", "use_house_style"]
