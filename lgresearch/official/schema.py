"""Official facts: file names, value types and the pandera schemas every facts file is validated with.

Examples
--------
>>> N_BATCHES, FACTS_FILE
(7, 'facts.csv')
>>> sorted(FACTS_SCHEMA.columns)[:3]
['as_of', 'batch', 'chosen']
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

__all__ = [
    "FACTS_FILE", "PROVINCE_FILE", "INDUSTRY_FILE", "VC_FILE", "N_BATCHES", "SOURCE_LINE", "DATE_RE", "VALUE_TYPES",
    "BATCH_DATE_FIELDS", "BATCH_COUNT_FIELDS", "FACTS_SCHEMA", "PROVINCE_SCHEMA", "INDUSTRY_SCHEMA", "VC_SCHEMA",
]

FACTS_FILE = "facts.csv"
PROVINCE_FILE = "province_counts.csv"
INDUSTRY_FILE = "industry_shares.csv"
VC_FILE = "vc_aggregates.csv"
N_BATCHES = 7
SOURCE_LINE = "MIIT notices and reposts compiled in lgresearch/data/official (see source_url per fact)"

DATE_RE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
VALUE_TYPES = ("count", "date", "text", "share", "amount")
BATCH_DATE_FIELDS = ("launch_date", "publicity_start", "publicity_end", "announcement_date")
BATCH_COUNT_FIELDS = ("count_publicity", "count_final", "review_year", "review_passed")


def _nonblank(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().fillna("") != ""


def _value_matches_type(df: pd.DataFrame) -> pd.Series:
    value = df["value"].astype("string").fillna("")
    vtype = df["value_type"].astype("string").fillna("")
    ok = pd.Series(True, index=df.index)
    ok &= ~((vtype == "count") & ~value.str.fullmatch(r"\d+"))
    ok &= ~((vtype == "date") & ~value.str.fullmatch(DATE_RE))
    ok &= ~((vtype.isin(["share", "amount"])) & ~value.str.fullmatch(r"-?\d+(\.\d+)?"))
    dates = value.where(vtype == "date")
    valid_dates = dates.dropna().map(_date_is_valid)
    ok.loc[valid_dates.index] &= valid_dates.astype(bool)
    return ok


def _date_is_valid(text: str) -> bool:
    parts = [int(p) for p in str(text).split("-")]
    try:
        pd.Timestamp(year=parts[0], month=parts[1] if len(parts) > 1 else 1, day=parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


FACTS_SCHEMA = pa.DataFrameSchema(
    {
        "topic": pa.Column(str, pa.Check.isin(["batch", "review", "target", "total", "listed", "financing"])),
        "batch": pa.Column("Int64", pa.Check.in_range(1, N_BATCHES), nullable=True),
        "metric": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "value": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "value_type": pa.Column(str, pa.Check.isin(VALUE_TYPES)),
        "unit": pa.Column(str, nullable=True),
        "as_of": pa.Column(str, pa.Check.str_matches(DATE_RE), nullable=True),
        "chosen": pa.Column(bool),
        "reason": pa.Column(str, nullable=True),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_note")),
    },
    checks=[pa.Check(_value_matches_type, element_wise=False, error="value does not match value_type")],
    strict=True,
    coerce=False,
)

PROVINCE_SCHEMA = pa.DataFrameSchema(
    {
        "batch": pa.Column("Int64", pa.Check.in_range(0, N_BATCHES)),
        "scope": pa.Column(str),
        "unit": pa.Column(str, pa.Check.isin(["province", "city", "region"])),
        "province": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "count": pa.Column("Int64", pa.Check.ge(0)),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_note")),
    },
    strict=True,
)

INDUSTRY_SCHEMA = pa.DataFrameSchema(
    {
        "batch": pa.Column("Int64", pa.Check.in_range(1, N_BATCHES), nullable=True),
        "scope": pa.Column(str),
        "basis": pa.Column(str),
        "industry": pa.Column(str),
        "share": pa.Column(float, pa.Check.in_range(0, 1)),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_note")),
    },
    strict=True,
)

VC_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}")),
        "geography": pa.Column(str),
        "vendor": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "metric": pa.Column(str),
        "qualifier": pa.Column(str, pa.Check.isin(["", "<", ">", "~"]), nullable=True),
        "value": pa.Column(float),
        "unit": pa.Column(str),
        "reported_change": pa.Column(str, nullable=True),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, nullable=True),
    },
    strict=True,
)
