"""Result objects of release 1.0 (issue 11, items 2, 5 and 7): plain tidy frames that save anywhere,
backward-compatible reading, one vocabulary with deprecated aliases, and one error hierarchy."""

import warnings

import numpy as np
import pandas as pd
import pytest

from lgresearch import did, errors, events, paths, provenance, runner
from lgresearch.simulate import designation_world


@pytest.fixture(scope="module")
def ar_result():
    sim = events.simulate_event_data(n_firms=30, n_days=400, effect=0.03, seed=3)
    evs = sim.events.assign(board=["Main", "STAR", "ChiNext"] * 10)
    return events.abnormal_returns(sim.returns, evs, market=sim.market, event_window=(-2, 2))


@pytest.fixture(scope="module")
def es_result():
    w = designation_world(n_firms=300, seed=4, effect=0.3, selection=0.0)
    return did.event_study(w.panel, outcome_col="log_value", unit_col="firm_id", time_col="year",
                           cohort_col="cohort", window=(-2, 1))


def _round_trips(frame: pd.DataFrame, tmp_path) -> None:
    """The frame saves to parquet, csv and Stata 118 and reads back with the same values."""
    assert all(isinstance(v, str) for v in frame.attrs.values()), frame.attrs
    frame.to_parquet(tmp_path / "r.parquet")
    back = pd.read_parquet(tmp_path / "r.parquet")
    assert back.shape == frame.shape
    num = frame.select_dtypes("number").columns
    np.testing.assert_allclose(back[num].to_numpy(float), frame[num].to_numpy(float), equal_nan=True)
    frame.to_csv(tmp_path / "r.csv", index=False)
    assert pd.read_csv(tmp_path / "r.csv").shape == frame.shape
    frame.to_stata(tmp_path / "r.dta", version=118, write_index=False)
    dta = pd.read_stata(tmp_path / "r.dta")
    assert dta.shape == frame.shape
    np.testing.assert_allclose(dta[num].to_numpy(float), frame[num].to_numpy(float), equal_nan=True, rtol=1e-6)


def test_abnormal_returns_result_tidy_round_trips(ar_result, tmp_path):
    assert isinstance(ar_result, events.AbnormalReturns)
    tidy = ar_result.tidy()
    assert "event_paths" not in tidy.attrs and "event_paths" not in ar_result.frame.attrs
    assert tidy["car"].tolist() == ar_result["car"].tolist()
    _round_trips(tidy, tmp_path)
    # the example of the issue: a column selection saves directly
    ar_result[["code", "car"]].to_parquet(tmp_path / "sel.parquet")
    assert pd.read_parquet(tmp_path / "sel.parquet")["code"].tolist() == ar_result["code"].tolist()


def test_abnormal_returns_result_carries_windows_exclusions_and_provenance(ar_result):
    assert ar_result.windows == {"estimation": (-250, -30), "event": (-2, 2)}
    assert ar_result.exclusions == {}
    assert ar_result.provenance.startswith("SIMULATED")
    assert provenance.is_simulated(ar_result.tidy())


def test_abnormal_returns_result_methods_match_the_functions(ar_result):
    pd.testing.assert_frame_equal(ar_result.test(level=0.9), events.test_car(ar_result, level=0.9))
    pd.testing.assert_frame_equal(ar_result.car_path(), events.car_path(ar_result))
    sub = ar_result.subset(ar_result["board"] == "Main")
    assert isinstance(sub, events.AbnormalReturns) and len(sub) == 10
    assert ar_result[ar_result["board"] == "Main"]["event_id"].tolist() == sub["event_id"].tolist()
    t_sub = sub.test(tests=["t"])
    by = ar_result.test(tests=["t"], by="board").set_index("board")
    assert t_sub["estimate"].iloc[0] == pytest.approx(by.loc["Main", "estimate"])
    assert len(ar_result.subset([0, 1, 2])) == 3


def test_kp_mean_correlation_is_a_dataclass_with_a_tidy_row(ar_result, tmp_path):
    kp = events.kp_mean_correlation(ar_result)
    assert isinstance(kp, events.KPCorrelation) and not isinstance(kp, tuple)
    r_bar, n_pairs = kp
    assert (r_bar, n_pairs) == (kp.r_bar, kp.n_pairs) and n_pairs > 0
    _round_trips(kp.tidy(), tmp_path)


def test_matched_difference_and_combine_keep_the_result_type():
    sim = events.simulate_event_data(n_firms=20, n_days=400, seed=11)
    ev = sim.events.assign(event_id=[f"e{i}" for i in range(20)])
    a = events.abnormal_returns(sim.returns, ev.iloc[:10], market=sim.market)
    b = events.abnormal_returns(sim.returns, ev.iloc[10:], market=sim.market)
    both = events.combine_results([a, b])
    assert isinstance(both, events.AbnormalReturns) and len(both) == 20
    assert both.test(tests=["t"])["n"].iloc[0] == 20


@pytest.mark.parametrize("written", ["000003.SZ", "sz000003", "3", 3])
def test_abnormal_returns_accepts_usual_code_forms(written):
    sim = events.simulate_event_data(n_firms=5, n_days=400, seed=12)
    want = events.abnormal_returns(sim.returns, sim.events, market=sim.market)
    evs = sim.events.astype({"code": object})
    evs.loc[evs["code"] == "000003", "code"] = written
    got = events.abnormal_returns(sim.returns, evs, market=sim.market)
    assert got["code"].tolist() == want["code"].tolist()
    assert got["status"].eq("ok").all()
    np.testing.assert_allclose(got["car"], want["car"])


def test_event_study_result_tidy_round_trips_and_keeps_frame_reading(es_result, tmp_path):
    assert isinstance(es_result, did.EventStudyResult)
    assert es_result["event_time"].tolist() == [-2, -1, 0, 1]
    assert es_result.attrs["pretrend"] == es_result.pretrend
    assert es_result.vcov.shape == (4, 4)
    se = np.sqrt(np.diag(es_result.vcov.to_numpy()))
    np.testing.assert_allclose(se, es_result["se"])
    _round_trips(es_result.tidy(), tmp_path)
    fig = es_result.plot(title="Planted")
    assert fig.axes[0].get_title() == "Planted"


def test_did_combine_accepts_results(es_result):
    a = es_result.copy().assign(estimator="a")
    out = did.combine(es_result, a)
    assert len(out) == 2 * len(es_result)


@pytest.mark.parametrize(("old", "new"), [("outcome", "outcome_col"), ("unit", "unit_col"), ("time", "time_col"),
                                          ("cohort", "cohort_col")])
def test_did_old_column_argument_names_warn(old, new):
    w = designation_world(n_firms=200, seed=5, effect=0.2, selection=0.0)
    kw = {"outcome_col": "log_value", "unit_col": "firm_id", "time_col": "year", "cohort_col": "cohort"}
    kw[old] = kw.pop(new)
    with pytest.warns(FutureWarning, match=f"'{old}' is deprecated; use '{new}'"):
        a = did.att(w.panel, window=(-2, 1), **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = did.att(w.panel, window=(-2, 1), outcome_col="log_value", unit_col="firm_id", time_col="year",
                    cohort_col="cohort")
    assert a["estimate"].iloc[0] == pytest.approx(b["estimate"].iloc[0])


@pytest.mark.parametrize(("old", "new", "value"), [("id_col", "event_id_col", "event_id"),
                                                   ("market_column", "market_col", "market")])
def test_abnormal_returns_old_argument_names_warn(old, new, value):
    sim = events.simulate_event_data(n_firms=4, n_days=350, seed=6)
    with pytest.warns(FutureWarning, match=f"'{old}' is deprecated; use '{new}'"):
        got = events.abnormal_returns(sim.returns, sim.events, market=sim.market, **{old: value})
    assert len(got) == 4


def test_match_controls_id_col_alias_warns():
    t = pd.DataFrame({"id": ["a"], "x": [1.0]})
    p = pd.DataFrame({"id": ["b", "c"], "x": [1.1, 5.0]})
    with pytest.warns(FutureWarning, match="'id_col' is deprecated; use 'unit_col'"):
        m = did.match_controls(t, p, on=["x"], id_col="id")
    assert m.pairs["control_id"].tolist() == ["b"]


@pytest.mark.parametrize("cls", [errors.EventStudyError, errors.DidInputError, errors.MissingExternalData,
                                 errors.NotebookFailed])
def test_error_classes_share_the_base_and_keep_their_builtin_base(cls):
    assert issubclass(cls, errors.LgresearchError)
    assert cls.__name__ in errors.__all__


def test_errors_are_the_same_objects_in_their_modules():
    assert events.EventStudyError is errors.EventStudyError
    assert did.DidInputError is errors.DidInputError
    assert paths.MissingExternalData is errors.MissingExternalData
    assert runner.NotebookFailed is errors.NotebookFailed
    assert issubclass(errors.MissingExternalData, FileNotFoundError)
    with pytest.raises(errors.LgresearchError, match="model must be one of"):
        events.abnormal_returns(pd.DataFrame(), pd.DataFrame(), market=pd.Series(dtype=float), model="capm")


def test_carry_provenance_copies_only_strings():
    src = provenance.mark_real(pd.DataFrame({"x": [1]}), "CSMAR")
    src.attrs["paths"] = object()
    out = provenance.carry_provenance(src, pd.DataFrame({"y": [1]}))
    assert out.attrs == {"provenance": "real", "source": "CSMAR"}


def test_read_index_with_ledger_alias_warns(monkeypatch):
    from lgresearch import datasets, prices

    with datasets.as_external():
        with pytest.warns(FutureWarning, match="'with_ledger' is deprecated; use 'return_ledger'"):
            old = prices.read_index("csi300", with_ledger=True)
        new = prices.read_index("csi300", return_ledger=True)
    assert isinstance(old, tuple) and len(old) == 2
    pd.testing.assert_frame_equal(old[0], new[0])


def test_float_market_cap_accepts_usual_code_forms():
    from lgresearch import datasets, prices

    with datasets.as_external():
        want = prices.float_market_cap(codes=["600519"])
        got = prices.float_market_cap(codes=["600519.SH", "sh600519", 600519])
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want)


def test_aggregate_deals_old_column_names_warn():
    w = designation_world(n_firms=100, seed=7)
    new = did.aggregate_deals(w.deals, designations=w.designations, date_col="date", value_col="post_money_cny")
    with pytest.warns(FutureWarning, match="'value' is deprecated; use 'value_col'"):
        old = did.aggregate_deals(w.deals, designations=w.designations, value="post_money_cny")
    pd.testing.assert_frame_equal(old, new)


@pytest.mark.parametrize("name", ["stock_universe", "read_snapshots", "listed_little_giants"])
def test_listed_with_ledger_alias_warns(name):
    from lgresearch import datasets, listed

    func = getattr(listed, name)
    with datasets.as_external():
        with pytest.warns(FutureWarning, match="'with_ledger' is deprecated; use 'return_ledger'"):
            old = func(with_ledger=True)
    assert isinstance(old, tuple) and len(old) == 2
