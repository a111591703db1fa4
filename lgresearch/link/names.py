"""Name features shared by both linkers: stems, distinctiveness and the per-firm feature table.

A *stem* is a normalised company name without its leading region, bracketed parts and legal form (industry words
kept): ``浙江蓝特光學股份有限公司`` and ``蓝特光学（杭州）有限公司`` both have the stem ``蓝特光学``. The staged linker
(:func:`lgresearch.link.link_firms`) and the registry linker (:func:`lgresearch.link.link_to_registry`) both
compute stems here, so that this module is the lowest of the linking package and imports none of it.

Examples
--------
>>> name_stem("浙江蓝特光學股份有限公司"), distinctive(name_stem("杭州微电子有限公司"))
('蓝特光学', False)
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from lgresearch.clean.names import GENERIC_WORDS, LEGAL_FORMS, core_name, normalize_company_name
from lgresearch.clean.regions import normalize_regions, region_prefix_forms

__all__ = ["name_stem", "distinctive"]

_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_BRACKETED = re.compile(r"（[^（）]*）|（[^（）]*$")


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


def _check_feature_columns(frame: pd.DataFrame, id_col: str | None, cols: tuple[str | None, ...], side: str) -> None:
    for col in cols:
        if col is not None and col not in frame.columns:
            raise KeyError(f"{side} frame has no column {col!r}")
    if id_col is not None and id_col not in frame.columns:
        raise KeyError(f"{side} frame has no id column {id_col!r}")


def _short_features(out: pd.DataFrame, frame: pd.DataFrame, short_col: str) -> None:
    """Short names, with their core and stem where no registered name is given (in place)."""
    short = frame[short_col].astype(object).where(frame[short_col].notna(), None).to_numpy()
    out["short"] = short
    need = out["norm"].isna() & out["short"].notna()
    if need.any():
        sub = out.loc[need, "short"]
        out.loc[need, "short_core"] = _obj(core_name(sub)).to_numpy()
        out.loc[need, "short_stem"] = _stems(_obj(normalize_company_name(sub))).to_numpy()


def _blocks(frame: pd.DataFrame, block_col: str) -> list:
    """Province codes of a blocking column; a value that is not a province is kept as written."""
    regions = normalize_regions(frame[block_col].astype(object).where(frame[block_col].notna(), None))
    code = regions["province_code"].astype(object).to_numpy()
    raw = frame[block_col].astype(object).to_numpy()
    return [c if isinstance(c, str) else (r.strip() if isinstance(r, str) and r.strip() else None)
            for c, r in zip(code, raw, strict=True)]


def _features(frame: pd.DataFrame, *, id_col: str | None, name_col: str, short_col: str | None,
              uscc_col: str | None, block_col: str | None, side: str) -> pd.DataFrame:
    """One row per firm: ``id, name, norm, core, stem, short, short_core, short_stem, uscc, block``."""
    _check_feature_columns(frame, id_col, (name_col, short_col, uscc_col, block_col), side)
    ids = frame[id_col] if id_col is not None else pd.Series(frame.index, index=frame.index)
    name = frame[name_col].astype(object).where(frame[name_col].notna(), None)
    out = pd.DataFrame({"id": ids.astype(object).to_numpy(), "name": name.to_numpy()}, dtype=object)
    out["norm"] = _obj(normalize_company_name(out["name"]))
    out["core"] = _obj(core_name(out["name"]))
    out["stem"] = _stems(out["norm"])
    out["short"] = out["short_core"] = out["short_stem"] = None
    if short_col is not None:
        # short names are used only where no registered name is given
        _short_features(out, frame, short_col)
    if uscc_col is not None:
        u = frame[uscc_col].astype(object).to_numpy()
        out["uscc"] = [x.strip().upper() if isinstance(x, str) and _USCC.match(x.strip().upper()) else None
                       for x in u]
    else:
        out["uscc"] = None
    out["block"] = _blocks(frame, block_col) if block_col is not None else None
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
