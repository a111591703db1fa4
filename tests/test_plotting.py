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


def test_simulated_source_line_says_simulated_once():
    from lgresearch.plotting import SIMULATED_MARK, simulated_source_line

    line = simulated_source_line("SIMULATED DATA (lgresearch.simulate.designation_world)")
    assert line.count(SIMULATED_MARK) == 1
    assert line.endswith("Source: lgresearch.simulate.designation_world")
    assert simulated_source_line("SIMULATED DATA") == "SIMULATED DATA: not a finding about China"


def test_figure_on_simulated_data_stamps_one_simulated_source_line():
    from lgresearch.plotting import bar_chart
    from lgresearch.provenance import mark_simulated

    df = mark_simulated(pd.DataFrame({"b": [1, 2], "n": [3, 4]}), "lgresearch.simulate")
    fig = bar_chart(df, x="b", y="n", title="T", xlabel="Batch", ylabel="Firms (count)")
    line = [t.get_text() for t in fig.texts if t.get_gid() == "source-line"]
    assert len(line) == 1 and line[0].count("SIMULATED DATA") == 1
    assert fig.lgresearch_figure["source"] == line[0]


def test_finish_records_number_caption_alt_and_writes_the_data(tmp_path, monkeypatch):
    import json

    from lgresearch.plotting import FIGURES_ENV, line_chart, new_figure, finish

    monkeypatch.setenv(FIGURES_ENV, str(tmp_path))
    df = pd.DataFrame({"year": [2020, 2021], "deals": [10.0, 12.5]})
    fig = line_chart(df, x="year", y="deals", title="Deals per year", xlabel="Year", ylabel="Deals (count)",
                     source="Zero2IPO")
    rec = fig.lgresearch_figure
    saved = json.loads((tmp_path / f"fig-{rec['number']}.json").read_text())
    assert saved["title"] == "Deals per year" and saved["source"] == "Source: Zero2IPO"
    assert saved["alt"].startswith("Line chart: Deals per year.") and "Deals (count)" in saved["alt"]
    data = pd.read_csv(tmp_path / saved["csv"])
    assert data["deals"].tolist() == [10.0, 12.5]
    # a figure drawn by hand and finished without data: the axes' own data is written
    fig2, ax = new_figure()
    ax.plot([1, 2, 3], [4, 5, 6], label="firms")
    finish(fig2, ax, title="Hand-drawn", xlabel="x (units)", ylabel="y (units)", source="MIIT",
           caption="A caption.", alt="Custom alt")
    rec2 = fig2.lgresearch_figure
    assert rec2["number"] == rec["number"] + 1 and rec2["alt"] == "Custom alt" and rec2["caption"] == "A caption."
    drawn = pd.read_csv(tmp_path / rec2["csv"])
    assert drawn["y"].tolist() == [4.0, 5.0, 6.0] and set(drawn["series"]) == {"firms"}


def test_nothing_is_written_outside_the_runner(tmp_path, monkeypatch):
    from lgresearch.plotting import FIGURES_ENV, line_chart

    monkeypatch.delenv(FIGURES_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    line_chart(pd.DataFrame({"t": [1], "a": [1.0]}), x="t", y="a", title="T", xlabel="t", ylabel="a", source="x")
    assert list(tmp_path.iterdir()) == []
