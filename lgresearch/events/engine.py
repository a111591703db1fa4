"""The engine: abnormal returns for many events at once, as an :class:`AbnormalReturns` result."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.errors import EventStudyError
from lgresearch.events.base import (
    MODELS,
    OK,
    EventPaths,
    _date_slice,
    _event_codes,
    _market_frame,
    _naive_dates,
    _prepare_returns,
)
from lgresearch.events.car_paths import car_path
from lgresearch.events.tests import test_car
from lgresearch.provenance import is_simulated, mark_real, mark_simulated, source_of
from lgresearch.results import FrameResult


@dataclass(repr=False)
class AbnormalReturns(FrameResult):
    """Result of :func:`abnormal_returns`: the per-event table and the per-day paths behind it.

    Reads like the table (``res["car"]``, ``len(res)``, ``res.loc[...]``); every function that took the frame
    of release 0.1 (:func:`test_car`, :func:`car_path`, :func:`window_stats`, ...) takes this object.
    ``res[mask]`` with a boolean mask returns the subset as an :class:`AbnormalReturns` (see :meth:`subset`).

    Attributes
    ----------
    frame : DataFrame
        One row per event (see :func:`abnormal_returns`); ``attrs`` holds only plain data.
    paths : EventPaths
        Per-event, per-day matrices (abnormal returns, forecast-error terms) the tests use.
    windows : dict
        ``{"estimation": (a, b), "event": (c, d)}`` in trading days.
    exclusions : dict
        Events excluded, counted by reason.
    provenance : str
        The source line (or the SIMULATED DATA mark).

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=20, n_days=400, effect=0.05, seed=2)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
    >>> res.test(level=0.9)["test"].iloc[0], res.windows["event"]
    ('t', (0, 0))
    >>> sorted(res.tidy().attrs)
    ['provenance', 'source']
    """

    frame: pd.DataFrame
    paths: EventPaths
    windows: dict
    exclusions: dict
    provenance: str

    def __getitem__(self, key):
        if isinstance(key, (pd.Series, np.ndarray)) and np.asarray(key).dtype == bool:
            return self.subset(key)
        return self.frame[key]

    def subset(self, rows) -> AbnormalReturns:
        """The events selected by a boolean mask (or a list of ``event_id``), keeping the paths.

        Parameters
        ----------
        rows : boolean Series or array, or list of event ids
            Which events to keep.

        Returns
        -------
        AbnormalReturns
            The same result restricted to those events (tests and paths recomputed on them).

        Examples
        --------
        >>> from lgresearch.events import simulate_event_data
        >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=3)
        >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market)
        >>> len(res.subset(res["event_id"] < 5))
        5
        """
        arr = np.asarray(rows)
        if arr.dtype == bool:
            sub = self.frame[arr]
        else:
            sub = self.frame[self.frame["event_id"].isin(list(rows))]
        excl = {str(k): int(v) for k, v in sub.loc[sub["status"] != OK, "status"].value_counts().items()}
        return AbnormalReturns(frame=sub, paths=self.paths, windows=dict(self.windows), exclusions=excl,
                               provenance=self.provenance)

    def assign(self, **columns) -> AbnormalReturns:
        """Add columns to the table (e.g. a grouping for ``test(by=...)``), keeping the paths.

        Parameters
        ----------
        **columns
            As in :meth:`pandas.DataFrame.assign`.

        Returns
        -------
        AbnormalReturns
            A new result whose table has the extra columns.

        Examples
        --------
        >>> from lgresearch.events import simulate_event_data
        >>> sim = simulate_event_data(n_firms=4, n_days=350, seed=3)
        >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market).assign(g=["a", "b"] * 2)
        >>> res.test(tests=["t"], by="g")["g"].tolist()
        ['a', 'b']
        """
        return replace(self, frame=self.frame.assign(**columns))

    def test(self, *, level: float = 0.95, **kwargs) -> pd.DataFrame:
        """Test the mean CAR (see :func:`test_car`).

        Parameters
        ----------
        level : float
            Confidence level of the intervals.
        **kwargs
            ``tests``, ``window``, ``by`` as in :func:`test_car`.

        Returns
        -------
        DataFrame
            The test table of :func:`test_car`.

        Examples
        --------
        >>> from lgresearch.events import simulate_event_data
        >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=3)
        >>> abnormal_returns(sim.returns, sim.events, market=sim.market).test(tests=["t"])["n"].iloc[0]
        np.int64(20)
        """
        return test_car(self, level=level, **kwargs)

    def car_path(self, **kwargs) -> pd.DataFrame:
        """Average CAR by event day (see :func:`car_path`).

        Parameters
        ----------
        **kwargs
            ``by``, ``level``, ``weights``, ``kp_adjust`` as in :func:`car_path`.

        Returns
        -------
        DataFrame
            ``event_time, estimate, se, ci_low, ci_high, n``.

        Examples
        --------
        >>> from lgresearch.events import simulate_event_data
        >>> sim = simulate_event_data(n_firms=20, n_days=400, seed=3)
        >>> abnormal_returns(sim.returns, sim.events, market=sim.market).car_path()["event_time"].tolist()
        [-1, 0, 1]
        """
        return car_path(self, **kwargs)

    def as_frame(self) -> pd.DataFrame:
        """The table with the paths in ``attrs["event_paths"]`` (the 0.1 representation, for internal use).

        Returns
        -------
        DataFrame
            A shallow copy of ``frame``; do not save it (``attrs`` holds an object).

        Examples
        --------
        >>> from lgresearch.events import simulate_event_data
        >>> sim = simulate_event_data(n_firms=5, n_days=350, seed=3)
        >>> "event_paths" in abnormal_returns(sim.returns, sim.events, market=sim.market).as_frame().attrs
        True
        """
        out = self.frame.copy(deep=False)
        out.attrs = dict(self.frame.attrs)
        out.attrs["event_paths"] = self.paths
        return out


def _to_result(out: pd.DataFrame) -> AbnormalReturns:
    """Wrap a frame whose ``attrs`` hold ``event_paths`` into an :class:`AbnormalReturns`."""
    attrs = dict(out.attrs)
    paths = attrs.pop("event_paths")
    frame = out.copy(deep=False)
    frame.attrs = attrs
    windows = attrs.get("windows", {"event": (int(paths.rel_days[0]), int(paths.rel_days[-1]))})
    return AbnormalReturns(frame=frame, paths=paths, windows=dict(windows),
                           exclusions=dict(attrs.get("exclusions", {})), provenance=source_of(frame))


# ---------------------------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------------------------


def _solve_sym(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve batched p x p symmetric systems (p = 1 or 2) in closed form; returns (x, A_inv), NaN if singular."""
    p = A.shape[-1]
    if p == 0:
        return np.zeros(b.shape), np.zeros(A.shape)
    if p == 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = np.where(A > 0, 1.0 / A, np.nan)
        return inv[:, :, 0] * b, inv
    a11, a12, a22 = A[:, 0, 0], A[:, 0, 1], A[:, 1, 1]
    det = a11 * a22 - a12 * a12
    with np.errstate(divide="ignore", invalid="ignore"):
        bad = ~(np.abs(det) > 1e-300)
        inv = np.empty_like(A)
        inv[:, 0, 0] = a22 / det
        inv[:, 1, 1] = a11 / det
        inv[:, 0, 1] = inv[:, 1, 0] = -a12 / det
    inv[bad] = np.nan
    x = np.einsum("eij,ej->ei", inv, b)
    return x, inv


@renamed_kwargs(id_col="event_id_col", market_column="market_col")
def abnormal_returns(
    returns: pd.DataFrame, events: pd.DataFrame, *, market: pd.Series | pd.DataFrame, model: str = "market",
    estimation_window: tuple[int, int] = (-250, -30), event_window: tuple[int, int] = (-1, 1),
    min_estimation_obs: int | None = None, thin_trading: str = "trade_to_trade", market_col: str = "market",
    code_col: str = "code", date_col: str = "event_date", event_id_col: str = "event_id",
) -> AbnormalReturns:
    """Abnormal returns for many events at once: one row per event with ``car``, ``bhar`` and identifiers.

    Parameters
    ----------
    returns : DataFrame
        Long panel with ``code, date, ret`` and optionally ``gap`` (sessions the return spans; inferred from the
        calendar when absent: a return after missing sessions spans them). Duplicate (code, date) rows raise.
        Rows on dates that are not in the market calendar are ignored and counted
        (``attrs["returns_off_calendar"]``).
    events : DataFrame
        One row per event with ``code`` and ``event_date`` (see ``code_col``/``date_col``); other columns are
        carried to the output. ``event_id`` (unique) is kept when present, else events are numbered.
    market : Series or DataFrame
        Market returns indexed by date. Its dates are the trading calendar (day offsets count them). A DataFrame
        with several columns gives several markets: ``events[market_column]`` names each event's column.
    model : {"market", "market_adjusted", "mean"}
        Market model (OLS/WLS of the return on the market), market-adjusted (``R - R_m``) or constant mean.
    estimation_window, event_window : (int, int)
        Inclusive windows in trading days relative to the event session (day 0).
    min_estimation_obs : int, optional
        Minimum usable returns in the estimation window (default: half its length). Events below it are
        excluded with the reason recorded.
    thin_trading : {"trade_to_trade", "drop"}
        How multi-session returns (after suspensions) enter: see the module docstring.
    market_col, code_col, date_col, event_id_col : str
        Column names in ``events``. Codes may be written in the usual forms (``000586``, ``000586.SZ``,
        ``sz000586``, ``586``): they are normalised to six digits (:func:`lgresearch.securities.normalize_code`);
        a value that is not a stock code is kept as written.

    Returns
    -------
    AbnormalReturns
        ``.frame`` (also read directly: ``res["car"]``) has ``event_id, code, event_date, event_session,
        rolled`` plus the carried event columns and ``market, model, status`` (``"ok"`` or the exclusion reason),
        ``n_est, alpha, beta, sigma, df, n_event_obs, car, car_se, scar, bhar``. ``.exclusions`` counts
        exclusions by reason (also ``frame.attrs["exclusions"]``), ``frame.attrs["rolled"]`` the events moved to
        the next session; ``.paths`` holds the per-day matrices that :func:`test_car`, :func:`car_path` and
        :func:`ar_long` use; ``.tidy()`` is the plain table to save.

    Raises
    ------
    EventStudyError
        Unknown model, bad windows, missing columns, duplicate (code, date) returns or event ids.

    Examples
    --------
    >>> from lgresearch.events import simulate_event_data
    >>> sim = simulate_event_data(n_firms=30, n_days=400, effect=0.05, seed=2)
    >>> res = abnormal_returns(sim.returns, sim.events, market=sim.market, event_window=(0, 0))
    >>> bool(res["status"].eq("ok").all()), bool(res["car"].mean() > 0.03)
    (True, True)
    """
    a, b, c, d, min_obs, n_par = _check_options(model, thin_trading, estimation_window, event_window,
                                                min_estimation_obs, events, (code_col, date_col))
    mkt, ev = _market_frame(market), events.reset_index(drop=True).copy()
    cal, eid, status = pd.DatetimeIndex(mkt.index), _event_ids(ev, event_id_col), np.full(len(ev), OK, dtype=object)
    mcol, mname = _market_columns(mkt, ev, market_col, status)
    sess = _event_sessions(ev, code_col, date_col, cal, a, d, status)
    R, G, n_off, lo, ci = _returns_matrix(returns, cal, sess["codes"], sess["p"], a, d, status)
    mats = dict(R=R, G=G, lo=lo, M=mkt.to_numpy(dtype=float), p=sess["p"], ci=ci, mcol=mcol,
                thin_trading=thin_trading)
    est_off, ev_off = np.arange(a, b + 1), np.arange(c, d + 1)
    es, evw = _gather(est_off, **mats), _gather(ev_off, **mats)
    fit = _estimate(es, evw, status, model=model, n_par=n_par, min_obs=min_obs)
    win = _event_window(evw, fit, status, model=model)
    out = _result_frame(ev, eid, sess, status, fit, win, model=model, n_par=n_par, mname=mname,
                        skip=(event_id_col, code_col, date_col))
    if is_simulated(events) or is_simulated(returns):
        out = mark_simulated(out, "lgresearch.events on simulated returns")
    else:
        mark_real(out, f"abnormal returns ({model} model) from {source_of(returns, 'returns')}; market: "
                       f"{source_of(mkt, 'market series') if mkt.attrs else 'market series'}")
    _attach_paths(out, eid, sess, status, fit, win, evw, model=model, n_off=n_off, windows=(a, b, c, d))
    return _to_result(out)


def _returns_matrix(returns: pd.DataFrame, cal: pd.DatetimeIndex, codes: pd.Series, p: np.ndarray, a: int, d: int,
                    status: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int, np.ndarray]:
    """Return and gap matrices of the event codes (rows outside the sessions the windows can reach are cut
    first; column ``j`` is session ``lo + j``), the off-calendar count, ``lo`` and each event's row; events
    without returns get their status."""
    code_index = pd.Index(pd.unique(codes.dropna().astype(str)))
    R, G, n_off, lo = _prepare_returns(_date_slice(returns, cal, p[status == OK], a, d, code_index), cal,
                                        code_index, crop=True)
    has_ret = np.isfinite(R).any(axis=1)
    ci = code_index.get_indexer(codes.fillna("").astype(str).to_numpy())
    unknown = (ci < 0) | ~has_ret[np.maximum(ci, 0)]
    status[unknown & (status == OK)] = "no returns for the code around the event"
    return R, G, n_off, lo, np.maximum(ci, 0)


def _attach_paths(out: pd.DataFrame, eid: np.ndarray, sess: dict, status: np.ndarray, fit: dict, win: dict,
                  evw: tuple, *, model: str, n_off: int, windows: tuple[int, int, int, int]) -> None:
    """Exclusions, windows and the per-event path matrices, into ``out.attrs``."""
    a, b, c, d = windows
    ok = out["status"] == OK
    excl = out.loc[~ok, "status"].value_counts()
    out.attrs["exclusions"] = {str(k): int(v) for k, v in excl.items()}
    out.attrs["rolled"] = int(sess["rolled"].sum())
    out.attrs["returns_off_calendar"] = n_off
    out.attrs["windows"] = {"estimation": (a, b), "event": (c, d)}
    p, v_ev = sess["p"], win["v_ev"]
    out.attrs["event_paths"] = EventPaths(
        event_ids=np.asarray(eid, dtype=object), rel_days=np.arange(c, d + 1), est_days=np.arange(a, b + 1),
        ar=win["ar"], ret=np.where(v_ev, evw[0], np.nan), er=np.where(v_ev, win["er"], np.nan),
        k=np.where(v_ev, evw[1], 0.0), Z=np.where(v_ev[..., None], fit["Z_ev"], 0.0), Ainv=fit["Ainv"],
        s2=fit["s2"], df=fit["df"].astype(float), sar_est=win["sar_es"], sar_ev=win["sar_ev"],
        n_est_days=b - a + 1, est_start=p + a, ev_pos=p, ok=(status == OK).copy(), model=model)


def _check_options(model: str, thin_trading: str, estimation_window, event_window, min_estimation_obs,
                   events: pd.DataFrame, columns: tuple[str, str]) -> tuple[int, int, int, int, int, int]:
    """Validate the options of :func:`abnormal_returns`; return ``(a, b, c, d, min_obs, n_par)``."""
    if model not in MODELS:
        raise EventStudyError(f"model must be one of {MODELS}, got {model!r}")
    if thin_trading not in ("trade_to_trade", "drop"):
        raise EventStudyError("thin_trading must be 'trade_to_trade' or 'drop'")
    a, b = map(int, estimation_window)
    c, d = map(int, event_window)
    if a > b or c > d:
        raise EventStudyError(f"windows must be (start, end) with start <= end: {estimation_window}, {event_window}")
    if b >= c:
        raise EventStudyError(f"the estimation window {estimation_window} must end before the event window "
                              f"{event_window} starts")
    La = b - a + 1
    min_obs = int(min_estimation_obs) if min_estimation_obs is not None else max(La // 2, 3)
    n_par = {"market": 2, "mean": 1, "market_adjusted": 0}[model]
    if min_obs < n_par + 3:
        raise EventStudyError(f"min_estimation_obs must be at least {n_par + 3} for the {model} model")
    for col in columns:
        if col not in events.columns:
            raise EventStudyError(f"events lacks column {col!r}")
    return a, b, c, d, min_obs, n_par


def _event_ids(ev: pd.DataFrame, id_col: str) -> np.ndarray:
    """The events' ids (``id_col`` when present and unique, else 0..E-1)."""
    if id_col in ev.columns:
        if ev[id_col].duplicated().any():
            raise EventStudyError(f"events has duplicated {id_col!r} values, e.g. "
                                  f"{ev.loc[ev[id_col].duplicated(), id_col].iloc[0]!r}")
        return ev[id_col].to_numpy()
    return np.arange(len(ev))


def _market_columns(mkt: pd.DataFrame, ev: pd.DataFrame, market_column: str,
                    status: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Market column (position, name) per event; unknown names set the event's status."""
    E = len(ev)
    if mkt.shape[1] == 1:
        return np.zeros(E, dtype=np.int64), np.full(E, mkt.columns[0], dtype=object)
    if market_column not in ev.columns:
        raise EventStudyError(f"market has {mkt.shape[1]} columns; events needs a {market_column!r} column "
                              f"naming one of {list(mkt.columns)}")
    mname = ev[market_column].astype(str).to_numpy()
    mcol = pd.Index(mkt.columns).get_indexer(mname)
    status[mcol < 0] = "unknown market column"
    return np.maximum(mcol, 0), mname


def _event_sessions(ev: pd.DataFrame, code_col: str, date_col: str, cal: pd.DatetimeIndex, a: int, d: int,
                    status: np.ndarray) -> dict:
    """Event codes, dates and sessions (rolled forward to the next session); statuses of unusable events set."""
    T, E = len(cal), len(ev)
    codes_ev = _event_codes(ev[code_col])
    dates_ev = _naive_dates(ev[date_col], f"events column {date_col!r}")
    miss = (codes_ev.isna() | dates_ev.isna()).to_numpy()
    status[miss & (status == OK)] = "missing code or event date"
    dnum = pd.DatetimeIndex(dates_ev.fillna(cal[0] if T else pd.Timestamp("2000-01-01"))).astype("datetime64[ns]")
    p = np.searchsorted(cal.to_numpy(), dnum.to_numpy(), side="left")
    after = p >= T
    status[after & (status == OK)] = "event date after the last session of the market data"
    p = np.minimum(p, max(T - 1, 0))
    before = (dnum.to_numpy() < cal.to_numpy()[0]) if T else np.ones(E, dtype=bool)
    status[before & (status == OK)] = "event date before the first session of the market data"
    session = cal.to_numpy()[p] if T else np.full(E, np.datetime64("NaT"))
    rolled = np.where(miss | after | before, False, session != dnum.to_numpy())
    status[(p + a < 0) & (status == OK)] = "estimation window starts before the first session"
    status[(p + d >= T) & (status == OK)] = "event window ends after the last session"
    return dict(codes=codes_ev, dates=dates_ev, p=p, rolled=rolled,
                session=pd.to_datetime(np.where(miss | after | before, np.datetime64("NaT"), session)))


def _gather(offsets: np.ndarray, *, R: np.ndarray, G: np.ndarray, lo: int, M: np.ndarray, p: np.ndarray,
            ci: np.ndarray, mcol: np.ndarray, thin_trading: str
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Returns, spans, market returns (compounded over a return's span) and validity at ``offsets`` per event
    (``R`` and ``G`` start at session ``lo``; sessions outside them hold no return)."""
    T = M.shape[0]
    P = np.clip(p[:, None] + offsets[None, :], 0, max(T - 1, 0))
    inside = (P >= lo) & (P < lo + R.shape[1])
    Pr = np.clip(P - lo, 0, R.shape[1] - 1)
    r = np.where(inside, R[ci[:, None], Pr], np.nan)
    k = np.where(inside, G[ci[:, None], Pr], np.int16(0))
    kk = np.maximum(k, 1)
    m1 = M[P, mcol[:, None]]
    if (kk > 1).any():
        # market compounded over gaps via cumulative log sums
        lm = np.log1p(np.where(np.isfinite(M), M, 0.0))
        CL = np.vstack([np.zeros((1, M.shape[1])), np.cumsum(lm, axis=0)])
        CN = np.vstack([np.zeros((1, M.shape[1]), dtype=np.int64), np.cumsum(~np.isfinite(M), axis=0)])
        kk = kk.astype(np.int64)
        lo_ = np.clip(P + 1 - kk, 0, T)
        mk = np.expm1(CL[P + 1, mcol[:, None]] - CL[lo_, mcol[:, None]])
        nan_span = (CN[P + 1, mcol[:, None]] - CN[lo_, mcol[:, None]]) > 0
        mk = np.where(kk == 1, m1, np.where(nan_span | (P + 1 - kk < 0), np.nan, mk))
    else:
        mk = m1
    valid = np.isfinite(r) & np.isfinite(mk) & (k >= 1)
    if thin_trading == "drop":
        valid &= k == 1
    return r, kk.astype(float), mk, valid


def _design(model: str, k0: np.ndarray, m0: np.ndarray, k_ev: np.ndarray,
            m_ev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Regressors z = (k, M_k) for the market model, (k) for the mean model, none for market-adjusted."""
    if model == "market":
        return np.stack([k0, m0], axis=-1), np.stack([k_ev, m_ev], axis=-1)
    if model == "mean":
        return k0[..., None], k_ev[..., None]
    return np.zeros(k0.shape + (0,)), np.zeros(k_ev.shape + (0,))


def _estimate(es: tuple, evw: tuple, status: np.ndarray, *, model: str, n_par: int, min_obs: int) -> dict:
    """Fit the expected-return model in the estimation window (weights 1/k); statuses of unusable events set."""
    r_es, k_es, m_es, v_es = es
    _, k_ev, m_ev, _ = evw
    okrow = status == OK
    v_es = v_es & okrow[:, None]
    n_est = v_es.sum(axis=1)
    status[okrow & (n_est < min_obs)] = f"too few estimation returns (< {min_obs})"
    okrow = status == OK
    v_es &= okrow[:, None]
    w = np.where(v_es, 1.0 / k_es, 0.0)
    r0 = np.where(v_es, r_es, 0.0)
    m0 = np.where(v_es, m_es, 0.0)
    k0 = np.where(v_es, k_es, 0.0)
    Z_es, Z_ev = _design(model, k0, m0, k_ev, m_ev)
    y = r0 if model != "market_adjusted" else r0 - m0
    wZ = w[..., None] * Z_es
    A = np.matmul(wZ.transpose(0, 2, 1), Z_es)
    bvec = np.matmul(wZ.transpose(0, 2, 1), y[..., None])[..., 0]
    theta, Ainv = _solve_sym(A, bvec)
    fit_es = np.matmul(Z_es, theta[..., None])[..., 0]
    resid = np.where(v_es, y - fit_es, np.nan)
    if model == "market_adjusted":
        # variance of the market-adjusted return around its (per-session) mean in the estimation window
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.nansum(np.where(v_es, resid, 0.0), axis=1) / np.where(okrow, k0.sum(axis=1), np.nan)
        centred = resid - mu[:, None] * k_es
        df = n_est - 1
        ssr = np.nansum(np.where(v_es, centred ** 2 / k_es, 0.0), axis=1)
    else:
        df = n_est - n_par
        ssr = np.nansum(np.where(v_es, resid ** 2 / k_es, 0.0), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.where(okrow & (df > 0), ssr / df, np.nan)
    sing = okrow & ~np.isfinite(s2 if n_par == 0 else Ainv.reshape(len(status), -1).sum(axis=1))
    status[sing] = "singular estimation (no market variation)"
    return dict(n_est=n_est, theta=theta, Ainv=Ainv, resid=resid, df=df, s2=s2, k_es=k_es, Z_ev=Z_ev)


def _event_window(evw: tuple, fit: dict, status: np.ndarray, *, model: str) -> dict:
    """Abnormal returns, CAR, its standard error, BHAR and standardised ARs in the event window."""
    r_ev, k_ev, m_ev, v_ev = evw
    okrow = status == OK
    v_ev = v_ev & okrow[:, None]
    theta, Ainv, s2, Z_ev = fit["theta"], fit["Ainv"], fit["s2"], fit["Z_ev"]
    er = np.matmul(Z_ev, theta[..., None])[..., 0]
    if model == "market_adjusted":
        er = m_ev
    ar = np.where(v_ev, r_ev - er, np.nan)
    n_ev = v_ev.sum(axis=1)
    status[okrow & (n_ev == 0)] = "no return in the event window"
    okrow = status == OK
    v_ev &= okrow[:, None]
    ar = np.where(v_ev, ar, np.nan)
    car = np.where(okrow, np.nansum(ar, axis=1), np.nan)
    ksum = np.where(v_ev, k_ev, 0.0).sum(axis=1)
    zsum = np.einsum("et,eti->ei", v_ev.astype(float), np.where(v_ev[..., None], Z_ev, 0.0))
    var_car = s2 * (ksum + np.einsum("ei,eij,ej->e", zsum, Ainv, zsum))
    with np.errstate(invalid="ignore", divide="ignore"):
        car_se = np.where(okrow, np.sqrt(var_car), np.nan)
        scar = car / car_se
        gross = np.where(v_ev, 1.0 + r_ev, 1.0).prod(axis=1) - np.where(v_ev, 1.0 + er, 1.0).prod(axis=1)
    # standardised ARs for ranks and residual correlations
    with np.errstate(invalid="ignore", divide="ignore"):
        sar_es = fit["resid"] / np.sqrt(s2[:, None] * fit["k_es"])
        var_t = s2[:, None] * (k_ev + np.einsum("eti,eij,etj->et", Z_ev, Ainv, Z_ev))
        sar_ev = ar / np.sqrt(var_t)
    return dict(v_ev=v_ev, er=er, ar=ar, n_ev=n_ev, car=car, car_se=car_se, scar=scar,
                bhar=np.where(okrow, gross, np.nan), sar_es=sar_es,
                sar_ev=np.where(okrow[:, None], sar_ev, np.nan))


def _result_frame(ev: pd.DataFrame, eid: np.ndarray, sess: dict, status: np.ndarray, fit: dict, win: dict, *,
                  model: str, n_par: int, mname: np.ndarray, skip: tuple[str, str, str]) -> pd.DataFrame:
    """The per-event table of :func:`abnormal_returns` (before provenance and attrs)."""
    E, theta = len(ev), fit["theta"]
    alpha_ = theta[:, 0] if n_par >= 1 else np.full(E, np.nan)
    beta_ = theta[:, 1] if n_par == 2 else (np.zeros(E) if model == "market_adjusted" else np.full(E, np.nan))
    if model == "market_adjusted":
        alpha_ = np.zeros(E)
        beta_ = np.ones(E)
    out = pd.DataFrame({"event_id": eid})
    out["code"] = sess["codes"].to_numpy()
    out["event_date"] = sess["dates"].to_numpy()
    out["event_session"] = sess["session"]
    out["rolled"] = sess["rolled"]
    for col in [col for col in ev.columns if col not in skip]:
        out[col] = ev[col].to_numpy()
    out["market"] = mname
    out["model"] = model
    out["status"] = status.astype(str)
    ok = out["status"] == OK
    out["n_est"] = np.where(ok, fit["n_est"], 0)
    out["alpha"] = np.where(ok, alpha_, np.nan)
    out["beta"] = np.where(ok, beta_, np.nan)
    out["sigma"] = np.where(ok, np.sqrt(fit["s2"]), np.nan)
    out["df"] = np.where(ok, fit["df"], 0)
    out["n_event_obs"] = np.where(ok, win["n_ev"], 0)
    for col in ("car", "car_se", "scar", "bhar"):
        out[col] = np.where(ok, win[col], np.nan)
    return out


__all__ = ["abnormal_returns", "AbnormalReturns"]
