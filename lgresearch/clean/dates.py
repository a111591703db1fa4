"""Dates as deal databases write them, keeping their precision.

Forms read: ``2023-12-15``, ``2017.12.22``, ``2017/12/22``, ``2017年12月22日``, ``20171222`` (text or the number
20171222), ``2016-05``, ``2016.5``, ``2016年5月``, ``201605``, a bare year (``2012``, ``2012年``, the number 2012),
Excel serial day numbers (``43000`` → 2017-09-22, for 1950–2099), day-first or month-first dates (``15/06/2023``,
``06/15/2023``) and ``datetime``/``Timestamp`` values (a time zone is dropped after conversion to local date).
A date known only to the month or the year is placed on the first day of that period and its precision
(``"month"``/``"year"``) is reported beside it: no day is invented silently.

Nothing is guessed. A date that does not exist (``2023-02-30``) is ``unparsed`` with flag ``"impossible date"``,
never moved to a nearby day. ``05/06/2023`` is ``unparsed`` with flag ``"ambiguous day/month order"`` unless the
other values of the same Series settle the order (one of them has a first part above 12, say) or ``dayfirst=`` is
given. A date after ``as_of`` (the file's own date; default today) keeps its value with status ``"future"`` and
flag ``"after as_of"`` (so 2099 is never accepted silently).

Examples
--------
>>> parse_date("2017.12.22")
ParsedDate(date=Timestamp('2017-12-22 00:00:00'), precision='day', status='ok', flag=None)
>>> parse_date("2016-05").precision, parse_date(2012).precision
('month', 'year')
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from typing import NamedTuple, overload

import numpy as np
import pandas as pd

__all__ = [
    "DATE_COLUMNS", "PRECISIONS", "DATE_STATUSES", "DATE_FLAGS", "YEAR_RANGE", "SERIAL_RANGE", "EXCEL_EPOCH",
    "ParsedDate", "parse_date",
]


#: Output columns of :func:`parse_date` on a Series.
DATE_COLUMNS = ["date", "precision", "status", "flag"]
#: Precision labels, finest first.
PRECISIONS = ("day", "month", "year")
#: Status values: ``ok`` (a date), ``missing`` (blank), ``unparsed`` (no date: unreadable, impossible or
#: ambiguous; ``flag`` says which), ``future`` (a date after ``as_of``: kept, to be flagged by the caller).
DATE_STATUSES = ("ok", "missing", "unparsed", "future")
#: Reasons in the ``flag`` column (None for a clean date or a blank).
DATE_FLAGS = ("impossible date", "ambiguous day/month order", "after as_of", "unreadable date")
#: Plausible years for deal data; a four-digit number outside this range is not read as a year.
YEAR_RANGE = (1900, 2100)
#: Excel serial day numbers read as dates: 1950-01-01 to 2099-12-31 (smaller numbers are not dates).
SERIAL_RANGE = (18264, 73050)
#: Excel's day zero (the 1900 date system, as pandas and Excel agree for dates after 1900-03-01).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MISSING = {"", "-", "--", "—", "nan", "nat", "none", "null", "未透露", "未披露", "不详"}
_FULL = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH = re.compile(r"^(\d{4})[-./年](\d{1,2})月?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$")


class ParsedDate(NamedTuple):
    """One parsed date: the period's first day, its precision, a status and a flag (the reason, or None)."""

    date: pd.Timestamp | None
    precision: str | None
    status: str
    flag: str | None = None


_NONE = ParsedDate(None, None, "missing")
_BAD = ParsedDate(None, None, "unparsed", "unreadable date")
_IMPOSSIBLE = ParsedDate(None, None, "unparsed", "impossible date")
_AMBIGUOUS = ParsedDate(None, None, "unparsed", "ambiguous day/month order")


def _make(y: int, m: int = 1, d: int = 1, precision: str = "day") -> ParsedDate:
    if not (YEAR_RANGE[0] <= y <= YEAR_RANGE[1]):
        return _BAD
    try:
        return ParsedDate(pd.Timestamp(_dt.date(y, m, d)), precision, "ok")
    except ValueError:
        return _IMPOSSIBLE


def _from_serial(n: float) -> ParsedDate:
    if n != int(n) or not (SERIAL_RANGE[0] <= n <= SERIAL_RANGE[1]):
        return _BAD
    ts = EXCEL_EPOCH + pd.Timedelta(days=int(n))
    return _make(ts.year, ts.month, ts.day, "day")


def _dmy_order(text: str) -> str | None:
    """Order a ``a/b/yyyy`` text forces: ``"dmy"``, ``"mdy"``, ``"either"`` (a == b) or ``"ambiguous"``."""
    m = _DMY.match(text)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a == b:
        return "either"
    if a > 12 and b <= 12:
        return "dmy"
    if b > 12 and a <= 12:
        return "mdy"
    return "ambiguous" if a <= 12 and b <= 12 else "impossible"


def _parse_dmy(text: str, dayfirst: bool | None) -> ParsedDate:
    m = _DMY.match(text)
    if m is None:  # callers match _DMY first
        raise ValueError(f"not a day-month-year date: {text!r}")
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    order = _dmy_order(text)
    if order == "impossible":
        return _IMPOSSIBLE
    if order == "ambiguous":
        if dayfirst is None:
            return _AMBIGUOUS
        order = "dmy" if dayfirst else "mdy"
    d, mo = (a, b) if order in ("dmy", "either") else (b, a)
    return _make(y, mo, d, "day")


@functools.lru_cache(maxsize=65536)
def _parse_text(raw: str, dayfirst: bool | None = None) -> ParsedDate:
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    if text in _MISSING:
        return _NONE
    for rx, prec in ((_FULL, "day"), (_COMPACT_DAY, "day")):
        m = rx.match(text)
        if m:
            return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), prec)
    if _DMY.match(text):
        return _parse_dmy(text, dayfirst)
    for rx in (_MONTH, _COMPACT_MONTH):
        m = rx.match(text)
        if m:
            month = int(m.group(2))
            if 1 <= month <= 12:
                return _make(int(m.group(1)), month, 1, "month")
            return _IMPOSSIBLE if rx is _MONTH or 13 <= month <= 99 else _BAD
    m = _YEAR.match(text)
    if m:
        return _make(int(m.group(1)), 1, 1, "year")
    m = _SERIAL.match(text)
    if m:
        return _from_serial(float(text))
    return _BAD


def _parse_number(value: float) -> ParsedDate:
    """A number in a date column: a year (2012), yyyymmdd (20171222), yyyymm (201605) or an Excel serial."""
    if math.isnan(value):
        return _NONE
    if not math.isfinite(value):
        return _BAD
    if float(value).is_integer():
        n = int(value)
        if YEAR_RANGE[0] <= n <= YEAR_RANGE[1]:
            return _make(n, 1, 1, "year")
        if 10_000_000 <= n <= 99_999_999 or 100_000 <= n <= 999_999:
            return _parse_text(str(n))
    return _from_serial(float(value))


def _parse_one(value: object, dayfirst: bool | None = None) -> ParsedDate:
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
        return _parse_number(float(value))
    return _parse_text(str(value), dayfirst)


def _column_dayfirst(values: list) -> bool | None:
    """The day/month order the unambiguous ``a/b/yyyy`` values of a column force (None if none or both)."""
    orders = {_dmy_order(unicodedata.normalize("NFKC", v).strip().lower()) for v in values if isinstance(v, str)}
    forced = orders & {"dmy", "mdy"}
    if len(forced) != 1:
        return None
    return forced == {"dmy"}


@overload
def parse_date(  # type: ignore[overload-overlap]  # a Series or list is also an object: the first match wins
    values: pd.Series | pd.Index | list | tuple | np.ndarray, *, as_of: str | pd.Timestamp | None = None,
    dayfirst: bool | None = None,
) -> pd.DataFrame: ...
@overload
def parse_date(
    values: object, *, as_of: str | pd.Timestamp | None = None, dayfirst: bool | None = None,
) -> ParsedDate: ...
def parse_date(
    values: object,
    *,
    as_of: str | pd.Timestamp | None = None,
    dayfirst: bool | None = None,
) -> ParsedDate | pd.DataFrame:
    """Parse dates in the forms deal and list files use, keeping the precision; flag what cannot be trusted.

    Parameters
    ----------
    values : str, number, datetime, or Series / list of them
    as_of : date-like, optional
        The file's own date: dates after it get status ``"future"`` and flag ``"after as_of"`` (the date is still
        returned, so callers can flag it). Default: today.
    dayfirst : bool, optional
        Order of ``a/b/yyyy`` dates. Default: settled by the other values of the Series (a value such as
        ``15/06/2023`` forces day-first); when nothing settles it, ambiguous values are ``unparsed`` with flag
        ``"ambiguous day/month order"``.

    Returns
    -------
    ParsedDate or DataFrame
        For a scalar, a :class:`ParsedDate`; for a Series or list, a frame with :data:`DATE_COLUMNS` (``date`` is
        ``datetime64``; the first day of the period when the precision is month or year). ``status`` is one of
        :data:`DATE_STATUSES`, ``flag`` one of :data:`DATE_FLAGS` or None.

    Examples
    --------
    >>> parse_date(pd.Series(["2023-12-15", "2016-05", "2012", 43000, "32/13/2020", None]))
            date precision    status             flag
    0 2023-12-15       day        ok             None
    1 2016-05-01     month        ok             None
    2 2012-01-01      year        ok             None
    3 2017-09-22       day        ok             None
    4        NaT      None  unparsed  impossible date
    5        NaT      None   missing             None
    >>> parse_date("2099-01-01", as_of="2024-01-01")[2:]
    ('future', 'after as_of')
    >>> parse_date("2023-02-30")[2:], parse_date(20171222).date
    (('unparsed', 'impossible date'), Timestamp('2017-12-22 00:00:00'))
    >>> parse_date("05/06/2023").flag, parse_date(pd.Series(["05/06/2023", "25/06/2023"]))["date"].dt.month.tolist()
    ('ambiguous day/month order', [6, 6])
    """
    cutoff = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    if cutoff.tzinfo is not None:
        cutoff = cutoff.tz_localize(None)
    if not isinstance(values, (pd.Series, pd.Index, list, tuple, np.ndarray)):
        got = _parse_one(values, dayfirst)
        if got.status == "ok" and got.date > cutoff:
            return ParsedDate(got.date, got.precision, "future", "after as_of")
        return got
    series = values if isinstance(values, pd.Series) else pd.Series(list(values))
    obj = series.astype(object)
    uniq = {}
    unique_values = pd.unique(obj)
    order = dayfirst if dayfirst is not None else _column_dayfirst(list(unique_values))
    for v in unique_values:
        try:
            uniq[v] = _parse_one(v, order)
        except TypeError:  # unhashable oddities are parsed one by one below
            pass
    rows = [uniq[v] if v in uniq else _parse_one(v, order) for v in obj.tolist()]
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series([r.date for r in rows], index=series.index, dtype=object)),
            "precision": pd.Series([r.precision for r in rows], index=series.index, dtype=object),
            "status": pd.Series([r.status for r in rows], index=series.index, dtype=object),
            "flag": pd.Series([r.flag for r in rows], index=series.index, dtype=object),
        }
    )
    out["date"] = out["date"].astype("datetime64[ns]")
    future = (out["status"] == "ok") & (out["date"] > cutoff)
    out.loc[future, "status"] = "future"
    out.loc[future, "flag"] = "after as_of"
    return out
