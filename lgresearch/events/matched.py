"""Matched controls: control events, treated-minus-control differences and stacking results."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lgresearch.errors import EventStudyError
from lgresearch.events.base import OK, EventPaths, _as_frame, _paths_of
from lgresearch.events.engine import AbnormalReturns, _to_result
from lgresearch.provenance import is_simulated, mark_simulated

# ---------------------------------------------------------------------------------------------------------------
# Matched controls: events for controls and treated-minus-control differences
# ---------------------------------------------------------------------------------------------------------------


def control_events(treated_events: pd.DataFrame, pairs: pd.DataFrame, *, treated_key: str = "event_id",
                   date_col: str = "event_date") -> pd.DataFrame:
    """Events for matched controls: each control gets its treated event's date.

    Parameters
    ----------
    treated_events : DataFrame
        Treated events with ``treated_key`` and ``date_col``.
    pairs : DataFrame
        ``treated_id, control_id, weight`` (e.g. ``lgresearch.did.match_controls(...).pairs``), where
        ``treated_id`` holds the treated events' ``treated_key`` and ``control_id`` the control stock code.

    Returns
    -------
    DataFrame ``event_id, code, event_date, treated_event_id, weight`` (``event_id`` = ``"<treated>|<code>"``).

    Examples
    --------
    >>> te = pd.DataFrame({"event_id": ["a"], "event_date": pd.to_datetime(["2024-08-01"])})
    >>> pr = pd.DataFrame({"treated_id": ["a", "a"], "control_id": ["000001", "000002"], "weight": [0.5, 0.5]})
    >>> control_events(te, pr)["event_id"].tolist()
    ['a|000001', 'a|000002']
    """
    dates = treated_events.set_index(treated_key)[date_col]
    out = pd.DataFrame({
        "event_id": pairs["treated_id"].astype(str) + "|" + pairs["control_id"].astype(str),
        "code": pairs["control_id"].astype(str).to_numpy(),
        "event_date": pairs["treated_id"].map(dates).to_numpy(),
        "treated_event_id": pairs["treated_id"].to_numpy(),
        "weight": pairs["weight"].to_numpy(dtype=float) if "weight" in pairs else 1.0,
    })
    return out.drop_duplicates("event_id", ignore_index=True)


def matched_difference(treated: pd.DataFrame, controls: pd.DataFrame, *, treated_key: str = "event_id"
                       ) -> pd.DataFrame:
    """Treated-minus-matched-control abnormal returns, as a result frame that :func:`test_car` accepts.

    For each ``ok`` treated event with at least one ``ok`` control, the difference path is the treated AR minus the
    weight-averaged control AR on each event day (control weights renormalised over usable controls); the
    estimation-window residual differences give the difference's variance (no parameter uncertainty), so the
    standardised tests apply. Treated events with no usable control are kept with ``status = "no usable
    control"``.

    Parameters
    ----------
    treated : DataFrame
        :func:`abnormal_returns` output for the treated events.
    controls : DataFrame
        :func:`abnormal_returns` output for :func:`control_events` (needs ``treated_event_id`` and ``weight``).

    Returns
    -------
    AbnormalReturns or DataFrame
        One row per treated event with the difference's ``car, car_se, scar, bhar, df, status``; the per-day
        difference paths are kept for :func:`test_car` and :func:`car_path` (an :class:`AbnormalReturns` when
        ``treated`` is one).

    Examples
    --------
    >>> from lgresearch.events import abnormal_returns, simulate_event_data
    >>> sim = simulate_event_data(n_firms=40, n_days=400, effect=0.03, seed=9)
    >>> ev = sim.events.assign(event_id=[f"e{i}" for i in range(40)])
    >>> t_ev, pool = ev.iloc[:20], ev.iloc[20:]
    >>> pairs = pd.DataFrame({"treated_id": t_ev["event_id"], "control_id": pool["code"].to_numpy(), "weight": 1.0})
    >>> res_t = abnormal_returns(sim.returns, t_ev, market=sim.market)
    >>> res_c = abnormal_returns(sim.returns, control_events(t_ev, pairs), market=sim.market)
    >>> diff = matched_difference(res_t, res_c)
    >>> int((diff["status"] == "ok").sum()), "car" in diff
    (20, True)
    """
    wrap = isinstance(treated, AbnormalReturns)
    treated, controls = _as_frame(treated), _as_frame(controls)
    Pt, Pc = _paths_of(treated), _paths_of(controls)
    if not np.array_equal(Pt.rel_days, Pc.rel_days) or Pt.n_est_days != Pc.n_est_days:
        raise EventStudyError("treated and control results must use the same windows")
    E = len(treated)
    ti, wsum, (ar_c, ret_c, res_c) = _control_averages(treated, controls, Pc, treated_key)
    trow = Pt.rows(treated[treated_key])
    has_c = wsum[np.arange(E)] > 0
    ok = (treated["status"].to_numpy() == OK) & has_c
    d = _difference_paths(Pt, trow, ok, ar_c, ret_c, res_c)
    v = d["v"]
    out = treated.copy()
    status = np.where(treated["status"].to_numpy() != OK, treated["status"].to_numpy(),
                      np.where(has_c, OK, "no usable control"))
    status = np.where((status == OK) & ~v.any(axis=1), "no return in the event window", status)
    out["status"] = status
    okf = out["status"].to_numpy() == OK
    out["n_controls"] = np.bincount(ti, minlength=E)
    out["car_treated"] = treated["car"].to_numpy()
    out["car_control"] = np.where(okf, np.where(np.isfinite(ar_c), ar_c, 0.0).sum(axis=1), np.nan)
    out["car"] = np.where(okf, d["car"], np.nan)
    out["car_se"] = np.where(okf, d["se"], np.nan)
    out["scar"] = np.where(okf, d["car"] / d["se"], np.nan)
    out["bhar"] = np.where(okf, d["bhar"], np.nan)
    out["df"] = np.where(okf, d["n_res"] - 1, 0)
    out.attrs = {k: v_ for k, v_ in treated.attrs.items() if k != "event_paths"}
    out.attrs["event_paths"] = EventPaths(
        event_ids=treated[treated_key].to_numpy(dtype=object), rel_days=Pt.rel_days, est_days=Pt.est_days,
        ar=d["ar_d"], ret=np.where(v, d["ret_t"], np.nan), er=np.where(v, ret_c, np.nan), k=v.astype(float),
        Z=np.zeros((E, len(Pt.rel_days), 0)), Ainv=np.zeros((E, 0, 0)), s2=d["s2"],
        df=(d["n_res"] - 1).astype(float), sar_est=d["sar_est"], sar_ev=np.where(ok[:, None], d["sar_ev"], np.nan),
        n_est_days=Pt.n_est_days, est_start=Pt.est_start[trow], ev_pos=Pt.ev_pos[trow], ok=okf,
        model="matched difference")
    out.attrs["exclusions"] = {str(k): int(v_) for k, v_ in out.loc[~okf, "status"].value_counts().items()}
    return _to_result(out) if wrap else out


def _control_averages(treated: pd.DataFrame, controls: pd.DataFrame, Pc: EventPaths,
                      treated_key: str) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Weighted averages over each treated event's usable controls of their ARs, returns and (unstandardised)
    estimation residuals; with each control's treated row and the weight sum per treated row."""
    t_ok = treated[treated["status"] == OK]
    c_ok = controls[(controls["status"] == OK) & controls["treated_event_id"].isin(set(t_ok[treated_key]))]
    E = len(treated)
    # control weight matrix: treated rows x control rows (sparse in practice; dense per treated via scatter-add)
    t_index = pd.Index(treated[treated_key])
    ti = t_index.get_indexer(c_ok["treated_event_id"])
    crow = Pc.rows(c_ok["event_id"])
    w = c_ok["weight"].to_numpy(dtype=float)
    wsum = np.bincount(ti, weights=w, minlength=E)
    wn = w / wsum[ti]

    def wavg(mat: np.ndarray) -> np.ndarray:
        vals = mat[crow]
        fin = np.isfinite(vals)
        num = np.zeros((E, mat.shape[1]))
        den = np.zeros((E, mat.shape[1]))
        np.add.at(num, ti, np.where(fin, vals, 0.0) * wn[:, None])
        np.add.at(den, ti, fin * wn[:, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / den, np.nan)

    # residuals (unstandardised: sar * sigma) for the difference's variance
    return ti, wsum, (wavg(Pc.ar), wavg(Pc.ret), wavg(Pc.sar_est * np.sqrt(Pc.s2)[:, None]))


def _difference_paths(Pt: EventPaths, trow: np.ndarray, ok: np.ndarray, ar_c: np.ndarray, ret_c: np.ndarray,
                      res_c: np.ndarray) -> dict:
    """Treated-minus-control AR paths, the difference's residual variance, CAR, its SE, BHAR and standardised
    paths."""
    ar_t = Pt.ar[trow]
    ar_d = np.where(ok[:, None] & np.isfinite(ar_t) & np.isfinite(ar_c), ar_t - ar_c, np.nan)
    res_t = Pt.sar_est[trow] * np.sqrt(Pt.s2[trow])[:, None]
    res_d = res_t - res_c
    fin_r = np.isfinite(res_d)
    n_res = fin_r.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_r = np.where(fin_r, res_d, 0.0).sum(axis=1) / n_res
        s2 = np.where(fin_r, (res_d - mean_r[:, None]) ** 2, 0.0).sum(axis=1) / (n_res - 1)
    s2 = np.where(n_res > 1, s2, np.nan)
    v = np.isfinite(ar_d)
    car = np.where(ok & v.any(axis=1), np.where(v, ar_d, 0.0).sum(axis=1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(s2 * v.sum(axis=1))
        sar_est = res_d / np.sqrt(s2)[:, None]
        sar_ev = ar_d / np.sqrt(s2)[:, None]
    ret_t = Pt.ret[trow]
    bhar = (np.where(v, 1.0 + ret_t, 1.0).prod(axis=1) - np.where(v, 1.0 + ret_c, 1.0).prod(axis=1))
    return dict(ar_d=ar_d, n_res=n_res, s2=s2, v=v, car=car, se=se, sar_est=sar_est, sar_ev=sar_ev, ret_t=ret_t,
                bhar=bhar)


def implied_per_firm_effect(pooled: float, share_treated: float) -> float:
    """Per-firm effect implied by a pooled CAR when only ``share_treated`` of the pooled firms are treated.

    If untreated firms have zero abnormal return, ``pooled = share * effect``, so ``effect = pooled / share``.

    Parameters
    ----------
    pooled : float
        The pooled average CAR over treated and untreated firms.
    share_treated : float
        Share of the pooled firms that are treated, in (0, 1].

    Returns
    -------
    float
        ``pooled / share_treated``; a share outside (0, 1] raises :class:`EventStudyError`.

    Examples
    --------
    >>> implied_per_firm_effect(0.002, 0.1)
    0.02
    """
    if not 0 < share_treated <= 1:
        raise EventStudyError("share_treated must be in (0, 1]")
    return float(pooled) / float(share_treated)


def combine_results(results: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Stack several :func:`abnormal_returns` (or :func:`matched_difference`) frames with the same windows into
    one result frame that :func:`test_car` and :func:`car_path` accept (event ids must be unique across them, and
    all must use the same market calendar: the Kolari-Pynnönen alignment uses calendar positions).

    Parameters
    ----------
    results : sequence of AbnormalReturns or DataFrame
        Results with the same event and estimation windows and unique event ids; empty ones are skipped.

    Returns
    -------
    AbnormalReturns or DataFrame
        The stacked events with their paths (an :class:`AbnormalReturns` when any input is one); exclusions are
        summed.

    Examples
    --------
    >>> from lgresearch.events import abnormal_returns, simulate_event_data, test_car
    >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=11)
    >>> ev = sim.events.assign(event_id=[f"e{i}" for i in range(20)])
    >>> a = abnormal_returns(sim.returns, ev.iloc[:10], market=sim.market)
    >>> b = abnormal_returns(sim.returns, ev.iloc[10:], market=sim.market)
    >>> len(test_car(combine_results([a, b]), tests=["t"]).query("n == 20"))
    1
    """
    wrap = any(isinstance(r, AbnormalReturns) for r in results)
    results = [_as_frame(r) for r in results if len(r)]
    if not results:
        raise EventStudyError("nothing to combine")
    paths = [_paths_of(r) for r in results]
    first = paths[0]
    for p in paths[1:]:
        if not np.array_equal(p.rel_days, first.rel_days) or p.n_est_days != first.n_est_days:
            raise EventStudyError("results to combine must use the same event and estimation windows")
    out = pd.concat([r.drop(columns=[c for c in ("provenance",) if c in r.columns]) for r in results],
                    ignore_index=True)
    if out["event_id"].duplicated().any():
        raise EventStudyError("event ids repeat across the results; make them unique before combining")

    def cat(name):
        return np.concatenate([getattr(p, name) for p in paths], axis=0)

    widths = {p.Z.shape[-1] for p in paths}
    if len(widths) > 1:  # mixing models: drop parameter uncertainty terms (zeros) to a common width
        w = max(widths)
        Zs = [np.concatenate([p.Z, np.zeros(p.Z.shape[:2] + (w - p.Z.shape[-1],))], axis=-1) for p in paths]
        As = []
        for p in paths:
            A = np.zeros((p.Ainv.shape[0], w, w))
            A[:, :p.Ainv.shape[1], :p.Ainv.shape[2]] = p.Ainv
            As.append(A)
        Z, Ainv = np.concatenate(Zs), np.concatenate(As)
    else:
        Z, Ainv = cat("Z"), cat("Ainv")
    out.attrs = {k: v for k, v in results[0].attrs.items() if k != "event_paths"}
    out.attrs["exclusions"] = {}
    for r in results:
        for k_, v in r.attrs.get("exclusions", {}).items():
            out.attrs["exclusions"][k_] = out.attrs["exclusions"].get(k_, 0) + v
    out.attrs["event_paths"] = EventPaths(
        event_ids=np.concatenate([p.event_ids for p in paths]), rel_days=first.rel_days, est_days=first.est_days,
        ar=cat("ar"), ret=cat("ret"), er=cat("er"), k=cat("k"), Z=Z, Ainv=Ainv, s2=cat("s2"), df=cat("df"),
        sar_est=cat("sar_est"), sar_ev=cat("sar_ev"), n_est_days=first.n_est_days, est_start=cat("est_start"),
        ev_pos=cat("ev_pos"), ok=cat("ok"), model=first.model)
    if any(is_simulated(r) for r in results):
        out = mark_simulated(out, "lgresearch.events on simulated returns")
    return _to_result(out) if wrap else out


__all__ = ["combine_results", "control_events", "implied_per_firm_effect", "matched_difference"]
