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


from lgresearch.plotting.event_study import EVENT_STUDY_COLUMNS, plot_event_study
from lgresearch.plotting.figures import (
    HOUSE_RC,
    PALETTE,
    SIMULATED_MARK,
    bar_chart,
    finish,
    line_chart,
    new_figure,
    simulated_source_line,
    stamp,
    use_house_style,
)
from lgresearch.plotting.fonts import (
    CJK_FONT_ENV,
    CJK_FONT_GLOBS,
    CJK_FONT_PATHS,
    MissingCJKFontWarning,
    find_cjk_font,
    use_cjk_font,
)
from lgresearch.plotting.records import FIGURES_ENV, alt_text, axes_data, record_figure

#: Every public name of this module (issue 11, item 7).
__all__ = [
    "alt_text", "axes_data", "bar_chart", "CJK_FONT_ENV", "CJK_FONT_GLOBS", "CJK_FONT_PATHS", "EVENT_STUDY_COLUMNS",
    "FIGURES_ENV", "find_cjk_font", "finish", "HOUSE_RC", "line_chart", "MissingCJKFontWarning", "new_figure",
    "PALETTE", "plot_event_study", "record_figure", "SIMULATED_MARK", "simulated_source_line", "stamp",
    "use_cjk_font", "use_house_style"
]
