"""The canonical deals schema: the columns and dtypes of a financing-event frame and its pandera checks.

One output row is one **financing event** (a firm raising a round on a date); :data:`DEAL_COLUMNS` is the contract
between the readers, :mod:`lgresearch.simulate` and the notebooks.

Examples
--------
>>> DEAL_COLUMNS[:4]
['event_id', 'source', 'firm_id', 'firm_name']
>>> empty_events().shape[1] == len(DEAL_COLUMNS)
True
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lgresearch._compat import TEXT_DTYPE
from lgresearch.clean.rounds import CATEGORIES

__all__ = [
    "DEAL_COLUMNS", "STR_COLUMNS", "FLOAT_COLUMNS", "VALUATION_BASES", "AMOUNT_STATUSES", "IMPLIED_TOLERANCE",
    "VALUATION_CONFLICT_TOLERANCE", "UNDISCLOSED_FIRM", "INPUT_FIELDS", "DEAL_SCHEMA", "as_text", "empty_events",
    "validate_events", "finalize_events",
]


#: Canonical columns of a financing-event frame, in order (the contract with simulate.py and the notebooks).
DEAL_COLUMNS: list[str] = [
    "event_id",          # str: "<source>:<12 hex>", unique
    "source",            # str: zero2ipo | itjuzi | crunchbase | <custom>
    "firm_id",           # str or NA: normalised legal name (or "short:<name>"); NA when the firm is undisclosed
    "firm_name",         # str or NA: registered (legal) name as written
    "short_name",        # str or NA: short / brand name
    "uscc",              # str or NA: unified social credit code when the source has it
    "country",           # str or NA: country as written (中国, CHN, …)
    "province",          # str or NA: province, short form (浙江) when recognised, else as written
    "city",              # str or NA: prefecture-level city (杭州市; 北京市 for the municipalities)
    "industry_vendor",   # str or NA: the vendor's own industry
    "industry_gb",       # str or NA: national-standard (国标) industry where the source has it
    "date",              # datetime64: first day of the period when the precision is month or year
    "date_precision",    # str: day | month | year
    "year",              # int: calendar year of date
    "round_raw",         # str: round as written
    "round_std",         # str: lgresearch.clean.rounds standard label
    "stage_order",       # float: position on the stage ladder (NaN off the ladder)
    "category",          # str: one of CATEGORIES
    "investment_type",   # str or NA: vendor's deal type (创业投资, 成长资本, …)
    "currency",          # str or NA: currency as reported (ISO code)
    "amount_reported",   # float: amount in the reported currency (sum of disclosed investor amounts)
    "amount_cny",        # float: point amount in CNY (NaN unless an exact figure was disclosed)
    "amount_cny_low",    # float: lower bound in CNY (vague amounts, partial disclosure)
    "amount_cny_high",   # float: upper bound in CNY (inf when open-ended)
    "amount_disclosed",  # bool: some amount (exact, range or vague) was disclosed
    "amount_status",     # str: exact | partial | range | vague | undisclosed | missing | unparsed | unknown_currency
    "stake_pct",         # float: equity stake bought in this event, percent (0, 100]
    "post_money_cny",    # float: post-money valuation in CNY
    "valuation_basis",   # str: reported | implied | none
    "investors",         # list[str]: investors as written
    "n_investors",       # int: number of investors (len(investors) unless the source gives a count)
    "listed_exchange",   # str or NA: exchange(s) where the firm is listed, when the source says
    "source_file",       # str: file name the event came from
    "source_rows",       # list[int]: file row numbers (1-based, as seen in a spreadsheet) of the event's rows
]
#: Columns holding text (nullable).
STR_COLUMNS = ["event_id", "source", "firm_id", "firm_name", "short_name", "uscc", "country", "province", "city",
               "industry_vendor", "industry_gb", "date_precision", "round_raw", "round_std", "category",
               "investment_type", "currency", "amount_status", "valuation_basis", "listed_exchange", "source_file"]
FLOAT_COLUMNS = ["stage_order", "amount_reported", "amount_cny", "amount_cny_low", "amount_cny_high", "stake_pct",
                 "post_money_cny"]
VALUATION_BASES = ("reported", "implied", "none")
AMOUNT_STATUSES = ("exact", "partial", "range", "vague", "undisclosed", "missing", "unparsed", "unknown_currency")
#: Relative tolerance when checking a vendor valuation against amount ÷ stake.
IMPLIED_TOLERANCE = 0.05
#: Relative spread above which valuations given on the rows of one event are flagged as conflicting.
VALUATION_CONFLICT_TOLERANCE = 0.01
#: Firm names that mean "not disclosed".
UNDISCLOSED_FIRM = {"不披露", "未披露", "未透露", "保密", "--", "-", "undisclosed", ""}
#: Canonical input fields a :class:`DealMapping` may name.
INPUT_FIELDS = (
    "firm_name", "short_name", "uscc", "location", "country", "province", "city", "industry_vendor",
    "industry_gb", "date", "round", "investment_type", "amount", "currency", "amount_cny", "stake_pct",
    "post_money", "post_money_currency", "post_money_cny", "investor", "investor_id", "n_investors",
    "listed_exchange",
)


def _str_or_na(s: pd.Series) -> bool:
    return bool(s.map(lambda v: v is None or (isinstance(v, float) and math.isnan(v)) or isinstance(v, str)).all())


def _is_list_of_str(s: pd.Series) -> bool:
    return bool(s.map(lambda v: isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)).all())


def _str_col(**kw) -> pa.Column:
    return pa.Column(None, pa.Check(_str_or_na, element_wise=False, error="text or missing"), **kw)


#: The pandera schema of the canonical events frame.
DEAL_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": _str_col(unique=True, nullable=False),
        "source": _str_col(nullable=False),
        "firm_id": _str_col(nullable=True),
        "firm_name": _str_col(nullable=True),
        "short_name": _str_col(nullable=True),
        "uscc": pa.Column(None, [pa.Check(_str_or_na, element_wise=False),
                                 pa.Check(lambda s: s.dropna().astype(str).str.fullmatch(r"[0-9A-Z]{18}").all(),
                                          element_wise=False, error="USCC is 18 characters")], nullable=True),
        "country": _str_col(nullable=True),
        "province": _str_col(nullable=True),
        "city": _str_col(nullable=True),
        "industry_vendor": _str_col(nullable=True),
        "industry_gb": _str_col(nullable=True),
        "date": pa.Column("datetime64[ns]", nullable=False),
        "date_precision": pa.Column(None, pa.Check.isin(["day", "month", "year"])),
        "year": pa.Column("int64", pa.Check.in_range(1900, 2100)),
        "round_raw": _str_col(nullable=True),
        "round_std": _str_col(nullable=False),
        "stage_order": pa.Column("float64", nullable=True),
        "category": pa.Column(None, pa.Check.isin(list(CATEGORIES))),
        "investment_type": _str_col(nullable=True),
        "currency": _str_col(nullable=True),
        "amount_reported": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_cny": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_cny_low": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_cny_high": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_disclosed": pa.Column("bool"),
        "amount_status": pa.Column(None, pa.Check.isin(list(AMOUNT_STATUSES))),
        "stake_pct": pa.Column("float64", pa.Check.in_range(0, 100, include_min=False), nullable=True),
        "post_money_cny": pa.Column("float64", pa.Check.gt(0), nullable=True),
        "valuation_basis": pa.Column(None, pa.Check.isin(list(VALUATION_BASES))),
        "investors": pa.Column(None, pa.Check(_is_list_of_str, element_wise=False, error="list of str")),
        "n_investors": pa.Column("int64", pa.Check.ge(0)),
        "listed_exchange": _str_col(nullable=True),
        "source_file": _str_col(nullable=False),
        "source_rows": pa.Column(None, pa.Check(
            lambda s: s.map(lambda v: isinstance(v, (list, tuple)) and len(v) > 0).all(), element_wise=False,
            error="non-empty list of row numbers")),
    },
    checks=[
        pa.Check(lambda d: ((d["amount_cny_low"] <= d["amount_cny_high"]) | d["amount_cny_low"].isna()
                             | d["amount_cny_high"].isna()).all(), element_wise=False, error="low <= high"),
        pa.Check(lambda d: ((d["valuation_basis"] == "none") == d["post_money_cny"].isna()).all(),
                 element_wise=False, error="valuation_basis 'none' exactly when there is no valuation"),
    ],
    strict=False,  # extra columns (e.g. a simulated frame's ``provenance``) are allowed
)


def as_text(s: pd.Series) -> pd.Series:
    """Text column in the house dtype (``str``; see :mod:`lgresearch._compat`), missing values kept missing.

    Parameters
    ----------
    s : Series
        Any column.

    Returns
    -------
    Series
        The column in the house text dtype.

    Examples
    --------
    >>> as_text(pd.Series(["a", None])).isna().tolist()
    [False, True]
    """
    obj = s.astype(object)
    obj = obj.where(obj.notna(), None)
    return obj.astype(TEXT_DTYPE)


def empty_events() -> pd.DataFrame:
    """An events frame with no rows and the canonical columns and dtypes.

    Returns
    -------
    DataFrame
        An empty frame with :data:`DEAL_COLUMNS` and their dtypes.

    Examples
    --------
    >>> list(empty_events().columns) == DEAL_COLUMNS
    True
    """
    cols: dict[str, pd.Series] = {}
    for c in DEAL_COLUMNS:
        if c in STR_COLUMNS:
            cols[c] = as_text(pd.Series([], dtype=object))
        elif c in FLOAT_COLUMNS:
            cols[c] = pd.Series([], dtype="float64")
        elif c == "date":
            cols[c] = pd.Series([], dtype="datetime64[ns]")
        elif c in ("year", "n_investors"):
            cols[c] = pd.Series([], dtype="int64")
        elif c == "amount_disclosed":
            cols[c] = pd.Series([], dtype="bool")
        else:
            cols[c] = pd.Series([], dtype=object)
    return pd.DataFrame(cols)


def validate_events(events: pd.DataFrame) -> pd.DataFrame:
    """Validate an events frame against :data:`DEAL_SCHEMA` (raises ``pandera.errors.SchemaError``).

    Parameters
    ----------
    events : DataFrame
        Events to check against :data:`DEAL_SCHEMA`.

    Returns
    -------
    DataFrame
        The events, validated (raises on a schema violation).

    Examples
    --------
    >>> validate_events(empty_events()).shape[0]
    0
    """
    return DEAL_SCHEMA.validate(events)



def finalize_events(events: pd.DataFrame) -> pd.DataFrame:
    """Put an events frame in canonical column order and dtypes (fills ``year``; computes nothing else).

    Parameters
    ----------
    events : DataFrame
        Events assembled by a reader.

    Returns
    -------
    DataFrame
        The events with canonical dtypes and order.

    Examples
    --------
    >>> finalize_events(empty_events()).dtypes["year"]
    dtype('int64')
    """
    out = events.copy()
    if "year" not in out.columns or out["year"].isna().any():
        out["year"] = out["date"].dt.year
    for c in DEAL_COLUMNS:
        if c not in out.columns:
            raise KeyError(f"events frame lacks column {c!r}")
    out = out[DEAL_COLUMNS]
    for c in STR_COLUMNS:
        out[c] = as_text(out[c])
    for c in FLOAT_COLUMNS:
        out[c] = out[c].astype("float64")
    out["date"] = out["date"].astype("datetime64[ns]")
    out["year"] = out["year"].astype("int64")
    out["n_investors"] = out["n_investors"].astype("int64")
    out["amount_disclosed"] = out["amount_disclosed"].astype(bool)
    out["investors"] = out["investors"].map(lambda v: [str(x) for x in v] if isinstance(v, (list, tuple, np.ndarray))
                                            else [])
    out["source_rows"] = out["source_rows"].map(lambda v: [int(x) for x in v])
    return out.reset_index(drop=True)

