"""Manual decisions on candidate pairs, the accepted pairs, and precision and recall against a truth table.

A manual override table (``left_id, right_id, decision`` with decision ``accept`` / ``reject``, optional
``note``) is applied last by :func:`lgresearch.link.link_firms`; :func:`best_matches` keeps the accepted pairs and
:func:`evaluate` compares them with the true links.

Examples
--------
>>> p = pd.DataFrame({"left_id": ["a"], "right_id": ["b"], "method": ["fuzzy"], "score": [95.0], "match": [True]})
>>> best_matches(p)["right_id"].tolist()
['b']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch.ledger import InputError
from lgresearch.link.stages import METHODS

__all__ = ["read_overrides", "apply_overrides", "evaluate", "best_matches"]


def read_overrides(path: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read and check a manual override table (``left_id, right_id, decision[, note]``).

    Parameters
    ----------
    path : str, Path or DataFrame
        Manual decisions: ``left_id, right_id, decision`` and optional ``note``.

    Returns
    -------
    DataFrame
        ``left_id, right_id, decision, note``.

    Examples
    --------
    >>> read_overrides(pd.DataFrame({"left_id": ["a"], "right_id": ["b"], "decision": ["Accept"]}))["decision"].tolist()
    ['accept']
    """
    name = "overrides"
    if isinstance(path, pd.DataFrame):
        frame = path.copy()
    else:
        name = Path(path).name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = ["left_id", "right_id", "decision"]
    for c in need:
        if c not in frame.columns:
            raise InputError(name, None, c, "override table needs columns left_id, right_id, decision")
    if "note" not in frame.columns:
        frame["note"] = ""
    frame["decision"] = frame["decision"].astype(str).str.strip().str.lower()
    bad = ~frame["decision"].isin(["accept", "reject"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(name, i + 2, "decision",
                         f"decision must be accept or reject, got {frame['decision'].iloc[i]!r}")
    for c in ("left_id", "right_id"):
        frame[c] = frame[c].astype(str)
    return frame[["left_id", "right_id", "decision", "note"]]


def apply_overrides(pairs: pd.DataFrame, overrides: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Apply manual accept/reject decisions to a pairs frame (ids compared as text).

    Parameters
    ----------
    pairs : DataFrame
        Candidate pairs from :func:`link_firms`.
    overrides : str, Path or DataFrame
        Manual decisions (see :func:`read_overrides`).

    Returns
    -------
    DataFrame
        The pairs with the manual decisions applied.

    Examples
    --------
    >>> p = pd.DataFrame({"left_id": ["a"], "right_id": ["b"], "left_name": ["x"], "right_name": ["y"],
    ...                   "block": [None], "method": ["fuzzy"], "score": [93.0], "match": [True],
    ...                   "n_candidates": [1], "note": [""]})
    >>> o = pd.DataFrame({"left_id": ["a", "c"], "right_id": ["b", "d"], "decision": ["reject", "accept"]})
    >>> apply_overrides(p, o)[["left_id", "method", "match"]].values.tolist()
    [['a', 'fuzzy', False], ['c', 'override', True]]
    """
    ov = read_overrides(overrides)
    out = pairs.copy()
    key = out["left_id"].astype(str) + "\x1f" + out["right_id"].astype(str)
    for _, o in ov.iterrows():
        k = f"{o['left_id']}\x1f{o['right_id']}"
        hit = key == k
        if o["decision"] == "reject":
            out.loc[hit, "match"] = False
            out.loc[hit, "note"] = ("rejected by override " + str(o["note"])).strip()
        elif hit.any():
            out.loc[hit, "match"] = True
            out.loc[hit, "method"] = "override"
            out.loc[hit, "note"] = ("accepted by override " + str(o["note"])).strip()
        else:
            out = pd.concat([out, pd.DataFrame([{
                "left_id": o["left_id"], "right_id": o["right_id"], "left_name": None, "right_name": None,
                "block": None, "method": "override", "score": np.nan, "match": True, "n_candidates": 1,
                "note": ("accepted by override " + str(o["note"])).strip()}])], ignore_index=True)
    return out


def evaluate(pairs: pd.DataFrame, truth: pd.DataFrame, *, by_method: bool = False) -> pd.DataFrame:
    """Precision and recall of the accepted pairs against a truth table of true (left_id, right_id) pairs.

    Parameters
    ----------
    pairs : DataFrame
        Output of :func:`link_firms` (only ``match`` rows count as predictions).
    truth : DataFrame
        Columns ``left_id, right_id``: every true link among the firms given to :func:`link_firms`.
    by_method : bool
        Also report precision per method.

    Returns
    -------
    DataFrame
        One row (``method == "all"``) with ``n_predicted, n_true, n_correct, precision, recall, f1``, plus one row
        per method when ``by_method`` (recall is not defined per method: NaN).

    Examples
    --------
    >>> p = pd.DataFrame({"left_id": [1, 2, 3], "right_id": [10, 20, 99], "method": ["exact_name"] * 3,
    ...                   "match": [True, True, True]})
    >>> t = pd.DataFrame({"left_id": [1, 2, 3, 4], "right_id": [10, 20, 30, 40]})
    >>> evaluate(p, t)[["precision", "recall"]].round(3).values.tolist()
    [[0.667, 0.5]]
    """
    pred = pairs.loc[pairs["match"].astype(bool), ["left_id", "right_id", "method"]].copy()
    pred["_k"] = pred["left_id"].astype(str) + "\x1f" + pred["right_id"].astype(str)
    pred = pred.drop_duplicates("_k")
    tk = set((truth["left_id"].astype(str) + "\x1f" + truth["right_id"].astype(str)).tolist())
    pred["correct"] = pred["_k"].isin(tk)

    def row(name: str, frame: pd.DataFrame, n_true: int | None) -> dict:
        n_pred, n_ok = len(frame), int(frame["correct"].sum())
        precision = n_ok / n_pred if n_pred else np.nan
        recall = n_ok / n_true if n_true else np.nan
        f1 = (2 * precision * recall / (precision + recall)
              if n_true and n_pred and (precision + recall) > 0 else np.nan)
        return {"method": name, "n_predicted": n_pred, "n_true": n_true if n_true is not None else np.nan,
                "n_correct": n_ok, "precision": precision, "recall": recall, "f1": f1}

    rows = [row("all", pred, len(tk))]
    if by_method:
        for m, g in pred.groupby("method", sort=False):
            r = row(str(m), g, None)
            r["recall"] = np.nan
            r["f1"] = np.nan
            rows.append(r)
    return pd.DataFrame(rows)


def best_matches(pairs: pd.DataFrame) -> pd.DataFrame:
    """Accepted pairs only, one row per (left_id, right_id), most reliable method first.

    Parameters
    ----------
    pairs : DataFrame
        Candidate pairs from :func:`link_firms`.

    Returns
    -------
    DataFrame
        The accepted pairs, at most one right firm per left firm for fuzzy matches.

    Examples
    --------
    >>> p = pd.DataFrame({"left_id": ["a", "a"], "right_id": ["x", "x"], "method": ["fuzzy", "exact_name"],
    ...                   "score": [95.0, 100.0], "match": [True, True]})
    >>> best_matches(p)["method"].tolist()
    ['exact_name']
    """
    rank = {m: i for i, m in enumerate(("override",) + METHODS)}
    acc = pairs[pairs["match"].astype(bool)].copy()
    acc["_r"] = acc["method"].map(rank).fillna(len(rank))
    acc = acc.sort_values(["_r", "score"], ascending=[True, False]).drop_duplicates(["left_id", "right_id"])
    return acc.drop(columns="_r").reset_index(drop=True)
