"""A-share prices: readers, a returns panel spliced on returns, the trading calendar, limits, size and coverage.

The third-party price sets (see ``PROVENANCE-deals-prices.md`` beside the data) differ in adjustment base (raw,
前复权 with bases 2024-06 / 2025-08 / 2025-09 / 2025-11) and in coverage (survivorship and a size filter). Price
*levels* are therefore never compared across sets. Each set's returns are computed within the set (a close over
the set's own previous close; the raw set uses the exchange's ``p_change``, which is ex-dividend adjusted) and the
panel picks, for every (code, session), one set's return: single-session returns first, then the set priority of
:data:`PRICE_SETS`. Suspensions are not filled: there is no row for a suspended session, and the first return
after it spans several sessions, which ``gap`` records (``gap == 1`` is an ordinary daily return). Limit-up/down
days are flagged in ``limit`` (+1 / -1), never dropped.

The trading calendar is taken from the data (sessions with prices) and checked against the Shanghai exchange
calendar of ``exchange_calendars`` (XSHG, used as the proxy for all mainland boards: the package has no XSHE or
BSE calendar). Rows dated on a non-session (e.g. 109 rows on the 2017-05-30 Dragon Boat holiday) are dropped
and counted.

Row accounting: every dropped price row is recorded in a :class:`lgresearch.ledger.Ledger` with its file row;
kept and merged rows (13.6 million) are counted per file and reconciled against the file sizes and the vendor
manifests (a row-level ledger of that size would cost gigabytes).

Examples
--------
>>> board_of(["600519", "300750", "688981", "920475", "002594", "830799"]).tolist()
['Main', 'ChiNext', 'STAR', 'BSE', 'Main', 'BSE/NEEQ']
>>> limit_rate(["Main", "ChiNext", "ChiNext", "STAR"], pd.to_datetime(["2024-01-02", "2020-08-21",
...            "2020-08-24", "2024-01-02"])).tolist()
[0.1, 0.1, 0.2, 0.2]
"""

from __future__ import annotations

import pandas as pd  # noqa: F401 (the examples above use it)

from lgresearch.prices import build, cache, calendar, coverage, indices, sets, size  # noqa: F401 (submodules)

from lgresearch.prices.build import IPO_WINDOW, LIMIT_MARGIN, LIMIT_TOL, PanelBuild, build_returns_panel
from lgresearch.prices.cache import (
    ACCOUNTING_FILE, AGREEMENT_FILE, CACHE_FORMAT, CACHE_SUBDIR, CALENDAR_FILE, LEDGER_FILE, PANEL_DATASET, PANEL_FILE,
    PANEL_ROW_GROUP, SIGNATURE_FILE, build_processed, load_returns_panel, panel_reports, sessions, trading_calendar,
    write_cache,
)
from lgresearch.prices.calendar import MIN_STOCKS_PER_SESSION, calendar_from_counts, xshg_sessions
from lgresearch.prices.coverage import coverage_report, survivorship_report
from lgresearch.prices.indices import (
    INDEX_MAX_MOVE, INDEX_SOURCE, INDICES, equal_weighted_market, index_from_file, market_returns, read_index,
)
from lgresearch.prices.sets import (
    PRICE_SETS, PRICES_SOURCE, SET_BY_NAME, PriceSet, available_price_sets, pa_array_of, price_set_path,
    read_price_set,
)
from lgresearch.prices.size import SIZE_SNAPSHOT, float_market_cap, size_at
from lgresearch.securities import BOARDS, CHINEXT_REFORM, LIMITS, board_of, limit_rate

#: Every public name of the package (issue 11, item 7): the names of its submodules, and the board helpers of
#: :mod:`lgresearch.securities` that ``prices`` has always offered.
__all__ = [
    "ACCOUNTING_FILE", "AGREEMENT_FILE", "available_price_sets", "board_of", "BOARDS", "build_processed",
    "build_returns_panel", "CACHE_FORMAT", "CACHE_SUBDIR", "CALENDAR_FILE", "calendar_from_counts",
    "CHINEXT_REFORM", "coverage_report", "equal_weighted_market", "float_market_cap", "index_from_file",
    "INDEX_MAX_MOVE", "INDEX_SOURCE", "INDICES", "IPO_WINDOW", "LEDGER_FILE", "LIMIT_MARGIN", "limit_rate",
    "LIMIT_TOL", "LIMITS", "load_returns_panel", "market_returns", "MIN_STOCKS_PER_SESSION", "pa_array_of",
    "PANEL_DATASET", "PANEL_FILE", "panel_reports", "PANEL_ROW_GROUP", "PanelBuild", "price_set_path", "PRICE_SETS",
    "PRICES_SOURCE", "PriceSet", "read_index", "read_price_set", "sessions", "SET_BY_NAME", "SIGNATURE_FILE",
    "size_at", "SIZE_SNAPSHOT", "survivorship_report", "trading_calendar", "write_cache", "xshg_sessions",
]

