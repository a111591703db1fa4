"""Price sets: the third-party price files, how each is read, and stock codes in the usual forms.

The third-party price sets (see ``PROVENANCE-deals-prices.md`` beside the data) differ in adjustment base (raw,
前复权 with bases 2024-06 / 2025-08 / 2025-09 / 2025-11) and in coverage (survivorship and a size filter). Price
*levels* are therefore never compared across sets.

Examples
--------
>>> [s.name for s in PRICE_SETS][:2]
['start2020', 'R11happy']
>>> SET_BY_NAME["tszlam"].close_col
'收盘'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths, securities
from lgresearch.ledger import InputError
from lgresearch.provenance import mark_real

__all__ = ["PRICES_SOURCE", "PriceSet", "PRICE_SETS", "SET_BY_NAME", "price_set_path", "available_price_sets",
           "read_price_set", "pa_array_of"]

PRICES_SOURCE = ("A-share daily prices: start2020/Multi-GCGRU (raw), R11happy, SebastienZh, tszlam, LYH-RAIN "
                 "StockTradebyZ (qfq); spliced on returns")


@dataclass(frozen=True)
class PriceSet:
    """One third-party price file and how to read it."""

    name: str
    folder: str
    file: str
    adjust: str
    date_col: str = "date"
    close_col: str = "close"
    high_col: str = "high"
    low_col: str = "low"
    pct_col: str | None = None  # vendor percent change used as the return (raw set)
    note: str = ""
    extra: tuple[str, ...] = field(default=())


#: The price sets in splice priority order (first wins for a session when several have a single-session return).
PRICE_SETS: tuple[PriceSet, ...] = (
    PriceSet("start2020", "start2020__Multi-GCGRU",
             "data__raw_data__all_stock_prices__daily_raw_20170530-20191128.parquet", "raw", pct_col="p_change",
             note="2017-05-30..2019-11-28, all boards, firms listed in 2019-12; return = exchange p_change"),
    PriceSet("R11happy", "R11happy__StockTradebyZ", "data__daily_qfq_20190102-20250822.parquet", "qfq 2025-08",
             note="2019-01..2025-08; firms listed in 2025-08 with market cap >= RMB 5bn (survivorship + size)"),
    PriceSet("LYH-RAIN", "LYH-RAIN__StockTradebyZ", "data__daily_qfq_20240102-20251121.parquet", "qfq 2025-11",
             note="2024-01..2025-11, full SH/SZ market (the file holds no BSE codes)"),
    PriceSet("SebastienZh", "SebastienZh__StockTradebyZ",
             "data__daily_qfq_20200102-20250930__codes_not_in_R11happy.parquet", "qfq 2025-09",
             note="2020-01..2025-09, main-board codes absent from R11happy"),
    PriceSet("tszlam", "tszlam__trading", "data__daily_qfq_20210104-20240626.parquet", "qfq 2024-06",
             date_col="日期", close_col="收盘", high_col="最高", low_col="最低",
             note="2021-01..2024-06, SH/SZ main + STAR, no ChiNext; 成交额 and 换手率 give float market cap",
             extra=("成交额", "换手率")),
)
SET_BY_NAME = {s.name: s for s in PRICE_SETS}


def price_set_path(name: str) -> Path:
    """Return the parquet path of a price set (it may not exist).

    Parameters
    ----------
    name : str
        A name from :data:`PRICE_SETS`.

    Returns
    -------
    Path
        Where the set's parquet file is expected under the third-party directory.

    Examples
    --------
    >>> price_set_path("LYH-RAIN").name
    'data__daily_qfq_20240102-20251121.parquet'
    """
    s = SET_BY_NAME[name]
    return paths.external_path(s.folder, s.file)


def available_price_sets() -> list[str]:
    """Return the names of the price sets present in the third-party directory.

    Returns
    -------
    list of str
        Names from :data:`PRICE_SETS` whose file exists under the third-party directory.

    Examples
    --------
    >>> isinstance(available_price_sets(), list)
    True
    """
    return [s.name for s in PRICE_SETS if price_set_path(s.name).exists()]


def _require_columns(path: Path, cols: Sequence[str]) -> None:
    """Raise :class:`InputError` naming the file and the first missing column (instead of Arrow's error)."""
    import pyarrow.parquet as pq

    try:
        have = set(pq.read_schema(path).names)
    except Exception as exc:  # noqa: BLE001 - any Arrow failure to read the footer is a bad file
        raise InputError(path.name, None, None, f"not a readable parquet file ({type(exc).__name__}: {exc}); "
                                                "re-export the price file") from exc
    for col in cols:
        if col not in have:
            raise InputError(path.name, None, col, f"column missing from the price file (it has {sorted(have)}); "
                                                   "rename the column or fix the PriceSet definition")


def read_price_set(name: str, *, codes: Iterable[str] | None = None, columns: Sequence[str] | None = None
                   ) -> pd.DataFrame:
    """Read one price set with harmonised column names (``code, date, close, high, low`` + extras).

    Price levels are the vendor's (raw or 前复权 on the set's own base): do not compare them across sets.

    Parameters
    ----------
    name : str
        A name from :data:`PRICE_SETS`.
    codes : iterable of str, optional
        Keep only these codes, in any usual form (``600000``, ``600000.SH``, ``sh600000``, ``600000``).
    columns : sequence of str, optional
        Vendor columns to add (e.g. ``["成交额", "换手率"]`` for tszlam).

    Returns
    -------
    DataFrame
        ``code, date, close, high, low`` plus the requested extra columns, one row per code and date.

    Examples
    --------
    >>> from lgresearch import datasets                       # sample files written by lgresearch
    >>> with datasets.as_external():
    ...     df = read_price_set("LYH-RAIN", codes=["300557"])
    >>> list(df.columns)[:3], df["code"].unique().tolist()
    (['code', 'date', 'close'], ['300557'])
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    s = SET_BY_NAME[name]
    path = paths.external_path(s.folder, s.file, must_exist=True)
    cols = ["code", s.date_col, s.close_col, s.high_col, s.low_col]
    cols += [c for c in ([s.pct_col] if s.pct_col else []) + list(columns or []) if c not in cols]
    _require_columns(path, cols)
    table = pq.read_table(path, columns=cols)
    if codes is not None:
        want = pa_array_of(_as_codes(codes))
        table = table.filter(pc.is_in(table.column("code").cast("string"), value_set=want))
    df = table.to_pandas()
    df = df.rename(columns={s.date_col: "date", s.close_col: "close", s.high_col: "high", s.low_col: "low"})
    df["code"] = df["code"].astype("string")
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    return mark_real(df, f"{s.folder}/{s.file} ({s.adjust})")


def pa_array_of(values: list[str]):
    """Return a pyarrow string array (helper for filters).

    Parameters
    ----------
    values : list of str
        Strings (e.g. stock codes).

    Returns
    -------
    pyarrow.Array
        A pyarrow string array of ``values``, for dataset filters.

    Examples
    --------
    >>> len(pa_array_of(["a", "b"]))
    2
    """
    import pyarrow as pa

    return pa.array(values, type=pa.string())



def _as_codes(codes: Iterable) -> list[str]:
    """Six-digit codes from the usual forms (``600000``, ``600000.SH``, ``sh600000``, integer ``600000``).

    Read with :func:`lgresearch.securities.normalize_code`; a value that is not a stock code raises
    :class:`InputError` rather than silently matching nothing.
    """
    values = [codes] if isinstance(codes, (str, int, np.integer)) else list(codes)
    read = [securities.normalize_code(v) for v in values]
    bad = [v for v, c in zip(values, read) if c is None]
    if bad:
        raise InputError("codes argument", None, None, f"{len(bad)} value(s) are not stock codes, e.g. {bad[:3]}. "
                         "Give six-digit codes ('600000'), with an exchange suffix or prefix ('600000.SH', 'sh600000') "
                         "or as integers; "
                         "drop missing values first.")
    return sorted({c for c in read if c is not None})  # none is None: checked above
