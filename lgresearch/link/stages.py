"""The stages of :func:`lgresearch.link.link_firms`, most reliable first, and the thresholds they use.

1. ``uscc`` — equal unified social credit codes; 2. ``exact_name`` — equal normalised registered names;
3. ``exact_stem`` / ``exact_core`` — equal stems or cores within a province block (cores only when the dropped
industry words do not contradict each other); 4. ``short_name`` — a short (brand) name equal to, or contained
in, the other side's name, when unambiguous; 5. ``fuzzy`` — character-level similarity of cores within a block.
Each left firm leaves at the first stage that accepts it.

Examples
--------
>>> METHODS[0], STAGE_SCORES["exact_stem"], FUZZY_THRESHOLD
('uscc', 98.0, 92.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from lgresearch.ledger import InputError
from lgresearch.link.names import _compatible

__all__ = ["PAIR_COLUMNS", "METHODS", "STAGE_SCORES", "FUZZY_THRESHOLD", "CANDIDATE_THRESHOLD", "FUZZY_MARGIN",
           "UNBLOCKED_LIMIT"]

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
#: Columns of the internal pairs frames (left and right row numbers ``li`` / ``ri``).
_FOUND_COLUMNS = ["li", "ri", "method", "score", "match", "note", "n_candidates"]


class _Found:
    """Candidate pairs found so far, stage by stage; a left firm leaves at the first stage that accepts it."""

    def __init__(self, n_left: int) -> None:
        self.frames: list[pd.DataFrame] = []
        self.done = np.zeros(n_left, dtype=bool)

    def add(self, pairs: pd.DataFrame, method: str, score: float, *, accept: bool = True, note: str = "",
            mark_done: bool = True) -> None:
        pairs = pairs[~self.done[pairs["li"].to_numpy()]].drop_duplicates(["li", "ri"])
        if pairs.empty:
            return
        n_c = pairs.groupby("li")["ri"].transform("size").to_numpy()
        frame = pd.DataFrame({"li": pairs["li"].to_numpy(), "ri": pairs["ri"].to_numpy(), "method": method,
                              "score": float(score), "match": accept, "note": note, "n_candidates": n_c})
        self.frames.append(frame)
        if mark_done:
            self.done[frame.loc[frame["match"].astype(bool), "li"].unique()] = True

    def pairs(self) -> pd.DataFrame:
        """All pairs found, ``li, ri, method, score, match, note, n_candidates``."""
        return (pd.concat(self.frames, ignore_index=True) if self.frames else pd.DataFrame(columns=_FOUND_COLUMNS))


def _flags(L: pd.DataFrame, R: pd.DataFrame, pairs: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    return L[col].to_numpy()[pairs["li"].to_numpy()], R[col].to_numpy()[pairs["ri"].to_numpy()]


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


def _stage_exact(L: pd.DataFrame, R: pd.DataFrame, found: _Found) -> list[pd.DataFrame]:
    """USCC, normalised name, stem and core stages; returns the short-name candidates they meet on the way."""
    short_cands: list[pd.DataFrame] = []
    # 1. USCC, 2. normalised registered name
    found.add(_exact_join(L, R, "uscc", "uscc", block=False), "uscc", STAGE_SCORES["uscc"])
    found.add(_exact_join(L, R, "norm", "norm", block=False), "exact_name", STAGE_SCORES["exact_name"])
    # 3. equal stems within a block. Registered names on both sides: exact_stem. A short-only side: short_name,
    #    accepted only when its stem carries more than a bare 2-character trade name and is unambiguous.
    stem_pairs = _exact_join(L, R, "stem", "stem", block=True)
    if not stem_pairs.empty:
        lso, rso = _flags(L, R, stem_pairs, "short_only")
        both_legal = ~lso & ~rso
        found.add(stem_pairs[both_legal], "exact_stem", STAGE_SCORES["exact_stem"])
        short_cands.append(stem_pairs[~both_legal].assign(_kind=0))
    # 4. equal cores within a block, when the dropped industry words do not contradict each other
    core_pairs = _exact_join(L, R, "core", "core", block=True)
    if not core_pairs.empty:
        lsuf, rsuf = _flags(L, R, core_pairs, "suffix")
        ok = np.array([_compatible(a, b) for a, b in zip(lsuf, rsuf, strict=True)], dtype=bool)
        lso, rso = _flags(L, R, core_pairs, "short_only")
        both_legal = ~lso & ~rso
        found.add(core_pairs[ok & both_legal], "exact_core", STAGE_SCORES["exact_core"])
        short_cands.append(core_pairs[ok & ~both_legal].assign(_kind=1))
        rejected = core_pairs[~ok]
        found.add(rejected, "exact_core", 80.0, accept=False, note="same core, conflicting industry words",
                  mark_done=False)
    return short_cands


def _stage_short(L: pd.DataFrame, R: pd.DataFrame, found: _Found, short_cands: list[pd.DataFrame]) -> None:
    """Short-only names: equal stem, equal core, or contained in the other side's stem (>= 3 characters);
    accepted only when the short name is specific and the candidate is unique both ways."""
    short_cands = [*short_cands, _contained_short(L, R, found.done).assign(_kind=2)]
    sc = pd.concat([c for c in short_cands if not c.empty] or [pd.DataFrame(columns=["li", "ri", "_kind"])],
                   ignore_index=True)
    if sc.empty:
        return
    sc = sc.astype({"li": "int64", "ri": "int64", "_kind": "int64"})
    sc = sc[~found.done[sc["li"].to_numpy()]]
    sc = sc.sort_values("_kind").drop_duplicates(["li", "ri"])
    accepted = _short_filter(sc, L, R)
    for kind, note in ((0, "short name equals the registered name's stem"),
                       (1, "short name equals the registered name's core"),
                       (2, "short name contained in the registered name")):
        sub = accepted[accepted["_kind"] == kind]
        found.add(sub[["li", "ri"]], "short_name", STAGE_SCORES["short_name"] + 2 - 2 * kind, note=note)
    rest = sc[~sc.set_index(["li", "ri"]).index.isin(accepted.set_index(["li", "ri"]).index)]
    found.add(rest[["li", "ri"]], "short_name", 80.0, accept=False, note="short name ambiguous or too generic",
              mark_done=False)


def _stage_fuzzy(L: pd.DataFrame, R: pd.DataFrame, found: _Found, *, threshold: float, cand: float,
                 margin: float, workers: int) -> None:
    """Fuzzy similarity of cores within blocks (registered names only)."""
    rows: list[tuple] = []
    todo = L[~found.done & L["core"].notna().to_numpy() & ~L["short_only"].to_numpy()]
    right_ok = R[R["core"].notna() & ~R["short_only"]]
    blocks = todo["block"].astype(object).where(todo["block"].notna(), "__no_block__")
    for blk, lq in todo.groupby(blocks, sort=False):
        if blk == "__no_block__":
            if len(right_ok) > UNBLOCKED_LIMIT:
                continue
            rc = right_ok
        else:
            rc = right_ok[right_ok["block"] == blk]
        rows.extend(_fuzzy_block(lq, rc, threshold=threshold, cand=cand, margin=margin, workers=workers))
    if rows:
        found.frames.append(pd.DataFrame(rows, columns=_FOUND_COLUMNS))


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
    l_short = L["short_only"].to_numpy()[li]
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
