"""Tests for lgresearch.matching: exact strata, nearest neighbours, replacement, unmatched reasons, balance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lgresearch import did, matching
from lgresearch.errors import DidInputError
from lgresearch.provenance import is_simulated, mark_simulated

# ----------------------------------------------------------------------------------------------------------------
# match_controls
# ----------------------------------------------------------------------------------------------------------------


def _match_frames(seed: int = 1):
    rng = np.random.default_rng(seed)
    t = pd.DataFrame({"firm_id": [f"t{i}" for i in range(60)], "ind": rng.choice(list("ab"), 60),
                      "size": rng.normal(1.0, 1.0, 60), "pre": rng.normal(0.5, 1.0, 60)})
    p = pd.DataFrame({"firm_id": [f"c{i}" for i in range(600)], "ind": rng.choice(list("abc"), 600),
                      "size": rng.normal(0.0, 1.0, 600), "pre": rng.normal(0.0, 1.0, 600)})
    return t, p


def test_match_exact_strata_and_balance_improves():
    t, p = _match_frames()
    m = matching.match_controls(t, p, exact=["ind"], on=["size", "pre"], k=2)
    ind_of = dict(zip(p["firm_id"], p["ind"], strict=True))
    assert (m.pairs["ind"] == m.pairs["control_id"].map(ind_of)).all()
    assert len(m.pairs) == 2 * len(t)
    assert np.allclose(m.pairs.groupby("treated_id")["weight"].sum(), 1.0)
    bal = m.balance.set_index("variable")
    assert (bal["std_diff_before"].abs() > 0.3).all()
    assert (bal["std_diff_after"].abs() < bal["std_diff_before"].abs() / 3).all()
    assert len(m.controls) == len(m.pairs) and "treated_id" in m.controls.columns


def test_match_nearest_is_nearest():
    t = pd.DataFrame({"firm_id": ["t"], "x": [0.0]})
    p = pd.DataFrame({"firm_id": ["a", "b", "c"], "x": [5.0, -0.4, 0.5]})
    assert matching.match_controls(t, p, on=["x"]).pairs["control_id"].tolist() == ["b"]


def test_match_without_replacement_uses_each_control_once():
    t, p = _match_frames(2)
    m = matching.match_controls(t, p, exact=["ind"], on=["size"], k=3, replace=False)
    assert not m.pairs["control_id"].duplicated().any()
    m2 = matching.match_controls(t, p, exact=["ind"], on=["size"], k=3, replace=True)
    assert m2.pairs["control_id"].duplicated().any()


def test_match_unmatched_reasons_caliper_missing_and_empty_stratum():
    t = pd.DataFrame({"firm_id": ["t1", "t2", "t3", "t4"], "prov": ["ZJ", "ZJ", "XJ", None],
                      "x": [0.0, np.nan, 1.0, 1.0]})
    p = pd.DataFrame({"firm_id": ["c1", "c2"], "prov": ["ZJ", "ZJ"], "x": [0.1, 100.0]})
    m = matching.match_controls(t, p, exact=["prov"], on=["x"])
    reasons = dict(zip(m.unmatched["firm_id"], m.unmatched["reason"], strict=True))
    assert set(reasons) == {"t2", "t3", "t4"}
    assert "missing" in reasons["t2"] and "stratum" in reasons["t3"]
    m = matching.match_controls(t.iloc[:1], p, on=["x"], caliper=1e-6)
    assert m.pairs.empty and "caliper" in m.unmatched["reason"].iloc[0]


def test_match_excludes_treated_from_pool_and_keeps_provenance():
    t = mark_simulated(pd.DataFrame({"firm_id": ["a"], "x": [0.0]}))
    p = pd.DataFrame({"firm_id": ["a", "b"], "x": [0.0, 3.0]})
    m = matching.match_controls(t, p, on=["x"])
    assert m.pairs["control_id"].tolist() == ["b"]
    assert is_simulated(m.pairs) and is_simulated(m.balance)
    pairs, controls, balance, unmatched = m
    assert pairs is m.pairs


def test_match_bad_input():
    t = pd.DataFrame({"firm_id": ["a", "a"], "x": [0.0, 1.0], "s": ["u", "v"]})
    p = pd.DataFrame({"firm_id": ["b"], "x": [0.0], "s": ["u"]})
    with pytest.raises(DidInputError, match="duplicated"):
        matching.match_controls(t, p, on=["x"])
    with pytest.raises(DidInputError, match="numeric"):
        matching.match_controls(t.iloc[:1], p, on=["s"])
    with pytest.raises(DidInputError, match="lacks"):
        matching.match_controls(t.iloc[:1], p, on=["nope"])
    with pytest.raises(DidInputError, match="k must"):
        matching.match_controls(t.iloc[:1], p, on=["x"], k=0)


def test_match_random_within_stratum_when_no_on():
    t, p = _match_frames(3)
    a = matching.match_controls(t, p, exact=["ind"], k=2, seed=5)
    b = matching.match_controls(t, p, exact=["ind"], k=2, seed=5)
    assert a.pairs.equals(b.pairs)
    assert a.balance.empty and list(a.balance.columns) == matching.BALANCE_COLUMNS


def test_did_reexports_matching():
    """Events and notebooks call ``did.match_controls``: the same objects, no warning (same layer)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert did.match_controls is matching.match_controls
        assert did.balance_table is matching.balance_table
        assert did.Matched is matching.Matched and did.BALANCE_COLUMNS is matching.BALANCE_COLUMNS


def test_balance_table_weighted_after_matching():
    t = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    p = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 10.0]})
    b = matching.balance_table(t, p, p.iloc[[1, 3]], ["x"], weights=[0.5, 0.5])
    assert b.loc[0, "mean_matched"] == pytest.approx(2.0)
    assert b.loc[0, "std_diff_after"] == pytest.approx(0.0)
    assert abs(b.loc[0, "std_diff_before"]) > 0.1
