"""Crunchbase ``funding_rounds.csv`` (the bulk / ODM export).

One row per funding round. Columns used:

=========================================  ===========================================================
Crunchbase column                          canonical field
=========================================  ===========================================================
``org_name``                               firm_name (Crunchbase organisation name, often a brand)
``announced_on``                           date (YYYY-MM-DD)
``investment_type``                        round (``seed``, ``series_a`` … ``series_j``, ``angel``,
                                           ``pre_seed``, ``private_equity``, ``corporate_round``,
                                           ``post_ipo_equity``, ``debt_financing``, ``grant`` …)
``raised_amount`` + ``raised_amount_currency_code``   amount in the reported currency (when present)
``raised_amount_usd``                      amount in USD (used when the reported amount is absent)
``post_money_valuation`` + ``post_money_valuation_currency_code`` / ``post_money_valuation_usd``
                                           post-money valuation (basis ``reported``)
``investor_count``                         n_investors (the export lists no investor names per round)
``country_code``                           country (ISO-3, e.g. CHN)
``region`` / ``city``                      province / city when recognised
=========================================  ===========================================================

Amounts are converted to CNY with the annual average rates in ``lgresearch/data/official/fx_rates.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lgresearch.deals_readers.mapping import DealMapping
from lgresearch.deals_readers.rows import events_from_rows
from lgresearch.deals_readers.table import read_table, table_ledger
from lgresearch.errors import InputError
from lgresearch.ledger import Ledger
from lgresearch.provenance import mark_real

__all__ = [
    "SOURCE_LINE", "REQUIRED", "crunchbase_mapping", "read_crunchbase_file",
]


SOURCE_LINE = "Crunchbase funding_rounds export"
REQUIRED = ("org_name", "announced_on", "investment_type")


def crunchbase_mapping(columns: set[str]) -> DealMapping:
    """The mapping for the columns present (reported-currency amounts preferred over the USD columns).

    Parameters
    ----------
    columns : set of str
        The columns of a Crunchbase export.

    Returns
    -------
    DealMapping
        The mapping for these columns.

    Examples
    --------
    >>> crunchbase_mapping({"org_name", "announced_on", "investment_type", "raised_amount_usd"}).columns["amount"]
    'raised_amount_usd'
    """
    cols: dict[str, str] = {"firm_name": "org_name", "date": "announced_on", "round": "investment_type"}
    if {"raised_amount", "raised_amount_currency_code"} <= columns:
        cols["amount"] = "raised_amount"
        cols["currency"] = "raised_amount_currency_code"
    elif "raised_amount_usd" in columns:
        cols["amount"] = "raised_amount_usd"
    if {"post_money_valuation", "post_money_valuation_currency_code"} <= columns:
        cols["post_money"] = "post_money_valuation"
        cols["post_money_currency"] = "post_money_valuation_currency_code"
    elif "post_money_valuation_usd" in columns:
        cols["post_money"] = "post_money_valuation_usd"
    for src, dst in (("investor_count", "n_investors"), ("country_code", "country"), ("region", "province"),
                     ("city", "city")):
        if src in columns:
            cols[dst] = src
    return DealMapping(columns=cols, source="crunchbase", default_currency="USD", valuation_is="reported",
                       description="Crunchbase funding_rounds.csv")


def _fill_usd(rows: pd.DataFrame) -> pd.DataFrame:
    """Where the reported-currency amount is blank but the USD one is given, use the USD figure."""
    out = rows.copy()
    for amt, cur, usd in (("raised_amount", "raised_amount_currency_code", "raised_amount_usd"),
                          ("post_money_valuation", "post_money_valuation_currency_code", "post_money_valuation_usd")):
        if {amt, cur, usd} <= set(out.columns):
            blank = out[amt].map(lambda v: v is None or (isinstance(v, float) and v != v) or str(v).strip() == "")
            has_usd = ~out[usd].map(lambda v: v is None or (isinstance(v, float) and v != v) or str(v).strip() == "")
            take = blank & has_usd
            out.loc[take, amt] = out.loc[take, usd]
            out.loc[take, cur] = "USD"
    return out


def read_crunchbase_file(path: str | Path, *, ledger: Ledger | None = None,
                         as_of: str | pd.Timestamp | None = None) -> tuple[pd.DataFrame, Ledger]:
    """Read a Crunchbase ``funding_rounds.csv``; returns (events, ledger).

    Parameters
    ----------
    path : str or Path
        The file to read.
    ledger : Ledger, optional
        A ledger that receives one outcome per input row (internal engine argument).
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    (DataFrame, Ledger)
        The events and the row ledger.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "funding_rounds.csv")
    >>> _ = open(p, "w").write("org_name,announced_on,investment_type,raised_amount,raised_amount_currency_code\\n"
    ...                        "Acme,2020-08-01,series_b,30000000,USD\\n")
    >>> ev, led = read_crunchbase_file(p)
    >>> ev[["round_std", "currency", "amount_reported"]].values.tolist()
    [['B', 'USD', 30000000.0]]
    """
    path = Path(path)
    led = ledger if ledger is not None else Ledger()
    rows = read_table(path, header_names=list(REQUIRED) + ["raised_amount_usd", "post_money_valuation_usd"])
    own, n_physical = table_ledger(rows)
    missing = [c for c in REQUIRED if c not in rows.columns]
    if missing:
        raise InputError(path.name, None, missing[0], "Crunchbase funding_rounds.csv column missing; export the "
                                                      "funding_rounds table with its standard columns")
    rows = _fill_usd(rows)
    mapping = crunchbase_mapping(set(rows.columns))
    events = events_from_rows(rows, mapping, source_file=path.name, ledger=own, as_of=as_of)
    own.reconcile(n_physical)
    led.extend(own)
    events = mark_real(events, f"{SOURCE_LINE} ({path.name})")
    events.attrs["ledger_summary"] = led.summary()
    return events, led
