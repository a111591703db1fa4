"""Abnormal returns around events, vectorised across events, and their tests.

:func:`abnormal_returns` estimates expected returns per event in an estimation window of trading days before the
event (market model, market-adjusted or constant mean) and returns one row per event with the cumulative abnormal
return ``car``, the buy-and-hold abnormal return ``bhar``, the standardised CAR ``scar`` and the inputs'
identifiers. All events are computed at once on (events x days) matrices: there is no Python loop per event.
:func:`test_car` returns the test table: cross-sectional t, Patell, BMP (Boehmer, Musumeci and Poulsen 1991),
BMP with the Kolari-Pynnönen (2010) adjustment for cross-correlation of clustered events (many firms share one list
date), the Corrado (1989) rank test (on standardised abnormal returns, Corrado and Zivney 1992; multi-day form of
Campbell and Wasley 1993), a sign test, Cowan's (1992) generalised sign test and the generalised rank test
(GRANK-T) of Kolari and Pynnönen (2011). :func:`placebo_windows` gives randomisation inference for calendar
windows (the same statistic in every other window of the same length).

The package is split along these sections: :mod:`~lgresearch.events.engine` (abnormal returns, the result
object), :mod:`~lgresearch.events.tests` (window statistics, the Kolari-Pynnönen correlation, the test table),
:mod:`~lgresearch.events.car_paths` (average CAR paths), :mod:`~lgresearch.events.matched` (control events,
treated-minus-control differences, stacking), :mod:`~lgresearch.events.study` (batch event dates, control pools,
matched studies), :mod:`~lgresearch.events.mapping` (studies from a user's dated mapping),
:mod:`~lgresearch.events.placebo` (randomisation inference for calendar windows),
:mod:`~lgresearch.events.simulated` (simulated data) and :mod:`~lgresearch.events.base` (constants, the per-event
paths, input handling). Every public name is importable from ``lgresearch.events``.

Thin trading. A return that spans several sessions (``gap`` > 1, after a suspension) is a *trade-to-trade* return
(Maynes and Rumsey 1993): its expected value is ``alpha * gap + beta * R_m(gap)`` with the market return compounded
over the same sessions, its variance ``gap`` times the daily variance, and the market model is estimated by
weighted least squares with weights ``1 / gap`` (ordinary least squares when no return spans a gap).
``thin_trading="drop"`` instead ignores multi-session returns. A suspended event day contributes nothing to the
CAR; the return on the day trading resumes carries the whole suspension.

Notation (per event): estimation window ``[a, b]`` and event window ``[c, d]`` in trading days relative to the
event session (day 0; an event on a non-trading date is rolled forward to the next session and recorded).

Examples
--------
>>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=1)
>>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
>>> bool(abs(res["car"].mean() - 0.03) < 0.01)
True
>>> tab = test_car(res, tests=["t", "bmp"])
>>> tab["test"].tolist()
['t', 'bmp']
"""

from __future__ import annotations

from lgresearch import _compat
from lgresearch.errors import EventStudyError
from lgresearch.events.base import KP_MIN_OVERLAP, MODELS, NS_PER_DAY, OK, TEST_LABELS, TESTS, EventPaths
from lgresearch.events.car_paths import ar_long, car_path
from lgresearch.events.engine import AbnormalReturns, abnormal_returns
from lgresearch.events.mapping import mapping_events, mapping_study
from lgresearch.events.matched import combine_results, control_events, implied_per_firm_effect, matched_difference
from lgresearch.events.placebo import PlaceboResult, placebo_inference, placebo_starts, placebo_windows, study_placebo
from lgresearch.events.simulated import SimulatedEvents, simulate_event_data
from lgresearch.events.study import (
    DAY_WINDOW,
    MatchedStudy,
    batch_event_dates,
    control_pool,
    matched_event_study,
    study_pairs,
    study_paths,
    summarize_study,
)
from lgresearch.events.tests import KPCorrelation, kp_mean_correlation, t_interval, test_car, window_stats

#: ``firm_attributes`` combines panels for the listed-firm analysis: it moved to ``lgresearch.analyses.listed_events``.
__getattr__ = _compat.moved_names("lgresearch.events",
                                  {"firm_attributes": "lgresearch.analyses.listed_events:firm_attributes"})

#: Every public name of this package (issue 11, item 7).
__all__ = [
    "abnormal_returns", "AbnormalReturns", "ar_long", "batch_event_dates", "car_path", "combine_results",
    "control_events", "control_pool", "DAY_WINDOW", "EventPaths", "EventStudyError",
    "implied_per_firm_effect", "kp_mean_correlation", "KP_MIN_OVERLAP", "KPCorrelation", "mapping_events",
    "mapping_study", "matched_difference", "matched_event_study", "MatchedStudy", "MODELS", "NS_PER_DAY", "OK",
    "placebo_inference", "placebo_starts", "placebo_windows", "PlaceboResult", "simulate_event_data",
    "SimulatedEvents", "study_pairs", "study_paths", "study_placebo", "summarize_study", "t_interval", "test_car",
    "TEST_LABELS", "TESTS", "window_stats"
]
