"""Designation lists: turn the firm rows of a table into the standard frame (batch, list type, region, USCC,
review result and date of each row, with every disagreement flagged in the ledger).

Examples
--------
>>> import pandas as pd
>>> from lgresearch.ledger import Ledger
>>> rec = {"row": 3, "page": 1, "cells": ["1", "甲科技有限公司"], "raw_name": "甲科技有限公司", "seq_no": "1",
...        "batch_ctx": None, "list_ctx": None, "region_ctx": None, "city_ctx": None}
>>> frame = _finish_records([rec], "f.csv", Ledger(), [], batch=5, list_type="final", province="浙江",
...                         title_ctx={}, file_ctx={})
>>> frame[["name", "province", "batch", "list_type"]].values.tolist()
[['甲科技有限公司', '浙江', 5, 'final']]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pandas as pd

from lgresearch.clean.batches import parse_batch
from lgresearch.clean.dates import parse_date
from lgresearch.clean.names import normalize_company_name
from lgresearch.clean.regions import normalize_region
from lgresearch.clean.uscc import normalize_uscc
from lgresearch.designations.headers import _BATCH_RE, parse_list_type
from lgresearch.designations.parse import _COMPLETE_END, _DISTRICT, _FIRM_LIKE
from lgresearch.designations.schema import (
    LIST_COLUMNS, REVIEW_RESULTS, _empty_list_frame, _first_given, _not_official, _string_columns,
    official_batch_numbers,
)
from lgresearch.errors import InputError
from lgresearch.ledger import Ledger

__all__: list[str] = []

_NO_REGION = ("province_code", "province", "province_en", "city", "city_en")


@dataclass
class _FileContext:
    """What the arguments, the title and the file name say about every row of one table."""

    label: str
    batch: int | None
    list_type: str | None
    arg_region: dict | None
    title_region: dict | None
    file_region: dict | None
    official_set: set[int]
    title_ctx: dict
    file_ctx: dict

    @property
    def title_batch(self):
        return _first_given(self.title_ctx.get("batch"), self.file_ctx.get("batch"))

    @property
    def title_list_type(self):
        return _first_given(self.title_ctx.get("list_type"), self.file_ctx.get("list_type"))


def _file_context(label: str, *, batch, list_type, province, title_ctx: dict, file_ctx: dict) -> _FileContext:
    return _FileContext(
        label=label, batch=batch, list_type=list_type,
        arg_region=normalize_region(province) if province is not None else None,
        title_region=normalize_region(str(title_ctx["region"])) if title_ctx.get("region") else None,
        file_region=normalize_region(str(file_ctx["region"])) if file_ctx.get("region") else None,
        official_set=set(official_batch_numbers()), title_ctx=title_ctx, file_ctx=file_ctx)


def _flag_all(ledger: Ledger, label: str, flags: list) -> None:
    if flags:
        ledger.add(label, [r for r, *_ in flags], "flagged", reason=[f[1] for f in flags],
                   detail=[f[2] for f in flags])


def _finish_records(records: list[dict], label: str, ledger: Ledger, flags: list, *, batch,
                    list_type, province, title_ctx: dict, file_ctx: dict) -> pd.DataFrame:
    """The standard frame of a table's firm records; batch, list type and region by the precedence rules."""
    if not records:
        _flag_all(ledger, label, flags)
        return _empty_list_frame()
    fc = _file_context(label, batch=batch, list_type=list_type, province=province, title_ctx=title_ctx,
                       file_ctx=file_ctx)
    out_rows: list[dict] = []
    bad_region: list[tuple[int, str]] = []
    missing: dict[str, list[int]] = {}
    for rec in records:
        b, lt = _row_batch_and_type(rec, fc, flags, missing)
        region, bad = _row_region(rec, fc, flags)
        if bad is not None:
            bad_region.append((rec["row"], bad))
            continue
        out_rows.append(_out_row(rec, label, b, lt, region, flags))
    if missing:
        _raise_missing(label, missing)
    if bad_region:
        ledger.add(label, [r for r, _ in bad_region], "dropped", reason="unknown province",
                   detail=[d for _, d in bad_region])
    return _list_frame(out_rows, label, ledger, flags)


def _row_batch_and_type(rec: dict, fc: _FileContext, flags: list, missing: dict[str, list[int]]):
    """Batch (argument > row column > section heading > title > sheet name > file name) and list type."""
    row = rec["row"]
    context_b = rec["batch_ctx"] if rec["batch_ctx"] is not None else fc.title_batch
    cell_b = _batch_cell(rec, fc.label, fc.official_set) if rec.get("batch") else None
    b = fc.batch if fc.batch is not None else (cell_b if cell_b is not None else context_b)
    if b is not None and int(b) not in fc.official_set:
        raise InputError(fc.label, row, None, _not_official(int(b)) + " (read from the title, a heading or "
                                                                     "the file name)")
    if cell_b is not None and context_b is not None and cell_b != context_b:
        flags.append((row, "batch cell differs from the title", f"cell {cell_b}, title {context_b}"))
    flags.extend((row, "cell names another batch", d) for d in _other_batch_cells(rec, b))
    context_lt = rec["list_ctx"] if rec["list_ctx"] is not None else fc.title_list_type
    cell_lt = parse_list_type(rec["list_type"]) if rec.get("list_type") else None
    if cell_lt is not None and context_lt is not None and cell_lt != context_lt:
        flags.append((row, "list type cell differs from the title", f"cell {cell_lt}, title {context_lt}"))
    lt = _first_given(fc.list_type, cell_lt, rec["list_ctx"], fc.title_ctx.get("list_type"),
                      fc.file_ctx.get("list_type"))
    if b is None:
        missing.setdefault("batch", []).append(row)
    if lt is None:
        missing.setdefault("list type", []).append(row)
    return b, lt


def _context_region(rec: dict, fc: _FileContext, *, with_city: bool) -> dict | None:
    """The region the context gives: argument > group row > title > file name."""
    if fc.arg_region:
        return fc.arg_region
    group = None
    if rec["region_ctx"]:
        group = normalize_region(rec["region_ctx"], rec["city_ctx"] or None) if with_city else \
            normalize_region(rec["region_ctx"])
    return group or fc.title_region or fc.file_region


def _region_from_columns(rec: dict, fc: _FileContext, flags: list) -> tuple[dict | None, str | None]:
    """(region, None) from the row's province and city columns, or (None, what is wrong) for an unknown one."""
    row = rec["row"]
    col_text = rec.get("province") or ""
    city_text = rec.get("city") or rec.get("city_from_region") or ""
    if col_text:
        region = normalize_region(col_text, city_text or None)
        if region is not None:
            return region, None
        base = normalize_region(col_text)
        context = _context_region(rec, fc, with_city=True)
        if base is None and context is not None and _DISTRICT.match(unicodedata.normalize("NFKC", col_text)):
            return context, None  # a county or district under the list's province or city
        if base is None:
            return None, f"column {rec.get('province_header', 'province')!r}: {col_text!r}"
        flags.append((row, "city not in province", f"{city_text!r} not in {col_text!r}"))
        return base, None
    if city_text:
        base = _context_region(rec, fc, with_city=False)
        region = normalize_region(base["province"] if base else "", city_text) if base else \
            normalize_region(city_text)
        if region is None:
            if base is None:
                return None, f"column {rec.get('city_header', 'city')!r}: {city_text!r}"
            flags.append((row, "unknown city", city_text))
            region = base
        return region, None
    return None, None


def _row_region(rec: dict, fc: _FileContext, flags: list) -> tuple[dict, str | None]:
    """Region: argument > row columns > group row > title > file name; (region, what is wrong) for an unknown one."""
    row = rec["row"]
    region, bad = _region_from_columns(rec, fc, flags)
    if bad is not None:
        return {}, bad
    if region is None and rec["region_ctx"]:
        region = normalize_region(rec["region_ctx"], rec["city_ctx"] or None) or normalize_region(
            rec["region_ctx"])
    if region is None:
        region = fc.title_region or fc.file_region
    arg_region = fc.arg_region
    if arg_region is not None:
        if region is not None and region["province_code"] != arg_region["province_code"]:
            flags.append((row, "region differs from the province argument",
                          f"{region['province']} vs {arg_region['province']}"))
            region = arg_region
        elif region is None or (region.get("city") is None and arg_region.get("city") is not None):
            region = arg_region
    if region is None:
        flags.append((row, "no province", rec["raw_name"][:40]))
        region = dict.fromkeys(_NO_REGION)
        region["separately_planned"] = False
    return region, None


def _out_row(rec: dict, label: str, b, lt, region: dict, flags: list) -> dict:
    """One output row: issuer, USCC, review result and date cells read (and flagged when unreadable)."""
    row = rec["row"]
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
    return {
        "source_file": label, "source_row": row, "page": rec["page"], "seq_no": seq_no or None,
        "raw_name": rec["raw_name"], "uscc": uscc, "province_code": region.get("province_code"),
        "province": region.get("province"), "province_en": region.get("province_en"),
        "city": region.get("city"), "city_en": region.get("city_en"), "issuer": issuer,
        "separately_planned": bool(region.get("separately_planned")), "batch": b, "list_type": lt,
        "list_date": list_date, "list_date_precision": list_precision, "review_outcome": outcome,
    }


def _raise_missing(label: str, missing: dict[str, list[int]]) -> None:
    what = " and ".join(missing)
    first = min(r for rows_ in missing.values() for r in rows_)
    raise InputError(label, first, None, f"cannot tell the {what} of this list from its title, headings, "
                                         f"columns or file name; pass {'batch=' if 'batch' in missing else ''}"
                                         f"{' and ' if len(missing) == 2 else ''}"
                                         f"{'list_type=' if 'list type' in missing else ''} explicitly")


def _list_frame(out_rows: list[dict], label: str, ledger: Ledger, flags: list) -> pd.DataFrame:
    """The standard frame: names normalised, blank names dropped, odd names and failed reviews flagged."""
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
    _flag_all(ledger, label, flags)
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
