"""Fitting engines: the event-time regressions (pyfixest or the package's sparse solvers), did2s, Wald tests."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from lgresearch.errors import DidInputError


def _pyfixest():
    import pyfixest as pf

    return pf


class DidWarning(UserWarning):
    """Something in an estimate the user should know (e.g. a coefficient that could not be identified)."""


class _QuietThirdParty:
    """Run pyfixest quietly: drop pandas/pyfixest deprecation chatter (e.g. ``Pandas4Warning``), keep the
    collinearity notes in :attr:`notes`, and re-emit any other warning. Only wraps third-party calls, so
    lgresearch's own warnings are never hidden."""

    def __enter__(self):
        self._cm = warnings.catch_warnings(record=True)
        self.records = self._cm.__enter__()
        warnings.simplefilter("always")
        self.notes: list[str] = []
        return self

    def __exit__(self, *exc):
        out = self._cm.__exit__(*exc)
        for r in self.records:
            if issubclass(r.category, (DeprecationWarning, FutureWarning)):
                continue
            text = " ".join(str(r.message).split())
            if "multicollinearity" in text or "singleton" in text.lower():
                self.notes.append(text)
                continue
            if issubclass(r.category, RuntimeWarning) and "pyfixest" in str(r.filename):
                # 0/0 in pyfixest's fit statistics (t-stats, R²) when an outcome has no variance left: keep a note
                self.notes.append(f"pyfixest: {text}")
                continue
            warnings.warn_explicit(r.message, r.category, r.filename, r.lineno)
        return out


def _name(e: int) -> str:
    return f"m{-e}" if e < 0 else f"p{e}"

def _wald(b: np.ndarray, v: np.ndarray, n_clusters: int) -> dict:
    from scipy import special

    q = len(b)
    if q == 0:
        return {"stat": float("nan"), "df": 0, "p": float("nan"), "p_chi2": float("nan"), "test": "no leads"}
    stat = float(b @ np.linalg.pinv(v) @ b)
    f = stat / q
    df2 = max(n_clusters - 1, 1)
    # scipy.special's F and chi-square survival functions: what scipy.stats.f.sf / chi2.sf evaluate, without
    # importing scipy.stats (over a second at the first call)
    return {"stat": stat, "df": q, "p": float(special.fdtrc(q, df2, f)), "p_chi2": float(special.chdtrc(q, stat)),
            "test": f"Wald F({q}, {df2}) on the leads, cluster-robust"}


#: ``engine="auto"`` switches from pyfixest to :func:`fe_dummy_ols` above this many observation x dummy cells
#: (pyfixest holds the dummies densely, several copies: ~7 GiB for Sun-Abraham on 200,000 units x 12 years).
FAST_ENGINE_CELLS = 50_000_000


def _cells(df: pd.DataFrame, estimator: str, times: list[int], lo: int) -> tuple[np.ndarray, list[str], dict]:
    """Cell code per observation (-1 = none) for the twfe / sun_abraham dummies, their names, and the map
    (cohort or None, event time) -> cell name for the reported cells."""
    treated = df["_gd"].to_numpy() > 0
    e = df["_e"].to_numpy()
    g = df["_gd"].to_numpy()
    cell = np.full(len(df), -1, dtype=np.int64)
    names: list[str] = []
    reported: dict = {}
    groups = [None] if estimator == "twfe" else sorted(int(c) for c in np.unique(g[treated]))
    for c in groups:
        in_c = treated if c is None else treated & (g == c)
        prefix = "es" if c is None else f"sa_{c}"
        keys: list[int | str] = [*times, "prebin"]
        for k in keys:
            m = in_c & ((e < lo) if k == "prebin" else (e == k))
            if m.any():
                cell[m] = len(names)
                names.append(f"{prefix}_{k if isinstance(k, str) else _name(k)}")
                if k != "prebin":
                    reported[(c, k)] = names[-1]
    return cell, names, reported


def _fit_event_time(df: pd.DataFrame, estimator: str, window: tuple[int, int], ref: int, anticipation: int,
                    engine: str = "auto") -> tuple[pd.Series, pd.DataFrame, dict]:
    """Fit one estimator; return event-time estimates (index = event time), their covariance, and fit info."""
    lo, hi = window
    extra: dict = {}
    times = [e for e in range(lo, hi + 1) if e != ref]
    treated = df["_gd"].to_numpy() > 0
    e = df["_e"].to_numpy()
    data = df[["_y", "_unit", "_time", "_cl"]].copy()
    n_clusters = int(df["_cl"].nunique())
    if estimator in ("twfe", "sun_abraham"):
        cell, names, reported = _cells(df, estimator, times, lo)
        fast = engine == "lgresearch" or (engine == "auto" and len(df) * len(names) > FAST_ENGINE_CELLS)
        extra["engine"] = "lgresearch.did.fe_dummy_ols" if fast else "pyfixest.feols"
        if fast:
            beta, vc_full, n_obs = fe_dummy_ols(df["_y"].to_numpy(dtype=float), df["_unit"].to_numpy(),
                                                df["_time"].to_numpy(), df["_cl"].to_numpy(), cell, len(names))
            ok = np.isfinite(beta)
            coef = pd.Series(beta[ok], index=[n for n, k in zip(names, ok, strict=True) if k])
            vc = vc_full[np.ix_(ok, ok)]
        else:
            pf = _pyfixest()
            for j, name in enumerate(names):
                data[name] = (cell == j).astype(np.float64)
            with _QuietThirdParty() as quiet:
                fit = pf.feols(f"_y ~ {' + '.join(names)} | _unit + _time", data=data, vcov={"CRV1": "_cl"},
                               copy_data=False, store_data=False)
            extra["pyfixest_notes"] = quiet.notes
            coef, vc = _coef_vcov(fit)
            n_obs = int(fit._N)
        A = pd.DataFrame(0.0, index=times, columns=coef.index)
        if estimator == "twfe":
            for k in times:
                col = reported.get((None, k))
                if col in A.columns:
                    A.loc[k, col] = 1.0
        else:
            # interaction-weighted aggregation: cohort shares among treated observations at each event time
            cohorts = sorted({c for c, _ in reported})
            cell_n = df[treated].groupby(["_gd", "_e"]).size()
            lost = [reported[ck] for ck in reported if reported[ck] not in A.columns]
            if lost:
                warnings.warn(f"sun_abraham: cohort x event-time cell(s) {lost} not identified (collinear); the "
                              "event-time averages use the remaining cohorts.", DidWarning, stacklevel=4)
            for k in times:
                cols = [(c, reported[(c, k)]) for c in cohorts
                        if (c, k) in reported and reported[(c, k)] in A.columns]
                tot = sum(int(cell_n.get((c, k), 0)) for c, _ in cols)
                for c, col in cols:
                    A.loc[k, col] = cell_n.get((c, k), 0) / tot if tot else 0.0
    elif estimator == "did2s":
        # no omitted period: every event time in the window, the reference included, is measured against the
        # imputed untreated outcome (so the leads show any pre-trend as it is)
        times = list(range(lo, hi + 1))
        D = treated & (e >= -int(anticipation))
        X2 = np.column_stack([(treated & (e == k)) for k in times]).astype(np.float64)
        beta, vc, n_obs, n_dropped = did2s_fit(
            data["_y"].to_numpy(dtype=float), data["_unit"].to_numpy(), data["_time"].to_numpy(),
            data["_cl"].to_numpy(), D, X2)
        names = [f"es_{_name(k)}" for k in times]
        coef = pd.Series(beta, index=names)
        A = pd.DataFrame(np.eye(len(times)), index=times, columns=names)
        A.loc[:, ~np.isfinite(beta)] = 0.0
        coef = coef.fillna(0.0)
        vc = np.nan_to_num(vc)
        extra["did2s_dropped_obs_not_imputable"] = n_dropped
    else:  # pragma: no cover - validated by the caller
        raise DidInputError(f"unknown estimator {estimator!r}")
    dropped = [k for k in times if not (A.loc[k] != 0).any()]
    if dropped:
        warnings.warn(f"{estimator}: event time(s) {dropped} not identified in this sample (collinear or empty); "
                      "reported as NaN. Narrow the window or check the panel's coverage.", DidWarning, stacklevel=4)
    b = A.to_numpy() @ coef.to_numpy()
    V = A.to_numpy() @ vc @ A.to_numpy().T
    b[[times.index(k) for k in dropped]] = np.nan
    est = pd.Series(b, index=times)
    cov = pd.DataFrame(V, index=times, columns=times)
    return est, cov, {"n_obs": n_obs, "n_clusters": n_clusters, "dropped_event_times": dropped, **extra}


def _twoway_solve(unit: np.ndarray, tix: np.ndarray, n_units: int, n_times: int, rows: np.ndarray,
                  b_u: np.ndarray, b_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve the two-way fixed-effects normal equations ``(X0'X0) d = b`` exactly.

    ``X0`` holds unit and time dummies of the observations selected by ``rows``. The unit block is diagonal,
    so the time block's Schur complement (``n_times`` square) is solved directly (the two-way
    design has one redundant dimension, removed by setting the first period's effect to 0; the fitted
    ``d_unit + d_time`` is unique). Cost is linear in rows.
    """
    from scipy import sparse

    u, t = unit[rows], tix[rows]
    C = sparse.csr_matrix((np.ones(len(u)), (u, t)), shape=(n_units, n_times))
    d_u = np.asarray(C.sum(axis=1)).ravel()
    d_t = np.asarray(C.sum(axis=0)).ravel()
    inv_u = np.divide(1.0, d_u, out=np.zeros_like(d_u), where=d_u > 0)
    Cw = sparse.diags(inv_u) @ C
    S = np.diag(d_t) - (C.T @ Cw).toarray()
    r = b_t - Cw.T @ b_u
    # normalize the first period's effect to 0 (removes the redundant dimension; a connected design has no
    # other), then least squares on the remaining periods
    delta_t = np.zeros_like(r, dtype=float)
    if n_times > 1:
        delta_t[1:] = np.linalg.lstsq(S[1:, 1:], r[1:], rcond=None)[0]
    delta_u = inv_u[:, None] * (b_u - C @ delta_t)
    return delta_u, delta_t


def did2s_fit(y: np.ndarray, unit: np.ndarray, time: np.ndarray, cluster: np.ndarray, treated: np.ndarray,
              X2: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Gardner's two-stage DiD with its GMM cluster-robust covariance, linear in the number of observations.

    Stage 1 fits ``y = a_unit + l_time`` on untreated observations; stage 2 regresses the residual
    ``y - a - l`` on ``X2`` (mutually exclusive event-time dummies). The covariance is the GMM sandwich of
    Gardner (2022) / Butts' ``did2s`` (as in :func:`pyfixest.did2s`, no small-sample factor). pyfixest 0.60's
    own covariance builds dense unit-dummy matrices and loops over clusters, which does not scale past a few
    thousand units; this computes the same quantities through the two-way normal equations (the test suite
    checks equality with :func:`pyfixest.did2s`). Observations whose unit or period has no untreated
    observation cannot be imputed and are dropped (counted in the last return value).

    Parameters
    ----------
    y : ndarray
        Outcome per observation.
    unit, time : ndarray
        Integer-coded unit and period per observation.
    cluster : ndarray
        Integer-coded cluster per observation.
    treated : ndarray of bool
        Whether the observation is treated (excluded from the first stage).
    X2 : ndarray
        Second-stage regressors (observations x event-time dummies).

    Returns
    -------
    beta, vcov, n_obs, n_dropped

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> unit, time = np.repeat(np.arange(60), 4), np.tile(np.arange(4), 60)
    >>> treated = (unit < 30) & (time >= 2)
    >>> y = 0.1 * unit + 0.2 * time + 0.5 * treated + rng.normal(0, 0.01, 240)
    >>> beta, vcov, n, dropped = did2s_fit(y, unit, time, unit, treated, treated[:, None].astype(float))
    >>> round(float(beta[0]), 1), n, dropped
    (0.5, 240, 0)
    """
    keep = np.ones(len(y), dtype=bool)
    while True:  # units / periods without an untreated observation cannot be imputed
        un = ~treated & keep
        ok_u = np.isin(unit, np.unique(unit[un]))
        ok_t = np.isin(time, np.unique(time[un]))
        new = keep & ok_u & ok_t
        if new.sum() == keep.sum():
            break
        keep = new
    n_dropped = int((~keep).sum())
    y, cluster, treated, X2 = y[keep], cluster[keep], treated[keep], X2[keep]
    unit = pd.factorize(unit[keep])[0]
    tix = pd.factorize(time[keep])[0]
    U, T = int(unit.max()) + 1, int(tix.max()) + 1
    untreated = ~treated
    rows = np.flatnonzero(untreated)
    # stage 1
    b_u = np.bincount(unit[rows], weights=y[rows], minlength=U)[:, None]
    b_t = np.bincount(tix[rows], weights=y[rows], minlength=T)[:, None]
    a_u, l_t = _twoway_solve(unit, tix, U, T, rows, b_u, b_t)
    u1 = y - a_u[unit, 0] - l_t[tix, 0]
    # stage 2 (disjoint dummies: coefficients are cell means)
    n_cell = X2.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = (X2.T @ u1) / n_cell
    beta_f = np.where(n_cell > 0, beta, 0.0)
    u2 = u1 - X2 @ beta_f
    # GMM covariance: V' = (X10'X10)^-1 X1'X2, solved column by column through the normal equations
    k = X2.shape[1]
    B_u = np.column_stack([np.bincount(unit, weights=X2[:, j], minlength=U) for j in range(k)])
    B_t = np.column_stack([np.bincount(tix, weights=X2[:, j], minlength=T) for j in range(k)])
    d_u, d_t = _twoway_solve(unit, tix, U, T, rows, B_u, B_t)
    proj = d_u[unit] + d_t[tix]  # (n, k)
    score = X2 * u2[:, None] - (untreated * u1)[:, None] * proj
    cl = pd.factorize(cluster)[0]
    G = int(cl.max()) + 1
    S = np.column_stack([np.bincount(cl, weights=score[:, j], minlength=G) for j in range(k)])
    bread = np.divide(1.0, n_cell, out=np.zeros_like(n_cell), where=n_cell > 0)
    vcov = bread[:, None] * (S.T @ S) * bread[None, :]
    beta = np.where(n_cell > 0, beta, np.nan)
    return beta, vcov, int(len(y)), n_dropped


def fe_dummy_ols(y: np.ndarray, unit: np.ndarray, time: np.ndarray, cluster: np.ndarray, cell: np.ndarray,
                 n_cells: int, *, collin_tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray, int]:
    """OLS of ``y`` on mutually exclusive cell dummies with unit and time fixed effects, CRV1 by ``cluster``.

    The same estimator as ``pyfixest.feols("y ~ d_0 + ... | unit + time", vcov={"CRV1": cluster})`` (and the
    same small-sample factor ``G/(G-1) * (N-1)/(N-k)``, with the unit effects counted as nested in the
    clusters when every unit lies in one cluster), computed through the Frisch-Waugh-Lovell theorem and the
    exact two-way normal equations, so memory and time are linear in the observations instead of
    observations x dummies. Used for large designs (see ``engine`` in :func:`event_study`); the test suite
    checks equality with pyfixest.

    Parameters
    ----------
    y, unit, time, cluster : arrays
        Outcome, integer-coded unit and time, cluster codes.
    cell : int array
        Cell of each observation in ``0 .. n_cells - 1`` or -1 for none (the reference observations).
    n_cells : int
        Number of dummies.

    Returns
    -------
    beta, vcov, n_obs
        ``beta`` has NaN for cells dropped as collinear (their rows/columns of ``vcov`` are 0).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> unit, time = np.repeat(np.arange(60), 4), np.tile(np.arange(4), 60)
    >>> cell = np.where((unit < 30) & (time >= 2), 0, -1)
    >>> y = 0.1 * unit + 0.2 * time + 0.5 * (cell == 0) + rng.normal(0, 0.01, 240)
    >>> beta, vcov, n = fe_dummy_ols(y, unit, time, unit, cell, 1)
    >>> round(float(beta[0]), 1), n
    (0.5, 240)
    """
    from scipy import sparse

    keep = _non_singletons(unit, time)
    y, unit, time, cluster, cell = y[keep], unit[keep], time[keep], cluster[keep], cell[keep]
    unit = pd.factorize(unit)[0]
    tix = pd.factorize(time)[0]
    U, T, N, K = int(unit.max()) + 1, int(tix.max()) + 1, len(y), int(n_cells)
    rows = np.arange(N)
    has = cell >= 0
    # two-way residuals of y and of each dummy (as unit/time projections)
    a_u, l_t = _twoway_solve(unit, tix, U, T, rows, np.bincount(unit, weights=y, minlength=U)[:, None],
                             np.bincount(tix, weights=y, minlength=T)[:, None])
    y_t = y - a_u[unit, 0] - l_t[tix, 0]
    cu = sparse.csr_matrix((np.ones(int(has.sum())), (unit[has], cell[has])), shape=(U, K))
    ct = sparse.csr_matrix((np.ones(int(has.sum())), (tix[has], cell[has])), shape=(T, K))
    d_u, d_t = _twoway_solve(unit, tix, U, T, rows, cu.toarray(), ct.toarray())
    n_cell = np.bincount(cell[has], minlength=K).astype(float)
    B = np.diag(n_cell) - cu.T @ d_u - ct.T @ d_t  # X'MX
    B = (B + B.T) / 2
    xy = np.bincount(cell[has], weights=y_t[has], minlength=K)  # X'My
    kk = _independent_cells(B, collin_tol)
    beta = np.full(K, np.nan)
    vcov = np.zeros((K, K))
    if not len(kk):
        return beta, vcov, N
    Bk = B[np.ix_(kk, kk)]
    bk = np.linalg.solve(Bk, xy[kk])
    beta[kk] = bk
    bfull = np.where(np.isnan(beta), 0.0, beta)
    # residuals of the full model: y~ - X~ b, with X~ b = X b - (d_u b)[unit] - (d_t b)[time]
    fit = np.where(has, bfull[np.where(has, cell, 0)], 0.0)
    eps = y_t - fit + (d_u @ bfull)[unit] + (d_t @ bfull)[tix]
    vcov[np.ix_(kk, kk)] = _crv1_cells(eps, cluster, unit, tix, cell, d_u, d_t, Bk, kk)
    return beta, vcov, N


def _non_singletons(unit: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Mask of observations kept after repeatedly dropping singletons (a unit or period seen once), as pyfixest
    does: they do not change the estimates but would count in the small-sample factor."""
    keep = np.ones(len(unit), dtype=bool)
    while True:
        u_n = pd.Series(unit[keep]).map(pd.Series(unit[keep]).value_counts()).to_numpy()
        t_n = pd.Series(time[keep]).map(pd.Series(time[keep]).value_counts()).to_numpy()
        single = (u_n == 1) | (t_n == 1)
        if not single.any():
            return keep
        idx = np.flatnonzero(keep)
        keep[idx[single]] = False


def _independent_cells(B: np.ndarray, collin_tol: float) -> np.ndarray:
    """Cells kept after dropping collinear ones (greedy pivoted Cholesky on X'MX, as pyfixest drops collinear
    variables)."""
    keep: list[int] = []
    for j in range(B.shape[0]):
        if B[j, j] <= 0:
            continue
        if keep:
            Bk = B[np.ix_(keep, keep)]
            r = B[j, j] - B[j, keep] @ np.linalg.solve(Bk, B[keep, j])
        else:
            r = B[j, j]
        if r > collin_tol * max(B[j, j], 1.0):
            keep.append(j)
    return np.array(keep, dtype=int)


def _crv1_cells(eps: np.ndarray, cluster: np.ndarray, unit: np.ndarray, tix: np.ndarray, cell: np.ndarray,
                d_u: np.ndarray, d_t: np.ndarray, Bk: np.ndarray, kk: np.ndarray) -> np.ndarray:
    """CRV1 covariance of the kept cells with pyfixest's small-sample factor ``G/(G-1) * (N-1)/(N-k)`` (unit
    effects not counted when nested in the clusters)."""
    from scipy import sparse

    has = cell >= 0
    N, K = len(eps), d_u.shape[1]
    U, T = d_u.shape[0], d_t.shape[0]
    cl = pd.factorize(cluster)[0]
    G = int(cl.max()) + 1
    s1 = sparse.csr_matrix((eps[has], (cl[has], cell[has])), shape=(G, K)).toarray()
    hu = sparse.csr_matrix((eps, (cl, unit)), shape=(G, U))
    ht = sparse.csr_matrix((eps, (cl, tix)), shape=(G, T))
    S = (s1 - hu @ d_u - ht @ d_t)[:, kk]
    Binv = np.linalg.inv(Bk)
    nested = bool((pd.Series(cl).groupby(unit).nunique() == 1).all())
    df_k = len(kk) + (T if nested else U + T - 1)
    ssc = G / (G - 1) * (N - 1) / (N - df_k)
    return ssc * Binv @ np.einsum("gi,gj->ij", S, S) @ Binv  # einsum: no threaded BLAS call for a (k, k) product


def within_fe_ols(y: np.ndarray, x: np.ndarray, unit: np.ndarray, cluster: np.ndarray
                  ) -> tuple[float, float, int] | None:
    """OLS of ``y`` on one regressor ``x`` with unit fixed effects and CRV1 standard errors by ``cluster``.

    The same estimate, standard error and observation count as ``pyfixest.feols("y ~ x | unit",
    vcov={"CRV1": cluster})`` (singleton units dropped; small-sample factor ``G/(G-1) * (N-1)/(N-2)``) when every
    unit lies in one cluster, computed in closed form (within-unit demeaning), linear in the observations.

    Parameters
    ----------
    y, x : ndarray
        Outcome and regressor per observation.
    unit, cluster : ndarray
        Unit and cluster ids per observation (any hashable codes).

    Returns
    -------
    (float, float, int) or None
        ``(estimate, se, n_obs)``; ``None`` when the closed form does not apply (units not nested in clusters, or
        ``x`` without variation within units): use pyfixest then.

    Examples
    --------
    >>> unit = np.repeat(np.arange(50), 4)
    >>> x = np.tile([0.0, 0.0, 1.0, 1.0], 50)
    >>> y = 0.1 * unit + 0.5 * x + np.random.default_rng(0).normal(0, 0.01, 200)
    >>> b, se, n = within_fe_ols(y, x, unit, unit)
    >>> round(b, 2), n
    (0.5, 200)
    """
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    u = pd.factorize(np.asarray(unit))[0]
    keep = np.bincount(u)[u] > 1  # singleton units dropped, as pyfixest does
    y, x = y[keep], x[keep]
    u = pd.factorize(u[keep])[0]
    cl = pd.factorize(np.asarray(cluster)[keep])[0]
    n_cl = int(cl.max()) + 1 if len(cl) else 0
    # units nested in clusters: as many distinct (unit, cluster) pairs as units
    if n_cl < 2 or len(np.unique(u.astype(np.int64) * n_cl + cl)) != int(u.max()) + 1:
        return None
    n_u = np.bincount(u)
    yt = y - (np.bincount(u, weights=y) / n_u)[u]
    xt = x - (np.bincount(u, weights=x) / n_u)[u]
    sxx = float(xt @ xt)
    if not sxx > 1e-12 * max(float(x @ x), 1.0):
        return None
    b = float(xt @ yt) / sxx
    score = np.bincount(cl, weights=xt * (yt - b * xt))
    n, g = len(y), int(cl.max()) + 1
    ssc = g / (g - 1) * (n - 1) / (n - 2)
    return b, float(np.sqrt(ssc * float(score @ score)) / sxx), n


def _coef_vcov(fit) -> tuple[pd.Series, np.ndarray]:
    coef = fit.coef()
    names = list(fit._coefnames)
    return pd.Series(np.asarray(coef, dtype=float), index=names), np.asarray(fit._vcov, dtype=float)

def _t_crit(n_clusters: int, level: float = 0.95) -> float:
    from scipy import special

    return float(special.stdtrit(max(n_clusters - 1, 1), 0.5 + level / 2))  # = scipy.stats.t.ppf


#: Every public name of this module.
__all__ = ["did2s_fit", "DidWarning", "FAST_ENGINE_CELLS", "fe_dummy_ols", "within_fe_ols"]
