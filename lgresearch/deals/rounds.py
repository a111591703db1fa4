"""Events to financing rounds and firms: yearly summaries, valued events, merged closings, private rounds, firms.

Examples
--------
>>> ev = demo_events()
>>> annual_summary(ev)[["year", "n_events", "n_firms"]].values.tolist()
[[2020, 2, 2], [2021, 2, 1]]
>>> deal_firms(ev)["industry_l1"].tolist()
['半导体及电子设备', '半导体及电子设备']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.deals.demo import demo_events  # noqa: F401 - used by the examples
from lgresearch.provenance import mark_simulated

__all__ = ["SUMMARY_COLUMNS", "TRANCHE_TOLERANCE", "TRANCHE_MAX_DAYS", "PRIVATE_CATEGORIES",
           "NON_ROUND_INVESTMENT_TYPES", "FIRM_COLUMNS", "LISTING_STATUSES", "annual_summary", "valued_events",
           "merge_tranches", "private_rounds", "excluded_by_investment_type", "listing_status", "industry_l1",
           "deal_firms"]

#: Columns of :func:`annual_summary`.
SUMMARY_COLUMNS = ["year", "n_events", "n_firms", "n_amount_disclosed", "amount_disclosed_cny",
                   "median_post_money_cny"]
#: Closings of one round (:func:`merge_tranches`): post-money within this relative tolerance of the first closing,
TRANCHE_TOLERANCE = 0.05
#: ... and at most this many days after the round's previous closing.
TRANCHE_MAX_DAYS = 183
_UNMERGEABLE = frozenset({"unknown", "undisclosed"})


def annual_summary(events: pd.DataFrame) -> pd.DataFrame:
    """Events, firms, disclosed amounts and median valuation per year.

    Parameters
    ----------
    events : DataFrame
        Canonical events.

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS`: ``year``, ``n_events``, ``n_firms`` (distinct identified firms; undisclosed firms
        are not counted), ``n_amount_disclosed`` (events with an exact CNY amount, including events where only some
        investors' amounts are disclosed), ``amount_disclosed_cny`` (sum of those amounts), and
        ``median_post_money_cny`` (median over events with a valuation). ``attrs`` carry the events' provenance.

    Examples
    --------
    >>> s = annual_summary(demo_events())
    >>> s.loc[s["year"] == 2021, ["amount_disclosed_cny", "median_post_money_cny"]].values.tolist()
    [[30000000.0, 200000000.0]]
    """
    ev = events
    if ev.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64" if c.endswith("cny") else "int64")
                            for c in SUMMARY_COLUMNS})
    else:
        year = ev["date"].dt.year if "year" not in ev.columns else ev["year"]
        g = ev.assign(_year=year.astype("int64")).groupby("_year", sort=True)
        out = pd.DataFrame({
            "n_events": g.size(),
            "n_firms": g["firm_id"].nunique(dropna=True),
            "n_amount_disclosed": g["amount_cny"].count(),
            "amount_disclosed_cny": g["amount_cny"].sum(min_count=0),
            "median_post_money_cny": g["post_money_cny"].median(),
        }).rename_axis("year").reset_index()
        out = out.astype({"year": "int64", "n_events": "int64", "n_firms": "int64", "n_amount_disclosed": "int64",
                          "amount_disclosed_cny": "float64", "median_post_money_cny": "float64"})
    out = out[SUMMARY_COLUMNS]
    out.attrs = {k: v for k, v in events.attrs.items() if k in ("provenance", "source", "ledger_summary")}
    if "provenance" in events.columns and (events["provenance"].astype(str) == "simulated").any():
        out = mark_simulated(out, events.attrs.get("source", "lgresearch.simulate"))
    return out


def valued_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events of identified firms with a positive post-money valuation, sorted by firm, date and stage.

    Parameters
    ----------
    events : DataFrame
        Canonical deal events (:data:`~lgresearch.deals.DEAL_COLUMNS`).

    Returns
    -------
    DataFrame
        The events with a post-money valuation.

    Examples
    --------
    >>> len(valued_events(demo_events()))
    2
    """
    ev = events[events["firm_id"].notna() & (events["post_money_cny"] > 0)]
    return ev.sort_values(["firm_id", "date", "stage_order", "event_id"], na_position="last", kind="stable")


def merge_tranches(
    events: pd.DataFrame,
    *,
    tolerance: float = TRANCHE_TOLERANCE,
    max_days: int = TRANCHE_MAX_DAYS,
) -> pd.DataFrame:
    """Merge the closings (tranches) of one financing round into one round.

    Vendors record each closing of a round as an event of its own: the same round label, the same valuation, a
    few weeks apart. Counted as round pairs they look like flat "step-ups" within six months. Here the valued
    events of a firm (:func:`valued_events`, in date order) are walked through and a closing joins the firm's
    current round when

    * it has the **same standardised round** (``round_std``; ``unknown`` / ``undisclosed`` never merge),
    * its post-money is **within** ``tolerance`` of the round's *first* closing (the larger over the smaller is at
      most ``1 + tolerance``; measured against the first closing so that small differences cannot creep along a
      chain), and
    * it is at most ``max_days`` after the round's *latest* closing (so a chain of tranches, each within
      ``max_days`` of the one before, is one round).

    A closing at a clearly different valuation (a real step-up between tranches) starts a new round, even with the
    same label.

    Parameters
    ----------
    events : DataFrame
        Canonical events.
    tolerance : float, default 0.05
        Relative valuation tolerance (5%).
    max_days : int, default 183
        Largest gap in days between consecutive closings of one round.

    Returns
    -------
    DataFrame
        One row per financing round: the first closing's row (its ``event_id``, ``date``, post-money and round) with
        ``n_closings``, ``first_closing_date`` (= ``date``), ``last_closing_date`` and ``amount_cny`` summed over the
        closings (NaN when none is disclosed). Provenance attrs are carried over.

    Examples
    --------
    >>> ev = demo_events()
    >>> ev.loc[2, ["round_std", "post_money_cny"]] = ["A", 1.02e8]
    >>> m = merge_tranches(ev)
    >>> m[["round_std", "n_closings", "first_closing_date", "last_closing_date"]].astype(str).values.tolist()
    [['A', '2', '2020-09-16', '2021-03-15']]
    """
    ev = valued_events(events).reset_index(drop=True)
    rid = _round_ids(ev, tolerance=tolerance, max_days=max_days)
    g = ev.assign(_rid=rid).groupby("_rid", sort=False)
    out = g.head(1).set_index("_rid")
    out["n_closings"] = g.size().astype("int64")
    out["first_closing_date"] = out["date"]
    out["last_closing_date"] = g["date"].max()
    if "amount_cny" in ev.columns:
        out["amount_cny"] = g["amount_cny"].sum(min_count=1)
    out = out.reset_index(drop=True)
    out.attrs = dict(events.attrs)
    return out


def _round_ids(ev: pd.DataFrame, *, tolerance: float, max_days: int) -> np.ndarray:
    """Round number of each valued event (sorted by firm and date): closings of one round share a number."""
    firm = ev["firm_id"].to_numpy(dtype=object)
    rnd = ev["round_std"].astype(object).where(ev["round_std"].notna(), None).to_numpy(dtype=object)
    val = ev["post_money_cny"].to_numpy(dtype=float)
    day = ev["date"].to_numpy(dtype="datetime64[D]").astype("int64")
    rid = np.zeros(len(ev), dtype="int64")
    cur, start, last = -1, 0, 0
    for i in range(len(ev)):
        same = (i > 0 and firm[i] == firm[i - 1] and rnd[i] is not None and rnd[i] not in _UNMERGEABLE
                and rnd[i] == rnd[start]
                and max(val[i], val[start]) <= (1 + tolerance) * min(val[i], val[start]) * (1 + 1e-12)
                and day[i] - day[last] <= max_days)
        if not same:
            cur, start = cur + 1, i
        last = i
        rid[i] = cur
    return rid


#: Round categories counted as private financing rounds in step-up statistics (public-market placements,
#: secondary transfers and M&A are not venture rounds).
PRIVATE_CATEGORIES = ("seed/venture", "growth", "pre-IPO", "other")
#: Vendor investment types (清科 投资类型) that are not private financing rounds whatever the round label says:
#: founding contributions (发起设立), M&A (并购投资), real-estate investment (房地产投资) and placements of listed or
#: NEEQ-quoted shares (上市定增, 新三板定增).
NON_ROUND_INVESTMENT_TYPES = ("发起设立", "并购投资", "房地产投资", "上市定增", "新三板定增")
#: Columns of :func:`deal_firms`.
FIRM_COLUMNS = ["firm_id", "firm_name", "short_name", "province", "city", "industry_vendor", "industry_l1",
                "listed_exchange", "first_date", "first_year", "first_round_std", "first_stage_order",
                "first_category", "n_events", "n_valued", "amount_cny_total", "first_post_money_cny"]


def private_rounds(events: pd.DataFrame) -> pd.DataFrame:
    """Private financing rounds: what step-up and attention statistics count as a round.

    Kept: events whose round category is in :data:`PRIVATE_CATEGORIES` (seed/venture, growth, pre-IPO and "other"
    private rounds such as strategic or mezzanine rounds), whose round is disclosed (``round_std`` not
    ``undisclosed`` / ``unknown``), and whose vendor investment type is not in
    :data:`NON_ROUND_INVESTMENT_TYPES` (founding contributions 发起设立, M&A 并购投资, real estate, placements of
    listed or NEEQ shares). Events without an investment type are kept. Left out: public-market and NEEQ
    placements, secondary transfers, M&A and founding contributions.

    Parameters
    ----------
    events : DataFrame
        Canonical events.

    Returns
    -------
    DataFrame
        The kept rows (same columns); ``attrs`` carried over.

    Examples
    --------
    >>> ev = demo_events()
    >>> len(private_rounds(ev))
    4
    >>> ev.loc[0, "investment_type"] = "并购投资"
    >>> len(private_rounds(ev))
    3
    """
    keep = _private_round_category(events) & ~excluded_by_investment_type(events)
    out = events[keep]
    out.attrs = dict(events.attrs)
    return out


def _private_round_category(events: pd.DataFrame) -> pd.Series:
    return events["category"].isin(PRIVATE_CATEGORIES) & ~events["round_std"].isin(["undisclosed", "unknown"])


def excluded_by_investment_type(events: pd.DataFrame) -> pd.Series:
    """Flag the events of a private-round category that :func:`private_rounds` leaves out for their investment type.

    Parameters
    ----------
    events : DataFrame
        Canonical events (``category``, ``round_std`` and, when the vendor has it, ``investment_type``).

    Returns
    -------
    Series of bool
        True where the round category would count but the investment type is in
        :data:`NON_ROUND_INVESTMENT_TYPES` (aligned with ``events``).

    Examples
    --------
    >>> ev = demo_events()
    >>> ev.loc[0, "investment_type"] = "并购投资"
    >>> int(excluded_by_investment_type(ev).sum())
    1
    """
    itype = events["investment_type"] if "investment_type" in events.columns else pd.Series(None, index=events.index)
    return _private_round_category(events) & itype.isin(NON_ROUND_INVESTMENT_TYPES)


#: Listing status labels of :func:`listing_status`.
LISTING_STATUSES = ("exchange-listed", "NEEQ only", "never listed")


def listing_status(listed_exchange: pd.Series) -> pd.Series:
    """Whether a firm was ever listed, from the vendor's ``listed_exchange`` text.

    ``exchange-listed``: listed on any stock exchange at some point (Shanghai, Shenzhen, Beijing, Hong Kong or
    abroad; the text names a 证券交易所 / exchange); ``NEEQ only``: quoted on the NEEQ (新三板) and on no
    exchange; ``never listed``: no listing reported.

    Parameters
    ----------
    listed_exchange : Series
        Vendor listing text (several venues separated by commas).

    Returns
    -------
    Series
        One of :data:`LISTING_STATUSES` per row.

    Examples
    --------
    >>> listing_status(pd.Series(["上海证券交易所科创板，全国中小企业股份转让系统(新三板)",
    ...                           "全国中小企业股份转让系统(新三板)", None])).tolist()
    ['exchange-listed', 'NEEQ only', 'never listed']
    """
    text = listed_exchange.astype("string").fillna("")
    exchange = text.str.contains("交易所|exchange|nasdaq|nyse", case=False, regex=True)
    neeq = text.str.contains("新三板|中小企业股份转让|NEEQ", case=False, regex=True)
    status = np.where(exchange, LISTING_STATUSES[0], np.where(neeq, LISTING_STATUSES[1], LISTING_STATUSES[2]))
    return pd.Series(status, index=listed_exchange.index, dtype="string")


def industry_l1(industry_vendor: pd.Series, *, missing: str | None = None) -> pd.Series:
    """First level of the vendor industry: ``半导体及电子设备|半导体`` → ``半导体及电子设备``.

    The one place that derives ``industry_l1`` (used by :func:`deal_firms`, the matching strata of
    :mod:`lgresearch.analyses` and the notebooks).

    Parameters
    ----------
    industry_vendor : Series
        Vendor industry paths, levels separated by ``|``.
    missing : str, optional
        Value for rows without an industry (default: missing, ``None``).

    Returns
    -------
    Series
        The first level, aligned with the input.

    Examples
    --------
    >>> l1 = industry_l1(pd.Series(["半导体及电子设备|半导体", None]))
    >>> l1.iloc[0], bool(pd.isna(l1.iloc[1]))
    ('半导体及电子设备', True)
    >>> industry_l1(pd.Series([None]), missing="unknown").tolist()
    ['unknown']
    """
    return industry_vendor.astype(object).map(lambda v: v.split("|")[0] if isinstance(v, str) else missing)


def deal_firms(events: pd.DataFrame) -> pd.DataFrame:
    """One row per identified firm of an events frame (undisclosed firms are left out).

    ``industry_l1`` is the first level of the vendor industry (``半导体及电子设备|半导体`` → ``半导体及电子设备``);
    ``first_*`` describe the firm's first event; ``listed_exchange`` is the last one the vendor reports.

    Parameters
    ----------
    events : DataFrame
        Canonical deal events (:data:`~lgresearch.deals.DEAL_COLUMNS`).

    Returns
    -------
    DataFrame
        One row per firm of the events.

    Examples
    --------
    >>> f = deal_firms(demo_events())
    >>> f[["firm_id", "n_events", "first_round_std"]].values.tolist()
    [['乙光学股份有限公司', 1, 'angel'], ['甲科技有限公司', 2, 'A']]
    """
    ev = events[events["firm_id"].notna()].sort_values(["firm_id", "date", "stage_order"], kind="stable")
    if ev.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in FIRM_COLUMNS})
        out.attrs = dict(events.attrs)
        return out
    g = ev.groupby("firm_id", sort=True)
    first = g.head(1).set_index("firm_id")
    last_valid = g[["firm_name", "short_name", "province", "city", "industry_vendor", "listed_exchange"]].last()
    out = pd.DataFrame({
        "firm_name": last_valid["firm_name"],
        "short_name": last_valid["short_name"],
        "province": last_valid["province"],
        "city": last_valid["city"],
        "industry_vendor": last_valid["industry_vendor"],
        "listed_exchange": last_valid["listed_exchange"],
        "first_date": first["date"],
        "first_year": first["date"].dt.year.astype("int64"),
        "first_round_std": first["round_std"],
        "first_stage_order": first["stage_order"].astype("float64"),
        "first_category": first["category"],
        "n_events": g.size(),
        "n_valued": g["post_money_cny"].count(),
        "amount_cny_total": g["amount_cny"].sum(min_count=1),
        "first_post_money_cny": g["post_money_cny"].first(),
    }).reset_index()
    out["industry_l1"] = industry_l1(out["industry_vendor"])
    out = out[FIRM_COLUMNS]
    out.attrs = {k: v for k, v in events.attrs.items() if k in ("provenance", "source")}
    return out
