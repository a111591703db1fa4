"""Dates as deal databases write them, keeping their precision.

Forms read: ``2023-12-15``, ``2017.12.22``, ``2017/12/22``, ``2017年12月22日``, ``20171222``, ``2016-05``,
``2016.5``, ``2016年5月``, ``201605``, a bare year (``2012``, ``2012年``, the number 2012), Excel serial day numbers
(``43000`` → 2017-09-22), and ``datetime``/``Timestamp`` values. A date known only to the month or the year is
placed on the first day of that period and its precision (``"month"``/``"year"``) is reported beside it: no day
is invented silently.

Examples
--------
>>> parse_date("2017.12.22")
ParsedDate(date=Timestamp('2017-12-22 00:00:00'), precision='day', status='ok')
>>> parse_date("2016-05").precision, parse_date(2012).precision
('month', 'year')
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from typing import NamedTuple

import numpy as np
import pandas as pd

#: Output columns of :func:`parse_date` on a Series.
DATE_COLUMNS = ["date", "precision", "status"]
#: Precision labels, finest first.
PRECISIONS = ("day", "month", "year")
#: Status values: parsed, blank, unreadable, or after ``as_of``.
DATE_STATUSES = ("ok", "missing", "unparsed", "future")
#: Plausible years for deal data; a four-digit number outside this range is not read as a year.
YEAR_RANGE = (1900, 2100)
#: Excel's day zero (the 1900 date system, as pandas and Excel agree for dates after 1900-03-01).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MISSING = {"", "-", "--", "—", "nan", "nat", "none", "null", "未透露", "未披露", "不详"}
_FULL = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH = re.compile(r"^(\d{4})[-./年](\d{1,2})月?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")


class ParsedDate(NamedTuple):
    """One parsed date: the period's first day, its precision and a status."""

    date: pd.Timestamp | None
    precision: str | None
    status: str


_NONE = ParsedDate(None, None, "missing")
_BAD = ParsedDate(None, None, "unparsed")


def _make(y: int, m: int = 1, d: int = 1, precision: str = "day") -> ParsedDate:
    if not (YEAR_RANGE[0] <= y <= YEAR_RANGE[1]):
        return _BAD
    try:
        return ParsedDate(pd.Timestamp(_dt.date(y, m, d)), precision, "ok")
    except ValueError:
        return _BAD


def _from_serial(n: float) -> ParsedDate:
    if n != int(n) or not (1 <= n <= 2958465):
        return _BAD
    ts = EXCEL_EPOCH + pd.Timedelta(days=int(n))
    return _make(ts.year, ts.month, ts.day, "day")


@functools.lru_cache(maxsize=65536)
def _parse_text(raw: str) -> ParsedDate:
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    if text in _MISSING:
        return _NONE
    for rx, prec in ((_FULL, "day"), (_COMPACT_DAY, "day")):
        m = rx.match(text)
        if m:
            return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), prec)
    for rx in (_MONTH, _COMPACT_MONTH):
        m = rx.match(text)
        if m:
            month = int(m.group(2))
            if 1 <= month <= 12:
                return _make(int(m.group(1)), month, 1, "month")
            return _BAD
    m = _YEAR.match(text)
    if m:
        return _make(int(m.group(1)), 1, 1, "year")
    m = _SERIAL.match(text)
    if m:
        return _from_serial(float(m.group(1)))
    return _BAD


def _parse_one(value: object) -> ParsedDate:
    if value is None or value is pd.NA or value is pd.NaT:
        return _NONE
    if isinstance(value, (pd.Timestamp, _dt.datetime, np.datetime64)):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return _NONE
        return _make(ts.year, ts.month, ts.day, "day")
    if isinstance(value, _dt.date):
        return _make(value.year, value.month, value.day, "day")
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if isinstance(value, (float, np.floating)) and math.isnan(value):
            return _NONE
        if float(value).is_integer() and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
            return _make(int(value), 1, 1, "year")
        return _from_serial(float(value))
    return _parse_text(str(value))


def parse_date(
    values: object,
    *,
    as_of: str | pd.Timestamp | None = None,
) -> ParsedDate | pd.DataFrame:
    """Parse dates in the forms deal files use, keeping the precision.

    Parameters
    ----------
    values : str, number, datetime, or Series / list of them
    as_of : date-like, optional
        Dates after this day get status ``"future"`` (the date is still returned, so callers can flag it).
        Default: today.

    Returns
    -------
    ParsedDate or DataFrame
        For a scalar, a :class:`ParsedDate`; for a Series or list, a frame with :data:`DATE_COLUMNS` (``date`` is
        ``datetime64``; the first day of the period when the precision is month or year).

    Examples
    --------
    >>> parse_date(pd.Series(["2023-12-15", "2016-05", "2012", 43000, "32/13/2020", None]))
            date precision    status
    0 2023-12-15       day        ok
    1 2016-05-01     month        ok
    2 2012-01-01      year        ok
    3 2017-09-22       day        ok
    4        NaT      None  unparsed
    5        NaT      None   missing
    >>> parse_date("2099-01-01", as_of="2024-01-01").status
    'future'
    """
    cutoff = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    if not isinstance(values, (pd.Series, pd.Index, list, tuple, np.ndarray)):
        got = _parse_one(values)
        if got.status == "ok" and got.date > cutoff:
            return ParsedDate(got.date, got.precision, "future")
        return got
    series = values if isinstance(values, pd.Series) else pd.Series(list(values))
    obj = series.astype(object)
    uniq = {}
    for v in pd.unique(obj):
        try:
            uniq[v] = _parse_one(v)
        except TypeError:  # unhashable oddities are parsed one by one below
            pass
    rows = [uniq[v] if v in uniq else _parse_one(v) for v in obj.tolist()]
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series([r.date for r in rows], index=series.index, dtype=object)),
            "precision": pd.Series([r.precision for r in rows], index=series.index, dtype=object),
            "status": pd.Series([r.status for r in rows], index=series.index, dtype=object),
        }
    )
    out["date"] = out["date"].astype("datetime64[ns]")
    future = (out["status"] == "ok") & (out["date"] > cutoff)
    out.loc[future, "status"] = "future"
    return out
