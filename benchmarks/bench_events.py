"""Speed of the vectorised abnormal-return engine against a per-event statsmodels OLS loop (same run, same data).

Run on demand: ``.venv/bin/python benchmarks/bench_events.py [--events 2000] [--days 900]``.

Both sides start from the same long returns frame (code as a categorical, as in the cached price panel), estimate
the market model over the estimation window [-250, -30] (221 sessions; the issue's "250-day" window) and compute
the abnormal returns over [-1, +1] for every event. The baseline is the textbook loop: group the returns by code
once, then per event align the firm's series with the market on the window dates, ``sm.OLS(y,
add_constant(x)).fit()``, ``get_prediction`` on the event window, and the CAR, its forecast-error variance, the
standardised CAR, BHAR and the ranks of standardised ARs (what the engine returns). Two faster loops are timed
too: the same outputs after pivoting all returns into a wide matrix once (a vectorisation step in itself), and a
lean loop (parameters and CAR only) as a lower bound. Prints the times, the ratios (target >= 20x against the
textbook loop) and the maximum absolute differences (target <= 1e-8).
Times are the best of ``--repeat`` runs (the machine may be shared; the minimum is the least noisy estimate).
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd


def per_event_loop(returns: pd.DataFrame, market: pd.Series, events: pd.DataFrame, est=(-250, -30), evw=(-1, 1),
                   *, full: bool = True, style: str = "wide") -> pd.DataFrame:
    """The baseline: one statsmodels OLS per event, from the same long returns frame.

    ``style="textbook"``: group the long frame by code once, then per event take the firm's series, align it with
    the market on the window's dates (``reindex``), fit and predict. ``style="wide"``: pivot all returns into a
    dates x codes matrix once (itself a vectorisation step), then per event slice numpy arrays, fit and predict.
    ``full=True`` computes what the engine returns per event (alpha, beta, residual variance, ARs, CAR, its
    forecast-error variance, the standardised CAR, BHAR and the standardised-AR ranks the Corrado test needs);
    ``full=False`` only the parameters and the CAR.
    """
    import statsmodels.api as sm
    from scipy import stats

    cal = market.index
    mk = market.to_numpy()
    if style == "wide":
        wide = returns.pivot(index="date", columns="code", values="ret").reindex(cal)
        series = {c: wide[c].to_numpy() for c in wide.columns}
    else:
        groups = {str(c): g.set_index("date")["ret"] for c, g in returns.groupby("code", observed=True)}
    out = []
    for code, date in zip(events["code"], events["event_date"], strict=True):
        p = cal.get_loc(date)
        if style == "wide":
            col = series[code]
            y, ye = col[p + est[0]:p + est[1] + 1], col[p + evw[0]:p + evw[1] + 1]
        else:
            g = groups[code]
            y = g.reindex(cal[p + est[0]:p + est[1] + 1]).to_numpy()
            ye = g.reindex(cal[p + evw[0]:p + evw[1] + 1]).to_numpy()
        x = mk[p + est[0]:p + est[1] + 1]
        xe = mk[p + evw[0]:p + evw[1] + 1]
        ok = np.isfinite(y) & np.isfinite(x)
        fit = sm.OLS(y[ok], sm.add_constant(x[ok])).fit()
        if not full:
            ar = ye - (fit.params[0] + fit.params[1] * xe)
            out.append((fit.params[0], fit.params[1], fit.scale, np.nansum(ar), np.nan, np.nan))
            continue
        Xe = sm.add_constant(xe, has_constant="add")
        pred = fit.get_prediction(Xe)
        er = pred.predicted_mean
        ar = ye - er
        v = np.isfinite(ar)
        xs = Xe[v].sum(axis=0)
        var_car = fit.scale * (v.sum() + xs @ fit.normalized_cov_params @ xs)
        car = np.nansum(ar)
        bhar = np.prod(1 + ye[v]) - np.prod(1 + er[v])
        sar_e = ar / np.sqrt(pred.se_obs ** 2)
        sar_est = fit.resid / np.sqrt(fit.scale)
        stats.rankdata(np.concatenate([sar_est, sar_e[v]]))
        out.append((fit.params[0], fit.params[1], fit.scale, car, car / np.sqrt(var_car), bhar))
    return pd.DataFrame(out, columns=["alpha", "beta", "s2", "car", "scar", "bhar"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--days", type=int, default=900)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=4, help="timings are the best of this many runs "
                        "(the loops: half as many)")
    args = parser.parse_args(argv)

    import statsmodels.api  # noqa: F401  (imported before timing: the baseline is not charged for imports)

    from lgresearch import events as ev

    sim = ev.simulate_event_data(n_firms=args.events, n_days=args.days, n_event_dates=40, effect=0.01,
                                 seed=args.seed)
    rng = np.random.default_rng(args.seed)
    r = sim.returns.copy()
    r.loc[rng.random(len(r)) < 0.02, "ret"] = np.nan  # some missing days, so samples differ by event
    returns = r[["code", "date", "ret"]].assign(code=lambda d: d["code"].astype("category"))
    print(f"{args.events} events, estimation window [-250, -30] (221 sessions), event window [-1, 1]; "
          f"{len(returns):,} return rows")

    def best_of(n, fn):
        times, out = [], None
        for _ in range(n):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        return min(times), out

    t_vec, res = best_of(args.repeat, lambda: ev.abnormal_returns(
        returns, sim.events, market=sim.market, estimation_window=(-250, -30), event_window=(-1, 1),
        thin_trading="drop"))
    t_tests, tab = best_of(1, lambda: ev.test_car(res))
    n_loop = max(1, args.repeat // 2)
    t_loop, ref = best_of(n_loop, lambda: per_event_loop(returns, sim.market, sim.events, style="textbook"))
    t_wide, wide = best_of(n_loop, lambda: per_event_loop(returns, sim.market, sim.events, style="wide"))
    t_lean, lean = best_of(n_loop, lambda: per_event_loop(returns, sim.market, sim.events, style="wide",
                                                          full=False))

    ok = res["status"].eq("ok").to_numpy()
    diffs = {
        "alpha": np.max(np.abs(res.loc[ok, "alpha"].to_numpy() - ref.loc[ok, "alpha"].to_numpy())),
        "beta": np.max(np.abs(res.loc[ok, "beta"].to_numpy() - ref.loc[ok, "beta"].to_numpy())),
        "s2": np.max(np.abs(res.loc[ok, "sigma"].to_numpy() ** 2 - ref.loc[ok, "s2"].to_numpy())),
        "car": np.max(np.abs(res.loc[ok, "car"].to_numpy() - ref.loc[ok, "car"].to_numpy())),
        "scar": np.max(np.abs(res.loc[ok, "scar"].to_numpy() - ref.loc[ok, "scar"].to_numpy())),
        "bhar": np.max(np.abs(res.loc[ok, "bhar"].to_numpy() - ref.loc[ok, "bhar"].to_numpy())),
        "car (lean)": np.max(np.abs(res.loc[ok, "car"].to_numpy() - lean.loc[ok, "car"].to_numpy())),
    }
    ratio = t_loop / t_vec
    print(f"vectorised engine                          : {t_vec:7.3f} s  ({int(ok.sum())} events ok)")
    print(f"  then all {len(tab)} tests of the mean CAR          : {t_tests:7.3f} s")
    print(f"statsmodels loop, textbook, same outputs   : {t_loop:7.3f} s  ratio {ratio:5.1f} x  (target >= 20 x)")
    print(f"statsmodels loop, pre-pivoted, same outputs: {t_wide:7.3f} s  ratio {t_wide / t_vec:5.1f} x")
    print(f"statsmodels loop, pre-pivoted, params + CAR: {t_lean:7.3f} s  ratio {t_lean / t_vec:5.1f} x  "
          "(lower bound)")
    diffs["car (pre-pivoted loop)"] = np.max(np.abs(res.loc[ok, "car"].to_numpy() - wide.loc[ok, "car"].to_numpy()))
    print("max |difference| vs the loops: " + ", ".join(f"{k} {v:.2e}" for k, v in diffs.items())
          + "   (target <= 1e-8)")
    failed = ratio < 20 or max(diffs.values()) > 1e-8
    print("RESULT:", "FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
