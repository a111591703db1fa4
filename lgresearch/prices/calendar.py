"""The trading calendar of the data: sessions with prices, checked against the Shanghai exchange (XSHG).

The trading calendar is taken from the data (sessions with prices) and checked against the Shanghai exchange
calendar of ``exchange_calendars`` (XSHG, used as the proxy for all mainland boards: the package has no XSHE or
BSE calendar; :func:`lgresearch.securities.xshg_sessions`, re-exported here). Rows dated on a non-session (e.g.
109 rows on the 2017-05-30 Dragon Boat holiday) are dropped and counted.

Examples
--------
>>> len(xshg_sessions("2024-01-01", "2024-01-31"))
22
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.securities import xshg_sessions

__all__ = ["MIN_STOCKS_PER_SESSION", "xshg_sessions", "calendar_from_counts"]

#: A date is a session of the data calendar when at least this many stocks trade on it.
MIN_STOCKS_PER_SESSION = 100


def calendar_from_counts(counts: pd.Series, *, min_stocks: int = MIN_STOCKS_PER_SESSION) -> pd.DataFrame:
    """Build the trading calendar from per-date stock counts and check it against XSHG.

    Parameters
    ----------
    counts : Series
        Number of stocks with a price per date (index = dates).
    min_stocks : int
        A date with fewer stocks (or fewer than half the median daily count, whichever is smaller) is not a
        session of the data calendar.

    Returns
    -------
    DataFrame with ``date, n_stocks, in_xshg, session`` (``session``: kept in the calendar) for every date seen,
    plus rows (``n_stocks == 0``) for XSHG sessions inside the data range that have no prices at all.
    ``attrs["check"]`` summarises the mismatches.

    Examples
    --------
    >>> c = pd.Series([3000, 109, 3100], index=pd.to_datetime(["2017-05-26", "2017-05-30", "2017-05-31"]))
    >>> cal = calendar_from_counts(c)
    >>> cal.loc[cal["session"], "date"].dt.strftime("%m-%d").tolist(), cal.attrs["check"]["not_xshg"]
    (['05-26', '05-31'], ['2017-05-30'])
    """
    counts = counts.sort_index()
    idx = pd.DatetimeIndex(counts.index).astype("datetime64[ns]")
    xs = xshg_sessions(idx.min(), idx.max()) if len(idx) else pd.DatetimeIndex([])
    horizon_ok = len(xs) > 0
    in_x = idx.isin(xs) if horizon_ok else np.ones(len(idx), dtype=bool)
    df = pd.DataFrame({"date": idx, "n_stocks": counts.to_numpy(dtype=int), "in_xshg": in_x})
    # small fixtures: never ask for more than half the median daily count
    threshold = min(min_stocks, max(1.0, 0.5 * float(np.median(df["n_stocks"])))) if len(df) else min_stocks
    df["session"] = df["in_xshg"] & (df["n_stocks"] >= threshold)
    missing = xs.difference(idx) if horizon_ok else pd.DatetimeIndex([])
    if len(missing):
        df = pd.concat([df, pd.DataFrame({"date": missing, "n_stocks": 0, "in_xshg": True, "session": False})],
                       ignore_index=True).sort_values("date", ignore_index=True)
    df.attrs["check"] = {
        "n_dates": int(len(idx)),
        "n_sessions": int(df["session"].sum()),
        "not_xshg": [d.strftime("%Y-%m-%d") for d in df.loc[~df["in_xshg"], "date"]],
        "thin": [d.strftime("%Y-%m-%d") for d in df.loc[df["in_xshg"] & (df["n_stocks"] < threshold)
                                                          & (df["n_stocks"] > 0), "date"]],
        "xshg_without_prices": [d.strftime("%Y-%m-%d") for d in missing],
        "xshg_checked": bool(horizon_ok),
    }
    return df
