"""Batch labels (``第五批``, ``第 5 批``, ``五``, ``5``, ``batch 5``) → batch numbers: one parser, str or Series.

Examples
--------
>>> parse_batch("第五批专精特新“小巨人”企业名单")
5
>>> parse_batch(["第三批", "3", "batch 5", "第十批", None]).tolist()
[3, 3, 5, 10, <NA>]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import overload

import numpy as np
import pandas as pd

__all__ = ["parse_batch"]

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_BATCH_RE = re.compile(r"第\s*([一二三四五六七八九十]+|\d{1,2})\s*批")
_NUMBER_RE = re.compile(r"(?<!\d)(\d{1,2})(?:\.0+)?(?!\d)")


def _cn_number(token: str) -> int | None:
    if not token or not all(c in _CN_DIGITS or c == "十" for c in token):
        return None
    if "十" in token:
        left, _, right = token.partition("十")
        return (_CN_DIGITS.get(left, 1) if left else 1) * 10 + (_CN_DIGITS.get(right, 0) if right else 0)
    return _CN_DIGITS[token] if len(token) == 1 else None


def _one_batch(value: object, max_batch: int | None) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = _BATCH_RE.search(s)
    token = (m.group(1) if m else s).strip()
    if re.fullmatch(r"\d{1,2}(?:\.0+)?", token):
        got: int | None = int(float(token))
    else:
        got = _cn_number(token)
        if got is None and not m:
            numbers = re.findall(r"\d+", s)  # "batch 5", "b7", "3rd"; "5-6" or "2023 5" is not one batch
            n = _NUMBER_RE.search(s) if len(numbers) == 1 else None
            got = int(n.group(1)) if n else None
    if got is None or (max_batch is not None and not 1 <= got <= max_batch):
        return None
    return got


@overload
def parse_batch(values: pd.Series | list | tuple, *, max_batch: int | None = None) -> pd.Series: ...
@overload
def parse_batch(values: str | int | float | None, *, max_batch: int | None = None) -> int | None: ...
@overload
def parse_batch(values: object, *, max_batch: int | None = None) -> int | None | pd.Series: ...
def parse_batch(values: object, *, max_batch: int | None = None) -> int | None | pd.Series:
    """Parse batch labels to batch numbers; a string gives an int (or None), a Series or list an ``Int64`` Series.

    Parameters
    ----------
    values : str, int, Series or list-like
        One label (``"第五批"``, ``"第 5 批"``, ``"五"``, ``5``, ``"batch 5"``, ``"2023年第3批"``) or many. A string
        is one label (never iterated character by character).
    max_batch : int, optional
        The last valid batch (e.g. :data:`lgresearch.official.N_BATCHES`); numbers outside ``1..max_batch``
        are missing. By default any number read is returned, so callers can say "batch 9 is not official".

    Returns
    -------
    int, None or pandas.Series
        For one label the batch number or ``None``; for a Series (index kept) or list-like an ``Int64``
        Series with ``<NA>`` where no batch can be read.

    Examples
    --------
    >>> parse_batch("第五批"), parse_batch("5"), parse_batch("十"), parse_batch("abc"), parse_batch("5-6")
    (5, 5, 10, None, None)
    >>> parse_batch(pd.Series(["2", "第六批", "b7", "x", "9"], index=[5, 6, 7, 8, 9]), max_batch=7).tolist()
    [2, 6, 7, <NA>, <NA>]
    """
    if isinstance(values, (str, bytes, int, float, np.integer, np.floating)) or values is None or values is pd.NA:
        return _one_batch(values, max_batch)
    if isinstance(values, pd.Series):
        out = [_one_batch(v, max_batch) for v in values.tolist()]
        return pd.Series([pd.NA if v is None else v for v in out], index=values.index, dtype="Int64",
                         name=values.name)
    if isinstance(values, Iterable):
        out = [_one_batch(v, max_batch) for v in values]
        return pd.Series([pd.NA if v is None else v for v in out], dtype="Int64")
    return _one_batch(values, max_batch)
