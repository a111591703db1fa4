"""A-share stock codes, boards, daily price limits and the exchange's trading sessions.

A stock code is six digits once an exchange prefix or suffix (``sh``, ``sz``, ``bj``, ``.SH``, ``.SZ``, ``.BJ``,
any case; also ``.SS``, ``.XSHG``, ``.XSHE``) is removed. :func:`normalize_code` returns that code or missing;
it never invents digits:

* a value that is not six digits after the prefix/suffix is removed (``1.5``, ``"00000"``, ``"12345678"``) is
  missing, with status ``"invalid"`` (:func:`code_status`);
* an integer (or an integral number such as ``"1270.0"``, as spreadsheets store codes) with fewer than six digits
  lost its leading zeros: it is zero-padded *only* when the padded code lies on a known board
  (``1270`` → ``001270``), and its status is ``"zero-padded"`` so readers can flag it; ``60051`` would give
  ``060051``, which is on no board, so it is ``"invalid"``. Text with a leading zero (``"00000"``) was typed as
  text and is never padded.

Boards follow the code prefix (:func:`board_of`) and price limits the board and date (:func:`limit_rate`).
The Shanghai exchange calendar (:func:`xshg_sessions`, from ``exchange_calendars``) stands in for every mainland
board: the package has no XSHE or BSE calendar.

Examples
--------
>>> normalize_code(["300750.SZ", "sh600000", 1270, "1.5", "60051", "00000"]).tolist()
['300750', '600000', '001270', <NA>, <NA>, <NA>]
>>> code_status(["300750.SZ", 1270, "1.5"]).tolist()
['ok', 'zero-padded', 'invalid']
>>> board_of(["600519", "300750", "688981", "920475"]).tolist()
['Main', 'ChiNext', 'STAR', 'BSE']
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from typing import overload

import numpy as np
import pandas as pd

__all__ = [
    "BOARDS", "LIMITS", "CHINEXT_REFORM", "CODE_STATUSES", "normalize_code", "code_status", "board_of",
    "limit_rate", "xshg_sessions",
]


#: Board names (English) used across the package.
BOARDS = ("Main", "ChiNext", "STAR", "BSE")
#: Daily price limits by board (ChiNext moved from 10% to 20% on 2020-08-24; ST stocks' 5% is not detected).
LIMITS = {"Main": 0.10, "ChiNext": 0.20, "STAR": 0.20, "BSE": 0.30}
CHINEXT_REFORM = pd.Timestamp("2020-08-24")
#: Values of :func:`code_status`.
CODE_STATUSES = ("ok", "zero-padded", "invalid", "missing")

_AFFIX = re.compile(r"^(?:(?:sh|sz|bj)[.:_\-\s]?)?(\d+(?:\.\d+)?)(?:[.:_\-\s]?(?:sh|sz|bj|ss|xshg|xshe))?$")
_BOARD_RULES = (
    (re.compile(r"^(60[0-5]|00[0-3])\d{3}$"), "Main"),
    (re.compile(r"^30[0-2]\d{3}$"), "ChiNext"),
    (re.compile(r"^68[89]\d{3}$"), "STAR"),
    (re.compile(r"^920\d{3}$"), "BSE"),
    (re.compile(r"^(4[0-9]|8[0-9])\d{4}$"), "BSE/NEEQ"),
)


def _board(code: str) -> str | None:
    for rx, name in _BOARD_RULES:
        if rx.match(code):
            return name
    return None


def _one(value: object) -> tuple[str | None, str]:
    """(code or None, status) for one value."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None, "missing"
    if isinstance(value, (bool, np.bool_)):
        return None, "invalid"
    if isinstance(value, (int, np.integer)):
        text, numeric = str(int(value)), True
    elif isinstance(value, (float, np.floating)):
        if not float(value).is_integer():
            return None, "invalid"
        text, numeric = str(int(value)), True
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().lower()
        if not text:
            return None, "missing"
        m = _AFFIX.match(text)
        if m is None:
            return None, "invalid"
        text = m.group(1)
        if "." in text:  # "1270.0": an integral number written by a spreadsheet; "1.5" is not a code
            whole, _, frac = text.partition(".")
            if set(frac) != {"0"}:
                return None, "invalid"
            text = whole
        numeric = not text.startswith("0") or "." in m.group(1)
    if len(text) == 6:
        return text, "ok"
    if numeric and 0 < len(text) < 6 and int(text) > 0:
        padded = text.zfill(6)
        if _board(padded) is not None:
            return padded, "zero-padded"
    return None, "invalid"


def _as_list(codes: Iterable | pd.Series) -> tuple[list, pd.Index | None, object]:
    if isinstance(codes, pd.Series):
        return codes.astype(object).tolist(), codes.index, codes.name
    return list(codes), None, None


@overload
def normalize_code(codes: str | int | float | np.integer | np.floating | None) -> str | None: ...
@overload
def normalize_code(codes: Iterable | pd.Series) -> pd.Series: ...
def normalize_code(codes: str | int | float | np.integer | np.floating | Iterable | pd.Series | None
                   ) -> str | None | pd.Series:
    """Return six-digit stock codes, or missing when a value is not one (see the module docstring).

    Parameters
    ----------
    codes : str, int, or Series / iterable of them
        Codes as written: ``"300750.SZ"``, ``"sh600000"``, ``"BJ830799"``, ``1270`` (leading zeros lost).

    Returns
    -------
    str or None for a scalar; Series of ``string`` dtype (``<NA>`` when invalid) otherwise, aligned with the
    input.

    Examples
    --------
    >>> normalize_code("600000.SH"), normalize_code(2594), normalize_code("1.5")
    ('600000', '002594', None)
    >>> normalize_code(pd.Series(["BJ830799", "abc", None])).tolist()
    ['830799', <NA>, <NA>]
    """
    if isinstance(codes, (str, int, float, np.integer, np.floating)) or codes is None:
        return _one(codes)[0]
    values, index, name = _as_list(codes)
    table: dict = {}
    out = []
    for v in values:
        try:
            got = table[v] if v in table else table.setdefault(v, _one(v)[0])
        except TypeError:  # unhashable oddities
            got = _one(v)[0]
        out.append(got)
    return pd.Series(out, index=index, name=name, dtype="object").astype("string")


@overload
def code_status(codes: str | int | float | np.integer | np.floating | None) -> str: ...
@overload
def code_status(codes: Iterable | pd.Series) -> pd.Series: ...
def code_status(codes: str | int | float | np.integer | np.floating | Iterable | pd.Series | None) -> str | pd.Series:
    """Say how each value was read as a code: one of :data:`CODE_STATUSES`, for a reader's ledger.

    Parameters
    ----------
    codes : str, int, or Series / iterable of them

    Returns
    -------
    str for a scalar, Series of str otherwise.

    Examples
    --------
    >>> code_status(["600000", 1, "60051", "00000", None]).tolist()
    ['ok', 'zero-padded', 'invalid', 'invalid', 'missing']
    """
    if isinstance(codes, (str, int, float, np.integer, np.floating)) or codes is None:
        return _one(codes)[1]
    values, index, name = _as_list(codes)
    return pd.Series([_one(v)[1] for v in values], index=index, name=name, dtype="object")


def board_of(codes: Iterable[str] | pd.Series) -> pd.Series:
    """Return the board of each 6-digit A-share code from its prefix.

    ``60``/``000``-``003`` -> Main (the SZSE SME board, ``002``, merged into Main in 2021), ``300``-``302`` ->
    ChiNext, ``688``/``689`` -> STAR, ``920`` -> BSE. Old NEEQ-style codes (``4xxxxx``/``8xxxxx``) give
    ``"BSE/NEEQ"``: the code alone cannot tell a BSE listing from a NEEQ quotation. Anything else is missing.

    Parameters
    ----------
    codes : iterable of str
        Stock codes (6 digits; a suffix such as ``.SZ`` is ignored).

    Returns
    -------
    Series of str (missing for unknown prefixes), aligned with ``codes``.

    Examples
    --------
    >>> board_of(pd.Series(["000001.SZ", "301556", "123456"])).tolist()
    ['Main', 'ChiNext', nan]
    """
    s = pd.Series(codes, dtype="string") if not isinstance(codes, pd.Series) else codes.astype("string")
    c = s.str.strip().str.slice(0, 6)
    out = pd.Series(pd.NA, index=s.index, dtype="object")
    for rx, name in _BOARD_RULES:
        mask = c.str.match(rx.pattern)
        out[mask.fillna(False).to_numpy(dtype=bool)] = name
    return out.astype("str").where(out.notna(), np.nan)


def limit_rate(boards: Iterable[str], dates: Iterable) -> pd.Series:
    """Return the daily price-limit rate for each (board, date) (NaN for unknown boards).

    Parameters
    ----------
    boards : iterable of str
        Board names as :func:`board_of` gives them.
    dates : iterable of date-like
        The trading days (ChiNext's limit was 10% before :data:`CHINEXT_REFORM`).

    Returns
    -------
    Series of float.

    Examples
    --------
    >>> limit_rate(["BSE", "x", "ChiNext"], pd.to_datetime(["2024-01-02", "2024-01-02", "2019-01-02"])).tolist()
    [0.3, nan, 0.1]
    """
    b = pd.Series(list(boards), dtype="object")
    d = pd.to_datetime(pd.Series(list(dates)))
    rate = b.map(LIMITS).astype(float)
    early_chinext = (b == "ChiNext").to_numpy() & (d < CHINEXT_REFORM).to_numpy()
    rate[early_chinext] = 0.10
    rate[(b == "BSE/NEEQ").to_numpy()] = LIMITS["BSE"]
    return rate


def xshg_sessions(start, end) -> pd.DatetimeIndex:
    """Return XSHG sessions between two dates from ``exchange_calendars`` (clipped to its horizon).

    Parameters
    ----------
    start, end : date-like
        First and last date.

    Returns
    -------
    DatetimeIndex
        XSHG sessions between the two dates (within ``exchange_calendars``' horizon).

    Examples
    --------
    >>> len(xshg_sessions("2024-01-01", "2024-12-31"))
    242
    """
    import exchange_calendars as xcals

    with warnings.catch_warnings():
        # exchange_calendars calls Series.values on tz-aware data (a pandas 3.1 deprecation, not ours)
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        cal = xcals.get_calendar("XSHG")
        first, last = cal.first_session.tz_localize(None), cal.last_session.tz_localize(None)
        lo, hi = max(pd.Timestamp(start), first), min(pd.Timestamp(end), last)
        if lo > hi:
            return pd.DatetimeIndex([], dtype="datetime64[ns]")
        s = cal.sessions_in_range(lo, hi)
    return pd.DatetimeIndex(s.tz_localize(None) if s.tz is not None else s).astype("datetime64[ns]")
