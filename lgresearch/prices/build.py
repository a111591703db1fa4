"""The returns panel, built from every price file and spliced on returns.

Each set's returns are computed within the set (a close over the set's own previous close; the raw set uses the
exchange's ``p_change``, which is ex-dividend adjusted) and the panel picks, for every (code, session), one set's
return: single-session returns first, then the set priority of :data:`~lgresearch.prices.sets.PRICE_SETS`.
Suspensions are not filled: there is no row for a suspended session, and the first return after it spans several
sessions, which ``gap`` records (``gap == 1`` is an ordinary daily return). Limit-up/down days are flagged in
``limit`` (+1 / -1), never dropped.

Row accounting: every dropped price row is recorded in a :class:`lgresearch.ledger.Ledger` with its file row;
kept and merged rows (13.6 million) are counted per file and reconciled against the file sizes and the vendor
manifests (a row-level ledger of that size would cost gigabytes).

Examples
--------
>>> LIMIT_TOL, LIMIT_MARGIN, IPO_WINDOW
(0.006, 0.01, 5)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch.ledger import Ledger, LedgerError
from lgresearch.prices.calendar import MIN_STOCKS_PER_SESSION, calendar_from_counts
from lgresearch.prices.sets import PRICE_SETS, PRICES_SOURCE, SET_BY_NAME, PriceSet, _require_columns, price_set_path
from lgresearch.provenance import mark_real
from lgresearch.securities import BOARDS, CHINEXT_REFORM, LIMITS, board_of

__all__ = ["LIMIT_TOL", "LIMIT_MARGIN", "IPO_WINDOW", "PanelBuild", "build_returns_panel"]

#: Tolerance for limit detection: a limit day closes at its high (low) and within this of the limit rate.
LIMIT_TOL = 0.006
#: Margin on the board's price limit before a single-session return is flagged: one percentage point plus one
#: price tick (CNY 0.01) of rounding on the previous close.
LIMIT_MARGIN = 0.01
#: Sessions after a code's first row in a set during which returns are not checked against the limit (IPO days:
#: no limit on the first five sessions on ChiNext/STAR, 44% on the Main board's first day).
IPO_WINDOW = 5


def _manifest_rows(s: PriceSet, codes: np.ndarray) -> int | None:
    path = paths.external_path(s.folder, "data__manifest.csv")
    if not path.exists():
        return None
    man = pd.read_csv(path, usecols=["path", "rows"], dtype={"path": str})
    man["code"] = man["path"].str.extract(r"([0-9]{6})\.[A-Za-z]+$", expand=False)
    man = man[man["code"].isin(set(codes))]
    return int(man["rows"].sum())


def _read_set_arrays(s: PriceSet) -> dict:
    """Read one set as numpy arrays (codes as strings in a dictionary, dates as int days)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = paths.external_path(s.folder, s.file, must_exist=True)
    cols = ["code", s.date_col, s.close_col, s.high_col, s.low_col] + ([s.pct_col] if s.pct_col else [])
    _require_columns(path, cols)
    table = pq.read_table(path, columns=cols)
    code_col = table.column("code").combine_chunks()
    if not pa.types.is_dictionary(code_col.type):
        code_col = code_col.dictionary_encode()
    days = table.column(s.date_col).combine_chunks().cast(pa.int32()).to_numpy(zero_copy_only=False)
    out = {
        "dict": np.asarray(code_col.dictionary.to_pylist(), dtype=object),
        "idx": code_col.indices.to_numpy(zero_copy_only=False).astype(np.int32),
        "days": days.astype(np.int32),
        "close": table.column(s.close_col).to_numpy().astype(np.float64),
        "high": table.column(s.high_col).to_numpy().astype(np.float64),
        "low": table.column(s.low_col).to_numpy().astype(np.float64),
        "pct": table.column(s.pct_col).to_numpy().astype(np.float64) if s.pct_col else None,
        "n": table.num_rows,
        "label": f"{s.folder}/{s.file}",
    }
    return out



def _beyond_limit(ret: np.ndarray, prev_close: np.ndarray, lim: np.ndarray, single: np.ndarray, g: np.ndarray,
                  p: np.ndarray) -> np.ndarray:
    """Single-session returns beyond the board's limit plus :data:`LIMIT_MARGIN` and one price tick.

    Returns over several sessions (resumption after a suspension) and the first :data:`IPO_WINDOW` sessions of
    each code in the set (IPO days) are not checked; nor are codes of unknown board (NaN limit).
    """
    start = np.ones(len(g), dtype=bool)
    start[1:] = g[1:] != g[:-1]
    first_pos = np.maximum.accumulate(np.where(start, np.arange(len(g)), 0))
    ipo = (p - p[first_pos]) < IPO_WINDOW
    with np.errstate(divide="ignore", invalid="ignore"):
        tick = np.where(prev_close > 0, 0.01 / prev_close, 0.0)
        return single & ~ipo & np.isfinite(ret) & (np.abs(ret) > lim + LIMIT_MARGIN + tick)


@dataclass
class PanelBuild:
    """Everything :func:`build_returns_panel` produces."""

    panel: pd.DataFrame
    calendar: pd.DataFrame
    ledger: Ledger
    accounting: pd.DataFrame
    agreement: pd.DataFrame
    seconds: float = 0.0




@dataclass(frozen=True)
class _CodeTable:
    """The panel's sorted code dictionary with each code's board and price limit (looked up per code, not row)."""

    codes: np.ndarray
    board_names: list[str]
    board: np.ndarray
    limit: np.ndarray


def _code_table(all_codes: np.ndarray) -> _CodeTable:
    board_names = list(BOARDS) + ["BSE/NEEQ"]
    code_boards = board_of(pd.Series(all_codes)).to_numpy(dtype=object)
    code_board = np.array([board_names.index(b) if b in board_names else -1 for b in code_boards], dtype=np.int8)
    code_limit = np.array([LIMITS.get(b, LIMITS["BSE"] if b == "BSE/NEEQ" else np.nan) for b in code_boards])
    return _CodeTable(all_codes, board_names, code_board, code_limit)


def _data_calendar(raw: dict[str, dict], min_stocks: int) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    """The data calendar from the stocks per date of every set, its sessions, and the sessions as int days."""
    counts = pd.concat([pd.Series(np.bincount(r["days"] - r["days"].min())) .set_axis(
        np.arange(r["days"].min(), r["days"].max() + 1)) for r in raw.values()], axis=1).fillna(0).sum(axis=1)
    counts = counts[counts > 0]
    counts.index = pd.to_datetime(counts.index.to_numpy(), unit="D").astype("datetime64[ns]")
    calendar = calendar_from_counts(counts, min_stocks=min_stocks)
    sess = calendar.loc[calendar["session"], "date"]
    sess_days = ((sess.to_numpy().astype("datetime64[D]")).astype(np.int64)).astype(np.int32)
    return calendar, sess, sess_days


def _session_rows(r: dict, gid: np.ndarray, sess_days: np.ndarray, led: Ledger
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Rows of one set on a session, ordered by code and session, one per (code, session).

    Returns the kept file positions, their code ids and session positions, and the counts of rows dropped as
    off-session and as duplicates (each recorded in ``led``).
    """
    pos = np.searchsorted(sess_days, r["days"]).astype(np.int32)
    pos_c = np.minimum(pos, len(sess_days) - 1)
    on_session = sess_days[pos_c] == r["days"]
    file_row = np.arange(r["n"], dtype=np.int64) + 1  # parquet row number (1-based)
    if (~on_session).any():
        bad_days = pd.to_datetime(r["days"][~on_session], unit="D").strftime("%Y-%m-%d")
        led.add(r["label"], file_row[~on_session], "dropped", reason="date is not a session (XSHG check)",
                detail=list(bad_days))
    order = np.lexsort((pos[on_session], gid[on_session]))
    k_idx = np.flatnonzero(on_session)[order]
    g, p = gid[k_idx], pos[k_idx]
    dup = np.zeros(len(g), dtype=bool)
    dup[1:] = (g[1:] == g[:-1]) & (p[1:] == p[:-1])
    if dup.any():
        led.add(r["label"], file_row[k_idx[dup]], "dropped", reason="duplicate (code, date) within the set")
        k_idx, g, p = k_idx[~dup], g[~dup], p[~dup]
    return k_idx, g, p, int((~on_session).sum()), int(dup.sum())


def _set_returns(r: dict, k_idx: np.ndarray, g: np.ndarray, p: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return, previous close, sessions spanned (0 on a code's first row) and non-positive-close flag per row."""
    close = r["close"][k_idx]
    same = np.zeros(len(g), dtype=bool)
    same[1:] = g[1:] == g[:-1]
    prev_close = np.empty_like(close)
    prev_close[0] = np.nan
    prev_close[1:] = close[:-1]
    gap = np.zeros(len(g), dtype=np.int32)
    gap[1:] = p[1:] - p[:-1]
    gap[~same] = 0
    if r["pct"] is not None:
        ret = r["pct"][k_idx] / 100.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ret = close / prev_close - 1.0
    ret = np.where(same & (close > 0) & (prev_close > 0), ret, np.nan)
    return ret, prev_close, gap, ~(close > 0)


def _limit_flags(r: dict, k_idx: np.ndarray, g: np.ndarray, p: np.ndarray, ret: np.ndarray, gap: np.ndarray,
                 table: _CodeTable, sess_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Limit-up (+1) / limit-down (-1) flags of single-session returns, and each row's limit rate."""
    close, high, low = r["close"][k_idx], r["high"][k_idx], r["low"][k_idx]
    reform_day = np.int32((CHINEXT_REFORM - pd.Timestamp("1970-01-01")).days)
    lim = table.limit[g].copy()
    lim[(table.board[g] == table.board_names.index("ChiNext")) & (sess_days[p] < reform_day)] = LIMITS["Main"]
    single = gap == 1
    with np.errstate(invalid="ignore"):
        at_high = np.abs(close - high) <= 1e-6 * np.maximum(1.0, np.abs(high))
        at_low = np.abs(close - low) <= 1e-6 * np.maximum(1.0, np.abs(low))
        up = single & at_high & (ret >= lim - LIMIT_TOL)
        down = single & at_low & (ret <= -lim + LIMIT_TOL)
    return np.where(up, 1, np.where(down, -1, 0)).astype(np.int8), lim


def _set_candidates(rank: int, name: str, r: dict, table: _CodeTable, sess_days: np.ndarray, led: Ledger
                    ) -> tuple[pd.DataFrame, dict]:
    """One set's candidate returns per (code, session) and its row accounting (dropped rows go to ``led``)."""
    gid = np.searchsorted(table.codes, r["dict"].astype(str)).astype(np.int32)[r["idx"]]
    k_idx, g, p, n_off, n_dup = _session_rows(r, gid, sess_days, led)
    ret, prev_close, gap, bad_px = _set_returns(r, k_idx, g, p)
    limit, lim = _limit_flags(r, k_idx, g, p, ret, gap, table, sess_days)
    beyond = _beyond_limit(ret, prev_close, lim, gap == 1, g, p)
    file_row = k_idx.astype(np.int64) + 1
    if beyond.any():
        led.add(r["label"], file_row[beyond], "flagged",
                reason="daily return beyond the board's price limit (set missing)",
                detail=[f"{table.codes[c]} {pd.Timestamp(sess_days[q], unit='D'):%Y-%m-%d} {x:+.1%}"
                        for c, q, x in zip(g[beyond], p[beyond], ret[beyond], strict=True)])
        ret = np.where(beyond, np.nan, ret)
    part = pd.DataFrame({"gid": g, "pos": p, "ret": ret, "gap": gap.astype(np.int16), "limit": limit,
                         "rank": np.int8(rank), "row": file_row, "badpx": bad_px})
    acct = {"file": r["label"], "set": name, "rows": r["n"], "dropped_non_session": n_off,
            "dropped_duplicate": n_dup, "nonpositive_close": int(bad_px.sum()), "beyond_limit": int(beyond.sum()),
            "manifest_rows": _manifest_rows(SET_BY_NAME[name], r["dict"].astype(str))}
    return part, acct


def _splice(cand: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Order candidates by code, session and preference (known return, single session, set priority); mark the
    first candidate of each (code, session), the one kept."""
    cand["pref"] = ((~np.isfinite(cand["ret"].to_numpy())).astype(np.int8) * 4
                    + (cand["gap"].to_numpy() != 1).astype(np.int8) * 2)
    order = np.lexsort((cand["rank"].to_numpy(), cand["pref"].to_numpy(), cand["pos"].to_numpy(),
                        cand["gid"].to_numpy()))
    cand = cand.iloc[order].reset_index(drop=True)
    gid, pos = cand["gid"].to_numpy(), cand["pos"].to_numpy()
    first = np.ones(len(cand), dtype=bool)
    first[1:] = (gid[1:] != gid[:-1]) | (pos[1:] != pos[:-1])
    return cand, first


def _agreement(cand: pd.DataFrame, first: np.ndarray, names: list[str]) -> pd.DataFrame:
    """How the kept single-session returns agree with the other sets' candidates on the same sessions."""
    sel_idx = np.flatnonzero(first)
    grp = np.cumsum(first) - 1
    other = ~first & (cand["gap"].to_numpy() == 1) & np.isfinite(cand["ret"].to_numpy())
    sel_of_other = sel_idx[grp[other]]
    sel_ok = (cand["gap"].to_numpy()[sel_of_other] == 1)
    a = pd.DataFrame({"selected": cand["rank"].to_numpy()[sel_of_other][sel_ok],
                      "other": cand["rank"].to_numpy()[other][sel_ok],
                      "r_sel": cand["ret"].to_numpy()[sel_of_other][sel_ok],
                      "r_oth": cand["ret"].to_numpy()[other][sel_ok]})
    if not len(a):
        return pd.DataFrame(columns=["selected", "other", "n", "median_abs_diff", "share_diff_gt_1pct", "corr"])
    a["d"] = (a["r_sel"] - a["r_oth"]).abs()
    agg = a.groupby(["selected", "other"]).agg(
        n=("d", "size"), median_abs_diff=("d", "median"), share_diff_gt_1pct=("d", lambda x: (x > 0.01).mean()))
    corr = a.groupby(["selected", "other"])[["r_sel", "r_oth"]].corr().xs("r_sel", level=2)["r_oth"]
    agg["corr"] = corr
    agree = agg.reset_index()
    agree["selected"] = [names[i] for i in agree["selected"]]
    agree["other"] = [names[i] for i in agree["other"]]
    return agree


def _panel_from_selected(sel: pd.DataFrame, table: _CodeTable, sess: pd.Series, names: list[str]
                         ) -> tuple[pd.DataFrame, np.ndarray]:
    """The panel frame from the kept candidates, and the ``overlap`` flags (returns set to NaN)."""
    # overlap: a multi-session return whose span reaches back over the previous kept session
    g, p, gp = sel["gid"].to_numpy(), sel["pos"].to_numpy(), sel["gap"].to_numpy().astype(np.int64)
    prev_same = np.zeros(len(sel), dtype=bool)
    prev_same[1:] = g[1:] == g[:-1]
    prev_pos = np.full(len(sel), -1, dtype=np.int64)
    prev_pos[1:] = p[:-1]
    overlap = prev_same & (gp > 1) & (p - gp < prev_pos)
    ret = sel["ret"].to_numpy().copy()
    ret[overlap] = np.nan
    # returns whose span starts before the code's first kept session in the panel keep their gap (documented)
    sess_ns = sess.to_numpy().astype("datetime64[ns]")
    panel = pd.DataFrame({
        "code": pd.Categorical.from_codes(g, categories=pd.Index(table.codes, dtype="str")),
        "date": sess_ns[p],
        "ret": ret,
        "gap": sel["gap"].to_numpy(),
        "limit": sel["limit"].to_numpy(),
        "overlap": overlap,
        "source": pd.Categorical.from_codes(sel["rank"].to_numpy(), categories=names),
        "board": pd.Categorical.from_codes(table.board[g], categories=table.board_names),
    })
    return panel, overlap


def _accounting(acct_rows: list[dict], kept_rank: np.ndarray, merged_rank: np.ndarray, n_sets: int
                ) -> pd.DataFrame:
    """Kept / merged / dropped rows per file, reconciled with the file's rows (a :class:`LedgerError` if not)."""
    acct = pd.DataFrame(acct_rows)
    acct["kept"] = np.bincount(kept_rank, minlength=n_sets)
    acct["merged"] = np.bincount(merged_rank, minlength=n_sets)
    acct["dropped"] = acct["dropped_non_session"] + acct["dropped_duplicate"]
    acct["reconciled"] = acct["kept"] + acct["merged"] + acct["dropped"] == acct["rows"]
    acct["manifest_match"] = acct["manifest_rows"].isna() | (acct["manifest_rows"] == acct["rows"])
    if not acct["reconciled"].all():
        bad = acct.loc[~acct["reconciled"], ["file", "rows", "kept", "merged", "dropped"]]
        raise LedgerError(f"price rows do not reconcile:\n{bad.to_string(index=False)}")
    return acct


def build_returns_panel(sets: Sequence[str] | None = None, *, min_stocks: int = MIN_STOCKS_PER_SESSION
                        ) -> PanelBuild:
    """Build the returns panel from all price files, spliced on returns.

    For each set: rows on dates that are not sessions (data calendar checked against XSHG) are dropped; within
    the set, rows are ordered by code and session, ``ret`` is the close over the set's previous close (the raw set
    uses the exchange percent change) and ``gap`` the number of sessions it spans (0 for the set's first row of a
    code, whose return is unknown). Then, per (code, session), one candidate is kept: a single-session return
    before a multi-session one, a known return before an unknown one, then the set priority of
    :data:`PRICE_SETS`. A multi-session return whose span overlaps the previous kept session (a set filling part of
    another's gap) cannot be split and is set to NaN (``overlap`` flag). Non-positive closes give NaN returns.

    Parameters
    ----------
    sets : sequence of str, optional
        Price sets to use (default: every available set).
    min_stocks : int
        Minimum number of stocks for a date to count as a session.

    Returns
    -------
    PanelBuild
        ``panel`` with columns ``code`` (categorical), ``date``, ``ret``, ``gap`` (int16), ``limit`` (int8: +1 up,
        -1 down, 0), ``overlap`` (bool), ``source`` (categorical), ``board`` (categorical); ``calendar`` (see
        :func:`calendar_from_counts`); ``ledger`` (dropped rows); ``accounting`` (kept / merged / dropped counts
        per file, reconciled); ``agreement`` (how candidate returns of different sets agree on shared sessions).

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     b = build_returns_panel()
    >>> b.panel.columns.tolist()
    ['code', 'date', 'ret', 'gap', 'limit', 'overlap', 'source', 'board']
    >>> bool(b.accounting["reconciled"].all())
    True
    """
    t0 = time.perf_counter()
    names = [s.name for s in PRICE_SETS if (sets is None or s.name in sets) and price_set_path(s.name).exists()]
    if not names:
        raise paths.MissingExternalData(price_set_path(PRICE_SETS[0].name))
    raw = {n: _read_set_arrays(SET_BY_NAME[n]) for n in names}
    table = _code_table(np.unique(np.concatenate([r["dict"] for r in raw.values()]).astype(str)))
    calendar, sess, sess_days = _data_calendar(raw, min_stocks)
    led = Ledger()
    parts, acct_rows = [], []
    for rank, n in enumerate(names):
        part, acct = _set_candidates(rank, n, raw[n], table, sess_days, led)
        parts.append(part)
        acct_rows.append(acct)
    del raw
    cand, first = _splice(pd.concat(parts, ignore_index=True))
    del parts
    agree = _agreement(cand, first, names)
    merged_rank = cand["rank"].to_numpy()[~first]
    sel = cand.loc[first].reset_index(drop=True)
    del cand
    panel, overlap = _panel_from_selected(sel, table, sess, names)
    acct = _accounting(acct_rows, sel["rank"].to_numpy(), merged_rank, len(names))
    panel = mark_real(panel, PRICES_SOURCE)
    panel.attrs["overlap_nan"] = int(overlap.sum())
    return PanelBuild(panel=panel, calendar=calendar, ledger=led, accounting=acct,
                      agreement=pd.concat([agree], ignore_index=True), seconds=time.perf_counter() - t0)
