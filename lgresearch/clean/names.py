"""Company names: a canonical form for exact joins and a core for fuzzy matching.

:func:`normalize_company_name` makes the *same* registered name written differently compare equal:
full-width and half-width characters (NFKC), brackets (all become the full-width ``（）`` used in registered
names), spaces, footnote markers (``*``, ``※``, ``注1``, ①), Traditional-only characters (OpenCC ``t2s``; a
character that is valid Simplified Chinese, such as 乾 in 乾照, is never rewritten) and
legal-form spellings (``责任有限公司`` → ``有限责任公司``; ``Co.,Ltd`` → ``Co., Ltd.``). It is idempotent and
vectorised: a Series is processed once per unique value.

:func:`core_name` goes further for fuzzy matching: it drops a leading region (``深圳市``, ``浙江``), any
bracketed part (``（杭州）``), and trailing legal-form and generic industry words (``科技``, ``有限公司``):
``深圳市大疆创新科技有限公司`` → ``大疆创新``. Two different firms can share a core; use it to find candidates,
not to decide.

Examples
--------
>>> normalize_company_name("浙江蓝特光學股份有限公司 ※")
'浙江蓝特光学股份有限公司'
>>> normalize_company_name("英飞特电子(杭州)股份有限公司") == normalize_company_name("英飞特电子（杭州）股份有限公司")
True
>>> core_name("深圳市大疆创新科技有限公司")
'大疆创新'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import overload

import numpy as np
import pandas as pd

from lgresearch._compat import PANDAS_3, TEXT_DTYPE
from lgresearch.clean.regions import region_prefix_forms

__all__ = [
    "LEGAL_FORM_CANON", "LEGAL_FORMS", "GENERIC_WORDS", "MARKERS", "SIMPLIFIED_KEEP", "TRADITIONAL_IN_GB2312",
    "normalize_company_name", "core_name",
]


#: Legal-form spellings mapped to their canonical form (applied at the end of a name).
LEGAL_FORM_CANON: dict[str, str] = {
    "责任有限公司": "有限责任公司",
    "有限责任公司": "有限责任公司",
    "股份有限公司": "股份有限公司",
    "股份公司": "股份有限公司",
    "有限公司": "有限公司",
}

#: Trailing legal forms stripped by :func:`core_name` (longest first when matched).
LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "责任有限公司", "集团有限公司", "有限公司", "股份公司", "分公司",
    "总公司", "公司", "集团", "（普通合伙）", "（有限合伙）", "普通合伙", "有限合伙", "合伙企业", "厂",
)

#: Generic trailing words (industry and form words) stripped by :func:`core_name` after the legal form.
GENERIC_WORDS: tuple[str, ...] = (
    "科技", "技术", "高科技", "高新技术", "新技术", "新材料", "材料", "电子", "电子科技", "机械", "机电",
    "设备", "装备", "制造", "智能制造", "工业", "实业", "控股", "股份", "发展", "投资", "智能", "智造",
    "信息", "信息技术", "网络", "软件", "数字", "数据", "生物", "生物科技", "生物技术", "医药", "制药",
    "药业", "医疗", "医疗器械", "器械", "化工", "化学", "光电", "电气", "电器", "电力", "能源", "新能源",
    "环保", "环境", "自动化", "精密", "精工", "仪器", "仪表", "工程", "贸易", "国际", "服务", "咨询",
    "管理", "研究院", "研究所", "有限", "企业", "产业", "工贸", "机器人", "半导体", "微电子", "通信",
    "通讯", "汽车", "汽车零部件", "零部件", "电机", "动力", "塑胶", "塑料", "橡胶", "纺织", "食品", "模具",
    "五金", "铸造", "锻造", "钢铁", "金属", "特种", "系统", "应用", "开发", "集成",
)

#: English legal forms (case-insensitive) -> canonical spelling.
_EN_LEGAL = re.compile(
    r"(?i)(?:\b(?:co|company)\b\.?\s*,?\s*(?:ltd|limited)\b\.?|\bcompany\s+limited\b\.?)\s*$"
)
_EN_CORE = re.compile(
    r"(?i)\b(?:co|company|ltd|limited|inc|incorporated|corp|corporation|group|holdings?|llc|plc|"
    r"technology|technologies|tech|science|sciences|and|&)\b\.?"
)

# Characters removed before NFKC (NFKC would turn superscripts and circled numbers into digits glued to the
# name) and invisible characters (controls, zero-width, soft hyphen, BOM).
_PRE_NFKC = re.compile(
    r"[\u00b9\u00b2\u00b3\u2070-\u209f\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"
    r"\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ud800-\udfff]"
)
#: Footnote markers and quotes removed from names.
MARKERS = "*※★☆△▲▼▽◆◇●○■□#†‡§¶✱✳✻✽❋⁂\"'“”‘’「」『』`´"
_OPENING = "([{【〔〖〘〚⦅<《〈"
_CLOSING = ")]}】〕〗〙〛⦆>》〉"
_TRANSLATE = str.maketrans({**dict.fromkeys(MARKERS, None), **dict.fromkeys(_OPENING, "（"),
                            **dict.fromkeys(_CLOSING, "）")})
_RARE = re.compile("[" + re.escape(MARKERS + _OPENING.replace("(", "") + _CLOSING.replace(")", "")) + "]")
_NOTE_END = re.compile(r"(?:（?注[0-9]{0,2}）?|（[0-9]{1,2}）|(?<=[司厂院所心行部社站])[0-9]{1,2})$")
_EDGE_PUNCT = re.compile(r"^[\s,;:、。，；：\-_~=+|/\\.]+|[\s,;:、。，；：\-_~=+|/\\]+$")
_EDGE_CHARS = frozenset(" ,;:、。，；：-_~=+|/\\.")
_END_TRIGGER = frozenset("0123456789注）") | _EDGE_CHARS
_LEGAL_FIX = tuple(k for k, v in LEGAL_FORM_CANON.items() if k != v)
_LEGAL_END = re.compile("(" + "|".join(sorted(_LEGAL_FIX, key=len, reverse=True)) + ")$")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _stage_a(text: str) -> str:
    """Steps before Traditional -> Simplified: invisible characters, superscripts, NFKC."""
    text = _PRE_NFKC.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text


def _join_words(parts: list[str]) -> str:
    """Join whitespace-separated parts: no space next to a non-ASCII character, one space otherwise."""
    out = parts[0]
    for part in parts[1:]:
        out += (" " if out[-1].isascii() and part[0].isascii() else "") + part
    return out


def _strip_edges(text: str) -> str:
    """Remove edge punctuation, trailing footnote marks and empty brackets, to a fixed point."""
    while text and (text[-1] in _END_TRIGGER or text[0] in _EDGE_CHARS or "（）" in text):
        before = text
        text = _EDGE_PUNCT.sub("", text)
        text = _NOTE_END.sub("", text)
        text = text.replace("（）", "")
        text = text.strip()
        if text == before:
            break
    return text


def _stage_b(text: str) -> str:
    """Steps after Traditional -> Simplified: brackets, markers, spaces, footnotes, legal forms."""
    if "(" in text:
        text = text.replace("(", "（")
    if ")" in text:
        text = text.replace(")", "）")
    if _RARE.search(text):  # str.translate is slow: only when a marker or an odd bracket is present
        text = text.translate(_TRANSLATE)
    parts = text.split()
    if not parts:
        return ""
    if len(parts) > 1:
        text = _join_words(parts)
    else:
        text = parts[0]
    if text and (text[-1] in _END_TRIGGER or text[0] in _EDGE_CHARS or "（）" in text):
        text = _strip_edges(text)
    if text.endswith(_LEGAL_FIX):
        text = _LEGAL_END.sub(lambda m: LEGAL_FORM_CANON[m.group(1)], text)
    tail = text[-9:].lower()
    if "td" in tail or "ited" in tail:
        text = _EN_LEGAL.sub("Co., Ltd.", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # removing a space can leave a combining mark to compose
    return text


#: Characters that OpenCC ``t2s`` rewrites but that are valid Simplified Chinese, so they are never converted.
#: The 通用规范汉字表 (Table of General Standard Chinese Characters, State Council 2013, 附件1) keeps 瞭 乾 藉 麽
#: unsimplified in some readings (乾坤, 狼藉, 瞭望, 幺麽) and restores variants such as 甦 仝 堃 脩 昇 陞 甯 袷
#: 麹 as standard characters; GB 2312 also holds 於 吒 徵 拚 捱 榘 菸 薹 (all standard characters).
#: Source: http://www.gov.cn/zwgk/2013-08/19/content_2469793.htm (国务院关于公布《通用规范汉字表》的通知).
SIMPLIFIED_KEEP: frozenset[str] = frozenset("瞭乾藉麽甦仝堃脩迺昇陞甯袷麹皙瞋噘蹚凓勠於吒徵拚捱榘菸薹")
#: Traditional-only characters that GB 2312 happens to encode (listed as traditional forms in the 2013 table).
TRADITIONAL_IN_GB2312: frozenset[str] = frozenset("後夥摺醣麴")


@lru_cache(maxsize=65536)
def _is_simplified(ch: str) -> bool:
    """Whether a character is valid Simplified Chinese (so Traditional -> Simplified must leave it alone).

    The simplified character set is GB 2312 (the national simplified-character set) plus
    :data:`SIMPLIFIED_KEEP`, minus :data:`TRADITIONAL_IN_GB2312`.
    """
    if ch in SIMPLIFIED_KEEP:
        return True
    if ch in TRADITIONAL_IN_GB2312:
        return False
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _keep_simplified(original: str, converted: str) -> str:
    """Undo OpenCC's rewrite of every character of ``original`` that is already valid Simplified Chinese."""
    if len(original) != len(converted):  # a phrase rule changed the length: convert character by character
        converted = "".join(c if _is_simplified(c) else _t2s().convert(c) for c in original)
        return converted
    return "".join(o if (o != c and _is_simplified(o)) else c for o, c in zip(original, converted, strict=True))


def _convert_t2s(values: list[str]) -> list[str]:
    """Traditional -> Simplified for Traditional-only characters, in one OpenCC call.

    OpenCC ``t2s`` also rewrites characters that are valid Simplified Chinese (乾 → 干, 甦醒 → 苏醒, 藉口 → 借口,
    麽 → 么); every such character is restored, so only Traditional-only characters change.
    """
    if not values:
        return values
    # OpenCC converts a joined block far faster than one call per string; newlines are kept as separators.
    safe = [v.replace("\n", " ") for v in values]
    out = _t2s().convert("\n".join(safe)).split("\n")
    if len(out) != len(safe):  # pragma: no cover - defensive: fall back to one call per string
        out = [_t2s().convert(v) for v in safe]
    return [c if c == o else _keep_simplified(o, c) for o, c in zip(safe, out, strict=True)]


def _normalize_many(values: list[str]) -> list[str | None]:
    """Normalize unique, non-missing strings.

    One Python pass per string (Arrow's RE2 kernels were tried and are slower on CJK text: ten array passes
    cost more than one tight loop), with Traditional → Simplified done for all strings in one OpenCC call.
    """
    staged = [_stage_a(v) for v in values]
    staged = _convert_t2s(staged)
    return [b or None for b in (_stage_b(v) for v in staged)]


def _factorize_text(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes (-1 for missing) and the unique values as str.

    pandas 2 hashes object-dtype strings only up to the first NUL character (``""`` and ``"\\x000"`` collide);
    the Arrow-backed text dtype hashes whole strings, so object input is converted first there (unless it holds
    lone surrogates, which Arrow cannot store).
    """
    if not PANDAS_3 and values.dtype == object:
        try:
            values = values.astype(TEXT_DTYPE)
        except UnicodeEncodeError:
            pass
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, [u if isinstance(u, str) else str(u) for u in uniques]


def _as_str_series(values: Iterable, index: pd.Index, name) -> pd.Series:
    return pd.Series(list(values), index=index, name=name, dtype=object).astype(TEXT_DTYPE)


@overload
def normalize_company_name(names: str | None) -> str | None: ...
@overload
def normalize_company_name(names: pd.Series) -> pd.Series: ...
def normalize_company_name(names: pd.Series | str | None) -> pd.Series | str | None:
    """Return the canonical spelling of company names (vectorised; idempotent).

    Steps: drop invisible characters and footnote superscripts/circled numbers; NFKC (full-width → half-width);
    Traditional → Simplified for Traditional-only characters (OpenCC ``t2s``; valid simplified characters such as
    乾 藉 甦 麽 are kept, see :func:`_is_simplified`); markers ``* ※ ★ # †`` and quotes
    removed; every bracket becomes ``（`` / ``）``; spaces next to Chinese characters removed and other runs
    collapsed; trailing footnotes (``注``, ``注1``, ``（1）``, digits after ``公司``) and edge punctuation removed;
    legal-form suffix canon (:data:`LEGAL_FORM_CANON`, English ``Co., Ltd.``).

    Parameters
    ----------
    names : Series of str, or str
        Missing values stay missing; a name that is empty after cleaning becomes missing.

    Returns
    -------
    Series (same index, string dtype) or str or None

    Examples
    --------
    >>> normalize_company_name("  深圳市 大疆创新科技有限公司*")
    '深圳市大疆创新科技有限公司'
    >>> normalize_company_name("ＡＢＣ　Ｔｅｃｈ　Ｃｏ．，Ｌｔｄ")
    'ABC Tech Co., Ltd.'
    >>> normalize_company_name("杭州某某科技责任有限公司注1")
    '杭州某某科技有限责任公司'
    >>> normalize_company_name("廈門乾照光電股份有限公司")  # 乾 is a valid simplified character: kept
    '厦门乾照光电股份有限公司'
    >>> s = pd.Series(["华为技术有限公司", None, "華為技術有限公司"])
    >>> normalize_company_name(s).tolist()
    ['华为技术有限公司', nan, '华为技术有限公司']
    """
    if names is None:
        return None
    if isinstance(names, str):
        return _normalize_many([names])[0]
    series = names if isinstance(names, pd.Series) else pd.Series(names)
    codes, uniq = _factorize_text(series)
    cleaned = np.array(_normalize_many(uniq) + [None], dtype=object)
    return _as_str_series(cleaned[codes], series.index, series.name)


@lru_cache(maxsize=1)
def _core_tables() -> tuple[dict[int, frozenset], dict[int, frozenset], re.Pattern, re.Pattern]:
    """Region prefixes and trailing words bucketed by length (set lookups beat a large regex alternation)."""
    regions: dict[int, set] = {}
    for form in region_prefix_forms():
        regions.setdefault(len(form), set()).add(form)
    words: dict[int, set] = {}
    for w in set(LEGAL_FORMS) | set(GENERIC_WORDS):
        words.setdefault(len(w), set()).add(w)
    district = re.compile(r"^[\u4e00-\u9fff]{1,3}?[区县旗]")
    brackets = re.compile(r"（[^（）]*）|（[^（）]*$")
    return ({k: frozenset(v) for k, v in sorted(regions.items(), reverse=True)},
            {k: frozenset(v) for k, v in sorted(words.items(), reverse=True)}, district, brackets)


_NON_CJK_SEP = re.compile(r"[\s\-·.,&'/]+")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_JUNK = re.compile(r"[^0-9a-z]+")


def _strip_region_prefix(text: str, regions: dict[int, frozenset], district: re.Pattern) -> str:
    """Strip leading provinces/cities (repeatedly, with 省/市 after a short form) and a district after a city."""
    changed = True
    last = ""
    while changed:
        changed = False
        for n, forms in regions.items():
            if len(text) - n >= 2 and text[:n] in forms:
                last = text[:n]
                text = text[n:]
                if text[:1] in ("省", "市") and len(text) > 3:
                    last += text[0]
                    text = text[1:]
                changed = True
                break
    if last.endswith(("市", "州", "盟")):
        m = district.match(text)
        if m and len(text) - m.end() >= 2:
            text = text[m.end():]
    return text


def _strip_generic_suffix(text: str, words: dict[int, frozenset]) -> str:
    """Strip trailing legal forms and generic words, longest first, keeping at least two characters."""
    changed = True
    while changed:
        changed = False
        for n, forms in words.items():
            if len(text) - n >= 2 and text[-n:] in forms:
                text = text[:-n]
                changed = True
                break
    return text


def _core_one(name: str) -> str | None:
    regions, words, district, brackets = _core_tables()
    text = brackets.sub("", name) if "（" in name else name
    if not _HAS_CJK.search(text):
        text = _NON_CJK_SEP.sub(" ", text).strip()
        text = _EN_CORE.sub(" ", text.lower())
        text = _LATIN_JUNK.sub(" ", text).strip()
        return text or None
    text = _NON_CJK_SEP.sub("", text)
    text = _strip_region_prefix(text, regions, district)
    text = _strip_generic_suffix(text, words)
    return text or None


@overload
def core_name(names: str | None) -> str | None: ...
@overload
def core_name(names: pd.Series) -> pd.Series: ...
def core_name(names: pd.Series | str | None) -> pd.Series | str | None:
    """Return the distinctive core of company names, for fuzzy matching (vectorised).

    The name is first normalized (:func:`normalize_company_name`); then bracketed parts are dropped, a leading
    province/city (and a district after an explicit city) is stripped, and trailing legal forms and generic
    industry words (:data:`LEGAL_FORMS`, :data:`GENERIC_WORDS`) are stripped repeatedly, keeping at least two
    characters. Latin-script names are lower-cased with legal forms and generic words removed.

    Parameters
    ----------
    names : str or Series
        Company names as written (raw names are normalised first).

    Returns
    -------
    str or Series
        The core of each name (no region, no legal form), same kind as the input.

    Examples
    --------
    >>> core_name("深圳市大疆创新科技有限公司")
    '大疆创新'
    >>> core_name("英飞特电子（杭州）股份有限公司")
    '英飞特'
    >>> core_name("浙江星华新材料集团股份有限公司")
    '星华'
    >>> core_name("杭州市余杭区某某精密机械厂")
    '某某'
    >>> core_name(pd.Series(["華為技術有限公司", None])).tolist()
    ['华为', nan]
    >>> core_name("Shenzhen DJI Sciences and Technologies Ltd.")
    'shenzhen dji'
    """
    if names is None:
        return None
    if isinstance(names, str):
        norm = normalize_company_name(names)
        return None if norm is None else _core_one(norm)
    series = names if isinstance(names, pd.Series) else pd.Series(names)
    codes, uniq = _factorize_text(series)
    normed = _normalize_many(uniq)
    cores = np.array([None if n is None else _core_one(n) for n in normed] + [None], dtype=object)
    return _as_str_series(cores[codes], series.index, series.name)
