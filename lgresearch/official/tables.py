"""Official facts as tables: every fact row, one chosen value, published province counts, industry shares, VC
aggregates, listed counts and published totals.

Examples
--------
>>> fact_value("target_by_2025")
10000
>>> int(province_counts().query("batch == 5 and province == '江苏'")["count"].item())
795
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch.errors import MissingFactError
from lgresearch.official.files import _facts_cached, _read_simple
from lgresearch.official.schema import (
    FACTS_FILE, INDUSTRY_FILE, INDUSTRY_SCHEMA, PROVINCE_FILE, PROVINCE_SCHEMA, SOURCE_LINE, VC_FILE, VC_SCHEMA,
)
from lgresearch.provenance import mark_real

__all__ = ["facts", "fact_value", "province_counts", "industry_shares", "vc_aggregates", "listed_counts",
           "published_totals"]

def facts(directory: Path | None = None) -> pd.DataFrame:
    """Every official fact row, conflicting candidates included (``chosen`` marks the one used).

    Parameters
    ----------
    directory : Path, optional
        Folder holding ``facts.csv`` (default ``lgresearch/data/official``).

    Returns
    -------
    DataFrame
        Columns ``topic, batch, metric, value, value_type, unit, as_of, chosen, reason, source_url, source_note``.

    Examples
    --------
    >>> f = facts()
    >>> f.loc[(f["metric"] == "count_final") & (f["batch"] == 2), ["value", "chosen"]].values.tolist()
    [['1584', True], ['1744', False], ['1748', False]]
    """
    path = (directory or paths.official_dir()) / FACTS_FILE
    return mark_real(_facts_cached(str(path)).copy(), SOURCE_LINE)


def fact_value(metric: str, *, batch: int | None = None, as_of: str | None = None,
               directory: Path | None = None) -> float | str | pd.Timestamp:
    """Return the chosen value of one fact, typed (int/float/Timestamp/str).

    Parameters
    ----------
    metric : str
        The metric of :func:`facts` (e.g. ``count_final``).
    batch : int, optional
        The batch the fact is about.
    as_of : str, optional
        The as-of date of the fact, when a metric has several.
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    float, str or Timestamp
        The value of the chosen fact.

    Examples
    --------
    >>> fact_value("target_by_2025")
    10000
    >>> fact_value("review_passed", batch=1)
    142
    """
    f = facts(directory)
    sel = (f["metric"] == metric) & f["chosen"]
    if batch is not None:
        sel &= f["batch"] == batch
    if as_of is not None:
        sel &= f["as_of"] == as_of
    hit = f[sel]
    if len(hit) != 1:
        raise MissingFactError(FACTS_FILE, None, "metric",
                               f"{len(hit)} chosen facts match metric={metric!r}, batch={batch}, as_of={as_of}; "
                               f"exactly one is needed (add the fact with chosen=true, or check the metric name)")
    return _typed(hit["value"].iloc[0], hit["value_type"].iloc[0])


def _typed(value: str, vtype: str):
    if vtype == "count":
        return int(value)
    if vtype in ("share", "amount"):
        return float(value)
    if vtype == "date":
        return _to_timestamp(value)
    return value


def _to_timestamp(text: str | None) -> pd.Timestamp:
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return pd.NaT
    parts = [int(p) for p in str(text).split("-")]
    return pd.Timestamp(year=parts[0], month=parts[1] if len(parts) > 1 else 1, day=parts[2] if len(parts) > 2 else 1)


def _precision(text: str | None) -> str | None:
    if text is None or text == "" or (isinstance(text, float) and np.isnan(text)):
        return None
    return {1: "year", 2: "month", 3: "day"}[len(str(text).split("-"))]


def province_counts(directory: Path | None = None) -> pd.DataFrame:
    """Published per-province (and some per-city / per-region) counts by batch; partial, as published.

    ``batch`` 0 marks a cumulative count (``scope`` says as of when). Province names are Chinese short names.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published per-province counts with their sources.

    Examples
    --------
    >>> p = province_counts()
    >>> int(p.query("batch == 5 and province == '江苏'")["count"].item())
    795
    """
    return _read_simple(PROVINCE_FILE, PROVINCE_SCHEMA, {"batch": "Int64", "count": "Int64"}, directory)


def industry_shares(directory: Path | None = None) -> pd.DataFrame:
    """Published industry composition of Little Giants (shares in [0, 1]), with the classification basis.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published industry shares with their sources.

    Examples
    --------
    >>> s = industry_shares()
    >>> s.query("batch == 4 and industry == 'manufacturing'")["share"].item()
    0.65
    """
    return _read_simple(INDUSTRY_FILE, INDUSTRY_SCHEMA, {"batch": "Int64", "share": "float"}, directory)


def vc_aggregates(directory: Path | None = None) -> pd.DataFrame:
    """China venture-capital aggregates by vendor and period (never splice vendors into one series).

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        ``period, geography, vendor, metric, qualifier, value, unit, reported_change, source_url, source_note``.

    Examples
    --------
    >>> v = vc_aggregates()
    >>> v.query("vendor == 'Preqin' and period == '2021'")["value"].item()
    130.6
    """
    return _read_simple(VC_FILE, VC_SCHEMA, {"value": "float"}, directory)


def listed_counts(directory: Path | None = None) -> pd.DataFrame:
    """Listed Little Giants by board and date (chosen facts of topic ``listed``).

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published counts of listed Little Giants by batch, with sources.

    Examples
    --------
    >>> l = listed_counts()
    >>> int(l.query("metric == 'listed_a_share_total' and as_of == '2022-12-31'")["value"].item())
    643
    """
    f = facts(directory)
    out = f[(f["topic"] == "listed") & f["chosen"]].copy()
    out["value"] = out["value"].astype(int)
    return out.reset_index(drop=True)

def published_totals(directory: Path | None = None) -> pd.DataFrame:
    """Published cumulative totals (chosen values) with their date as a timestamp and a decimal year.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published totals with their sources.

    Examples
    --------
    >>> t = published_totals()
    >>> t.loc[t["value"] == 4762, "decimal_year"].round(2).item()
    2022.16
    """
    f = facts(directory)
    out = f[(f["topic"] == "total") & f["chosen"] & (f["metric"] == "cumulative_total")].copy()
    out["value"] = out["value"].astype(int)
    out["as_of_date"] = pd.to_datetime(out["as_of"].map(_to_timestamp))
    out["decimal_year"] = out["as_of_date"].dt.year + (out["as_of_date"].dt.day_of_year - 1) / 365.25
    return out[["as_of", "as_of_date", "decimal_year", "value", "source_url", "source_note"]].reset_index(drop=True)
