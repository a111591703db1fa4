"""Designation lists: read any official MIIT or provincial list and build the designation panel.

Batches 1–3 were published by MIIT as national attachments; batches 4–7 as roughly 36 provincial and
separately-planned-city publicity lists per batch, in PDF, Excel, Word and HTML, plus review (复核) lists of firms
that kept the title. This module turns such files into one standard frame and a firm × event panel:

- :func:`read_list` reads one file (any layout: titles above the header, header variants, province group rows,
  repeated headers at page breaks, names wrapped across lines or cells, merged cells, footnotes, markers) into
  the standard columns :data:`LIST_COLUMNS`, accounting for every row of the file in a
  :class:`~lgresearch.ledger.Ledger`;
- :func:`build_panel` de-duplicates firms across files and provinces, assigns a stable ``firm_id`` (the USCC
  when known, else the normalized name), applies an alias table for renamed firms, joins the official batch
  dates and the review outcome, and writes ``designations.parquet`` with its ledger;
- :func:`check_against_official` compares what was read with the official counts per batch, list type and
  province;
- :func:`cli_build` is ``lgresearch designations build PATH...``; :func:`build_processed` rebuilds the panel
  from the files a user dropped into ``data/raw/designations/``.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "zj.csv").write_text(
...     "浙江省第五批专精特新“小巨人”企业名单公示\\n序号,企业名称,所在地\\n1,杭州集智机电股份有限公司,杭州市\\n"
...     "2,温州聚星科技股份有限公司*,温州市\\n注：排名不分先后\\n", encoding="utf-8")
>>> firms, led = read_list(d / "zj.csv", return_ledger=True)
>>> firms[["name", "province", "city", "batch", "list_type"]].values.tolist()
[['杭州集智机电股份有限公司', '浙江', '杭州市', 5, 'publicity'], ['温州聚星科技股份有限公司', '浙江', '温州市', 5, 'publicity']]
>>> led.summary()
'5 rows: 2 kept, 0 merged, 3 dropped (0 flagged)'
"""

from __future__ import annotations

import re
import sys
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths
from lgresearch._compat import TEXT_DTYPE, renamed_kwargs
from lgresearch.clean.batches import parse_batch  # noqa: F401 (the one parse_batch, re-exported)
from lgresearch.clean.names import core_name, normalize_company_name
from lgresearch.clean.regions import PROVINCES, normalize_region
from lgresearch.clean.uscc import normalize_uscc
from lgresearch.clean.dates import parse_date
from lgresearch.errors import InputError
from lgresearch.io import FORMATS, notes_ledger, physical_rows, read_cells
from lgresearch.ledger import Ledger
from lgresearch.provenance import mark_real
from lgresearch.securities import normalize_code

__all__ = [
    "parse_batch",  # re-exported from lgresearch.clean.batches
    "LIST_TYPES", "REVIEW_OUTCOMES", "REVIEW_RESULTS", "LIST_COLUMNS", "PANEL_COLUMNS", "PANEL_FILE", "LEDGER_FILE",
    "CHECK_FILE", "HEADER_SYNONYMS", "parse_list_type", "infer_context", "header_field", "read_list",
    "official_batch_numbers", "looks_like_company", "list_files", "read_aliases", "build_panel",
    "check_against_official", "cli_build", "build_processed", "over_representation", "industry_over_representation",
    "published_province_shares", "SW_MANUFACTURING_L1", "proportion_interval", "issuer_counts",
    "listed_little_giants",
]


#: List types: the publicity list (公示), the final list (认定/公告), and a review pass list (复核通过).
LIST_TYPES = ("publicity", "final", "review_passed")
#: Review outcomes carried by the panel (``failed`` / ``withdrawn``: a review result column said so).
REVIEW_OUTCOMES = ("passed", "failed", "withdrawn", "not on the pass list", "not yet reviewed",
                   "review list not supplied")
#: Values of a review-result column (复核结果) and the ``review_outcome`` they give (checked in this order).
REVIEW_RESULTS: tuple[tuple[str, str], ...] = (
    ("不通过", "failed"), ("未通过", "failed"), ("没通过", "failed"), ("不合格", "failed"), ("不予通过", "failed"),
    ("撤销", "withdrawn"), ("取消", "withdrawn"), ("撤回", "withdrawn"), ("放弃", "withdrawn"),
    ("注销", "withdrawn"), ("通过", "passed"), ("合格", "passed"), ("保留", "passed"),
)
#: Columns of :func:`read_list`.
LIST_COLUMNS = [
    "source_file", "source_row", "page", "seq_no", "raw_name", "name", "uscc", "province_code", "province",
    "province_en", "city", "city_en", "issuer", "separately_planned", "batch", "list_type", "list_date",
    "list_date_precision", "review_outcome",
]
#: Columns of :func:`build_panel`.
PANEL_COLUMNS = [
    "firm_id", "id_type", "name", "core", "uscc", "batch", "cohort_year", "list_type", "event_date",
    "designation_date", "designation_precision",
    "province_code", "province", "province_en", "city", "city_en", "issuer", "separately_planned",
    "launch_date", "publicity_start", "publicity_end", "announcement_date", "review_year", "review_outcome",
    "name_as_listed", "n_sources", "province_conflict", "source_file", "source_row",
]
#: Output file names written by :func:`build_panel` and :func:`cli_build`.
PANEL_FILE = "designations.parquet"
LEDGER_FILE = "designations_ledger.csv"
CHECK_FILE = "designations_check.csv"

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

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_BATCH_RE = re.compile(r"第\s*([一二三四五六七八九十]+|\d{1,2})\s*批")
_YEAR_RE = re.compile(r"(20[12]\d)\s*年")
_ENUM_PREFIX = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])\s*")
_COUNT_SUFFIX = re.compile(r"\s*(?:[(（]?\s*(?:共|计)?\s*\d+\s*家\s*[)）]?|[:：])\s*$")
_FOOTNOTE = re.compile(r"^\s*(?:注|备注|说明|资料来源|数据来源|来源)\s*(?:\d+)?\s*[:：、.．]|^\s*注\s*\d*\s*$|^[*※]\s*\S")
_PAGE_NO = re.compile(r"^\s*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|"
                      r"page\s*\d+(?:\s*of\s*\d+)?)\s*$", re.I)
_TOTAL = re.compile(r"^\s*(?:合\s*计|总\s*计|共\s*计|小\s*计|total)\b", re.I)
_COMPLETE_END = ("公司", "厂", "院", "所", "中心", "合伙）", "合作社", "集团", "社", "场", "店", "部", "站", "局",
                 "行", "）", "Ltd.", "Inc.", "LLC", "Corp.", "基地", "馆", "室", "园", "处")
_CONTINUATION_START = re.compile(r"^(?:有限|股份|公司|责任|集团|（|\(|科技|技术)")
#: Rows that are not firms: footnotes, closing formulas, contacts, signatures, dates, totals.
_NON_FIRM: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"不分先后|按.{0,12}(?:排序|排列|为序)|特此(?:公示|公告|通知)|公示期|联系(?:电话|人|方式)|"
                r"(?:监督|举报|咨询)电话|电子邮箱|传\s*真[:：]|^以上|^如对|^对公示|^公示时间"), "footnote"),
    (re.compile(r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*$"),
     "date line"),
    (re.compile(r"^(?:中华人民共和国)?[\u4e00-\u9fff（）()]{2,30}?(?:厅|局|委员会|经信委|工信委|办公室|人民政府|"
                r"工业和信息化部|领导小组)(?:\s*[(（]?\s*(?:盖章|印)\s*[)）]?)?$"), "signature"),
    (re.compile(r"^\s*(?:共\s*(?:计)?\s*\d+\s*(?:家|个|户)|\d+\s*家\s*$)"), "total line"),
)
#: What a company name looks like: a legal-form ending or a known organisation word.
_FIRM_LIKE = re.compile(r"(?:公司|有限|集团|厂|研究院|研究所|设计院|合作社|中心|事务所|合伙|商行|工作室|"
                        r"(?:ltd|inc|llc|corp|co|gmbh|limited|company)\.?)\s*[）)]?$|公司|有限责任|股份",
                        re.I)
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:区|县|市|旗|镇|乡|街道|新区|开发区|高新区|园区|园)$")


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


def _official_batches() -> pd.DataFrame:
    from lgresearch import official

    return official.batches()


# ------------------------------------------------------------------------------------------- header logic


#: Traditional forms of the words headers and titles use (a Big5 or Hong Kong export): read as simplified.
_TRAD_HEADER = str.maketrans("業稱號單區屬碼統會務領導產結複覆審類備註說單縣轄據後題發佈認證檢", "业称号单区属码统会务领导产结复复审类备注说单县辖据后题发布认证检")


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


# ------------------------------------------------------------------------------------------------ read_list


@dataclass
class _Context:
    batch: int | None = None
    list_type: str | None = None
    region: str | None = None  # province-level text from title or group row
    city: str | None = None  # city from a group row
    batch_src: str = ""
    list_src: str = ""


@dataclass
class _FileResult:
    frame: pd.DataFrame
    n_rows: dict[str, int] = field(default_factory=dict)


def _first_given(*candidates):
    """The first candidate that is not None (argument > row column > section heading > title > file name)."""
    return next((c for c in candidates if c is not None), None)


def read_list(
    path: str | Path,
    *,
    batch: int | None = None,
    list_type: str | None = None,
    province: str | None = None,
    sheet: str | int | None = None,
    return_ledger: bool = False,
    ledger: Ledger | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read one designation list file (xlsx, xls, csv, html, pdf, docx) into the standard frame.

    Parameters
    ----------
    path : str or Path
    batch : int, optional
        The batch (1–7). Default: inferred from the title (``第五批``), a section heading, a batch column, or
        the file name. An explicit argument wins over everything in the file.
    list_type : {"publicity", "final", "review_passed"}, optional
        Default: inferred the same way (``公示`` → publicity, ``复核`` → review_passed, else final).
    province : str, optional
        The issuing province or separately planned city, for provincial lists without a province column
        (default: a province column, group rows, or the title).
    sheet : str or int, optional
        Only this sheet of a workbook.
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: one outcome per row of the file (kept, merged
        into the row above, or dropped with a reason: title line, header row, repeated header, blank line, group
        row, footnote, page number, …) and flags (invalid USCC, region disagreements). Either way the ledger is
        reconciled and its summary is put in ``attrs["ledger_summary"]``.
    ledger : Ledger, optional
        Deprecated (``FutureWarning``): a ledger to append the rows' outcomes to; use ``return_ledger=True``.

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        One row per firm row of the file (and the ledger with ``return_ledger=True``), columns
        :data:`LIST_COLUMNS`: ``raw_name`` as printed (wrapped parts
        joined), ``name`` normalized (:func:`~lgresearch.clean.normalize_company_name`), region columns from
        :func:`~lgresearch.clean.normalize_region` (``issuer`` is the province, or the separately planned city
        that issues its own list), ``batch``, ``list_type``, and ``uscc`` / ``seq_no`` when present;
        ``list_date`` from a date column (read with :func:`~lgresearch.clean.parse_date`; a date it cannot read
        is flagged and left missing); ``review_outcome`` (``passed`` / ``failed`` / ``withdrawn``) from a review
        result column (复核结果), missing otherwise.

        Batch, list type and region come from the explicit arguments, a batch column, section headings, the
        title lines above the header, the sheet name or the file name, never from other data cells; a note that
        names another batch is flagged. A batch that is not an official batch is an error. Footnotes, dates,
        signatures and totals are dropped with their reason; a kept name that does not look like a company is
        flagged. Hidden sheets are skipped (their rows dropped with reason ``hidden sheet``) unless ``sheet=``
        names them.

    Raises
    ------
    InputError
        Unreadable file, no recognisable company-name column, an unknown ``province`` argument, or a batch or
        list type that can neither be inferred nor was given (message names the file, row and column).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "national.csv"
    >>> _ = p.write_text("序号,企业名称,省份\\n1,北京臻迪科技股份有限公司,北京市\\n2,瑞普(天津)生物药业有限公司,天津\\n",
    ...                  encoding="utf-8")
    >>> read_list(p, batch=1, list_type="final")[["name", "province", "batch"]].values.tolist()
    [['北京臻迪科技股份有限公司', '北京', 1], ['瑞普（天津）生物药业有限公司', '天津', 1]]
    """
    if ledger is not None:
        _deprecated_ledger_argument("read_list")
    own = Ledger() if return_ledger or ledger is not None else None
    frame = _read_list(path, batch=batch, list_type=list_type, province=province, sheet=sheet, ledger=own).frame
    if ledger is not None and own is not None:
        ledger.extend(own)
    return (frame, own) if return_ledger and own is not None else frame


def _deprecated_ledger_argument(func: str) -> None:
    """Warn that ``ledger=`` (a ledger to fill) is deprecated in favour of ``return_ledger=True``."""
    warnings.warn(f"{func}(): 'ledger' is deprecated; use 'return_ledger=True', which returns (frame, ledger)",
                  FutureWarning, stacklevel=3)


def official_batch_numbers() -> list[int]:
    """The national batches published so far (from :func:`lgresearch.official.batches`).

    Returns
    -------
    list of int
        The batch numbers.

    Examples
    --------
    >>> official_batch_numbers()
    [1, 2, 3, 4, 5, 6, 7]
    """
    return [int(b) for b in _official_batches()["batch"]]


def _not_official(batch: int) -> str:
    known = official_batch_numbers()
    return (f"batch {batch} is not an official national batch (batches {known[0]}–{known[-1]} are published); "
            f"correct the file or pass batch= explicitly")


def _check_args(name: str, batch: int | None, list_type: str | None, province: str | None) -> None:
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, (int, np.integer))):
        raise InputError(name, None, None, f"batch must be an integer, got {batch!r}")
    if batch is not None and int(batch) not in official_batch_numbers():
        raise InputError(name, None, None, _not_official(int(batch)))
    if list_type is not None and list_type not in LIST_TYPES:
        raise InputError(name, None, None, f"list_type must be one of {LIST_TYPES}, got {list_type!r}")
    if province is not None and normalize_region(province) is None:
        raise InputError(name, None, None, f"unknown province argument {province!r}")


def _read_list(path, *, batch=None, list_type=None, province=None, sheet=None, ledger=None,
               label: str | None = None) -> _FileResult:
    path = Path(path)
    _check_args(path.name, batch, list_type, province)
    cells = read_cells(path, sheet=sheet)
    local = notes_ledger(cells, label=label, name=path.name)
    n_rows = {(k.replace(path.name, label, 1) if label else k): v for k, v in physical_rows(cells).items()}
    if label is not None and label != path.name and len(cells):
        cells["source_file"] = cells["source_file"].str.replace(path.name, label, n=1, regex=False)
    own = ledger if ledger is not None else Ledger()
    frames = []
    groups = cells.groupby("source_file", sort=False) if len(cells) else [(label or path.name, cells)]
    for part_label, part in groups:
        frames.append(_parse_cells(part, str(part_label), path, cells.attrs, batch=batch, list_type=list_type,
                                   province=province, ledger=local))
    frame = pd.concat(frames, ignore_index=True) if frames else _empty_list_frame()
    local.reconcile(n_rows)
    own.extend(local)
    frame.attrs = {"ledger_summary": local.summary(), "format": cells.attrs.get("format", "")}
    return _FileResult(frame, n_rows)


def _empty_list_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in LIST_COLUMNS})


def _single_text(cells: Sequence[str]) -> str | None:
    """The text of a row whose non-empty cells all hold the same text (title, group row, heading)."""
    values = [c for c in cells if c]
    if values and all(v == values[0] for v in values):
        return values[0]
    return None


def _group_region(text: str) -> dict | None:
    """A group row such as ``一、浙江省（25家）`` or ``杭州市：`` → its region record."""
    core = _COUNT_SUFFIX.sub("", _ENUM_PREFIX.sub("", text)).strip()
    core = re.sub(r"[（(]\s*\d+\s*家?\s*[）)]$", "", core).strip()
    if not core or len(core) > 16 or "公司" in core:
        return None
    rec = normalize_region(core)
    if rec is None:
        return None
    # a bare region name, not an organisation like "浙江省经信厅" (those are issuer columns, not group rows)
    if re.search(r"(厅|局|委|办|会|公司|集团)$", core):
        return None
    return rec


def _looks_complete(name: str) -> bool:
    n = normalize_company_name(name) or ""
    return n.endswith(_COMPLETE_END)


def _parse_cells(part: pd.DataFrame, label: str, path: Path, attrs: dict, *, batch, list_type, province,
                 ledger: Ledger) -> pd.DataFrame:
    ccols = [c for c in part.columns if re.fullmatch(r"c\d+", str(c))]
    grid = part[ccols].to_numpy(dtype=object).tolist() if ccols else [[] for _ in range(len(part))]
    rows = part["source_row"].to_numpy().tolist()
    pages = part["page"].to_numpy().tolist()
    blocks = part["block"].to_numpy().tolist()

    ctx = _Context()
    file_ctx = infer_context(path.stem)
    title_lines: list[str] = []
    mapping: dict[int, str] | None = None
    header_texts: dict[int, str] = {}
    header_key: tuple | None = None
    records: list[dict] = []
    drops: dict[str, list[tuple[int, str]]] = {}
    merged: list[tuple[int, str]] = []
    flags: list[tuple[int, str, str]] = []
    last_block = None
    ctx_region_epoch = 0

    def drop(row: int, reason: str, detail: str = "") -> None:
        drops.setdefault(reason, []).append((row, detail))

    def apply_heading(text: str, src: str) -> bool:
        info = infer_context(text)
        changed = False
        if info["batch"] is not None:
            ctx.batch, ctx.batch_src = info["batch"], src
            changed = True
        if info["list_type"] is not None and ("批" in text or "复核" in text or "名单" in text):
            ctx.list_type, ctx.list_src = info["list_type"], src
            changed = True
        if info["region"] is not None and src == "title":
            ctx.region = str(info["region"])
            changed = True
        return changed

    for k, cells in enumerate(grid):
        row = int(rows[k])
        cells = [("" if c is None else str(c)).strip() for c in cells]
        if not any(cells):
            drop(row, "blank line")
            continue
        new_map = _header_mapping(cells)
        if new_map is not None:
            key = tuple(sorted(new_map.items()))
            if mapping is None:
                drop(row, "header row")
                if title_lines:
                    apply_heading(" ".join(title_lines), "title")
            elif key == header_key or blocks[k] == last_block:
                drop(row, "repeated header", f"page {pages[k]}" if pages[k] else "")
            else:
                drop(row, "header row", "new table")
            if key != header_key:
                ctx_region_epoch += 1
            mapping, header_key, last_block = new_map, key, blocks[k]
            header_texts = {i: cells[i] for i in new_map if i < len(cells) and cells[i]}
            continue
        single = _single_text(cells)
        joined = " ".join(c for c in dict.fromkeys(cells) if c)
        if mapping is None:
            title_lines.append(joined)
            drop(row, "title line", joined[:60])
            continue
        if _PAGE_NO.match(joined):
            drop(row, "page number", joined[:30])
            continue
        if _FOOTNOTE.match(joined):
            drop(row, "footnote", joined[:60])
            continue
        if _TOTAL.match(joined) or (single is None and _TOTAL.match(cells[0] if cells else "")):
            drop(row, "total line", joined[:60])
            continue
        name_cols = [i for i, f in mapping.items() if f in ("name", "name_extra") and i < len(cells)]
        seq_cols = [i for i, f in mapping.items() if f == "seq" and i < len(cells)]
        name_parts = [cells[i] for i in name_cols if cells[i]]
        raw_name = "".join(dict.fromkeys(name_parts))  # merged cells repeat the text: keep it once
        seq = next((cells[i] for i in seq_cols if cells[i]), "")
        if not seq or single is not None:
            kind = _non_firm_kind(single if single is not None else (raw_name or joined))
            if kind is not None:
                drop(row, kind, joined[:60])
                continue
        # rows holding one text only: group rows (province / city), section headings, or a name fragment
        if single is not None and not re.fullmatch(r"\d{1,6}", unicodedata.normalize("NFKC", single)):
            grp = _group_region(single)
            if grp is not None:
                ctx.region = grp["province"] if not grp["separately_planned"] else grp["city"]
                ctx.city = grp["city"]
                ctx_region_epoch += 1
                drop(row, "group row", single[:40])
                continue
            if re.search(r"第\s*\S{1,3}\s*批|复核|名单|公示", single) and not _looks_complete(single):
                apply_heading(single, "section")
                drop(row, "section heading", single[:60])
                continue
        if not raw_name:
            if seq and not any(cells[i] for i in range(len(cells)) if i not in seq_cols):
                drop(row, "sequence number without a name", f"{seq}")
            else:
                drop(row, "no company name", joined[:60])
            continue
        # a name wrapped onto the next line: no sequence number of its own, nothing else new on the line
        if records and not seq:
            prev = records[-1]
            others_empty = all(not cells[i] or (i < len(prev["cells"]) and cells[i] == prev["cells"][i])
                               for i in range(len(cells)) if i not in name_cols)
            starts = bool(_CONTINUATION_START.match(raw_name))
            prev_open = not _looks_complete(prev["raw_name"])
            if seq_cols:
                wrapped = prev_open or starts or len(raw_name) <= 6
            else:
                wrapped = (starts and len(raw_name) <= 10) or (
                    prev_open and not (_looks_complete(raw_name) and len(raw_name) >= 8))
            if others_empty and wrapped:
                prev["raw_name"] += raw_name
                merged.append((row, f"name continued from row {prev['row']}"))
                continue
        if seq_cols and not seq:
            flags.append((row, "no sequence number", raw_name[:40]))
        # a region cell left empty under a filled one (a merged cell in a PDF or a CSV export): carry it down
        if records:
            for i, f in mapping.items():
                if f in ("province", "city") and i < len(cells) and not cells[i] and not single:
                    above = records[-1]["cells"][i] if i < len(records[-1]["cells"]) else ""
                    if above and ctx_region_epoch == records[-1]["epoch"]:
                        cells[i] = above
        rec = {"row": row, "page": pages[k], "cells": cells, "raw_name": raw_name, "seq_no": seq,
               "block": blocks[k], "epoch": ctx_region_epoch,
               "batch_ctx": ctx.batch, "list_ctx": ctx.list_type, "region_ctx": ctx.region,
               "city_ctx": ctx.city}
        for i, f in sorted(mapping.items()):
            if i >= len(cells) or f in ("name", "name_extra", "seq") or not cells[i]:
                continue
            if rec.get(f):
                if f == "province" and cells[i] != rec[f]:
                    rec["city_from_region"] = cells[i]  # two region columns: province, then city
                continue
            rec[f] = cells[i]
            rec[f"{f}_header"] = header_texts.get(i, f)
        records.append(rec)

    if mapping is None:
        raise InputError(label, None, None,
                         "no recognisable company-name column (looked for a header such as 企业名称, 单位名称, "
                         "公司名称, 申报企业); add a header row naming the company-name column")

    for reason, items in drops.items():
        ledger.add(label, [r for r, _ in items], "dropped", reason=reason, detail=[d for _, d in items])
    if merged:
        ledger.add(label, [r for r, _ in merged], "merged", reason="name continued on the next line",
                   detail=[d for _, d in merged])

    # context only from context: title lines above the header and an HTML <title>, never data cells
    title_text = " ".join([*title_lines, str(attrs.get("title") or "")]).strip()
    title_ctx = infer_context(title_text) if title_text else {"batch": None, "list_type": None, "region": None}
    sheet_name = label.split("#", 1)[1] if "#" in label else (attrs.get("sheets") or [""])[0]
    sheet_ctx = infer_context(sheet_name) if sheet_name else {"batch": None, "list_type": None, "region": None}
    file_ctx = {k: _first_given(sheet_ctx.get(k), file_ctx.get(k)) for k in ("batch", "list_type", "region")}
    return _finish_records(records, label, path, ledger, flags, batch=batch, list_type=list_type,
                           province=province, title_ctx=title_ctx, file_ctx=file_ctx)


def _non_firm_kind(text: str) -> str | None:
    """The kind of non-firm row a text is (footnote, date line, signature, total line), else None."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    if not t or (_FIRM_LIKE.search(t) and not re.search(r"不分先后|特此|联系|电话", t)):
        return None
    for pattern, kind in _NON_FIRM:
        if pattern.search(t):
            return kind
    return None


def looks_like_company(name: object) -> bool:
    """Whether a (normalized) name looks like a company: a legal-form ending or a known organisation word.

    Parameters
    ----------
    name : object
        A kept name cell.

    Returns
    -------
    bool
        True when the name looks like a company name.

    Examples
    --------
    >>> looks_like_company("杭州集智机电股份有限公司"), looks_like_company("丙科技有"), looks_like_company("以上排名不分先后")
    (True, False, False)
    """
    if not isinstance(name, str) or not name.strip():
        return False
    n = unicodedata.normalize("NFKC", name).strip()
    return bool(_FIRM_LIKE.search(n)) or n.endswith(_COMPLETE_END)


def _finish_records(records: list[dict], label: str, path: Path, ledger: Ledger, flags: list, *, batch,
                    list_type, province, title_ctx: dict, file_ctx: dict) -> pd.DataFrame:
    if not records:
        if flags:
            ledger.add(label, [r for r, *_ in flags], "flagged", reason=[f[1] for f in flags],
                       detail=[f[2] for f in flags])
        return _empty_list_frame()
    kept_rows: list[int] = []
    out_rows: list[dict] = []
    bad_region: list[tuple[int, str]] = []
    missing: dict[str, list[int]] = {}
    arg_region = normalize_region(province) if province is not None else None
    title_region = normalize_region(str(title_ctx["region"])) if title_ctx.get("region") else None
    file_region = normalize_region(str(file_ctx["region"])) if file_ctx.get("region") else None
    official_set = set(official_batch_numbers())
    title_b = _first_given(title_ctx.get("batch"), file_ctx.get("batch"))
    title_lt = _first_given(title_ctx.get("list_type"), file_ctx.get("list_type"))
    for rec in records:
        row = rec["row"]
        # batch: argument > row column > section heading > title > sheet name > file name
        context_b = rec["batch_ctx"] if rec["batch_ctx"] is not None else title_b
        cell_b = _batch_cell(rec, label, official_set) if rec.get("batch") else None
        b = batch if batch is not None else (cell_b if cell_b is not None else context_b)
        if b is not None and int(b) not in official_set:
            raise InputError(label, row, None, _not_official(int(b)) + " (read from the title, a heading or "
                                                                      "the file name)")
        if cell_b is not None and context_b is not None and cell_b != context_b:
            flags.append((row, "batch cell differs from the title", f"cell {cell_b}, title {context_b}"))
        flags.extend((row, "cell names another batch", d) for d in _other_batch_cells(rec, b))
        context_lt = rec["list_ctx"] if rec["list_ctx"] is not None else title_lt
        cell_lt = parse_list_type(rec["list_type"]) if rec.get("list_type") else None
        if cell_lt is not None and context_lt is not None and cell_lt != context_lt:
            flags.append((row, "list type cell differs from the title", f"cell {cell_lt}, title {context_lt}"))
        lt = _first_given(list_type, parse_list_type(rec["list_type"]) if rec.get("list_type") else None,
                          rec["list_ctx"], title_ctx.get("list_type"), file_ctx.get("list_type"))
        if b is None:
            missing.setdefault("batch", []).append(row)
        if lt is None:
            missing.setdefault("list type", []).append(row)
        # region: argument > row columns > group row > title > file name
        region = None
        col_text = rec.get("province") or ""
        city_text = rec.get("city") or rec.get("city_from_region") or ""
        if col_text:
            region = normalize_region(col_text, city_text or None)
            if region is None:
                base = normalize_region(col_text)
                context = arg_region or (normalize_region(rec["region_ctx"], rec["city_ctx"] or None)
                                         if rec["region_ctx"] else None) or title_region or file_region
                if base is None and context is not None and _DISTRICT.match(unicodedata.normalize("NFKC",
                                                                                                  col_text)):
                    region = context  # a county or district under the list's province or city
                elif base is None:
                    bad_region.append((row, f"column {rec.get('province_header', 'province')!r}: {col_text!r}"))
                    continue
                else:
                    flags.append((row, "city not in province", f"{city_text!r} not in {col_text!r}"))
                    region = base
        elif city_text:
            base = arg_region or (normalize_region(rec["region_ctx"]) if rec["region_ctx"] else None) \
                or title_region or file_region
            region = normalize_region(base["province"] if base else "", city_text) if base else \
                normalize_region(city_text)
            if region is None:
                if base is not None:
                    flags.append((row, "unknown city", city_text))
                    region = base
                else:
                    bad_region.append((row, f"column {rec.get('city_header', 'city')!r}: {city_text!r}"))
                    continue
        if region is None and rec["region_ctx"]:
            region = normalize_region(rec["region_ctx"], rec["city_ctx"] or None) or normalize_region(
                rec["region_ctx"])
        if region is None:
            region = title_region or file_region
        if arg_region is not None:
            if region is not None and region["province_code"] != arg_region["province_code"]:
                flags.append((row, "region differs from the province argument",
                              f"{region['province']} vs {arg_region['province']}"))
                region = arg_region
            elif region is None or (region.get("city") is None and arg_region.get("city") is not None):
                region = arg_region
        if region is None:
            flags.append((row, "no province", rec["raw_name"][:40]))
            region = dict.fromkeys(("province_code", "province", "province_en", "city", "city_en"))
            region["separately_planned"] = False
        issuer = None
        if region.get("province") is not None:
            issuer = region["city"][:-1] if region.get("separately_planned") and region.get("city") else \
                region["province"]
        uscc_raw = rec.get("uscc") or ""
        uscc = normalize_uscc(uscc_raw) if uscc_raw else None
        if uscc_raw and uscc is None:
            flags.append((row, "invalid USCC", uscc_raw))
        outcome = _review_cell(rec, flags)
        list_date, list_precision = _date_cell(rec, flags)
        seq_no = unicodedata.normalize("NFKC", rec.get("seq_no") or "").strip()
        out_rows.append({
            "source_file": label, "source_row": row, "page": rec["page"], "seq_no": seq_no or None,
            "raw_name": rec["raw_name"], "uscc": uscc, "province_code": region.get("province_code"),
            "province": region.get("province"), "province_en": region.get("province_en"),
            "city": region.get("city"), "city_en": region.get("city_en"), "issuer": issuer,
            "separately_planned": bool(region.get("separately_planned")), "batch": b, "list_type": lt,
            "list_date": list_date, "list_date_precision": list_precision, "review_outcome": outcome,
        })
        kept_rows.append(row)
    if missing:
        what = " and ".join(missing)
        first = min(r for rows_ in missing.values() for r in rows_)
        raise InputError(label, first, None, f"cannot tell the {what} of this list from its title, headings, "
                                             f"columns or file name; pass {'batch=' if 'batch' in missing else ''}"
                                             f"{' and ' if len(missing) == 2 else ''}"
                                             f"{'list_type=' if 'list type' in missing else ''} explicitly")
    if bad_region:
        ledger.add(label, [r for r, _ in bad_region], "dropped", reason="unknown province",
                   detail=[d for _, d in bad_region])
    frame = pd.DataFrame(out_rows, columns=[c for c in LIST_COLUMNS if c != "name"])
    frame.insert(LIST_COLUMNS.index("name"), "name", normalize_company_name(frame["raw_name"]))
    blank = frame["name"].isna()
    if blank.any():
        ledger.add(label, frame.loc[blank, "source_row"], "dropped", reason="blank name after cleaning",
                   detail=frame.loc[blank, "raw_name"])
        frame = frame.loc[~blank].reset_index(drop=True)
    ledger.add(label, frame["source_row"], "kept")
    names = frame["name"].astype(object).fillna("").astype(str)
    odd = ~(names.str.contains(_FIRM_LIKE) | names.str.endswith(_COMPLETE_END))
    if odd.any():
        ledger.add(label, frame.loc[odd, "source_row"], "flagged", reason="name does not look like a company",
                   detail=frame.loc[odd, "raw_name"])
    failed = frame["review_outcome"].isin(["failed", "withdrawn"])
    if failed.any():
        ledger.add(label, frame.loc[failed, "source_row"], "flagged",
                   reason=["review failed" if o == "failed" else "review withdrawn"
                           for o in frame.loc[failed, "review_outcome"]],
                   detail=frame.loc[failed, "raw_name"])
    if flags:
        ledger.add(label, [r for r, *_ in flags], "flagged", reason=[f[1] for f in flags],
                   detail=[f[2] for f in flags])
    frame["batch"] = frame["batch"].astype("int64")
    frame["page"] = frame["page"].astype("int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    return _string_columns(frame)


def _batch_cell(rec: dict, label: str, official_set: set[int]) -> int | None:
    """The batch a batch-column cell gives; a junk or non-official cell is an error naming the cell."""
    text = rec.get("batch")
    if not text:
        return None
    got = parse_batch(text)
    header = rec.get("batch_header", "batch")
    if got is None:
        raise InputError(label, rec["row"], header, f"cannot read the batch {text!r}; write it as 第五批 or 5 "
                                                    f"(or remove the column and pass batch=)")
    if got not in official_set:
        raise InputError(label, rec["row"], header, _not_official(got))
    return got


def _other_batch_cells(rec: dict, batch: int | None) -> list[str]:
    """Texts of the row's other cells (notes, …) that name a batch other than the row's."""
    out = []
    for k, text in enumerate(rec["cells"]):
        if not text or "批" not in text or text == rec.get("batch") or text == rec["raw_name"]:
            continue
        for m in _BATCH_RE.finditer(unicodedata.normalize("NFKC", text)):
            named = parse_batch(m.group(0))
            if named is not None and batch is not None and named != batch:
                out.append(f"column {k + 1}: {text[:40]}")
                break
    return out


def _review_cell(rec: dict, flags: list) -> str | None:
    """``review_outcome`` from a review-result cell (复核结果: 通过 / 不通过 / 未通过 / 撤销 / 取消)."""
    text = rec.get("review")
    if not text:
        return None
    t = unicodedata.normalize("NFKC", text).strip()
    for word, outcome in REVIEW_RESULTS:
        if word in t:
            return outcome
    flags.append((rec["row"], "unreadable review result", t[:40]))
    return None


def _date_cell(rec: dict, flags: list) -> tuple[str | None, str | None]:
    """A date cell (公示日期) read with :func:`lgresearch.clean.parse_date`, and its precision; what it cannot
    read is flagged."""
    text = rec.get("date")
    if not text:
        return None, None
    got = parse_date(text)
    status = getattr(got, "status", "unparsed")
    if status not in ("future", "unparsed", "missing") and got.date is not None and pd.notna(got.date):
        if status != "ok":  # read, with a warning from the date parser (e.g. day/month ambiguity)
            flags.append((rec["row"], f"date {status}", f"column {rec.get('date_header', 'date')!r}: {text}"))
        return pd.Timestamp(got.date).strftime("%Y-%m-%d"), got.precision
    reason = "date after today" if status == "future" else "unreadable date (official batch date used)"
    flags.append((rec["row"], reason, f"column {rec.get('date_header', 'date')!r}: {text}"))
    return None, None


def _designation_precision(panel: pd.DataFrame, lt: np.ndarray, from_list: np.ndarray,
                           official_batches: pd.DataFrame) -> pd.Series:
    """Precision of ``designation_date``: the list's own date cell's, else the official date's (``day`` /
    ``month`` / ``year``; missing when the batch facts carry no precision)."""
    prec = {}
    for col, kind in (("publicity_start_precision", "publicity"), ("announcement_date_precision", "final")):
        if col in official_batches.columns:
            prec[kind] = dict(zip(official_batches["batch"].astype("Int64"), official_batches[col], strict=True))
    batches = panel["batch"].astype("Int64").tolist()
    own = panel["list_date_precision"] if "list_date_precision" in panel.columns else pd.Series(None, index=panel.index)
    out = [o if f else prec.get(t, {}).get(b) for o, f, t, b in zip(own.tolist(), from_list, lt, batches, strict=True)]
    return pd.Series(out, index=panel.index, dtype=object).where(lambda x: x.notna(), np.nan).astype(TEXT_DTYPE)


def _string_columns(frame: pd.DataFrame) -> pd.DataFrame:
    str_cols = ["source_file", "seq_no", "raw_name", "name", "uscc", "province_code", "province", "province_en",
                "city", "city_en", "issuer", "list_type", "list_date", "list_date_precision", "review_outcome"]
    frame = frame.copy()
    for c in str_cols:
        if c in frame.columns:
            vals = frame[c].astype(object).where(frame[c].notna(), np.nan)
            frame[c] = vals.astype(TEXT_DTYPE)
    return frame


# ---------------------------------------------------------------------------------------------- the panel


def list_files(paths_: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the list files they hold (sorted; hidden and lock files skipped).

    Files of other types inside a folder are skipped with a warning; a named file of another type raises.

    Parameters
    ----------
    paths_ : iterable of str or Path
        Files and folders (folders are searched recursively).

    Returns
    -------
    list of Path
        The list files, sorted.

    Examples
    --------
    >>> list_files([])
    []
    """
    out: list[Path] = []
    for p in paths_:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or f.name.startswith((".", "~$")):
                    continue
                if f.suffix.lower() in FORMATS:
                    out.append(f)
                elif f.suffix.lower() not in (".md", ".txt~"):
                    warnings.warn(f"{f.name}: not a list file type, skipped", stacklevel=2)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(p.name, None, None, "file not found")
    return out


def read_aliases(aliases: str | Path | pd.DataFrame | None) -> dict[str, str]:
    """Read an alias table of renamed firms (columns ``old_name, new_name``) into normalized old → new.

    Chains (A → B, B → C) are resolved to the last name; a cycle raises :class:`InputError`.

    Parameters
    ----------
    aliases : str, Path, DataFrame or None
        A CSV or frame with ``old_name, new_name``.

    Returns
    -------
    dict of str to str
        Normalised old name → normalised new name.

    Examples
    --------
    >>> read_aliases(pd.DataFrame({"old_name": ["甲公司", "乙公司"], "new_name": ["乙公司", "丙公司"]}))
    {'甲公司': '丙公司', '乙公司': '丙公司'}
    """
    if aliases is None:
        return {}
    label = "aliases"
    if not isinstance(aliases, pd.DataFrame):
        label = Path(aliases).name
        cells = read_cells(aliases)
        ccols = [c for c in cells.columns if re.fullmatch(r"c\d+", str(c))]
        if len(cells) == 0 or len(ccols) < 2:
            raise InputError(label, None, None, "an alias table needs two columns: old_name,new_name")
        header = [str(v).strip().lower() for v in cells[ccols].iloc[0]]
        frame = cells.iloc[1:][ccols]
        frame.columns = header
        frame = frame.assign(_row=cells["source_row"].iloc[1:].to_numpy())
    else:
        frame = aliases.copy()
        frame["_row"] = np.arange(2, len(frame) + 2)
    if not {"old_name", "new_name"} <= set(frame.columns):
        raise InputError(label, 1, None, f"an alias table needs columns old_name,new_name; got {list(frame.columns)}")
    old = normalize_company_name(frame["old_name"].astype(object))
    new = normalize_company_name(frame["new_name"].astype(object))
    table: dict[str, str] = {}
    for o, n, r in zip(old, new, frame["_row"], strict=True):
        if pd.isna(o) or pd.isna(n):
            raise InputError(label, int(r), "old_name" if pd.isna(o) else "new_name", "empty name")
        if o in table and table[o] != n:
            raise InputError(label, int(r), "old_name", f"{o} is renamed twice ({table[o]} and {n})")
        if o != n:
            table[o] = n
    resolved = {}
    for o in table:
        seen = {o}
        cur = table[o]
        while cur in table:
            if cur in seen:
                raise InputError(label, None, "new_name", f"alias cycle through {cur}")
            seen.add(cur)
            cur = table[cur]
        resolved[o] = cur
    return resolved


def _frame_input(frame: pd.DataFrame, k: int, ledger: Ledger) -> tuple[pd.DataFrame, dict[str, int]]:
    """A frame passed to build_panel: the output of read_list, or any frame with name, batch and list_type."""
    need = {"batch", "list_type"}
    if "name" not in frame.columns and "raw_name" not in frame.columns:
        raise InputError(f"<frame {k}>", None, "name", "a frame needs a name (or raw_name) column")
    if not need <= set(frame.columns):
        raise InputError(f"<frame {k}>", None, None, f"a frame needs columns {sorted(need)}")
    f = frame.copy()
    if "source_file" not in f.columns:
        f["source_file"] = f"<frame {k}>"
    if "source_row" not in f.columns:
        f["source_row"] = np.arange(1, len(f) + 1)
    if "raw_name" not in f.columns:
        f["raw_name"] = f["name"]
    f["name"] = normalize_company_name(f["raw_name"].astype(object) if "name" not in frame.columns
                                       else f["name"].astype(object))
    if "issuer" not in frame.columns and ("province" in f.columns or "city" in f.columns):
        f = _add_regions(f, k)
    for c in LIST_COLUMNS:
        if c not in f.columns:
            f[c] = None
    missing = f["name"].isna()
    if missing.any():
        ledger.add(f.loc[missing, "source_file"].astype(str), f.loc[missing, "source_row"], "dropped",
                   reason="blank name after cleaning")
    f = f.loc[~missing]
    ledger.add(f["source_file"].astype(str), f["source_row"], "kept")
    counts = frame.assign(source_file=frame["source_file"] if "source_file" in frame.columns
                          else f"<frame {k}>").groupby("source_file").size().to_dict()
    return f[LIST_COLUMNS], {str(a): int(b) for a, b in counts.items()}


def _add_regions(f: pd.DataFrame, k: int) -> pd.DataFrame:
    """Standard region columns for a frame that gives only ``province`` and/or ``city`` text."""
    prov = f["province"] if "province" in f.columns else pd.Series("", index=f.index)
    city = f["city"] if "city" in f.columns else pd.Series(None, index=f.index)
    recs = []
    for row, p, c in zip(f["source_row"], prov, city, strict=True):
        p = "" if pd.isna(p) else str(p)
        c = None if (c is None or pd.isna(c) or not str(c).strip()) else str(c)
        rec = normalize_region(p, c) if (p or c) else None
        if rec is None and (p or c):
            raise InputError(str(f["source_file"].iloc[0]), int(row), "province",
                             f"unknown province/city {p!r}/{c!r}")
        rec = rec or dict.fromkeys(("province_code", "province", "province_en", "city", "city_en"))
        planned = bool(rec.get("separately_planned"))
        issuer = (rec["city"][:-1] if planned else rec["province"]) if rec.get("province") else None
        recs.append({**rec, "separately_planned": planned, "issuer": issuer})
    regions = pd.DataFrame(recs, index=f.index)
    _ = k
    return f.drop(columns=[c for c in regions.columns if c in f.columns]).join(regions)


def build_panel(
    frames_or_paths: Iterable[str | Path | pd.DataFrame] | str | Path | pd.DataFrame,
    *,
    aliases: str | Path | pd.DataFrame | None = None,
    return_ledger: bool = False,
    out: str | Path | None = None,
    write: bool = True,
    as_of: str | pd.Timestamp | None = None,
    official_batches: pd.DataFrame | None = None,
    ledger: Ledger | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Build the designation panel: one row per firm and designation event.

    Parameters
    ----------
    frames_or_paths : paths, folders, or frames from :func:`read_list`
    aliases : CSV path or frame with ``old_name, new_name``, optional
        Renamed firms: rows listed under an old name are counted under the new one (``name_as_listed`` keeps
        the printed name).
    return_ledger : bool, default False
        Also return the :class:`~lgresearch.ledger.Ledger` of every input row's outcome: the rows
        :func:`read_list` dropped, ``kept`` for the panel rows and ``merged`` for duplicates (same firm, batch
        and list type in another file or province), with reasons.
    out : path, optional
        Folder for :data:`PANEL_FILE` and :data:`LEDGER_FILE` (default: ``paths.processed_dir()``).
    write : bool
        Write the two files (default True).
    as_of : date, optional
        Date that decides whether a batch's review is due (default: today).
    official_batches : DataFrame, optional
        Batch facts (default :func:`lgresearch.official.batches`).
    ledger : Ledger, optional
        Deprecated (``FutureWarning``): a ledger to append the outcomes to; use ``return_ledger=True``.

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        The panel (and the ledger with ``return_ledger=True``). Columns :data:`PANEL_COLUMNS`.
        ``designation_date`` is the list's own date when it has one, else the official batch date (publicity
        start for publicity lists, announcement for final lists; ``event_date`` is the same date under its 0.x
        name); ``designation_precision`` says how precise it is (``day`` / ``month`` / ``year``: batch 4's
        official dates are month precision). ``firm_id`` is the USCC when any list gives one for the firm, else the
        normalized name (``id_type`` says which). ``review_outcome`` is ``failed`` or ``withdrawn`` (a review
        result column said 不通过 / 未通过 or 撤销 / 取消 for the firm and batch: those rows are not panel rows,
        the ledger drops them with reason ``review failed`` / ``review withdrawn``), ``passed`` (on a review pass
        list of the firm's batch), ``not on the pass list`` (a pass list for the batch and the firm's issuer was read and
        the firm is not on it), ``not yet reviewed`` (the batch's review year is after ``as_of``), or ``review
        list not supplied``. ``attrs["ledger_summary"]`` summarises the ledger.

    Examples
    --------
    >>> f = pd.DataFrame({"name": ["甲科技有限公司", "甲科技有限公司", "乙公司"], "batch": [5, 5, 5],
    ...                   "list_type": ["publicity", "final", "publicity"], "province": ["浙江", "浙江", "江苏"]})
    >>> p = build_panel([f], write=False, as_of="2025-01-01")
    >>> p[["firm_id", "list_type", "cohort_year", "review_outcome"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['乙公司', 'publicity', 2023, 'not yet reviewed'],
     ['甲科技有限公司', 'final', 2023, 'not yet reviewed'],
     ['甲科技有限公司', 'publicity', 2023, 'not yet reviewed']]
    """
    if ledger is not None:
        _deprecated_ledger_argument("build_panel")
    if isinstance(frames_or_paths, (str, Path, pd.DataFrame)):
        frames_or_paths = [frames_or_paths]
    led = Ledger()
    parts: list[pd.DataFrame] = []
    expected: dict[str, int] = {}
    items = list(frames_or_paths)
    path_items = list_files([p for p in items if not isinstance(p, pd.DataFrame)])
    labels = _unique_labels(path_items)
    for p in path_items:
        res = _read_list(p, ledger=led, label=labels[p])
        parts.append(res.frame)
        expected.update(res.n_rows)
    for k, f in enumerate(p for p in items if isinstance(p, pd.DataFrame)):
        frame, counts = _frame_input(f, k, led)
        parts.append(frame)
        expected.update(counts)
    rows = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else _empty_list_frame()
    panel, led = _assemble(rows, led, aliases=aliases, as_of=as_of, official_batches=official_batches)
    led.reconcile(expected)
    if ledger is not None:
        ledger.extend(led)
    panel.attrs["ledger_summary"] = led.summary()
    if write:
        folder = Path(out) if out is not None else paths.processed_dir()
        folder.mkdir(parents=True, exist_ok=True)
        _write_parquet(panel, folder / PANEL_FILE)
        led.frame().to_csv(folder / LEDGER_FILE, index=False)
    return (panel, led) if return_ledger else panel


def _unique_labels(files: Sequence[Path]) -> dict[Path, str]:
    names = [f.name for f in files]
    out = {}
    for f in files:
        out[f] = f.name if names.count(f.name) == 1 else f"{f.parent.name}/{f.name}"
    return out


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    clean = frame.copy()
    clean.attrs = {}
    clean.to_parquet(path, index=False)


def _assemble(rows: pd.DataFrame, led: Ledger, *, aliases, as_of, official_batches) -> tuple[pd.DataFrame, Ledger]:
    """Aliases, firm ids, de-duplication, official dates and review outcomes."""
    rows = rows.copy()
    rows["batch"] = pd.to_numeric(rows["batch"], errors="coerce").astype("Int64")
    bad_type = ~rows["list_type"].isin(LIST_TYPES) | rows["batch"].isna()
    if bad_type.any():
        r = rows.loc[bad_type].iloc[0]
        raise InputError(str(r["source_file"]), int(r["source_row"]), "list_type" if r["list_type"] not in
                         LIST_TYPES else "batch", f"bad batch/list type {r['batch']!r}/{r['list_type']!r}")
    rows["name_as_listed"] = rows["name"]
    alias_map = read_aliases(aliases)
    flags: list[tuple[str, int, str, str]] = []
    if alias_map:
        renamed = rows["name"].map(alias_map)
        hit = renamed.notna()
        for f, r, o, n in zip(rows.loc[hit, "source_file"], rows.loc[hit, "source_row"], rows.loc[hit, "name"],
                              renamed[hit], strict=True):
            flags.append((f, int(r), "renamed by alias table", f"{o} -> {n}"))
        rows["name"] = renamed.where(hit, rows["name"])
    # firm id: the USCC when any row of the same name has one (and only one)
    with_code = rows.dropna(subset=["uscc"])
    codes = with_code.groupby("name")["uscc"].agg(lambda s: sorted(set(s)))
    conflict = codes[codes.map(len) > 1]
    for name_, cs in conflict.items():
        for f, r in rows.loc[rows["name"] == name_, ["source_file", "source_row"]].itertuples(index=False):
            flags.append((f, r, "one name, several USCCs", f"{name_}: {', '.join(cs)}"))
    single = codes[codes.map(len) == 1].map(lambda c: c[0])
    rows["uscc"] = rows["uscc"].where(rows["uscc"].notna(), rows["name"].map(single))
    rows["firm_id"] = rows["uscc"].where(rows["uscc"].notna(), rows["name"])
    rows["id_type"] = np.where(rows["uscc"].notna(), "uscc", "name")
    # review results: a failed or withdrawn row is not a designation (it only sets the firm's review outcome)
    result = rows["review_outcome"].astype(object) if "review_outcome" in rows.columns else \
        pd.Series(None, index=rows.index, dtype=object)
    bad = result.isin(["failed", "withdrawn"])
    failed_pairs = {(fid, int(b)): o for fid, b, o in zip(rows.loc[bad, "firm_id"], rows.loc[bad, "batch"],
                                                          result[bad], strict=True)}
    if bad.any():
        led = _relabel(led, [(f, int(r), "review failed" if o == "failed" else "review withdrawn",
                              f"{n}: review {o}") for f, r, o, n in
                             zip(rows.loc[bad, "source_file"], rows.loc[bad, "source_row"], result[bad],
                                 rows.loc[bad, "name"], strict=True)], "dropped")
        rows = rows.loc[~bad.to_numpy()].copy()
    # de-duplicate firm x batch x list type
    rows["_order"] = np.arange(len(rows))
    key = ["firm_id", "batch", "list_type"]
    rows = rows.sort_values([*key, "_order"], kind="stable")
    first = ~rows.duplicated(key, keep="first")
    rows["n_sources"] = rows.groupby(key, sort=False)["_order"].transform("size").astype("int64")
    keepers = rows.loc[first, [*key, "source_file", "source_row", "province", "city"]]
    dup = rows.loc[~first].merge(keepers, on=key, suffixes=("", "_kept"), how="left")
    merged_info = []
    for r in dup.itertuples(index=False):
        conflicting = (pd.notna(r.province) and pd.notna(r.province_kept) and r.province != r.province_kept)
        reason = "duplicate firm with a conflicting province" if conflicting else "duplicate firm"
        detail = f"same as {r.source_file_kept} row {r.source_row_kept}"
        if conflicting:
            detail += f" ({r.province} vs {r.province_kept})"
            flags.append((r.source_file_kept, int(r.source_row_kept), "province conflict with a duplicate",
                          f"{r.source_file} row {r.source_row}: {r.province}"))
        merged_info.append((r.source_file, int(r.source_row), reason, detail))
    prov_conflict = set()
    if len(dup):
        c = dup[dup["province"].notna() & dup["province_kept"].notna() & (dup["province"] != dup["province_kept"])]
        prov_conflict = set(zip(c["firm_id"], c["batch"], c["list_type"], strict=True))
    if merged_info:
        led = _relabel(led, merged_info, "merged")
    panel = rows.loc[first].drop(columns="_order").copy()
    panel["province_conflict"] = [(a, b, c) in prov_conflict for a, b, c in
                                  zip(panel["firm_id"], panel["batch"], panel["list_type"], strict=True)]
    # the same firm designated in two batches (not counting review lists)
    desig = panel[panel["list_type"] != "review_passed"]
    multi = desig.groupby("firm_id")["batch"].nunique()
    for fid in multi[multi > 1].index:
        for f, r, b in desig.loc[desig["firm_id"] == fid, ["source_file", "source_row", "batch"]].itertuples(
                index=False):
            flags.append((f, int(r), "firm listed in several batches", f"{fid}: batch {b}"))
    # official dates
    ob = official_batches if official_batches is not None else _official_batches()
    cols = ["batch", "cohort_year", "launch_date", "publicity_start", "publicity_end", "announcement_date",
            "review_year"]
    ob_full = ob
    ob = ob[cols].copy()
    ob["batch"] = ob["batch"].astype("Int64")
    panel = panel.merge(ob, on="batch", how="left")
    listed_date = pd.to_datetime(panel["list_date"], errors="coerce").astype("datetime64[ns]")
    pub = panel["publicity_start"].astype("datetime64[ns]").to_numpy()
    ann = panel["announcement_date"].astype("datetime64[ns]").to_numpy()
    lt = panel["list_type"].to_numpy(dtype=object)
    official_date = np.where(lt == "publicity", pub, np.where(lt == "final", ann, np.datetime64("NaT", "ns")))
    panel["event_date"] = listed_date.where(listed_date.notna(), pd.Series(official_date, index=panel.index))
    panel["designation_date"] = panel["event_date"]
    panel["designation_precision"] = _designation_precision(panel, lt, listed_date.notna().to_numpy(), ob_full)
    panel["review_outcome"] = _review_outcomes(panel, as_of, failed_pairs)
    panel["core"] = core_name(panel["name"].astype(object))
    panel["cohort_year"] = panel["cohort_year"].astype("Int64")
    panel["review_year"] = pd.to_numeric(panel["review_year"], errors="coerce").astype("Int64")
    order = {t: i for i, t in enumerate(("final", "publicity", "review_passed"))}
    panel = panel.assign(_lt=panel["list_type"].map(order)).sort_values(
        ["batch", "issuer", "firm_id", "_lt"], na_position="last", kind="stable").drop(columns="_lt")
    panel = panel[PANEL_COLUMNS].reset_index(drop=True)
    panel = _string_columns(panel)
    for c in ("id_type", "core", "firm_id", "name_as_listed"):
        vals = panel[c].astype(object).where(panel[c].notna(), np.nan)
        panel[c] = vals.astype(TEXT_DTYPE)
    if flags:
        led.add([f[0] for f in flags], [int(f[1]) for f in flags], "flagged", reason=[f[2] for f in flags],
                detail=[f[3] for f in flags])
    files = sorted(set(panel["source_file"].dropna().astype(str)))
    mark_real(panel, "designation lists: " + (", ".join(files[:5]) + (" …" if len(files) > 5 else "")
                                              if files else "none"))
    return panel, led


def _relabel(led: Ledger, info: list[tuple[str, int, str, str]], outcome: str) -> Ledger:
    """Turn the ``kept`` entries of the given (file, row) into ``outcome`` with a reason and detail."""
    lf = led.frame()
    idx = pd.MultiIndex.from_frame(lf[["source_file", "source_row"]].astype({"source_row": "int64"}))
    lookup = {(f, r): (reason, detail) for f, r, reason, detail in info}
    hits = [lookup.get(t) for t in idx]
    mask = np.array([h is not None for h in hits], dtype=bool) & (lf["outcome"] == "kept").to_numpy()
    lf.loc[mask, "outcome"] = outcome
    lf.loc[mask, "reason"] = [h[0] for h, m in zip(hits, mask, strict=True) if m]
    lf.loc[mask, "detail"] = [h[1] for h, m in zip(hits, mask, strict=True) if m]
    return Ledger.from_frame(lf)


def _review_outcomes(panel: pd.DataFrame, as_of, failed: dict | None = None) -> pd.Series:
    today = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    review = panel[panel["list_type"] == "review_passed"]
    passed = set(zip(review["firm_id"], review["batch"], strict=True))
    # which (batch, issuer) pairs have a pass list; a pass list without issuer covers the whole batch
    covered = set(zip(review["batch"], review["issuer"].fillna("*"), strict=True))
    whole_batch = {b for b, i in covered if i == "*"}
    out = []
    for fid, b, iss, ry in zip(panel["firm_id"], panel["batch"], panel["issuer"], panel["review_year"],
                               strict=True):
        if failed and (fid, int(b)) in failed:
            out.append(failed[(fid, int(b))])
        elif (fid, b) in passed:
            out.append("passed")
        elif b in whole_batch or (b, iss if isinstance(iss, str) else "*") in covered:
            out.append("not on the pass list")
        elif pd.isna(ry) or int(ry) > today.year:
            out.append("not yet reviewed")
        else:
            out.append("review list not supplied")
    return pd.Series(out, index=panel.index, dtype=object)


# ------------------------------------------------------------------------------------------------- checking


def check_against_official(
    panel: pd.DataFrame,
    *,
    official_batches: pd.DataFrame | None = None,
    province_counts: pd.DataFrame | None = None,
    complete_share: float = 0.9,
) -> pd.DataFrame:
    """Compare the panel with the official counts, per batch and list type, and per province.

    Parameters
    ----------
    panel : DataFrame from :func:`build_panel`
    official_batches, province_counts : DataFrame, optional
        Default :func:`lgresearch.official.batches` and :func:`lgresearch.official.province_counts`.
    complete_share : float
        Coverage above which a batch is treated as complete enough to judge province shares.

    Returns
    -------
    DataFrame
        One row per (level, batch, list_type, province): ``level`` is ``batch`` or ``province``; ``found``
        (firms in the panel), ``official`` (published count: publicity, final or review passes for a batch; the
        published province or separately-planned-city count where there is one), ``coverage`` = found /
        official, ``share_found`` and ``share_official`` (province shares of the batch), and ``status``:
        ``complete``, ``partial``, ``none read``, ``more than official`` (duplicates, a wrong batch, or a list
        of another type), ``no official count``, or ``implausible share`` (the batch is read almost completely
        but the province's share is far from the published one, or above 30% where nothing is published).

    Examples
    --------
    >>> f = pd.DataFrame({"name": [f"企业{i}有限公司" for i in range(3)], "batch": 1, "list_type": "final",
    ...                   "province": "北京"})
    >>> chk = check_against_official(build_panel([f], write=False))
    >>> chk.loc[chk["level"].eq("batch") & chk["batch"].eq(1) & chk["list_type"].eq("final"),
    ...         ["found", "official", "status"]].values.tolist()
    [[3, 248, 'partial']]
    """
    ob = official_batches if official_batches is not None else _official_batches()
    if province_counts is None:
        from lgresearch import official

        province_counts = official.province_counts()
    found = panel.groupby(["batch", "list_type"]).size().rename("found")
    rows = []
    for r in ob.itertuples(index=False):
        for lt, col in (("publicity", "count_publicity"), ("final", "count_final"),
                        ("review_passed", "review_passed")):
            off = getattr(r, col)
            n = int(found.get((r.batch, lt), 0))
            off = None if pd.isna(off) else int(off)
            rows.append({"level": "batch", "batch": int(r.batch), "list_type": lt, "province": None,
                         "found": n, "official": off})
    batch_rows = pd.DataFrame(rows)
    batch_rows["coverage"] = batch_rows["found"] / batch_rows["official"].astype(float)
    batch_rows["status"] = [_status(f, o) for f, o in zip(batch_rows["found"], batch_rows["official"],
                                                          strict=True)]
    # provinces
    prov_rows = []
    if len(panel):
        by_issuer = panel.groupby(["batch", "list_type", "province"]).size().rename("found").reset_index()
        spc = panel[panel["separately_planned"].astype(bool)]
        by_city = spc.groupby(["batch", "list_type", "issuer"]).size().rename("found").reset_index() \
            .rename(columns={"issuer": "province"})
        by_city["unit"] = "city"
        by_issuer["unit"] = "province"
        table = pd.concat([by_issuer, by_city], ignore_index=True)
        pc = province_counts.copy()
        pc = pc[pc["unit"].isin(["province", "city"])]
        pc = pc.rename(columns={"scope": "list_type", "count": "official"})
        pc["batch"] = pc["batch"].astype("int64")
        table["batch"] = table["batch"].astype("int64")
        table = table.merge(pc[["batch", "list_type", "unit", "province", "official"]],
                            on=["batch", "list_type", "unit", "province"], how="left")
        totals = batch_rows.set_index(["batch", "list_type"])
        for t in table.itertuples(index=False):
            tot_found = int(totals.loc[(t.batch, t.list_type), "found"]) if (t.batch, t.list_type) in totals.index \
                else int(t.found)
            tot_off = totals.loc[(t.batch, t.list_type), "official"] if (t.batch, t.list_type) in totals.index \
                else None
            cov = totals.loc[(t.batch, t.list_type), "coverage"] if (t.batch, t.list_type) in totals.index \
                else np.nan
            off = None if pd.isna(t.official) else int(t.official)
            share_found = t.found / tot_found if tot_found else np.nan
            share_off = off / float(tot_off) if off is not None and tot_off and not pd.isna(tot_off) else np.nan
            status = _status(int(t.found), off)
            if pd.notna(cov) and cov >= complete_share:
                if pd.notna(share_off) and (abs(share_found - share_off) > 0.05
                                            and not 0.5 <= share_found / share_off <= 2):
                    status = "implausible share"
                elif pd.isna(share_off) and share_found > 0.3:
                    status = "implausible share"
            prov_rows.append({"level": "province" if t.unit == "province" else "separately planned city",
                              "batch": int(t.batch), "list_type": t.list_type, "province": t.province,
                              "found": int(t.found), "official": off,
                              "coverage": t.found / off if off else np.nan, "share_found": share_found,
                              "share_official": share_off, "status": status})
    parts = [batch_rows]
    if prov_rows:
        # same dtypes as the batch rows (whose province is all missing), so no all-NA column decides a dtype
        prov = pd.DataFrame(prov_rows)
        parts.append(prov.assign(province=prov["province"].astype(object),
                                 official=prov["official"].astype("float64")))
    out = pd.concat(parts, ignore_index=True)
    for c in ("share_found", "share_official"):
        if c not in out.columns:
            out[c] = np.nan
    out["official"] = out["official"].astype("Int64")
    out = out[["level", "batch", "list_type", "province", "found", "official", "coverage", "share_found",
               "share_official", "status"]]
    return mark_real(out, "designation panel vs official counts (lgresearch.official)")


def _status(found: int, official: int | None) -> str:
    if official is None or pd.isna(official):
        return "no official count" if found else "none read"
    if found == 0:
        return "none read"
    if found == official:
        return "complete"
    if found > official:
        return "more than official"
    return "partial"


# ------------------------------------------------------------------------------------------------ CLI & co


def cli_build(paths_: Sequence[str | Path], *, aliases: str | Path | None = None, out: str | Path | None = None) -> int:
    """``lgresearch designations build PATH... [--aliases CSV] [--out DIR]``: panel, ledger and check.

    Writes :data:`PANEL_FILE`, :data:`LEDGER_FILE` and :data:`CHECK_FILE` into ``out`` (default
    ``data/processed``) and prints a summary. Returns the exit code: 0 on success, 1 on bad input (the message
    names the file, row and column), 2 when no list file was found.

    Parameters
    ----------
    paths_ : sequence of str or Path
        List files or folders.
    aliases : str or Path, optional
        Renamed-firms CSV (``old_name, new_name``).
    out : str or Path, optional
        Output folder (default: the processed-data folder).

    Returns
    -------
    int
        The exit status (0 ok, 1 bad input, 2 no files).

    Examples
    --------
    >>> cli_build([])
    2
    """
    try:
        files = list_files(paths_)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not files:
        print("error: no list files (xlsx, xls, csv, html, pdf, docx) in the given paths", file=sys.stderr)
        return 2
    folder = Path(out) if out is not None else paths.processed_dir()
    try:
        panel, led = build_panel(files, aliases=aliases, return_ledger=True, out=folder, write=True)
        check = check_against_official(panel)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    check.to_csv(folder / CHECK_FILE, index=False)
    print(f"read {len(files)} file(s): {led.summary()}")
    print(f"panel: {len(panel)} firm-events, {panel['firm_id'].nunique()} firms -> {folder / PANEL_FILE}")
    counts = led.counts()
    dropped = counts[counts["outcome"].isin(["dropped", "merged"])]
    if len(dropped):
        print("rows not kept, by reason:")
        for r in dropped.itertuples(index=False):
            print(f"  {r.outcome:8s} {r.n:6d}  {r.reason}")
    b = check[(check["level"] == "batch") & (check["found"] > 0)]
    for r in b.itertuples(index=False):
        off = "NA" if pd.isna(r.official) else f"{int(r.official):,}"
        print(f"batch {r.batch} {r.list_type:13s} found {r.found:6,d} of {off:>6s}  {r.status}")
    print(f"ledger -> {folder / LEDGER_FILE}; check -> {folder / CHECK_FILE}")
    return 0


def build_processed() -> list[Path]:
    """Rebuild ``data/processed/designations.parquet`` from the files in ``data/raw/designations/``.

    Does nothing (returns ``[]``) when the folder holds no list files.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> isinstance(build_processed(), list)
    True
    """
    folder = paths.user_lists_dir()
    if not folder.is_dir():
        return []
    files = list_files([folder])
    if not files:
        return []
    aliases = folder / "aliases.csv"
    files = [f for f in files if f.name != "aliases.csv"]
    if not files:
        return []
    out = paths.processed_dir()
    panel = build_panel(files, aliases=aliases if aliases.exists() else None, out=out, write=True)
    check_against_official(panel).to_csv(out / CHECK_FILE, index=False)
    return [out / PANEL_FILE, out / LEDGER_FILE, out / CHECK_FILE]


# ------------------------------------------------------------------------------------- analysis helpers


@renamed_kwargs(alpha=("level", lambda a: 1 - a))
def over_representation(members: Iterable, others: Iterable, *, level: float = 0.95) -> pd.DataFrame:
    """Share of each category among members vs among everyone else, with a ratio and its interval.

    The over-representation ratio is ``share_members / share_others`` (a risk ratio of two disjoint groups);
    its ``level`` interval is the Katz log interval, ``exp(log r ± z·√(1/a − 1/n₁ + 1/c − 1/n₂))``, with
    0.5 added to both counts of a category that is empty in either group.

    Parameters
    ----------
    members, others : iterable
        Category labels of the members and of everyone else (missing labels are left out and counted in
        ``attrs``).
    level : float, default 0.95
        Interval level (``alpha=`` is deprecated: ``level = 1 - alpha``).

    Returns
    -------
    DataFrame
        ``category, n_members, share_members, n_others, share_others, ratio, ci_low, ci_high``, sorted by
        ``n_members`` descending.

    Examples
    --------
    >>> t = over_representation(["a"] * 30 + ["b"] * 10, ["a"] * 20 + ["b"] * 60)
    >>> t.round(2)[["category", "ratio", "ci_low", "ci_high"]].values.tolist()
    [['a', 3.0, 1.97, 4.56], ['b', 0.33, 0.19, 0.58]]
    """
    from scipy.stats import norm

    m = pd.Series(list(members), dtype=object)
    o = pd.Series(list(others), dtype=object)
    n1, n2 = int(m.notna().sum()), int(o.notna().sum())
    a = m.dropna().value_counts()
    c = o.dropna().value_counts()
    cats = sorted(set(a.index) | set(c.index), key=str)
    z = float(norm.ppf(0.5 + level / 2))
    rows = []
    for cat in cats:
        ai, ci = int(a.get(cat, 0)), int(c.get(cat, 0))
        aa, cc = (ai + 0.5, ci + 0.5) if (ai == 0 or ci == 0) else (float(ai), float(ci))
        nn1, nn2 = (n1 + 0.5, n2 + 0.5) if (ai == 0 or ci == 0) else (float(n1), float(n2))
        ratio = (aa / nn1) / (cc / nn2) if n1 and n2 else np.nan
        se = np.sqrt(max(1 / aa - 1 / nn1 + 1 / cc - 1 / nn2, 0.0)) if n1 and n2 else np.nan
        rows.append({"category": cat, "n_members": ai, "share_members": ai / n1 if n1 else np.nan,
                     "n_others": ci, "share_others": ci / n2 if n2 else np.nan, "ratio": ratio,
                     "ci_low": ratio * np.exp(-z * se), "ci_high": ratio * np.exp(z * se)})
    out = pd.DataFrame(rows, columns=["category", "n_members", "share_members", "n_others", "share_others",
                                      "ratio", "ci_low", "ci_high"])
    out = out.sort_values(["n_members", "n_others"], ascending=False, ignore_index=True)
    out.attrs["missing_members"] = int(m.isna().sum())
    out.attrs["missing_others"] = int(o.isna().sum())
    return out


@renamed_kwargs(alpha=("level", lambda a: 1 - a), column="industry_col")
def industry_over_representation(
    member_codes: Iterable[str],
    universe: pd.DataFrame,
    *,
    industry_col: str = "sw_l1_en",
    groups: dict[str, Iterable[str]] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Industry over-representation of a set of stock codes against the rest of a stock universe.

    Parameters
    ----------
    member_codes : iterable of str or int
        Stock codes of the members (e.g. the listed Little Giants), in any usual form (``600000``,
        ``600000.SH``, ``sh600000``, ``600000`` as an integer; see :func:`lgresearch.securities.normalize_code`).
    universe : DataFrame
        One row per stock with ``code`` and the industry column (e.g. :func:`lgresearch.listed.stock_universe`).
    industry_col : str, default "sw_l1_en"
        The industry column of ``universe`` (``column=`` is deprecated).
    groups : {label: codes}, optional
        Extra code sets reported as their own rows (e.g. a Shenwan level-2 industry such as semiconductors),
        each tested as "in the set" vs "not in the set".
    level : float, default 0.95
        Interval level (``alpha=`` is deprecated: ``level = 1 - alpha``).

    Returns
    -------
    DataFrame
        As :func:`over_representation` plus ``level`` (the industry column's name, or ``"group"``). Members missing from the
        universe are counted in ``attrs["members_not_in_universe"]``.

    Examples
    --------
    >>> uni = pd.DataFrame({"code": [f"{i:06d}" for i in range(10)], "sw_l1_en": ["A"] * 5 + ["B"] * 5})
    >>> t = industry_over_representation(["000000", "000001", "000002", "000005"], uni)
    >>> t[["category", "n_members", "n_others"]].values.tolist()
    [['A', 3, 2], ['B', 1, 4]]
    >>> industry_over_representation(["000000", "000001.SZ", "sz000002", 5], uni)["n_members"].tolist()
    [3, 1]
    """
    codes = normalize_code(pd.Series(list(member_codes), dtype=object)).dropna().astype(str).unique()
    uni_codes = normalize_code(universe["code"])
    uni = universe.assign(code=uni_codes).drop_duplicates("code")
    in_set = uni["code"].astype(str).isin(set(codes))
    col = industry_col
    table = over_representation(uni.loc[in_set, col].astype(object), uni.loc[~in_set, col].astype(object),
                                level=level).assign(level=col)
    extra = []
    for label, group_codes in (groups or {}).items():
        g = set(normalize_code(pd.Series(list(group_codes), dtype=object)).dropna().astype(str))
        flag = uni["code"].astype(str).isin(g).map({True: label, False: "other"})
        t = over_representation(flag[in_set], flag[~in_set], level=level)
        extra.append(t[t["category"] == label].assign(level="group"))
    out = pd.concat([table, *extra], ignore_index=True)
    out.attrs["members_not_in_universe"] = int(len(set(codes) - set(uni["code"].astype(str))))
    out.attrs["n_members"] = int(in_set.sum())
    out.attrs["n_others"] = int((~in_set).sum())
    return out


def published_province_shares(
    province_counts: pd.DataFrame | None = None, official_batches: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Published per-province and per-city counts with their share of the batch total (same list type).

    Parameters
    ----------
    province_counts : DataFrame, optional
        Published per-province counts (default :func:`lgresearch.official.province_counts`).
    official_batches : DataFrame, optional
        Batch facts (default :func:`lgresearch.official.batches`).

    Returns
    -------
    DataFrame
        ``batch, scope, unit, province, province_en, count, batch_total, share, source_url, source_note``.

    Examples
    --------
    >>> t = published_province_shares()
    >>> row = t[(t["batch"] == 5) & (t["province"] == "江苏")].iloc[0]
    >>> int(row["count"]), round(float(row["share"]), 3)
    (795, 0.216)
    """
    from lgresearch import official

    pc = province_counts if province_counts is not None else official.province_counts()
    ob = official_batches if official_batches is not None else _official_batches()
    totals = ob.set_index("batch")
    out = pc[pc["batch"].astype("int64") > 0].copy()
    out["batch"] = out["batch"].astype("int64")

    def total(b: int, scope: str) -> float:
        if b not in totals.index:
            return np.nan
        col = "count_publicity" if scope == "publicity" else "count_final"
        return float(totals.loc[b, col])

    out["batch_total"] = [total(b, s) for b, s in zip(out["batch"], out["scope"], strict=True)]
    out["share"] = out["count"] / out["batch_total"]
    en = {v[0]: v[2] for v in PROVINCES.values()}
    en.update({"宁波": "Ningbo", "深圳": "Shenzhen", "青岛": "Qingdao", "大连": "Dalian", "厦门": "Xiamen",
               "东部": "East", "中部": "Central", "西部": "West"})
    out["province_en"] = out["province"].map(en)
    return out[["batch", "scope", "unit", "province", "province_en", "count", "batch_total", "share",
                "source_url", "source_note"]].reset_index(drop=True)


#: Shenwan level-1 industries (English names of :data:`lgresearch.listed.SW_L1_EN`) that are manufacturing in
#: the national classification (GB/T 4754 section C). Computers, Telecoms, Environmental Services and Utilities
#: mix manufacturing with services and are left out, so the share is a lower bound.
SW_MANUFACTURING_L1 = (
    "Machinery", "Electronics", "Basic Chemicals", "Power Equipment", "Pharma & Biotech", "Automobiles",
    "Defence", "Non-ferrous Metals", "Light Manufacturing", "Home Appliances", "Building Materials", "Steel",
    "Textiles & Apparel", "Food & Beverage", "Beauty & Personal Care", "Oil & Petrochemicals",
)


@renamed_kwargs(alpha=("level", lambda a: 1 - a))
def proportion_interval(k: int, n: int, *, level: float = 0.95) -> tuple[float, float, float]:
    """Share ``k / n`` with its Wilson interval at ``level``.

    Parameters
    ----------
    k, n : int
        Successes and trials.
    level : float, default 0.95
        Interval level (``alpha=`` is deprecated: ``level = 1 - alpha``).

    Returns
    -------
    tuple of float
        ``(share, ci_low, ci_high)``; all NaN when ``n <= 0``.

    Examples
    --------
    >>> [round(x, 3) for x in proportion_interval(90, 100)]
    [0.9, 0.826, 0.945]
    """
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0:
        return (np.nan, np.nan, np.nan)
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return (k / n, float(lo), float(hi))


def issuer_counts(panel: pd.DataFrame, *, batch: int, list_type: str = "final") -> pd.DataFrame:
    """Firms per list issuer (province, XPCC or separately planned city) in one batch and list type.

    Parameters
    ----------
    panel : DataFrame
        The designation panel (:func:`build_panel`).
    batch : int
        The batch.
    list_type : str
        The list type counted (default ``final``).

    Returns
    -------
    DataFrame
        Firms per issuer in the panel for that batch and list type.

    Examples
    --------
    >>> f = pd.DataFrame({"name": ["甲公司", "乙公司", "丙公司"], "batch": 1, "list_type": "final",
    ...                   "province": ["北京", "深圳", "北京"]})
    >>> issuer_counts(build_panel([f], write=False), batch=1).values.tolist()
    [['北京', 2], ['深圳', 1]]
    """
    sub = panel[(panel["batch"] == batch) & (panel["list_type"] == list_type)]
    out = sub.groupby("issuer").size().rename("firms").reset_index()
    return out.sort_values(["firms", "issuer"], ascending=[False, True], ignore_index=True)


def listed_little_giants(*args, **kwargs):
    """See :func:`lgresearch.listed.listed_little_giants`.

    Parameters
    ----------
    *args
        Passed on to :func:`lgresearch.listed.listed_little_giants`.
    **kwargs
        Passed on (``return_ledger=True`` also returns the ledger).

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        As :func:`lgresearch.listed.listed_little_giants`.

    Examples
    --------
    >>> listed_little_giants.__doc__.split()[0]  # a thin wrapper: the data need the third-party directory
    'See'
    """
    from lgresearch.listed import listed_little_giants as _impl

    return _impl(*args, **kwargs)

