"""Tests of the mean CAR: window statistics, the Kolari-Pynnonen correlation and the test table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch.errors import EventStudyError
from lgresearch.events.base import (
    KP_MIN_OVERLAP,
    OK,
    TEST_LABELS,
    TESTS,
    EventPaths,
    _as_frame,
    _paths_of,
    _scipy_stats,
)
from lgresearch.provenance import is_simulated, mark_real, mark_simulated, source_of
from lgresearch.results import FrameResult

# ---------------------------------------------------------------------------------------------------------------
# Window statistics recomputed from the paths
# ---------------------------------------------------------------------------------------------------------------


def window_stats(result: pd.DataFrame, window: tuple[int, int] | None = None) -> pd.DataFrame:
    """CAR, its forecast-error standard error, SCAR and BHAR of each ``ok`` event over a sub-window.

    Parameters
    ----------
    result : AbnormalReturns or DataFrame
        Output of :func:`abnormal_returns` (or a subset of it, or of :func:`matched_difference` /
        :func:`combine_results`).
    window : (int, int), optional
        Sub-window of the stored event window (default: all of it).

    Returns
    -------
    DataFrame
        One row per ``ok`` event: ``event_id, car, car_se, scar, bhar, df, n_obs`` (index of the result's rows).

    Examples
    --------
    >>> from lgresearch.events import abnormal_returns, simulate_event_data
    >>> sim = simulate_event_data(n_firms=10, n_days=400, seed=4)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(-2, 2))
    >>> ws = window_stats(res, (-2, 2))
    >>> bool(np.allclose(ws["car"], res["car"]))
    True
    """
    result = _as_frame(result)
    P = _paths_of(result)
    sub = result[result["status"] == OK]
    rows = P.rows(sub["event_id"])
    wm = P.window_mask(window)
    ar = P.ar[rows][:, wm]
    v = np.isfinite(ar)
    car = np.where(v, ar, 0.0).sum(axis=1)
    ksum = P.k[rows][:, wm].sum(axis=1)
    zsum = P.Z[rows][:, wm].sum(axis=1)
    Ainv = P.Ainv[rows]
    var = P.s2[rows] * (ksum + np.einsum("ei,eij,ej->e", zsum, Ainv, zsum))
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(var)
        scar = np.where(v.any(axis=1), car / se, np.nan)
    ret, er = P.ret[rows][:, wm], P.er[rows][:, wm]
    bhar = np.where(v, 1.0 + ret, 1.0).prod(axis=1) - np.where(v, 1.0 + er, 1.0).prod(axis=1)
    car = np.where(v.any(axis=1), car, np.nan)
    bhar = np.where(v.any(axis=1), bhar, np.nan)
    return pd.DataFrame({"event_id": sub["event_id"].to_numpy(), "car": car, "car_se": se, "scar": scar,
                         "bhar": bhar, "df": P.df[rows], "n_obs": v.sum(axis=1)}, index=sub.index)


@dataclass(frozen=True)
class KPCorrelation:
    """Result of :func:`kp_mean_correlation`: the average residual cross-correlation and the pairs behind it.

    Unpacks like the 0.1 tuple: ``r_bar, n_pairs = kp_mean_correlation(res)``.

    Examples
    --------
    >>> r_bar, n = KPCorrelation(0.1, 4)
    >>> KPCorrelation(0.1, 4).tidy()["n_pairs"].tolist()
    [4]
    """

    r_bar: float
    n_pairs: int

    def __iter__(self):
        return iter((self.r_bar, self.n_pairs))

    def tidy(self) -> pd.DataFrame:
        """One-row plain frame ``r_bar, n_pairs``.

        Returns
        -------
        DataFrame
            Saves to parquet, csv and Stata.

        Examples
        --------
        >>> KPCorrelation(0.0, 0).tidy().shape
        (1, 2)
        """
        return pd.DataFrame({"r_bar": [float(self.r_bar)], "n_pairs": [int(self.n_pairs)]})


def kp_mean_correlation(result: pd.DataFrame | FrameResult, window: tuple[int, int] | None = None,
                        min_overlap: int = KP_MIN_OVERLAP) -> KPCorrelation:
    """Average cross-correlation r-bar of the events' estimation-window residuals (Kolari and Pynnönen 2010).

    Residuals (standardised) are aligned on calendar sessions; each pair's correlation uses their common
    estimation days (pairs with fewer than ``min_overlap`` count as zero) and is weighted by the share of the
    tested event window the two events have in common in calendar time (1 for events on the same date, 0 for
    windows that do not overlap). r-bar is the average over all ordered pairs i != j. Computed per block of events
    with overlapping windows (a loop over event dates, not events).

    Parameters
    ----------
    result : AbnormalReturns or DataFrame
        Output of :func:`abnormal_returns` (or a subset of it).
    window : (int, int), optional
        Sub-window of the event window the overlap weights refer to (default: the whole event window).
    min_overlap : int
        Minimum common estimation days for a pair's correlation to count.

    Returns
    -------
    KPCorrelation
        ``r_bar`` and ``n_pairs`` (pairs used); unpacks as ``(r_bar, n_pairs)``.

    Examples
    --------
    >>> from lgresearch.events import abnormal_returns, simulate_event_data
    >>> sim = simulate_event_data(n_firms=30, n_days=400, n_event_dates=1, common_shock=0.0, seed=5)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market)
    >>> kp = kp_mean_correlation(res)
    >>> bool(abs(kp.r_bar) < 0.05), kp.n_pairs
    (True, 870)
    """
    result = _as_frame(result)
    P = _paths_of(result)
    sub = result[result["status"] == OK]
    rows = P.rows(sub["event_id"])
    N = len(rows)
    if N < 2:
        return KPCorrelation(float("nan"), 0)
    wm = P.window_mask(window)
    wd = P.rel_days[wm]
    L = len(wd)
    # r-bar depends on the events and the window's length only (overlaps are shift-invariant; with one event
    # date every pair overlaps fully whatever the length): reuse it
    cache = P.__dict__.setdefault("_kp_cache", {})
    one_date = bool(np.all(P.ev_pos[rows] == P.ev_pos[rows][0]))
    key = (rows.tobytes(), None if one_date else L, int(min_overlap))
    if key not in cache:
        cache[key] = _kp_mean_correlation_rows(P, rows, wd, min_overlap)
    return cache[key]


def _kp_mean_correlation_rows(P: EventPaths, rows: np.ndarray, wd: np.ndarray, min_overlap: int
                              ) -> KPCorrelation:
    """:func:`kp_mean_correlation` for the given path rows and window days (uncached)."""
    N = len(rows)
    L = len(wd)
    pos = P.ev_pos[rows]
    w_lo = pos + wd[0]
    X = P.sar_est[rows]
    start = P.est_start[rows]
    La = P.n_est_days
    order = np.argsort(pos, kind="stable")
    pos_o = pos[order]
    uniq = np.unique(pos_o)
    total = 0.0
    n_used = 0
    for u in uniq:
        gi = order[pos_o == u]
        lo_i = np.searchsorted(pos_o, u - L + 1, side="left")
        hi_i = np.searchsorted(pos_o, u + L - 1, side="right")
        nj = order[lo_i:hi_i]
        # align residuals of group and neighbours on a common calendar span
        s0 = min(start[gi].min(), start[nj].min())
        s1 = max(start[gi].max(), start[nj].max()) + La
        span = s1 - s0

        def aligned(idx):
            Y = np.full((len(idx), span), np.nan)
            cols = (start[idx] - s0)[:, None] + np.arange(La)[None, :]
            Y[np.arange(len(idx))[:, None], cols] = X[idx]
            return Y

        Yi, Yj = aligned(gi), aligned(nj)
        Mi, Mj = np.isfinite(Yi).astype(float), np.isfinite(Yj).astype(float)
        Yi0, Yj0 = np.nan_to_num(Yi), np.nan_to_num(Yj)
        n = Mi @ Mj.T
        sx = Yi0 @ Mj.T
        sxx = (Yi0 ** 2) @ Mj.T
        if len(gi) == len(nj) and np.array_equal(gi, nj):  # one date: the pair sums are symmetric
            sy, syy = sx.T, sxx.T
        else:
            sy = Mi @ Yj0.T
            syy = Mi @ (Yj0 ** 2).T
        sxy = Yi0 @ Yj0.T
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = sxy - sx * sy / n
            vx = sxx - sx ** 2 / n
            vy = syy - sy ** 2 / n
            r = cov / np.sqrt(vx * vy)
        r = np.where((n >= min_overlap) & np.isfinite(r), r, 0.0)
        ov = np.maximum(0, np.minimum(w_lo[gi][:, None], w_lo[nj][None, :]) + L
                        - np.maximum(w_lo[gi][:, None], w_lo[nj][None, :])) / L
        same = gi[:, None] == nj[None, :]
        contrib = np.where(same, 0.0, r * ov)
        total += contrib.sum()
        n_used += int(((n >= min_overlap) & ~same & (ov > 0)).sum())
    return KPCorrelation(float(total / (N * (N - 1))), n_used)


# ---------------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------------


def _rank_u(P: EventPaths, rows: np.ndarray) -> np.ndarray:
    """Corrado ranks: rank / (n + 1) - 0.5 of each event's standardised ARs over estimation + event days."""
    allsar = np.concatenate([P.sar_est[rows], P.sar_ev[rows]], axis=1)
    ranks = _scipy_stats().rankdata(allsar, axis=1, nan_policy="omit")
    n_valid = np.isfinite(allsar).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ranks / (n_valid[:, None] + 1.0) - 0.5


def _t_row(x: np.ndarray, level: float) -> tuple[float, float, float, float, float]:
    x = x[np.isfinite(x)]
    n = len(x)
    if n < 2:
        return (float(np.mean(x)) if n else np.nan), np.nan, np.nan, np.nan, np.nan
    m, sd = float(np.mean(x)), float(np.std(x, ddof=1))
    se = sd / np.sqrt(n)
    t = m / se if se > 0 else np.nan
    p = 2 * _scipy_stats().t.sf(abs(t), n - 1) if np.isfinite(t) else np.nan
    q = _scipy_stats().t.ppf(0.5 + level / 2, n - 1)
    return m, t, p, m - q * se, m + q * se


def _cowan_share(sar_est: np.ndarray) -> float:
    """Cowan (1992) expected share of positive abnormal returns: the average over events of each event's share
    of positive estimation-window residuals (not pooled over all residuals, which over-weights long windows)."""
    fin = np.isfinite(sar_est)
    n_i = fin.sum(axis=1)
    good = n_i > 0
    if not good.any():
        return float("nan")
    share = (np.where(fin, sar_est, 0.0) > 0).sum(axis=1)[good] / n_i[good]
    return float(share.mean())


def _grank(sar_est: np.ndarray, scar: np.ndarray) -> tuple[float, int, float]:
    """GRANK-T of Kolari and Pynnönen (2011) for a cumulative window; returns (t_grank, df, U-bar_0).

    The event window collapses to one observation per event, the re-standardised CAR ``SCAR_i / sd(SCAR)``
    (robust to event-induced variance); with the estimation-window standardised residuals it is ranked within
    the event (``U_it = rank / (T_i + 1) - 1/2``, ``T_i`` non-missing observations). ``Z = U-bar_0 / S_U`` with
    ``S_U^2 = (1/T) sum_t (n_t / n) U-bar_t^2`` over the ``T = L1 + 1`` days (cross-sectional averages of the
    ranks, so cross-correlation of events on one date enters ``S_U``), and ``t = Z sqrt((T - 2) / (T - 1 - Z^2))``
    on ``T - 2`` df.
    """
    good = np.isfinite(scar)
    if good.sum() < 2 or sar_est.shape[1] < 2:
        return float("nan"), 0, float("nan")
    s = scar[good]
    sd = s.std(ddof=1)
    if not sd > 0:
        return float("nan"), 0, float("nan")
    gsar = np.concatenate([sar_est[good], (s / sd)[:, None]], axis=1)
    fin = np.isfinite(gsar)
    ranks = _scipy_stats().rankdata(np.where(fin, gsar, np.nan), axis=1, nan_policy="omit")
    t_i = fin.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        U = np.where(fin, ranks / (t_i[:, None] + 1.0) - 0.5, np.nan)
    n = U.shape[0]
    n_t = fin.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ubar = np.where(n_t > 0, np.where(fin, U, 0.0).sum(axis=0) / np.maximum(n_t, 1), 0.0)
    T = U.shape[1]
    su = np.sqrt(np.sum((n_t / n) * ubar ** 2) / T)
    if not su > 0:
        return float("nan"), 0, float("nan")
    u0 = float(ubar[-1])
    z = u0 / su
    denom = T - 1 - z ** 2
    tg = z * np.sqrt((T - 2) / denom) if denom > 0 else np.sign(z) * np.inf
    return float(tg), int(T - 2), u0


def t_interval(values: Iterable[float], *, level: float = 0.95) -> dict[str, float]:
    """Mean of a sample with its t-test against zero and t interval (missing values dropped).

    Parameters
    ----------
    values : iterable of float
        The sample (missing values dropped).
    level : float
        Confidence level of the interval.

    Returns
    -------
    dict ``n, estimate, statistic, p_value, ci_low, ci_high`` (NaN where fewer than two values).

    Examples
    --------
    >>> out = t_interval([0.01, 0.03, 0.02])
    >>> out["n"], round(out["estimate"], 4), round(out["ci_high"], 4)
    (3, 0.02, 0.0448)
    """
    x = np.asarray(list(values), dtype=float)
    x = x[np.isfinite(x)]
    m, t, p, lo, hi = _t_row(x, level)
    return {"n": int(len(x)), "estimate": float(m), "statistic": float(t), "p_value": float(p),
            "ci_low": float(lo), "ci_high": float(hi)}


def _row_t(c: dict, row: dict) -> None:
    m, t, p, lo, hi = _t_row(c["car"], c["level"])
    row.update(statistic=t, p_value=p, ci_low=lo, ci_high=hi)


def _row_t_bhar(c: dict, row: dict) -> None:
    m, t, p, lo, hi = _t_row(c["bhar"], c["level"])
    row.update(estimate=m, statistic=t, p_value=p, ci_low=lo, ci_high=hi)


def _row_patell(c: dict, row: dict) -> None:
    scar, dfv = c["scar"], c["df"]
    good = np.isfinite(scar) & (dfv > 2)
    if good.sum() == 0:
        row["note"] = "needs estimation df > 2"
    else:
        zs = scar[good].sum() / np.sqrt((dfv[good] / (dfv[good] - 2)).sum())
        row.update(statistic=zs, p_value=2 * _scipy_stats().norm.sf(abs(zs)), n=int(good.sum()))


def _row_bmp(c: dict, row: dict) -> None:
    s, mean_car, level = c["scar"][np.isfinite(c["scar"])], c["mean_car"], c["level"]
    if len(s) < 2:
        row["note"] = "needs >= 2 standardised CARs"
        return
    tb = s.mean() / (s.std(ddof=1) / np.sqrt(len(s)))
    # CI for the mean CAR implied by the BMP scaling: se = mean CAR / t
    se_car = abs(mean_car / tb) if tb != 0 else np.nan
    q = _scipy_stats().t.ppf(0.5 + level / 2, len(s) - 1)
    if row["test"] == "bmp":
        row.update(statistic=tb, p_value=2 * _scipy_stats().t.sf(abs(tb), len(s) - 1),
                   ci_low=mean_car - q * se_car, ci_high=mean_car + q * se_car, n=len(s))
        return
    rbar, npairs = kp_mean_correlation(c["result"], c["window"])
    factor = np.sqrt((1 - rbar) / (1 + (len(s) - 1) * rbar)) if (1 + (len(s) - 1) * rbar) > 0 else np.nan
    tk = tb * factor
    se_k = se_car / factor if factor and np.isfinite(factor) else np.nan
    row.update(statistic=tk, p_value=2 * _scipy_stats().t.sf(abs(tk), len(s) - 1),
               ci_low=mean_car - q * se_k, ci_high=mean_car + q * se_k, n=len(s),
               note=f"r-bar = {rbar:.4f} from {npairs} pairs")


def _row_corrado(c: dict, row: dict) -> None:
    P = c["paths"]
    U = _rank_u(P, P.rows(c["event_id"]))
    ev_cols = P.n_est_days + np.flatnonzero(P.window_mask(c["window"]))
    fin = np.isfinite(U)
    cnt = fin.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        kbar = np.where(cnt > 0, np.where(fin, U, 0.0).sum(axis=0) / cnt, np.nan)
    kbar_valid = kbar[np.isfinite(kbar)]
    sk = np.sqrt(np.mean(kbar_valid ** 2)) if len(kbar_valid) else np.nan
    kw = kbar[ev_cols]
    kw = kw[np.isfinite(kw)]
    if len(kw) == 0 or not sk > 0:
        row["note"] = "no ranks"
    else:
        tc = np.sqrt(len(kw)) * kw.mean() / sk
        row.update(statistic=tc, p_value=2 * _scipy_stats().norm.sf(abs(tc)), estimate=float(kw.mean()),
                   note="estimate = mean (rank/(n+1) - 0.5) over the window")


def _row_sign(c: dict, row: dict) -> None:
    N = len(c["car"])
    pos = int((c["car"] > 0).sum())
    bt = _scipy_stats().binomtest(pos, N, 0.5)
    row.update(estimate=pos / N, statistic=(pos - 0.5 * N) / np.sqrt(0.25 * N), p_value=bt.pvalue,
               note="estimate = share of CARs > 0")
    ci = bt.proportion_ci(confidence_level=c["level"])
    row.update(ci_low=ci.low, ci_high=ci.high)


def _row_generalized_sign(c: dict, row: dict) -> None:
    P, N = c["paths"], len(c["car"])
    phat = _cowan_share(P.sar_est[P.rows(c["event_id"])])
    pos = int((c["car"] > 0).sum())
    zg = (pos - N * phat) / np.sqrt(N * phat * (1 - phat)) if 0 < phat < 1 else np.nan
    pz = 2 * _scipy_stats().norm.sf(abs(zg)) if np.isfinite(zg) else np.nan
    row.update(estimate=pos / N, statistic=zg, p_value=pz,
               note=f"expected share = mean of each event's estimation-window share of positive "
                    f"residuals = {phat:.3f}")


def _row_grank(c: dict, row: dict) -> None:
    P, scar = c["paths"], c["scar"]
    tg, df_g, u0 = _grank(P.sar_est[P.rows(c["event_id"])], scar)
    if not np.isfinite(tg):
        row["note"] = "needs >= 2 standardised CARs and estimation residuals"
    else:
        row.update(statistic=tg, p_value=2 * _scipy_stats().t.sf(abs(tg), df_g), estimate=u0,
                   n=int(np.isfinite(scar).sum()),
                   note=f"estimate = mean demeaned rank of the re-standardised CAR; t with {df_g} df")


#: One row-filling function per test of :data:`TESTS`.
_TEST_ROWS = {"t": _row_t, "t_bhar": _row_t_bhar, "patell": _row_patell, "bmp": _row_bmp,
              "kolari_pynnonen": _row_bmp, "corrado": _row_corrado, "sign": _row_sign,
              "generalized_sign": _row_generalized_sign, "grank": _row_grank}


def _tests_one(result: pd.DataFrame, tests: Sequence[str], window, level: float) -> list[dict]:
    P = _paths_of(result)
    ws = window_stats(result, window)
    ws = ws[np.isfinite(ws["car"])]
    car = ws["car"].to_numpy()
    N = len(ws)
    mean_car = float(np.mean(car)) if N else np.nan
    ctx = dict(result=result, paths=P, window=window, level=level, car=car, scar=ws["scar"].to_numpy(),
               bhar=ws["bhar"].to_numpy(), df=ws["df"].to_numpy(), event_id=ws["event_id"], mean_car=mean_car)
    out = []
    for name in tests:
        row = {"test": name, "label": TEST_LABELS[name], "n": N, "estimate": mean_car, "statistic": np.nan,
               "p_value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "note": ""}
        if N == 0:
            row["note"] = "no usable events"
        else:
            _TEST_ROWS[name](ctx, row)
        out.append(row)
    return out


def test_car(result: pd.DataFrame, *, tests: Sequence[str] = TESTS, window: tuple[int, int] | None = None,
             by: str | Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Test the mean CAR of the ``ok`` events: one row per test (and per group with ``by``).

    Parameters
    ----------
    result : DataFrame
        Output of :func:`abnormal_returns` (or a row subset of it).
    tests : sequence of str
        Any of :data:`TESTS`: ``"t"`` (cross-sectional t on CAR), ``"patell"``, ``"bmp"``,
        ``"kolari_pynnonen"``, ``"corrado"``, ``"sign"``, ``"generalized_sign"`` (Cowan 1992: the expected share of
        positive CARs is the average of each event's share of positive estimation residuals), ``"grank"``
        (Kolari and Pynnönen 2011, robust to event-induced variance and to cross-correlation of events sharing a
        date), ``"t_bhar"``.
    window : (int, int), optional
        Sub-window of the stored event window (default: the whole event window).
    by : str or list of str, optional
        Columns of ``result`` to test groups separately (e.g. ``"board"``).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame with ``[by...], test, label, n, estimate, statistic, p_value, ci_low, ci_high, note, window``.
    ``estimate`` is the mean CAR except for the rank and sign tests (see ``note``). Intervals: t-based for
    ``t``/``t_bhar``; the BMP and Kolari-Pynnönen rows give the interval for the mean CAR implied by their
    standard error; the sign rows a Clopper-Pearson interval for the share.

    Examples
    --------
    >>> from lgresearch.events import abnormal_returns, simulate_event_data
    >>> sim = simulate_event_data(n_firms=60, n_days=400, effect=0.0, seed=6)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market)
    >>> tab = test_car(res)
    >>> tab["test"].tolist() == list(TESTS), bool((tab["p_value"] > 0.01).all())
    (True, True)
    """
    tests = list(tests)
    bad = [t for t in tests if t not in TESTS]
    if bad:
        raise EventStudyError(f"unknown tests {bad}; choose from {TESTS}")
    result = _as_frame(result)
    P = _paths_of(result)
    win = window or (int(P.rel_days[0]), int(P.rel_days[-1]))
    if by is None:
        rows = _tests_one(result, tests, window, level)
        out = pd.DataFrame(rows)
    else:
        keys = [by] if isinstance(by, str) else list(by)
        parts = []
        for key, grp in result.groupby(keys, observed=True, sort=True):
            key = key if isinstance(key, tuple) else (key,)
            grp = grp.copy()
            grp.attrs = result.attrs
            part = pd.DataFrame(_tests_one(grp, tests, window, level))
            for k_, v_ in zip(keys, key, strict=True):
                part.insert(0, k_, v_)
            parts.append(part)
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out["window"] = f"[{win[0]}, {win[1]}]"
    if is_simulated(result):
        out = mark_simulated(out, "lgresearch.events on simulated returns")
    else:
        mark_real(out, source_of(result, "abnormal returns"))
    return out


test_car.__test__ = False  # type: ignore[attr-defined]  # a library function, not a pytest test


__all__ = ["kp_mean_correlation", "KPCorrelation", "t_interval", "test_car", "window_stats"]
