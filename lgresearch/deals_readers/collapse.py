"""Collapse parsed rows into events: one event per (firm, date, round), every row kept, merged or dropped.

Investor-level rows (清科) of one event are merged: disclosed amounts are summed, the event's valuation is kept
(the median when rows disagree, flagged), duplicated investor rows are dropped with a reason, and the first row
of each event is the one ``kept`` in the ledger.

Examples
--------
>>> first_rows_index(pd.DataFrame({"k": ["a", "b", "a"]}), ["k"]).tolist()
[0, 1]
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lgresearch.deals_readers.mapping import DealMapping
from lgresearch.deals_readers.schema import (
    IMPLIED_TOLERANCE,
    VALUATION_CONFLICT_TOLERANCE,
    empty_events,
    finalize_events,
)
from lgresearch.ledger import Ledger

__all__ = ["EVENT_KEYS", "collapse_rows", "first_rows_index"]

#: The grouping keys of an event among parsed rows: firm, date (with precision) and round as written.
EVENT_KEYS = ["_firm_key", "_date_key", "_round_key"]
#: Amount statuses from the most to the least informative: an event without a point figure takes its best row's.
_STATUS_ORDER = ["exact", "range", "vague", "unknown_currency", "unparsed", "undisclosed", "missing"]


def _hash(parts: Sequence[object]) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:12]


def _group_lists(codes: pd.Series, values: list) -> dict[int, list]:
    """Values grouped by integer group code (order of appearance kept)."""
    out: dict[int, list] = {}
    for c, v in zip(codes.tolist(), values, strict=True):
        out.setdefault(c, []).append(v)
    return out


def first_rows_index(frame: pd.DataFrame, keys: list[str]) -> pd.Index:
    """Index labels of the first row of each group, in the order ``groupby(..., sort=False).head(1)`` gives.

    Parameters
    ----------
    frame : DataFrame
        Any frame.
    keys : list of str
        Columns that identify a group.

    Returns
    -------
    Index
        The index of the first row of each group.

    Examples
    --------
    >>> first_rows_index(pd.DataFrame({"k": ["a", "b", "a"]}), ["k"]).tolist()
    [0, 1]
    """
    return frame.groupby(keys, sort=False, dropna=False).head(1).index


def _drop_duplicate_rows(frame: pd.DataFrame, mapping: DealMapping, source_file: str,
                         ledger: Ledger) -> pd.DataFrame:
    """Drop exact duplicate investor rows of an event; flag an investor listed twice with different terms."""
    keys = EVENT_KEYS
    # exact duplicate investor rows inside an event: same investor, same amount, same stake
    dup_cols = keys + ["_inv_key", "amount_reported", "amount_cny", "stake_pct", "post_money_cny"]
    dup_frame = frame[dup_cols].astype(object).where(frame[dup_cols].notna(), "<NA>").astype(str)
    dup = dup_frame.duplicated(keep="first")
    if mapping.investor_level:
        dup &= frame["_inv_key"].notna()
    if dup.any():
        first_rows = dup_frame.assign(_row=frame["_row"]).groupby(dup_cols, sort=False)["_row"].transform("min")
        ledger.add(source_file, frame.loc[dup, "_row"].tolist(), "dropped",
                   reason="duplicate investor row" if mapping.investor_level else "duplicate row",
                   detail=[f"same as row {r}" for r in first_rows[dup].tolist()])
        frame = frame[~dup]
    # the same investor twice in one event with different terms: kept, flagged
    if mapping.investor_level:
        twice = frame["_inv_key"].notna() & frame.duplicated(keys + ["_inv_key"], keep=False)
        if twice.any():
            ledger.add(source_file, frame.loc[twice, "_row"].tolist(), "flagged",
                       reason="investor listed twice in one event with different terms")
    return frame


def _sums(frame: pd.DataFrame, first_index: pd.Index) -> pd.DataFrame:
    """Per event: sums of amounts and stakes and counts of rows that give them (in ``first_index`` order)."""
    pt = frame["amount_cny"]
    has_pt = pt.notna()
    has_stake = frame["stake_pct"].notna()
    agg = pd.DataFrame({
        "amount_cny": pt.where(has_pt, 0.0),
        "amount_reported": frame["amount_reported"].where(frame["amount_reported"].notna(), 0.0),
        "n_pt": has_pt.astype(int),
        "n_rep": frame["amount_reported"].notna().astype(int),
        "low": frame["amount_cny_low"].where(frame["amount_cny_low"].notna(), 0.0),
        "high": frame["amount_cny_high"].where(frame["amount_cny_high"].notna(), 0.0),
        "n_low": frame["amount_cny_low"].notna().astype(int),
        "n_disc": frame["amount_disclosed"].astype(int),
        "stake": frame["stake_pct"].where(has_stake, 0.0),
        "n_stake": has_stake.astype(int),
        "both_amt": (frame["amount_cny"].where(has_stake & has_pt, 0.0)),
        "both_stake": (frame["stake_pct"].where(has_stake & has_pt, 0.0)),
        "n_both": (has_stake & has_pt).astype(int),
    }, index=frame.index)
    for k in EVENT_KEYS:
        agg[k] = frame[k]
    return agg.groupby(EVENT_KEYS, sort=False, dropna=False).sum().loc[first_index]


def _amount_columns(frame: pd.DataFrame, first: pd.DataFrame, sums: pd.DataFrame,
                    n: pd.Series) -> dict[str, pd.Series]:
    """The event's amounts: point sums, bounds (open-ended when some rows give none), status, disclosed."""
    all_exact = sums["n_pt"] == n
    some_exact = sums["n_pt"] > 0
    high = sums["high"].where(sums["n_low"] > 0)
    high = high.where(sums["n_low"] == n, np.inf).where(sums["n_low"] > 0)
    status_first = first["amount_status"].astype(object)
    status = pd.Series(np.where(all_exact, "exact", np.where(some_exact, "partial", status_first)),
                       index=first.index)
    # for events without a point figure, the statuses of the rows decide (vague beats undisclosed beats missing)
    order = {s: i for i, s in enumerate(_STATUS_ORDER)}
    best = (frame.assign(_o=frame["amount_status"].map(order))
            .groupby(EVENT_KEYS, sort=False, dropna=False)["_o"].min().loc[first.index])
    inv_order = {i: s for s, i in order.items()}
    return {
        "amount_reported": sums["amount_reported"].where(sums["n_rep"] > 0),
        "amount_cny": sums["amount_cny"].where(sums["n_pt"] > 0),
        "amount_cny_low": sums["low"].where(sums["n_low"] > 0),
        "amount_cny_high": high,
        "amount_disclosed": sums["n_disc"] > 0,
        "amount_status": status.where(some_exact, best.map(inv_order)),
    }


def _flag_events(frame: pd.DataFrame, events: pd.Series, reason: str, source_file: str, ledger: Ledger) -> None:
    """Flag every row of the events where ``events`` (indexed by event keys) is true."""
    rows = frame.set_index(EVENT_KEYS).loc[events[events].index, "_row"]
    ledger.add(source_file, rows.tolist(), "flagged", reason=reason)


def _valuation_columns(frame: pd.DataFrame, first: pd.DataFrame, sums: pd.DataFrame, mapping: DealMapping,
                       source_file: str, ledger: Ledger) -> dict[str, object]:
    """The event's stake, post-money valuation and its basis (reported, implied by amount ÷ stake, none)."""
    vstats = (frame.assign(_v=frame["post_money_cny"]).groupby(EVENT_KEYS, sort=False, dropna=False)["_v"]
              .agg(["median", "min", "max", "count"]).loc[first.index])
    conflict = (vstats["count"] > 1) & (vstats["max"] / vstats["min"] - 1 > VALUATION_CONFLICT_TOLERANCE)
    if conflict.any():
        _flag_events(frame, conflict, "conflicting valuations within one event (median kept)", source_file, ledger)
    vendor_val = vstats["median"]
    implied_val = (sums["both_amt"] / sums["both_stake"] * 100).where(sums["n_both"] > 0)
    implied_val = implied_val.where(implied_val > 0)
    if mapping.valuation_is == "check":
        matches = vendor_val.notna() & implied_val.notna() & (
            (vendor_val / implied_val - 1).abs() <= IMPLIED_TOLERANCE)
        basis = np.where(vendor_val.notna(), np.where(matches, "implied", "reported"),
                         np.where(implied_val.notna(), "implied", "none"))
        post = vendor_val.where(vendor_val.notna(), implied_val)
    else:
        basis = np.where(vendor_val.notna(), "reported", "none")
        post = vendor_val
    stake = sums["stake"].where(sums["n_stake"] > 0)
    over = stake > 100
    if over.any():
        _flag_events(frame, over, "stakes of one event sum above 100% (event stake set missing)", source_file,
                     ledger)
        stake = stake.where(~over)
    return {"stake_pct": stake, "post_money_cny": post, "valuation_basis": basis}


def _list_columns(frame: pd.DataFrame, g, first: pd.DataFrame) -> dict[str, pd.Series]:
    """The event's investors (each once, in order), investor count and file rows."""
    codes = g.ngroup()
    inv_by = _group_lists(codes, frame["investors"].tolist())
    row_by = _group_lists(codes, frame["_row"].tolist())
    first_codes = codes.loc[first_rows_index(frame, EVENT_KEYS)].to_numpy()
    inv_lists = pd.Series([list(dict.fromkeys(x for lst in inv_by[c] for x in lst)) for c in first_codes],
                          index=first.index, dtype=object)
    rows_lists = pd.Series([[int(x) for x in row_by[c]] for c in first_codes], index=first.index, dtype=object)
    n_inv_given = g["_n_inv"].max().loc[first.index]
    n_inv = inv_lists.map(len)
    n_inv = n_inv.where(n_inv_given.isna() | (n_inv_given < n_inv), n_inv_given).astype("int64")
    return {"investors": inv_lists, "n_investors": n_inv, "source_rows": rows_lists}


def _ledger_kept_and_merged(frame: pd.DataFrame, first_rows: pd.Series, event_ids: pd.Series,
                            mapping: DealMapping, source_file: str, ledger: Ledger) -> None:
    """The first row of each event is ``kept``; the others are ``merged`` into it."""
    kept = first_rows.tolist()
    ledger.add(source_file, kept, "kept")
    merged_mask = ~frame["_row"].isin(set(kept))
    if merged_mask.any():
        ev_of = dict(zip(first_rows.tolist(), event_ids, strict=True))
        first_of = frame.groupby(EVENT_KEYS, sort=False, dropna=False)["_row"].transform("min")
        ledger.add(source_file, frame.loc[merged_mask, "_row"].tolist(), "merged",
                   reason="investor row of the same event" if mapping.investor_level else "same event",
                   detail=[f"into {ev_of[r]} (row {r})" for r in first_of[merged_mask].tolist()])


def collapse_rows(frame: pd.DataFrame, mapping: DealMapping, *, source_file: str, ledger: Ledger) -> pd.DataFrame:
    """Collapse parsed rows into canonical events, one per (firm, date, round), recording every row in ``ledger``.

    Parameters
    ----------
    frame : DataFrame
        Parsed rows from :func:`lgresearch.deals_readers.rows.events_from_rows`: the canonical fields plus
        ``_row`` (file row number), ``_inv_key``, ``_n_inv`` and the keys :data:`EVENT_KEYS`.
    mapping : DealMapping
        The mapping the rows were read with (``investor_level``, ``valuation_is``, ``source``).
    source_file : str
        The file name recorded on every event and ledger row.
    ledger : Ledger
        Receives ``kept`` for the first row of each event, ``merged`` for the others, ``dropped`` for
        duplicates and ``flagged`` for conflicts.

    Returns
    -------
    DataFrame
        Canonical events (:func:`~lgresearch.deals_readers.schema.finalize_events`).

    Examples
    --------
    >>> from lgresearch.deals_readers.rows import events_from_rows
    >>> rows = pd.DataFrame({"Firm": ["甲科技有限公司"] * 2, "Date": ["2021-03-01"] * 2, "Amount": ["1亿人民币"] * 2,
    ...                      "Investor": ["X资本", "X资本"], "_row": [2, 3]})
    >>> led = Ledger()
    >>> ev = events_from_rows(rows, DealMapping({"firm_name": "Firm", "date": "Date", "amount": "Amount",
    ...                       "investor": "Investor"}, investor_level=True), source_file="f.csv", ledger=led)
    >>> ev["amount_cny"].tolist(), led.frame()[["source_row", "outcome"]].values.tolist()
    ([100000000.0], [[3, 'dropped'], [2, 'kept']])
    """
    if frame.empty:
        return empty_events()
    keys = EVENT_KEYS
    frame = _drop_duplicate_rows(frame.sort_values("_row", kind="stable"), mapping, source_file, ledger)
    g = frame.groupby(keys, sort=False, dropna=False)
    first = g.head(1).set_index(keys)
    sums = _sums(frame, first.index)
    amounts = _amount_columns(frame, first, sums, g.size().loc[first.index])
    valuation = _valuation_columns(frame, first, sums, mapping, source_file, ledger)

    def first_valid(col: str) -> pd.Series:
        return g[col].first().loc[first.index]

    texts = ["firm_name", "short_name", "uscc", "country", "province", "city", "industry_vendor", "industry_gb",
             "investment_type", "listed_exchange"]
    events = pd.DataFrame(
        {
            "source": mapping.source, "firm_id": first["firm_id"], **{c: first_valid(c) for c in texts},
            **{c: first[c] for c in ["date", "date_precision", "round_raw", "round_std", "stage_order", "category"]},
            "currency": first_valid("currency"), **amounts, **valuation, **_list_columns(frame, g, first),
            "source_file": source_file,
        },
        index=first.index,
    ).reset_index()
    events["event_id"] = [
        f"{mapping.source}:{_hash((fk, dk, rk))}"
        for fk, dk, rk in zip(events["_firm_key"], events["_date_key"], events["_round_key"], strict=True)
    ]
    events = events.drop(columns=keys)
    _ledger_kept_and_merged(frame, first["_row"], events["event_id"], mapping, source_file, ledger)
    return finalize_events(events)


#: The 0.x name of :func:`collapse_rows`.
_collapse = collapse_rows
