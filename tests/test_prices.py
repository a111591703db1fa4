"""Tests for lgresearch.prices on small generated price files (and, marked external, on the real sets)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lgresearch import paths, prices
from lgresearch.ledger import InputError

SESSIONS = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09",
                           "2024-01-10", "2024-01-11"])


def _write_set(ext, name: str, rows: pd.DataFrame) -> None:
    s = prices.SET_BY_NAME[name]
    folder = ext / s.folder
    folder.mkdir(parents=True, exist_ok=True)
    df = rows.rename(columns={"date": s.date_col, "close": s.close_col, "high": s.high_col, "low": s.low_col})
    table = pa.Table.from_pandas(df.assign(**{"code": df["code"].astype("category")}), preserve_index=False)
    table = table.set_column(table.schema.get_field_index(s.date_col), s.date_col,
                             pa.array(pd.to_datetime(df[s.date_col]).dt.date, type=pa.date32()))
    pq.write_table(table, folder / s.file)


def _px(code, dates, closes, *, high=None, low=None, **extra):
    closes = np.asarray(closes, dtype=float)
    return pd.DataFrame({"code": code, "date": pd.to_datetime(dates), "close": closes,
                         "high": closes if high is None else high, "low": closes * 0.99 if low is None else low,
                         **extra})


@pytest.fixture()
def ext(tmp_path, monkeypatch):
    d = tmp_path / "external"
    d.mkdir()
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(d))
    monkeypatch.setenv(paths.PROCESSED_ENV, str(tmp_path / "processed"))
    return d


def _two_sets(ext):
    # R11happy (priority) and LYH-RAIN hold the same stock on different adjustment bases (levels x 2):
    # returns must agree and come from R11happy; LYH-RAIN alone has 300001, which is suspended on 01-05 and 01-08.
    a = _px("600000", SESSIONS, [10, 10.5, 10.2, 10.4, 10.0, 10.1, 10.3, 10.2])
    b = _px("600000", SESSIONS, 2 * np.array([10, 10.5, 10.2, 10.4, 10.0, 10.1, 10.3, 10.2]))
    c_dates = SESSIONS.delete([3, 4])
    c = _px("300001", c_dates, [5.0, 6.0, 6.0, 6.6, 6.6, 6.0], high=[5.0, 6.0, 6.1, 6.6, 6.7, 6.1],
            low=[4.9, 5.5, 5.9, 6.0, 6.5, 6.0])
    sat = _px("300001", pd.to_datetime(["2024-01-06"]), [6.1])  # a Saturday row: not a session
    _write_set(ext, "R11happy", a)
    _write_set(ext, "LYH-RAIN", pd.concat([b, c, sat], ignore_index=True))


# ---------------------------------------------------------------------------------------------------------------
# Boards, limits, calendar
# ---------------------------------------------------------------------------------------------------------------


def test_board_of_prefixes():
    got = prices.board_of(["600519", "605001", "000001", "003816", "300750", "301556", "688981", "689009",
                           "920475", "430047", "832317", "200001", "900901", ""]).tolist()
    assert got[:10] == ["Main", "Main", "Main", "Main", "ChiNext", "ChiNext", "STAR", "STAR", "BSE", "BSE/NEEQ"]
    assert got[10] == "BSE/NEEQ" and all(pd.isna(x) for x in got[11:])


def test_limit_rate_by_board_and_date():
    r = prices.limit_rate(["Main", "ChiNext", "ChiNext", "STAR", "BSE", "BSE/NEEQ"],
                          pd.to_datetime(["2019-01-02", "2019-01-02", "2021-01-04", "2019-07-22", "2022-01-04",
                                          "2022-01-04"]))
    assert r.tolist() == [0.1, 0.1, 0.2, 0.2, 0.3, 0.3]


def test_calendar_from_counts_checks_xshg():
    counts = pd.Series([3000, 3000, 5, 3000, 2900],
                       index=pd.to_datetime(["2024-02-08", "2024-02-09", "2024-02-12", "2024-02-19",
                                             "2024-02-20"]))
    cal = prices.calendar_from_counts(counts)
    chk = cal.attrs["check"]
    # 2024-02-09 and 2024-02-12 fall in the Spring Festival closure; 2024-02-19 is a session
    assert chk["not_xshg"] == ["2024-02-09", "2024-02-12"]
    assert cal.loc[cal["session"], "date"].dt.strftime("%m-%d").tolist() == ["02-08", "02-19", "02-20"]
    assert chk["xshg_without_prices"] == []


def test_calendar_reports_sessions_without_prices():
    counts = pd.Series([10, 10], index=pd.to_datetime(["2024-01-02", "2024-01-04"]))
    cal = prices.calendar_from_counts(counts)
    assert cal.attrs["check"]["xshg_without_prices"] == ["2024-01-03"]


# ---------------------------------------------------------------------------------------------------------------
# The panel
# ---------------------------------------------------------------------------------------------------------------


def test_splice_on_returns_not_levels(ext):
    _two_sets(ext)
    b = prices.build_returns_panel()
    p = b.panel
    a = p[p["code"] == "600000"]
    assert (a["source"].iloc[1:] == "R11happy").all()
    expected = pd.Series([10, 10.5, 10.2, 10.4, 10.0, 10.1, 10.3, 10.2]).pct_change().to_numpy()
    assert np.allclose(a["ret"].to_numpy()[1:], expected[1:])
    # the LYH-RAIN rows of 600000 were merged (another set's return used), none kept
    acct = b.accounting.set_index("set")
    assert acct.loc["LYH-RAIN", "merged"] == 8 and acct["reconciled"].all()
    agree = b.agreement.set_index(["selected", "other"]).loc[("R11happy", "LYH-RAIN")]
    assert agree["n"] == 7 and agree["median_abs_diff"] < 1e-6


def test_suspension_gap_limit_and_non_session(ext):
    _two_sets(ext)
    b = prices.build_returns_panel()
    c = b.panel[b.panel["code"] == "300001"].set_index("date")
    # the Saturday row is dropped and recorded with its file row
    led = b.ledger.frame()
    assert led["reason"].tolist() == ["date is not a session (XSHG check)"] and led["outcome"].tolist() == ["dropped"]
    assert b.accounting.set_index("set").loc["LYH-RAIN", "dropped_non_session"] == 1
    # no rows for the suspended sessions; the return after them spans 3 sessions
    assert pd.Timestamp("2024-01-05") not in c.index and pd.Timestamp("2024-01-08") not in c.index
    assert c.loc["2024-01-09", "gap"] == 3
    assert c.loc["2024-01-09", "ret"] == pytest.approx(6.6 / 6.0 - 1)
    # first row of a code: unknown return, gap 0
    assert np.isnan(c.loc["2024-01-02", "ret"]) and c.loc["2024-01-02", "gap"] == 0
    # ChiNext 20% limit: +20% closing at the high on 01-03 is a limit-up day; +10% on 01-09 spans a gap: no flag
    assert c.loc["2024-01-03", "limit"] == 1
    assert c.loc["2024-01-09", "limit"] == 0
    assert (b.panel["board"].astype(str) == prices.board_of(b.panel["code"].astype(str))).all()


def test_partial_gap_fill_is_not_double_counted(ext):
    # priority set has 01-02..01-04 then 01-08 (gap 2); a lower set fills 01-05 only from its own prior close
    hi = _px("600001", SESSIONS[[0, 1, 2, 4]], [10, 11, 12, 13])
    lo = _px("600001", SESSIONS[[2, 3]], [24, 25])  # its own base: 01-04 = 24, 01-05 = 25
    _write_set(ext, "R11happy", hi)
    _write_set(ext, "LYH-RAIN", lo)
    p = prices.build_returns_panel().panel.set_index("date")
    assert p.loc["2024-01-05", "ret"] == pytest.approx(25 / 24 - 1) and p.loc["2024-01-05", "source"] == "LYH-RAIN"
    # 01-08 from the priority set spans 01-05..01-08, overlapping the filled session: unknown, flagged
    assert np.isnan(p.loc["2024-01-08", "ret"]) and bool(p.loc["2024-01-08", "overlap"])


def test_raw_set_uses_exchange_percent_change(ext):
    raw = _px("000002", SESSIONS[:3], [10.0, 9.0, 9.5], p_change=[0.0, 5.0, 2.0], price_change=[0, 0, 0],
              volume=[1.0, 1.0, 1.0])
    _write_set(ext, "start2020", raw)
    p = prices.build_returns_panel().panel
    assert p["ret"].tolist()[1:] == pytest.approx([0.05, 0.02])  # ex-dividend day: p_change, not 9/10 - 1


def test_duplicate_rows_within_a_set_are_dropped_and_counted(ext):
    a = _px("600000", SESSIONS[:4], [10, 11, 12, 13])
    _write_set(ext, "R11happy", pd.concat([a, a.iloc[[2]]], ignore_index=True))
    b = prices.build_returns_panel()
    assert b.accounting["dropped_duplicate"].sum() == 1 and len(b.panel) == 4
    assert b.ledger.frame()["source_row"].tolist() == [5]


def test_cache_round_trip_filters_and_rebuild(ext):
    _two_sets(ext)
    p = prices.load_returns_panel()
    assert (prices.cache._cache_dir() / prices.PANEL_DATASET / "year=2024").is_dir()  # in the cache folder
    q = prices.load_returns_panel(codes=["300001"], start="2024-01-04")
    assert q["code"].astype(str).unique().tolist() == ["300001"] and q["date"].min() == pd.Timestamp("2024-01-04")
    assert len(p) == 14
    cal = prices.trading_calendar()
    assert cal.attrs["check"]["not_xshg"] == ["2024-01-06"]
    assert prices.sessions().tolist() == SESSIONS.tolist()
    # an input change invalidates the cache
    _write_set(ext, "R11happy", _px("600000", SESSIONS[:3], [1.0, 2.0, 3.0]))
    assert len(prices.load_returns_panel(codes=["600000"])) == 8  # LYH-RAIN still has all 8 sessions
    rep = prices.panel_reports()
    assert set(rep) == {"ledger", "accounting", "agreement"}


def test_coverage_report(ext):
    _two_sets(ext)
    b = prices.build_returns_panel()
    cov = prices.coverage_report(b.panel, prices.sessions()).set_index("code")
    assert cov.loc["300001", "n_rows"] == 6 and cov.loc["300001", "n_missing_in_span"] == 2
    assert cov.loc["300001", "n_multi_session"] == 1 and cov.loc["600000", "sources"] == "R11happy"


def test_build_processed_without_inputs_does_nothing(ext):
    assert prices.build_processed() == []
    with pytest.raises(paths.MissingExternalData):
        prices.build_returns_panel()


# ---------------------------------------------------------------------------------------------------------------
# Indices, market, size
# ---------------------------------------------------------------------------------------------------------------


def _write_index(ext, name, dates, closes):
    parts, _ = prices.INDICES[name]
    f = ext.joinpath(*parts)
    f.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"date": pd.to_datetime(dates).strftime("%Y-%m-%d"), "close": closes}).to_csv(f, index=False)


def test_read_index_and_market_on_calendar(ext):
    _write_index(ext, "csi1000_tr", SESSIONS.delete(3), [100, 101, 102, 103, 104, 105, 106])
    idx = prices.read_index("csi1000_tr")
    assert idx["ret"].iloc[1] == pytest.approx(0.01)
    m = prices.market_returns(["csi1000_tr"], calendar=SESSIONS)
    assert m.attrs["missing_sessions"] == {"csi1000_tr": 1}
    # the missing session and the one after it are unknown, never bridged
    assert m["csi1000_tr"].isna().tolist() == [True, False, False, True, True, False, False, False]


def test_read_index_bad_rows_raise(ext):
    _write_index(ext, "csi300", ["2024-01-02", "2024-01-02"], [1.0, 2.0])
    with pytest.raises(InputError, match="duplicated date 2024-01-02"):
        prices.read_index("csi300")
    _write_index(ext, "csi300", ["2024-01-02", "2024-01-03"], [1.0, -2.0])
    with pytest.raises(InputError, match="row 3, column 'close'"):
        prices.read_index("csi300")
    with pytest.raises(KeyError):
        prices.read_index("nasdaq")


def test_equal_weighted_market_excludes_multi_session_returns():
    p = pd.DataFrame({"code": ["a", "b", "a", "b"], "date": pd.to_datetime(["2024-01-02"] * 2 + ["2024-01-03"] * 2),
                      "ret": [0.01, 0.03, -0.02, 0.5], "gap": [1, 1, 1, 3], "limit": [0, 0, 0, 0],
                      "board": ["Main", "STAR", "Main", "STAR"]})
    assert prices.equal_weighted_market(p)["ew"].tolist() == pytest.approx([0.02, -0.02])
    assert list(prices.equal_weighted_market(p, by="board").columns) == ["Main", "STAR"]


def test_float_market_cap_and_size_at(ext):
    t = _px("600000", SESSIONS[:3], [10, 11, 12], **{"开盘": [1.0] * 3, "成交量": [1, 1, 1],
                                                      "成交额": [1e8, 2e8, 3e8], "换手率": [1.0, 2.0, 0.0]})
    _write_set(ext, "tszlam", t)
    fm = prices.float_market_cap()
    assert fm["float_mcap"].tolist() == pytest.approx([1e10, 1e10])  # zero turnover row dropped
    snap_parts, _ = prices.SIZE_SNAPSHOT
    f = ext.joinpath(*snap_parts)
    pd.DataFrame({"code": ["300001"], "name": ["x"], "总市值": [3e9], "流通市值": [2e9]}).to_csv(f, index=False)
    panel = pd.DataFrame({"code": ["300001", "300001"], "date": pd.to_datetime(["2024-06-27", "2024-06-28"]),
                          "ret": [0.5, 0.25], "gap": [1, 1]})
    s = prices.size_at("2024-01-05", ["600000", "300001"], panel=panel).set_index("code")
    assert s.loc["600000", "size_source"] == "daily" and s.loc["600000", "float_mcap"] == pytest.approx(1e10)
    # rolled back from the 2024-06-28 snapshot over the two returns after 2024-01-05
    assert s.loc["300001", "size_source"] == "snapshot_rolled"
    assert s.loc["300001", "float_mcap"] == pytest.approx(2e9 / (1.5 * 1.25))
    # too far from the last daily value: the snapshot is used instead (600000 is not in the snapshot: missing)
    late = prices.size_at("2024-06-27", ["600000"], panel=panel)
    assert late["float_mcap"].isna().all()


# ---------------------------------------------------------------------------------------------------------------
# The real price files
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.external
def test_real_panel_reconciles_and_checks_calendar():
    if not paths.has_external(prices.PRICE_SETS[0].folder):
        pytest.skip("third-party price files not available")
    b = prices.build_returns_panel()
    acct = b.accounting.set_index("set")
    assert acct["reconciled"].all() and acct["manifest_match"].all()
    assert acct.loc["start2020", "dropped_non_session"] == 109  # the 2017-05-30 Dragon Boat holiday rows
    assert b.calendar.attrs["check"]["not_xshg"] == ["2017-05-30"]
    assert b.calendar.attrs["check"]["xshg_without_prices"] == []
    p = b.panel
    assert p.duplicated(["code", "date"]).sum() == 0
    assert len(p) > 8_000_000 and p["code"].nunique() > 5000
    single = p[p["gap"] == 1]
    assert single["ret"].abs().median() < 0.02
    agree = b.agreement.set_index(["selected", "other"])
    assert agree.loc[("R11happy", "LYH-RAIN"), "corr"] > 0.999
