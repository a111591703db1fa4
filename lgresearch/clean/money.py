"""Money strings from deal databases: numbers with units, currencies, vague amounts, undisclosed amounts.

Vendor exports write amounts as ``"5000万人民币"``, ``"数千万美元"``, ``"1.5亿"``, ``"US$ 2.5m"``, ``"亿元及以上"``,
``"8.86(e)"`` or ``"未透露"``. :func:`parse_money` turns each into a low / high / point amount in the reported
currency, with a status saying what kind of figure it is. :func:`to_cny` converts to yuan with the annual average
exchange rates in ``lgresearch/data/official/fx_rates.csv`` (facts with their sources).

Conventions (stated once, here):

* ``point`` is set only for an exact figure (status ``"exact"``). Ranges (``"1000-2000万"``) and vague amounts
  (``"数千万"``) carry ``low``/``high`` and no point: no midpoint is invented.
* ``数X`` ("several X") is ``[X, 10·X)``: 数百万 = [1e6, 1e7), 数千万 = [1e7, 1e8), 数亿 = [1e8, 1e9).
* ``X级`` ("X-level") is ``[X, 10·X)``: 千万级 = [1e7, 1e8).
* ``近X`` ("nearly X") is ``[0.8·X, X]``: 近千万 = [8e6, 1e7], 近亿 = [8e7, 1e8].
* ``超X`` / ``过X`` / ``逾X`` / ``上X`` / ``X以上`` / ``X及以上`` ("over X") is ``[X, inf)``: the upper bound is
  open and is written as ``inf``.
* ``<X`` / ``小于X`` / ``不足X`` / ``X以下`` ("under X") is the range ``[0, X]``.
* ``X多`` / ``X余`` ("X-odd") is ``[X, X + 10^floor(log10 X))`` in the number's own digits: 1000多万 = [1e7, 2e7).
* ``(e)`` after a number marks a vendor estimate: the figure is kept and ``estimated`` is True.
* Undisclosed words (未透露, 未披露, 不详, 不披露, 保密, 未公开, undisclosed) give status ``"undisclosed"``;
  blanks, ``--`` and ``-`` give ``"missing"``. Both have ``disclosed=False`` and no amount (the currency, if
  written, is kept: ``"未透露美元"`` is USD).
* Anything else that cannot be read gives ``"unparsed"`` (``"nanjing"`` has no amount: ``unparsed``, not
  ``undisclosed``); a readable number in an unknown currency gives ``"unknown_currency"`` (amounts kept in the
  unknown unit, never converted). Callers flag both in their ledger.
* Chinese numerals are read, with 万/亿 sections and 点 decimals: 五千万, 三亿, 一点五亿, 两亿五千万, 2亿5000万.
* ``flag`` says why a value was set missing, for the caller's ledger (:data:`MONEY_FLAGS`): an amount below 0 or
  above 10^13 CNY (:data:`MAX_AMOUNT_CNY`; other currencies at their highest annual rate in the FX table) is set
  missing with status ``"unparsed"`` and flag ``"amount out of range"``; a comma that is not a thousands separator
  (``1,5亿``: 1.5 or 15?) gives ``"ambiguous separator"``; text with no amount gives ``"no amount in text"``.

Examples
--------
>>> parse_money("5000万人民币")
Money(low=50000000.0, high=50000000.0, point=50000000.0, currency='CNY', disclosed=True, status='exact',
      estimated=False, flag=None)
>>> m = parse_money("数千万美元"); (m.low, m.high, m.point, m.currency, m.status)
(10000000.0, 100000000.0, nan, 'USD', 'vague')
>>> parse_money("未透露").disclosed
False
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple, cast

import numpy as np
import pandas as pd

from lgresearch.clean.currency import (
    _CURRENCY_WORDS,
    _KNOWN_ISO,
    _MISSING_TOKENS,
    CURRENCY_CODES,
    FX_FILE,
    _norm_currency,
    cny_per_unit,
    fx_rates,
    to_cny,
)

__all__ = [
    "MONEY_COLUMNS", "MONEY_STATUSES", "MONEY_FLAGS", "MAX_AMOUNT_CNY", "FX_FILE", "CURRENCY_CODES", "Money",
    "parse_money", "fx_rates", "cny_per_unit", "to_cny",
]


#: Output columns of :func:`parse_money` on a Series.
MONEY_COLUMNS = ["low", "high", "point", "currency", "disclosed", "status", "estimated", "flag"]
#: Status values of :func:`parse_money`.
MONEY_STATUSES = ("exact", "range", "vague", "undisclosed", "missing", "unparsed", "unknown_currency")
#: Reasons in the ``flag`` column (None when the value is clean).
MONEY_FLAGS = ("amount out of range", "ambiguous separator", "no amount in text")
#: Largest plausible amount, in yuan (10^13 CNY = 10 trillion); larger or negative amounts are set missing.
MAX_AMOUNT_CNY = 1e13

_UNDISCLOSED_WORDS = ("未透露", "未披露", "不详", "不披露", "保密", "未公开", "未知")
# Unit words → multiplier. Longer first.
_UNITS: list[tuple[str, float]] = [
    ("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("十亿", 1e9), ("亿", 1e8), ("千万", 1e7), ("百万", 1e6),
    ("十万", 1e5), ("万", 1e4), ("千", 1e3), ("billion", 1e9), ("million", 1e6), ("thousand", 1e3),
    ("bn", 1e9), ("mn", 1e6), ("mm", 1e6), ("b", 1e9), ("m", 1e6), ("k", 1e3),
]
_UNIT_RE = "|".join(re.escape(u) for u, _ in _UNITS)
_UNIT_MULT = dict(_UNITS)
_NUM = r"\d+(?:\.\d+)?"
_SCI = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"
_THOUSANDS_OK = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_COMMA_NUMBER = re.compile(r"\d[\d,]*,\d+(?:\.\d+)?")
_ASCII_UNDISCLOSED = frozenset(w for w in ("undisclosed", "unknown", "n/a", "nan", "none", "null"))
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}


class Money(NamedTuple):
    """One parsed amount (in the reported currency's units)."""

    low: float
    high: float
    point: float
    currency: str | None
    disclosed: bool
    status: str
    estimated: bool
    flag: str | None = None


def _unit_multiplier(unit: str | float | None) -> float:
    """Multiplier of a column unit such as ``"M"``, ``"万"``, ``"亿元"`` or ``1e6``.

    Examples
    --------
    >>> _unit_multiplier("M"), _unit_multiplier("万元"), _unit_multiplier(None)
    (1000000.0, 10000.0, 1.0)
    """
    if unit is None:
        return 1.0
    if isinstance(unit, (int, float)):
        return float(unit)
    text = unicodedata.normalize("NFKC", str(unit)).strip().lower().strip("()（）").replace("元", "")
    for code in list(CURRENCY_CODES) + ["US$"]:
        text = text.replace(code.lower(), "")
    text = text.strip("/ ")
    if text in ("", "元"):
        return 1.0
    if text in _UNIT_MULT:
        return _UNIT_MULT[text]
    raise ValueError(f"unknown money unit {unit!r}")


def _cn_number(text: str) -> float | None:
    """Read a simple Chinese numeral (两千, 一千五百, 十二); None when not one.

    Examples
    --------
    >>> _cn_number("两千"), _cn_number("一千五百"), _cn_number("十二"), _cn_number("abc")
    (2000.0, 1500.0, 12.0, None)
    """
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_SMALL_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
    if digit is not None:
        total += digit
    return float(total)


def _number(text: str) -> float | None:
    """Arabic or simple Chinese number; None when the text is not one."""
    if text == "":
        return None
    if re.fullmatch(_NUM, text):
        return float(text)
    return _cn_number(text)


def _units_value(text: str) -> float | None:
    """Multiplier of a run of unit words (``"万"``, ``"百万"``, ``"亿"``, ``""`` → 1)."""
    if text == "":
        return 1.0
    return _UNIT_MULT.get(text)


def _split_currency(text: str) -> tuple[str, str | None, str | None]:
    """Remove currency words/codes; return (rest, iso_currency, unknown_code)."""
    currency = None
    for word, code in _CURRENCY_WORDS:
        if word in text:
            currency = currency or code
            text = text.replace(word, "")
    unknown = None
    for run in re.findall(r"[a-z]+", text):
        code = run.upper()
        if code in CURRENCY_CODES:
            currency = currency or CURRENCY_CODES[code]
            text = text.replace(run, "", 1)
        elif run in _UNIT_MULT:
            continue
        elif len(run) == 3 and (text.startswith(run) or text.endswith(run)):
            unknown = code
            text = text.replace(run, "", 1)
    if "元" in text:  # bare 元 is yuan (万元, 亿元, 元)
        currency = currency or "CNY"
        text = text.replace("元", "")
    return text, currency, unknown


_CN_AMOUNT_TOKEN = re.compile(r"(\d+(?:\.\d+)?)|([零〇一二两三四五六七八九])|点([零〇一二两三四五六七八九]+)"
                              r"|([十百千])|(万|亿)")
_CN_DECIMAL = str.maketrans("零〇一二两三四五六七八九", "00122345678" + "9")


def _cn_amount(text: str) -> float | None:
    """Read an amount written with Chinese numerals and 万/亿 sections; None when the text is not one.

    Examples
    --------
    >>> _cn_amount("一点五亿"), _cn_amount("两亿五千万"), _cn_amount("2亿5000万"), _cn_amount("五千万")
    (150000000.0, 250000000.0, 250000000.0, 50000000.0)
    >>> _cn_amount("数千万") is None, _cn_amount("亿") is None
    (True, True)
    """
    pos, total, section, num, seen_num = 0, 0.0, 0.0, None, False
    for m in _CN_AMOUNT_TOKEN.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        arabic, digit, decimals, small, big = m.groups()
        if arabic is not None or digit is not None:
            num = float(arabic) if arabic is not None else float(_CN_DIGITS[digit])
            seen_num = True
        elif decimals is not None:
            if num is None or num != int(num):
                return None
            num = float(f"{int(num)}.{decimals.translate(_CN_DECIMAL)}")
        elif small is not None:
            section += (1.0 if num is None else num) * _CN_SMALL_UNITS[small]
            num = None
        elif big == "万":
            total += (section + (num or 0.0)) * 1e4
            section, num = 0.0, None
        else:
            total = (total + section + (num or 0.0)) * 1e8
            section, num = 0.0, None
    if pos != len(text) or not seen_num:
        return None
    return total + section + (num or 0.0)


@functools.lru_cache(maxsize=64)
def _max_amount(currency: str | None) -> float:
    """Largest plausible amount in ``currency`` units: 10^13 CNY at the currency's highest annual rate."""
    if currency in (None, "CNY"):
        return MAX_AMOUNT_CNY
    try:
        rates = fx_rates()
    except (OSError, ValueError):  # pragma: no cover - the FX fact file is package data
        return MAX_AMOUNT_CNY
    got = rates.loc[rates["currency"] == currency, "cny_per_unit"]
    return MAX_AMOUNT_CNY / float(got.max()) if len(got) else MAX_AMOUNT_CNY


def _checked(m: Money) -> Money:
    """Set an amount below 0 or above :data:`MAX_AMOUNT_CNY` missing, with flag ``"amount out of range"``."""
    if not m.disclosed:
        return m
    bound = _max_amount(m.currency if m.status != "unknown_currency" else None)
    vals = [v for v in (m.low, m.high, m.point) if not math.isnan(v)]
    # an open upper bound (超5000万: high = inf) is fine; anything else must lie in [0, bound]
    if any(v < 0 for v in vals) or any(v > bound for v in (m.low, m.point) if not math.isnan(v)) or \
            (math.isfinite(m.high) and m.high > bound):
        return Money(math.nan, math.nan, math.nan, m.currency, False, "unparsed", m.estimated,
                     "amount out of range")
    return m


def _ambiguous_separator(text: str) -> bool:
    """Whether a comma inside a number is not a thousands separator (``1,5亿``, ``12,34``)."""
    return any(not _THOUSANDS_OK.match(run) for run in _COMMA_NUMBER.findall(text))


@functools.lru_cache(maxsize=65536)
def _parse_one(raw: str, unit_mult: float, default_currency: str | None) -> Money:
    out = _parse_text(raw, unit_mult, default_currency)
    if out.status == "unparsed" and out.flag is None and out.disclosed is False:
        return out._replace(flag="no amount in text")
    return _checked(out)


#: (low, high, point, status) of an amount read from text, before its currency is attached.
_Amount = tuple[float, float, float, str]
_CN_NUMERALS = "零〇一二两三四五六七八九十百千"
_NUM_OR_CN = rf"(?:{_NUM}|[{_CN_NUMERALS}]+?)"
_ANY_UNITS = rf"(?:{_UNIT_RE})*"
_SOME_UNITS = rf"((?:{_UNIT_RE})+)"


def _exact(text: str, unit_mult: float) -> _Amount | None:
    """An exact figure: 5000万, 1.5e8, 两千万, 一点五亿, 两亿五千万, 2亿5000万."""
    # exact number with optional units (units may be compound: 千万, 百万); a sign or an exponent is read
    # so that the range check can flag it
    m = re.fullmatch(rf"({_SCI})({_ANY_UNITS})", text)
    if m:
        mult = _units_value(m.group(2))
        if mult is not None:
            v = float(m.group(1)) * (mult if m.group(2) else unit_mult)
            return v, v, v, "exact"
    # Chinese numeral amounts: 两千万, 一亿, 一千五百万, 一点五亿, 两亿五千万, 2亿5000万
    cn = _cn_amount(text)
    if cn is not None:
        v = cn * (unit_mult if not re.search("[万亿]", text) else 1.0)
        return v, v, v, "exact"
    m = re.fullmatch(rf"([{_CN_NUMERALS}]+?){_SOME_UNITS}", text)
    if m:
        base, mult = _cn_number(m.group(1)), _units_value(m.group(2))
        if base is not None and mult is not None:
            v = base * mult
            return v, v, v, "exact"
    return None


def _several(text: str, unit_mult: float) -> _Amount | None:
    """Several X: 数百万, 数千万, 数亿, 数十亿 is [X, 10·X)."""
    m = re.fullmatch(rf"数{_SOME_UNITS}", text)
    if m:
        base = _units_value(m.group(1))
        if base is None and m.group(1)[0] in _CN_SMALL_UNITS:
            rest = _units_value(m.group(1)[1:]) or 1.0
            base = _CN_SMALL_UNITS[m.group(1)[0]] * rest
        if base is not None:
            return base, 10 * base, math.nan, "vague"
    return None


def _level(text: str, unit_mult: float) -> _Amount | None:
    """X-level: 千万级, 亿级 is [X, 10·X)."""
    m = re.fullmatch(rf"({_NUM_OR_CN})?{_SOME_UNITS}级(?:别)?", text)
    if m:
        base = (_number(m.group(1)) if m.group(1) else 1.0)
        mult = _units_value(m.group(2))
        if base is not None and mult is not None:
            return base * mult, 10 * base * mult, math.nan, "vague"
    return None


def _nearly(text: str, unit_mult: float) -> _Amount | None:
    """Nearly X: 近千万, 近亿, 近5000万 is [0.8·X, X]."""
    m = re.fullmatch(rf"(?:近|接近|将近)({_NUM_OR_CN})?{_SOME_UNITS}", text)
    if m:
        base = _number(m.group(1)) if m.group(1) else 1.0
        mult = _units_value(m.group(2))
        if base is not None and mult is not None:
            return 0.8 * base * mult, base * mult, math.nan, "vague"
    return None


def _over(text: str, unit_mult: float) -> _Amount | None:
    """Over X: 超5000万, 过亿, 逾亿, 上亿, 超过1亿 is [X, inf)."""
    m = re.fullmatch(rf"(?:超过|超|过|逾|上|大于|>)({_NUM_OR_CN})?{_SOME_UNITS}", text)
    if m:
        base = _number(m.group(1)) if m.group(1) else 1.0
        mult = _units_value(m.group(2))
        if base is not None and mult is not None:
            return base * mult, math.inf, math.nan, "vague"
    return None


def _under(text: str, unit_mult: float) -> _Amount | None:
    """Under X: <0.01, 小于100万, 不足千万, 100万以下 is [0, X]."""
    m = re.fullmatch(rf"(?:<|小于|不足|低于|少于)({_NUM_OR_CN})?({_ANY_UNITS})(?:以下|以内)?"
                     rf"|({_NUM_OR_CN})({_ANY_UNITS})(?:以下|以内)", text)
    if m:
        base_txt, unit_txt = (m.group(1), m.group(2)) if m.group(1) or m.group(2) else (m.group(3), m.group(4))
        base = _number(base_txt) if base_txt else 1.0
        mult = _units_value(unit_txt) if unit_txt else unit_mult
        if base is not None and mult is not None:
            return 0.0, base * mult, math.nan, "range"
    return None


def _and_above(text: str, unit_mult: float) -> _Amount | None:
    """X and above: 亿及以上, 5000万以上 is [X, inf)."""
    m = re.fullmatch(rf"({_NUM_OR_CN})?({_ANY_UNITS})(?:及以上|以上|\+)", text)
    if m and (m.group(1) or m.group(2)):
        base = _number(m.group(1)) if m.group(1) else 1.0
        mult = _units_value(m.group(2)) if m.group(2) else unit_mult
        if base is not None and mult is not None:
            return base * mult, math.inf, math.nan, "vague"
    return None


def _odd(text: str, unit_mult: float) -> _Amount | None:
    """X-odd: 1000多万, 5亿多, 两千余万 is [X, X + 10^floor(log10 X))."""
    m = re.fullmatch(rf"({_NUM_OR_CN})(?:多|余)({_ANY_UNITS})|({_NUM_OR_CN}){_SOME_UNITS}(?:多|余)", text)
    if m:
        base_txt, unit_txt = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        base = _number(base_txt)
        mult = _units_value(unit_txt) if unit_txt else unit_mult
        if base is not None and mult is not None and base > 0:
            step = 10 ** math.floor(math.log10(base))
            return base * mult, (base + step) * mult, math.nan, "vague"
    return None


def _range(text: str, unit_mult: float) -> _Amount | None:
    """Ranges: 1000-2000万, 1000万-2000万, 1至2亿, 1~2亿."""
    m = re.fullmatch(rf"({_NUM_OR_CN})({_ANY_UNITS})(?:-|~|至|到|—)({_NUM_OR_CN})({_ANY_UNITS})", text)
    if m:
        a, b = _number(m.group(1)), _number(m.group(3))
        ua = _units_value(m.group(2)) if m.group(2) else None
        ub = _units_value(m.group(4)) if m.group(4) else None
        ua = ua or ub or unit_mult
        ub = ub or ua
        if a is not None and b is not None and ua is not None and ub is not None:
            lo, hi = sorted((a * ua, b * ub))
            return lo, hi, math.nan, "range"
    return None


#: The amount forms, tried in this order; the first that reads the text wins.
_AMOUNT_FORMS = (_exact, _several, _level, _nearly, _over, _under, _and_above, _odd, _range)


def _without_amount(text: str, currency: str | None, unknown: str | None, default_currency: str | None,
                    estimated: bool) -> Money | None:
    """The Money of a text that holds no amount (undisclosed, missing, junk), or None when it may hold one."""
    if any(w in text for w in _UNDISCLOSED_WORDS) or text.strip("()") in _ASCII_UNDISCLOSED:
        return Money(math.nan, math.nan, math.nan, currency, False, "undisclosed", False)
    text = text.strip("()")
    if text in _MISSING_TOKENS and unknown is not None:  # letters but no number: junk, not a currency
        return Money(math.nan, math.nan, math.nan, default_currency, False, "unparsed", estimated)
    if text in _MISSING_TOKENS:
        if estimated:  # a bare "约" / "(e)" with no number
            return Money(math.nan, math.nan, math.nan, currency, False, "unparsed", True)
        status = "missing" if currency is None else "undisclosed"
        return Money(math.nan, math.nan, math.nan, currency, False, status, False)
    return None


def _parse_text(raw: str, unit_mult: float, default_currency: str | None) -> Money:
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    text = re.sub(r"\s", "", text).replace("，", ",")
    if _ambiguous_separator(text):
        return Money(math.nan, math.nan, math.nan, default_currency, False, "unparsed", False, "ambiguous separator")
    text = text.replace(",", "")
    if text in _MISSING_TOKENS:
        return Money(math.nan, math.nan, math.nan, default_currency, False, "missing", False)
    estimated = False
    if re.search(r"\(e\)|\(估\)|\(估计\)|约|大约", text):
        estimated = True
        text = re.sub(r"\(e\)|\(估\)|\(估计\)|大约|约", "", text)
    text = text.replace("左右", "")
    text, currency, unknown = _split_currency(text)
    currency = currency or default_currency
    empty = _without_amount(text, currency, unknown, default_currency, estimated)
    if empty is not None:
        return empty
    text = text.strip("()")
    for form in _AMOUNT_FORMS:
        got = form(text, unit_mult)
        if got is None:
            continue
        low, high, point, status = got
        if unknown is not None:
            return Money(low, high, point, unknown, True, "unknown_currency", estimated)
        if currency is not None and currency not in _KNOWN_ISO:
            return Money(low, high, point, currency, True, "unknown_currency", estimated)
        return Money(low, high, point, currency, True, status, estimated)
    return Money(math.nan, math.nan, math.nan, unknown or currency, False, "unparsed", estimated)


def _parse_scalar(value: object, unit_mult: float, default_currency: str | None) -> Money:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return Money(math.nan, math.nan, math.nan, default_currency, False, "missing", False)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        v = float(value) * unit_mult
        status = "exact" if default_currency is None or default_currency in _KNOWN_ISO else "unknown_currency"
        return _checked(Money(v, v, v, default_currency, True, status, False))
    return _parse_one(str(value), unit_mult, default_currency)


def parse_money(
    values: object,
    *,
    unit: str | float | None = None,
    currency: str | pd.Series | Iterable | None = None,
) -> Money | pd.DataFrame:
    """Parse amounts written by deal databases.

    Parameters
    ----------
    values : str, number, or Series / list of them
        The amounts as written (``"5000万人民币"``, ``"数千万美元"``, ``"7,791.34"``, ``"未透露"``, ``12.5``).
    unit : str or float, optional
        Unit of bare numbers, for columns labelled e.g. ``投资金额(M)`` (``unit="M"``) or ``(万元)``
        (``unit="万"``). A unit written in the value itself wins.
    currency : str or Series, optional
        Currency to assume when the value names none (e.g. the vendor's currency column, aligned with
        ``values``). A currency written in the value itself wins. ``RMB`` is returned as ``CNY``.

    Returns
    -------
    Money or DataFrame
        For a scalar, a :class:`Money` tuple; for a Series or list, a frame with columns :data:`MONEY_COLUMNS`
        (same index). ``flag`` (:data:`MONEY_FLAGS`) says why a written value was set missing. Amounts are in
        units of the currency (not converted). See the module docstring for the
        conventions on vague amounts.

    Examples
    --------
    >>> parse_money("1.5亿").point
    150000000.0
    >>> parse_money("8.86(e)", unit="M", currency="RMB")[2:7]
    (8860000.0, 'CNY', True, 'exact', True)
    >>> parse_money("9999999999999亿")[5:], parse_money("1,5亿")[5:]
    (('unparsed', False, 'amount out of range'), ('unparsed', False, 'ambiguous separator'))
    >>> parse_money("nanjing")[5:]
    ('unparsed', False, 'no amount in text')
    >>> parse_money("亿元及以上人民币")[:2]
    (100000000.0, inf)
    >>> out = parse_money(pd.Series(["US$ 2.5m", "--", "garbage"]))
    >>> out["status"].tolist(), out["currency"].tolist()
    (['exact', 'missing', 'unparsed'], ['USD', None, None])
    """
    unit_mult = _unit_multiplier(unit)
    scalar = not isinstance(values, (pd.Series, pd.Index, list, tuple, np.ndarray))
    if scalar:
        cur = currency if (currency is None or isinstance(currency, str)) else None
        return _parse_scalar(values, unit_mult, _norm_currency(cur))
    series = values if isinstance(values, pd.Series) else pd.Series(list(cast(Iterable, values)))
    if currency is None or isinstance(currency, str):
        curs = [_norm_currency(currency)] * len(series)
    else:
        cur_series = currency if isinstance(currency, pd.Series) else pd.Series(list(currency))
        if len(cur_series) != len(series):
            raise ValueError("currency must have the same length as values")
        curs = [_norm_currency(c) for c in cur_series.tolist()]
    parsed = [_parse_scalar(v, unit_mult, c) for v, c in zip(series.tolist(), curs, strict=True)]
    if not parsed:
        out = pd.DataFrame({c: pd.Series(dtype=float) for c in MONEY_COLUMNS}, index=series.index)
    else:
        out = pd.DataFrame(parsed, columns=MONEY_COLUMNS, index=series.index)
    out["currency"] = out["currency"].astype(object).where(out["currency"].notna(), None)
    out["flag"] = out["flag"].astype(object).where(out["flag"].notna(), None)
    for c in ("low", "high", "point"):
        out[c] = out[c].astype(float)
    out["disclosed"] = out["disclosed"].astype(bool)
    out["estimated"] = out["estimated"].astype(bool)
    return out
