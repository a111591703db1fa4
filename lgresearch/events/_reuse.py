"""Work reused across matched event studies of one returns panel (private).

A notebook runs many :func:`~lgresearch.events.matched_event_study` calls on one returns panel, often at the same
date (the tagged firms, a robustness market, the pooled set). Abnormal returns of a stock at a date do not depend on
which other stocks are in the call, and neither do its matching attributes, so both are computed once per (panel,
date, market, windows) for every stock asked for so far and the studies take their rows from there: the treated
firms, the control pool and the matched controls no longer recompute them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.events.base import OK, EventPaths
from lgresearch.events.engine import abnormal_returns

_CACHE: dict = {}
#: Per-event arrays of :class:`EventPaths` (the others are shared by every event of a result).
_PER_EVENT = ("ar", "ret", "er", "k", "Z", "Ainv", "s2", "df", "sar_est", "sar_ev", "est_start", "ev_pos", "ok")


def _returns_token(returns: pd.DataFrame) -> tuple:
    """The frame and the storage of its columns (held, so their ids cannot be reused while cached)."""
    cols = tuple(returns[c].array if not isinstance(returns[c].dtype, np.dtype) else  # categorical, strings
                 (lambda v: v if v.base is None else v.base)(returns[c].to_numpy())
                 for c in ("code", "date", "ret", "gap") if c in returns.columns)
    return (id(returns), *map(id, cols)), (returns, cols)


def memo(kind: str, returns: pd.DataFrame, key: tuple, compute):
    """Value of ``compute()`` reused while the same returns frame (same column storage) and key come back.

    Examples
    --------
    >>> r = pd.DataFrame({"code": ["a"], "date": pd.to_datetime(["2024-01-02"]), "ret": [0.01]})
    >>> memo("demo", r, (1,), lambda: 41), memo("demo", r, (1,), lambda: 0)
    (41, 41)
    """
    ids, held = _returns_token(returns)
    full = (kind, ids, *key)
    hit = _CACHE.get(full)
    if hit is not None and hit[0][0] is held[0] and all(a is b for a, b in zip(hit[0][1], held[1], strict=True)):
        return hit[1]
    if len(_CACHE) >= 64:
        _CACHE.clear()
    val = compute()
    _CACHE[full] = (held, val)
    return val


def _stack(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Two results of :func:`abnormal_returns` with the same windows, one under the other."""
    pa, pb = a.attrs["event_paths"], b.attrs["event_paths"]
    out = pd.concat([a, b], ignore_index=True)
    out.attrs = {k: v for k, v in a.attrs.items() if k != "event_paths"}
    out.attrs["returns_off_calendar"] = a.attrs.get("returns_off_calendar", 0) + b.attrs.get("returns_off_calendar", 0)
    arrays = {name: np.concatenate([getattr(pa, name), getattr(pb, name)], axis=0) for name in _PER_EVENT}
    out.attrs["event_paths"] = EventPaths(event_ids=np.concatenate([pa.event_ids, pb.event_ids]),
                                          rel_days=pa.rel_days, est_days=pa.est_days, n_est_days=pa.n_est_days,
                                          model=pa.model, **arrays)
    return out


def code_results(returns: pd.DataFrame, codes: list[str], date: pd.Timestamp, kw: dict) -> tuple[pd.DataFrame, dict]:
    """Abnormal returns of every code asked for so far at ``date`` (event id = the code as given) and each code's
    row; codes not seen before are computed in one call and stacked under the others.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=4, n_days=300, seed=1)
    >>> codes, d0 = sim.events["code"].tolist(), sim.events["event_date"].iloc[0]
    >>> kw = dict(market=sim.market, model="market", estimation_window=(-200, -10), event_window=(0, 1),
    ...           min_estimation_obs=50)
    >>> frame, pos = code_results(sim.returns, codes[:2], d0, kw)
    >>> frame, pos = code_results(sim.returns, codes[1:], d0, kw)  # only codes[2:] are computed here
    >>> [pos[c] for c in codes]
    [0, 1, 2, 3]
    """
    market = kw["market"]
    key = (id(market), date, kw["model"], tuple(kw["estimation_window"]), tuple(kw["event_window"]),
           kw["min_estimation_obs"])
    entry = memo("codes", returns, key, lambda: {"market": market, "frame": None, "pos": {}})
    if entry["market"] is not market:  # the id of a market series that was freed: start afresh
        entry.update(market=market, frame=None, pos={})
    missing = [c for c in dict.fromkeys(codes) if c not in entry["pos"]]
    if missing:
        pev = pd.DataFrame({"event_id": missing, "code": missing, "event_date": date})
        new = abnormal_returns(returns, pev, **kw).as_frame()
        entry["frame"] = new if entry["frame"] is None else _stack(entry["frame"], new)
        entry["pos"] = {c: i for i, c in enumerate(entry["frame"]["event_id"].tolist())}
    return entry["frame"], entry["pos"]


def take(frame: pd.DataFrame, rows: np.ndarray | list[int], event_ids, carry: dict) -> pd.DataFrame:
    """The result :func:`abnormal_returns` gives for events at ``rows`` of ``frame`` under new ``event_ids``,
    with the ``carry`` columns (the events' other columns) in their place.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=3, n_days=300, seed=2)
    >>> codes, d0 = sim.events["code"].tolist(), sim.events["event_date"].iloc[0]
    >>> kw = dict(market=sim.market, model="market", estimation_window=(-200, -10), event_window=(0, 1),
    ...           min_estimation_obs=50)
    >>> frame, pos = code_results(sim.returns, codes, d0, kw)
    >>> out = take(frame, [pos[codes[2]]], ["study|" + codes[2]], {"design": ["demo"]})
    >>> out[["event_id", "design"]].values.tolist()
    [['study|...', 'demo']]
    """
    rows = np.asarray(rows, dtype=np.int64)
    out = pd.DataFrame({"event_id": np.asarray(event_ids, dtype=object)})
    cols = [c for c in frame.columns if c != "event_id"]
    first = cols.index("market")
    for col in cols[:first]:
        out[col] = frame[col].to_numpy()[rows]
    for col, values in carry.items():
        out[col] = np.asarray(values)
    for col in cols[first:]:
        out[col] = frame[col].to_numpy()[rows]
    P = frame.attrs["event_paths"]
    out.attrs = {k: v for k, v in frame.attrs.items() if k != "event_paths"}
    ok = out["status"] == OK
    out.attrs["exclusions"] = {str(k): int(v) for k, v in out.loc[~ok, "status"].value_counts().items()}
    out.attrs["rolled"] = int(out["rolled"].sum())
    arrays = {name: getattr(P, name)[rows] for name in _PER_EVENT}
    out.attrs["event_paths"] = EventPaths(event_ids=np.asarray(event_ids, dtype=object), rel_days=P.rel_days,
                                          est_days=P.est_days, n_est_days=P.n_est_days, model=P.model, **arrays)
    return out


def attributes_at(returns: pd.DataFrame, codes: list[str], date: pd.Timestamp, compute) -> pd.DataFrame:
    """Matching attributes (``compute(codes, date, panel=returns)``, one row per code) of every code asked for so
    far at ``date``; codes not seen before are computed in one call.

    Examples
    --------
    >>> r = pd.DataFrame({"code": ["a"], "date": pd.to_datetime(["2024-01-02"]), "ret": [0.01]})
    >>> calls = []
    >>> def compute(codes, date, *, panel):
    ...     calls.append(list(codes))
    ...     return pd.DataFrame({"code": list(codes), "x": 1.0})
    >>> d = pd.Timestamp("2024-01-02")
    >>> len(attributes_at(r, ["a", "b"], d, compute)), len(attributes_at(r, ["b", "c"], d, compute)), calls
    (2, 3, [['a', 'b'], ['c']])
    """
    entry = memo("attrs", returns, (date,), lambda: {"frame": None, "codes": set()})
    missing = [c for c in dict.fromkeys(codes) if c not in entry["codes"]]
    if missing or entry["frame"] is None:
        new = compute(missing, date, panel=returns)
        entry["frame"] = new if entry["frame"] is None else pd.concat([entry["frame"], new], ignore_index=True)
        entry["codes"] |= set(missing)
    return entry["frame"]
