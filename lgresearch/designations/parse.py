"""Designation lists: walk the rows of one table, telling firm rows from titles, headers, group rows, headings,
footnotes, page numbers and names wrapped onto the next line.

Examples
--------
>>> looks_like_company("杭州集智机电股份有限公司"), looks_like_company("以上排名不分先后")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import cast
from dataclasses import dataclass, field

import pandas as pd

from lgresearch.clean.names import normalize_company_name
from lgresearch.clean.regions import normalize_region
from lgresearch.designations.headers import _header_mapping, infer_context

__all__ = ["looks_like_company"]

_ENUM_PREFIX = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十\d]+[)）]"
                          r"|\d+\s*[、.．])\s*")
_COUNT_SUFFIX = re.compile(r"\s*(?:[(（]?\s*(?:共|计)?\s*\d+\s*家\s*[)）]?|[:：])\s*$")
_FOOTNOTE = re.compile(r"^\s*(?:注|备注|说明|资料来源|数据来源|来源)\s*(?:\d+)?\s*[:：、.．]"
                       r"|^\s*注\s*\d*\s*$|^[*※]\s*\S")
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


@dataclass
class _Context:
    batch: int | None = None
    list_type: str | None = None
    region: str | None = None  # province-level text from title or group row
    city: str | None = None  # city from a group row
    batch_src: str = ""
    list_src: str = ""


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
    >>> looks_like_company("杭州集智机电股份有限公司"), looks_like_company("丙科技有")
    (True, False)
    >>> looks_like_company("以上排名不分先后")
    False
    """
    if not isinstance(name, str) or not name.strip():
        return False
    n = unicodedata.normalize("NFKC", name).strip()
    return bool(_FIRM_LIKE.search(n)) or n.endswith(_COMPLETE_END)


# ------------------------------------------------------------------------------------------ the row walk


@dataclass
class _Walk:
    """The state of one pass over the rows of a table: context, header, records and what was dropped."""

    pages: list
    blocks: list
    ctx: _Context = field(default_factory=_Context)
    title_lines: list[str] = field(default_factory=list)
    mapping: dict[int, str] | None = None
    header_texts: dict[int, str] = field(default_factory=dict)
    header_key: tuple | None = None
    records: list[dict] = field(default_factory=list)
    drops: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    merged: list[tuple[int, str]] = field(default_factory=list)
    flags: list[tuple[int, str, str]] = field(default_factory=list)
    last_block: object = None
    epoch: int = 0  # bumped whenever the region context changes (new header, group row)

    def drop(self, row: int, reason: str, detail: str = "") -> None:
        self.drops.setdefault(reason, []).append((row, detail))

    def apply_heading(self, text: str, src: str) -> bool:
        info = infer_context(text)
        changed = False
        if info["batch"] is not None:
            self.ctx.batch, self.ctx.batch_src = cast("int | None", info["batch"]), src
            changed = True
        if info["list_type"] is not None and ("批" in text or "复核" in text or "名单" in text):
            self.ctx.list_type, self.ctx.list_src = cast("str | None", info["list_type"]), src
            changed = True
        if info["region"] is not None and src == "title":
            self.ctx.region = str(info["region"])
            changed = True
        return changed


def _walk_rows(part: pd.DataFrame) -> _Walk:
    """Walk the rows of one table (the raw cells of :func:`lgresearch.io.read_cells` for one sheet or table)."""
    ccols = [c for c in part.columns if re.fullmatch(r"c\d+", str(c))]
    grid = part[ccols].to_numpy(dtype=object).tolist() if ccols else [[] for _ in range(len(part))]
    rows = part["source_row"].to_numpy().tolist()
    walk = _Walk(pages=part["page"].to_numpy().tolist(), blocks=part["block"].to_numpy().tolist())
    for k, cells in enumerate(grid):
        _walk_row(walk, k, int(rows[k]), [("" if c is None else str(c)).strip() for c in cells])
    return walk


def _walk_row(w: _Walk, k: int, row: int, cells: list[str]) -> None:
    """Classify one row: drop it with a reason, merge it into the record above, or add a record."""
    if not any(cells):
        w.drop(row, "blank line")
        return
    new_map = _header_mapping(cells)
    if new_map is not None:
        _header_row(w, k, row, cells, new_map)
        return
    single = _single_text(cells)
    joined = " ".join(c for c in dict.fromkeys(cells) if c)
    if w.mapping is None:
        w.title_lines.append(joined)
        w.drop(row, "title line", joined[:60])
        return
    if _page_furniture(w, row, cells, single, joined):
        return
    mapping = w.mapping
    name_cols = [i for i, f in mapping.items() if f in ("name", "name_extra") and i < len(cells)]
    seq_cols = [i for i, f in mapping.items() if f == "seq" and i < len(cells)]
    raw_name = "".join(dict.fromkeys(cells[i] for i in name_cols if cells[i]))  # merged cells repeat the text
    seq = next((cells[i] for i in seq_cols if cells[i]), "")
    if not seq or single is not None:
        kind = _non_firm_kind(single if single is not None else (raw_name or joined))
        if kind is not None:
            w.drop(row, kind, joined[:60])
            return
    # rows holding one text only: group rows (province / city), section headings, or a name fragment
    if single is not None and not re.fullmatch(r"\d{1,6}", unicodedata.normalize("NFKC", single)) \
            and _group_or_heading(w, row, single):
        return
    if not raw_name:
        if seq and not any(cells[i] for i in range(len(cells)) if i not in seq_cols):
            w.drop(row, "sequence number without a name", f"{seq}")
        else:
            w.drop(row, "no company name", joined[:60])
        return
    if w.records and not seq and _continues_name(w, row, cells, raw_name, name_cols, seq_cols):
        return
    if seq_cols and not seq:
        w.flags.append((row, "no sequence number", raw_name[:40]))
    _carry_regions_down(w, cells, single)
    w.records.append(_record(w, k, row, cells, raw_name, seq))


def _header_row(w: _Walk, k: int, row: int, cells: list[str], new_map: dict[int, str]) -> None:
    """A header row: the first one (titles above it become the context), a repeated one, or a new table's."""
    key = tuple(sorted(new_map.items()))
    if w.mapping is None:
        w.drop(row, "header row")
        if w.title_lines:
            w.apply_heading(" ".join(w.title_lines), "title")
    elif key == w.header_key or w.blocks[k] == w.last_block:
        w.drop(row, "repeated header", f"page {w.pages[k]}" if w.pages[k] else "")
    else:
        w.drop(row, "header row", "new table")
    if key != w.header_key:
        w.epoch += 1
    w.mapping, w.header_key, w.last_block = new_map, key, w.blocks[k]
    w.header_texts = {i: cells[i] for i in new_map if i < len(cells) and cells[i]}


def _page_furniture(w: _Walk, row: int, cells: list[str], single: str | None, joined: str) -> bool:
    """Drop page numbers, footnotes and total lines; return whether the row was dropped."""
    if _PAGE_NO.match(joined):
        w.drop(row, "page number", joined[:30])
    elif _FOOTNOTE.match(joined):
        w.drop(row, "footnote", joined[:60])
    elif _TOTAL.match(joined) or (single is None and _TOTAL.match(cells[0] if cells else "")):
        w.drop(row, "total line", joined[:60])
    else:
        return False
    return True


def _group_or_heading(w: _Walk, row: int, single: str) -> bool:
    """A one-text row that is a group row (sets the region) or a section heading (sets batch / list type)."""
    grp = _group_region(single)
    if grp is not None:
        w.ctx.region = grp["province"] if not grp["separately_planned"] else grp["city"]
        w.ctx.city = grp["city"]
        w.epoch += 1
        w.drop(row, "group row", single[:40])
        return True
    if re.search(r"第\s*\S{1,3}\s*批|复核|名单|公示", single) and not _looks_complete(single):
        w.apply_heading(single, "section")
        w.drop(row, "section heading", single[:60])
        return True
    return False


def _continues_name(w: _Walk, row: int, cells: list[str], raw_name: str, name_cols: list[int],
                    seq_cols: list[int]) -> bool:
    """A name wrapped onto the next line (no sequence number, nothing else new): merge it into the record above."""
    prev = w.records[-1]
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
        w.merged.append((row, f"name continued from row {prev['row']}"))
        return True
    return False


def _carry_regions_down(w: _Walk, cells: list[str], single: str | None) -> None:
    """A region cell left empty under a filled one (a merged cell in a PDF or a CSV export): carry it down."""
    if not w.records or w.mapping is None:
        return
    above_cells = w.records[-1]["cells"]
    for i, f in w.mapping.items():
        if f in ("province", "city") and i < len(cells) and not cells[i] and not single:
            above = above_cells[i] if i < len(above_cells) else ""
            if above and w.epoch == w.records[-1]["epoch"]:
                cells[i] = above


def _record(w: _Walk, k: int, row: int, cells: list[str], raw_name: str, seq: str) -> dict:
    """The record of a firm row: its cells by field and the context it was read under."""
    ctx = w.ctx
    rec = {"row": row, "page": w.pages[k], "cells": cells, "raw_name": raw_name, "seq_no": seq,
           "block": w.blocks[k], "epoch": w.epoch,
           "batch_ctx": ctx.batch, "list_ctx": ctx.list_type, "region_ctx": ctx.region, "city_ctx": ctx.city}
    for i, f in sorted((w.mapping or {}).items()):
        if i >= len(cells) or f in ("name", "name_extra", "seq") or not cells[i]:
            continue
        if rec.get(f):
            if f == "province" and cells[i] != rec[f]:
                rec["city_from_region"] = cells[i]  # two region columns: province, then city
            continue
        rec[f] = cells[i]
        rec[f"{f}_header"] = w.header_texts.get(i, f)
    return rec
