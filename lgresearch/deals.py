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
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
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
]
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

    Examples
    --------
    >>> len(valued_events(demo_events()))
    2
    """
    ev = events[events["firm_id"].notna() & (events["post_money_cny"] > 0)]
    return ev.sort_values(["firm_id", "date", "stage_order", "event_id"], na_position="last", kind="stable")


def step_ups(
    events: pd.DataFrame,
    designations: pd.DataFrame | None = None,
    *,
    firm_col: str = "firm_id",
    date_col: str | None = None,
) -> pd.DataFrame:
    """Round-to-round valuation step-ups for firms with two or more valued rounds.

    Each valued round (post-money > 0) is compared with the firm's previous valued round.

    Parameters
    ----------
    events : DataFrame
        Canonical events.
    designations : DataFrame, optional
        A designation panel with a firm column (``firm_col``, matching the events' ``firm_id``) and a date column
        (``date_col``; default ``designation_date``, else ``event_date`` as in
        :data:`lgresearch.designations.PANEL_COLUMNS`). When given, the output gains ``designated_between`` (a designation fell after the previous
        round and on or before this one), ``designation_date`` (the latest such date), ``days_since_designation``
        (from it to this round) and ``designated_before_prev`` (a designation on or before the previous round).

    Returns
    -------
    DataFrame
        :data:`STEP_UP_COLUMNS`: the pair's ids, dates, ``days`` elapsed, ``precise`` (both dates known to the
        day), stages and categories of both rounds, both valuations, ``step_up`` (ratio), ``log_step_up``,
        ``annual_log_step_up`` (log step-up per 365.25 days; NaN when both rounds fall on the same day) and
        ``within_6m`` (at most 183 days apart). Provenance attrs are carried over.

    Examples
    --------
    >>> d = pd.DataFrame({"firm_id": ["甲科技有限公司"], "designation_date": [pd.Timestamp("2021-01-15")]})
    >>> s = step_ups(demo_events(), d)
    >>> s[["days", "within_6m", "designated_between", "days_since_designation"]].values.tolist()
    [[180, True, True, 59.0]]
    """
    ev = valued_events(events)
    cols = ["firm_id", "firm_name", "short_name", "province", "industry_vendor", "event_id", "date", "round_std",
            "stage_order", "category", "post_money_cny", "valuation_basis", "date_precision"]
    ev = ev[cols].reset_index(drop=True)
    prev = ev.groupby("firm_id", sort=False).shift(1)
    has_prev = prev["event_id"].notna()
    cur, prv = ev[has_prev], prev[has_prev]
    days = (cur["date"] - prv["date"]).dt.days.astype("int64")
    ratio = cur["post_money_cny"] / prv["post_money_cny"]
    log_su = np.log(ratio)
    annual = (log_su / (days / 365.25)).where(days > 0)
    out = pd.DataFrame({
        "firm_id": cur["firm_id"],
        "firm_name": cur["firm_name"],
        "short_name": cur["short_name"],
        "province": cur["province"],
        "industry_vendor": cur["industry_vendor"],
        "event_id_prev": prv["event_id"],
        "event_id": cur["event_id"],
        "date_prev": prv["date"],
        "date": cur["date"],
        "year": cur["date"].dt.year.astype("int64"),
        "days": days,
        "precise": (cur["date_precision"] == "day") & (prv["date_precision"] == "day"),
        "round_std_prev": prv["round_std"],
        "round_std": cur["round_std"],
        "stage_order_prev": prv["stage_order"].astype("float64"),
        "stage_order": cur["stage_order"].astype("float64"),
        "category_prev": prv["category"],
        "category": cur["category"],
        "post_money_cny_prev": prv["post_money_cny"].astype("float64"),
        "post_money_cny": cur["post_money_cny"].astype("float64"),
        "step_up": ratio.astype("float64"),
        "log_step_up": log_su.astype("float64"),
        "annual_log_step_up": annual.astype("float64"),
        "within_6m": days <= SIX_MONTHS_DAYS,
        "valuation_basis_prev": prv["valuation_basis"],
        "valuation_basis": cur["valuation_basis"],
    }).reset_index(drop=True)
    if designations is not None:
        if date_col is None:
            date_col = next((c for c in ("designation_date", "event_date") if c in designations.columns),
                            "designation_date")
        out = _add_designation(out, designations, firm_col=firm_col, date_col=date_col)
    out.attrs = {k: v for k, v in events.attrs.items() if k in ("provenance", "source")}
    return out


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
    out["designation_date"] = out["_pair"].map(latest).astype("datetime64[ns]")
    out["days_since_designation"] = (out["date"] - out["designation_date"]).dt.days.astype("Float64")
    out["designated_before_prev"] = out["_pair"].isin(before.index)
    return out.drop(columns="_pair")


# ---------------------------------------------------------------------------------------------------------------
# Demo data and processed files
# ---------------------------------------------------------------------------------------------------------------


def demo_events() -> pd.DataFrame:
    """Four hand-made events (two firms) in the canonical schema, marked SIMULATED; for examples and tests.

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
#: Columns of :func:`deal_firms`.
FIRM_COLUMNS = ["firm_id", "firm_name", "short_name", "province", "city", "industry_vendor", "industry_l1",
                "listed_exchange", "first_date", "first_year", "first_round_std", "first_stage_order",
                "first_category", "n_events", "n_valued", "amount_cny_total", "first_post_money_cny"]


def private_rounds(events: pd.DataFrame) -> pd.DataFrame:
    """Events whose round is a private financing round (:data:`PRIVATE_CATEGORIES`), excluding undisclosed rounds.

    Examples
    --------
    >>> len(private_rounds(demo_events()))
    4
    """
    keep = events["category"].isin(PRIVATE_CATEGORIES) & ~events["round_std"].isin(["undisclosed", "unknown"])
    out = events[keep]
    out.attrs = dict(events.attrs)
    return out


def deal_firms(events: pd.DataFrame) -> pd.DataFrame:
    """One row per identified firm of an events frame (undisclosed firms are left out).

    ``industry_l1`` is the first level of the vendor industry (``半导体及电子设备|半导体`` → ``半导体及电子设备``);
    ``first_*`` describe the firm's first event; ``listed_exchange`` is the last one the vendor reports.

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


def compare_step_up_rates(
    steps: pd.DataFrame,
    group: str,
    *,
    threshold: float = 1.5,
    n_boot: int = 2000,
    seed: int = 0,
) -> dict:
    """Difference in the share of step-ups >= ``threshold`` between ``group == True`` and ``group == False`` pairs.

    The interval resamples firms within each group (firm-cluster bootstrap, 95% percentile).

    Returns
    -------
    dict
        ``share_true, share_false, diff, ci_low, ci_high, n_true, n_false`` (pairs) and ``firms_true, firms_false``.

    Examples
    --------
    >>> s = pd.DataFrame({"firm_id": list("abcd"), "step_up": [2.0, 1.0, 1.6, 0.9], "days": [90] * 4,
    ...                   "g": [True, True, False, False]})
    >>> r = compare_step_up_rates(s, "g", n_boot=100)
    >>> r["share_true"], r["share_false"], r["diff"]
    (0.5, 0.5, 0.0)
    """
    s = steps[steps["days"] > 0]
    rng = np.random.default_rng(seed)
    out: dict = {}
    boots = {}
    for flag in (True, False):
        g = s[s[group].astype(bool) == flag]
        hit = (g["step_up"].to_numpy(dtype=float) >= threshold).astype(float)
        codes, uniq = pd.factorize(g["firm_id"])
        k = len(uniq)
        out[f"share_{str(flag).lower()}"] = float(hit.mean()) if len(hit) else np.nan
        out[f"n_{str(flag).lower()}"] = int(len(g))
        out[f"firms_{str(flag).lower()}"] = int(k)
        if k:
            sums = np.bincount(codes, weights=hit, minlength=k)
            cnts = np.bincount(codes, minlength=k).astype(float)
            draws = rng.integers(0, k, size=(n_boot, k))
            boots[flag] = sums[draws].sum(axis=1) / cnts[draws].sum(axis=1)
        else:
            boots[flag] = np.full(n_boot, np.nan)
    out["diff"] = out["share_true"] - out["share_false"]
    d = boots[True] - boots[False]
    out["ci_low"], out["ci_high"] = (float(np.nanquantile(d, 0.025)), float(np.nanquantile(d, 0.975))) \
        if np.isfinite(d).any() else (np.nan, np.nan)
    return out


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
                                 id_col="firm_id", seed=seed)
    keep = set(matched.pairs["treated_id"]) | set(matched.pairs["control_id"])
    est_panel = panel[panel["firm_id"].isin(keep)].copy()
    years = (int(est_panel["period"].min()), int(est_panel["period"].max()))
    est_panel = est_panel[(est_panel["cohort"] == 0) | est_panel["cohort"].between(*years)]
    common = dict(outcome="log_value", unit="firm_id", time="period", cohort="cohort", controls="never_treated",
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


def coverage_by_group(
    universe: pd.DataFrame,
    *,
    group: str,
    has_deal: str,
    board: str | None = "board",
) -> pd.DataFrame:
    """Share of firms with at least one deal, by group (and board), with Wilson 95% intervals.

    Parameters
    ----------
    universe : DataFrame
        One row per firm (e.g. every listed stock) with a boolean ``group`` column (e.g. tagged Little Giant) and a
        boolean ``has_deal`` column (e.g. appears in the deal data with a private round).
    board : str, optional
        Also break down by this column (rows with ``board == "all"`` hold the totals).

    Examples
    --------
    >>> u = pd.DataFrame({"lg": [True, True, False, False, False], "deal": [True, False, False, False, True],
    ...                   "board": ["STAR", "STAR", "Main", "Main", "STAR"]})
    >>> c = coverage_by_group(u, group="lg", has_deal="deal")
    >>> c.loc[c["board"] == "all", ["group", "n_firms", "share"]].values.tolist()
    [[False, 3, 0.3333333333333333], [True, 2, 0.5]]
    """
    rows = []
    keys = [group] + ([board] if board else [])
    for key, g in universe.groupby(keys, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        k, n = int(g[has_deal].sum()), len(g)
        lo, hi = _wilson(k, n)
        rows.append({"group": key[0], "board": key[1] if board else "all", "n_firms": n, "n_with_deal": k,
                     "share": k / n if n else np.nan, "ci_low": lo, "ci_high": hi})
    if board:
        for gv, g in universe.groupby(group, sort=True):
            k, n = int(g[has_deal].sum()), len(g)
            lo, hi = _wilson(k, n)
            rows.append({"group": gv, "board": "all", "n_firms": n, "n_with_deal": k, "share": k / n,
                         "ci_low": lo, "ci_high": hi})
    out = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    out["group"] = out["group"].astype(bool)
    return out.sort_values(["board", "group"], kind="stable").reset_index(drop=True)


def share_difference(universe: pd.DataFrame, *, group: str, has_deal: str, strata: str | None = None,
                     n_boot: int = 2000, seed: int = 0) -> dict:
    """Difference in the share with a deal (group minus others), with a bootstrap 95% interval.

    With ``strata`` (e.g. the board), the difference is standardised to the group's composition: the
    within-stratum differences are averaged with the group's stratum shares as weights (strata without firms of
    both kinds are left out).

    Examples
    --------
    >>> u = pd.DataFrame({"lg": [True] * 4 + [False] * 4, "deal": [True, True, False, False] + [False] * 3 + [True]})
    >>> share_difference(u, group="lg", has_deal="deal", n_boot=200)["diff"]
    0.25
    """
    rng = np.random.default_rng(seed)
    g = universe[group].astype(bool).to_numpy()
    y = universe[has_deal].astype(float).to_numpy()
    st = universe[strata].astype(str).to_numpy() if strata else np.zeros(len(universe), dtype=object)
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
    m = did.match_controls(firms[is_t], firms[~is_t], exact=list(exact), on=list(on), k=k, id_col="firm_id",
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
