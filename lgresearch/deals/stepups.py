"""Round-to-round valuation step-ups, and where each pair of rounds lies relative to a designation.

Examples
--------
>>> su = step_ups(demo_events())
>>> su[["firm_id", "round_std_prev", "round_std", "step_up"]].values.tolist()
[['甲科技有限公司', 'A', 'B', 2.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.deals.demo import demo_events  # noqa: F401 - used by the examples
from lgresearch.deals.rounds import merge_tranches, valued_events

__all__ = ["STEP_UP_COLUMNS", "DESIGNATION_COLUMNS", "SIX_MONTHS_DAYS", "step_ups", "relative_to_designation"]

#: Columns of :func:`step_ups`.
STEP_UP_COLUMNS = [
    "firm_id", "firm_name", "short_name", "province", "industry_vendor", "event_id_prev", "event_id",
    "date_prev", "date", "year", "days", "precise", "round_std_prev", "round_std", "stage_order_prev",
    "stage_order", "category_prev", "category", "post_money_cny_prev", "post_money_cny", "step_up",
    "log_step_up", "annual_log_step_up", "within_6m", "valuation_basis_prev", "valuation_basis",
    "n_closings_prev", "n_closings", "first_closing_date_prev", "last_closing_date_prev", "first_closing_date",
    "last_closing_date", "date_precision_prev", "date_precision",
]
#: Designation columns added by :func:`lgresearch.link.attach_designations` and read by :func:`step_ups`.
DESIGNATION_COLUMNS = ["designation_date", "designation_precision", "batch", "match_method", "match_score"]
_PRECISIONS = ("day", "month", "year")
#: Days counted as "six months" in :func:`step_ups` (``within_6m``).
SIX_MONTHS_DAYS = 183


def step_ups(
    events: pd.DataFrame,
    designations: pd.DataFrame | None = None,
    *,
    firm_col: str = "firm_id",
    date_col: str | None = None,
    tranches: str = "merge",
) -> pd.DataFrame:
    """Round-to-round valuation step-ups for firms with two or more valued financing rounds.

    By default the closings of one round are first merged into one financing round (:func:`merge_tranches`: same
    firm, same standardised round, post-money within 5%, consecutive closings at most 183 days apart); each round's
    post-money (its first closing's) is then divided by the firm's previous round's. ``tranches="keep"`` compares
    every valued closing with the previous one instead (the behaviour before version 1.0).

    Parameters
    ----------
    events : DataFrame
        Canonical events. When they carry designation columns (:func:`lgresearch.link.attach_designations`:
        ``designation_date``, ``designation_precision``, ``batch``, ``match_method``, ``match_score``), each pair
        carries them too and is labelled ``relative_to_designation`` (see :func:`relative_to_designation`).
    designations : DataFrame, optional
        Alternatively, a designation panel keyed by the events' ``firm_id`` (``firm_col``) with a date column
        (``date_col``; default ``designation_date``, else ``event_date``) and optionally ``designation_precision``
        (else ``event_date_precision``; day precision when neither exists). The output gains
        ``designated_between`` (a designation fell after the previous round and on or before this one, at day
        resolution), ``designation_date`` (the latest such date), ``days_since_designation`` (from it to this
        round), ``designated_before_prev`` and ``relative_to_designation`` for the firm's earliest designation.
    firm_col, date_col : str
        Column names in ``designations``.
    tranches : {"merge", "keep"}, default "merge"
        Merge the closings of one round (default) or keep every closing as a round.

    Returns
    -------
    DataFrame
        :data:`STEP_UP_COLUMNS`: the pair's ids, dates (a merged round's ``date`` is its first closing), ``days``
        elapsed, ``precise`` (both dates known to the day), stages and categories of both rounds, both valuations,
        ``step_up`` (ratio), ``log_step_up``, ``annual_log_step_up`` (log step-up per 365.25 days; NaN when both
        rounds fall on the same day), ``within_6m`` (at most 183 days apart), and ``n_closings`` /
        ``first_closing_date`` / ``last_closing_date`` of both rounds. Provenance attrs are carried over.

    Examples
    --------
    >>> d = pd.DataFrame({"firm_id": ["甲科技有限公司"], "designation_date": [pd.Timestamp("2021-01-15")]})
    >>> s = step_ups(demo_events(), d)
    >>> s[["days", "within_6m", "designated_between", "days_since_designation", "relative_to_designation"]
    ...   ].values.tolist()
    [[180, True, True, 59.0, 'straddles']]
    """
    if tranches not in ("merge", "keep"):
        raise ValueError(f"tranches must be 'merge' or 'keep', got {tranches!r}")
    if tranches == "merge":
        ev = merge_tranches(events)
    else:
        ev = valued_events(events).assign(n_closings=1).reset_index(drop=True)
        ev["first_closing_date"] = ev["date"]
        ev["last_closing_date"] = ev["date"]
    out = _pairs(ev.reset_index(drop=True))
    if designations is None and "designation_date" in events.columns:
        out = _label_pairs(out, _firm_designations(events))
    elif designations is not None:
        if date_col is None:
            date_col = next((c for c in ("designation_date", "event_date") if c in designations.columns),
                            "designation_date")
        out = _add_designation(out, designations, firm_col=firm_col, date_col=date_col)
        out = _label_pairs(out, _panel_designations(designations, firm_col=firm_col, date_col=date_col))
    out.attrs = {k: v for k, v in events.attrs.items() if k in ("provenance", "source")}
    out.attrs["tranches"] = tranches
    return out


def _pairs(ev: pd.DataFrame) -> pd.DataFrame:
    """Each round with the firm's previous round (``ev`` sorted by firm and date)."""
    prev = ev.groupby("firm_id", sort=False).shift(1)
    has_prev = prev["event_id"].notna()
    cur, prv = ev[has_prev], prev[has_prev]
    days = (cur["date"] - prv["date"]).dt.days.astype("int64")
    ratio = cur["post_money_cny"] / prv["post_money_cny"]
    log_su = np.log(ratio)
    annual = (log_su / (days / 365.25)).where(days > 0)
    out = pd.DataFrame({
        "firm_id": cur["firm_id"], "firm_name": cur["firm_name"], "short_name": cur["short_name"],
        "province": cur["province"], "industry_vendor": cur["industry_vendor"],
        "event_id_prev": prv["event_id"], "event_id": cur["event_id"],
        "date_prev": prv["date"], "date": cur["date"], "year": cur["date"].dt.year.astype("int64"),
        "days": days,
        "precise": (cur["date_precision"] == "day") & (prv["date_precision"] == "day"),
        "round_std_prev": prv["round_std"], "round_std": cur["round_std"],
        "stage_order_prev": prv["stage_order"].astype("float64"), "stage_order": cur["stage_order"].astype("float64"),
        "category_prev": prv["category"], "category": cur["category"],
        "post_money_cny_prev": prv["post_money_cny"].astype("float64"),
        "post_money_cny": cur["post_money_cny"].astype("float64"),
        "step_up": ratio.astype("float64"), "log_step_up": log_su.astype("float64"),
        "annual_log_step_up": annual.astype("float64"),
        "within_6m": days <= SIX_MONTHS_DAYS,
        "valuation_basis_prev": prv["valuation_basis"], "valuation_basis": cur["valuation_basis"],
        "n_closings_prev": prv["n_closings"].astype("int64"), "n_closings": cur["n_closings"].astype("int64"),
        "first_closing_date_prev": prv["first_closing_date"], "last_closing_date_prev": prv["last_closing_date"],
        "first_closing_date": cur["first_closing_date"], "last_closing_date": cur["last_closing_date"],
        "date_precision_prev": prv["date_precision"], "date_precision": cur["date_precision"],
    }).reset_index(drop=True)
    return out


def _firm_designations(frame: pd.DataFrame) -> pd.DataFrame:
    """One designation per firm from a frame carrying :data:`DESIGNATION_COLUMNS` (first non-missing row)."""
    f = frame.loc[frame["firm_id"].notna(), ["firm_id"]].assign(
        **{c: frame[c] if c in frame.columns else pd.NA for c in DESIGNATION_COLUMNS})
    f = f.assign(_has=f["designation_date"].notna() | f["batch"].notna())
    f = f.sort_values(["firm_id", "_has"], ascending=[True, False], kind="stable").drop_duplicates("firm_id")
    return f.loc[f["_has"], ["firm_id", *DESIGNATION_COLUMNS]].reset_index(drop=True)


def _panel_designations(designations: pd.DataFrame, *, firm_col: str, date_col: str) -> pd.DataFrame:
    """The earliest designation of each firm in a panel, with its precision (day when the panel has none)."""
    prec_col = next((c for c in ("designation_precision", f"{date_col}_precision") if c in designations.columns),
                    None)
    d = pd.DataFrame({"firm_id": designations[firm_col],
                      "designation_date": pd.to_datetime(designations[date_col]),
                      "designation_precision": designations[prec_col] if prec_col else "day",
                      "batch": designations["batch"] if "batch" in designations else pd.NA,
                      "match_method": pd.NA, "match_score": np.nan})
    d = d[d["firm_id"].notna()].sort_values(["firm_id", "designation_date"], na_position="last", kind="stable")
    return d.drop_duplicates("firm_id").reset_index(drop=True)


def _label_pairs(pairs: pd.DataFrame, per_firm: pd.DataFrame) -> pd.DataFrame:
    """Attach the firm's designation to each pair and label the pair relative to it."""
    if "designation_date" in pairs.columns:  # the designations= path: keep its "designation between" date
        per_firm = per_firm.rename(columns={"designation_date": "_first_designation"})
    out = pairs.merge(per_firm, on="firm_id", how="left", validate="many_to_one")
    first = out.pop("_first_designation") if "_first_designation" in out else out["designation_date"]
    out["relative_to_designation"] = relative_to_designation(
        out, designation_date=first, designated=first.notna() | out["batch"].notna())
    return out


def relative_to_designation(
    pairs: pd.DataFrame,
    *,
    designation_date: pd.Series | None = None,
    designated: pd.Series | None = None,
) -> pd.Series:
    """Label round pairs ``before`` / ``straddles`` / ``after`` a designation, or ``unknown``, respecting precision.

    Each date is the span its precision allows: a day; a month precision date is its whole month, a year
    precision date its whole year (dates sit on the first day of their period). With the two rounds' spans
    ``P`` (earlier) and ``C`` (later) and the designation's span ``D``:

    * ``before``: ``C`` ends before ``D`` begins (both rounds before the designation);
    * ``straddles``: ``P`` ends before ``D`` begins and ``D`` ends on or before ``C`` begins (the whole
      designation span lies after the earlier round and on or before the later one);
    * ``after``: ``P`` begins on or after ``D`` ends (designated on or before the earlier round);
    * ``unknown``: anything else (the spans overlap, e.g. a month-precision designation in the month of a round),
      or a designated firm whose designation date or precision is missing or not understood.

    Pairs of firms without a designation get a missing label.

    Parameters
    ----------
    pairs : DataFrame
        Round pairs with ``date_prev`` and ``date``, optional ``date_precision_prev`` / ``date_precision``, and
        ``designation_date`` / ``designation_precision``.
    designation_date : Series, optional
        Dates to use instead of ``pairs["designation_date"]``.
    designated : Series of bool, optional
        Which pairs belong to designated firms (default: a non-missing designation date).

    Returns
    -------
    Series
        String labels (``before``, ``straddles``, ``after``, ``unknown``; missing when not designated).

    Examples
    --------
    >>> p = pd.DataFrame({"date_prev": pd.to_datetime(["2021-05-10", "2021-05-10", "2021-01-10"]),
    ...                   "date": pd.to_datetime(["2021-08-01", "2021-06-20", "2021-02-01"]),
    ...                   "designation_date": pd.to_datetime(["2021-06-01"] * 3),
    ...                   "designation_precision": ["month"] * 3})
    >>> relative_to_designation(p).tolist()
    ['straddles', 'unknown', 'before']
    """
    d = pairs["designation_date"] if designation_date is None else designation_date
    d = pd.to_datetime(pd.Series(d, index=pairs.index))
    designated = d.notna() if designated is None else pd.Series(designated, index=pairs.index).astype(bool)
    d_prec = pairs["designation_precision"] if "designation_precision" in pairs else pd.Series("day", pairs.index)
    p_lo, p_hi = _span(pairs["date_prev"], pairs.get("date_precision_prev"))
    c_lo, c_hi = _span(pairs["date"], pairs.get("date_precision"))
    d_lo, d_hi = _span(d, d_prec)
    known = d_lo.notna() & d_hi.notna()
    label = np.select([known & (c_hi < d_lo), known & (p_hi < d_lo) & (d_hi <= c_lo), known & (p_lo >= d_hi)],
                      ["before", "straddles", "after"], default="unknown")
    out = pd.Series(label, index=pairs.index, dtype="string")
    return out.where(designated, pd.NA)


def _span(dates: pd.Series, precision: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """First and last day a date can be, given its precision (unknown precision: both NaT)."""
    dates = pd.to_datetime(dates)
    prec = (pd.Series("day", index=dates.index) if precision is None
            else pd.Series(precision, index=dates.index).astype("string").fillna("<NA>"))
    month_end = dates + pd.offsets.MonthEnd(0)
    year_end = dates + pd.offsets.YearEnd(0)
    hi = dates.where(prec == "day", month_end.where(prec == "month", year_end.where(prec == "year")))
    lo = dates.where(prec.isin(list(_PRECISIONS)))
    return lo, hi.where(prec.isin(list(_PRECISIONS)))


def _add_designation(pairs: pd.DataFrame, designations: pd.DataFrame, *, firm_col: str, date_col: str
                     ) -> pd.DataFrame:
    missing = [c for c in (firm_col, date_col) if c not in designations.columns]
    if missing:
        raise KeyError(f"designation panel lacks columns {missing}")
    des = designations[[firm_col, date_col]].dropna().rename(columns={firm_col: "firm_id", date_col: "_d"})
    des = des.assign(_d=pd.to_datetime(des["_d"]))
    pairs = pairs.assign(_pair=np.arange(len(pairs)))
    m = pairs[["_pair", "firm_id", "date_prev", "date"]].merge(des, on="firm_id", how="inner")
    between = m[(m["_d"] > m["date_prev"]) & (m["_d"] <= m["date"])]
    latest = between.groupby("_pair")["_d"].max()
    before = m[m["_d"] <= m["date_prev"]].groupby("_pair").size()
    out = pairs.copy()
    out["designated_between"] = out["_pair"].isin(latest.index)
    dates = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    hit = out["_pair"].isin(latest.index)
    if hit.any():  # nothing straddles: leave NaT (mapping an empty result used to crash)
        dates[hit] = pd.to_datetime(out.loc[hit, "_pair"].map(latest)).astype("datetime64[ns]")
    out["designation_date"] = dates
    out["days_since_designation"] = pd.array((out["date"] - dates).dt.days, dtype="Float64")
    out["designated_before_prev"] = out["_pair"].isin(before.index)
    return out.drop(columns="_pair")
