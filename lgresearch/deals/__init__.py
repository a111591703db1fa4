"""Venture deals: vendor exports → canonical financing events, round-to-round step-ups and yearly summaries.

One row of an events frame is one financing event (a firm raising a round on a date) with the columns
:data:`DEAL_COLUMNS`, validated by :data:`DEAL_SCHEMA`. Readers (:mod:`lgresearch.deals.read`):

* :func:`read_zero2ipo` — 清科私募通 (Zero2IPO / PEdata) investment-event exports (merged ``.xlsx`` or raw ``.xls``);
* :func:`read_itjuzi` — IT桔子 company pages and 投资事件 lists;
* :func:`read_crunchbase` — Crunchbase ``funding_rounds.csv``;
* :func:`read_deals` — any other export through a column mapping (:class:`DealMapping`), no new code needed.

Every reader accounts for every input row in a :class:`lgresearch.ledger.Ledger` (returned with
``return_ledger=True``; a one-line summary is in ``events.attrs["ledger_summary"]``) and marks the frame as real
data with its source.

The package is split along its sections: ``read`` (reading and caching exports), ``demo`` (hand-made events),
``rounds`` (yearly summaries, merged closings, private rounds, one row per firm), ``stepups`` (round pairs and
where they lie relative to a designation), ``rates`` (step-up shares and like-for-like comparisons) and
``coverage`` (deal coverage of a group of firms). Every public name is importable from ``lgresearch.deals``.
The analyses that combine deals with estimators moved up a layer in release 1.0: ``valuation_did`` to
:mod:`lgresearch.analyses.valuation`, ``attention_comparison`` to :mod:`lgresearch.analyses.attention` (the old
names still resolve here for one release, with a ``FutureWarning``).

**What the real 清科 data are, and are not.** The export holds only deals in which a government guidance fund (or a
fund it backs) took part; its valuations are the vendor's *implied* post-money (amount ÷ stake); amounts are those of
the listed investors. It is real, biased and incomplete.

Examples
--------
>>> ev = demo_events()
>>> annual_summary(ev)[["year", "n_events", "n_firms"]].values.tolist()
[[2020, 2, 2], [2021, 2, 1]]
>>> su = step_ups(ev)
>>> su[["firm_id", "round_std_prev", "round_std", "step_up"]].values.tolist()
[['甲科技有限公司', 'A', 'B', 2.0]]
"""

from __future__ import annotations

from lgresearch._compat import moved_names
from lgresearch.deals import coverage, demo, rates, read, rounds, stepups  # noqa: F401 - the submodules
from lgresearch.deals.coverage import COVERAGE_COLUMNS, coverage_by_group, firm_year_deals, share_difference
from lgresearch.deals.demo import demo_events
from lgresearch.deals.rates import StepUpComparison, compare_step_up_rates, step_up_rates
from lgresearch.deals.read import (
    PROCESSED_EVENTS,
    PROCESSED_LEDGER,
    ZERO2IPO_PARTS,
    _finish,  # noqa: F401 - used by tests/hostile (schema failures become InputError)
    build_processed,
    read_crunchbase,
    read_deals,
    read_itjuzi,
    read_zero2ipo,
    zero2ipo_available,
)
from lgresearch.deals.rounds import (
    FIRM_COLUMNS,
    LISTING_STATUSES,
    NON_ROUND_INVESTMENT_TYPES,
    PRIVATE_CATEGORIES,
    SUMMARY_COLUMNS,
    TRANCHE_MAX_DAYS,
    TRANCHE_TOLERANCE,
    annual_summary,
    deal_firms,
    excluded_by_investment_type,
    industry_l1,
    listing_status,
    merge_tranches,
    private_rounds,
    valued_events,
)
from lgresearch.deals.stepups import (
    DESIGNATION_COLUMNS,
    SIX_MONTHS_DAYS,
    STEP_UP_COLUMNS,
    relative_to_designation,
    step_ups,
)
from lgresearch.deals_readers.core import (
    DEAL_COLUMNS,
    DEAL_SCHEMA,
    INPUT_FIELDS,
    DealMapping,
    empty_events,
    validate_events,
)
from lgresearch.deals_readers.zero2ipo import ZERO2IPO_MAPPING

__all__ = [
    "DEAL_COLUMNS", "DEAL_SCHEMA", "INPUT_FIELDS", "DealMapping", "ZERO2IPO_MAPPING", "validate_events",
    "empty_events", "ZERO2IPO_PARTS", "PROCESSED_EVENTS", "PROCESSED_LEDGER", "zero2ipo_available",
    "read_zero2ipo", "read_itjuzi", "read_crunchbase", "read_deals", "build_processed", "demo_events",
    "SUMMARY_COLUMNS", "TRANCHE_TOLERANCE", "TRANCHE_MAX_DAYS", "PRIVATE_CATEGORIES", "NON_ROUND_INVESTMENT_TYPES",
    "FIRM_COLUMNS", "LISTING_STATUSES", "annual_summary", "valued_events", "merge_tranches", "private_rounds",
    "excluded_by_investment_type", "listing_status", "industry_l1", "deal_firms", "STEP_UP_COLUMNS",
    "DESIGNATION_COLUMNS", "SIX_MONTHS_DAYS", "step_ups", "relative_to_designation", "step_up_rates",
    "StepUpComparison", "compare_step_up_rates", "COVERAGE_COLUMNS", "coverage_by_group", "share_difference",
    "firm_year_deals",
]

#: Names that moved up to the analyses layer in release 1.0 (resolved on access, with a FutureWarning).
MOVED = {
    "valuation_did": "lgresearch.analyses.valuation:valuation_did",
    "attention_comparison": "lgresearch.analyses.attention:attention_comparison",
}
__getattr__ = moved_names("lgresearch.deals", MOVED)
