"""Designation lists: the standard columns, list types, review outcomes and output file names.

Examples
--------
>>> LIST_TYPES
('publicity', 'final', 'review_passed')
>>> official_batch_numbers()[-1] >= 7
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch import official
from lgresearch._compat import TEXT_DTYPE

__all__ = [
    "LIST_TYPES", "REVIEW_OUTCOMES", "REVIEW_RESULTS", "LIST_COLUMNS", "PANEL_COLUMNS", "PANEL_FILE", "LEDGER_FILE",
    "CHECK_FILE", "official_batch_numbers",
]

#: List types: the publicity list (公示), the final list (认定/公告), and a review pass list (复核通过).
LIST_TYPES = ("publicity", "final", "review_passed")
#: Review outcomes carried by the panel (``failed`` / ``withdrawn``: a review result column said so).
REVIEW_OUTCOMES = ("passed", "failed", "withdrawn", "not on the pass list", "not yet reviewed",
                   "review list not supplied")
#: Values of a review-result column (复核结果) and the ``review_outcome`` they give (checked in this order).
REVIEW_RESULTS: tuple[tuple[str, str], ...] = (
    ("不通过", "failed"), ("未通过", "failed"), ("没通过", "failed"), ("不合格", "failed"), ("不予通过", "failed"),
    ("撤销", "withdrawn"), ("取消", "withdrawn"), ("撤回", "withdrawn"), ("放弃", "withdrawn"),
    ("注销", "withdrawn"), ("通过", "passed"), ("合格", "passed"), ("保留", "passed"),
)
#: Columns of :func:`read_list`.
LIST_COLUMNS = [
    "source_file", "source_row", "page", "seq_no", "raw_name", "name", "uscc", "province_code", "province",
    "province_en", "city", "city_en", "issuer", "separately_planned", "batch", "list_type", "list_date",
    "list_date_precision", "review_outcome",
]
#: Columns of :func:`build_panel`.
PANEL_COLUMNS = [
    "firm_id", "id_type", "name", "core", "uscc", "batch", "cohort_year", "list_type", "event_date",
    "designation_date", "designation_precision",
    "province_code", "province", "province_en", "city", "city_en", "issuer", "separately_planned",
    "launch_date", "publicity_start", "publicity_end", "announcement_date", "review_year", "review_outcome",
    "name_as_listed", "n_sources", "province_conflict", "source_file", "source_row",
]
#: Output file names written by :func:`build_panel` and :func:`cli_build`.
PANEL_FILE = "designations.parquet"
LEDGER_FILE = "designations_ledger.csv"
CHECK_FILE = "designations_check.csv"


def _official_batches() -> pd.DataFrame:
    return official.batches()


def official_batch_numbers() -> list[int]:
    """The national batches published so far (from :func:`lgresearch.official.batches`).

    Returns
    -------
    list of int
        The batch numbers.

    Examples
    --------
    >>> official_batch_numbers()
    [1, 2, 3, 4, 5, 6, 7]
    """
    return [int(b) for b in _official_batches()["batch"]]


def _not_official(batch: int) -> str:
    known = official_batch_numbers()
    return (f"batch {batch} is not an official national batch (batches {known[0]}–{known[-1]} are published); "
            f"correct the file or pass batch= explicitly")


def _empty_list_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in LIST_COLUMNS})


def _first_given(*candidates):
    """The first candidate that is not None (argument > row column > section heading > title > file name)."""
    return next((c for c in candidates if c is not None), None)


def _string_columns(frame: pd.DataFrame) -> pd.DataFrame:
    str_cols = ["source_file", "seq_no", "raw_name", "name", "uscc", "province_code", "province", "province_en",
                "city", "city_en", "issuer", "list_type", "list_date", "list_date_precision", "review_outcome"]
    frame = frame.copy()
    for c in str_cols:
        if c in frame.columns:
            vals = frame[c].astype(object).where(frame[c].notna(), np.nan)
            frame[c] = vals.astype(TEXT_DTYPE)
    return frame
