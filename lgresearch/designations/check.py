"""Checking a designation panel against the official counts, per batch and list type, and per province.

Examples
--------
>>> import pandas as pd
>>> from lgresearch.designations import build_panel
>>> f = pd.DataFrame({"name": ["甲科技有限公司"], "batch": 2, "list_type": "final", "province": "浙江"})
>>> chk = check_against_official(build_panel([f], write=False))
>>> chk.loc[chk["level"].eq("batch") & chk["batch"].eq(2) & chk["list_type"].eq("final"), "status"].item()
'partial'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch import official
from lgresearch.designations.schema import _official_batches
from lgresearch.provenance import mark_real

__all__ = ["check_against_official", "held_by_batch"]

_CHECK_COLUMNS = ["level", "batch", "list_type", "province", "found", "official", "coverage", "share_found",
                  "share_official", "status"]


def check_against_official(
    panel: pd.DataFrame,
    *,
    official_batches: pd.DataFrame | None = None,
    province_counts: pd.DataFrame | None = None,
    complete_share: float = 0.9,
) -> pd.DataFrame:
    """Compare the panel with the official counts, per batch and list type, and per province.

    Parameters
    ----------
    panel : DataFrame from :func:`build_panel`
    official_batches, province_counts : DataFrame, optional
        Default :func:`lgresearch.official.batches` and :func:`lgresearch.official.province_counts`.
    complete_share : float
        Coverage above which a batch is treated as complete enough to judge province shares.

    Returns
    -------
    DataFrame
        One row per (level, batch, list_type, province): ``level`` is ``batch`` or ``province``; ``found``
        (firms in the panel), ``official`` (published count: publicity, final or review passes for a batch; the
        published province or separately-planned-city count where there is one), ``coverage`` = found /
        official, ``share_found`` and ``share_official`` (province shares of the batch), and ``status``:
        ``complete``, ``partial``, ``none read``, ``more than official`` (duplicates, a wrong batch, or a list
        of another type), ``no official count``, or ``implausible share`` (the batch is read almost completely
        but the province's share is far from the published one, or above 30% where nothing is published).

    Examples
    --------
    >>> from lgresearch.designations import build_panel
    >>> f = pd.DataFrame({"name": [f"企业{i}有限公司" for i in range(3)], "batch": 1, "list_type": "final",
    ...                   "province": "北京"})
    >>> chk = check_against_official(build_panel([f], write=False))
    >>> chk.loc[chk["level"].eq("batch") & chk["batch"].eq(1) & chk["list_type"].eq("final"),
    ...         ["found", "official", "status"]].values.tolist()
    [[3, 248, 'partial']]
    """
    ob = official_batches if official_batches is not None else _official_batches()
    if province_counts is None:
        province_counts = official.province_counts()
    batch_rows = _batch_rows(panel, ob)
    parts = [batch_rows]
    prov_rows = _province_rows(panel, province_counts, batch_rows, complete_share) if len(panel) else []
    if prov_rows:
        # same dtypes as the batch rows (whose province is all missing), so no all-NA column decides a dtype
        prov = pd.DataFrame(prov_rows)
        parts.append(prov.assign(province=prov["province"].astype(object),
                                 official=prov["official"].astype("float64")))
    out = pd.concat(parts, ignore_index=True)
    for c in ("share_found", "share_official"):
        if c not in out.columns:
            out[c] = np.nan
    out["official"] = out["official"].astype("Int64")
    return mark_real(out[_CHECK_COLUMNS], "designation panel vs official counts (lgresearch.official)")


def _batch_rows(panel: pd.DataFrame, ob: pd.DataFrame) -> pd.DataFrame:
    """One row per batch and list type: found, official, coverage and status."""
    found = panel.groupby(["batch", "list_type"]).size().rename("found")
    rows = []
    for r in ob.itertuples(index=False):
        for lt, col in (("publicity", "count_publicity"), ("final", "count_final"),
                        ("review_passed", "review_passed")):
            off = getattr(r, col)
            n = int(found.get((r.batch, lt), 0))
            off = None if pd.isna(off) else int(off)
            rows.append({"level": "batch", "batch": int(r.batch), "list_type": lt, "province": None,
                         "found": n, "official": off})
    batch_rows = pd.DataFrame(rows)
    batch_rows["coverage"] = batch_rows["found"] / batch_rows["official"].astype(float)
    batch_rows["status"] = [_status(f, o) for f, o in zip(batch_rows["found"], batch_rows["official"],
                                                          strict=True)]
    return batch_rows


def _province_table(panel: pd.DataFrame, province_counts: pd.DataFrame) -> pd.DataFrame:
    """Firms found per batch, list type and province (and separately planned city), with the published count."""
    by_issuer = panel.groupby(["batch", "list_type", "province"]).size().rename("found").reset_index()
    spc = panel[panel["separately_planned"].astype(bool)]
    by_city = spc.groupby(["batch", "list_type", "issuer"]).size().rename("found").reset_index() \
        .rename(columns={"issuer": "province"})
    by_city["unit"] = "city"
    by_issuer["unit"] = "province"
    table = pd.concat([by_issuer, by_city], ignore_index=True)
    pc = province_counts.copy()
    pc = pc[pc["unit"].isin(["province", "city"])]
    pc = pc.rename(columns={"scope": "list_type", "count": "official"})
    pc["batch"] = pc["batch"].astype("int64")
    table["batch"] = table["batch"].astype("int64")
    return table.merge(pc[["batch", "list_type", "unit", "province", "official"]],
                       on=["batch", "list_type", "unit", "province"], how="left")


def _province_rows(panel: pd.DataFrame, province_counts: pd.DataFrame, batch_rows: pd.DataFrame,
                   complete_share: float) -> list[dict]:
    """One row per province (or city) read: coverage, shares of the batch, and an implausible-share status."""
    totals = batch_rows.set_index(["batch", "list_type"])
    out = []
    for t in _province_table(panel, province_counts).itertuples(index=False):
        known = (t.batch, t.list_type) in totals.index
        tot_found = int(totals.loc[(t.batch, t.list_type), "found"]) if known else int(t.found)
        tot_off = totals.loc[(t.batch, t.list_type), "official"] if known else None
        cov = totals.loc[(t.batch, t.list_type), "coverage"] if known else np.nan
        off = None if pd.isna(t.official) else int(t.official)
        share_found = t.found / tot_found if tot_found else np.nan
        share_off = off / float(tot_off) if off is not None and tot_off and not pd.isna(tot_off) else np.nan
        status = _status(int(t.found), off)
        if pd.notna(cov) and cov >= complete_share:
            if pd.notna(share_off) and (abs(share_found - share_off) > 0.05
                                        and not 0.5 <= share_found / share_off <= 2):
                status = "implausible share"
            elif pd.isna(share_off) and share_found > 0.3:
                status = "implausible share"
        out.append({"level": "province" if t.unit == "province" else "separately planned city",
                    "batch": int(t.batch), "list_type": t.list_type, "province": t.province,
                    "found": int(t.found), "official": off,
                    "coverage": t.found / off if off else np.nan, "share_found": share_found,
                    "share_official": share_off, "status": status})
    return out


def _status(found: int, official: int | None) -> str:
    if official is None or pd.isna(official):
        return "no official count" if found else "none read"
    if found == 0:
        return "none read"
    if found == official:
        return "complete"
    if found > official:
        return "more than official"
    return "partial"


def held_by_batch(panel: pd.DataFrame, *, official_batches: pd.DataFrame | None = None,
                  lists: str = "firm lists held") -> pd.DataFrame:
    """Firms of each batch that the panel names, against the official final count.

    Parameters
    ----------
    panel : DataFrame
        The designation panel (:func:`lgresearch.designations.build_panel`).
    official_batches : DataFrame, optional
        Batch facts (default :func:`lgresearch.official.batches`).
    lists : str, default "firm lists held"
        What the panel was built from, for the source line (``attrs``).

    Returns
    -------
    DataFrame
        ``batch, count_final, held, share_held``: one row per official batch (``held`` is 0 for a batch the panel
        does not name).

    Examples
    --------
    >>> from lgresearch.designations import build_panel
    >>> f = pd.DataFrame({"name": ["甲科技有限公司", "乙科技有限公司"], "batch": 1, "list_type": "final",
    ...                   "province": "北京"})
    >>> held_by_batch(build_panel([f], write=False))[["batch", "count_final", "held"]].head(2).values.tolist()
    [[1, 248, 2], [2, 1584, 0]]
    """
    held = panel.groupby("batch")["firm_id"].nunique()
    ob = official_batches if official_batches is not None else _official_batches()
    cov = ob[["batch", "count_final"]].copy()
    cov["held"] = cov["batch"].map(held).fillna(0).astype(int)
    cov["share_held"] = cov["held"] / cov["count_final"]
    return mark_real(cov, f"official batch counts (lgresearch/data/official) and {lists}")
