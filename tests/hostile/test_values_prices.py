"""Hostile inputs for price and index files (issue 9, item 13): implausible dates and moves are flagged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lgresearch import paths, prices
from lgresearch.ledger import InputError

SESSIONS = pd.bdate_range("2024-01-02", "2024-01-31").difference(pd.to_datetime(["2024-01-01"]))


@pytest.fixture()
def ext(tmp_path, monkeypatch):
    d = tmp_path / "external"
    d.mkdir()
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(d))
    monkeypatch.setenv(paths.PROCESSED_ENV, str(tmp_path / "processed"))
    return d


def _write_index(ext, name, dates, closes):
    parts, _ = prices.INDICES[name]
    f = ext.joinpath(*parts)
    f.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"date": pd.to_datetime(dates).strftime("%Y-%m-%d"), "close": closes}).to_csv(f, index=False)
    return f


def test_index_saturday_and_spike_are_flagged_not_accepted(ext):
    dates = ["2024-01-04", "2024-01-05", "2024-01-06", "2024-01-08", "2024-01-09", "2024-01-10"]
    _write_index(ext, "csi300", dates, [103.0, 104.0, 104.2, 10300.0, 105.0, 105.5])
    df, led = prices.read_index("csi300", return_ledger=True)
    assert pd.Timestamp("2024-01-06") not in set(df["date"])
    assert df["ret"].abs().max() < 0.02  # the 9,998% return is gone
    assert np.isnan(df.set_index("date").loc["2024-01-08", "close"])
    f = led.frame().set_index("source_row")
    assert f.loc[4, "reason"] == "date is not a trading session (weekend or XSHG holiday)"
    assert f.loc[4, "outcome"] == "dropped"
    flagged = f[f["outcome"] == "flagged"]
    assert flagged.index.tolist() == [5]
    assert flagged["reason"].iloc[0] == "close jumps and reverts beyond the daily limit (close set missing)"
    assert led.reconcile({"000300.SH.csv": 6})


def test_index_holiday_date_is_dropped(ext):
    # 2024-02-12 (a Monday) was a Spring Festival holiday: XSHG was closed
    _write_index(ext, "chinext", ["2024-02-08", "2024-02-12", "2024-02-19"], [100.0, 100.0, 101.0])
    df, led = prices.read_index("chinext", return_ledger=True)
    assert df["date"].dt.strftime("%m-%d").tolist() == ["02-08", "02-19"]
    assert led.frame().query("outcome == 'dropped'")["detail"].tolist() == ["2024-02-12"]


def test_index_level_shift_sets_the_return_missing(ext):
    _write_index(ext, "csi500", SESSIONS[:4], [100.0, 101.0, 150.0, 151.0])
    df, led = prices.read_index("csi500", return_ledger=True)
    assert df["ret"].isna().tolist() == [True, False, True, False]
    assert led.frame().query("outcome == 'flagged'")["reason"].tolist() == [
        "single-session move beyond the daily limit (set missing)"]


def test_index_move_over_missing_sessions_is_not_a_daily_move(ext):
    _write_index(ext, "csi1000", [SESSIONS[0], SESSIONS[15]], [100.0, 130.0])
    df, led = prices.read_index("csi1000", return_ledger=True)
    assert df["ret"].iloc[1] == pytest.approx(0.30)
    assert (led.frame()["outcome"] == "kept").all()


def test_index_without_close_column_names_file_and_column(ext):
    parts, _ = prices.INDICES["csi300"]
    f = ext.joinpath(*parts)
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text("date,price\n2024-01-02,1\n")
    with pytest.raises(InputError, match=r"000300.SH.csv, row 1, column 'close': column missing"):
        prices.read_index("csi300")


def _write_set(ext, name, df):
    s = prices.SET_BY_NAME[name]
    folder = ext / s.folder
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, folder / s.file)
    return folder / s.file


def _px(code, dates, closes):
    closes = np.asarray(closes, dtype=float)
    return pd.DataFrame({"code": code, "date": pd.to_datetime(dates).date, "close": closes, "high": closes,
                         "low": closes * 0.99})


def test_price_parquet_without_close_names_file_and_column(ext):
    df = _px("600000", SESSIONS[:3], [10.0, 10.1, 10.2]).drop(columns="close")
    f = _write_set(ext, "LYH-RAIN", df)
    with pytest.raises(InputError, match=rf"{f.name}, column 'close': column missing"):
        prices.read_price_set("LYH-RAIN")
    with pytest.raises(InputError, match="column 'close'"):
        prices.build_returns_panel(sets=["LYH-RAIN"])


def test_garbage_parquet_is_a_clear_error(ext):
    s = prices.SET_BY_NAME["LYH-RAIN"]
    (ext / s.folder).mkdir(parents=True)
    (ext / s.folder / s.file).write_bytes(b"not a parquet file at all")
    with pytest.raises(InputError, match="not a readable parquet file"):
        prices.read_price_set("LYH-RAIN")


def _panel_with(ext, closes_main, closes_other=None):
    filler = [_px(f"6000{i:02d}", SESSIONS, np.linspace(10, 11, len(SESSIONS))) for i in range(10, 14)]
    frames = [_px("600000", SESSIONS, closes_main)] + filler
    if closes_other is not None:
        frames.append(closes_other)
    _write_set(ext, "LYH-RAIN", pd.concat(frames, ignore_index=True))
    return prices.build_returns_panel(sets=["LYH-RAIN"], min_stocks=1)


def test_return_beyond_the_main_board_limit_is_flagged_and_missing(ext):
    closes = np.full(len(SESSIONS), 10.0)
    closes[10:] = 15.0  # +50% in one session on the Main board (limit 10%)
    b = _panel_with(ext, closes)
    p = b.panel[b.panel["code"] == "600000"].reset_index(drop=True)
    assert np.isnan(p.loc[10, "ret"]) and p["ret"].drop(index=[0, 10]).eq(0).all()
    f = b.ledger.frame().query("outcome == 'flagged'")
    assert f["reason"].tolist() == ["daily return beyond the board's price limit (set missing)"]
    assert f["detail"].iloc[0] == f"600000 {SESSIONS[10]:%Y-%m-%d} +50.0%"
    assert b.accounting["beyond_limit"].tolist() == [1] and b.accounting["reconciled"].all()


def test_limit_up_day_within_the_limit_is_not_flagged(ext):
    closes = np.full(len(SESSIONS), 10.0)
    closes[10:] = 11.0  # exactly +10%
    b = _panel_with(ext, closes)
    assert (b.ledger.frame()["outcome"] != "flagged").all()


def test_ipo_days_and_resumption_are_not_checked(ext):
    closes = np.full(len(SESSIONS), 10.0)
    closes[2:] = 14.0  # +40% on the third session of the code: an IPO-window day (44% first-day limit)
    resumed = _px("300001", SESSIONS.delete(range(8, 12)), np.r_[np.full(8, 10.0), np.full(len(SESSIONS) - 12, 16.0)])
    b = _panel_with(ext, closes, resumed)
    assert (b.ledger.frame()["outcome"] != "flagged").all()
    r = b.panel[b.panel["code"] == "300001"].set_index("date")
    assert r.loc[SESSIONS[12], "gap"] == 5 and r.loc[SESSIONS[12], "ret"] == pytest.approx(0.6)
