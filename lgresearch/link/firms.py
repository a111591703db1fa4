"""Staged linking of two firm lists: :func:`link_firms` (the stages are in :mod:`lgresearch.link.stages`).

Examples
--------
>>> left = pd.DataFrame({"firm_id": ["L1"], "name": ["浙江蓝特光學股份有限公司"], "province": ["浙江省"]})
>>> right = pd.DataFrame({"firm_id": ["R1"], "name": ["蓝特光学（杭州）有限公司"], "province": ["浙江"]})
>>> link_firms(left, right)[["left_id", "right_id", "method"]].values.tolist()
[['L1', 'R1', 'exact_stem']]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.link.names import _features, _suffix
from lgresearch.link.overrides import apply_overrides
from lgresearch.link.stages import (
    CANDIDATE_THRESHOLD,
    FUZZY_MARGIN,
    FUZZY_THRESHOLD,
    PAIR_COLUMNS,
    _check_blocking,
    _Found,
    _stage_exact,
    _stage_fuzzy,
    _stage_short,
)

__all__ = ["link_firms"]


@renamed_kwargs(on="name_col", block_on="province_col", uscc="uscc_col", short="short_col", ids="firm_col")
def link_firms(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    name_col: str | tuple[str, str] = "name",
    province_col: str | tuple[str, str] | None = "province",
    uscc_col: str | tuple[str | None, str | None] | None = None,
    short_col: str | tuple[str | None, str | None] | None = None,
    firm_col: str | tuple[str | None, str | None] | None = "firm_id",
    overrides: str | Path | pd.DataFrame | None = None,
    threshold: float = FUZZY_THRESHOLD,
    candidate_threshold: float = CANDIDATE_THRESHOLD,
    margin: float = FUZZY_MARGIN,
    fuzzy: bool = True,
    workers: int = -1,
) -> pd.DataFrame:
    """Link firms of two lists by USCC, normalised name, core name, short name and fuzzy similarity.

    Parameters
    ----------
    left, right : DataFrame
        One row per firm (duplicate ids on a side are collapsed to their first row).
    name_col : str or (left_col, right_col)
        Registered-name columns (``on=`` is deprecated).
    province_col : str or (left_col, right_col) or None
        Province (blocking) columns, any spelling :func:`lgresearch.clean.normalize_region` reads; the stem,
        core, short and fuzzy stages compare firms only within the same province (``block_on=`` is deprecated).
        ``None``, or the column absent on both sides, links without blocking. The column present on one side
        only is an :class:`~lgresearch.errors.InputError` (it would match nothing): add the column to the other
        side or pass ``province_col=None``.
    uscc_col : str or (left_col, right_col), optional
        Unified social credit code columns (malformed codes are ignored; ``uscc=`` is deprecated).
    short_col : str or (left_col, right_col), optional
        Short / brand-name columns (either side may be None or lack the column). Short names are used only for
        rows without a registered name (``short=`` is deprecated).
    firm_col : str or (left_col, right_col) or None
        Firm id columns (default ``firm_id``; the index when None or when the column is absent; ``ids=`` is
        deprecated).
    overrides : path or DataFrame, optional
        Manual decisions: columns ``left_id, right_id, decision`` (``accept`` / ``reject``) and optional ``note``.
    threshold : float
        Fuzzy acceptance threshold on the 0-100 ratio of stems.
    candidate_threshold : float
        Fuzzy pairs below this are not reported.
    margin : float
        A fuzzy best candidate must beat the runner-up by this much.
    fuzzy : bool
        Run the fuzzy stage.
    workers : int
        Threads for rapidfuzz (-1 = all cores).

    Returns
    -------
    DataFrame
        :data:`PAIR_COLUMNS`, one row per candidate pair; ``match`` marks accepted pairs. A left firm may be
        matched to several right firms by the exact stages (e.g. a firm listed under its old and new legal form);
        the fuzzy and short-name stages accept at most one.

    Examples
    --------
    >>> left = pd.DataFrame({"firm_id": ["a"], "name": ["航天智造科技股份有限公司"], "province": ["河北"]})
    >>> right = pd.DataFrame({"firm_id": ["x"], "name": [None], "short": ["航天智造"], "province": ["河北省"]})
    >>> link_firms(left, right, short_col=(None, "short"))[["method", "match"]].values.tolist()
    [['short_name', True]]
    >>> link_firms(left, right.drop(columns="province"))
    Traceback (most recent call last):
    ...
    lgresearch.errors.InputError: right, column 'province': the blocking (province) column is missing on ...
    """
    cols = _columns(left, right, name_col=name_col, province_col=province_col, uscc_col=uscc_col,
                    short_col=short_col, firm_col=firm_col)
    L, R = _sides(left, right, cols)
    out = _run_stages(L, R, fuzzy=fuzzy, threshold=threshold, cand=candidate_threshold, margin=margin,
                      workers=workers)
    if overrides is not None:
        out = apply_overrides(out, overrides)
    return out[PAIR_COLUMNS].reset_index(drop=True)


def _run_stages(L: pd.DataFrame, R: pd.DataFrame, *, fuzzy: bool, threshold: float, cand: float, margin: float,
                workers: int) -> pd.DataFrame:
    """The pairs proposed by the stages, most reliable first (:data:`PAIR_COLUMNS`, before overrides)."""
    found = _Found(len(L))
    short_cands = _stage_exact(L, R, found)
    _stage_short(L, R, found, short_cands)
    if fuzzy:
        _stage_fuzzy(L, R, found, threshold=threshold, cand=cand, margin=margin, workers=workers)
    return _pairs_frame(L, R, found.pairs())


def _pair(arg: str | tuple | None) -> tuple:
    if arg is None:
        return (None, None)
    if isinstance(arg, str):
        return (arg, arg)
    return tuple(arg)


def _present(col: str | None, frame: pd.DataFrame) -> str | None:
    return col if col is not None and col in frame.columns else None


def _columns(left: pd.DataFrame, right: pd.DataFrame, *, name_col: str | tuple, province_col: str | tuple | None,
             uscc_col: str | tuple | None, short_col: str | tuple | None, firm_col: str | tuple | None
             ) -> dict[str, tuple]:
    """(left, right) column of each role; optional columns absent from a side become None there."""
    lblock, rblock = _pair(province_col)
    _check_blocking(left, right, lblock, rblock)
    ls, rs = _pair(short_col)  # a short-name column may exist on one side only
    lid, rid = _pair(firm_col)
    return {"name_col": _pair(name_col), "uscc_col": _pair(uscc_col),
            "short_col": (_present(ls, left), _present(rs, right)),
            "id_col": (_present(lid, left), _present(rid, right)),
            "block_col": (_present(lblock, left), _present(rblock, right))}


def _sides(left: pd.DataFrame, right: pd.DataFrame, cols: dict[str, tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Name features of both sides, one row per id, with row numbers ``li`` / ``ri`` and stage flags."""
    sides = []
    for k, (frame, side, row) in enumerate(((left, "left", "li"), (right, "right", "ri"))):
        f = _features(frame, side=side, **{role: pair[k] for role, pair in cols.items()})
        f = f.drop_duplicates("id").reset_index(drop=True)
        f[row] = np.arange(len(f))
        f["suffix"] = [_suffix(s, c) for s, c in zip(f["stem"], f["core"], strict=True)]
        sides.append(f)
    for f in sides:
        f["short_only"] = f["norm"].isna() & f["short"].notna()
        f["bare"] = f["stem"] == f["core"]
    return sides[0], sides[1]


def _pairs_frame(L: pd.DataFrame, R: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs found, with ids, names and block of both sides."""
    li, ri = pairs["li"].to_numpy(dtype=int), pairs["ri"].to_numpy(dtype=int)
    return pd.DataFrame({
        "left_id": L["id"].to_numpy()[li],
        "right_id": R["id"].to_numpy()[ri],
        "left_name": L["name"].where(L["name"].notna(), L["short"]).to_numpy()[li],
        "right_name": R["name"].where(R["name"].notna(), R["short"]).to_numpy()[ri],
        "block": L["block"].to_numpy()[li],
        "method": pairs["method"].to_numpy(),
        "score": pairs["score"].astype(float).to_numpy(),
        "match": pairs["match"].astype(bool).to_numpy(),
        "n_candidates": pairs["n_candidates"].astype("int64").to_numpy(),
        "note": pairs["note"].astype(object).to_numpy(),
    })
