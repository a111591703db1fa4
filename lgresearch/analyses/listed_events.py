"""Listed-firm designation events: the analysis behind notebook 05 (attributes of listed firms at a date).

Combines the returns panel and the listed-firm panels (board from the code, point-in-time Shenwan industry, float
market cap) with the event-study estimators of :mod:`lgresearch.events`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lgresearch.events.study import _firm_attributes

__all__ = ["firm_attributes"]


def firm_attributes(codes: Iterable[str], date, *, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matching attributes of stocks at a date: board (from the code), Shenwan level-1 industry (point in time)
    and log float market cap (:func:`lgresearch.prices.size_at`).

    Moved here from ``lgresearch.events`` in release 1.0 (``events.firm_attributes`` still works for one release,
    with a ``FutureWarning``).

    Parameters
    ----------
    codes : iterable of str
        Six-digit stock codes.
    date : date-like
        The date at which attributes are measured (point in time).
    panel : DataFrame, optional
        Returns panel with ``code, date`` and size columns; default: the cached returns panel.

    Returns
    -------
    DataFrame
        ``code, board, sw_l1_code, sw_l1_en, log_size, size_source`` (missing values where unknown).

    Examples
    --------
    >>> firm_attributes(["300557"], "2024-08-01").columns.tolist()        # doctest: +SKIP
    ['code', 'board', 'sw_l1_code', 'sw_l1_en', 'log_size', 'size_source']
    """
    return _firm_attributes(codes, date, panel=panel)
