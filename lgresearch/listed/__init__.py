"""Listed Little Giants: vendor tag snapshots by stock code, Shenwan industries and the A-share universe.

No public file maps listed companies to MIIT batches. What exists are dated vendor tag snapshots
(``listed-little-giants/history/`` in the third-party directory; read its ``HISTORY_PROVENANCE.md``):

========================  ===========================================  ==============
flag column               tag                                          snapshot
========================  ===========================================  ==============
``in_em_2023_12``         Eastmoney concept board 专精特新 (BK1005)      2023-12-18
``in_em_2024_01``         Eastmoney concept board 专精特新 (BK1005)      2024-01-02
``in_em_2025_07``         Eastmoney concept board 专精特新 (BK1005)      2025-07-10..30
``in_ths_2026_02``        Tonghuashun concept 专精特新 (885929.TI)       <= 2026-02-21
``in_ths_2026_06``        Tonghuashun concept 专精特新 (885929.TI)       <= 2026-06-18
``in_wind_neeq_2023_04``  Wind 是否专精特新企业 = 1 (NEEQ firms)          ~ 2023-04-20
========================  ===========================================  ==============

:func:`listed_little_giants` folds them into one row per stock code, with a high-confidence set (latest
Eastmoney and latest THS snapshot both tag the firm), a broad set (any snapshot), the verified batch for the 17
firms matched by hand to official list fragments, and the first-seen bracket from the dated Eastmoney snapshots.
Old BSE/NEEQ codes (``4xxxxx``/``8xxxxx``) are resolved to the ``920xxx`` code where a vendor file pairs the two
codes by name (:func:`bse_code_map`); the ``920`` + last-three-digits rule is *not* used because 33 of 141 known
pairs break it.

Examples
--------
>>> parse_batch(["第三批", "3", "batch 5", "第十批", None], max_batch=7).tolist()
[3, 3, 5, <NA>, <NA>]
>>> normalize_code(["1", "000001.SZ", "sh600000", " 920475 "]).tolist()
['000001', '000001', '600000', '920475']
"""


from __future__ import annotations

from lgresearch.clean.batches import parse_batch  # the one parse_batch, re-exported
from lgresearch.listed import codes, files, industries, mapping, tags, universe  # noqa: F401 (submodules)
from lgresearch.listed.codes import bse_code_map, resolve_codes
from lgresearch.listed.files import (
    BY_CODE_FILE, CANDIDATES_FILE, FIRST_SEEN_FILE, FLAG_COLUMNS, HISTORY_DIR, LLG_DIR, SHENWAN_FILE, SNAPSHOTS,
    SOURCE_LINE, STOCKLIST_2024, STOCKLIST_2025, SW2021_CODES_FILE, Snapshot, normalize_name,
)
from lgresearch.listed.industries import SW2021_START, SW_L1_EN, first_classified, industry_l1, stock_industries
from lgresearch.listed.mapping import load_json_board, read_dated_mapping
from lgresearch.listed.tags import (
    BRACKETS, EM_EARLY, EM_EARLY_DATE, EM_LATE_DATE, LISTED_CACHE_VERSION, listed_little_giants, read_snapshots,
)
from lgresearch.listed.universe import stock_universe
from lgresearch.securities import board_of, code_status, normalize_code  # the code helpers, re-exported

__all__ = [
    "LLG_DIR", "HISTORY_DIR", "CANDIDATES_FILE", "BY_CODE_FILE", "FIRST_SEEN_FILE", "SHENWAN_FILE",
    "SW2021_CODES_FILE", "STOCKLIST_2025", "STOCKLIST_2024", "SOURCE_LINE", "Snapshot", "SNAPSHOTS", "FLAG_COLUMNS",
    "EM_EARLY", "EM_EARLY_DATE", "EM_LATE_DATE", "BRACKETS", "SW_L1_EN", "SW2021_START", "normalize_name",
    "bse_code_map", "resolve_codes", "read_snapshots", "LISTED_CACHE_VERSION", "listed_little_giants",
    "read_dated_mapping", "stock_industries", "industry_l1", "first_classified", "stock_universe", "load_json_board",
    # re-exported: the one parse_batch (lgresearch.clean.batches) and the code helpers (lgresearch.securities)
    "parse_batch", "normalize_code", "code_status", "board_of",
]
