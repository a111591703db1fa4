"""Coverage and survivorship of the returns panel: per stock, and per year and board against known stocks.

Examples
--------
>>> p = pd.DataFrame({"code": ["a", "a"], "date": pd.to_datetime(["2024-01-02", "2024-01-03"]), "ret": [np.nan, 0.01],
...                   "gap": [0, 1], "limit": [0, 0], "source": ["x", "x"], "board": ["Main"] * 2})
>>> coverage_report(p)["n_rows"].tolist()
[2]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lgresearch import listed, paths
from lgresearch.prices.sets import PRICES_SOURCE
from lgresearch.provenance import mark_real
from lgresearch.securities import BOARDS, board_of

__all__ = ["coverage_report", "survivorship_report"]

def coverage_report(panel: pd.DataFrame, calendar: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Per stock: first and last date, sessions spanned, rows, known returns, sessions missing inside the span,
    multi-session returns, limit days and the sets used.

    Parameters
    ----------
    panel : DataFrame
        Returns panel (:func:`load_returns_panel`): ``code, date, ret, gap, limit, source, board``.
    calendar : DatetimeIndex, optional
        Trading sessions (default: :func:`sessions`).

    Returns
    -------
    DataFrame
        One row per stock: first and last date, sessions spanned, rows, known returns, missing sessions inside the
        span, multi-session returns, limit days and the price sets used.

    Examples
    --------
    >>> p = pd.DataFrame({"code": ["a"] * 3, "date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-05"]),
    ...                   "ret": [np.nan, 0.01, 0.02], "gap": [0, 1, 2], "limit": [0, 0, 1],
    ...                   "source": ["x", "x", "y"], "board": ["Main"] * 3})
    >>> cal = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
    >>> coverage_report(p, cal)[["n_rows", "n_span", "n_missing_in_span", "n_multi_session", "sources"]].values.tolist()
    [[3, 4, 1, 1, 'x;y']]
    """
    if calendar is None:
        calendar = pd.DatetimeIndex(np.sort(panel["date"].unique()))
    cal = pd.DatetimeIndex(calendar)
    p = panel.assign(pos=cal.get_indexer(panel["date"]))
    code = p["code"].astype("string")
    g = p.groupby(code, observed=True)
    out = pd.DataFrame({
        "board": g["board"].first().astype("string"),
        "first_date": g["date"].min(), "last_date": g["date"].max(),
        "n_rows": g.size(), "n_ret": g["ret"].count(),
        "n_span": g["pos"].max() - g["pos"].min() + 1,
        "n_multi_session": (p["gap"] > 1).groupby(code, observed=True).sum(),
        "n_limit": (p["limit"] != 0).groupby(code, observed=True).sum(),
    })
    src = p[["source"]].assign(code=code).drop_duplicates()
    out["sources"] = src.groupby("code", observed=True)["source"].agg(lambda s: ";".join(sorted(map(str, s))))
    out["n_missing_in_span"] = out["n_span"] - out["n_rows"]
    out.index.name = "code"
    return mark_real(out.reset_index(), PRICES_SOURCE)


def survivorship_report(panel: pd.DataFrame, *, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Coverage of the price panel per year and board against the stocks known to exist, with reasons for gaps.

    The reference set per year is the union of codes in the Shenwan classification history (every stock ever
    classified, including delisted ones; its first entry date approximates the listing) and the 2024-06 / 2025-11
    stock lists. For each (year, board):

    - ``n_known``: codes whose first Shenwan entry is on or before the year end and which are either still listed
      (in a 2024/2025 list) or have a price in that year or later;
    - ``n_with_prices``: codes with at least one return in the year;
    - ``n_missing_listed_later``: still listed in 2024/2025 but no price that year (the vendor's size filter, or a
      board a set excludes: the survivorship + size filter gap);
    - ``n_delisted_in_shenwan``: codes in Shenwan but in neither stock list (delisted or renamed before 2024-06)
      whose first entry is on or before the year end, and ``n_delisted_with_prices`` of them priced in the year.

    Parameters
    ----------
    panel : DataFrame
        Returns panel (:func:`load_returns_panel`): ``code, date, ret, gap, limit, source, board``.
    years : sequence of int, optional
        Years reported (default: every year of the panel).

    Returns
    -------
    DataFrame
        One row per year and board: ``n_known, n_with_prices, n_missing_listed_later, n_delisted_in_shenwan,
        n_delisted_with_prices``.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> from lgresearch.prices import load_returns_panel
    >>> with datasets.as_external():
    ...     rep = survivorship_report(load_returns_panel())
    >>> {"year", "board", "n_known", "n_with_prices", "coverage"} <= set(rep.columns)
    True
    """
    years = list(years or range(int(panel["date"].dt.year.min()), int(panel["date"].dt.year.max()) + 1))
    first = listed.first_classified()
    uni = listed.stock_universe()
    still = set(uni["code"]) | set(uni.get("source_code", pd.Series(dtype=str)))
    lists_raw = set()
    for parts, col in ((listed.STOCKLIST_2025, "symbol"), (listed.STOCKLIST_2024, "code")):
        if paths.has_external(*parts):
            lists_raw |= set(listed.normalize_code(pd.read_csv(paths.external_path(*parts), dtype=str)[col]).dropna())
    still |= lists_raw
    yr = panel.loc[panel["ret"].notna(), ["code", "date"]].assign(year=lambda d: d["date"].dt.year)
    pairs = yr[["year", "code"]].drop_duplicates()
    priced = pairs.groupby("year")["code"].agg(lambda s: set(map(str, s)))
    last_priced_year = yr.groupby("code", observed=True)["year"].max()
    last_priced_year.index = last_priced_year.index.astype(str)
    codes = pd.Index(sorted(set(first.index) | still))
    boards = board_of(pd.Series(codes, index=codes))
    rows = []
    for y in years:
        end = pd.Timestamp(f"{y}-12-31")
        p_y = priced.get(y, set())
        listed_by = set(first.index[first <= end]) | {c for c in still if c not in first.index and c in p_y}
        for b in BOARDS:
            in_b = set(boards.index[boards == b])
            alive = {c for c in listed_by & in_b if c in still or last_priced_year.get(c, 0) >= y}
            with_p = p_y & in_b
            delisted = {c for c in listed_by & in_b if c not in still}
            rows.append({
                "year": y, "board": b, "n_known": len(alive), "n_with_prices": len(with_p & alive),
                "n_missing_listed_later": len((alive & still) - with_p),
                "n_delisted_in_shenwan": len(delisted), "n_delisted_with_prices": len(delisted & with_p),
            })
    out = pd.DataFrame(rows)
    out["coverage"] = out["n_with_prices"] / out["n_known"].where(out["n_known"] > 0)
    return mark_real(out, PRICES_SOURCE + "; reference: Shenwan history and 2024/2025 stock lists")
