"""did comparison groups (not-yet-treated incl. never-treated, later-treated) and the default window, checked
against pyfixest on a panel with never-treated units (SIMULATED worlds)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from lgresearch import did
from lgresearch.simulate import designation_world

KW = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")


@pytest.fixture(scope="module")
def panel():
    # no selection: never-treated units are valid comparisons
    w = designation_world(n_firms=600, seed=12, effect=0.3, selection=0.0)
    p = w.panel
    assert (p["cohort"] == 0).any() and (p["cohort"] > 0).any()
    return p


def _event_dummies(d: pd.DataFrame, window: tuple[int, int], ref: int | None):
    treated = d["cohort"] > 0
    e = np.where(treated, d["year"] - d["cohort"], -999)
    keep = ~(treated & (e > window[1]))
    d = d[keep].copy()
    e = e[keep.to_numpy()]
    names = []
    for k in range(window[0], window[1] + 1):
        if k == ref:
            continue
        names.append(f"x{k + 100}")
        d[names[-1]] = ((d["cohort"] > 0) & (e == k)).astype(float)
    return d, e, names


def test_not_yet_treated_did2s_uses_never_treated_like_pyfixest(panel):
    import pyfixest as pf

    es = did.event_study(panel, estimator="did2s", controls="not_yet_treated", window=(-3, 3), **KW)
    assert "never-treated" in es.attrs["comparison"]
    assert es.attrs["n_units"] == panel["firm_id"].nunique()  # nobody dropped
    d, e, names = _event_dummies(panel, (-3, 3), None)
    d["D"] = (d["cohort"] > 0) & (e >= 0)
    d["cl"] = pd.factorize(d["firm_id"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.did2s(d, yname="log_value", first_stage="~ 0 | firm_id + year",
                       second_stage="~ " + " + ".join(names), treatment="D", cluster="cl")
    ref = fit.tidy()
    np.testing.assert_allclose(es["estimate"], ref["Estimate"], atol=1e-5)
    np.testing.assert_allclose(es["se"], ref["Std. Error"], rtol=1e-4)


def test_not_yet_treated_twfe_matches_pyfixest_with_never_treated(panel):
    import pyfixest as pf

    es = did.event_study(panel, estimator="twfe", controls="not_yet_treated", window=(-3, 3), **KW)
    d, e, names = _event_dummies(panel, (-3, 3), -1)
    d["prebin"] = ((d["cohort"] > 0) & (e < -3)).astype(float)
    d["cl"] = pd.factorize(d["firm_id"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols("log_value ~ " + " + ".join([*names, "prebin"]) + " | firm_id + year", data=d,
                       vcov={"CRV1": "cl"})
    coef = fit.coef()
    se = fit.se()
    got = es.set_index("event_time")
    want = pd.Series({k: coef[f"x{k + 100}"] for k in got.index})
    want_se = pd.Series({k: se[f"x{k + 100}"] for k in got.index})
    np.testing.assert_allclose(got["estimate"], want, atol=1e-8)
    np.testing.assert_allclose(got["se"], want_se, rtol=1e-6)
    assert fit._N == es["n_obs"].iloc[0]


def test_later_treated_drops_never_treated_and_differs(panel):
    nyt = did.event_study(panel, estimator="sun_abraham", controls="not_yet_treated", window=(-3, 3), **KW)
    lt = did.event_study(panel, estimator="sun_abraham", controls="later_treated", window=(-3, 3), **KW)
    n_never = panel.loc[panel["cohort"] == 0, "firm_id"].nunique()
    assert lt.attrs["n_units_dropped_never_treated"] == n_never
    assert nyt.attrs["n_units_never_treated"] == n_never
    assert lt.attrs["n_units"] == panel["firm_id"].nunique() - n_never
    assert "later-treated" in lt.attrs["comparison"] and "last_cohort_as_control" in lt.attrs
    assert not np.allclose(nyt["estimate"], lt["estimate"])
    # later_treated is the not-yet-treated rule applied to the panel without its never-treated units
    only_treated = panel[panel["cohort"] > 0]
    same = did.event_study(only_treated, estimator="sun_abraham", controls="not_yet_treated", window=(-3, 3), **KW)
    np.testing.assert_allclose(same["estimate"], lt["estimate"], atol=1e-10)
    # both recover the planted effect here (no selection)
    for es in (nyt, lt):
        post = es[es["event_time"] >= 0]
        assert ((post["estimate"] - 0.3).abs() < 4 * post["se"] + 0.05).all()


def test_default_window_is_the_largest_supported_and_says_so(panel):
    # the last cohorts run out: with a fixed (-4, 4) window some event time lacks treated units
    cut = panel[(panel["cohort"] == 0) | (panel["cohort"] <= 2021)]
    counts = (cut[cut["cohort"] > 0].assign(e=lambda x: x["year"] - x["cohort"])
              .groupby("e")["firm_id"].nunique())
    es = did.event_study(cut, estimator="did2s", **KW)
    lo, hi = es.attrs["window"]
    assert "largest window" in es.attrs["window_rule"] and str((lo, hi)) in es.attrs["window_rule"]
    assert all(counts.get(k, 0) >= 2 for k in range(lo, hi + 1))
    assert counts.get(hi + 1, 0) < 2 or counts.get(lo - 1, 0) < 2
    assert es["event_time"].tolist() == list(range(lo, hi + 1))
    with pytest.raises(did.DidInputError, match="too few treated units"):
        did.event_study(cut, estimator="did2s", window=(lo, hi + 1), **KW)
    big = did.event_study(cut, estimator="did2s", min_treated=50, **KW)
    b_lo, b_hi = big.attrs["window"]
    assert b_lo >= lo and b_hi <= hi and all(counts.get(k, 0) >= 50 for k in range(b_lo, b_hi + 1))
    given = did.event_study(cut, estimator="did2s", window=(-2, 1), **KW)
    assert given.attrs["window_rule"] == "given"


def test_unknown_controls_and_no_support_raise(panel):
    with pytest.raises(did.DidInputError, match="controls must be one of"):
        did.event_study(panel, controls="not_yet", **KW)
    with pytest.raises(did.DidInputError, match="no window is supported"):
        did.event_study(panel, min_treated=10**6, **KW)
