"""Index series and market returns: index closes read with checks, and equal-weighted returns of the panel.

Examples
--------
>>> sorted(INDICES)[:3]
['chinext', 'csi1000', 'csi1000_tr']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch._compat import renamed_kwargs
from lgresearch.ledger import InputError, Ledger
from lgresearch.provenance import mark_real
from lgresearch.securities import xshg_sessions

__all__ = ["INDEX_MAX_MOVE", "INDICES", "INDEX_SOURCE", "read_index", "index_from_file", "market_returns",
           "equal_weighted_market"]

#: Largest plausible single-session move of an index: no A-share index can move more than its constituents'
#: largest daily limit (20% on ChiNext and STAR), plus one percentage point.
INDEX_MAX_MOVE = 0.21

#: Index series: name -> (path parts, what it is). ``*_tr`` are total-return indices.
INDICES: dict[str, tuple[tuple[str, ...], str]] = {
    "csi300": (("LiuZesensengsheng__gupiao", "data", "000300.SH.csv"), "CSI 300 (price)"),
    "chinext": (("LiuZesensengsheng__gupiao", "data", "399006.SZ.csv"), "ChiNext Index (price)"),
    "szse_component": (("LiuZesensengsheng__gupiao", "data", "399001.SZ.csv"), "SZSE Component (price)"),
    "sse_composite": (("LiuZesensengsheng__gupiao", "data", "000001.SH.csv"), "SSE Composite (price)"),
    "csi500": (("hriszc__zechenhehuo", "data", "sh000905.csv"), "CSI 500 (price)"),
    "csi1000": (("hriszc__zechenhehuo", "data", "sh000852.csv"), "CSI 1000 (price)"),
    "csi300_tr": (("hriszc__zechenhehuo", "data", "h00300.csv"), "CSI 300 total return"),
    "csi500_tr": (("hriszc__zechenhehuo", "data", "h00905.csv"), "CSI 500 total return"),
    "csi1000_tr": (("hriszc__zechenhehuo", "data", "h00852.csv"), "CSI 1000 total return"),
}
INDEX_SOURCE = "index closes from LiuZesensengsheng/gupiao and hriszc/zechenhehuo (baostock, csindex)"


@overload
def read_index(name: str, *, return_ledger: Literal[False] = ...) -> pd.DataFrame: ...
@overload
def read_index(name: str, *, return_ledger: Literal[True]) -> tuple[pd.DataFrame, Ledger]: ...
@overload
def read_index(name: str, *, return_ledger: bool) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]: ...
@renamed_kwargs(with_ledger="return_ledger")
def read_index(name: str, *, return_ledger: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read an index series: ``date, close, ret`` (simple daily return; NaN on the first row).

    Nothing implausible is accepted: a date that is not a trading session (a weekend, or a day XSHG was closed
    inside the calendar's horizon) is dropped, and a single-session move beyond :data:`INDEX_MAX_MOVE` is
    flagged and set missing: when the close jumps and comes back (104 → 10300 → 105) the close itself is set
    missing (both returns become NaN), otherwise the return alone. Every such row is in the ledger.

    Parameters
    ----------
    name : str
        A key of :data:`INDICES` (e.g. ``"csi1000_tr"``, ``"csi300"``, ``"chinext"``).
    return_ledger : bool
        Also return the :class:`~lgresearch.ledger.Ledger` (one outcome per file row, reconciled).

    Returns
    -------
    DataFrame, or (DataFrame, Ledger)

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When the index file is absent.
    InputError
        A missing ``date``/``close`` column, a date that is not a date, a duplicated date or a non-positive close
        (naming the file, row and column).

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     idx = read_index("csi300")
    >>> idx.columns.tolist(), bool(idx["ret"].iloc[1:].notna().all())
    (['date', 'close', 'ret'], True)
    """
    if name not in INDICES:
        raise KeyError(f"unknown index {name!r}; choose from {sorted(INDICES)}")
    parts, what = INDICES[name]
    path = paths.external_path(*parts, must_exist=True)
    df, led = index_from_file(path)
    df = mark_real(df, f"{what}: {'/'.join(parts)} ({INDEX_SOURCE})")
    return (df, led) if return_ledger else df


def _index_raw(path: Path) -> pd.DataFrame:
    """Dates and closes of an index csv, with file rows; errors name the file, row and column."""
    head = pd.read_csv(path, nrows=0).columns
    for col in ("date", "close"):
        if col not in head:
            raise InputError(path.name, 1, col, f"column missing (the file has {list(head)}); an index file needs "
                                                "'date' and 'close'")
    raw = pd.read_csv(path, usecols=["date", "close"], dtype={"date": str})
    date = pd.to_datetime(raw["date"], errors="coerce", format="mixed")
    if date.isna().any():
        i = int(np.flatnonzero(date.isna().to_numpy())[0])
        raise InputError(path.name, i + 2, "date", f"not a date: {raw['date'].iloc[i]!r}")
    close = pd.to_numeric(raw["close"], errors="coerce")
    if (close.isna() | (close <= 0)).any():
        i = int(np.flatnonzero((close.isna() | (close <= 0)).to_numpy())[0])
        raise InputError(path.name, i + 2, "close", f"non-positive or missing close {raw['close'].iloc[i]!r}")
    df = pd.DataFrame({"date": date.astype("datetime64[ns]"), "close": close.astype(float),
                       "row": np.arange(2, len(raw) + 2)})
    if df["date"].duplicated().any():
        i = int(np.flatnonzero(df["date"].duplicated().to_numpy())[0])
        raise InputError(path.name, i + 2, "date", f"duplicated date {df['date'].iloc[i].date()}")
    return df.sort_values("date", ignore_index=True)


def index_from_file(path: str | Path) -> tuple[pd.DataFrame, Ledger]:
    """Read an index csv (columns ``date``, ``close``) with the checks of :func:`read_index`.

    Parameters
    ----------
    path : str or Path
        A csv with at least ``date`` and ``close`` columns.

    Returns
    -------
    (DataFrame with ``date, close, ret``, Ledger)

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "idx.csv")
    >>> _ = open(p, "w").write("date,close\\n2024-01-05,104\\n2024-01-06,104.5\\n2024-01-08,10300\\n2024-01-09,105\\n")
    >>> df, led = index_from_file(p)
    >>> df["date"].dt.strftime("%m-%d").tolist(), df["ret"].isna().tolist()
    (['01-05', '01-08', '01-09'], [True, True, True])
    >>> led.frame()["reason"].tolist()[1]
    'close jumps and reverts beyond the daily limit (close set missing)'
    """
    path = Path(path)
    df = _index_raw(path)
    led = Ledger()
    xs = xshg_sessions(df["date"].min(), df["date"].max()) if len(df) else pd.DatetimeIndex([])
    weekend = df["date"].dt.day_of_week.to_numpy() >= 5
    in_horizon = (df["date"] >= xs.min()).to_numpy() & (df["date"] <= xs.max()).to_numpy() if len(xs) else \
        np.zeros(len(df), dtype=bool)
    off = weekend | (in_horizon & ~df["date"].isin(xs).to_numpy())
    led.add(path.name, df.loc[off, "row"], "dropped", reason="date is not a trading session (weekend or XSHG holiday)",
            detail=df.loc[off, "date"].dt.strftime("%Y-%m-%d").tolist())
    df = df.loc[~off].reset_index(drop=True)
    # sessions spanned by each return: a return over missing sessions is not a daily move
    pos = np.searchsorted(xs, df["date"]) if len(xs) else np.arange(len(df))
    gap = np.diff(pos, prepend=-1)
    ret = df["close"].pct_change().to_numpy()
    beyond = (gap == 1) & (np.abs(ret) > INDEX_MAX_MOVE)
    nxt = np.zeros(len(df), dtype=bool)
    nxt[:-1] = beyond[1:] & (np.sign(ret[1:]) != np.sign(ret[:-1]))
    spike = beyond & nxt
    close = df["close"].to_numpy().copy()
    close[spike] = np.nan
    led.add(path.name, df.loc[spike, "row"], "flagged",
            reason="close jumps and reverts beyond the daily limit (close set missing)",
            detail=[f"{d:%Y-%m-%d} ret {r:+.0%}" for d, r in zip(df.loc[spike, "date"], ret[spike], strict=True)])
    jump = beyond & ~spike & ~np.roll(spike, 1)
    led.add(path.name, df.loc[jump, "row"], "flagged",
            reason="single-session move beyond the daily limit (set missing)",
            detail=[f"{d:%Y-%m-%d} ret {r:+.0%}" for d, r in zip(df.loc[jump, "date"], ret[jump], strict=True)])
    out = pd.DataFrame({"date": df["date"], "close": close})
    out["ret"] = out["close"] / out["close"].shift(1) - 1.0
    out.loc[jump, "ret"] = np.nan
    led.add(path.name, df["row"], "kept")
    led.reconcile({path.name: len(off)})
    return out, led


def market_returns(names: str | Sequence[str] = ("csi1000_tr", "csi300_tr", "chinext"), *,
                   calendar: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Return a wide frame of index returns (index = date, one column per index name).

    With ``calendar`` (e.g. :func:`sessions`), closes are aligned on those sessions (inside each index's own date
    range) and returns computed session to session: a session missing from an index file leaves that session's
    and the next session's return NaN (counted in ``attrs["missing_sessions"]``); index dates that are not
    sessions are counted in ``attrs["non_sessions"]`` and ignored.

    Parameters
    ----------
    names : str or sequence of str
        A key of :data:`INDICES` or several.
    calendar : DatetimeIndex, optional
        Trading sessions to align the closes on (e.g. :func:`sessions`).

    Returns
    -------
    DataFrame
        Index = date, one column of simple returns per index; ``attrs`` counts missing sessions and non-session
        dates.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     m = market_returns(["csi300", "chinext"])
    >>> with datasets.as_external():
    ...     one = market_returns("csi300")
    >>> one.columns.tolist()
    ['csi300']
    >>> m.columns.tolist(), m.index.name
    (['csi300', 'chinext'], 'date')
    """
    cols, missing, non_sessions = {}, {}, {}
    cal = None if calendar is None else pd.DatetimeIndex(calendar).astype("datetime64[ns]")
    if isinstance(names, str):  # one index name, not its characters
        names = [names]
    for n in names:
        idx = read_index(n).set_index("date")
        if cal is None:
            cols[n] = idx["ret"]
            continue
        inside = cal[(cal >= idx.index.min()) & (cal <= idx.index.max())]
        in_range = idx.index[(idx.index >= cal.min()) & (idx.index <= cal.max())]
        non_sessions[n] = int((~in_range.isin(cal)).sum())
        close = idx["close"].reindex(inside)
        missing[n] = int(close.isna().sum())
        cols[n] = (close / close.shift(1) - 1.0).reindex(cal)
    out = pd.DataFrame(cols).sort_index()
    out.index.name = "date"
    if cal is not None:
        out.attrs["missing_sessions"] = missing
        out.attrs["non_sessions"] = non_sessions
    return mark_real(out, INDEX_SOURCE)




def equal_weighted_market(panel: pd.DataFrame, *, by: str | None = None, exclude_limit: bool = False
                          ) -> pd.DataFrame:
    """Equal-weighted average of single-session returns per date (optionally per ``by`` group, e.g. board).

    Returns a wide frame (index = date; one column ``"ew"`` or one per group).

    Parameters
    ----------
    panel : DataFrame
        Returns panel (:func:`load_returns_panel`): ``code, date, ret, gap, limit, source, board``.
    by : str, optional
        Column to average within (e.g. ``"board"``): one column per group.
    exclude_limit : bool
        Leave out returns that hit the daily price limit.

    Returns
    -------
    DataFrame
        Index = date; one column ``"ew"`` (or one per group) of equal-weighted single-session returns.

    Examples
    --------
    >>> p = pd.DataFrame({"code": ["a", "b", "a", "b"], "date": pd.to_datetime(["2024-01-02"] * 2 + ["2024-01-03"] * 2),
    ...                   "ret": [0.01, 0.03, -0.02, np.nan], "gap": [1, 1, 1, 1], "limit": [0, 0, 0, 0]})
    >>> equal_weighted_market(p)["ew"].round(3).tolist()
    [0.02, -0.02]
    """
    ok = (panel["gap"] == 1) & panel["ret"].notna()
    if exclude_limit:
        ok &= panel["limit"] == 0
    sub = panel.loc[ok]
    if by is None:
        out = sub.groupby("date")["ret"].mean().to_frame("ew")
    else:
        out = sub.groupby(["date", by], observed=True)["ret"].mean().unstack(by)
        out.columns = [str(c) for c in out.columns]
    return mark_real(out, "equal-weighted returns of the stocks in the price panel (survivor-biased)")
