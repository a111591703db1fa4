"""The A-share universe: every code of the vendor stock lists with board, name, region, industry and size.

Examples
--------
>>> from lgresearch import datasets
>>> with datasets.as_external():
...     u = stock_universe()
>>> u.set_index("code").loc["920475", "board"]
'BSE'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, overload

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch._compat import renamed_kwargs
from lgresearch.ledger import Ledger
from lgresearch.listed.codes import _bse_code_map_cached, resolve_codes
from lgresearch.listed.files import STOCKLIST_2024, STOCKLIST_2025, _read_csv_str
from lgresearch.listed.industries import stock_industries
from lgresearch.provenance import mark_real
from lgresearch.securities import board_of, normalize_code

__all__ = ["stock_universe"]

def _codes_accounted(raw: pd.Series, label: str, led: Ledger) -> tuple[pd.Series, np.ndarray]:
    """Normalise a stock list's code column and record every row: kept, or dropped as a malformed code."""
    code = normalize_code(raw)
    rows = np.arange(2, len(raw) + 2)
    bad = code.isna().to_numpy()
    led.add(label, rows[bad], "dropped", reason="malformed code")
    led.add(label, rows[~bad], "kept")
    return code, bad


@lru_cache(maxsize=4)
def _universe_cached(ext: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    led = Ledger()
    parts = []
    mapping = _bse_code_map_cached(ext)
    if paths.has_external(*STOCKLIST_2025):
        df = _read_csv_str(paths.external_path(*STOCKLIST_2025))
        code, bad = _codes_accounted(df["symbol"], "/".join(STOCKLIST_2025), led)
        parts.append(pd.DataFrame({
            "code": resolve_codes(code[~bad], mapping).to_numpy(), "source_code": code[~bad].to_numpy(),
            "name": df.loc[~bad, "name"].to_numpy(), "exchange": df.loc[~bad, "ts_code"].str[-2:].to_numpy(),
            "area": df.loc[~bad, "area"].to_numpy(), "tushare_industry": df.loc[~bad, "industry"].to_numpy(),
            "list": "2025_11"}))
    if paths.has_external(*STOCKLIST_2024):
        df = pd.read_csv(paths.external_path(*STOCKLIST_2024), dtype={"code": str}, encoding="utf-8-sig")
        code, bad = _codes_accounted(df["code"], "/".join(STOCKLIST_2024), led)
        parts.append(pd.DataFrame({
            "code": resolve_codes(code[~bad], mapping).to_numpy(), "source_code": code[~bad].to_numpy(),
            "name": df.loc[~bad, "name"].astype(str).str.replace(r"\s+", "", regex=True).to_numpy(),
            "total_mcap_2024_06": pd.to_numeric(df.loc[~bad, "总市值"], errors="coerce").to_numpy(),
            "float_mcap_2024_06": pd.to_numeric(df.loc[~bad, "流通市值"], errors="coerce").to_numpy(),
            "em_industry": df.loc[~bad, "行业"].to_numpy(), "list": "2024_06"}))
    if not parts:
        raise paths.MissingExternalData(paths.external_path(*STOCKLIST_2025))
    allrows = pd.concat(parts, ignore_index=True)
    a25 = allrows[allrows["list"] == "2025_11"].drop_duplicates("code").set_index("code")
    a24 = allrows[allrows["list"] == "2024_06"].drop_duplicates("code").set_index("code")
    codes = sorted(set(a25.index) | set(a24.index))
    out = pd.DataFrame({"code": pd.array(codes, dtype="string")})
    out["name"] = out["code"].map(a25["name"]).fillna(out["code"].map(a24["name"])).astype("string")
    for col in ("exchange", "area", "tushare_industry"):
        out[col] = out["code"].map(a25[col]).astype("string") if col in a25 else pd.NA
    for col in ("total_mcap_2024_06", "float_mcap_2024_06"):
        out[col] = out["code"].map(a24[col]).astype(float) if col in a24 else np.nan
    out["em_industry"] = out["code"].map(a24["em_industry"]).astype("string") if "em_industry" in a24 else pd.NA
    out["in_list_2025_11"] = out["code"].isin(a25.index)
    out["in_list_2024_06"] = out["code"].isin(a24.index)
    board = board_of(out["code"])
    bj = set(out.loc[out["exchange"] == "BJ", "code"]) | set(out.loc[board == "BSE/NEEQ", "code"])
    board = board.mask((board == "BSE/NEEQ") & out["code"].isin(bj), "BSE")
    out["board"] = board.astype("string")
    try:
        ind = stock_industries()
        out = out.merge(ind[["code", "sw_l1_code", "sw_l1_en", "sw_l1_name"]], on="code", how="left")
    except FileNotFoundError:
        out["sw_l1_code"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["sw_l1_en"] = pd.array([pd.NA] * len(out), dtype="string")
        out["sw_l1_name"] = pd.array([pd.NA] * len(out), dtype="string")
    out["log_float_mcap_2024_06"] = np.log(out["float_mcap_2024_06"].where(out["float_mcap_2024_06"] > 0))
    return out, led.frame()


@overload
def stock_universe(*, return_ledger: Literal[False] = ...) -> pd.DataFrame: ...
@overload
def stock_universe(*, return_ledger: Literal[True]) -> tuple[pd.DataFrame, Ledger]: ...
@overload
def stock_universe(*, return_ledger: bool) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]: ...
@renamed_kwargs(with_ledger="return_ledger")
def stock_universe(*, return_ledger: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Return every A-share code in the vendor stock lists, with board, name, region, industry and size.

    Sources: the tushare stock list of about 2025-11 (``LYH-RAIN__StockTradebyZ/stocklist.csv``: name, province,
    tushare industry) and the Eastmoney snapshot of 2024-06-28 (``tszlam__trading/stock_list.csv``: total and float
    market cap in RMB). Shenwan level-1 industry from :func:`stock_industries`. Old BSE codes are resolved to
    ``920xxx`` where the pair is known. Firms delisted before 2024-06 are not in either list (see
    :func:`lgresearch.prices.survivorship_report`).

    Parameters
    ----------
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: ``(frame, ledger)``.

    Returns
    -------
    DataFrame with ``code, name, board, exchange, area, tushare_industry, em_industry, total_mcap_2024_06,
    float_mcap_2024_06, log_float_mcap_2024_06, sw_l1_code, sw_l1_en, sw_l1_name, in_list_2025_11,
    in_list_2024_06``.

    Examples
    --------
    >>> from lgresearch import datasets
    >>> with datasets.as_external():
    ...     u = stock_universe()
    >>> bool(u["board"].value_counts()[["Main", "ChiNext", "STAR", "BSE"]].gt(0).all())
    True
    """
    frame, led = _universe_cached(str(paths.external_dir()))
    out = mark_real(frame.copy(), "tushare stock list ~2025-11 (LYH-RAIN), Eastmoney stock list 2024-06-28 "
                                  "(tszlam), Shenwan SW2021")
    return (out, Ledger.from_frame(led)) if return_ledger else out
