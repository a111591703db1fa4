"""Financing-round labels: vendor spellings → one standard round, its order on the stage ladder, and a category.

Vendors write the same round many ways (``"A轮"``, ``"A"``, ``"Series A"``, ``"series_a"``; ``"Pre-A轮"``,
``"PreA"``; ``"天使轮"``, ``"Angel"``). :func:`normalize_round` maps each to

* ``round_std`` — one of :data:`ROUND_LADDER` (letter rounds ``seed``, ``angel``, ``pre-A``, ``A``, ``A+`` …
  ``H+``, ``pre-IPO``) or an off-ladder label (``strategic``, ``cornerstone``, ``NEEQ placement``, ``NEEQ listing``,
  ``listed placement``, ``IPO``, ``post-IPO``, ``secondary``, ``M&A``, ``debt``, ``grant``, ``crowdfunding``,
  ``private equity``, ``venture (unspecified)``, ``other``, ``undisclosed``, ``unknown``);
* ``stage_order`` — a number that increases along the ladder (seed 0, angel 1, pre-A 3, A 4, A+ 5, pre-B 6,
  B 7 … H+ 26, pre-IPO 30, cornerstone 31, IPO 32, listed placement / post-IPO 33); off-ladder rounds
  (strategic, NEEQ, secondary, M&A, other …) have NaN;
* ``category`` — one of :data:`CATEGORIES`.

Labels it does not know give ``round_std="unknown"``, ``known=False`` (callers flag them in their ledger).

Examples
--------
>>> normalize_round("Pre-A轮")
Round(round_std='pre-A', stage_order=3.0, category='seed/venture', known=True)
>>> normalize_round("series_c").round_std, normalize_round("上市定增").category
('C', 'public-market placement')
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "CATEGORIES", "ROUND_COLUMNS", "ROUND_LADDER", "OFF_LADDER", "Round", "normalize_round", "round_labels",
]


#: Round categories.
CATEGORIES = ("seed/venture", "growth", "pre-IPO", "public-market placement", "secondary/transfer", "M&A", "other")
#: Output columns of :func:`normalize_round` on a Series.
ROUND_COLUMNS = ["round_std", "stage_order", "category", "known"]
_LETTERS = "ABCDEFGH"


def _ladder() -> dict[str, tuple[float, str]]:
    ladder: dict[str, tuple[float, str]] = {"seed": (0.0, "seed/venture"), "angel": (1.0, "seed/venture")}
    for k, letter in enumerate(_LETTERS, start=1):
        cat = "seed/venture" if letter in "AB" else "growth"
        ladder[f"pre-{letter}"] = (3.0 * k, cat)
        ladder[letter] = (3.0 * k + 1, cat)
        ladder[f"{letter}+"] = (3.0 * k + 2, cat)
    ladder["pre-IPO"] = (30.0, "pre-IPO")
    ladder["cornerstone"] = (31.0, "public-market placement")
    ladder["IPO"] = (32.0, "public-market placement")
    ladder["listed placement"] = (33.0, "public-market placement")
    ladder["post-IPO"] = (33.0, "public-market placement")
    return ladder


#: Standard rounds on the stage ladder → (stage_order, category).
ROUND_LADDER: dict[str, tuple[float, str]] = _ladder()
#: Standard rounds off the ladder → category (stage_order NaN).
OFF_LADDER: dict[str, str] = {
    "strategic": "other",
    "NEEQ placement": "public-market placement",
    "NEEQ listing": "public-market placement",
    "secondary": "secondary/transfer",
    "M&A": "M&A",
    "debt": "other",
    "grant": "other",
    "crowdfunding": "other",
    "private equity": "growth",
    "venture (unspecified)": "seed/venture",
    "other": "other",
    "undisclosed": "other",
    "unknown": "other",
}

# Exact (normalised) spellings → round_std. Letter rounds are handled by a pattern below.
_SYNONYMS: dict[str, str] = {
    "种子轮": "seed", "种子": "seed", "seed": "seed", "preseed": "seed", "种子期": "seed",
    "天使轮": "angel", "天使": "angel", "angel": "angel", "天使投资": "angel", "preangel": "angel",
    "天使+": "angel", "天使+轮": "angel",
    "preipo": "pre-IPO", "上市前": "pre-IPO", "ipo前": "pre-IPO",
    "战略投资": "strategic", "战略融资": "strategic", "战略": "strategic", "strategic": "strategic",
    "corporateround": "strategic", "战投": "strategic",
    "基石投资": "cornerstone", "基石": "cornerstone", "cornerstone": "cornerstone",
    "新三板定增": "NEEQ placement", "新三板": "NEEQ listing", "新三板挂牌": "NEEQ listing",
    "上市定增": "listed placement", "定向增发": "listed placement", "定增": "listed placement",
    "postipoequity": "listed placement", "私有化": "M&A",
    "ipo": "IPO", "ipo上市": "IPO", "上市": "IPO", "首发": "IPO", "首次公开发行": "IPO",
    "ipo上市后": "post-IPO", "上市后": "post-IPO", "postipo": "post-IPO", "postiposecondary": "post-IPO",
    "postipodebt": "debt",
    "老股权转让": "secondary", "股权转让": "secondary", "老股转让": "secondary", "secondary": "secondary",
    "secondarymarket": "secondary", "secondarysale": "secondary",
    "并购": "M&A", "收购": "M&A", "并购投资": "M&A", "m&a": "M&A", "acquisition": "M&A", "merger": "M&A",
    "debtfinancing": "debt", "debt": "debt", "债权融资": "debt", "债权": "debt", "convertiblenote": "debt",
    "可转债": "debt", "grant": "grant", "nonequityassistance": "grant",
    "equitycrowdfunding": "crowdfunding", "productcrowdfunding": "crowdfunding", "众筹": "crowdfunding",
    "initialcoinoffering": "crowdfunding",
    "privateequity": "private equity", "pe": "private equity",
    "seriesunknown": "venture (unspecified)", "ventureseriesunknown": "venture (unspecified)",
    "venture": "venture (unspecified)",
    "其他": "other", "其它": "other", "other": "other",
    "undisclosed": "undisclosed", "未透露": "undisclosed", "未披露": "undisclosed", "不详": "undisclosed",
    "--": "undisclosed", "-": "undisclosed", "": "undisclosed",
}
_LETTER_RE = re.compile(r"^(pre)?(?:series)?([a-h])(\+*|plus)?(?:轮|round)?(\+*)$")
_F_PRE_IPO_RE = re.compile(r"^([a-h])轮?-上市前$")  # IT桔子 "F轮-上市前": the F-or-later bucket


class Round(NamedTuple):
    """One normalised round."""

    round_std: str
    stage_order: float
    category: str
    known: bool


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s_·.]", "", text)


def _standard(raw: object) -> tuple[str, bool]:
    if raw is None or raw is pd.NA or (isinstance(raw, float) and math.isnan(raw)):
        return "undisclosed", True
    key = _key(str(raw))
    if key in _SYNONYMS:
        return _SYNONYMS[key], True
    stripped = key[:-1] if key.endswith("轮") and key[:-1] in _SYNONYMS else None
    if stripped is not None:
        return _SYNONYMS[stripped], True
    m = _F_PRE_IPO_RE.match(key)
    if m:
        return m.group(1).upper(), True
    key2 = key.replace("-", "")
    m = _LETTER_RE.match(key2)
    if m:
        pre, letter, plus1, plus2 = m.groups()
        plus = bool((plus1 or "") + (plus2 or ""))
        if pre:  # "Pre-A+" sits between pre-A and A: read as pre-A
            return f"pre-{letter.upper()}", True
        return letter.upper() + ("+" if plus else ""), True
    if key2 in _SYNONYMS:
        return _SYNONYMS[key2], True
    return "unknown", False


def _as_round(raw: object) -> Round:
    std, known = _standard(raw)
    if std in ROUND_LADDER:
        order, cat = ROUND_LADDER[std]
        return Round(std, order, cat, known)
    return Round(std, math.nan, OFF_LADDER[std], known)


def normalize_round(values: object) -> Round | pd.DataFrame:
    """Map vendor round labels to a standard round, its stage order and its category.

    Parameters
    ----------
    values : str or Series / list of str
        Round labels as written (Chinese, English or Crunchbase ``investment_type`` codes).

    Returns
    -------
    Round or DataFrame
        For a scalar, a :class:`Round`; for a Series or list, a frame with :data:`ROUND_COLUMNS` (same index).
        Blank, ``--`` and 未透露 map to ``"undisclosed"`` (known); labels not recognised map to ``"unknown"`` with
        ``known=False``.

    Examples
    --------
    >>> out = normalize_round(pd.Series(["天使轮", "B+", "Series A", "IPO上市后", "老股权转让", "Z轮"]))
    >>> out["round_std"].tolist()
    ['angel', 'B+', 'A', 'post-IPO', 'secondary', 'unknown']
    >>> out["stage_order"].tolist()[:3], out["known"].tolist()[-1]
    ([1.0, 8.0, 4.0], False)
    """
    if not isinstance(values, (pd.Series, pd.Index, list, tuple, np.ndarray)):
        return _as_round(values)
    series = values if isinstance(values, pd.Series) else pd.Series(list(values))
    uniq = {v: _as_round(v) for v in pd.unique(series.astype(object))}
    rows = [uniq[v] for v in series.astype(object).tolist()]
    if not rows:
        return pd.DataFrame({"round_std": pd.Series(dtype=object), "stage_order": pd.Series(dtype=float),
                             "category": pd.Series(dtype=object), "known": pd.Series(dtype=bool)},
                            index=series.index)
    out = pd.DataFrame(rows, columns=ROUND_COLUMNS, index=series.index)
    out["stage_order"] = out["stage_order"].astype(float)
    out["known"] = out["known"].astype(bool)
    return out


def round_labels() -> list[str]:
    """All standard round labels, ladder first (in order), then off-ladder ones.

    Returns
    -------
    list of str
        The ladder labels in order, then the off-ladder ones.

    Examples
    --------
    >>> round_labels()[:4]
    ['seed', 'angel', 'pre-A', 'A']
    """
    ladder = sorted(ROUND_LADDER, key=lambda r: ROUND_LADDER[r][0])
    return ladder + [r for r in OFF_LADDER if r not in ROUND_LADDER]
