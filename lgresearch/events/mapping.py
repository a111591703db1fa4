"""Event studies from a user's dated mapping (code -> batch or designation date)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lgresearch import securities
from lgresearch.errors import EventStudyError
from lgresearch.events.matched import combine_results
from lgresearch.events.study import MatchedStudy, matched_event_study


def mapping_events(mapping: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """Events from a dated mapping (``code, batch, designation_date``): the firm's own date when given, else its
    batch's publicity start (or announcement) date from the official table; ``date_source`` says which.

    Parameters
    ----------
    mapping : DataFrame
        A user's dated mapping with ``code``, ``batch`` and optionally ``designation_date``.
    batches : DataFrame
        Official batch facts (:func:`lgresearch.official.batches`) giving each batch's announcement date.

    Returns
    -------
    DataFrame
        One row per firm: the mapping's columns with ``event_date`` (the firm's own date when given, else its
        batch's date), ``date_source`` and ``event_id``.

    Examples
    --------
    >>> m = pd.DataFrame({"code": ["a", "b"], "batch": [5, 3],
    ...                   "designation_date": pd.to_datetime(["2023-07-20", None])})
    >>> b = pd.DataFrame({"batch": [3, 5], "publicity_start": pd.to_datetime(["2021-07-19", "2023-07-14"]),
    ...                   "announcement_date": pd.to_datetime([None, None])})
    >>> out = mapping_events(m, b)
    >>> out["event_date"].dt.strftime("%Y-%m-%d").tolist(), out["date_source"].tolist()
    (['2023-07-20', '2021-07-19'], ['mapping', 'batch publicity_start'])
    """
    b = batches.set_index("batch")
    out = mapping[["code", "batch", "designation_date"]].copy()
    out["event_date"] = pd.to_datetime(out["designation_date"])
    out["date_source"] = np.where(out["event_date"].notna(), "mapping", None)  # type: ignore[call-overload]
    for kind in ("publicity_start", "announcement_date"):
        need = out["event_date"].isna() & out["batch"].notna()
        if kind not in b.columns or not need.any():
            continue
        fill = out.loc[need, "batch"].astype(int).map(b[kind])
        got = fill.notna()
        idx = fill.index[got]
        out.loc[idx, "event_date"] = fill[got].to_numpy()
        out.loc[idx, "date_source"] = f"batch {kind}"
    missing = out["event_date"].isna()
    out.loc[missing, "date_source"] = "no date for the batch"
    out["event_id"] = out["code"].astype(str) + "|" + out["event_date"].dt.strftime("%Y-%m-%d").fillna("NA")
    return out.drop(columns="designation_date")


def mapping_study(mapping: pd.DataFrame, batches: pd.DataFrame, *, returns: pd.DataFrame,
                  market: pd.Series | pd.DataFrame, pool_codes: Iterable[str], attributes_at=None, k: int = 3,
                  event_window: tuple[int, int] = (-5, 20), estimation_window: tuple[int, int] = (-250, -30),
                  min_estimation_obs: int | None = None) -> MatchedStudy:
    """Matched event study of every firm in a user's dated mapping: one :func:`matched_event_study` per
    distinct event date (a loop over dates, not firms), combined into one :class:`MatchedStudy`.

    ``attributes_at`` is an optional callable ``(codes, date) -> attributes frame`` (default
    :func:`firm_attributes`). The ``batch`` and ``board`` columns are carried for ``test_car(by=...)``.

    Parameters
    ----------
    mapping : DataFrame
        A user's dated mapping (see :func:`mapping_events`).
    batches : DataFrame
        Official batch facts with announcement dates.
    returns : DataFrame
        Long returns panel ``code, date, ret``.
    market : Series or DataFrame
        Market returns indexed by session (the trading calendar).
    pool_codes : iterable of str
        Candidate control stocks (mapping firms are excluded per date).
    attributes_at : callable, optional
        ``attributes_at(codes, date) -> DataFrame`` of matching attributes; default :func:`firm_attributes`.
    k : int
        Controls per treated firm.
    event_window, estimation_window : (int, int)
        Windows in trading days relative to the event session.
    min_estimation_obs : int, optional
        Minimum usable estimation returns per event.

    Returns
    -------
    MatchedStudy
        Treated, control and difference results stacked over dates (with ``batch`` and ``board`` columns), the
        matched pairs, the unmatched firms and per-date information.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=60, n_days=400, effect=0.03, n_event_dates=2, seed=14)
    >>> codes = sim.events["code"].tolist()
    >>> m = pd.DataFrame({"code": codes[:20], "batch": [1] * 20, "designation_date": sim.events["event_date"][:20]})
    >>> attrs = lambda c, d: pd.DataFrame({"code": list(c), "board": "Main", "sw_l1_code": 1, "log_size": 1.0})
    >>> st = mapping_study(m, pd.DataFrame({"batch": [1]}), returns=sim.returns, market=sim.market,
    ...                    pool_codes=codes[20:], attributes_at=attrs, event_window=(-2, 2))
    >>> int((st.difference["status"] == "ok").sum())
    20
    """
    evs = mapping_events(mapping, batches)
    batch_of = dict(zip(evs["code"], evs["batch"], strict=False))
    studies = []
    for date, grp in evs.dropna(subset=["event_date"]).groupby("event_date", sort=True):
        pool = list(pool_codes)
        attrs = attributes_at(list(grp["code"]) + pool, date) if attributes_at is not None else None
        studies.append(matched_event_study(grp["code"], date, returns=returns, market=market, pool_codes=pool,
                                           attributes=attrs, k=k, event_window=event_window,
                                           estimation_window=estimation_window, min_estimation_obs=min_estimation_obs,
                                           label=f"user mapping {pd.Timestamp(date).date()}"))
    treated, diffs = [st.treated for st in studies], [st.difference for st in studies]
    controls = [st.controls for st in studies if len(st.controls)]
    pairs, unmatched = [st.pairs for st in studies], [st.unmatched for st in studies]
    infos = [st.info for st in studies]
    if not treated:
        raise EventStudyError("the mapping has no event dates")
    t_all = combine_results(treated)
    d_all = combine_results(diffs)
    c_all = combine_results(controls) if controls else t_all.iloc[0:0]
    for frame in (t_all, d_all):
        frame["batch"] = frame["code"].map(batch_of).astype("Int64")
        frame["board"] = securities.board_of(frame["code"].astype(str)).to_numpy()
    info = {"dates": len(infos), "n_treated": int(sum(i["n_treated"] for i in infos)),
            "n_treated_ok": int(sum(i["n_treated_ok"] for i in infos)),
            "n_matched": int(sum(i.get("n_matched", 0) for i in infos)), "per_date": infos,
            "label": "user dated mapping"}
    return MatchedStudy(t_all, c_all, d_all, pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(),
                        pd.DataFrame(), pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame(),
                        info)


__all__ = ["mapping_events", "mapping_study"]
