"""Entity linking of Chinese company names between two lists (designation lists ↔ deal databases).

:func:`link_firms` proposes candidate pairs in stages, most reliable first, each left firm leaving the pipeline at
the first stage that matches it:

1. ``uscc`` — equal unified social credit codes (统一社会信用代码);
2. ``exact_name`` — equal normalised registered names (:func:`lgresearch.clean.normalize_company_name`: full/half
   width, brackets, Traditional → Simplified, legal-form spellings);
3. ``exact_stem`` / ``exact_core`` — within a province block, equal *stems* (the name without its leading region,
   bracketed parts and legal form) or equal *cores* (:func:`lgresearch.clean.core_name`, which also drops generic
   industry words) when the dropped industry words do not contradict each other (蓝特电子 ≠ 蓝特机械);
4. ``short_name`` — within a block, a short (brand) name equal to the other side's core, or contained in its stem
   (航天智造 ⊂ 航天智造科技股份有限公司), when exactly one firm qualifies;
5. ``fuzzy`` — within a block, character-level similarity (rapidfuzz ``fuzz.ratio``) of stems, accepted above
   ``threshold`` when the best candidate is clearly better than the runner-up.

The result lists the candidate pairs with ``score`` (0–100), ``method`` and ``match`` (the pairs accepted). A manual
override CSV (``left_id, right_id, decision`` with decision ``accept`` / ``reject``, optional ``note``) is applied
last. :func:`evaluate` compares accepted pairs with a truth table (precision, recall).

Examples
--------
>>> left = pd.DataFrame({"firm_id": ["L1", "L2"], "name": ["浙江蓝特光學股份有限公司", "杭州某某机械有限公司"],
...                      "province": ["浙江省", "浙江"]})
>>> right = pd.DataFrame({"firm_id": ["R1", "R2"], "name": ["蓝特光学（杭州）有限公司", "宁波某某电子有限公司"],
...                       "province": ["浙江", "浙江"]})
>>> pairs = link_firms(left, right)
>>> pairs.loc[pairs["match"], ["left_id", "right_id", "method"]].values.tolist()
[['L1', 'R1', 'exact_stem']]
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from lgresearch._compat import renamed_kwargs
from lgresearch.clean.names import GENERIC_WORDS, LEGAL_FORMS, core_name, normalize_company_name
from lgresearch.clean.regions import normalize_regions, region_prefix_forms
from lgresearch.ledger import InputError
from lgresearch.securities import normalize_code
from lgresearch.registry_link import link_to_registry, synthetic_registry  # noqa: F401  (re-exported)

__all__ = [
    "PAIR_COLUMNS", "METHODS", "STAGE_SCORES", "FUZZY_THRESHOLD", "CANDIDATE_THRESHOLD", "FUZZY_MARGIN",
    "UNBLOCKED_LIMIT", "name_stem", "distinctive", "link_firms", "read_overrides", "apply_overrides", "evaluate",
    "best_matches", "synthetic_name_lists", "FRAGMENTS_PARTS", "IDENTIFIED_COLUMNS", "BOARD_WORDS", "batch_windows",
    "fragment_firms", "link_fragments", "link_listed_short_names", "identified_little_giants", "ATTACHED_COLUMNS",
    "attach_designations",
]


#: Columns of the pairs frame returned by :func:`link_firms`.
PAIR_COLUMNS = ["left_id", "right_id", "left_name", "right_name", "block", "method", "score", "match",
                "n_candidates", "note"]
#: Stage names, most reliable first.
METHODS = ("uscc", "exact_name", "exact_stem", "exact_core", "short_name", "fuzzy", "override")
#: Scores given to the exact stages (the fuzzy stage reports the similarity itself).
STAGE_SCORES = {"uscc": 100.0, "exact_name": 100.0, "exact_stem": 98.0, "exact_core": 95.0, "short_name": 90.0}
#: Default acceptance threshold of the fuzzy stage (rapidfuzz ratio on stems, 0-100).
FUZZY_THRESHOLD = 92.0
#: Pairs below this similarity are not reported as candidates.
CANDIDATE_THRESHOLD = 80.0
#: The best fuzzy candidate must beat the runner-up by this many points to be accepted.
FUZZY_MARGIN = 3.0
#: Left rows without a block are compared with every right row only when the right side is at most this large.
UNBLOCKED_LIMIT = 20_000
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


# ---------------------------------------------------------------------------------------------------------------
# Name features
# ---------------------------------------------------------------------------------------------------------------


def name_stem(name: str | None) -> str | None:
    """A normalised name without its leading region, bracketed parts and legal form (industry words kept).

    Parameters
    ----------
    name : str or None
        A company name.

    Returns
    -------
    str or None
        The stem of the name.

    Examples
    --------
    >>> name_stem("浙江蓝特光學股份有限公司"), name_stem("蓝特光学（杭州）有限公司"), name_stem("大疆创新")
    ('蓝特光学', '蓝特光学', '大疆创新')
    """
    if not isinstance(name, str):
        return None
    return _stem_of_norm(normalize_company_name(name))


@lru_cache(maxsize=1)
def _stem_patterns() -> tuple[re.Pattern, re.Pattern]:
    regions = "|".join(re.escape(f) for f in region_prefix_forms())
    prefix = re.compile(rf"^(?:(?:{regions})(?:[省市])?)+(?:(?<=[市州盟])[\u4e00-\u9fff]{{1,3}}?[区县旗])?")
    forms = "|".join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True))
    legal = re.compile(rf"(?:{forms})+$")
    return prefix, legal


_BRACKETED = re.compile(r"（[^（）]*）|（[^（）]*$")


def _stem_of_norm(norm: str | None) -> str | None:
    if not isinstance(norm, str) or not norm:
        return None
    prefix, legal = _stem_patterns()
    text = (_BRACKETED.sub("", norm) if "（" in norm else norm).replace(" ", "")
    m = prefix.match(text)
    if m and len(text) - m.end() >= 2:
        text = text[m.end():]
    stripped = legal.sub("", text)
    if len(stripped) >= 2:
        text = stripped
    return text or None


@lru_cache(maxsize=1)
def _generic_tail() -> re.Pattern:
    words = "|".join(re.escape(w) for w in sorted(GENERIC_WORDS, key=len, reverse=True))
    return re.compile(rf"(?:{words})+$")


def distinctive(stem: str | None) -> bool:
    """Whether a stem has something besides generic industry words (``微电子`` alone is not a name).

    Parameters
    ----------
    stem : str or None
        A name stem from :func:`name_stem`.

    Returns
    -------
    bool
        True when the stem is distinctive enough to link on.

    Examples
    --------
    >>> distinctive("蓝特光学"), distinctive("微电子"), distinctive("电子科技"), distinctive(None)
    (True, False, False, False)
    """
    if not isinstance(stem, str) or len(stem) < 2:
        return False
    return bool(_generic_tail().sub("", stem))


def _stems(normed: pd.Series) -> pd.Series:
    """Stems of already-normalised names (each unique value once)."""
    codes, uniques = pd.factorize(normed, use_na_sentinel=True)
    stems = np.array([_stem_of_norm(u) for u in uniques] + [None], dtype=object)
    return pd.Series(stems[codes], index=normed.index, dtype=object)


def _features(frame: pd.DataFrame, *, id_col: str | None, name_col: str, short_col: str | None,
              uscc_col: str | None, block_col: str | None, side: str) -> pd.DataFrame:
    for col in (name_col, short_col, uscc_col, block_col):
        if col is not None and col not in frame.columns:
            raise KeyError(f"{side} frame has no column {col!r}")
    if id_col is not None and id_col not in frame.columns:
        raise KeyError(f"{side} frame has no id column {id_col!r}")
    ids = frame[id_col] if id_col is not None else pd.Series(frame.index, index=frame.index)
    name = frame[name_col].astype(object).where(frame[name_col].notna(), None)
    out = pd.DataFrame({"id": ids.astype(object).to_numpy(), "name": name.to_numpy()}, dtype=object)
    out["norm"] = _obj(normalize_company_name(out["name"]))
    out["core"] = _obj(core_name(out["name"]))
    out["stem"] = _stems(out["norm"])
    out["short"] = out["short_core"] = out["short_stem"] = None
    if short_col is not None:
        short = frame[short_col].astype(object).where(frame[short_col].notna(), None).to_numpy()
        out["short"] = short
        # short names are used only where no registered name is given
        need = out["norm"].isna() & out["short"].notna()
        if need.any():
            sub = out.loc[need, "short"]
            out.loc[need, "short_core"] = _obj(core_name(sub)).to_numpy()
            out.loc[need, "short_stem"] = _stems(_obj(normalize_company_name(sub))).to_numpy()
    if uscc_col is not None:
        u = frame[uscc_col].astype(object).to_numpy()
        out["uscc"] = [x.strip().upper() if isinstance(x, str) and _USCC.match(x.strip().upper()) else None
                       for x in u]
    else:
        out["uscc"] = None
    if block_col is not None:
        regions = normalize_regions(frame[block_col].astype(object).where(frame[block_col].notna(), None))
        code = regions["province_code"].astype(object).to_numpy()
        raw = frame[block_col].astype(object).to_numpy()
        out["block"] = [c if isinstance(c, str) else (r.strip() if isinstance(r, str) and r.strip() else None)
                        for c, r in zip(code, raw, strict=True)]
    else:
        out["block"] = None
    # the name to use when only a short name is given
    no_name = out["norm"].isna() & out["short"].notna()
    out.loc[no_name, "core"] = out.loc[no_name, "short_core"]
    out.loc[no_name, "stem"] = out.loc[no_name, "short_stem"]
    # a stem made only of industry words (a trade name that is a place name was stripped as a region) cannot
    # identify a firm: it takes part in no stem/core/short/fuzzy stage
    generic = frozenset(GENERIC_WORDS)
    weak = np.array([not isinstance(st, str) or len(st) < 2 or st in generic or c in generic
                     for st, c in zip(out["stem"].tolist(), out["core"].tolist(), strict=True)], dtype=bool)
    out.loc[weak, ["stem", "core"]] = None
    return out


def _obj(s: pd.Series | None) -> pd.Series:
    if s is None:
        return pd.Series(dtype=object)
    return s.astype(object).where(s.notna(), None)


def _suffix(stem: str | None, core: str | None) -> str:
    if not isinstance(stem, str) or not isinstance(core, str) or not stem.startswith(core):
        return ""
    return stem[len(core):]


def _compatible(a: str, b: str) -> bool:
    """Industry words dropped from two names with the same core do not contradict each other."""
    return (not a) or (not b) or a in b or b in a


# ---------------------------------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------------------------------


def _exact_join(L: pd.DataFrame, R: pd.DataFrame, lkey: str, rkey: str, *, block: bool) -> pd.DataFrame:
    lcols = ["li", lkey] + (["block"] if block else [])
    rcols = ["ri", rkey] + (["block"] if block else [])
    left = L.loc[L[lkey].notna(), lcols].rename(columns={lkey: "_k"})
    right = R.loc[R[rkey].notna(), rcols].rename(columns={rkey: "_k"})
    if block:
        left = left[left["block"].notna()]
        right = right[right["block"].notna()]
    on = ["_k", "block"] if block else ["_k"]
    return left.merge(right, on=on, how="inner")[["li", "ri"]]


def _fuzzy_block(lq: pd.DataFrame, rc: pd.DataFrame, *, threshold: float, cand: float, margin: float,
                 workers: int) -> list[tuple]:
    """Best fuzzy candidates of each left row in a block (cores, character-level ratio).

    The best candidate is accepted when its score reaches ``threshold``, beats the runner-up by ``margin`` and
    the industry words dropped from the two names do not contradict each other.
    """
    out: list[tuple] = []
    if lq.empty or rc.empty:
        return out
    choices = rc["core"].tolist()
    rids = rc["ri"].to_numpy()
    rsuf = rc["suffix"].to_numpy()
    chunk = max(1, int(4_000_000 // max(len(choices), 1)))
    queries = lq["core"].tolist()
    lids = lq["li"].to_numpy()
    lsuf = lq["suffix"].to_numpy()
    for start in range(0, len(queries), chunk):
        q = queries[start:start + chunk]
        scores = process.cdist(q, choices, scorer=fuzz.ratio, score_cutoff=cand, dtype=np.uint8, workers=workers)
        for i in np.flatnonzero(scores.max(axis=1) >= cand):
            row = scores[i]
            order = np.argsort(row)[::-1]
            best = float(row[order[0]])
            second = float(row[order[1]]) if len(order) > 1 else 0.0
            n_c = int((row >= cand).sum())
            compatible = _compatible(lsuf[start + i], rsuf[order[0]])
            ok = best >= threshold and best - second >= margin and compatible
            note = ("" if ok else "conflicting industry words" if not compatible else
                    "runner-up too close" if best >= threshold else "below threshold")
            for j in order[: min(3, n_c)]:
                if row[j] < cand:
                    break
                is_best = j == order[0]
                out.append((lids[start + i], rids[j], "fuzzy", float(row[j]), bool(ok and is_best),
                            note if is_best else "candidate", n_c))
    return out


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

    def pair(arg):
        if arg is None:
            return (None, None)
        if isinstance(arg, str):
            return (arg, arg)
        return tuple(arg)

    lname, rname = pair(name_col)
    lblock, rblock = pair(province_col)
    _check_blocking(left, right, lblock, rblock)
    lu, ru = pair(uscc_col)
    ls, rs = pair(short_col)
    ls = ls if ls is not None and ls in left.columns else None  # a short-name column may exist on one side only
    rs = rs if rs is not None and rs in right.columns else None
    lid, rid = pair(firm_col)
    lid = lid if lid is not None and lid in left.columns else None
    rid = rid if rid is not None and rid in right.columns else None
    lblock = lblock if lblock is not None and lblock in left.columns else None
    rblock = rblock if rblock is not None and rblock in right.columns else None
    L = _features(left, id_col=lid, name_col=lname, short_col=ls, uscc_col=lu, block_col=lblock, side="left")
    R = _features(right, id_col=rid, name_col=rname, short_col=rs, uscc_col=ru, block_col=rblock, side="right")
    L = L.drop_duplicates("id").reset_index(drop=True)
    R = R.drop_duplicates("id").reset_index(drop=True)
    L["li"] = np.arange(len(L))
    R["ri"] = np.arange(len(R))
    L["suffix"] = [_suffix(s, c) for s, c in zip(L["stem"], L["core"], strict=True)]
    R["suffix"] = [_suffix(s, c) for s, c in zip(R["stem"], R["core"], strict=True)]

    found: list[pd.DataFrame] = []
    short_cands: list[pd.DataFrame] = []
    done = np.zeros(len(L), dtype=bool)
    L["short_only"] = L["norm"].isna() & L["short"].notna()
    R["short_only"] = R["norm"].isna() & R["short"].notna()
    L["bare"] = L["stem"] == L["core"]
    R["bare"] = R["stem"] == R["core"]

    def add(pairs: pd.DataFrame, method: str, score: float, *, accept: bool = True, note: str = "",
            mark_done: bool = True) -> None:
        pairs = pairs[~done[pairs["li"].to_numpy()]].drop_duplicates(["li", "ri"])
        if pairs.empty:
            return
        n_c = pairs.groupby("li")["ri"].transform("size").to_numpy()
        frame = pd.DataFrame({"li": pairs["li"].to_numpy(), "ri": pairs["ri"].to_numpy(), "method": method,
                              "score": float(score), "match": accept, "note": note, "n_candidates": n_c})
        found.append(frame)
        if mark_done:
            done[frame.loc[frame["match"].astype(bool), "li"].unique()] = True

    def flags(pairs: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
        return L[col].to_numpy()[pairs["li"].to_numpy()], R[col].to_numpy()[pairs["ri"].to_numpy()]

    # 1. USCC, 2. normalised registered name
    add(_exact_join(L, R, "uscc", "uscc", block=False), "uscc", STAGE_SCORES["uscc"])
    add(_exact_join(L, R, "norm", "norm", block=False), "exact_name", STAGE_SCORES["exact_name"])
    # 3. equal stems within a block. Registered names on both sides: exact_stem. A short-only side: short_name,
    #    accepted only when its stem carries more than a bare 2-character trade name and is unambiguous.
    stem_pairs = _exact_join(L, R, "stem", "stem", block=True)
    if not stem_pairs.empty:
        lso, rso = flags(stem_pairs, "short_only")
        both_legal = ~lso & ~rso
        add(stem_pairs[both_legal], "exact_stem", STAGE_SCORES["exact_stem"])
        short_cands.append(stem_pairs[~both_legal].assign(_kind=0))
    # 4. equal cores within a block, when the dropped industry words do not contradict each other
    core_pairs = _exact_join(L, R, "core", "core", block=True)
    if not core_pairs.empty:
        lsuf, rsuf = flags(core_pairs, "suffix")
        ok = np.array([_compatible(a, b) for a, b in zip(lsuf, rsuf, strict=True)], dtype=bool)
        lso, rso = flags(core_pairs, "short_only")
        both_legal = ~lso & ~rso
        add(core_pairs[ok & both_legal], "exact_core", STAGE_SCORES["exact_core"])
        short_cands.append(core_pairs[ok & ~both_legal].assign(_kind=1))
        rejected = core_pairs[~ok]
        add(rejected, "exact_core", 80.0, accept=False, note="same core, conflicting industry words",
            mark_done=False)
    # 5. short-only names: equal stem, equal core, or contained in the other side's stem (>= 3 characters);
    #    accepted only when the short name is specific and the candidate is unique both ways
    short_cands.append(_contained_short(L, R, done).assign(_kind=2))
    sc = pd.concat([c for c in short_cands if not c.empty] or [pd.DataFrame(columns=["li", "ri", "_kind"])],
                   ignore_index=True)
    if not sc.empty:
        sc = sc.astype({"li": "int64", "ri": "int64", "_kind": "int64"})
        sc = sc[~done[sc["li"].to_numpy()]]
        sc = sc.sort_values("_kind").drop_duplicates(["li", "ri"])
        accepted = _short_filter(sc, L, R)
        for kind, note in ((0, "short name equals the registered name's stem"),
                           (1, "short name equals the registered name's core"),
                           (2, "short name contained in the registered name")):
            sub = accepted[accepted["_kind"] == kind]
            add(sub[["li", "ri"]], "short_name", STAGE_SCORES["short_name"] + 2 - 2 * kind, note=note)
        rest = sc[~sc.set_index(["li", "ri"]).index.isin(accepted.set_index(["li", "ri"]).index)]
        add(rest[["li", "ri"]], "short_name", 80.0, accept=False, note="short name ambiguous or too generic",
            mark_done=False)
    # 6. fuzzy similarity of cores within blocks (registered names only)
    if fuzzy:
        rows: list[tuple] = []
        todo = L[~done & L["core"].notna().to_numpy() & ~L["short_only"].to_numpy()]
        right_ok = R[R["core"].notna() & ~R["short_only"]]
        blocks = todo["block"].astype(object).where(todo["block"].notna(), "__no_block__")
        for blk, lq in todo.groupby(blocks, sort=False):
            if blk == "__no_block__":
                if len(right_ok) > UNBLOCKED_LIMIT:
                    continue
                rc = right_ok
            else:
                rc = right_ok[right_ok["block"] == blk]
            rows.extend(_fuzzy_block(lq, rc, threshold=threshold, cand=candidate_threshold, margin=margin,
                                     workers=workers))
        if rows:
            found.append(pd.DataFrame(rows, columns=["li", "ri", "method", "score", "match", "note",
                                                     "n_candidates"]))
    pairs = (pd.concat(found, ignore_index=True) if found else
             pd.DataFrame(columns=["li", "ri", "method", "score", "match", "note", "n_candidates"]))
    out = pd.DataFrame({
        "left_id": L["id"].to_numpy()[pairs["li"].to_numpy(dtype=int)],
        "right_id": R["id"].to_numpy()[pairs["ri"].to_numpy(dtype=int)],
        "left_name": L["name"].where(L["name"].notna(), L["short"]).to_numpy()[pairs["li"].to_numpy(dtype=int)],
        "right_name": R["name"].where(R["name"].notna(), R["short"]).to_numpy()[pairs["ri"].to_numpy(dtype=int)],
        "block": L["block"].to_numpy()[pairs["li"].to_numpy(dtype=int)],
        "method": pairs["method"].to_numpy(),
        "score": pairs["score"].astype(float).to_numpy(),
        "match": pairs["match"].astype(bool).to_numpy(),
        "n_candidates": pairs["n_candidates"].astype("int64").to_numpy(),
        "note": pairs["note"].astype(object).to_numpy(),
    })
    if overrides is not None:
        out = apply_overrides(out, overrides)
    return out[PAIR_COLUMNS].reset_index(drop=True)


def _check_blocking(left: pd.DataFrame, right: pd.DataFrame, lblock: str | None, rblock: str | None) -> None:
    """A blocking column on one side only would compare no firm at all: say so instead of linking nothing."""
    have_l = lblock is not None and lblock in left.columns
    have_r = rblock is not None and rblock in right.columns
    if have_l == have_r:
        return
    side, col = ("left", lblock) if not have_l else ("right", rblock)
    raise InputError(side, None, col, "the blocking (province) column is missing on this side but present on the "
                                      "other, so no firm would be compared; add it, or pass province_col=None to "
                                      "link without blocking")


def _short_filter(pairs: pd.DataFrame, L: pd.DataFrame, R: pd.DataFrame) -> pd.DataFrame:
    """Keep short-name pairs that are specific enough and unambiguous.

    The short-only side must carry more than a bare trade name of two characters (``兴邦`` alone could be 兴邦电气 or
    兴邦电子), and it must match exactly one firm of the other side; the other side likewise.
    """
    if pairs.empty:
        return pairs
    li, ri = pairs["li"].to_numpy(), pairs["ri"].to_numpy()
    l_short, r_short = L["short_only"].to_numpy()[li], R["short_only"].to_numpy()[ri]
    stem = np.where(l_short, L["stem"].to_numpy()[li], R["stem"].to_numpy()[ri])
    bare = np.where(l_short, L["bare"].to_numpy()[li], R["bare"].to_numpy()[ri])
    specific = np.array([isinstance(s_, str) and (len(s_) >= 3 or not b) for s_, b in zip(stem, bare, strict=True)],
                        dtype=bool)
    pairs = pairs[specific]
    pairs = pairs[(pairs.groupby("li")["ri"].transform("nunique") == 1)
                  & (pairs.groupby("ri")["li"].transform("nunique") == 1)]
    return pairs


def _substring_hits(keys: pd.DataFrame, texts: pd.DataFrame) -> pd.DataFrame:
    """Pairs (key row, text row) in the same block where the key string occurs inside the text string.

    ``keys`` has columns ``k, s, block`` and ``texts`` has ``t, s, block``; an index of the texts' substrings of
    the key lengths makes this linear in the text length instead of keys × texts.
    """
    if keys.empty or texts.empty:
        return pd.DataFrame(columns=["k", "t"])
    wanted = {(b, s_) for b, s_ in zip(keys["block"], keys["s"], strict=True)}
    lengths = sorted({len(s_) for s_ in keys["s"]})
    hits_t, hits_key = [], []
    for t, s_, b in zip(texts["t"], texts["s"], texts["block"], strict=True):
        seen = set()
        for n in lengths:
            for i in range(len(s_) - n + 1):
                sub = s_[i:i + n]
                if (b, sub) in wanted and sub not in seen:
                    seen.add(sub)
                    hits_t.append(t)
                    hits_key.append((b, sub))
    if not hits_t:
        return pd.DataFrame(columns=["k", "t"])
    found = pd.DataFrame({"t": hits_t, "block": [h[0] for h in hits_key], "s": [h[1] for h in hits_key]})
    return keys.merge(found, on=["block", "s"], how="inner")[["k", "t"]]


def _contained_short(L: pd.DataFrame, R: pd.DataFrame, done: np.ndarray) -> pd.DataFrame:
    """Candidate pairs: a short-only name (>= 3 characters) contained in the other side's stem, same block."""
    parts = []
    for small, big, flip in ((L, R, False), (R, L, True)):
        sel = small["short_only"] & small["stem"].notna() & small["block"].notna()
        sel &= small["stem"].map(lambda x: isinstance(x, str) and len(x) >= 3)
        if not flip:
            sel &= ~pd.Series(done, index=small.index)
        if not sel.any():
            continue
        keys = pd.DataFrame({"k": small.loc[sel, "li" if not flip else "ri"].to_numpy(),
                             "s": small.loc[sel, "stem"].to_numpy(), "block": small.loc[sel, "block"].to_numpy()})
        big_ok = big[big["stem"].notna() & big["block"].notna() & ~big["short_only"]]
        if flip:
            big_ok = big_ok[~done[big_ok["li"].to_numpy()]]
        texts = pd.DataFrame({"t": big_ok["ri" if not flip else "li"].to_numpy(), "s": big_ok["stem"].to_numpy(),
                              "block": big_ok["block"].to_numpy()})
        hits = _substring_hits(keys, texts)
        if hits.empty:
            continue
        parts.append(pd.DataFrame({"li": hits["t" if flip else "k"].to_numpy(),
                                   "ri": hits["k" if flip else "t"].to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=["li", "ri"], dtype="int64")
    return pd.concat(parts, ignore_index=True).drop_duplicates().astype("int64").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# Overrides and evaluation
# ---------------------------------------------------------------------------------------------------------------


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
        raise InputError(name, i + 2, "decision", f"decision must be accept or reject, got {frame['decision'].iloc[i]!r}")
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


# ---------------------------------------------------------------------------------------------------------------
# Synthetic name lists (tests and benchmarks)
# ---------------------------------------------------------------------------------------------------------------

_TRADE_CHARS = (
    "华海天宇恒泰信达安康瑞博远航鼎盛弘新嘉禾中科联创金辉明德永兴宏图立讯汇通睿思智诚正元同方凯越beta"
    "晨光润丰星辰云帆卓越启明东方北辰南山西湖长江黄河青峰紫金银河蓝特奥普佳美润和科达盛世新元广源建业"
    "精工高德思源欣旺德赛宁远朗科拓邦汉威威尔迈瑞安图泰格艾德捷顺光峰锐科国科华大天准海能聚光雷迪"
).replace("beta", "")
_INDUSTRY = ("科技", "电子", "光学", "机械", "新材料", "生物医药", "智能装备", "信息技术", "精密", "半导体",
             "环保科技", "电气", "仪器", "微电子", "自动化", "医疗器械", "软件", "通信", "光电", "材料科技")
_LEGAL = ("有限公司", "股份有限公司", "有限责任公司")


def synthetic_name_lists(
    n_left: int = 2_000,
    n_right: int = 20_000,
    *,
    linked_share: float = 0.7,
    short_only_share: float = 0.1,
    distractor_share: float = 0.3,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Generate two firm lists with realistic name variants and the true links between them (SIMULATED).

    The right list (a deal database) holds ``n_right`` distinct firms named region + trade name + industry +
    legal form; ``short_only_share`` of them carry only a short (brand) name. The left list (a designation list)
    holds ``n_left`` firms: ``linked_share`` of them are right firms written differently (region prefix dropped or
    changed to the city or the long form, region moved into brackets, legal form changed, Traditional characters,
    full-width brackets and spaces); the rest are not in the right list, and ``distractor_share`` of those are
    near-misses planted in the right list's province (same trade name with another industry word, or a trade
    name one character away).

    Parameters
    ----------
    n_left : int
        Firms on the left list.
    n_right : int
        Firms on the right list.
    linked_share : float
        Share of left firms that have a true match on the right.
    short_only_share : float
        Share of right firms given only a short name.
    distractor_share : float
        Share of right firms that are near-miss distractors.
    seed : int
        Random seed.

    Returns
    -------
    (left, right, truth)
        ``left`` and ``right`` have ``firm_id, name, short_name, province``; ``truth`` has ``left_id, right_id``.
        All three are marked simulated.

    Examples
    --------
    >>> left, right, truth = synthetic_name_lists(50, 400, seed=1)
    >>> len(left), len(right), len(truth)
    (50, 400, 35)
    """
    from lgresearch.clean.regions import CITIES, PROVINCES
    from lgresearch.provenance import mark_simulated

    rng = np.random.default_rng(seed)
    provinces = [(code, short, long) for code, (short, long, _e, _p) in PROVINCES.items() if code != "66"]
    weights = np.array([6.0 if s in ("广东", "江苏", "浙江", "北京", "上海", "山东") else 1.0 for _c, s, _l in provinces])
    weights /= weights.sum()
    cities = {c: sub["city"].tolist() for c, sub in CITIES.groupby("province_code")}
    chars = np.array(list(dict.fromkeys(_TRADE_CHARS)))

    region_forms = region_prefix_forms()

    def trade(k: int) -> np.ndarray:
        lengths = rng.choice([2, 3, 4], size=k, p=[0.55, 0.3, 0.15])
        out = []
        for n in lengths:
            t = "".join(rng.choice(chars, size=n))
            while t.startswith(region_forms):  # a trade name is not a place name
                t = "".join(rng.choice(chars, size=n))
            out.append(t)
        return np.array(out, dtype=object)

    # right list: distinct (province, trade, industry)
    n_extra = int(n_right * 1.3) + 100
    prov_idx = rng.choice(len(provinces), size=n_extra, p=weights)
    right = pd.DataFrame({"p": prov_idx, "trade": trade(n_extra),
                          "ind": rng.choice(np.array(_INDUSTRY, dtype=object), size=n_extra),
                          "legal": rng.choice(np.array(_LEGAL, dtype=object), size=n_extra, p=[0.6, 0.3, 0.1])})
    right = right.drop_duplicates(["p", "trade"]).head(n_right).reset_index(drop=True)
    if len(right) < n_right:
        raise ValueError("could not draw enough distinct names; lower n_right")

    def region_of(p: int, form: str) -> str:
        code, short, long = provinces[p]
        if form == "city" and cities.get(code):
            return str(rng.choice(cities[code]))
        return long if form == "long" else short

    right_names, right_short = [], []
    for r in right.itertuples(index=False):
        form = rng.choice(["short", "long", "city"], p=[0.4, 0.2, 0.4])
        right_names.append(f"{region_of(r.p, form)}{r.trade}{r.ind}{r.legal}")
        right_short.append(f"{r.trade}{r.ind}" if rng.random() < 0.5 else r.trade)
    right["name"] = right_names
    right["short_name"] = right_short
    right["province"] = [provinces[p][2] for p in right["p"]]
    right["firm_id"] = [f"R{i:07d}" for i in range(len(right))]
    short_only = rng.random(len(right)) < short_only_share
    right.loc[short_only, "name"] = None

    # left list: linked firms with variants
    n_link = int(round(n_left * linked_share))
    linked = right.sample(n=n_link, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    t2s_table = str.maketrans("华东学电机业长广达国门开发兴汇联讯乐", "華東學電機業長廣達國門開發興匯聯訊樂")

    def variant(r) -> str:
        legal = r.legal if rng.random() < 0.7 else str(rng.choice([x for x in _LEGAL if x != r.legal]))
        kind = rng.choice(["drop", "long", "city", "bracket", "same"], p=[0.25, 0.2, 0.2, 0.15, 0.2])
        if kind == "drop":
            name = f"{r.trade}{r.ind}{legal}"
        elif kind == "bracket":
            name = f"{r.trade}{r.ind}（{region_of(r.p, 'city')}）{legal}"
        else:
            name = f"{region_of(r.p, 'long' if kind == 'long' else ('city' if kind == 'city' else 'short'))}" \
                   f"{r.trade}{r.ind}{legal}"
        if rng.random() < 0.15:
            name = name.translate(t2s_table)
        if rng.random() < 0.1:
            name = name.replace("（", "(").replace("）", ")")
        if rng.random() < 0.05:
            name = name[:2] + " " + name[2:]
        return name

    left_rows = [{"name": variant(r), "province": provinces[r.p][1 if rng.random() < 0.5 else 2],
                  "short_name": None, "_right": r.firm_id} for r in linked.itertuples(index=False)]
    # unlinked firms: near-miss distractors in the right list's provinces, and plain new firms
    n_other = n_left - n_link
    n_dis = int(round(n_other * distractor_share))
    base = right.sample(n=n_dis, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    taken = set(zip(right["p"], right["trade"], strict=True))
    for r in base.itertuples(index=False):
        if rng.random() < 0.5:  # same trade name, another industry word
            ind = str(rng.choice([x for x in _INDUSTRY if x != r.ind and x not in r.ind and r.ind not in x]))
            name = f"{region_of(r.p, 'short')}{r.trade}{ind}{r.legal}"
        else:  # one character away
            t = list(r.trade)
            pos = int(rng.integers(len(t)))
            t[pos] = str(rng.choice([c for c in chars if c != t[pos]]))
            new = "".join(t)
            if (r.p, new) in taken:
                new = new + str(rng.choice(chars))
            name = f"{region_of(r.p, 'short')}{new}{r.ind}{r.legal}"
        left_rows.append({"name": name, "province": provinces[r.p][1], "short_name": None, "_right": None})
    fresh = trade(n_other - n_dis)
    for t in fresh:
        p = int(rng.choice(len(provinces), p=weights))
        while (p, t) in taken:
            t = t + str(rng.choice(chars))
        name = f"{region_of(p, 'short')}{t}{rng.choice(np.array(_INDUSTRY, dtype=object))}{rng.choice(_LEGAL)}"
        left_rows.append({"name": name, "province": provinces[p][1], "short_name": None, "_right": None})
    left = pd.DataFrame(left_rows).sample(frac=1.0, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    left["firm_id"] = [f"L{i:06d}" for i in range(len(left))]
    truth = left.loc[left["_right"].notna(), ["firm_id", "_right"]].rename(
        columns={"firm_id": "left_id", "_right": "right_id"}).reset_index(drop=True)
    cols = ["firm_id", "name", "short_name", "province"]
    left = mark_simulated(left[cols].copy(), "lgresearch.link.synthetic_name_lists")
    right = mark_simulated(right[cols].copy(), "lgresearch.link.synthetic_name_lists")
    truth = mark_simulated(truth, "lgresearch.link.synthetic_name_lists")
    return left, right, truth


# ---------------------------------------------------------------------------------------------------------------
# Identifying Little Giants among deal-database firms (notebooks 04 and 07)
# ---------------------------------------------------------------------------------------------------------------

#: Third-party file of real designated-firm names (a fragment, not a sample).
FRAGMENTS_PARTS = ("official", "srdi_firm_fragments.csv")
#: Columns of :func:`identified_little_giants`.
IDENTIFIED_COLUMNS = ["firm_id", "source", "evidence", "batch", "window_start", "window_end", "date_known",
                      "matched_name", "method"]
#: Exchange words in a deal database's "listed on" text, by board of the stock code.
BOARD_WORDS = {"Main": ("主板", "中小板", "中小企业板"), "ChiNext": ("创业板",), "STAR": ("科创板",),
               "BSE": ("北京证券交易所", "新三板"), "NEEQ": ("新三板",)}


def batch_windows() -> pd.DataFrame:
    """Designation window per batch from the official facts: publicity start to announcement (or publicity end).

    Returns
    -------
    DataFrame
        One row per batch with the first and last date of its designation window.

    Examples
    --------
    >>> w = batch_windows()
    >>> w.loc[w["batch"] == 1, ["window_start", "window_end"]].astype(str).values.tolist()
    [['2019-05-01', '2019-06-13']]
    """
    from lgresearch import official

    b = official.batches()
    start = pd.to_datetime(b["publicity_start"])
    end = pd.to_datetime(b["announcement_date"]).fillna(pd.to_datetime(b["publicity_end"])).fillna(start)
    return pd.DataFrame({"batch": b["batch"].astype("int64"), "window_start": start, "window_end": end})


def fragment_firms(path: str | Path | None = None) -> pd.DataFrame:
    """Real designated-firm names (``official/srdi_firm_fragments.csv`` in the third-party directory).

    Returns ``fid, name, province, city, batch, event, event_date`` plus the batch's designation window
    (:func:`batch_windows`). Raises :class:`lgresearch.paths.MissingExternalData` when the file is absent.

    Parameters
    ----------
    path : str or Path, optional
        The official-name fragments file (default: the third-party directory).

    Returns
    -------
    DataFrame
        Official names with their batch.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "frag.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("enterprise_name,province,city,cohort_batch\\n"
    ...                                          "浙江铖昌科技股份有限公司,浙江省,杭州市,2\\n")
    >>> f = fragment_firms(p)
    >>> f[["fid", "batch"]].values.tolist(), str(f["window_start"].iloc[0].date())
    ([['frag001', 2]], '2020-11-01')
    """
    from lgresearch import paths
    from lgresearch.provenance import mark_real

    p = Path(path) if path is not None else paths.external_path(*FRAGMENTS_PARTS, must_exist=True)
    raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = ["enterprise_name", "province", "cohort_batch"]
    for i, c in enumerate(need):
        if c not in raw.columns:
            raise InputError(p.name, 1, c, "column missing in the fragments file")
    bad = ~raw["cohort_batch"].str.fullmatch(r"\d+")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(p.name, i + 2, "cohort_batch", f"not a batch number: {raw['cohort_batch'].iloc[i]!r}")
    out = pd.DataFrame({
        "fid": [f"frag{i + 1:03d}" for i in range(len(raw))],
        "name": raw["enterprise_name"].str.strip(),
        "province": raw["province"].str.strip(),
        "city": raw.get("city", pd.Series("", index=raw.index)).str.strip(),
        "batch": raw["cohort_batch"].astype("int64"),
        "event": raw.get("event", pd.Series("", index=raw.index)),
        "event_date": pd.to_datetime(raw.get("event_date", pd.Series("", index=raw.index)), errors="coerce"),
    })
    out = out.merge(batch_windows(), on="batch", how="left")
    return mark_real(out, "SRDI designated-firm fragments (official/srdi_firm_fragments.csv; provincial and MIIT "
                          "publicity pages)")


def link_fragments(firms: pd.DataFrame, fragments: pd.DataFrame) -> pd.DataFrame:
    """Link fragment names to deal-database firms (registered names, province blocks); accepted pairs only.

    Parameters
    ----------
    firms : DataFrame
        Deal firms (:func:`lgresearch.deals.deal_firms`).
    fragments : DataFrame
        Official names with a batch (:func:`fragment_firms`).

    Returns
    -------
    DataFrame
        Accepted links between fragments and deal firms.

    Examples
    --------
    >>> firms = pd.DataFrame({"firm_id": ["x"], "firm_name": ["浙江铖昌科技股份有限公司"], "province": ["浙江"]})
    >>> frag = pd.DataFrame({"fid": ["f1"], "name": ["浙江铖昌科技股份有限公司"], "province": ["浙江省"], "batch": [2],
    ...                      "window_start": [pd.Timestamp("2020-11-01")], "window_end": [pd.Timestamp("2020-11-01")]})
    >>> link_fragments(firms, frag)[["firm_id", "batch", "method"]].values.tolist()
    [['x', 2, 'exact_name']]
    """
    pairs = link_firms(fragments, firms, name_col=("name", "firm_name"), province_col="province",
                       firm_col=("fid", "firm_id"))
    acc = best_matches(pairs)
    if acc.empty:
        return pd.DataFrame(columns=IDENTIFIED_COLUMNS)
    fr = fragments.set_index("fid")
    out = pd.DataFrame({
        "firm_id": acc["right_id"].to_numpy(),
        "source": "official fragment",
        "evidence": "name on a published list (batch " + fr.loc[acc["left_id"], "batch"].astype(str).to_numpy() + ")",
        "batch": fr.loc[acc["left_id"], "batch"].to_numpy(),
        "window_start": fr.loc[acc["left_id"], "window_start"].to_numpy(),
        "window_end": fr.loc[acc["left_id"], "window_end"].to_numpy(),
        "date_known": True,
        "matched_name": acc["left_name"].to_numpy(),
        "method": acc["method"].to_numpy(),
    })
    return out


def _board_consistent(board: str | None, exchange_text: str | None) -> bool:
    if not isinstance(exchange_text, str) or not exchange_text:
        return False
    if not isinstance(board, str) or board not in BOARD_WORDS:
        return True
    return any(w in exchange_text for w in BOARD_WORDS[board])


@renamed_kwargs(code="code_col", name="name_col", board="board_col")
def link_listed_short_names(listed_firms: pd.DataFrame, firms: pd.DataFrame, *, code_col: str = "code",
                            name_col: str = "name", board_col: str | None = "board") -> pd.DataFrame:
    """Link stock short names (证券简称) to deal-database firms the vendor reports as listed.

    A pair needs equal normalised short names (the deal database's short name, e.g. 清科 企业), a non-empty
    ``listed_exchange`` on the firm, and, when ``board_col`` is given, an exchange text consistent with the
    code's board (创业板 for ChiNext, 科创板 for STAR, 北交所/新三板 for BSE …). Names matching several firms are
    dropped.

    Parameters
    ----------
    listed_firms : DataFrame
        One row per stock, with its code (any usual form: ``600000``, ``600000.SH``, ``sh600000``, an integer),
        its short name and optionally its board.
    firms : DataFrame
        Deal-database firms (:func:`lgresearch.deals.deal_firms`) with ``firm_id``, ``short_name`` and
        ``listed_exchange``.
    code_col, name_col : str
        Code and short-name columns of ``listed_firms`` (``code=`` and ``name=`` are deprecated).
    board_col : str or None
        Board column of ``listed_firms`` (None: no board check; ``board=`` is deprecated).

    Returns
    -------
    DataFrame
        ``code, firm_id, stock_name, short_name, listed_exchange`` (codes normalised to six digits).

    Examples
    --------
    >>> lf = pd.DataFrame({"code": ["300001"], "name": ["测试光电"], "board": ["ChiNext"]})
    >>> fi = pd.DataFrame({"firm_id": ["f"], "short_name": ["测试光电"], "listed_exchange": ["深圳证券交易所创业板"]})
    >>> link_listed_short_names(lf, fi)[["code", "firm_id"]].values.tolist()
    [['300001', 'f']]
    """
    cand = firms[firms["listed_exchange"].notna() & firms["short_name"].notna()]
    left = pd.DataFrame({"code": normalize_code(listed_firms[code_col]).astype(object).to_numpy(),
                         "stock_name": listed_firms[name_col].astype(object).to_numpy(),
                         "board": listed_firms[board_col].astype(object).to_numpy() if board_col else None})
    left["key"] = _obj(normalize_company_name(left["stock_name"].astype(object)))
    right = pd.DataFrame({"firm_id": cand["firm_id"].to_numpy(), "short_name": cand["short_name"].to_numpy(),
                          "listed_exchange": cand["listed_exchange"].to_numpy()})
    right["key"] = _obj(normalize_company_name(right["short_name"].astype(object)))
    m = left.dropna(subset=["key"]).merge(right.dropna(subset=["key"]), on="key", how="inner")
    ok = [_board_consistent(b, e) for b, e in zip(m["board"], m["listed_exchange"], strict=True)]
    m = m[np.array(ok, dtype=bool)]
    m = m[(m.groupby("code")["firm_id"].transform("nunique") == 1)
          & (m.groupby("firm_id")["code"].transform("nunique") == 1)]
    return m[["code", "firm_id", "stock_name", "short_name", "listed_exchange"]].reset_index(drop=True)


def identified_little_giants(
    firms: pd.DataFrame,
    *,
    fragments: pd.DataFrame | None = None,
    listed_tags: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Deal-database firms identified as Little Giants, with what is known about when.

    Parameters
    ----------
    firms : DataFrame
        :func:`lgresearch.deals.deal_firms` output.
    fragments : DataFrame, optional
        :func:`fragment_firms` output: official names with a batch, hence a designation window.
    listed_tags : DataFrame, optional
        :func:`lgresearch.listed.listed_little_giants` output (vendor tags by stock code): linked through stock
        short names; the window is the batch window when the batch is verified, otherwise the first-seen bracket
        (``bracket_low``/``bracket_high``; a firm on the first Eastmoney snapshot of 2023-12 was designated at some
        point from batch 1, 2019-05, to then).

    Returns
    -------
    DataFrame
        :data:`IDENTIFIED_COLUMNS`, one row per firm (an official fragment wins over a vendor tag).
        ``date_known`` is true when the batch (hence the window) is known.

    Examples
    --------
    >>> firms = pd.DataFrame({"firm_id": ["x"], "firm_name": ["浙江铖昌科技股份有限公司"], "short_name": ["铖昌科技"],
    ...                       "province": ["浙江"], "listed_exchange": ["深圳证券交易所主板"]})
    >>> tags = pd.DataFrame({"code": ["001270"], "name": ["铖昌科技"], "board": ["Main"], "verified_batch": [2],
    ...                      "high_confidence": [True], "bracket_low": [pd.NaT],
    ...                      "bracket_high": [pd.Timestamp("2024-01-02")], "first_seen": [pd.Timestamp("2023-12-18")]})
    >>> identified_little_giants(firms, listed_tags=tags)[["firm_id", "batch", "date_known"]].values.tolist()
    [['x', 2, True]]
    """
    parts = []
    if fragments is not None and len(fragments):
        parts.append(link_fragments(firms, fragments))
    if listed_tags is not None and len(listed_tags):
        linked = link_listed_short_names(listed_tags, firms)
        if len(linked):
            tags = listed_tags.assign(code=listed_tags["code"].astype(str)).set_index("code").loc[linked["code"]]
            windows = batch_windows().set_index("batch")
            first_publicity = windows["window_start"].min()
            vb = pd.to_numeric(tags["verified_batch"], errors="coerce").to_numpy()
            known = ~np.isnan(vb)
            ws = np.where(known, windows["window_start"].reindex(vb).to_numpy(),
                          np.datetime64(first_publicity, "ns"))
            bl = pd.to_datetime(tags["bracket_low"]).to_numpy()
            ws = np.where(~known & ~pd.isna(bl), bl, ws)
            we = np.where(known, windows["window_end"].reindex(vb).to_numpy(),
                          pd.to_datetime(tags["bracket_high"]).fillna(pd.to_datetime(tags["first_seen"])).to_numpy())
            parts.append(pd.DataFrame({
                "firm_id": linked["firm_id"].to_numpy(),
                "source": "listed vendor tag",
                "evidence": ("stock " + linked["code"] + " " + linked["stock_name"].astype(str) + " tagged 专精特新"
                             + np.where(tags["high_confidence"].to_numpy(dtype=bool), " (EM and THS)", "")),
                "batch": pd.array(np.where(known, vb, np.nan), dtype="Float64").astype("Int64"),
                "window_start": pd.to_datetime(ws),
                "window_end": pd.to_datetime(we),
                "date_known": known,
                "matched_name": linked["stock_name"].to_numpy(),
                "method": "stock short name",
            }))
    if not parts:
        return pd.DataFrame(columns=IDENTIFIED_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out = out.drop_duplicates("firm_id", keep="first").reset_index(drop=True)
    out["batch"] = pd.array(pd.to_numeric(out["batch"], errors="coerce"), dtype="Int64")
    return out[IDENTIFIED_COLUMNS]


# ---------------------------------------------------------------------------------------------------------------
# Designations meet deals
# ---------------------------------------------------------------------------------------------------------------

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
    >>> deals = pd.DataFrame({"firm_id": ["D1", "D2"], "firm_name": ["蓝特光学（杭州）有限公司", "宁波某某电子有限公司"],
    ...                       "province": ["浙江", "浙江"]})
    >>> out = attach_designations(deals, panel)
    >>> int(out.loc[0, "batch"]), out.loc[0, "designation_precision"], out.loc[0, "match_method"]
    (3, 'month', 'exact_stem')
    >>> out["match_method"].isna().tolist()
    [False, True]
    """
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
