"""Venture deals: vendor exports → canonical financing events, round-to-round step-ups and yearly summaries.

One row of an events frame is one financing event (a firm raising a round on a date) with the columns
:data:`DEAL_COLUMNS`, validated by :data:`DEAL_SCHEMA`. Readers:

* :func:`read_zero2ipo` — 清科私募通 (Zero2IPO / PEdata) investment-event exports (merged ``.xlsx`` or raw ``.xls``);
* :func:`read_itjuzi` — IT桔子 company pages and 投资事件 lists;
* :func:`read_crunchbase` — Crunchbase ``funding_rounds.csv``;
* :func:`read_deals` — any other export through a column mapping (:class:`DealMapping`), no new code needed.

Every reader accounts for every input row in a :class:`lgresearch.ledger.Ledger` (returned with
``return_ledger=True``; a one-line summary is in ``events.attrs["ledger_summary"]``) and marks the frame as real
data with its source.

**What the real 清科 data are, and are not.** The export holds only deals in which a government guidance fund (or a
fund it backs) took part; its valuations are the vendor's *implied* post-money (amount ÷ stake); amounts are those of
the listed investors. It is real, biased and incomplete.

Examples
--------
>>> ev = demo_events()
>>> annual_summary(ev)[["year", "n_events", "n_firms"]].values.tolist()
[[2020, 2, 2], [2021, 2, 1]]
>>> su = step_ups(ev)
>>> su[["firm_id", "round_std_prev", "round_std", "step_up"]].values.tolist()
[['甲科技有限公司', 'A', 'B', 2.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch._compat import renamed_kwargs
from lgresearch.deals_readers.core import (
    DEAL_COLUMNS,
    DEAL_SCHEMA,
    INPUT_FIELDS,
    DealMapping,
    empty_events,
    finalize_events,
    read_with_mapping,
    validate_events,
)
from lgresearch.deals_readers.crunchbase import read_crunchbase_file
from lgresearch.deals_readers.itjuzi import read_itjuzi_file
from lgresearch.deals_readers.zero2ipo import (
    DEFAULT_PARTS as ZERO2IPO_PARTS,
)
from lgresearch.deals_readers.zero2ipo import (
    ZERO2IPO_MAPPING,
    read_zero2ipo_cached,
)
from lgresearch.errors import InputError
from lgresearch.ledger import Ledger
from lgresearch.provenance import mark_real, mark_simulated

__all__ = [
    "DEAL_COLUMNS", "DEAL_SCHEMA", "INPUT_FIELDS", "DealMapping", "ZERO2IPO_MAPPING", "STEP_UP_COLUMNS",
    "SUMMARY_COLUMNS", "read_zero2ipo", "read_itjuzi", "read_crunchbase", "read_deals", "validate_events",
    "empty_events", "step_ups", "annual_summary", "build_processed", "demo_events", "zero2ipo_available",
    "valued_events",
]

#: Columns of :func:`annual_summary`.
SUMMARY_COLUMNS = ["year", "n_events", "n_firms", "n_amount_disclosed", "amount_disclosed_cny",
                   "median_post_money_cny"]
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
#: Closings of one round (:func:`merge_tranches`): post-money within this relative tolerance of the first closing,
TRANCHE_TOLERANCE = 0.05
#: ... and at most this many days after the round's previous closing.
TRANCHE_MAX_DAYS = 183
_UNMERGEABLE = frozenset({"unknown", "undisclosed"})
_PRECISIONS = ("day", "month", "year")
#: Days counted as "six months" in :func:`step_ups` (``within_6m``).
SIX_MONTHS_DAYS = 183
#: Processed file written by :func:`build_processed`.
PROCESSED_EVENTS = "deals_zero2ipo_events.parquet"
PROCESSED_LEDGER = "deals_zero2ipo_ledger.csv"


def _finish(events: pd.DataFrame, led: Ledger, return_ledger: bool, validate: bool):
    if validate:
        attrs = dict(events.attrs)
        events = _validated(events)
        events.attrs.update(attrs)
    return (events, led) if return_ledger else events


def _validated(events: pd.DataFrame) -> pd.DataFrame:
    """Validate against :data:`DEAL_SCHEMA`; a failure becomes an InputError naming file, row and column."""
    import pandera.errors as pe

    try:
        return DEAL_SCHEMA.validate(events, lazy=True)
    except (pe.SchemaErrors, pe.SchemaError) as err:
        cases = err.failure_cases if isinstance(err.failure_cases, pd.DataFrame) else pd.DataFrame()
        first = cases.iloc[0] if len(cases) else pd.Series(dtype=object)
        index = first.get("index")
        column = first.get("column")
        row = None
        file = str(events["source_file"].iloc[0]) if len(events) and "source_file" in events else "events"
        if index is not None and pd.notna(index) and index in events.index:
            rows_ = events.loc[index, "source_rows"]
            row = int(rows_[0]) if isinstance(rows_, (list, tuple)) and rows_ else None
            file = str(events.loc[index, "source_file"])
        column = None if column is None or (isinstance(column, float) and np.isnan(column)) else str(column)
        raise InputError(file, row, column,
                         f"the events fail the deals schema check {first.get('check')} (value "
                         f"{first.get('failure_case')!r}); correct the value in the file, or read it with "
                         f"validate=False and inspect the ledger") from None


def zero2ipo_available() -> bool:
    """Whether the 清科 export is in the third-party data directory.

    Returns
    -------
    bool
        True when the export is in the third-party directory.

    Examples
    --------
    >>> isinstance(zero2ipo_available(), bool)
    True
    """
    return paths.has_external(*ZERO2IPO_PARTS)


def read_zero2ipo(
    path: str | Path | None = None,
    *,
    cache: bool = True,
    return_ledger: bool = False,
    validate: bool = True,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read a 清科私募通 (Zero2IPO / PEdata) investment-event export into canonical events.

    Parameters
    ----------
    path : path, optional
        The merged ``.xlsx`` or a raw yearly ``.xls``. Default: ``muweiabc__govfund/invest_with_treatment.xlsx``
        in the third-party directory (raises :class:`lgresearch.paths.MissingExternalData` when absent).
    cache : bool
        Reuse the parse cached under ``data/processed/cache`` (keyed by the file's SHA-256).
    return_ledger : bool
        Return ``(events, ledger)`` instead of the events alone.
    validate : bool
        Validate against :data:`DEAL_SCHEMA` (skipped on a cache hit, which was validated when written).
    as_of : date-like, optional
        Dates after this are flagged as future (default today; bypasses the cache).

    Returns
    -------
    DataFrame, or (DataFrame, Ledger)

    Examples
    --------
    >>> if zero2ipo_available():  # doctest: +SKIP
    ...     ev = read_zero2ipo()
    """
    p = Path(path) if path is not None else paths.external_path(*ZERO2IPO_PARTS, must_exist=True)
    if not p.exists():
        raise paths.MissingExternalData(p)
    events, led = read_zero2ipo_cached(p, cache=cache, as_of=as_of)
    return _finish(events, led, return_ledger, validate and events.attrs.get("cache") != "hit")


def read_itjuzi(
    path: str | Path,
    *,
    return_ledger: bool = False,
    validate: bool = True,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read an IT桔子 export: company pages (company row + round rows) or a 投资事件 list.

    Parameters
    ----------
    path : str or Path
        An IT桔子 company page export or 投资事件 list.
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: ``(frame, ledger)``.
    validate : bool, default True
        Check the result against the canonical schema.
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        Canonical events (and the ledger with ``return_ledger=True``).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "itjuzi.csv")
    >>> _ = open(p, "w", encoding="utf-8").write(
    ...     "公司名称,工商名称,地点,行业,子行业,融资时间,轮次,融资金额,投资方,估值\\n"
    ...     "甲,北京甲科技有限公司,北京-海淀区,硬件,机器人,2018-05-01,A轮,数千万人民币,X资本,未透露\\n"
    ...     ",,,,,2016-01-01,天使轮,500万人民币,\\"Y基金,Z资本\\",\\n")
    >>> ev, led = read_itjuzi(p, return_ledger=True)
    >>> ev[["round_std", "amount_status", "n_investors"]].values.tolist()
    [['A', 'vague', 1], ['angel', 'exact', 2]]
    """
    events, led = read_itjuzi_file(path, as_of=as_of)
    return _finish(events, led, return_ledger, validate)


def read_crunchbase(
    path: str | Path,
    *,
    return_ledger: bool = False,
    validate: bool = True,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read a Crunchbase ``funding_rounds.csv`` (columns documented in :mod:`lgresearch.deals_readers.crunchbase`).

    Parameters
    ----------
    path : str or Path
        A Crunchbase ``funding_rounds.csv``.
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: ``(frame, ledger)``.
    validate : bool, default True
        Check the result against the canonical schema.
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        Canonical events (and the ledger with ``return_ledger=True``).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "funding_rounds.csv")
    >>> _ = open(p, "w").write("org_name,announced_on,investment_type,raised_amount_usd,post_money_valuation_usd,"
    ...                        "country_code\\nAcme,2021-06-01,series_b,10000000,50000000,CHN\\n")
    >>> read_crunchbase(p)[["round_std", "amount_cny", "valuation_basis"]].values.tolist()
    [['B', 64515000.0, 'reported']]
    """
    events, led = read_crunchbase_file(path, as_of=as_of)
    return _finish(events, led, return_ledger, validate)


def read_deals(
    path: str | Path,
    mapping: DealMapping | Mapping[str, str],
    *,
    return_ledger: bool = False,
    validate: bool = True,
    source_line: str | None = None,
    as_of: str | pd.Timestamp | None = None,
    **options: object,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read any vendor's deal export through a column mapping (CVSource, Wind, IT桔子 paid exports …).

    Parameters
    ----------
    path : path
        csv, xls or xlsx; title rows above the header are skipped.
    mapping : DealMapping or mapping of canonical field -> vendor column
        Canonical fields: :data:`INPUT_FIELDS`. A plain dict is turned into a :class:`DealMapping` with
        ``**options`` (e.g. ``amount_unit="万"``, ``default_currency="CNY"``, ``investor_level=True``,
        ``investor_sep="、"``, ``location_sep="-"``, ``source="wind"``).
    source_line : str, optional
        Provenance text (default: the mapping's source and the file name).

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        Canonical events (and the ledger with ``return_ledger=True``).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "wind.csv")
    >>> _ = open(p, "w", encoding="utf-8").write(
    ...     "Wind 股权投资事件\\n\\n被投企业,披露日期,融资轮次,融资金额(万元),投后估值(万元),投资机构\\n"
    ...     "浙江乙光学股份有限公司,2022-03-08,B轮,5000,60000,甲资本、乙投资\\n")
    >>> ev = read_deals(p, {"firm_name": "被投企业", "date": "披露日期", "round": "融资轮次",
    ...                     "amount": "融资金额(万元)", "post_money": "投后估值(万元)", "investor": "投资机构"},
    ...                 amount_unit="万", valuation_unit="万", default_currency="CNY", investor_sep="、",
    ...                 source="wind")
    >>> ev[["amount_cny", "post_money_cny", "n_investors", "valuation_basis"]].values.tolist()
    [[50000000.0, 600000000.0, 2, 'reported']]
    """
    if not isinstance(mapping, DealMapping):
        options.setdefault("valuation_is", "reported")
        mapping = DealMapping(columns=dict(mapping), **options)  # type: ignore[arg-type]
    elif options:
        raise TypeError("options are only accepted with a plain dict mapping")
    p = Path(path)
    events, led = read_with_mapping(p, mapping, as_of=as_of)
    events = mark_real(events, source_line or f"{mapping.description or mapping.source} ({p.name})")
    events.attrs["ledger_summary"] = led.summary()
    return _finish(events, led, return_ledger, validate)


# ---------------------------------------------------------------------------------------------------------------
# Analysis helpers
# ---------------------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------------------
# Demo data and processed files
# ---------------------------------------------------------------------------------------------------------------


def demo_events() -> pd.DataFrame:
    """Four hand-made events (two firms) in the canonical schema, marked SIMULATED; for examples and tests.

    Returns
    -------
    DataFrame
        Simulated canonical events (labelled as simulated).

    Examples
    --------
    >>> demo_events()["source"].unique().tolist()
    ['demo']
    """
    rows = [
        ("甲科技有限公司", "甲科技", "2020-09-16", "A", 4.0, "seed/venture", 2e7, 1e8, 20.0),
        ("乙光学股份有限公司", "乙光学", "2020-03-02", "天使轮", 1.0, "seed/venture", np.nan, np.nan, np.nan),
        ("甲科技有限公司", "甲科技", "2021-03-15", "B", 7.0, "seed/venture", 3e7, 2e8, 15.0),
        (None, None, "2021-05-01", "A", 4.0, "seed/venture", np.nan, np.nan, np.nan),
    ]
    std = {"A": "A", "B": "B", "天使轮": "angel"}
    events = pd.DataFrame({
        "event_id": [f"demo:{i:012x}" for i in range(len(rows))],
        "source": "demo",
        "firm_id": [r[0] for r in rows],
        "firm_name": [r[0] for r in rows],
        "short_name": [r[1] for r in rows],
        "uscc": None,
        "country": "中国",
        "province": ["浙江", "浙江", "浙江", "北京"],
        "city": ["杭州市", "宁波市", "杭州市", "北京市"],
        "industry_vendor": "半导体及电子设备|半导体",
        "industry_gb": None,
        "date": pd.to_datetime([r[2] for r in rows]),
        "date_precision": "day",
        "year": pd.to_datetime([r[2] for r in rows]).year,
        "round_raw": [r[3] for r in rows],
        "round_std": [std[r[3]] for r in rows],
        "stage_order": [r[4] for r in rows],
        "category": [r[5] for r in rows],
        "investment_type": None,
        "currency": ["CNY", None, "CNY", None],
        "amount_reported": [r[6] for r in rows],
        "amount_cny": [r[6] for r in rows],
        "amount_cny_low": [r[6] for r in rows],
        "amount_cny_high": [r[6] for r in rows],
        "amount_disclosed": [not np.isnan(r[6]) for r in rows],
        "amount_status": ["exact", "undisclosed", "exact", "missing"],
        "stake_pct": [r[8] for r in rows],
        "post_money_cny": [r[7] for r in rows],
        "valuation_basis": ["implied", "none", "reported", "none"],
        "investors": [["X资本"], ["Y基金"], ["X资本", "Z投资"], []],
        "n_investors": [1, 1, 2, 0],
        "listed_exchange": None,
        "source_file": "demo",
        "source_rows": [[2], [3], [4], [5]],
    })
    events = finalize_events(events)
    return mark_simulated(events, "lgresearch.deals.demo_events: four hand-made events").drop(
        columns="provenance").pipe(_keep_sim_attrs)


def _keep_sim_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["provenance"] = "simulated"
    frame.attrs["source"] = "SIMULATED DATA (lgresearch.deals.demo_events)"
    return frame


def build_processed() -> list[Path]:
    """Write the parsed 清科 events (parquet) and their ledger (csv) to ``data/processed``; nothing when absent.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> isinstance(build_processed(), list)  # doctest: +SKIP
    True
    """
    if not zero2ipo_available():
        return []
    events, led = read_zero2ipo(return_ledger=True)
    out_dir = paths.processed_dir()
    ev_path = out_dir / PROCESSED_EVENTS
    led_path = out_dir / PROCESSED_LEDGER
    plain = events.copy()
    plain.attrs = {}
    plain.to_parquet(ev_path, index=False)
    led.frame().to_csv(led_path, index=False)
    return [ev_path, led_path]


# ---------------------------------------------------------------------------------------------------------------
# Firm-level views and step-up rates (used by notebooks 04 and 07)
# ---------------------------------------------------------------------------------------------------------------

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
    out["industry_l1"] = out["industry_vendor"].astype(object).map(
        lambda v: v.split("|")[0] if isinstance(v, str) else None)
    out = out[FIRM_COLUMNS]
    out.attrs = {k: v for k, v in events.attrs.items() if k in ("provenance", "source")}
    return out


def _cluster_bootstrap_share(flags: np.ndarray, clusters: np.ndarray, n_boot: int, rng: np.random.Generator,
                             level: float = 0.95) -> tuple[float, float]:
    """Percentile CI of a share, resampling clusters (firms) with replacement."""
    if len(flags) == 0 or n_boot <= 0:
        return (np.nan, np.nan)
    codes, uniq = pd.factorize(clusters)
    k = len(uniq)
    sums = np.bincount(codes, weights=flags.astype(float), minlength=k)
    counts = np.bincount(codes, minlength=k).astype(float)
    draws = rng.integers(0, k, size=(n_boot, k))
    shares = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
    a = (1 - level) / 2
    return float(np.quantile(shares, a)), float(np.quantile(shares, 1 - a))


def step_up_rates(
    steps: pd.DataFrame,
    *,
    by: str | list[str] | None = None,
    thresholds: tuple[float, float] = (1.5, 1.75),
    n_boot: int = 1000,
    seed: int = 0,
    min_pairs: int = 1,
) -> pd.DataFrame:
    """How often valuations step up by at least 50% and 75% between consecutive valued rounds.

    Parameters
    ----------
    steps : DataFrame
        Output of :func:`step_ups` (pairs with ``days == 0`` are dropped: two rounds on one day).
    by : str or list of str, optional
        Grouping columns (e.g. ``"year"``, ``"category"``, ``"within_6m"``).
    thresholds : (low, high)
        Step-up ratios (1.5 = +50%, 1.75 = +75%).
    n_boot : int
        Bootstrap draws; intervals resample firms (pairs of one firm are not independent).
    seed : int
        Random seed.
    min_pairs : int
        Groups with fewer pairs are left out.

    Returns
    -------
    DataFrame
        Per group: ``n_pairs, n_firms, median_step_up``, ``share_ge_low`` / ``share_ge_high`` with 95% firm-cluster
        bootstrap intervals (``*_lo``, ``*_hi``), and ``share_between`` (low <= step-up < high, the "50% to 75%"
        band) with its interval.

    Examples
    --------
    >>> s = step_ups(demo_events())
    >>> r = step_up_rates(s, n_boot=50)
    >>> int(r["n_pairs"].iloc[0]), float(r["share_ge_low"].iloc[0]), float(r["share_between"].iloc[0])
    (1, 1.0, 0.0)
    """
    lo_t, hi_t = thresholds
    s = steps[steps["days"] > 0]
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    rng = np.random.default_rng(seed)
    rows = []
    groups = [((), s)] if not keys else s.groupby(keys, sort=True, dropna=False)
    for key, g in groups:
        if len(g) < min_pairs:
            continue
        r = g["step_up"].to_numpy(dtype=float)
        firms = g["firm_id"].to_numpy()
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)) if keys else {}
        row.update({"n_pairs": len(g), "n_firms": int(pd.Series(firms).nunique()),
                    "median_step_up": float(np.median(r))})
        for name, flag in (("share_ge_low", r >= lo_t), ("share_ge_high", r >= hi_t),
                           ("share_between", (r >= lo_t) & (r < hi_t))):
            lo, hi = _cluster_bootstrap_share(flag, firms, n_boot, rng)
            row[name] = float(flag.mean())
            row[f"{name}_lo"] = lo
            row[f"{name}_hi"] = hi
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs = {k: v for k, v in steps.attrs.items() if k in ("provenance", "source")}
    out.attrs["thresholds"] = thresholds
    return out


@dataclass(frozen=True)
class StepUpComparison:
    """Share of step-ups >= ``threshold``: ``group == True`` pairs against ``group == False`` pairs, like for like.

    With strata, the comparison is made within each stratum present in both groups and averaged with the
    ``True`` group's pair counts as weights (the ``False`` group is reweighted to the ``True`` group's mix);
    ``share_false`` is that reweighted share. Pairs in strata the other group lacks are counted in
    ``n_true_unmatched`` / ``n_false_unmatched`` and left out.

    Attributes
    ----------
    share_true, share_false, diff, ci_low, ci_high : float
        Shares, their difference (``True`` minus ``False``) and its firm-cluster bootstrap interval.
    n_true, n_false, firms_true, firms_false : int
        Pairs and firms in the comparison.
    n_true_unmatched, n_false_unmatched : int
        Pairs left out because their stratum has no pair of the other group.
    by_stratum : DataFrame
        One row per stratum: ``stratum``, pairs, shares, difference and weight.
    group, strata, threshold, level, n_boot : settings of the comparison.
    """

    share_true: float
    share_false: float
    diff: float
    ci_low: float
    ci_high: float
    n_true: int
    n_false: int
    firms_true: int
    firms_false: int
    n_true_unmatched: int
    n_false_unmatched: int
    by_stratum: pd.DataFrame
    group: str
    strata: tuple[str, ...]
    threshold: float
    level: float
    n_boot: int

    def tidy(self) -> pd.DataFrame:
        """One row per stratum and a final ``all`` row with the (weighted) difference and its interval.

        Returns
        -------
        DataFrame
            Plain data (no ``attrs``): ``stratum, n_true, n_false, share_true, share_false, diff, weight, ci_low,
            ci_high, threshold, level``.

        Examples
        --------
        >>> s = pd.DataFrame({"firm_id": list("abcd"), "step_up": [2.0, 1.0, 1.6, 0.9], "days": [90] * 4,
        ...                   "g": [True, True, False, False]})
        >>> compare_step_up_rates(s, "g", n_boot=50).tidy()["stratum"].tolist()
        ['all', 'all']
        """
        rows = self.by_stratum.assign(ci_low=np.nan, ci_high=np.nan)
        total = pd.DataFrame([{"stratum": "all", "n_true": self.n_true, "n_false": self.n_false,
                               "share_true": self.share_true, "share_false": self.share_false, "diff": self.diff,
                               "weight": 1.0, "ci_low": self.ci_low, "ci_high": self.ci_high}])
        out = pd.concat([rows, total], ignore_index=True).assign(threshold=self.threshold, level=self.level)
        out.attrs = {}
        return out


def _firm_stratum_sums(g: pd.DataFrame, hit: np.ndarray, stratum_codes: np.ndarray, m: int
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Firm x stratum matrices of hits and pair counts."""
    codes, uniq = pd.factorize(g["firm_id"])
    k = len(uniq)
    sums = np.zeros((k, m))
    cnts = np.zeros((k, m))
    np.add.at(sums, (codes, stratum_codes), hit)
    np.add.at(cnts, (codes, stratum_codes), 1.0)
    return sums, cnts


def _boot_weights(k: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """How often each of ``k`` firms is drawn in each bootstrap sample (resampling firms with replacement)."""
    draws = rng.integers(0, k, size=(n_boot, k))
    flat = (np.arange(n_boot)[:, None] * k + draws).ravel()
    return np.bincount(flat, minlength=n_boot * k).reshape(n_boot, k).astype(float)


def _weighted_diff(s1: np.ndarray, c1: np.ndarray, s0: np.ndarray, c0: np.ndarray) -> tuple[float, float, float]:
    """Treated-weighted share difference over strata present in both groups (last axis = strata)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        both = (c1 > 0) & (c0 > 0)
        w = np.where(both, c1, 0.0)
        tot = w.sum(axis=-1)
        p1 = np.where(both, s1 / np.where(c1 > 0, c1, 1), 0.0)
        p0 = np.where(both, s0 / np.where(c0 > 0, c0, 1), 0.0)
        a = (w * p1).sum(axis=-1) / tot
        b = (w * p0).sum(axis=-1) / tot
    return a, b, a - b


@renamed_kwargs(group="group_col", strata="strata_col")
def compare_step_up_rates(
    steps: pd.DataFrame,
    group_col: str,
    *,
    strata_col: str | list[str] | None = None,
    threshold: float = 1.5,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> StepUpComparison:
    """Difference in the share of step-ups >= ``threshold`` between ``group == True`` and ``group == False`` pairs.

    Parameters
    ----------
    steps : DataFrame
        Output of :func:`step_ups` with a boolean ``group`` column (pairs with ``days == 0`` are dropped).
    group_col : str
        The column that marks the group of interest (e.g. ``program_firm``; ``group=`` is deprecated).
    strata_col : str or list of str, optional
        Like-for-like comparison: columns whose combinations define strata (e.g. ``["listing_status",
        "category"]``, see :func:`listing_status`); the difference is averaged over strata present in both groups
        with the ``True`` group's pair counts as weights.
    threshold : float, default 1.5
        Step-up ratio counted as a hit (1.5 = +50%).
    n_boot, seed : int
        Bootstrap draws and seed; the interval resamples firms within each group (firm-cluster bootstrap,
        percentile interval).
    level : float, default 0.95
        Interval level.

    Returns
    -------
    StepUpComparison
        Shares, difference, interval, counts and the per-stratum table; ``.tidy()`` gives plain data.

    Examples
    --------
    >>> s = pd.DataFrame({"firm_id": list("abcd"), "step_up": [2.0, 1.0, 1.6, 0.9], "days": [90] * 4,
    ...                   "g": [True, True, False, False]})
    >>> r = compare_step_up_rates(s, "g", n_boot=100)
    >>> r.share_true, r.share_false, r.diff
    (0.5, 0.5, 0.0)
    """
    keys = [] if strata_col is None else ([strata_col] if isinstance(strata_col, str) else list(strata_col))
    s = steps[steps["days"] > 0]
    label = (s[keys].astype("string").fillna("<NA>").agg(" | ".join, axis=1) if keys
             else pd.Series("all", index=s.index, dtype="string"))
    scodes, suniq = pd.factorize(label)
    m = max(len(suniq), 1)
    rng = np.random.default_rng(seed)
    flags = s[group_col].astype(bool).to_numpy()
    mats, boots = {}, {}
    for flag in (True, False):
        sel = flags == flag
        hit = (s.loc[sel, "step_up"].to_numpy(dtype=float) >= threshold).astype(float)
        sums, cnts = _firm_stratum_sums(s[sel], hit, scodes[sel], m)
        mats[flag] = (sums, cnts)
        w = _boot_weights(len(sums), n_boot, rng) if len(sums) else np.zeros((n_boot, 0))
        boots[flag] = (w @ sums, w @ cnts)
    s1, c1 = mats[True][0].sum(axis=0), mats[True][1].sum(axis=0)
    s0, c0 = mats[False][0].sum(axis=0), mats[False][1].sum(axis=0)
    share_t, share_f, diff = (float(x) for x in _weighted_diff(s1, c1, s0, c0))
    _, _, d = _weighted_diff(*boots[True], *boots[False])
    a = (1 - level) / 2
    ci = (float(np.nanquantile(d, a)), float(np.nanquantile(d, 1 - a))) if np.isfinite(d).any() else (np.nan,) * 2
    both = (c1 > 0) & (c0 > 0)
    firms = {f: int((mats[f][1][:, both].sum(axis=1) > 0).sum()) for f in (True, False)}
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({"stratum": pd.Series(suniq, dtype="string") if len(suniq) else ["all"],
                              "n_true": c1.astype(int), "n_false": c0.astype(int),
                              "share_true": s1 / c1, "share_false": s0 / c0})
    table["diff"] = table["share_true"] - table["share_false"]
    table["weight"] = np.where(both, c1, 0.0) / max(float(np.where(both, c1, 0.0).sum()), 1.0)
    return StepUpComparison(
        share_true=share_t, share_false=share_f, diff=diff, ci_low=ci[0], ci_high=ci[1],
        n_true=int(c1[both].sum()), n_false=int(c0[both].sum()), firms_true=firms[True], firms_false=firms[False],
        n_true_unmatched=int(c1[~both].sum()), n_false_unmatched=int(c0[~both].sum()),
        by_stratum=table.sort_values("n_true", ascending=False, kind="stable").reset_index(drop=True),
        group=group_col, strata=tuple(keys), threshold=threshold, level=level, n_boot=n_boot)


def valuation_did(
    deals: pd.DataFrame,
    designations: pd.DataFrame,
    *,
    k: int = 3,
    window: tuple[int, int] = (-3, 2),
    exact: tuple[str, ...] = ("industry_l1",),
    estimator: str = "did2s",
    seed: int = 0,
) -> dict:
    """Difference-in-differences of log valuation around designation, with matched never-designated controls.

    Steps (all through :mod:`lgresearch.did`): deals → firm-year mean log post-money
    (:func:`lgresearch.did.aggregate_deals`, cohort = first designation year); each designated firm valued at least
    once before its cohort year is matched to ``k`` never-designated firms in the same ``exact`` strata, nearest on
    first deal year and first log valuation (:func:`lgresearch.did.match_controls`); the event study and the ATT
    are estimated on treated + matched controls with never-treated comparisons
    (:func:`lgresearch.did.event_study`, :func:`lgresearch.did.att`).

    Parameters
    ----------
    deals : DataFrame
        Canonical events whose ``firm_id`` matches the designation panel's ``firm_id``.
    designations : DataFrame
        Designation panel with ``firm_id`` and ``cohort_year``.
    k, window, exact, estimator, seed
        Matching and estimation settings.

    Returns
    -------
    dict
        ``att`` (one-row frame), ``event_study`` (tidy frame), ``matched`` (:class:`lgresearch.did.Matched`),
        ``panel`` (the estimation panel) and ``n_treated``, ``n_controls``.

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=500, seed=1, effect=0.4, selection=0.0)
    >>> r = valuation_did(w.deals, w.designations, exact=("industry_vendor",))
    >>> a = r["att"].iloc[0]
    >>> bool(a["ci_low"] < 0.4 < a["ci_high"]), r["n_controls"] >= r["n_treated"]
    (True, True)
    """
    from lgresearch import did

    panel = did.aggregate_deals(deals, designations=designations)
    firms = deal_firms(deals).set_index("firm_id")
    first_log = (panel.sort_values(["firm_id", "period"]).groupby("firm_id")
                 .agg(first_period=("period", "first"), first_log_value=("log_value", "first")))
    cohort = panel.groupby("firm_id")["cohort"].first()
    unit = first_log.join(cohort).join(firms[list(exact)], how="left").reset_index()
    unit = unit.dropna(subset=list(exact))
    treated = unit[(unit["cohort"] > 0) & (unit["first_period"] < unit["cohort"])]
    pool = unit[unit["cohort"] == 0]
    matched = did.match_controls(treated, pool, exact=list(exact), on=["first_period", "first_log_value"], k=k,
                                 unit_col="firm_id", seed=seed)
    keep = set(matched.pairs["treated_id"]) | set(matched.pairs["control_id"])
    est_panel = panel[panel["firm_id"].isin(keep)].copy()
    years = (int(est_panel["period"].min()), int(est_panel["period"].max()))
    est_panel = est_panel[(est_panel["cohort"] == 0) | est_panel["cohort"].between(*years)]
    common = dict(outcome_col="log_value", unit_col="firm_id", time_col="period", cohort_col="cohort", controls="never_treated",
                  estimator=estimator, window=window, out_of_range="drop")
    es = did.event_study(est_panel, **common)
    a = did.att(est_panel, **common)
    return {"att": a, "event_study": es, "matched": matched, "panel": est_panel,
            "n_treated": int(matched.pairs["treated_id"].nunique()),
            "n_controls": int(matched.pairs["control_id"].nunique())}


# ---------------------------------------------------------------------------------------------------------------
# Venture attention to identified firms (notebook 07)
# ---------------------------------------------------------------------------------------------------------------

#: Columns of :func:`coverage_by_group`.
COVERAGE_COLUMNS = ["group", "board", "n_firms", "n_with_deal", "share", "ci_low", "ci_high"]


def _wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    if n == 0:
        return (np.nan, np.nan)
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return float(lo), float(hi)


@renamed_kwargs(group="group_col", has_deal="has_deal_col", board="board_col")
def coverage_by_group(
    universe: pd.DataFrame,
    *,
    group_col: str,
    has_deal_col: str,
    board_col: str | None = "board",
) -> pd.DataFrame:
    """Share of firms with at least one deal, by group (and board), with Wilson 95% intervals.

    Parameters
    ----------
    universe : DataFrame
        One row per firm (e.g. every listed stock) with a boolean group column (e.g. tagged Little Giant) and a
        boolean has-deal column (e.g. appears in the deal data with a private round).
    group_col : str
        The boolean group column (``group=`` is deprecated).
    has_deal_col : str
        The boolean has-deal column (``has_deal=`` is deprecated).
    board_col : str, optional
        Also break down by this column (rows with ``board == "all"`` hold the totals; ``board=`` is deprecated).

    Returns
    -------
    DataFrame
        Columns ``group, board, n_firms, n_with_deal, share, ci_low, ci_high``, one row per group and board.

    Examples
    --------
    >>> u = pd.DataFrame({"lg": [True, True, False, False, False], "deal": [True, False, False, False, True],
    ...                   "board": ["STAR", "STAR", "Main", "Main", "STAR"]})
    >>> c = coverage_by_group(u, group_col="lg", has_deal_col="deal")
    >>> c.loc[c["board"] == "all", ["group", "n_firms", "share"]].values.tolist()
    [[False, 3, 0.3333333333333333], [True, 2, 0.5]]
    """
    rows = []
    keys = [group_col] + ([board_col] if board_col else [])
    for key, g in universe.groupby(keys, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        k, n = int(g[has_deal_col].sum()), len(g)
        lo, hi = _wilson(k, n)
        rows.append({"group": key[0], "board": key[1] if board_col else "all", "n_firms": n, "n_with_deal": k,
                     "share": k / n if n else np.nan, "ci_low": lo, "ci_high": hi})
    if board_col:
        for gv, g in universe.groupby(group_col, sort=True):
            k, n = int(g[has_deal_col].sum()), len(g)
            lo, hi = _wilson(k, n)
            rows.append({"group": gv, "board": "all", "n_firms": n, "n_with_deal": k, "share": k / n,
                         "ci_low": lo, "ci_high": hi})
    out = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    out["group"] = out["group"].astype(bool)
    return out.sort_values(["board", "group"], kind="stable").reset_index(drop=True)


@renamed_kwargs(group="group_col", has_deal="has_deal_col", strata="strata_col")
def share_difference(universe: pd.DataFrame, *, group_col: str, has_deal_col: str, strata_col: str | None = None,
                     n_boot: int = 2000, seed: int = 0) -> dict:
    """Difference in the share with a deal (group minus others), with a bootstrap 95% interval.

    With ``strata_col`` (e.g. the board), the difference is standardised to the group's composition: the
    within-stratum differences are averaged with the group's stratum shares as weights (strata without firms of
    both kinds are left out).

    Parameters
    ----------
    universe : DataFrame
        One row per firm.
    group_col : str
        Boolean column marking the group (``group=`` is deprecated).
    has_deal_col : str
        Boolean column marking firms with a deal (``has_deal=`` is deprecated).
    strata_col : str, optional
        Column whose values define strata (``strata=`` is deprecated).
    n_boot, seed : int
        Bootstrap draws and seed (firms resampled within each stratum and group).

    Returns
    -------
    dict
        ``diff, ci_low, ci_high, n_group, n_other`` and, when both groups have firms, ``share_group`` and
        ``share_other``.

    Examples
    --------
    >>> u = pd.DataFrame({"lg": [True] * 4 + [False] * 4, "deal": [True, True, False, False] + [False] * 3 + [True]})
    >>> share_difference(u, group_col="lg", has_deal_col="deal", n_boot=200)["diff"]
    0.25
    """
    rng = np.random.default_rng(seed)
    g = universe[group_col].astype(bool).to_numpy()
    y = universe[has_deal_col].astype(float).to_numpy()
    st = universe[strata_col].astype(str).to_numpy() if strata_col else np.zeros(len(universe), dtype=object)
    cells = []
    for s_ in pd.unique(st):
        a = y[(st == s_) & g]
        b = y[(st == s_) & ~g]
        if len(a) and len(b):
            cells.append((a, b))
    if not cells:
        return {"diff": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n_group": int(g.sum()),
                "n_other": int((~g).sum())}
    weights = np.array([len(a) for a, _b in cells], dtype=float)
    weights /= weights.sum()
    est = float(sum(w_ * (a.mean() - b.mean()) for w_, (a, b) in zip(weights, cells, strict=True)))
    d = np.zeros(n_boot)
    for w_, (a, b) in zip(weights, cells, strict=True):
        da = a[rng.integers(0, len(a), size=(n_boot, len(a)))].mean(axis=1)
        db = b[rng.integers(0, len(b), size=(n_boot, len(b)))].mean(axis=1)
        d += w_ * (da - db)
    return {"diff": est, "ci_low": float(np.quantile(d, 0.025)), "ci_high": float(np.quantile(d, 0.975)),
            "n_group": int(sum(len(a) for a, _ in cells)), "n_other": int(sum(len(b) for _, b in cells)),
            "share_group": float(np.concatenate([a for a, _ in cells]).mean()),
            "share_other": float(np.concatenate([b for _, b in cells]).mean())}


def firm_year_deals(events: pd.DataFrame, firm_ids: pd.Series | list, *, years: tuple[int, int]) -> pd.DataFrame:
    """Firm x year panel (zero-filled) of private-round deal counts and disclosed amounts for the given firms.

    Parameters
    ----------
    events : DataFrame
        Canonical deal events (:data:`~lgresearch.deals.DEAL_COLUMNS`).
    firm_ids : Series or list
        The firms to count.
    years : (int, int)
        First and last year, inclusive.

    Returns
    -------
    DataFrame
        One row per firm and year with the number of deals.

    Examples
    --------
    >>> p = firm_year_deals(demo_events(), ["甲科技有限公司"], years=(2020, 2021))
    >>> p["n_deals"].tolist(), p["amount_cny"].tolist()
    ([1, 1], [20000000.0, 30000000.0])
    """
    ids = pd.Index(pd.unique(pd.Series(list(firm_ids), dtype=object)))
    ev = private_rounds(events)
    ev = ev[ev["firm_id"].isin(ids) & ev["year"].between(*years)]
    grid = pd.MultiIndex.from_product([ids, range(years[0], years[1] + 1)], names=["firm_id", "year"])
    agg = ev.groupby(["firm_id", "year"]).agg(n_deals=("event_id", "size"), amount_cny=("amount_cny", "sum"))
    out = agg.reindex(grid).fillna({"n_deals": 0, "amount_cny": 0.0}).reset_index()
    out["n_deals"] = out["n_deals"].astype("int64")
    out.attrs = {k: v for k, v in events.attrs.items() if k in ("provenance", "source")}
    return out


def attention_comparison(
    events: pd.DataFrame,
    treated: pd.DataFrame,
    *,
    exact: tuple[str, ...] = ("industry_l1", "province", "listed", "first_year"),
    on: tuple[str, ...] = ("first_stage",),
    k: int = 3,
    years: tuple[int, int] = (2012, 2023),
    before: tuple[int, int] = (2015, 2018),
    after: tuple[int, int] = (2019, 2023),
    n_boot: int = 2000,
    seed: int = 0,
) -> dict:
    """Deals to identified firms against matched comparable firms, by year and before/after a designation window.

    Comparable firms are deal-database firms not in ``treated``, matched with :func:`lgresearch.did.match_controls`
    exactly on industry, province, listing status and first-deal year, nearest on the first round's stage. Yearly
    means are weighted (each treated firm's controls share one unit of weight). The before/after contrast is a
    difference in differences of mean private deals per firm-year (treated minus controls, ``after`` minus
    ``before``), with a bootstrap interval that resamples treated firms together with their controls.

    Parameters
    ----------
    events : DataFrame
        Canonical events.
    treated : DataFrame
        Identified firms with a ``firm_id`` column.

    Returns
    -------
    dict
        ``by_year`` (year, group, mean_deals, mean_amount_cny, n_firms), ``did`` (estimate, ci_low, ci_high,
        n_treated, n_controls, before, after), ``matched`` (:class:`lgresearch.did.Matched`), ``firms`` (covariates).

    Examples
    --------
    >>> from lgresearch.simulate import designation_world
    >>> w = designation_world(n_firms=300, seed=4)
    >>> r = attention_comparison(w.deals.assign(listed_exchange=None), w.designations[["firm_id"]], n_boot=100,
    ...                          exact=("industry_l1", "first_year"))
    >>> sorted(r["by_year"]["group"].unique())
    ['identified Little Giants', 'matched comparable firms']
    >>> d = r["did"]; bool(d["ci_low"] <= d["estimate"] <= d["ci_high"])
    True
    """
    from lgresearch import did

    firms = deal_firms(events)
    firms["listed"] = firms["listed_exchange"].notna()
    firms["first_stage"] = firms["first_stage_order"].fillna(20.0)
    firms = firms.dropna(subset=[c for c in exact if c in firms.columns])
    is_t = firms["firm_id"].isin(set(treated["firm_id"]))
    m = did.match_controls(firms[is_t], firms[~is_t], exact=list(exact), on=list(on), k=k, unit_col="firm_id",
                           seed=seed)
    pairs = m.pairs[["treated_id", "control_id", "weight"]]
    t_ids = pairs["treated_id"].unique()
    panel = firm_year_deals(events, list(t_ids) + list(pairs["control_id"].unique()), years=years)
    pv = panel.pivot(index="firm_id", columns="year", values="n_deals")
    pa_ = panel.pivot(index="firm_id", columns="year", values="amount_cny")
    yrs = list(pv.columns)
    # each treated firm's controls share one unit of weight: the control mean is the mean over treated firms of
    # their own weighted control means, so the bootstrap can resample treated firms as rows
    tx = pv.loc[t_ids].to_numpy(dtype=float)
    ta_x = pa_.loc[t_ids].to_numpy(dtype=float)
    w = pairs["weight"].to_numpy(dtype=float)
    cvals = pv.loc[pairs["control_id"]].to_numpy(dtype=float) * w[:, None]
    camt = pa_.loc[pairs["control_id"]].to_numpy(dtype=float) * w[:, None]
    pos = pd.Index(t_ids).get_indexer(pairs["treated_id"])
    cx = np.zeros_like(tx)
    ca_x = np.zeros_like(ta_x)
    np.add.at(cx, pos, cvals)
    np.add.at(ca_x, pos, camt)
    tm, cm, ta, ca = tx.mean(axis=0), cx.mean(axis=0), ta_x.mean(axis=0), ca_x.mean(axis=0)
    by_year = pd.concat([
        pd.DataFrame({"year": yrs, "group": "identified Little Giants", "mean_deals": tm, "mean_amount_cny": ta,
                      "n_firms": len(t_ids)}),
        pd.DataFrame({"year": yrs, "group": "matched comparable firms", "mean_deals": cm, "mean_amount_cny": ca,
                      "n_firms": int(pairs["control_id"].nunique())}),
    ], ignore_index=True)
    yr = np.array(yrs)
    bmask = (yr >= before[0]) & (yr <= before[1])
    amask = (yr >= after[0]) & (yr <= after[1])
    diff_t = tx[:, amask].mean(axis=1) - tx[:, bmask].mean(axis=1)
    diff_c = cx[:, amask].mean(axis=1) - cx[:, bmask].mean(axis=1)
    per_firm = diff_t - diff_c
    est = float(per_firm.mean())
    rng = np.random.default_rng(seed)
    draws = per_firm[rng.integers(0, len(per_firm), size=(n_boot, len(per_firm)))].mean(axis=1)
    out_did = {"estimate": est, "ci_low": float(np.quantile(draws, 0.025)), "ci_high": float(np.quantile(draws, 0.975)),
               "n_treated": int(len(t_ids)), "n_controls": int(pairs["control_id"].nunique()),
               "before": before, "after": after,
               "treated_before": float(tm[bmask].mean()), "treated_after": float(tm[amask].mean()),
               "controls_before": float(cm[bmask].mean()), "controls_after": float(cm[amask].mean())}
    by_year.attrs = {k_: v for k_, v in events.attrs.items() if k_ in ("provenance", "source")}
    return {"by_year": by_year, "did": out_did, "matched": m, "firms": firms}


# Public names of the analysis section (kept here so that the reader section's ``__all__`` above stays untouched).
__all__ += [
    "excluded_by_investment_type",
    "merge_tranches", "relative_to_designation", "DESIGNATION_COLUMNS", "TRANCHE_TOLERANCE", "TRANCHE_MAX_DAYS",
    "private_rounds", "deal_firms", "listing_status", "LISTING_STATUSES", "NON_ROUND_INVESTMENT_TYPES",
    "PRIVATE_CATEGORIES", "step_up_rates", "compare_step_up_rates", "StepUpComparison",
    "valuation_did", "coverage_by_group", "share_difference", "firm_year_deals", "attention_comparison",
]
