"""Decision on Splink's predictions: ``uscc`` pairs first, then ``exact_name`` pairs (equal normalised names,
province not contradicting), then ``probabilistic`` pairs with ``match_probability >= threshold`` that are the only
such candidate of their firm.

Examples
--------
>>> MATCH_METHODS
('uscc', 'exact_name', 'probabilistic')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["LINK_COLUMNS", "MATCH_METHODS"]

#: Columns of the frame returned by :func:`link_to_registry`.
LINK_COLUMNS = ["firm_id", "registry_id", "firm_name", "registry_name", "match_probability", "match_weight",
                "match_method", "match", "note", "name_level", "industry_level", "province_level", "uscc_level"]
#: Decision methods, most reliable first.
MATCH_METHODS = ("uscc", "exact_name", "probabilistic")
_NAME_LEVELS = ("exact_name", "exact_stem", "exact_core", "similar_core", "different")
_THREE_LEVELS = {"industry": ("equal", "compatible", "different"), "province": ("equal", "different"),
                 "uscc": ("equal", "different")}


def _level_labels(gamma: pd.Series, names: tuple[str, ...]) -> pd.Series:
    """Splink gamma codes (−1 missing, 0 the else level, higher = closer) → level names."""
    mapping = {-1: "missing", **{len(names) - 1 - i: n for i, n in enumerate(names)}}
    return gamma.map(lambda g: mapping.get(int(g), "missing") if pd.notna(g) else "missing").astype(object)


def _oriented(pred: pd.DataFrame) -> pd.DataFrame:
    """Predictions with the list firm on the left (Splink may put either dataset first)."""
    swap = pred["source_dataset_l"].astype(str) != "firms"
    if swap.any():
        cols_l = [c for c in pred.columns if c.endswith("_l")]
        for cl in cols_l:
            cr = cl[:-2] + "_r"
            if cr in pred.columns:
                left = pred.loc[swap, cl].copy()
                pred.loc[swap, cl] = pred.loc[swap, cr].to_numpy()
                pred.loc[swap, cr] = left.to_numpy()
    return pred


def _decide(pred: pd.DataFrame, *, threshold: float) -> pd.DataFrame:
    """Method, acceptance and note of each candidate pair (uscc > exact_name > probabilistic)."""
    p = _oriented(pred.copy())
    out = pd.DataFrame({
        "firm_id": p["unique_id_l"].astype(str).to_numpy(), "registry_id": p["unique_id_r"].astype(str).to_numpy(),
        "firm_name": p["name_l"].astype(object).to_numpy(), "registry_name": p["name_r"].astype(object).to_numpy(),
        "match_probability": p["match_probability"].astype(float).to_numpy(),
        "match_weight": p["match_weight"].astype(float).to_numpy()})
    out["name_level"] = _level_labels(p["gamma_company_name"], _NAME_LEVELS).to_numpy()
    for key, names in _THREE_LEVELS.items():
        col = f"gamma_{key}"
        out[f"{key}_level"] = (_level_labels(p[col], names).to_numpy() if col in p.columns else "not compared")
    method = np.where(out["uscc_level"] == "equal", "uscc",
                      np.where(out["name_level"] == "exact_name", "exact_name", "probabilistic"))
    out["match_method"] = method
    ok = ((out["match_method"] == "uscc")
          | ((out["match_method"] == "exact_name") & (out["province_level"] != "different"))
          | ((out["match_method"] == "probabilistic") & (out["match_probability"] >= threshold)))
    rank = out["match_method"].map({m: i for i, m in enumerate(MATCH_METHODS)}).where(ok, len(MATCH_METHODS))
    best = rank.groupby(out["firm_id"]).transform("min")
    n_best = (rank == best).groupby(out["firm_id"]).transform("sum")
    top = ok & (rank == best)
    unique = top & ((out["match_method"] == "uscc") | (n_best == 1))
    out["match"] = unique.to_numpy(dtype=bool)
    note = np.where(unique, "", np.where(top, "ambiguous: several candidates at the same level",
                    np.where(ok, "superseded by a more reliable method",
                             np.where(out["match_method"] == "exact_name", "province differs",
                                      "below threshold"))))
    out["note"] = note
    out = out.sort_values(["firm_id", "match", "match_weight"], ascending=[True, False, False], kind="stable")
    return out[LINK_COLUMNS].reset_index(drop=True)
