"""Currencies: codes and words (RMB → CNY, 美元 → USD), annual average exchange rates (package data), conversion.

Examples
--------
>>> to_cny([1e6], ["USD"], [2021]).tolist()
[6451500.0]
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from lgresearch import paths

__all__ = ["CURRENCY_CODES", "FX_FILE", "fx_rates", "cny_per_unit", "to_cny"]

# Currency words → ISO code. Longer words first so 新台币 wins over 台币, 港元 over 元.
_CURRENCY_WORDS: list[tuple[str, str]] = [
    ("新台币", "TWD"), ("新台幣", "TWD"), ("台币", "TWD"), ("新加坡元", "SGD"), ("港币", "HKD"), ("港元", "HKD"),
    ("港幣", "HKD"), ("人民币", "CNY"), ("人民幣", "CNY"), ("美元", "USD"), ("美金", "USD"), ("欧元", "EUR"),
    ("歐元", "EUR"), ("日元", "JPY"), ("日圆", "JPY"), ("円", "JPY"), ("英镑", "GBP"), ("英鎊", "GBP"),
    ("韩元", "KRW"), ("澳元", "AUD"), ("加元", "CAD"), ("瑞士法郎", "CHF"), ("卢布", "RUB"),
    ("us$", "USD"), ("hk$", "HKD"), ("nt$", "TWD"), ("s$", "SGD"), ("a$", "AUD"), ("c$", "CAD"),
    ("$", "USD"), ("¥", "CNY"), ("€", "EUR"), ("£", "GBP"),
]
#: ISO-like codes accepted as currencies (RMB and NTD are aliases).
CURRENCY_CODES = {
    "CNY": "CNY", "RMB": "CNY", "CNH": "CNY", "USD": "USD", "HKD": "HKD", "EUR": "EUR", "JPY": "JPY",
    "TWD": "TWD", "NTD": "TWD", "GBP": "GBP", "SGD": "SGD", "KRW": "KRW", "AUD": "AUD", "CAD": "CAD",
    "CHF": "CHF", "RUB": "RUB",
}
_KNOWN_ISO = frozenset(CURRENCY_CODES.values())
_MISSING_TOKENS = {"", "-", "--", "---", "—", "——", "/", "na", "n.a."}

#: File of annual average exchange rates (CNY per unit of foreign currency), relative to ``lgresearch/data/official``.
FX_FILE = "fx_rates.csv"


def _norm_currency(cur: object) -> str | None:
    """Normalise a currency column value (RMB → CNY); unknown codes are returned upper-cased, blanks None."""
    if cur is None or cur is pd.NA or (isinstance(cur, float) and math.isnan(cur)):
        return None
    text = unicodedata.normalize("NFKC", str(cur)).strip()
    if text.lower() in _MISSING_TOKENS:
        return None
    up = text.upper()
    if up in CURRENCY_CODES:
        return CURRENCY_CODES[up]
    for word, code in _CURRENCY_WORDS:
        if text.lower() == word:
            return code
    return up


def fx_rates(path: str | Path | None = None) -> pd.DataFrame:
    """Annual average exchange rates, CNY per unit of currency, with their sources.

    Reads ``lgresearch/data/official/fx_rates.csv`` (columns ``year, currency, cny_per_unit, source_url,
    source_note``). CNY itself is not listed (its rate is 1).

    Parameters
    ----------
    path : str or Path, optional
        A CSV of annual rates (default: the package data).

    Returns
    -------
    DataFrame
        One row per currency and year with the yuan per unit.

    Examples
    --------
    >>> r = fx_rates()
    >>> float(r.loc[(r["currency"] == "USD") & (r["year"] == 2021), "cny_per_unit"].iloc[0])
    6.4515
    """
    path = Path(path) if path else paths.official_dir() / FX_FILE
    return _read_fx(str(path), path.stat().st_mtime if path.exists() else 0.0).copy()


@functools.lru_cache(maxsize=4)
def _read_fx(path: str, _mtime: float) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"currency": str, "source_url": str, "source_note": str})
    need = {"year", "currency", "cny_per_unit", "source_url", "source_note"}
    if not need <= set(frame.columns):
        raise ValueError(f"{path}: fx table needs columns {sorted(need)}")
    frame["year"] = frame["year"].astype(int)
    frame["cny_per_unit"] = frame["cny_per_unit"].astype(float)
    if frame.duplicated(["year", "currency"]).any():
        raise ValueError(f"{path}: duplicate (year, currency) rows")
    return frame


def cny_per_unit(
    currency: pd.Series | Iterable | str,
    year: pd.Series | Iterable | int,
    *,
    rates: pd.DataFrame | None = None,
    nearest: bool = True,
) -> pd.DataFrame:
    """Look up the annual average rate for each (currency, year).

    Parameters
    ----------
    currency, year : Series (aligned) or scalars
    rates : DataFrame, optional
        A table like :func:`fx_rates` (default: the project's fact file).
    nearest : bool
        For a year outside the table, use the nearest year the currency has (reported in ``rate_year``).

    Returns
    -------
    DataFrame
        Columns ``rate`` (CNY per unit; 1 for CNY; NaN for unknown currencies or missing years) and
        ``rate_year`` (the year whose rate was used).

    Examples
    --------
    >>> cny_per_unit(["USD", "CNY", "XYZ"], [2021, 2021, 2021])["rate"].tolist()
    [6.4515, 1.0, nan]
    """
    rates = fx_rates() if rates is None else rates
    cur = pd.Series([currency] if isinstance(currency, str) else list(currency), dtype=object)
    yrs = pd.Series([year] if isinstance(year, (int, np.integer)) else list(year), dtype="float64")
    if len(yrs) == 1 and len(cur) > 1:
        yrs = pd.Series(np.repeat(yrs.to_numpy(), len(cur)))
    if len(cur) == 1 and len(yrs) > 1:
        cur = pd.Series(np.repeat(cur.to_numpy(), len(yrs)), dtype=object)
    cur = cur.map(_norm_currency)
    rate = np.full(len(cur), np.nan)
    rate_year = np.full(len(cur), np.nan)
    is_cny = (cur == "CNY").to_numpy()
    rate[is_cny] = 1.0
    rate_year[is_cny] = yrs.to_numpy()[is_cny]
    table = {c: g.sort_values("year") for c, g in rates.groupby("currency")}
    for c, g in table.items():
        mask = (cur == c).to_numpy() & yrs.notna().to_numpy()
        if not mask.any():
            continue
        ys = g["year"].to_numpy()
        rs = g["cny_per_unit"].to_numpy()
        want = yrs.to_numpy()[mask]
        pos = np.searchsorted(ys, want)
        exact = (pos < len(ys)) & (ys[np.minimum(pos, len(ys) - 1)] == want)
        got = np.where(exact, rs[np.minimum(pos, len(ys) - 1)], np.nan)
        used = np.where(exact, want, np.nan)
        if nearest:
            near = np.clip(np.abs(want[:, None] - ys[None, :]).argmin(axis=1), 0, len(ys) - 1)
            got = np.where(exact, got, rs[near])
            used = np.where(exact, used, ys[near])
        rate[mask] = got
        rate_year[mask] = used
    return pd.DataFrame({"rate": rate, "rate_year": rate_year})


def to_cny(
    amount: pd.Series | Iterable | float,
    currency: pd.Series | Iterable | str,
    year: pd.Series | Iterable | int,
    *,
    rates: pd.DataFrame | None = None,
) -> pd.Series:
    """Convert amounts to yuan at the annual average rate of their year (NaN when no rate is known).

    Parameters
    ----------
    amount : float or Series
        Amounts in ``currency``.
    currency : str or Series
        ISO currency codes (``CNY``, ``USD``, …).
    year : int or Series
        Year of each amount (the FX rate of that year is used).
    rates : DataFrame, optional
        FX rates as from :func:`fx_rates` (default: the package data).

    Returns
    -------
    float or Series
        The amounts in yuan (missing where the currency or year has no rate).

    Examples
    --------
    >>> to_cny([1e6, 5e6], ["USD", "RMB"], [2021, 2021]).tolist()
    [6451500.0, 5000000.0]
    """
    amt = pd.Series([amount] if np.isscalar(amount) else list(cast(Iterable, amount)), dtype="float64")
    looked = cny_per_unit(currency, year, rates=rates)
    return pd.Series(amt.to_numpy() * looked["rate"].to_numpy(), name="amount_cny")
