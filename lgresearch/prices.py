"""A-share prices: readers, a returns panel spliced on returns, the trading calendar, limits, size and coverage.

The third-party price sets (see ``PROVENANCE-deals-prices.md`` beside the data) differ in adjustment base (raw,
前复权 with bases 2025-08 / 2025-09 / 2025-11 / 2024-06) and in coverage. Price *levels* are therefore never
compared across sets: each set's returns are computed within the set (close over its own previous close), and the
panel picks, for every (code, session), one set's return (single-session returns first, then the set priority
:data:`PRICE_SETS`). Suspensions are not filled: the return after a gap spans several sessions and says so in
``gap``. Limit-up/down days are flagged in ``limit``.

Examples
--------
>>> board_of(["600519", "300750", "688981", "920475", "002594", "830799"]).tolist()
['Main', 'ChiNext', 'STAR', 'BSE', 'Main', 'BSE/NEEQ']
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Board names (English) used across the package.
BOARDS = ("Main", "ChiNext", "STAR", "BSE")


def board_of(codes: Iterable[str] | pd.Series) -> pd.Series:
    """Return the board of each 6-digit A-share code from its prefix.

    ``60``/``000``-``003`` -> Main (the SZSE SME board, ``002``, merged into Main in 2021), ``300``-``302`` ->
    ChiNext, ``688``/``689`` -> STAR, ``920`` -> BSE. Old NEEQ-style codes (``4xxxxx``/``8xxxxx``) give
    ``"BSE/NEEQ"``: the code alone cannot tell a BSE listing from a NEEQ quotation. Anything else is ``<NA>``.

    Parameters
    ----------
    codes : iterable of str
        Stock codes (6 digits; a suffix such as ``.SZ`` is ignored).

    Returns
    -------
    Series of str (``<NA>`` for unknown prefixes), aligned with ``codes``.

    Examples
    --------
    >>> board_of(pd.Series(["000001.SZ", "301556", "123456"])).tolist()
    ['Main', 'ChiNext', nan]
    """
    s = pd.Series(codes, dtype="string") if not isinstance(codes, pd.Series) else codes.astype("string")
    c = s.str.strip().str.slice(0, 6)
    out = pd.Series(pd.NA, index=s.index, dtype="object")
    rules = [
        (c.str.match(r"^(60[0-5]|00[0-3])\d{3}$"), "Main"),
        (c.str.match(r"^30[0-2]\d{3}$"), "ChiNext"),
        (c.str.match(r"^68[89]\d{3}$"), "STAR"),
        (c.str.match(r"^920\d{3}$"), "BSE"),
        (c.str.match(r"^(4[0-9]|8[0-9])\d{4}$"), "BSE/NEEQ"),
    ]
    for mask, name in rules:
        out[mask.fillna(False).to_numpy(dtype=bool)] = name
    return out.astype("str").where(out.notna(), np.nan)
