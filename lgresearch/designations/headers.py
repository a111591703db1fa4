"""Designation lists: header cells, titles and headings (which column is the company name; which batch, list type
and region a title names).

Examples
--------
>>> header_field("企业名称"), parse_list_type("第五批…名单公示")
('name', 'publicity')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lgresearch.clean.batches import parse_batch
from lgresearch.clean.regions import normalize_region
from lgresearch.designations.schema import LIST_TYPES, _official_batches

__all__ = ["HEADER_SYNONYMS", "parse_list_type", "infer_context", "header_field"]

# Header synonyms, compared after NFKC, lower case and removal of spaces. Order within a field does not matter.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "序", "编号", "排序", "顺序号", "no", "no.", "number", "seq", "sequence_no", "sequence"),
    "name": ("企业名称", "单位名称", "公司名称", "申报企业", "申报单位", "申报企业名称", "申报单位名称", "企业全称",
             "企业", "名称", "单位", "公司", "企业名单", "enterprise_name", "enterprise", "company", "company_name",
             "name", "firm", "firm_name"),
    "province": ("省份", "省", "省市", "省(区、市)", "省(区,市)", "省区市", "省(自治区、直辖市)", "所在省份",
                 "所属省份", "推荐单位", "推荐省份", "推荐地区", "推荐部门", "地区", "所在地", "所在地区",
                 "所属地区", "区域", "所在区域", "注册地", "province", "region"),
    "city": ("地市", "城市", "市", "所在市", "所属地市", "所在地市", "地级市", "市州", "市(州)", "所在城市",
             "设区市", "所属市", "所属城市", "city"),
    "district": ("区县", "县(市、区)", "县(市,区)", "县市区", "所在区县", "所属区县", "区(县)", "区县(市)",
                 "district", "county"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "uscc", "credit_code",
             "unified_social_credit_code"),
    "batch": ("批次", "cohort_batch", "batch"),
    "list_type": ("event", "list_type", "名单类型", "类型"),
    "date": ("event_date", "date", "公示日期", "发布日期"),
    "note": ("备注", "note", "remark", "remarks", "说明"),
    "review": ("复核结果", "复核情况", "复核意见", "审核结果", "评审结果", "评价结果", "结果", "是否通过",
               "复核是否通过", "review_result", "review_outcome", "result"),
    "product": ("主导产品", "主营产品", "主要产品", "产品", "主导产品名称", "细分产品", "product", "products",
                "main_product"),
    "industry": ("所属领域", "领域", "所属行业", "行业", "行业领域", "细分领域", "重点领域", "产业领域", "所属产业",
                 "industry", "sector", "field"),
}
_HEADER_LOOKUP = {
    re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).lower(): field_
    for field_, names in HEADER_SYNONYMS.items() for s in names
}
_HEADER_PATTERNS = [
    (re.compile(r"^(?:申报|推荐)?(?:企业|单位|公司)(?:名称|全称)(?:\(.*\))?$"), "name"),
    (re.compile(r"信用代码"), "uscc"),
    (re.compile(r"^序号"), "seq"),
    (re.compile(r"^(?:所在|所属|推荐)?(?:省份|省\(区|省区市)"), "province"),
    (re.compile(r"^(?:所在|所属)?(?:地市|城市|市\(州|设区市)"), "city"),
]

_BATCH_RE = re.compile(r"第\s*([一二三四五六七八九十]+|\d{1,2})\s*批")
_YEAR_RE = re.compile(r"(20[12]\d)\s*年")


# ------------------------------------------------------------------------------------------ small parsers


def parse_list_type(text: object) -> str | None:
    """Return the list type named in ``text``, else None.

    ``复核`` (review) → ``review_passed``; ``公示`` → ``publicity``; ``认定``/``公告``/``名单``/``designation``
    → ``final``. English tokens used in tidy files are accepted (``review_pass_publicity``,
    ``designation_publicity``, ``designation``).

    Parameters
    ----------
    text : str
        A title, heading, file name or list-type token.

    Returns
    -------
    str or None
        One of :data:`LIST_TYPES`, or None.

    Examples
    --------
    >>> parse_list_type("第二批专精特新“小巨人”企业复核通过名单"), parse_list_type("第五批…名单公示")
    ('review_passed', 'publicity')
    >>> parse_list_type("designation"), parse_list_type("final"), parse_list_type("xyz")
    ('final', 'final', None)
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not s:
        return None
    if s in LIST_TYPES:
        return s
    if "复核" in s or "review" in s:
        return "review_passed"
    if "公示" in s or "publicity" in s or "拟认定" in s or "拟入选" in s:
        return "publicity"
    if any(k in s for k in ("认定", "公告", "名单", "公布", "designation", "final", "announce")):
        return "final"
    return None


def infer_context(text: str) -> dict[str, object]:
    """Infer batch, list type and issuing region from a title (or a section heading, or a file name).

    The batch is the first ``第X批`` in the text, or, failing that, a year (``2022年度``) taken as the cohort
    year (for review lists, as the review year). The list type is read from the part of the title that belongs
    to that first batch, so a title naming two lists ("第五批…企业和第二批…复核通过企业名单") gives the first.
    The region is a province or city named before the program name.

    Parameters
    ----------
    text : str
        A title, section heading or file name.

    Returns
    -------
    dict
        ``batch``, ``list_type`` and ``issuer`` where the text names them.

    Examples
    --------
    >>> infer_context("附件：浙江省第五批专精特新“小巨人”企业名单公示")
    {'batch': 5, 'list_type': 'publicity', 'region': '浙江省'}
    >>> infer_context("宁波市2023年度专精特新“小巨人”复核通过企业名单")["batch"]
    2
    """
    s = unicodedata.normalize("NFKC", text or "").translate(_TRAD_HEADER)
    out: dict[str, object] = {"batch": None, "list_type": None, "region": None}
    matches = list(_BATCH_RE.finditer(s))
    if matches:
        out["batch"] = parse_batch(matches[0].group(0))
        end = matches[1].start() if len(matches) > 1 else len(s)
        segment = s[matches[0].start():end]
        if "复核" in segment:
            out["list_type"] = "review_passed"
        else:
            lt = parse_list_type(s.replace("复核", "")) if len(matches) > 1 else parse_list_type(s)
            out["list_type"] = lt
    else:
        out["list_type"] = parse_list_type(s) if re.search(r"小巨人|专精特新|名单|复核|公示", s) else None
        years = _YEAR_RE.findall(s)
        if years and re.search(r"小巨人|专精特新", s):
            out["batch"] = _batch_from_year(int(years[0]), review=out["list_type"] == "review_passed")
    anchor = re.search(r"第\s*\S{1,2}\s*批|20[12]\d\s*年|国家级|专精特新|小巨人|关于", s)
    head = s[: anchor.start()] if anchor else s[:40]
    head = re.sub(r"^\s*附件\s*\d*\s*[:：]?\s*", "", head)
    region = _first_region(head)
    if region is not None:
        out["region"] = region
    return out


def _first_region(text: str) -> str | None:
    m = re.search(r"([\u4e00-\u9fff]{2,12}?(?:省|市|自治区|兵团|州|盟|地区))", text)
    candidates = [m.group(1)] if m else []
    candidates.append(text.strip())
    for cand in candidates:
        cand = re.sub(r"^(?:附件\d*|关于)", "", cand.strip())
        if cand and normalize_region(cand) is not None:
            return cand
    return None


def _batch_from_year(year: int, *, review: bool) -> int | None:
    table = _official_batches()
    col = "review_year" if review else "cohort_year"
    hit = table[pd.to_numeric(table[col], errors="coerce") == year]
    return int(hit["batch"].iloc[0]) if len(hit) == 1 else None


# ------------------------------------------------------------------------------------------- header logic


#: Traditional forms of the words headers and titles use (a Big5 or Hong Kong export): read as simplified.
_TRAD_HEADER = str.maketrans("業稱號單區屬碼統會務領導產結複覆審類備註說單縣轄據後題發佈認證檢",
                             "业称号单区属码统会务领导产结复复审类备注说单县辖据后题发布认证检")


def _header_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_TRAD_HEADER)
    s = re.sub(r"[\s*※]+", "", s).lower()
    return s.replace("（", "(").replace("）", ")")


def header_field(text: str) -> str | None:
    """Return the standard field a header cell names (``name``, ``province``, …), else None.

    Parameters
    ----------
    text : str
        A header cell.

    Returns
    -------
    str or None
        The standard field the header names, or None.

    Examples
    --------
    >>> header_field("企业名称"), header_field("统一社会信用代码（18位）"), header_field("省（区、市）")
    ('name', 'uscc', 'province')
    >>> header_field("第五批专精特新企业名单") is None
    True
    """
    key = _header_key(text)
    if not key or len(key) > 24:
        return None
    if key in _HEADER_LOOKUP:
        return _HEADER_LOOKUP[key]
    for pattern, field_ in _HEADER_PATTERNS:
        if pattern.search(key):
            return field_
    return None


_NAME_HINT = re.compile(r"名称|企业|单位|公司|申报|名单|全称|名稱|企業|單位|名單|name|company|firm|enterprise", re.I)
#: Endings of data cells (company names) that are never a header cell: skip them fast.
_NOT_A_HEADER_END = ("公司", "厂", "）", ")", "中心", "院", "所")


def _header_mapping(cells: Sequence[str]) -> dict[int, str] | None:
    """Map column index -> field when ``cells`` is a header row (it names a company-name column)."""
    # fast reject: a header row has a short cell naming the company-name column
    if not any(c and len(c) <= 30 and (c == "公司" or not c.endswith(_NOT_A_HEADER_END))
               and _NAME_HINT.search(c) and header_field(c) == "name" for c in cells):
        return None
    mapping = {}
    for i, c in enumerate(cells):
        if c:
            f = header_field(c)
            if f is not None:
                mapping[i] = f
    nonempty = sum(1 for c in cells if c)
    if "name" not in mapping.values():
        return None
    # a header row is mostly header words (allow one unknown column such as 主导产品)
    if len(mapping) < max(1, nonempty - max(1, nonempty // 3)):
        return None
    # columns without a header right of the name column belong to the name (merged header cell)
    name_cols = [i for i, f in mapping.items() if f == "name"]
    last = max(name_cols)
    j = last + 1
    while j < len(cells) and not cells[j]:
        mapping[j] = "name_extra"
        j += 1
    return mapping
