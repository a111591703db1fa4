"""Official facts: reading a facts CSV (any encoding) and validating it, every failure naming file, row and column.

Examples
--------
>>> from lgresearch.official.schema import PROVINCE_FILE, PROVINCE_SCHEMA
>>> frame = _read_simple(PROVINCE_FILE, PROVINCE_SCHEMA, {"batch": "Int64", "count": "Int64"}, None)
>>> int(frame["count"].min()) >= 0
True
"""

from __future__ import annotations

import io as _io
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lgresearch import paths
from lgresearch.errors import InputError
from lgresearch.io import decode_text
from lgresearch.official.schema import FACTS_SCHEMA, SOURCE_LINE
from lgresearch.provenance import mark_real

__all__: list[str] = []

def _parse_csv(path: Path, columns: list[str] | None) -> pd.DataFrame:
    """The CSV as a frame of strings; any reading failure is an InputError naming the file (and line)."""
    if not path.is_file():
        raise InputError(path.name, None, None, f"official facts file not found in {path.parent}; check the "
                                                f"directory argument")
    text, _enc = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise InputError(path.name, None, None, "the file is empty; it needs a header row "
                                                f"({', '.join(columns or [])}) and one fact per row")
    try:
        raw = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as exc:
        raise InputError(path.name, None, None, f"no columns could be read ({exc}); the first line must be the "
                                                f"header") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(path.name, int(m.group(1)) if m else None, None,
                         f"malformed CSV ({str(exc).strip()}); quote any field that contains a comma and give "
                         f"every row the same number of fields") from None
    if columns is not None:
        missing = [c for c in columns if c not in raw.columns]
        if missing:
            raise InputError(path.name, 1, missing[0], f"column missing from the header (found "
                                                       f"{list(raw.columns)}); the file needs columns {columns}")
    return raw


def _read_csv(path: Path, dtypes: dict[str, str], columns: list[str] | None = None) -> pd.DataFrame:
    """Read a facts CSV as strings, then convert the typed columns, naming the first bad cell."""
    raw = _parse_csv(path, columns)
    out = raw.copy()
    for col, kind in dtypes.items():
        if col not in raw.columns:
            raise InputError(path.name, None, col, "column missing")
        text = raw[col].str.strip()
        if kind == "Int64":
            num = pd.to_numeric(text.replace("", np.nan), errors="coerce")
            bad = (text != "") & (num.isna() | (num % 1 != 0))
            _raise_first(path, bad, col, raw, "not a whole number")
            out[col] = num.astype("Int64")
        elif kind == "float":
            num = pd.to_numeric(text.replace("", np.nan), errors="coerce")
            _raise_first(path, num.isna(), col, raw, "not a number")
            out[col] = num.astype(float)
        elif kind == "bool":
            low = text.str.lower()
            _raise_first(path, ~low.isin(["true", "false"]), col, raw, "must be true or false")
            out[col] = low == "true"
    return out


def _raise_first(path: Path, bad: pd.Series, col: str, raw: pd.DataFrame, msg: str) -> None:
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path.name, i + 2, col, f"{msg}: {raw[col].iloc[i]!r}")


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """Validate with pandera; re-raise the first failure as an InputError naming file, row and column."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        first = cases.iloc[0]
        index = first.get("index")
        column = first.get("column")
        row = int(index) + 2 if index is not None and pd.notna(index) else None
        check = str(first.get("check"))
        value = first.get("failure_case")
        if "value_type" in check:
            column = "value"  # a frame-wide check: the offending cell is the value
            value = frame.loc[index, "value"] if index in frame.index else value
        elif column is None or (isinstance(column, float) and np.isnan(column)):
            column = None
        raise InputError(path.name, row, None if column is None else str(column),
                         f"failed check {check} (value {value!r}); {len(cases)} failure(s) in all") from None


@lru_cache(maxsize=8)
def _facts_cached(path_str: str) -> pd.DataFrame:
    path = Path(path_str)
    frame = _read_csv(path, {"batch": "Int64", "chosen": "bool"}, list(FACTS_SCHEMA.columns))
    for col in ("unit", "as_of", "reason"):
        frame[col] = frame[col].replace("", None)
    frame = _validate(frame, FACTS_SCHEMA, path)
    _check_one_chosen(frame, path)
    return frame


def _check_one_chosen(frame: pd.DataFrame, path: Path) -> None:
    key = ["topic", "batch", "metric", "as_of"]
    grouped = frame.assign(batch=frame["batch"].astype("string").fillna(""),
                           as_of=frame["as_of"].astype("string").fillna(""))
    n_chosen = grouped.groupby(key, dropna=False)["chosen"].transform("sum")
    bad = n_chosen != 1
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path.name, i + 2, "chosen",
                         f"{int(n_chosen.iloc[i])} chosen values for {frame['metric'].iloc[i]!r}; "
                         "exactly one is required")
    unexplained = ~frame["chosen"] & frame["reason"].isna()
    if unexplained.any():
        i = int(np.flatnonzero(unexplained.to_numpy())[0])
        raise InputError(path.name, i + 2, "reason", "a candidate value that is not chosen needs a reason")


def _read_simple(name: str, schema: pa.DataFrameSchema, dtypes: dict[str, str],
                 directory: Path | None) -> pd.DataFrame:
    path = (directory or paths.official_dir()) / name
    frame = _read_csv(path, dtypes, list(schema.columns))
    for col, spec in schema.columns.items():
        if spec.nullable and col in frame.columns and dtypes.get(col) is None:
            frame[col] = frame[col].replace("", None)
    return mark_real(_validate(frame, schema, path), SOURCE_LINE)
