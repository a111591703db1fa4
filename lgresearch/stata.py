"""Plain data and Stata files: :func:`to_plain`, :func:`to_stata` and the variable labels of the vocabulary.

A foundation module, so that every layer can save its results: result objects have ``.to_stata(path)``
(:class:`lgresearch.results.FrameResult`), and any DataFrame, such as a designation panel, gets the same through
the ``lgresearch`` accessor registered here (``panel.lgresearch.to_stata("panel.dta")``). Stata format 118 holds
Chinese text; every column gets a variable label, from :data:`LABELS` unless given.

Examples
--------
>>> import os, tempfile
>>> import pandas as pd
>>> panel = pd.DataFrame({"firm_id": ["甲科技有限公司"], "batch": [3]})
>>> path = panel.lgresearch.to_stata(os.path.join(tempfile.mkdtemp(), "panel.dta"))
>>> with pd.io.stata.StataReader(path) as reader:
...     reader.variable_labels()["batch"]
'National Little Giant batch (1-7)'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch.errors import InputError

__all__ = ["LABELS", "to_plain", "to_stata", "StataAccessor"]

#: Default Stata variable labels (the package's vocabulary; at most 80 characters each).
LABELS: dict[str, str] = {
    # firms and codes
    "firm_id": "Normalised firm ID (lgresearch)",
    "firm_name": "Registered firm name as written",
    "short_name": "Short (brand) name",
    "name": "Firm name as listed",
    "name_as_listed": "Firm name as printed in the list file",
    "core": "Core of the firm name (no region, no legal form)",
    "id_type": "Kind of firm_id (uscc or name)",
    "uscc": "Unified social credit code",
    "code": "Six-digit stock code",
    "board": "Stock board (Main, ChiNext, STAR, BSE)",
    # designations
    "batch": "National Little Giant batch (1-7)",
    "list_type": "List type (batch list, review, ...)",
    "designation_date": "Designation date",
    "designation_precision": "Precision of designation_date (day, month, year)",
    "event_date": "Designation date (panel event date)",
    "cohort": "Cohort: first treated period",
    "cohort_year": "Cohort: year of designation",
    "review_year": "Year of the three-year review",
    "review_outcome": "Outcome of the three-year review",
    "launch_date": "Date the batch was launched",
    "publicity_start": "First day of the publicity window",
    "publicity_end": "Last day of the publicity window",
    "announcement_date": "Date the final list was announced",
    "province": "Province",
    "province_code": "Province code (GB/T 2260)",
    "province_en": "Province (English)",
    "city": "Prefecture-level city",
    "city_en": "City (English)",
    "issuer": "Issuer of the list",
    "separately_planned": "Separately planned city (计划单列市)",
    "n_sources": "Number of list rows merged into this row",
    "province_conflict": "List files disagree on the province",
    "source_file": "Source file",
    "source_row": "Row in the source file",
    "source_rows": "Rows in the source file (;-separated)",
    # deal events
    "event_id": "Financing event ID",
    "source": "Data source (vendor)",
    "country": "Country as written",
    "industry_vendor": "Vendor's industry",
    "industry_gb": "National-standard (GB) industry",
    "date": "Event date",
    "date_precision": "Precision of date (day, month, year)",
    "year": "Calendar year",
    "round_raw": "Round as written",
    "round_std": "Standardised round",
    "stage_order": "Position on the stage ladder",
    "category": "Round category",
    "investment_type": "Vendor's deal type",
    "currency": "Reported currency (ISO code)",
    "amount_reported": "Amount in the reported currency",
    "amount_cny": "Amount, CNY",
    "amount_cny_low": "Amount, lower bound, CNY",
    "amount_cny_high": "Amount, upper bound, CNY",
    "amount_disclosed": "Some amount was disclosed (0/1)",
    "amount_status": "How the amount was disclosed",
    "stake_pct": "Equity stake bought, percent",
    "post_money_cny": "Post-money valuation, CNY",
    "valuation_basis": "Valuation reported or implied (amount / stake)",
    "investors": "Investors as written (;-separated)",
    "n_investors": "Number of investors",
    "listed_exchange": "Exchange where the firm is listed",
    # step-ups
    "event_id_prev": "Previous valued round: event ID",
    "date_prev": "Previous valued round: date",
    "days": "Days between the two rounds",
    "precise": "Both dates known to the day (0/1)",
    "round_std_prev": "Previous valued round: standardised round",
    "stage_order_prev": "Previous valued round: stage position",
    "category_prev": "Previous valued round: category",
    "post_money_cny_prev": "Previous valued round: post-money, CNY",
    "step_up": "Valuation step-up: post-money / previous post-money",
    "log_step_up": "Log valuation step-up",
    "annual_log_step_up": "Log step-up per 365.25 days",
    "within_6m": "Rounds at most 183 days apart (0/1)",
    "valuation_basis_prev": "Previous valued round: valuation basis",
    "designated_between": "Designated between the two rounds (0/1)",
    "designated_before_prev": "Designated on or before the previous round (0/1)",
    "days_since_designation": "Days from designation to this round",
    "relative_to_designation": "Pair relative to designation (before/straddles/after/unknown)",
    "match_method": "How the firm was linked",
    "match_score": "Linking score",
    # prices and events
    "ret": "Daily return",
    "gap": "Sessions spanned by the return",
    "limit": "Price-limit day (+1 up, -1 down, 0)",
    "car": "Cumulative abnormal return",
    "provenance": "Provenance (real or simulated)",
}

_STATA_MAX_LABEL = 80


def _cell_text(value: object) -> object:
    """Text for a cell holding a list, tuple, set, dict or array; other values unchanged."""
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value


def _plain_column(col: pd.Series) -> pd.Series:
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return col.astype("string")
    if isinstance(dtype, pd.DatetimeTZDtype):
        return col.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_timedelta64_dtype(dtype):
        return col.dt.total_seconds() / 86400.0
    if pd.api.types.is_object_dtype(dtype):
        values = col.map(_cell_text)
        non_null = values.dropna()
        if len(non_null) and non_null.map(lambda v: isinstance(v, str)).all():
            return values.astype("string")
        if len(non_null) and non_null.map(lambda v: isinstance(v, (int, float, np.number, bool))).all():
            return pd.to_numeric(values, errors="coerce")
        return values.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                          ).astype("string")
    return col


def to_plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` that holds plain data only: ready for parquet, CSV and Stata.

    Lists, tuples and arrays in cells become ``;``-joined text, dicts JSON text, categoricals text, time-zone
    aware dates UTC dates, durations days. ``attrs`` keep only their text values (provenance and source); a
    ``RangeIndex`` is dropped, any other index becomes columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any result frame.

    Returns
    -------
    pandas.DataFrame
        A new frame with plain columns and text-only ``attrs``.

    Examples
    --------
    >>> df = pd.DataFrame({"code": pd.Categorical(["600519"]), "rows": [[3, 4]]})
    >>> df.attrs["paths"] = object()
    >>> out = to_plain(df)
    >>> out["rows"].tolist(), str(out["code"].dtype), out.attrs
    (['3;4'], 'string', {})
    """
    out = frame.copy()
    if not isinstance(out.index, pd.RangeIndex):
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    for name in out.columns:
        out[name] = _plain_column(out[name])
    out.attrs = {k: v for k, v in frame.attrs.items() if isinstance(k, str) and isinstance(v, str)}
    return out


def _stata_columns(plain: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Stata-ready columns: 0/1 for booleans, floats for nullable numbers, "" for missing text; date formats."""
    out = pd.DataFrame(index=plain.index)
    dates: dict[str, str] = {}
    for name in plain.columns:
        col = plain[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            out[name] = col.astype("float64") if col.isna().any() else col.astype("int8")
        elif pd.api.types.is_datetime64_any_dtype(col.dtype):
            out[name] = col.astype("datetime64[ns]")
            dates[name] = "td"
        elif pd.api.types.is_numeric_dtype(col.dtype):
            if col.isna().any() or col.dtype.kind in "uf":
                out[name] = col.astype("float64").replace([np.inf, -np.inf], np.nan)
            else:
                out[name] = col.to_numpy(dtype=col.dtype.numpy_dtype if hasattr(col.dtype, "numpy_dtype")
                                         else col.dtype)
        else:
            out[name] = col.astype("string").fillna("").astype(object)
    return out, dates


def to_stata(frame: pd.DataFrame, path: str | Path, *, labels: Mapping[str, str] | None = None,
             data_label: str | None = None) -> Path:
    """Write a frame to a Stata ``.dta`` file (format 118, Unicode) with a variable label on every column.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any result frame; it is made plain first (:func:`to_plain`).
    path : str or pathlib.Path
        Output file (parent folders are created).
    labels : mapping of column -> label, optional
        Labels that replace or extend :data:`LABELS`; a column with no label gets its own name. Labels longer than
        80 characters (Stata's limit) are cut.
    data_label : str, optional
        The dataset label (default: the frame's ``attrs["source"]``, cut to 80 characters).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    lgresearch.errors.InputError
        A column name Stata cannot hold (more than 32 characters or not a valid name): rename it first.

    Notes
    -----
    Stata has no missing text value: missing text is written as ``""``. Booleans are written 0/1, dates as ``%td``
    (day precision; carry ``*_precision`` columns to keep coarser precision), nullable integers as doubles, and
    infinite values (open-ended upper bounds such as ``amount_cny_high``) as missing: Stata has no infinity.

    Examples
    --------
    >>> import tempfile, os
    >>> df = pd.DataFrame({"firm_id": ["甲科技有限公司"], "batch": [3], "designated": [True],
    ...                    "designation_date": pd.to_datetime(["2021-07-19"])})
    >>> p = to_stata(df, os.path.join(tempfile.mkdtemp(), "panel.dta"), labels={"designated": "Designated (0/1)"})
    >>> back = pd.read_stata(p)
    >>> back["firm_id"].tolist(), back["designated"].tolist(), back["designation_date"].dt.year.tolist()
    (['甲科技有限公司'], [1], [2021])
    """
    plain = to_plain(frame)
    bad = [c for c in plain.columns if len(c) > 32 or not (c[:1].isalpha() or c[:1] == "_")
           or not all(ch.isalnum() or ch == "_" for ch in c)]
    if bad:
        raise InputError(Path(path).name, None, None, f"column name(s) {bad} cannot be Stata variable names "
                         "(at most 32 letters, digits or underscores, not starting with a digit); "
                         "rename them first, e.g. "
                         "frame.rename(columns={...}).")
    data, dates = _stata_columns(plain)
    vocab = {**LABELS, **dict(labels or {})}
    var_labels = {c: str(vocab.get(c, c))[:_STATA_MAX_LABEL] for c in data.columns}
    label = (data_label if data_label is not None else plain.attrs.get("source", ""))[:_STATA_MAX_LABEL]
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data.to_stata(target, write_index=False, version=118, convert_dates=dates, variable_labels=var_labels,
                  data_label=label or None)
    return target


@pd.api.extensions.register_dataframe_accessor("lgresearch")
class StataAccessor:
    """``frame.lgresearch``: save any frame as plain data or a labelled Stata file.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame the accessor is called on.

    Examples
    --------
    >>> df = pd.DataFrame({"code": pd.Categorical(["600519"])})
    >>> str(df.lgresearch.to_plain()["code"].dtype)
    'string'
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def to_plain(self) -> pd.DataFrame:
        """Return the frame as plain data (:func:`to_plain`).

        Returns
        -------
        pandas.DataFrame
            A plain copy.

        Examples
        --------
        >>> pd.DataFrame({"x": [[1, 2]]}).lgresearch.to_plain()["x"].tolist()
        ['1;2']
        """
        return to_plain(self._frame)

    def to_stata(self, path: str | Path, *, labels: Mapping[str, str] | None = None,
                 data_label: str | None = None) -> Path:
        """Write the frame to Stata format 118 with variable labels (:func:`to_stata`).

        Parameters
        ----------
        path : str or pathlib.Path
            Output file.
        labels : mapping of column -> label, optional
            Labels that replace or extend :data:`LABELS`.
        data_label : str, optional
            The dataset label.

        Returns
        -------
        pathlib.Path
            The file written.

        Examples
        --------
        >>> import os, tempfile
        >>> p = pd.DataFrame({"batch": [1]}).lgresearch.to_stata(os.path.join(tempfile.mkdtemp(), "b.dta"))
        >>> p.suffix
        '.dta'
        """
        return to_stata(self._frame, path, labels=labels, data_label=data_label)
