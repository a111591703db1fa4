"""Tests for lgresearch.plotting: house style, provenance stamp, event-study plot, CJK font registration."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from lgresearch import plotting  # noqa: E402
from lgresearch.provenance import mark_real, mark_simulated  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _tidy(estimator: str | None = None, shift: float = 0.0) -> pd.DataFrame:
    et = np.array([-4, -3, -2, 0, 1, 2, 3])
    est = np.where(et >= 0, 0.3, 0.0) + shift
    t = pd.DataFrame({"event_time": et, "estimate": est, "se": 0.05})
    t["ci_low"] = t["estimate"] - 1.96 * t["se"]
    t["ci_high"] = t["estimate"] + 1.96 * t["se"]
    if estimator:
        t["estimator"] = estimator
    t.attrs.update(ref=-1, pretrend={"stat": 1.2, "df": 3, "p": 0.753})
    return t


def _texts(fig, gid):
    return [t.get_text() for t in fig.texts if t.get_gid() == gid]


def test_event_study_real_source_and_caption():
    t = mark_real(_tidy(), "Zero2IPO deals")
    fig = plotting.plot_event_study(t, title="T", ylabel="log points")
    assert _texts(fig, "source-line") == ["Source: Zero2IPO deals"]
    assert _texts(fig, "simulated-mark") == []
    assert "p = 0.753" in _texts(fig, "caption")[0]
    ax = fig.axes[0]
    # reference period drawn at (ref, 0) as a hollow marker, and the treatment line at -0.5
    xs = [tuple(xy) for line in ax.lines for xy in line.get_xydata() if line.get_markerfacecolor() == "white"]
    assert (-1.0, 0.0) in xs
    assert any(list(line.get_xdata()) == [-0.5, -0.5] for line in ax.lines)
    assert ax.get_title() == "T" and ax.get_ylabel() == "log points"


def test_event_study_simulated_is_stamped():
    t = mark_simulated(_tidy())
    fig = plotting.plot_event_study(t, source="Source: pretending to be real")
    assert _texts(fig, "simulated-mark") == [plotting.SIMULATED_MARK]
    assert plotting.SIMULATED_MARK in _texts(fig, "source-line")[0]


def test_event_study_several_estimators_bars_and_truth():
    t = pd.concat([_tidy("twfe"), _tidy("did2s", 0.02)], ignore_index=True)
    t.attrs.update(ref=-1, pretrend={"twfe": {"p": 0.5, "df": 3}, "did2s": {"p": 0.01, "df": 3}})
    fig = plotting.plot_event_study(t, style="bars", truth={0: 0.3, 1: 0.3, 2: 0.3, 3: 0.3}, source="x")
    cap = _texts(fig, "caption")[0]
    assert "twfe: p = 0.500" in cap and "did2s: p = 0.010" in cap
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert "twfe" in labels and "did2s" in labels and "true effect" in labels


def test_event_study_no_ref_no_caption():
    t = _tidy()
    t.attrs.clear()
    fig = plotting.plot_event_study(t, ref=None, treat_line=None, source="x")
    assert _texts(fig, "caption") == []
    assert not any(line.get_markerfacecolor() == "white" for line in fig.axes[0].lines)


def test_event_study_bad_input():
    with pytest.raises(ValueError, match="missing"):
        plotting.plot_event_study(pd.DataFrame({"event_time": [0], "estimate": [1.0]}))
    with pytest.raises(ValueError, match="style"):
        plotting.plot_event_study(_tidy(), style="ribbon")


def test_bar_and_line_stamp_from_provenance():
    df = mark_simulated(pd.DataFrame({"x": [1, 2], "y": [1.0, 3.0]}))
    fig = plotting.bar_chart(df, x="x", y="y", title="T", xlabel="X", ylabel="Y")
    assert _texts(fig, "simulated-mark")
    fig = plotting.line_chart(mark_real(df.drop(columns="provenance"), "MIIT"), x="x", y="y", title="T",
                              xlabel="X", ylabel="Y")
    assert _texts(fig, "source-line") == ["Source: MIIT"]


def test_finish_requires_labels():
    fig, ax = plotting.new_figure()
    with pytest.raises(ValueError):
        plotting.finish(fig, ax, title="", xlabel="x", ylabel="y")


def test_use_cjk_font_warns_when_absent():
    with pytest.warns(plotting.MissingCJKFontWarning, match="fonts-noto-cjk"):
        assert plotting.use_cjk_font(["/definitely/not/a/font.ttc"]) is None


def test_use_cjk_font_registers_an_installed_font():
    path = plotting.find_cjk_font()
    if path is None:
        pytest.skip("no CJK font installed on this machine")
    saved = plt.rcParams["font.sans-serif"][:]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            name = plotting.use_cjk_font([path])
        assert plt.rcParams["font.sans-serif"][0] == name
    finally:
        plt.rcParams["font.sans-serif"] = saved


def test_event_study_reference_per_estimator():
    a = _tidy("twfe")  # no row at -1: its reference period
    b = _tidy("did2s")
    b = pd.concat([b, b.iloc[:1].assign(event_time=-1, estimate=0.05)], ignore_index=True)  # did2s has -1
    t = pd.concat([a, b], ignore_index=True)
    t.attrs.update(ref={"twfe": -1, "did2s": None})
    fig = plotting.plot_event_study(t, source="x")
    hollow = [line for line in fig.axes[0].lines if line.get_markerfacecolor() == "white" and len(line.get_xdata())]
    assert len(hollow) == 1  # only the twfe series gets a reference marker
