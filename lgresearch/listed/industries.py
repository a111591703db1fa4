"""Shenwan industries: the SW2021 classification of each stock code, point in time, and its level 1.

Examples
--------
>>> SW_L1_EN[640000], SW2021_START.date().isoformat()
('Machinery', '2021-07-30')
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from lgresearch import disk_cache, paths
from lgresearch.listed.files import SHENWAN_FILE, SW2021_CODES_FILE, _require
from lgresearch.provenance import mark_real
from lgresearch.securities import normalize_code

__all__ = ["SW_L1_EN", "SW2021_START", "stock_industries", "industry_l1", "first_classified"]

#: Shenwan 2021 level-1 industries: code -> English name (figures use these, never Chinese text).
SW_L1_EN = {
    110000: "Agriculture", 220000: "Basic Chemicals", 230000: "Steel", 240000: "Non-ferrous Metals",
    270000: "Electronics", 280000: "Automobiles", 330000: "Home Appliances", 340000: "Food & Beverage",
    350000: "Textiles & Apparel", 360000: "Light Manufacturing", 370000: "Pharma & Biotech",
    410000: "Utilities", 420000: "Transportation", 430000: "Real Estate", 450000: "Retail & Trade",
    460000: "Social Services", 480000: "Banks", 490000: "Non-bank Financials", 510000: "Conglomerates",
    610000: "Building Materials", 620000: "Construction", 630000: "Power Equipment", 640000: "Machinery",
    650000: "Defence", 710000: "Computers", 720000: "Media", 730000: "Telecoms", 740000: "Coal",
    750000: "Oil & Petrochemicals", 760000: "Environmental Services", 770000: "Beauty & Personal Care",
}
SW2021_START = pd.Timestamp("2021-07-30")


#: Version of the on-disk cache of the parsed Shenwan files (bump it when :func:`_shenwan_raw` changes).
_SHENWAN_CACHE_VERSION = 1


@lru_cache(maxsize=4)
def _shenwan_raw(ext: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Shenwan history and SW2021 code list as parsed from the .xls files, kept on disk in the cache folder
    (``paths.cache_dir("listed")``) under the two files' paths, sizes and mtimes (re-read when one changes)."""
    files = [_require(*SHENWAN_FILE), _require(*SW2021_CODES_FILE)]
    key = {"version": _SHENWAN_CACHE_VERSION, "ext": ext, "inputs": disk_cache.file_signature(files)}
    history, codes = disk_cache.cached_frames("listed", "shenwan", key,
                                              lambda: [pd.read_excel(p, engine="calamine") for p in files],
                                              parts=("history", "codes"))
    return history, codes


def stock_industries(as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Return the Shenwan 2021 (SW2021) industry of each stock code, point in time.

    The Shenwan history (``StockClassifyUse_stock.xls``) gives each stock's industry code with its effective date;
    SW2021 codes start on 2021-07-30; a stock whose SW2014 code was kept in SW2021 has no new entry then, so the
    assignment *in force* at the date is used when its code is a valid SW2021 code. For ``as_of`` on or after
    2021-07-30 that is the assignment in force at ``as_of``; for an earlier ``as_of`` it is the one in force on
    2021-07-30 (``backfilled`` true), as SW2021 names did not exist before. A stock listed after the date gets its
    first later assignment (``backfilled`` true). Stocks whose assignment is not a SW2021 code (mostly delisted
    before 2021) are left out.

    Parameters
    ----------
    as_of : date-like, optional
        Point in time (default: the latest assignment).

    Returns
    -------
    DataFrame with ``code, sw_code, sw_l1_code, sw_l1_name, sw_l1_en, sw_l2_name, effective_date, backfilled``.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     ind = stock_industries()
    >>> ind.set_index("code").loc["300750", "sw_l1_en"]
    'Power Equipment'
    """
    key = None if as_of is None else pd.Timestamp(as_of)
    return _stock_industries_cached(str(paths.external_dir()), key).copy()


@lru_cache(maxsize=4)
def _shenwan_history(ext: str) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    """Shenwan history as (code, effective_date, sw_code) sorted by code and date, the SW2021 codes (sorted), the
    names, and an integer id of each row's code (set look-ups on integers, not strings)."""
    sw, names = _shenwan_raw(ext)
    df = pd.DataFrame({
        "code": normalize_code(sw["股票代码"]),
        "effective_date": pd.to_datetime(sw["计入日期"]).dt.normalize(),
        "sw_code": pd.to_numeric(sw["行业代码"], errors="coerce").astype("Int64"),
    }).dropna(subset=["code", "sw_code"])
    known = np.array(sorted(set(names["行业代码"].astype(int))), dtype=np.int64)
    df = df.sort_values(["code", "effective_date"], kind="stable")
    return df, known, names, pd.factorize(df["code"])[0]


@lru_cache(maxsize=64)
def _stock_industries_cached(ext: str, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """:func:`stock_industries` for one third-party folder and date, computed once (callers get a copy)."""
    df, known, names, cid = _shenwan_history(ext)
    t = SW2021_START if as_of is None else max(pd.Timestamp(as_of), SW2021_START)
    if as_of is None:
        t = max(df["effective_date"].max(), SW2021_START)
    # the assignment in force at t (codes unchanged in 2021 keep their older entry), else the first later one
    before = (df["effective_date"] <= t).to_numpy()
    in_force = df[before].groupby("code").tail(1).assign(backfilled=False)
    has_in_force = np.isin(cid, cid[before])  # same as df["code"].isin(in_force["code"]), on integer ids
    later = df[(df["effective_date"] > t).to_numpy() & ~has_in_force].groupby("code").head(1)
    pick = pd.concat([in_force, later.assign(backfilled=True)])
    if as_of is not None and pd.Timestamp(as_of) < SW2021_START:
        pick = pick.assign(backfilled=True)
    pick = pick[pick["sw_code"].isin(known)]
    l1 = (pick["sw_code"] // 10000 * 10000).astype("Int64")
    l2 = (pick["sw_code"] // 100 * 100).astype("Int64")
    name_of = dict(zip(names["行业代码"].astype(int), names["一级行业名称"], strict=True))
    l2_of = dict(zip(names["行业代码"].astype(int), names["二级行业名称"], strict=True))
    out = pd.DataFrame({
        "code": pick["code"].astype("string").to_numpy(),
        "sw_code": pick["sw_code"].to_numpy(),
        "sw_l1_code": l1.to_numpy(),
        "sw_l1_name": pd.array([name_of.get(int(v)) for v in l1], dtype="string"),
        "sw_l1_en": pd.array([SW_L1_EN.get(int(v)) for v in l1], dtype="string"),
        "sw_l2_name": pd.array([l2_of.get(int(v)) for v in l2], dtype="string"),
        "effective_date": pick["effective_date"].to_numpy(),
        "backfilled": pick["backfilled"].to_numpy(dtype=bool),
    }).sort_values("code", ignore_index=True)
    return mark_real(out, "Shenwan (申万) SW2021 stock classification history (StockClassifyUse_stock.xls)")


def industry_l1(codes: Iterable | pd.Series, *, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Return the Shenwan SW2021 level-1 industry of each stock code: one row per code given, in its order.

    The one place that derives a stock's level-1 industry (``sw_l1_code``, its English name ``sw_l1_en`` for
    figures and the Chinese ``sw_l1_name``) from :func:`stock_industries`; analyses and notebooks call this
    instead of merging the classification themselves.

    Parameters
    ----------
    codes : iterable or Series
        Stock codes in any usual form (``600000``, ``600000.SH``, ``sh600000``, ``600000`` as an integer). A
        Series keeps its index, so the result aligns with the frame it came from.
    as_of : date-like, optional
        Point in time of the classification, as in :func:`stock_industries` (default: the latest assignment).

    Returns
    -------
    pandas.DataFrame
        ``code`` (six digits), ``sw_l1_code`` (Int64), ``sw_l1_en`` and ``sw_l1_name`` (string); missing where the
        value is not a stock code or the stock has no SW2021 assignment.

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When the Shenwan files (source ``shenwan``) are absent.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     ind = industry_l1(["300750.SZ", "sh600519", 586, "999999"])
    >>> ind["sw_l1_en"].tolist()
    ['Power Equipment', 'Food & Beverage', 'Telecoms', <NA>]
    >>> ind["code"].tolist()[2], ind["sw_l1_code"].tolist()[2]
    ('000586', 730000)
    """
    given = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype=object)
    code = normalize_code(given.astype(object))
    ind = stock_industries(as_of).set_index("code")
    out = pd.DataFrame({"code": code.astype("string")}, index=given.index)
    out["sw_l1_code"] = code.map(ind["sw_l1_code"]).astype("Int64")
    out["sw_l1_en"] = code.map(ind["sw_l1_en"]).astype("string")
    out["sw_l1_name"] = code.map(ind["sw_l1_name"]).astype("string")
    return mark_real(out, "Shenwan (申万) SW2021 stock classification history (StockClassifyUse_stock.xls)")


def first_classified() -> pd.Series:
    """Return the first date each stock code entered the Shenwan classification history (about its listing).

    The history keeps delisted stocks, so this is the reference for stocks known to exist at a date
    (:func:`lgresearch.prices.survivorship_report`).

    Returns
    -------
    pandas.Series
        First ``计入日期`` per code (index ``code``, six digits), every classification system counted.

    Raises
    ------
    lgresearch.paths.MissingExternalData
        When the Shenwan files (source ``shenwan``) are absent.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     first = first_classified()
    >>> first["300750"]
    Timestamp('2021-07-30 00:00:00')
    """
    sw, _ = _shenwan_raw(str(paths.external_dir()))
    frame = pd.DataFrame({"code": normalize_code(sw["股票代码"]), "d": pd.to_datetime(sw["计入日期"])})
    return frame.dropna().groupby("code")["d"].min().rename("first_classified")
