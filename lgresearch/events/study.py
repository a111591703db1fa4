"""Designation events for listed firms: batch event dates, control pools and matched event studies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch import listed, prices
from lgresearch.did import match_controls
from lgresearch.errors import EventStudyError
from lgresearch.events import _reuse
from lgresearch.events.base import OK, _block_search, _code_bounds
from lgresearch.events.car_paths import car_path
from lgresearch.events.matched import control_events, matched_difference
from lgresearch.events.tests import test_car
from lgresearch.provenance import is_simulated, mark_real, mark_simulated, source_of

# ---------------------------------------------------------------------------------------------------------------
# Designation events for listed firms: dates from the official batch table, firm attributes, matched studies
# ---------------------------------------------------------------------------------------------------------------

#: Event window (trading days) around a date known to the day.
DAY_WINDOW = (-5, 10)


def batch_event_dates(batches: pd.DataFrame, sessions: pd.DatetimeIndex, *,
                      kinds: Sequence[str] = ("publicity_start", "announcement_date"),
                      day_window: tuple[int, int] = DAY_WINDOW) -> pd.DataFrame:
    """Event dates of each batch (publicity start, final announcement) with the window their precision allows.

    A date known to the day gets ``day_window`` around its session. A date known only to the month (the
    official table stores the first of the month with ``<kind>_precision == "month"``) gets a window from the
    month's first session to its last session (for a publicity start, to the last session of the publicity end's
    month when that is later): the market can only be looked at over the whole month.

    Parameters
    ----------
    batches : DataFrame
        ``lgresearch.official.batches()`` (``batch``, the date columns and ``<kind>_precision`` columns).
    sessions : DatetimeIndex
        Trading sessions (e.g. :func:`lgresearch.prices.sessions`).

    Returns
    -------
    DataFrame ``batch, kind, date, precision, event_session, window_start, window_end, label``; dates outside the
    sessions' range are kept with ``event_session`` NaT.

    Examples
    --------
    >>> b = pd.DataFrame({"batch": [3, 6], "publicity_start": pd.to_datetime(["2021-07-19", "2024-08-01"]),
    ...                   "publicity_end": pd.to_datetime(["2021-07-23", "2024-09-01"]),
    ...                   "publicity_start_precision": ["day", "month"], "publicity_end_precision": ["day", "month"]})
    >>> s = pd.bdate_range("2021-07-01", "2024-10-31")
    >>> d = batch_event_dates(b, s, kinds=["publicity_start"])
    >>> d[["batch", "precision", "window_start", "window_end"]].values.tolist()
    [[3, 'day', -5, 10], [6, 'month', 0, 42]]
    """
    cal = pd.DatetimeIndex(sessions)
    rows = []
    for _, b in batches.iterrows():
        for kind in kinds:
            date = b.get(kind)
            if date is None or pd.isna(date):
                continue
            prec = b.get(f"{kind}_precision")
            prec = "day" if prec is None or pd.isna(prec) else str(prec)
            date = pd.Timestamp(date)
            if prec == "year":
                continue
            p = int(np.searchsorted(cal.to_numpy(), date.to_datetime64()))
            if p >= len(cal) or date < cal[0]:
                rows.append({"batch": int(b["batch"]), "kind": kind, "date": date, "precision": prec,
                             "event_session": pd.NaT, "window_start": np.nan, "window_end": np.nan})
                continue
            if prec == "day":
                w0, w1 = day_window
            else:
                end = date + pd.offsets.MonthEnd(0)
                if kind == "publicity_start" and pd.notna(b.get("publicity_end")):
                    end = max(end, pd.Timestamp(b["publicity_end"]) + pd.offsets.MonthEnd(0))
                last = int(np.searchsorted(cal.to_numpy(), end.to_datetime64(), side="right")) - 1
                w0, w1 = 0, max(0, last - p)
            rows.append({"batch": int(b["batch"]), "kind": kind, "date": date, "precision": prec,
                         "event_session": cal[p], "window_start": w0, "window_end": w1})
    out = pd.DataFrame(rows, columns=["batch", "kind", "date", "precision", "event_session", "window_start",
                                      "window_end"])
    out["window_start"] = out["window_start"].astype("Int64")
    out["window_end"] = out["window_end"].astype("Int64")
    out["label"] = ("batch " + out["batch"].astype(str) + " " + out["kind"].str.replace("_", " ")
                    + " " + out["date"].dt.strftime("%Y-%m-%d").where(out["precision"] == "day",
                                                                      out["date"].dt.strftime("%Y-%m")))
    return out


def _firm_attributes(codes: Iterable[str], date, *, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matching attributes of stocks at a date (the default of :func:`matched_event_study`; the public entry is
    :func:`lgresearch.analyses.listed_events.firm_attributes`, documented there)."""
    codes = pd.Series(pd.unique(pd.Series(list(codes), dtype="string")), dtype="string")
    out = pd.DataFrame({"code": codes, "board": prices.board_of(codes).to_numpy()})
    try:
        ind = listed.stock_industries(as_of=date).set_index("code")
        out["sw_l1_code"] = out["code"].map(ind["sw_l1_code"]).astype("Int64")
        out["sw_l1_en"] = out["code"].map(ind["sw_l1_en"]).astype("string")
    except FileNotFoundError:
        out["sw_l1_code"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["sw_l1_en"] = pd.array([pd.NA] * len(out), dtype="string")
    size = prices.size_at(date, codes, panel=panel).set_index("code")
    out["log_size"] = out["code"].map(size["log_float_mcap"]).astype(float)
    out["size_source"] = out["code"].map(size["size_source"]).astype("string")
    return mark_real(out, "board from code; Shenwan SW2021; float market cap (prices.size_at)")


@dataclass
class MatchedStudy:
    """Output of :func:`matched_event_study`."""

    treated: pd.DataFrame
    controls: pd.DataFrame
    difference: pd.DataFrame
    pairs: pd.DataFrame
    balance: pd.DataFrame
    unmatched: pd.DataFrame
    info: dict


def matched_event_study(
    treated_codes: Iterable[str], event_date, *, returns: pd.DataFrame, market: pd.Series | pd.DataFrame,
    pool_codes: Iterable[str], attributes: pd.DataFrame | None = None, exact: Sequence[str] = ("board", "sw_l1_code"),
    on: Sequence[str] = ("log_size",), k: int = 3, model: str = "market",
    estimation_window: tuple[int, int] = (-250, -30), event_window: tuple[int, int] = (-1, 1),
    min_estimation_obs: int | None = None, label: str = "",
) -> MatchedStudy:
    """Abnormal returns of treated stocks around one date, against matched untagged controls.

    1. Abnormal returns for the treated codes and for every pool code at the same date (one vectorised call; the
       per-code results and attributes at a date are reused by later studies of the same panel and date).
    2. Among treated and pool stocks whose abnormal returns could be computed, each treated stock gets ``k``
       controls with :func:`lgresearch.did.match_controls` (exact on ``exact``, nearest on ``on``, with
       replacement).
    3. Treated-minus-control differences (:func:`matched_difference`).

    Parameters
    ----------
    treated_codes, pool_codes : iterable of str
        Treated stocks and candidate controls (pass untagged stocks; treated codes are removed from the pool).
    event_date : date-like
        Common event date (rolled to the next session if needed).
    returns, market : see :func:`abnormal_returns`.
    attributes : DataFrame, optional
        ``code`` plus the ``exact`` and ``on`` columns; default :func:`firm_attributes` at the event date.
    label : str
        Carried into every result row (``design`` column).

    Returns
    -------
    MatchedStudy
        ``treated``, ``controls`` and ``difference`` results, the matched ``pairs``, the ``balance`` table, the
        ``unmatched`` treated firms and an ``info`` dictionary of counts.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=60, n_days=400, effect=0.03, seed=10)
    >>> d0 = sim.events["event_date"].iloc[0]
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(60.0)})
    >>> st = matched_event_study(codes[:10], d0, returns=sim.returns, market=sim.market, pool_codes=codes[10:],
    ...                          attributes=attrs, k=2, event_window=(0, 0))
    >>> st.info["n_treated_ok"], st.info["n_matched"], len(st.pairs)
    (10, 10, 20)
    """
    date = pd.Timestamp(event_date)
    treated_codes = list(dict.fromkeys(map(str, treated_codes)))
    tset = set(treated_codes)
    pool_all = list(dict.fromkeys(map(str, pool_codes)))
    kw = dict(market=market, model=model, estimation_window=estimation_window, event_window=event_window,
              min_estimation_obs=min_estimation_obs)
    frame, pos = _reuse.code_results(returns, treated_codes + pool_all, date, kw)
    t_ids = [f"{date.date()}|{c}" for c in treated_codes]
    res_t = _reuse.take(frame, [pos[c] for c in treated_codes], t_ids,
                        {"design": np.full(len(t_ids), label, dtype=object)})
    ok_t = res_t.loc[res_t["status"] == OK, ["event_id", "code"]]
    # the usable pool of the whole pool at the date, then treated removed
    p_rows = np.array([pos[c] for c in pool_all], dtype=np.int64)
    all_ok_p = frame["code"].to_numpy()[p_rows[(frame["status"].to_numpy()[p_rows] == OK)]].tolist()
    ok_p = pd.DataFrame({"code": [c for c in all_ok_p if c not in tset]})
    if attributes is None:
        attributes = _reuse.attributes_at(returns, [*ok_t["code"], *all_ok_p], date, _firm_attributes)
    attrs = attributes.drop_duplicates("code").set_index("code")
    cols = list(dict.fromkeys([*exact, *on]))
    tdf, pdf = ok_t.join(attrs[cols], on="code"), ok_p.join(attrs[cols], on="code")
    info = {"label": label, "event_date": str(date.date()), "n_treated": len(treated_codes),
            "n_treated_ok": len(ok_t), "n_pool": len([c for c in pool_all if c not in tset]), "n_pool_ok": len(ok_p),
            "treated_exclusions": res_t.attrs.get("exclusions", {})}
    if len(tdf) == 0 or len(pdf) == 0:
        info.update(n_matched=0)
        return MatchedStudy(res_t, res_t.iloc[0:0], res_t.assign(status="no usable control"), pd.DataFrame(),
                            pd.DataFrame(), tdf, info)
    m = match_controls(tdf.drop(columns="event_id"), pdf, exact=list(exact), on=list(on), k=k, unit_col="code")
    pairs = m.pairs.copy()
    pairs["treated_id"] = pairs["treated_id"].map(dict(zip(ok_t["code"], ok_t["event_id"], strict=True)))
    res_c = _control_results(returns, date, kw, pairs, t_ids)
    info.update(n_matched=int(pairs["treated_id"].nunique()), n_controls_distinct=int(pairs["control_id"].nunique()),
                n_unmatched=len(m.unmatched))
    return MatchedStudy(res_t, res_c, matched_difference(res_t, res_c), pairs, m.balance, m.unmatched, info)


def _control_results(returns: pd.DataFrame, date: pd.Timestamp, kw: dict, pairs: pd.DataFrame,
                     t_ids: list[str]) -> pd.DataFrame:
    """Abnormal returns of the matched controls (:func:`control_events` of the pairs), from the per-code results."""
    tev = pd.DataFrame({"event_id": t_ids, "event_date": date})
    cev = control_events(tev, pairs)
    frame, pos = _reuse.code_results(returns, cev["code"].tolist(), date, kw)
    return _reuse.take(frame, [pos[c] for c in cev["code"]], cev["event_id"].to_numpy(),
                       {"treated_event_id": cev["treated_event_id"].to_numpy(), "weight": cev["weight"].to_numpy()})


def study_paths(study: MatchedStudy, *, kp_adjust: bool = True, level: float = 0.95,
                names: tuple[str, str, str] = ("tagged firms", "matched controls", "tagged minus controls")
                ) -> pd.DataFrame:
    """Average CAR paths of a :class:`MatchedStudy` (treated, controls, difference) in one tidy frame for
    ``plotting.plot_event_study`` (``estimator`` names the series).

    Parameters
    ----------
    study : MatchedStudy
        Output of :func:`matched_event_study` or :func:`mapping_study`.
    kp_adjust : bool
        Inflate standard errors by the Kolari-Pynnönen factor.
    level : float
        Confidence level of the intervals.
    names : (str, str, str)
        Series names for treated, controls and difference.

    Returns
    -------
    DataFrame
        ``event_time, estimate, se, ci_low, ci_high, n, estimator``; ``attrs["ref"] = None``.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=12)
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(40.0)})
    >>> st = matched_event_study(codes[:10], sim.events["event_date"].iloc[0], returns=sim.returns,
    ...                          market=sim.market, pool_codes=codes[10:], attributes=attrs, event_window=(-2, 2))
    >>> sorted(study_paths(st)["estimator"].unique())
    ['matched controls', 'tagged firms', 'tagged minus controls']
    """
    parts = []
    for name, res in zip(names, (study.treated, study.controls, study.difference), strict=True):
        if len(res) and (res["status"] == OK).sum() > 1:
            parts.append(car_path(res, kp_adjust=kp_adjust, level=level).assign(estimator=name))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["event_time", "estimate", "se", "ci_low", "ci_high", "n", "estimator"])
    src = study.treated
    out = mark_simulated(out) if is_simulated(src) else mark_real(out, source_of(src, "abnormal returns"))
    out.attrs["ref"] = None
    return out


def summarize_study(study: MatchedStudy, *, window: tuple[int, int] | None = None,
                    tests: Sequence[str] = ("t", "bmp", "kolari_pynnonen", "sign")) -> pd.DataFrame:
    """One tidy table of tests for the treated CARs, the controls' CARs and the matched differences.

    Parameters
    ----------
    study : MatchedStudy
        Output of :func:`matched_event_study` or :func:`mapping_study`.
    window : (int, int), optional
        Sub-window tested (default: the whole event window).
    tests : sequence of str
        Tests of :func:`test_car`.

    Returns
    -------
    DataFrame
        The :func:`test_car` table for treated, controls and difference, with ``design``, ``event_date`` and
        ``series`` columns.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=13)
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(40.0)})
    >>> st = matched_event_study(codes[:10], sim.events["event_date"].iloc[0], returns=sim.returns,
    ...                          market=sim.market, pool_codes=codes[10:], attributes=attrs)
    >>> summarize_study(st, tests=["t"])["series"].tolist()
    ['tagged', 'controls', 'tagged minus controls']
    """
    parts = []
    for name, res in (("tagged", study.treated), ("controls", study.controls),
                      ("tagged minus controls", study.difference)):
        if len(res) == 0 or (res["status"] == OK).sum() == 0:
            continue
        tab = test_car(res, tests=tests, window=window)
        tab.insert(0, "series", name)
        parts.append(tab)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(out):
        out.insert(0, "design", study.info.get("label", ""))
        out.insert(1, "event_date", study.info.get("event_date", ""))
    return out


def control_pool(returns: pd.DataFrame, event_date, *, exclude: Iterable[str] = (),
                 candidates: Iterable[str] | None = None, lookback: int = 20) -> tuple[list[str], dict]:
    """Candidate controls that existed at the event date: stocks with a return in the ``lookback`` sessions up to
    it (delisted-later stocks included), minus ``exclude``; and how many listed candidates lack prices.

    Parameters
    ----------
    returns : DataFrame
        ``code, date, ret`` (the returns panel).
    event_date : date-like
        The event date.
    exclude : iterable of str
        Codes that cannot be controls (e.g. every tagged firm).
    candidates : iterable of str, optional
        Codes a dated stock list says were trading near the date (e.g. the 2024-06-28 Eastmoney list for a 2024
        event); the accounting counts those without prices at the date.
    lookback : int
        Sessions (distinct dates in ``returns``) up to the event date in which a stock must have a return.

    Returns
    -------
    (pool, accounting)
        ``pool``: sorted codes; ``accounting``: ``n_pool``, ``n_candidates``, ``n_candidates_priced``,
        ``n_candidates_lacking_prices``, ``lacking_examples`` (up to 10 codes) and ``n_excluded``.

    Examples
    --------
    >>> r = pd.DataFrame({"code": ["a", "b", "c", "a"], "date": pd.to_datetime(["2024-01-02"] * 3 + ["2024-01-03"]),
    ...                   "ret": [0.01, np.nan, 0.02, 0.0]})
    >>> pool, acc = control_pool(r, "2024-01-03", exclude=["c"], candidates=["a", "b", "c", "d"])
    >>> pool, acc["n_candidates_lacking_prices"], acc["lacking_examples"]
    (['a'], 2, ['b', 'd'])
    """
    t = pd.Timestamp(event_date)
    dv = returns["date"].to_numpy()
    t_v = np.datetime64(t, "ns").astype(dv.dtype) if np.issubdtype(dv.dtype, np.datetime64) else t
    days = _reuse.memo("sessions", returns, (), lambda: np.sort(pd.unique(dv)))  # once per panel
    days = days[days <= t_v]
    if len(days) == 0:
        raise EventStudyError(f"no returns on or before {t.date()}: the event date is before the panel starts")
    first = days[max(0, len(days) - int(lookback))]
    col = returns["code"]
    blocks = _code_bounds(returns)
    if blocks is not None:  # (code, date)-sorted panel: per code, a priced return in [first, t] (no full pass)
        bounds, _, dvb = blocks
        priced = _reuse.memo("priced", returns, (), lambda: np.concatenate(
            [[0], np.cumsum(returns["ret"].notna().to_numpy(), dtype=np.int64)]))
        s0 = _block_search(dvb, bounds[:-1], bounds[1:], first, side="left")
        s1 = _block_search(dvb, bounds[:-1], bounds[1:], t_v, side="right")
        trading = {str(c) for c in col.cat.categories[np.flatnonzero(priced[s1] - priced[s0] > 0)]}
    elif isinstance(col.dtype, pd.CategoricalDtype):  # codes, not 7 million strings
        sel = (dv <= t_v) & (dv >= first) & returns["ret"].notna().to_numpy()
        cc = np.unique(col.cat.codes.to_numpy()[sel])
        trading = {str(c) for c in col.cat.categories[cc[cc >= 0]]}
    else:
        sel = (dv <= t_v) & (dv >= first) & returns["ret"].notna().to_numpy()
        trading = {str(c) for c in pd.unique(col.to_numpy()[sel])}
    excl = set(map(str, exclude))
    pool = sorted(trading - excl)
    acc: dict = {"n_pool": len(pool), "n_excluded": len(trading & excl), "lookback_sessions": int(lookback)}
    if candidates is not None:
        cand = set(map(str, candidates)) - excl
        lacking = sorted(cand - trading)
        acc.update(n_candidates=len(cand), n_candidates_priced=len(cand) - len(lacking),
                   n_candidates_lacking_prices=len(lacking), lacking_examples=lacking[:10])
    return pool, acc


def study_pairs(study: MatchedStudy) -> pd.DataFrame:
    """The matched pairs of a :class:`MatchedStudy` as stock codes: ``treated, control`` (for
    :func:`placebo_windows`).

    Parameters
    ----------
    study : MatchedStudy
        Output of :func:`matched_event_study` or :func:`mapping_study`.

    Returns
    -------
    DataFrame
        One row per matched pair: the ``treated`` and ``control`` stock codes.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=30, n_days=400, seed=15)
    >>> codes = sim.events["code"].tolist()
    >>> attrs = pd.DataFrame({"code": codes, "board": "Main", "sw_l1_code": 1, "log_size": np.arange(30.0)})
    >>> st = matched_event_study(codes[:5], sim.events["event_date"].iloc[0], returns=sim.returns,
    ...                          market=sim.market, pool_codes=codes[5:], attributes=attrs, k=2)
    >>> study_pairs(st).shape
    (10, 2)
    """
    if study.pairs is None or len(study.pairs) == 0:
        return pd.DataFrame({"treated": pd.Series(dtype="string"), "control": pd.Series(dtype="string")})
    code_of = dict(zip(study.treated["event_id"], study.treated["code"].astype(str), strict=False))
    return pd.DataFrame({"treated": study.pairs["treated_id"].map(code_of).astype("string").to_numpy(),
                         "control": study.pairs["control_id"].astype("string").to_numpy()})


__all__ = [
    "batch_event_dates", "control_pool", "DAY_WINDOW", "matched_event_study", "MatchedStudy", "study_pairs",
    "study_paths", "summarize_study"
]
