"""Designations meet deals: :func:`attach_designations` adds each firm's designation through entity links.

Examples
--------
>>> ATTACHED_COLUMNS
['designation_date', 'designation_precision', 'batch', 'match_method', 'match_score']
"""

from __future__ import annotations

import pandas as pd

from lgresearch.ledger import InputError
from lgresearch.link.firms import link_firms
from lgresearch.link.overrides import best_matches

__all__ = ["ATTACHED_COLUMNS", "attach_designations"]

#: Columns added by :func:`attach_designations`.
ATTACHED_COLUMNS = ["designation_date", "designation_precision", "batch", "match_method", "match_score"]


def _first_designations(panel: pd.DataFrame) -> pd.DataFrame:
    """The earliest designation of each panel firm (publicity or final list rows first; reviews are not new)."""
    date_col = "designation_date" if "designation_date" in panel.columns else "event_date"
    prec_col = next((c for c in ("designation_precision", f"{date_col}_precision") if c in panel.columns), None)
    missing = [c for c in ("firm_id", date_col) if c not in panel.columns]
    if missing:
        raise InputError("designation panel", None, missing[0],
                         f"lacks columns {missing}: pass the frame built by lgresearch.designations.build_panel "
                         "(firm_id, name, province, batch, designation date)")
    lt = panel["list_type"] if "list_type" in panel.columns else pd.Series("final", index=panel.index)
    d = pd.DataFrame({"left_id": panel["firm_id"], "designation_date": pd.to_datetime(panel[date_col]),
                      "designation_precision": (panel[prec_col].astype("string") if prec_col
                                                else pd.Series("day", index=panel.index, dtype="string")),
                      "batch": pd.array(pd.to_numeric(panel["batch"], errors="coerce"), dtype="Int64")
                      if "batch" in panel.columns else pd.array([pd.NA] * len(panel), dtype="Int64"),
                      "_review": lt.astype("string").eq("review_passed").fillna(False).to_numpy()})
    d = d[d["left_id"].notna()].sort_values(["left_id", "_review", "designation_date"], na_position="last",
                                            kind="stable")
    return d.drop_duplicates("left_id").drop(columns="_review")


def attach_designations(frame: pd.DataFrame, panel: pd.DataFrame, *, links: pd.DataFrame | None = None
                        ) -> pd.DataFrame:
    """Add each firm's designation to a deals or firms frame, through entity links.

    The designation panel's firms (``firm_id``, ``name``, ``province``) are linked to the frame's firms
    (``firm_id``, ``firm_name`` or ``name``, ``province``) with :func:`link_firms` unless ``links`` are given;
    :func:`best_matches` keeps the accepted pairs. Each panel firm's designation is its earliest publicity or
    final list row (review rows are not new designations); a frame firm linked to several panel firms takes the
    best-scored link, then the earliest designation.

    Parameters
    ----------
    frame : DataFrame
        Deal events (:mod:`lgresearch.deals`) or one row per firm, with ``firm_id``.
    panel : DataFrame
        Designation panel (:func:`lgresearch.designations.build_panel`): ``firm_id``, ``name``, ``province``,
        ``batch`` and ``designation_date`` (or ``event_date``), optionally ``designation_precision`` (or
        ``<date column>_precision``; day precision is assumed when neither exists) and ``list_type``.
    links : DataFrame, optional
        :func:`link_firms` pairs with the panel on the left and the frame on the right (``left_id``, ``right_id``,
        ``method``, ``score``, ``match``).

    Returns
    -------
    DataFrame
        ``frame`` with :data:`ATTACHED_COLUMNS`: ``designation_date``, ``designation_precision``, ``batch``,
        ``match_method`` and ``match_score`` (missing for firms not linked to a designated firm). Rows and order
        are unchanged; ``attrs`` are carried over.

    Raises
    ------
    InputError
        When a required column is missing or ``frame`` already has designation columns.

    Examples
    --------
    >>> panel = pd.DataFrame({"firm_id": ["P1"], "name": ["浙江蓝特光学股份有限公司"], "province": ["浙江"],
    ...                       "batch": [3], "list_type": ["final"],
    ...                       "designation_date": [pd.Timestamp("2021-07-01")], "designation_precision": ["month"]})
    >>> deals = pd.DataFrame({"firm_id": ["D1", "D2"],
    ...                       "firm_name": ["蓝特光学（杭州）有限公司", "宁波某某电子有限公司"],
    ...                       "province": ["浙江", "浙江"]})
    >>> out = attach_designations(deals, panel)
    >>> int(out.loc[0, "batch"]), out.loc[0, "designation_precision"], out.loc[0, "match_method"]
    (3, 'month', 'exact_stem')
    >>> out["match_method"].isna().tolist()
    [False, True]
    """
    name_col = _check_inputs(frame, panel)
    if links is None:
        block = "province" if "province" in frame.columns and "province" in panel.columns else None
        left = panel[["firm_id", "name", *([block] if block else [])]].drop_duplicates("firm_id")
        right = frame[["firm_id", name_col, *([block] if block else [])]].dropna(subset=["firm_id"])
        links = link_firms(left, right.drop_duplicates("firm_id"), name_col=("name", name_col),
                           firm_col=("firm_id", "firm_id"), province_col=block)
    acc = best_matches(links) if len(links) else pd.DataFrame(columns=["left_id", "right_id", "method", "score"])
    m = acc[["left_id", "right_id", "method", "score"]].merge(_first_designations(panel), on="left_id", how="inner")
    m = m.sort_values(["right_id", "score", "designation_date"], ascending=[True, False, True], kind="stable")
    m = m.drop_duplicates("right_id").rename(columns={"method": "match_method", "score": "match_score"})
    m = m.set_index("right_id")
    out = frame.copy()
    key = out["firm_id"]
    out["designation_date"] = pd.to_datetime(key.map(m["designation_date"]))
    out["designation_precision"] = key.map(m["designation_precision"]).astype("string")
    out["batch"] = pd.array(pd.to_numeric(key.map(m["batch"]), errors="coerce"), dtype="Float64").astype("Int64")
    out["match_method"] = key.map(m["match_method"]).astype("string")
    out["match_score"] = pd.to_numeric(key.map(m["match_score"]), errors="coerce").astype("float64")
    out.attrs = dict(frame.attrs)
    return out


def _check_inputs(frame: pd.DataFrame, panel: pd.DataFrame) -> str:
    """The frame's name column, once both sides have ids and names and the frame has no designation columns."""
    clash = [c for c in ATTACHED_COLUMNS if c in frame.columns]
    if clash:
        raise InputError("frame", None, clash[0], f"frame already has designation columns {clash}: drop them "
                         "before attaching designations")
    name_col = "firm_name" if "firm_name" in frame.columns else "name"
    for side, cols in (("frame", ("firm_id", name_col)), ("panel", ("firm_id", "name"))):
        have = frame.columns if side == "frame" else panel.columns
        missing = [c for c in cols if c not in have]
        if missing:
            raise InputError(side, None, missing[0], f"{side} lacks columns {missing}: attach_designations needs "
                             "firm ids and names (firm_name or name)")
    return name_col
