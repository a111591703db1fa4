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
from lgresearch.results import FrameResult  # noqa: E402

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

    Returns
    -------
    None
        The style is applied to matplotlib's ``rcParams``.

    Examples
    --------
    >>> use_house_style(); plt.rcParams["axes.spines.top"]
    False
    """
    plt.rcParams.update(HOUSE_RC)


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
    >>> fig, ax = new_figure(); isinstance(fig, Figure)
    True
    """
    use_house_style()
    fig, ax = plt.subplots(nrows, ncols, **kwargs)
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
        fig = ax.figure
    for col in cols:
        ax.plot(frame[x], frame[col], marker=marker, label=(labels or {}).get(col, col) if len(cols) > 1 else None)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, data=frame, source=source)


# ----------------------------------------------------------------------------------------------------------------
# Event-study plot (issue 6)
# ----------------------------------------------------------------------------------------------------------------

#: Columns a tidy event-study frame must have (``estimator`` is optional: one series per value).
EVENT_STUDY_COLUMNS = ("event_time", "estimate", "se", "ci_low", "ci_high")


def _pretrend_caption(tidy: pd.DataFrame, estimators: list[str]) -> str | None:
    """Build the pre-trend caption from ``tidy.attrs["pretrend"]``.

    ``attrs["pretrend"]`` is either one test ``{"stat", "df", "p", ...}`` or a mapping estimator -> such a test
    (what :func:`lgresearch.did.combine` writes).
    """
    pre = tidy.attrs.get("pretrend")
    if not pre:
        return None
    tests: dict[str, dict] = {}
    if isinstance(pre, dict) and "p" in pre:
        tests[estimators[0] if len(estimators) == 1 else ""] = pre
    elif isinstance(pre, dict):
        tests = {str(k): v for k, v in pre.items() if isinstance(v, dict) and "p" in v}
    parts = []
    for name, t in tests.items():
        p = t.get("p")
        if p is None or pd.isna(p):
            parts.append(f"{name}: not computed" if name else "not computed")
            continue
        df_ = t.get("df")
        label = f"{name}: " if name and len(tests) > 1 else ""
        parts.append(f"{label}p = {float(p):.3f}" + (f" ({int(df_)} leads)" if df_ else ""))
    if not parts:
        return None
    return "Joint pre-trend Wald test (all leads = 0): " + "; ".join(parts)


def plot_event_study(
    tidy: pd.DataFrame,
    *,
    title: str = "Event study",
    ylabel: str = "Effect (log points)",
    xlabel: str = "Event time (periods relative to treatment)",
    style: str = "band",
    ref: int | None | str = "auto",
    treat_line: float | None = -0.5,
    truth: pd.Series | dict | None = None,
    labels: dict[str, str] | None = None,
    source: str | None = None,
    caption: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Plot event-time estimates with confidence bands (or bars), the reference period and the treatment line.

    Parameters
    ----------
    tidy : DataFrame
        Columns ``event_time, estimate, se, ci_low, ci_high`` and optionally ``estimator`` (one series per
        value), e.g. the output of :func:`lgresearch.did.event_study` or :func:`lgresearch.did.combine`. Its
        ``attrs`` give the reference period (``ref``), the pre-trend test (``pretrend``) and the provenance.
    title, ylabel, xlabel : str
        English labels with units.
    style : {"band", "bars"}
        Shaded confidence band or error bars.
    ref : int, None, dict or "auto"
        Reference (omitted) period drawn at 0 as a hollow marker; ``"auto"`` reads ``tidy.attrs["ref"]`` (a
        dict gives one per estimator, as :func:`lgresearch.did.combine` writes when they differ); ``None``
        draws none (e.g. cumulative abnormal returns, or did2s, which omits no period).
    treat_line : float or None
        Where to draw the vertical treatment line (default -0.5, between the last lead and period 0).
    truth : Series or dict, optional
        True effect by event time (simulation studies), drawn as a dashed black line.
    labels : dict, optional
        Display names for estimator values.
    source : str, optional
        Source line; by default taken from the tidy frame's provenance (SIMULATED DATA is always stamped when
        the data are simulated).
    caption : str, optional
        Caption under the axes; by default the joint pre-trend Wald test's p-value from ``tidy.attrs``.
    ax : Axes, optional
        Draw into an existing axes.

    Returns
    -------
    Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from lgresearch.provenance import mark_simulated
    >>> t = pd.DataFrame({"event_time": [-2, 0, 1], "estimate": [0.01, 0.3, 0.35], "se": [0.05, 0.05, 0.06]})
    >>> t["ci_low"], t["ci_high"] = t["estimate"] - 0.1, t["estimate"] + 0.1
    >>> t.attrs.update(ref=-1, pretrend={"stat": 0.04, "df": 1, "p": 0.84})
    >>> _ = mark_simulated(t)
    >>> fig = plot_event_study(t, title="Planted effect", ylabel="Log valuation (log points)")
    >>> [x.get_text() for x in fig.texts if x.get_gid() == "caption"]
    ['Joint pre-trend Wald test (all leads = 0): p = 0.840 (1 leads)']
    >>> any(x.get_gid() == "simulated-mark" for x in fig.texts)
    True
    """
    tidy = tidy.frame if isinstance(tidy, FrameResult) else tidy
    missing = [c for c in EVENT_STUDY_COLUMNS if c not in tidy.columns]
    if missing:
        raise ValueError(f"plot_event_study needs columns {list(EVENT_STUDY_COLUMNS)}; missing {missing}")
    if style not in ("band", "bars"):
        raise ValueError(f"style must be 'band' or 'bars', got {style!r}")
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    if ref == "auto":
        ref = tidy.attrs.get("ref")
    frame = tidy.copy()
    refs = ref if isinstance(ref, dict) else None  # one reference period per estimator (lgresearch.did.combine)
    if "estimator" not in frame.columns:
        frame["estimator"] = str(tidy.attrs.get("estimator", "estimate"))
    estimators = list(dict.fromkeys(frame["estimator"].astype(str)))
    n_series = len(estimators)
    offsets = {e: ((i - (n_series - 1) / 2) * 0.12 if n_series > 1 else 0.0) for i, e in enumerate(estimators)}
    for i, est in enumerate(estimators):
        part = frame[frame["estimator"].astype(str) == est]
        ref_e = refs.get(est) if refs is not None else ref
        add_ref = ref_e is not None and not (part["event_time"] == ref_e).any()
        if add_ref:  # the omitted period is 0 by construction: draw the series through it
            zero = pd.DataFrame({"event_time": [ref_e], "estimate": [0.0], "ci_low": [0.0], "ci_high": [0.0]})
            part = pd.concat([part[["event_time", "estimate", "ci_low", "ci_high"]], zero], ignore_index=True)
        part = part.sort_values("event_time")
        x = part["event_time"].to_numpy(dtype=float) + offsets[est]
        y = part["estimate"].to_numpy(dtype=float)
        lo = part["ci_low"].to_numpy(dtype=float)
        hi = part["ci_high"].to_numpy(dtype=float)
        colour = PALETTE[i % len(PALETTE)]
        name = (labels or {}).get(est, est)
        if style == "band":
            ax.fill_between(x, lo, hi, color=colour, alpha=0.18, linewidth=0)
            ax.plot(x, y, marker="o", color=colour, label=f"{name} (95% CI band)" if n_series == 1 else name)
        else:
            ax.errorbar(x, y, yerr=[y - lo, hi - y], fmt="o", color=colour, capsize=3, label=name)
        if add_ref:
            ax.plot([float(ref_e) + offsets[est]], [0.0], marker="o", markerfacecolor="white", color=colour,
                     linestyle="none")
    shown = sorted({r for r in (refs.values() if refs is not None else [ref]) if r is not None})
    if shown:
        ax.plot([], [], marker="o", markerfacecolor="white", color="#555555", linestyle="none",
                label=f"reference period ({', '.join(map(str, shown))}) = 0")
    ax.axhline(0.0, color="#333333", linewidth=0.8)
    if treat_line is not None:
        ax.axvline(treat_line, color="#7f8c8d", linestyle="--", linewidth=1.0, label="treatment")
    if truth is not None:
        tr = pd.Series(truth, dtype=float).sort_index()
        ax.plot(tr.index.to_numpy(dtype=float), tr.to_numpy(), color="black", linestyle=":", linewidth=1.6,
                label="true effect")
    times = sorted(set(frame["event_time"].astype(int)) | set(shown))
    if len(times) <= 25:
        ax.set_xticks(times)
    fig = finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, data=tidy, source=source, legend=True)
    text = caption if caption is not None else _pretrend_caption(tidy, estimators)
    if text:
        import textwrap

        width = max(60, int(fig.get_figwidth() * 16))  # characters per line at 8.5 pt
        lines = textwrap.wrap(text, width=width, subsequent_indent="  ")
        fig.tight_layout(rect=(0, 0.05 + 0.035 * len(lines), 1, 1))
        fig.text(0.01, 0.04, "\n".join(lines), fontsize=8.5, color="#222222", ha="left", va="bottom",
                 gid="caption")
        record_figure(fig, caption=text)
    return fig


# ----------------------------------------------------------------------------------------------------------------
# Figure records: number, caption, alt text and the plotted data (issue 12)
# ----------------------------------------------------------------------------------------------------------------

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
    >>> fig, ax = new_figure(); _ = ax.plot([1, 2], [3, 4], label="firms")
    >>> _ = ax.set_xlabel("Year"); _ = ax.set_ylabel("Firms (count)")
    >>> alt_text(ax, title="Designated firms")
    'Line chart: Designated firms. Horizontal axis: Year; vertical axis: Firms (count). Series: firms.'
    """
    lines = [ln for ln in ax.get_lines() if ln.get_xydata().size]
    n_bars = sum(len(c) for c in ax.containers if hasattr(c, "patches"))
    kind = "Bar chart" if n_bars and not lines else ("Line chart" if lines and not n_bars else "Chart")
    series = [ln.get_label() for ln in lines if not ln.get_label().startswith("_")]
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
    >>> fig, ax = new_figure(); _ = ax.bar([0, 1], [5, 7], label="n")
    >>> axes_data(ax)[["series", "y"]].values.tolist()
    [['n', 5.0], ['n', 7.0]]
    """
    parts = []
    for ln in ax.get_lines():
        xy = ln.get_xydata()
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
    >>> fig, ax = new_figure(); _ = ax.plot([1, 2], [3, 4])
    >>> rec = record_figure(fig, title="T", alt="A line")
    >>> rec["number"] >= 1 and rec["alt"] == "A line" and fig.lgresearch_figure is rec
    True
    """
    import json
    import os
    from pathlib import Path

    record = getattr(fig, "lgresearch_figure", None)
    if record is None:
        _FIGURE_COUNT["n"] += 1
        n = _FIGURE_COUNT["n"]
        record = {"number": n, "title": "", "caption": "", "alt": "", "source": "", "cell": _current_cell(),
                  "csv": f"fig-{n}.csv"}
        fig.lgresearch_figure = record
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


# ----------------------------------------------------------------------------------------------------------------
# CJK fonts (optional; labels are English by default)
# ----------------------------------------------------------------------------------------------------------------

#: Debian/Ubuntu locations of the CJK fonts installed by ``fonts-noto-cjk``, ``fonts-wqy-microhei``,
#: ``fonts-wqy-zenhei``, ``fonts-arphic-*`` and ``fonts-droid-fallback`` (searched in this order).
CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
#: Glob patterns tried after the fixed paths (other distributions, user fonts).
CJK_FONT_GLOBS = ("/usr/share/fonts/**/*CJK*", "/usr/share/fonts/**/wqy*", "~/.local/share/fonts/**/*CJK*",
                  "~/.fonts/**/*CJK*")
#: Environment variable naming a CJK font file to use first.
CJK_FONT_ENV = "LGRESEARCH_CJK_FONT"


class MissingCJKFontWarning(UserWarning):
    """No CJK font found: Chinese characters would render as empty boxes."""


def find_cjk_font(candidates: list[str] | tuple[str, ...] | None = None) -> str | None:
    """Return the path of the first installed CJK font, or ``None``.

    Parameters
    ----------
    candidates : sequence of str, optional
        Font files to try (default: ``$LGRESEARCH_CJK_FONT``, :data:`CJK_FONT_PATHS`, then :data:`CJK_FONT_GLOBS`).

    Returns
    -------
    str or None
        Path of the first font file that exists, or ``None`` when none is installed.

    Examples
    --------
    >>> find_cjk_font(["/nonexistent/font.ttc"]) is None
    True
    """
    import glob
    import os
    from pathlib import Path

    if candidates is None:
        env = os.environ.get(CJK_FONT_ENV)
        paths = ([env] if env else []) + list(CJK_FONT_PATHS)
        for pattern in CJK_FONT_GLOBS:
            paths.extend(sorted(glob.glob(os.path.expanduser(pattern), recursive=True)))
    else:
        paths = list(candidates)
    for p in paths:
        if p and Path(p).is_file():
            return str(p)
    return None


def use_cjk_font(candidates: list[str] | tuple[str, ...] | None = None) -> str | None:
    """Register a CJK font with matplotlib and put it first in ``font.sans-serif``; warn clearly when none exists.

    Labels stay English by default; call this only when a figure must show Chinese text.

    Parameters
    ----------
    candidates : sequence of str, optional
        Font files to try (see :func:`find_cjk_font`).

    Returns
    -------
    str or None
        The registered font family name, or ``None`` (after a :class:`MissingCJKFontWarning`) when no CJK font
        is installed.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     use_cjk_font(["/nonexistent/font.ttc"])
    >>> "fonts-noto-cjk" in str(w[0].message)
    True
    """
    import warnings

    from matplotlib import font_manager

    path = find_cjk_font(candidates)
    if path is None:
        warnings.warn(
            "No CJK font found: Chinese characters will render as empty boxes. Install one with "
            "`apt-get install fonts-noto-cjk` (or the lighter `fonts-wqy-microhei`), or set "
            f"{CJK_FONT_ENV} to a .ttf/.ttc/.otf file. Figures keep English (pinyin) labels.",
            MissingCJKFontWarning,
            stacklevel=2,
        )
        return None
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    current = [f for f in plt.rcParams["font.sans-serif"] if f != name]
    plt.rcParams["font.sans-serif"] = [name, *current]
    plt.rcParams["font.family"] = ["sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    return name


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "alt_text", "axes_data", "bar_chart", "CJK_FONT_ENV", "CJK_FONT_GLOBS", "CJK_FONT_PATHS", "EVENT_STUDY_COLUMNS",
    "FIGURES_ENV", "find_cjk_font", "finish", "HOUSE_RC", "line_chart", "MissingCJKFontWarning", "new_figure",
    "PALETTE", "plot_event_study", "record_figure", "SIMULATED_MARK", "simulated_source_line", "stamp",
    "use_cjk_font", "use_house_style"
]
