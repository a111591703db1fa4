"""The event-study plot: estimates by event time with confidence bands, the reference period, the treatment line,
the true effect (simulations) and the pre-trend test in the caption."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from lgresearch.plotting.figures import PALETTE, finish, new_figure
from lgresearch.plotting.records import record_figure
from lgresearch.results import FrameResult

if TYPE_CHECKING:  # annotations only: matplotlib is imported when a figure is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
    tidy, frame = _event_study_frames(tidy, style)
    fig, ax = new_figure() if ax is None else (cast("Figure", ax.figure), ax)  # the stubs allow a SubFigure
    if ref == "auto":
        ref = tidy.attrs.get("ref")
    refs = ref if isinstance(ref, dict) else None  # one reference period per estimator (lgresearch.did.combine)
    estimators = list(dict.fromkeys(frame["estimator"].astype(str)))
    _draw_series(ax, frame, estimators, style=style, ref=ref, refs=refs, labels=labels)
    shown = sorted({r for r in (refs.values() if refs is not None else [ref]) if r is not None})
    _draw_guides(ax, shown, treat_line=treat_line, truth=truth)
    times = sorted(set(frame["event_time"].astype(int)) | set(shown))
    if len(times) <= 25:
        ax.set_xticks(times)
    fig = finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, data=tidy, source=source, legend=True)
    text = caption if caption is not None else _pretrend_caption(tidy, estimators)
    if text:
        _add_caption(fig, text)
    return fig


def _event_study_frames(tidy: pd.DataFrame | FrameResult, style: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The checked table, and a copy with an ``estimator`` column (one series per value)."""
    tidy = tidy.frame if isinstance(tidy, FrameResult) else tidy
    missing = [c for c in EVENT_STUDY_COLUMNS if c not in tidy.columns]
    if missing:
        raise ValueError(f"plot_event_study needs columns {list(EVENT_STUDY_COLUMNS)}; missing {missing}")
    if style not in ("band", "bars"):
        raise ValueError(f"style must be 'band' or 'bars', got {style!r}")
    frame = tidy.copy()
    if "estimator" not in frame.columns:
        frame["estimator"] = str(tidy.attrs.get("estimator", "estimate"))
    return tidy, frame


def _draw_series(ax: Axes, frame: pd.DataFrame, estimators: list[str], *, style: str, ref: object,
                 refs: dict | None, labels: dict[str, str] | None) -> None:
    """One band (or error bars) per estimator, dodged sideways, drawn through its reference period at 0."""
    n_series = len(estimators)
    offsets = {e: ((i - (n_series - 1) / 2) * 0.12 if n_series > 1 else 0.0) for i, e in enumerate(estimators)}
    for i, est in enumerate(estimators):
        part = frame[frame["estimator"].astype(str) == est]
        ref_e: Any = refs.get(est) if refs is not None else ref  # an event time (int) or None
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


def _draw_guides(ax: Axes, shown: list, *, treat_line: float | None, truth: pd.Series | dict | None) -> None:
    """The reference-period legend entry, the zero line, the treatment line and the true effect."""
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


def _add_caption(fig: Figure, text: str) -> None:
    """The caption under the axes (wrapped to the figure's width), also in the figure's record."""
    width = max(60, int(fig.get_figwidth() * 16))  # characters per line at 8.5 pt
    lines = textwrap.wrap(text, width=width, subsequent_indent="  ")
    fig.tight_layout(rect=(0, 0.05 + 0.035 * len(lines), 1, 1))
    fig.text(0.01, 0.04, "\n".join(lines), fontsize=8.5, color="#222222", ha="left", va="bottom", gid="caption")
    record_figure(fig, caption=text)


#: Every public name of this module.
__all__ = ["EVENT_STUDY_COLUMNS", "plot_event_study"]
