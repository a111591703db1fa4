"""Simulated Little-Giant worlds with a planted truth, for testing estimators and teaching selection vs treatment.

:func:`designation_world` draws firms with latent quality and growth, log valuations that follow a firm trend plus
market-year shocks (a 2021 boom, a 2022-23 bust), MIIT designations in seven staggered batches (2019-2025, sizes
proportional to the official batch counts) with a probability rising in the firms' recent growth, venture deals
arriving as a Poisson process whose rate rises with quality, and a causal uplift ``effect`` (log points; 0 by
default) that may vary by event time and cohort.

It returns the firms, the designations and the deals in the column layout the real readers produce, every frame
labelled simulated (a ``provenance`` column and ``attrs``), plus the latent firm-year panel with the true effect of
every observation, so any estimate can be compared with the truth it should recover.

Model
-----
For firm *i* in year *t* (log post-money valuation, CNY)::

    v_it = a_i + g_i (t - t0) + m_t + tau_it + u_it

- ``q_i ~ N(0, 1)`` quality; ``g_i = growth_mean + growth_sd (rho q_i + sqrt(1 - rho^2) z_i)`` trend growth.
- ``a_i = log(1e8) + 0.8 q_i + N(0, 0.5)``; ``u_it ~ N(0, noise_sd)`` independent shocks.
- ``m_t``: market log level (:data:`MARKET_LEVEL`; ``market=`` overrides it).
- Selection: the set of ever-designated firms is a weighted draw without replacement, weight
  ``exp(selection * z(recent growth))`` where recent growth is ``g_i`` plus a reporting noise; the batch a
  designated firm lands in is drawn with weight ``exp(timing_selection * z(g_i) + shock_selection * z(u_i,c-1 -
  u_i,c-3))``. With ``timing_selection = shock_selection = 0`` the designation *timing* is as good as random among
  designated firms, so not-yet-designated firms are valid comparisons while never-designated firms are not (they
  grow more slowly): the setting where naive and never-treated comparisons fail and the robust not-yet-treated
  estimators work.
- ``tau_it = effect(e, cohort)`` for event time ``e = t - cohort >= 0`` and ``anticipation_effect`` for
  ``-anticipation <= e < 0``.
- Deals: ``Poisson(deal_rate * exp(deal_quality * q_i))`` per firm-year, dated uniformly in the year, post-money
  ``exp(v_it + N(0, deal_noise_sd))``.

Examples
--------
>>> w = designation_world(n_firms=300, seed=1, effect=0.3)
>>> sorted(w.designations["cohort_year"].unique().tolist())
[2019, 2020, 2021, 2022, 2023, 2024, 2025]
>>> w.deals.attrs["provenance"], set(w.firms["provenance"])
('simulated', {'simulated'})
>>> round(float(w.panel.loc[w.panel["event_time"] >= 0, "true_effect"].mean()), 6)
0.3
"""

from __future__ import annotations

from lgresearch.simulate.batches import BATCH_YEARS, DESIGNATION_COLUMNS, FALLBACK_BATCH_COUNTS
from lgresearch.simulate.deals import DEAL_COLUMNS, ROUNDS
from lgresearch.simulate.montecarlo import MC_ESTIMATORS, coverage_table, monte_carlo
from lgresearch.simulate.studies import (
    COMPONENTS,
    PANEL_COLS,
    estimator_grid,
    failure_scenarios,
    naive_decomposition,
)
from lgresearch.simulate.world import (
    FIRM_COLUMNS,
    INDUSTRIES,
    MARKET_LEVEL,
    REGIONS,
    World,
    designation_panel,
    designation_world,
    true_att,
)

#: Every public name of this module (issue 11, item 7).
__all__ = [
    "BATCH_YEARS", "COMPONENTS", "coverage_table", "DEAL_COLUMNS", "DESIGNATION_COLUMNS", "designation_panel",
    "designation_world", "estimator_grid", "failure_scenarios", "FALLBACK_BATCH_COUNTS", "FIRM_COLUMNS",
    "INDUSTRIES", "MARKET_LEVEL", "MC_ESTIMATORS", "monte_carlo", "naive_decomposition", "PANEL_COLS", "REGIONS",
    "ROUNDS", "true_att", "World"
]
