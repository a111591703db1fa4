"""House style and the provenance stamp for every figure.

Every helper here ends by calling :func:`finish`, which sets the title and axis labels and draws the source line
taken from the data's provenance (``"Source: …"`` for real data, a visible ``SIMULATED DATA`` mark for simulated
data). English labels by default.

Examples
--------
>>> import pandas as pd
>>> from lgresearch.provenance import mark_real
>>> df = mark_real(pd.DataFrame({"x": [1, 2], "y": [3, 4]}), "MIIT notices")
>>> fig, ax = new_figure()
>>> _ = ax.plot(df["x"], df["y"])
>>> finish(fig, ax, title="t", xlabel="x (units)", ylabel="y (units)", data=df).texts[-1].get_text()
'Source: MIIT notices'
"""

from __future__ import annotations

import matplotlib

matplotlib.use(matplotlib.get_backend() if matplotlib.get_backend() else "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lgresearch.provenance import is_simulated, source_of  # noqa: E402

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
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
}


def use_house_style() -> None:
    """Apply the project's matplotlib style (idempotent).

    Examples
    --------
    >>> use_house_style(); plt.rcParams["axes.spines.top"]
    False
    """
    plt.rcParams.update(HOUSE_RC)


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[Figure, Axes]:
    """Create a figure in the house style.

    Examples
    --------
    >>> fig, ax = new_figure(); isinstance(fig, Figure)
    True
    """
    use_house_style()
    fig, ax = plt.subplots(nrows, ncols, **kwargs)
    return fig, ax


def stamp(fig: Figure, *, source: str | None = None, simulated: bool = False) -> Figure:
    """Draw the source line under the figure, and a SIMULATED DATA mark across it when simulated.

    Parameters
    ----------
    fig : Figure
    source : str, optional
        Human source line (``"Source: "`` is prepended when missing).
    simulated : bool
        Draw the SIMULATED DATA watermark and prefix the source line with it.

    Examples
    --------
    >>> fig, ax = new_figure(); _ = stamp(fig, simulated=True)
    >>> any(SIMULATED_MARK in t.get_text() for t in fig.texts)
    True
    """
    if simulated:
        fig.text(0.5, 0.5, SIMULATED_MARK, fontsize=40, color="#c0392b", alpha=0.15, ha="center",
                 va="center", rotation=20, weight="bold", gid="simulated-mark")
        line = f"{SIMULATED_MARK}: not a finding about China" + (f" ({source})" if source else "")
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
) -> Figure:
    """Title, axis labels, legend and the provenance stamp; returns the figure.

    The stamp comes from ``data`` (its ``attrs`` / ``provenance`` column) unless ``source`` is given. Simulated
    data always gets the SIMULATED DATA mark, whatever ``source`` says.

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
    return stamp(fig, source=src, simulated=simulated)


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
        fig = ax.figure
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
        fig = ax.figure
    for col in cols:
        ax.plot(frame[x], frame[col], marker=marker, label=(labels or {}).get(col, col) if len(cols) > 1 else None)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, data=frame, source=source)
