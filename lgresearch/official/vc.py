"""China venture-capital aggregates: growth within one vendor's series (never spliced across vendors).

Examples
--------
>>> g = vc_growth()
>>> sorted(g["basis"].unique())
['computed from two reported levels', 'growth as reported by the vendor']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lgresearch.official.tables import vc_aggregates
from lgresearch.provenance import mark_real

__all__ = ["vc_growth"]

def vc_growth(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year-on-year growth within each vendor and metric (never across vendors).

    Rows with ``basis`` "computed from two reported levels" compare annual periods; rows "growth as reported by
    the vendor" parse the vendor's own year-on-year figure (e.g. ``+60.4% YoY``). Only annual periods (``YYYY``)
    with both years present for the same vendor, geography, metric, unit *and source* are compared, so a vendor's
    early and revised vintages are never mixed.

    Parameters
    ----------
    frame : DataFrame, optional
        Yearly VC aggregates (default :func:`vc_aggregates`).

    Returns
    -------
    DataFrame
        Year-on-year growth of the VC aggregates.

    Examples
    --------
    >>> g = vc_growth()
    >>> computed = g[g["basis"].str.startswith("computed")]
    >>> round(computed.query("vendor == 'Preqin'")["growth"].item(), 3)
    0.506
    >>> round(computed.query("vendor == 'PitchBook' and unit == 'USD bn'")["growth"].item(), 3)
    -0.489
    """
    v = vc_aggregates() if frame is None else frame
    annual = v[v["period"].str.fullmatch(r"\d{4}") & (v["qualifier"].fillna("") == "")].copy()
    annual["year"] = annual["period"].astype(int)
    key = ["vendor", "geography", "metric", "unit", "source_url"]
    prev = annual.assign(year=annual["year"] + 1)[key + ["year", "value"]].rename(columns={"value": "value_prev"})
    out = annual.merge(prev, on=key + ["year"], how="inner")
    out["growth"] = out["value"] / out["value_prev"] - 1
    out["basis"] = "computed from two reported levels"
    cols = ["vendor", "geography", "metric", "unit", "period", "value_prev", "value", "growth", "basis",
            "source_url"]
    computed = out.drop(columns="period").rename(columns={"year": "period"})
    computed = computed.assign(period=computed["period"].astype(str))[cols]
    reported = v.assign(growth=v["reported_change"].map(_parse_reported_growth)).dropna(subset=["growth"])
    reported = reported.assign(value_prev=np.nan, basis="growth as reported by the vendor")[cols]
    both = pd.concat([computed, reported], ignore_index=True)
    return mark_real(both, "vendor aggregates in lgresearch/data/official/vc_aggregates.csv")


def _parse_reported_growth(text: str | None) -> float:
    """``'+60.4% YoY'`` → 0.604; ``'~+50% vs 2020'`` → 0.5; anything without a percentage → NaN."""
    if not isinstance(text, str):
        return np.nan
    m = re.search(r"([+-−]?\d+(?:\.\d+)?)%", text.replace("−", "-"))
    return float(m.group(1)) / 100 if m else np.nan
