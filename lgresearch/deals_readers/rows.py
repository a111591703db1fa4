"""From vendor rows to canonical event rows: every field parsed, every row accounted for in the ledger.

:func:`events_from_rows` renames vendor columns with a :class:`~lgresearch.deals_readers.mapping.DealMapping`,
then parses dates (:func:`lgresearch.clean.parse_date`), rounds (:func:`~lgresearch.clean.normalize_round`),
amounts and valuations (:func:`~lgresearch.clean.parse_money`, annual-average FX to CNY), stakes, investors and
locations (:func:`lgresearch.clean.regions.normalize_regions`), flagging every value that cannot be used, and
hands the rows to :func:`lgresearch.deals_readers.collapse.collapse_rows`.

Examples
--------
>>> rows = pd.DataFrame({"Firm": ["甲科技有限公司"], "Date": ["2021-05"], "_row": [2]})
>>> led = Ledger()
>>> ev = events_from_rows(rows, DealMapping({"firm_name": "Firm", "date": "Date"}), source_file="f.csv", ledger=led)
>>> ev[["date_precision", "round_std"]].values.tolist(), led.summary()
([['month', 'undisclosed']], '1 rows: 1 kept, 0 merged, 0 dropped (0 flagged)')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import numpy as np
import pandas as pd

from lgresearch.clean.dates import parse_date
from lgresearch.clean.money import cny_per_unit, parse_money
from lgresearch.clean.names import normalize_company_name
from lgresearch.clean.regions import normalize_regions
from lgresearch.clean.rounds import normalize_round
from lgresearch.clean.uscc import normalize_uscc, validate_uscc
from lgresearch.deals_readers.collapse import collapse_rows
from lgresearch.deals_readers.mapping import DealMapping
from lgresearch.deals_readers.schema import UNDISCLOSED_FIRM
from lgresearch.deals_readers.table import _blank
from lgresearch.errors import InputError
from lgresearch.ledger import Ledger

__all__ = ["events_from_rows"]


def _money(values: pd.Series, **kw: Any) -> pd.DataFrame:
    """:func:`~lgresearch.clean.parse_money` of a Series (a frame; typed for the checker)."""
    return cast(pd.DataFrame, parse_money(values, **kw))


def _parsed_dates(values: pd.Series | None, *, as_of: str | pd.Timestamp | None) -> pd.DataFrame:
    """:func:`~lgresearch.clean.parse_date` of a Series (a frame; typed for the checker)."""
    return cast(pd.DataFrame, parse_date(values, as_of=as_of))


def _rounds_of(values: pd.Series) -> pd.DataFrame:
    """:func:`~lgresearch.clean.normalize_round` of a Series (a frame; typed for the checker)."""
    return cast(pd.DataFrame, normalize_round(values))

#: Country spellings read as mainland China (regions are normalised only for these, or when no country is given).
_CHINA = {"中国", "中国大陆", "china", "chn", "cn", "prc", "mainland china"}


def _field(rows: pd.DataFrame, mapping: DealMapping, name: str) -> pd.Series | None:
    col = mapping.columns.get(name)
    if col is None:
        return None
    if isinstance(col, str):
        return rows[col]
    parts = [[None if _blank(v) else str(v).strip() for v in rows[c].tolist()] for c in col]
    joined = []
    for vals in zip(*parts, strict=True):
        keep = [v for v in vals if v is not None and v not in mapping.missing_tokens]
        joined.append("|".join(keep) if keep else None)
    return pd.Series(joined, index=rows.index, dtype=object)


def _clean_text(s: pd.Series | None, index: pd.Index, missing: Sequence[str]) -> pd.Series:
    if s is None:
        return pd.Series([None] * len(index), index=index, dtype=object)
    miss = set(missing)

    def one(v: object) -> str | None:
        if _blank(v):
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        return None if text in miss else text

    values = s.tolist()
    cache: dict = {}
    out = []
    for v in values:
        try:
            got = cache[v]
        except (KeyError, TypeError):
            got = one(v)
            try:
                cache[v] = got
            except TypeError:
                pass
        out.append(got)
    return pd.Series(out, index=index, dtype=object)


def _number(s: pd.Series | None, index: pd.Index, missing: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    """Plain numbers (stakes, counts): returns (values, unparseable mask)."""
    if s is None:
        return pd.Series(np.nan, index=index), pd.Series(False, index=index)
    text = _clean_text(s, index, missing)
    cleaned = pd.Series([re.sub(r"[,%\s]|\(e\)", "", v) if isinstance(v, str) else None for v in text.tolist()],
                        index=index, dtype=object)
    num = pd.to_numeric(cleaned, errors="coerce")
    bad = cleaned.notna() & num.isna()
    return num.astype(float), bad


def _split_investors(s: pd.Series | None, index: pd.Index, sep: str | None, missing: Sequence[str]) -> pd.Series:
    text = _clean_text(s, index, missing).tolist()
    if sep is None:
        lists = [[v] if isinstance(v, str) else [] for v in text]
    else:
        lists = [[p.strip() for p in v.split(sep) if p.strip() and p.strip() not in missing]
                 if isinstance(v, str) else [] for v in text]
    return pd.Series(lists, index=index, dtype=object)


def _fill(s: pd.Series, values: list) -> pd.Series:
    """``s`` where present, else ``values`` (object dtype, None for missing)."""
    return pd.Series([a if isinstance(a, str) else (b if isinstance(b, str) and b else None)
                      for a, b in zip(s.tolist(), values, strict=True)], index=s.index, dtype=object)


def _location(rows: pd.DataFrame, mapping: DealMapping, index: pd.Index) -> pd.DataFrame:
    miss = mapping.missing_tokens
    country = _clean_text(_field(rows, mapping, "country"), index, miss)
    province = _clean_text(_field(rows, mapping, "province"), index, miss)
    city = _clean_text(_field(rows, mapping, "city"), index, miss)
    loc = _field(rows, mapping, "location")
    if loc is not None:
        text = _clean_text(loc, index, miss)
        sep = mapping.location_sep
        parts = pd.Series([([p.strip() for p in v.split(sep)] if sep else [v]) if isinstance(v, str) else []
                           for v in text.tolist()], index=index, dtype=object)
        off = 1 if mapping.location_has_country else 0
        if mapping.location_has_country:
            country = _fill(country, [p[0] if len(p) > 0 else None for p in parts])
        province = _fill(province, [p[off] if len(p) > off else None for p in parts])
        city = _fill(city, [p[off + 1] if len(p) > off + 1 else None for p in parts])
    china = country.map(lambda c: not isinstance(c, str) or c.strip().lower() in _CHINA)
    norm = normalize_regions(province.where(china, None).astype(object), city.where(china, None).astype(object))
    retry = norm["province"].isna() & province.notna() & city.notna()
    if retry.any():  # a city the region table does not know (e.g. 新疆|石河子市): keep the province
        again = normalize_regions(province[retry].astype(object))
        norm.loc[retry, :] = again.values
    prov_out = _fill(norm["province"].astype(object), province.tolist())
    city_norm = norm["city"].astype(object)
    municipal = norm["province_code"].astype(object).isin(["11", "12", "31", "50"])
    # a city is kept as written when its province is not recognised
    raw_city = [c if not ok else None for c, ok in zip(city.tolist(), norm["province"].notna().tolist(),
                                                       strict=True)]
    city_out = pd.Series([
        cn if isinstance(cn, str) else (f"{p}市" if mun and isinstance(p, str) else rc)
        for cn, mun, p, rc in zip(city_norm.tolist(), municipal.tolist(), prov_out.tolist(), raw_city, strict=True)
    ], index=index, dtype=object)
    recognised = norm["province"].notna() | province.isna() | ~china
    return pd.DataFrame({"country": country, "province": prov_out, "city": city_out,
                         "_region_ok": recognised}, index=index)


def _checked_uscc(codes: pd.Series, rows: pd.Series, source_file: str, ledger: Ledger) -> pd.Series:
    """USCCs normalised (spaces, hyphens, full-width, lower case) and check-digit verified; bad ones flagged."""
    raw = codes.astype(object)
    present = raw.map(lambda v: isinstance(v, str) and bool(v.strip()))
    if not present.any():
        return pd.Series([None] * len(raw), index=raw.index, dtype=object)
    squeezed = raw.map(lambda v: re.sub(r"[\s\-_.·]+", "", unicodedata.normalize("NFKC", v)).upper()
                       if isinstance(v, str) else None)
    shaped = squeezed.map(lambda v: isinstance(v, str) and re.fullmatch(r"[0-9A-Z]{18}", v) is not None)
    valid = cast(pd.Series, validate_uscc(squeezed.where(present, None))).astype(bool) & present
    malformed = present & ~shaped
    wrong_check = present & shaped & ~valid
    if malformed.any():
        ledger.add(source_file, rows[malformed].tolist(), "flagged", reason="malformed USCC (set missing)",
                   detail=raw[malformed].astype(str).tolist())
    if wrong_check.any():
        ledger.add(source_file, rows[wrong_check].tolist(), "flagged",
                   reason="USCC check digit wrong (set missing)", detail=raw[wrong_check].astype(str).tolist())
    normal = cast(pd.Series, normalize_uscc(squeezed.where(valid, None)))
    return pd.Series([v if isinstance(v, str) and ok else None for v, ok in zip(normal.tolist(), valid.tolist(),
                                                                                strict=True)],
                     index=raw.index, dtype=object)



@dataclass
class _Marks:
    """Writes ledger outcomes for the rows under a mask (file row numbers, one detail per row)."""

    ledger: Ledger
    source_file: str
    file_rows: pd.Series

    def add(self, outcome: str, mask: pd.Series, reason: str, detail: pd.Series | str = "") -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            det = detail[mask].astype(str).tolist() if isinstance(detail, pd.Series) else detail
            self.ledger.add(self.source_file, self.file_rows[mask].tolist(), outcome, reason=reason, detail=det)

    def flag(self, mask: pd.Series, reason: str, detail: pd.Series | str = "") -> None:
        self.add("flagged", mask, reason, detail)

    def drop(self, mask: pd.Series, reason: str, detail: pd.Series | str = "") -> None:
        self.add("dropped", mask, reason, detail)


def _usable_mapping(rows: pd.DataFrame, mapping: DealMapping, source_file: str) -> DealMapping:
    """The mapping without the optional fields this file lacks; a missing required column is an error."""
    missing_req = mapping.required_missing()
    if missing_req:
        raise ValueError(f"mapping lacks required fields: {missing_req}")
    absent_fields = [f for f, c in mapping.columns.items()
                     if any(col not in rows.columns for col in ([c] if isinstance(c, str) else c))]
    required_absent = [f for f in absent_fields if f not in mapping.optional]
    if required_absent:
        cols = [mapping.columns[f] for f in required_absent]
        first = cols[0] if isinstance(cols[0], str) else cols[0][0]
        raise InputError(source_file, None, first, f"column not found in the file (mapping names {cols})")
    if absent_fields:  # optional columns this export lacks: read as missing values
        mapping = replace(mapping, columns={f: c for f, c in mapping.columns.items() if f not in absent_fields})
    return mapping


def _blank_rows(rows: pd.DataFrame) -> pd.Series:
    data_cols = [c for c in rows.columns if c != "_row"]
    if not len(rows):
        return pd.Series(False, index=rows.index)
    cells = rows[data_cols]
    return (cells.isna() | cells.isin(["", " ", "\u3000"])).all(axis=1)


def _firm_names(rows: pd.DataFrame, mapping: DealMapping, alive: pd.Series,
                marks: _Marks) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(legal name, short name, rows still alive): rows without any firm name are dropped."""
    idx = rows.index
    firm_name = _clean_text(_field(rows, mapping, "firm_name"), idx, ())
    short_name = _clean_text(_field(rows, mapping, "short_name"), idx, ())
    und_firm = firm_name.map(lambda v: not isinstance(v, str) or v in UNDISCLOSED_FIRM)
    und_short = short_name.map(lambda v: not isinstance(v, str) or v in UNDISCLOSED_FIRM)
    firm_name = firm_name.where(~und_firm, None)
    short_name = short_name.where(~und_short, None)
    explicit_undisclosed = (_clean_text(_field(rows, mapping, "firm_name"), idx, ()).isin(UNDISCLOSED_FIRM - {""})
                            & und_short)
    no_firm = und_firm & und_short & ~explicit_undisclosed
    marks.drop(alive & no_firm, "no firm name")
    alive = alive & ~no_firm
    marks.flag(alive & explicit_undisclosed, "firm undisclosed by the vendor (kept; no firm_id)")
    return firm_name, short_name, alive


def _dates(rows: pd.DataFrame, mapping: DealMapping, alive: pd.Series, marks: _Marks,
           as_of: str | pd.Timestamp | None) -> tuple[pd.DataFrame, pd.Series]:
    """(parsed dates, rows still alive): rows without a readable date are dropped, odd dates flagged."""
    dates = _parsed_dates(rows[mapping.columns["date"]] if isinstance(mapping.columns["date"], str)
                       else _field(rows, mapping, "date"), as_of=as_of)
    date_raw = _clean_text(_field(rows, mapping, "date"), rows.index, ())
    marks.drop(alive & (dates["status"] == "missing"), "no date")
    other = ~dates["status"].isin(["ok", "future", "missing"])  # unparsed, or any flag the date parser raises
    marks.drop(alive & other & dates["date"].isna(), "unreadable date", date_raw)
    alive = alive & dates["date"].notna()
    marks.flag(alive & (dates["status"] == "future"), "date in the future", date_raw)
    for status in sorted(set(dates.loc[alive & other, "status"].astype(str))):
        marks.flag(alive & (dates["status"] == status), f"date {status}", date_raw)
    return dates, alive


def _currencies(rows: pd.DataFrame, mapping: DealMapping) -> tuple[pd.Series, pd.Series]:
    """(currency of each row, True where it comes only from the mapping's default)."""
    idx = rows.index
    cur_col = _field(rows, mapping, "currency")
    currency_in = (_clean_text(cur_col, idx, mapping.missing_tokens) if cur_col is not None
                   else pd.Series([mapping.default_currency] * len(idx), index=idx, dtype=object))
    from_default = currency_in.isna()
    return currency_in.where(currency_in.notna(), mapping.default_currency), from_default


def _reported_amounts(rows: pd.DataFrame, mapping: DealMapping, currency_in: pd.Series, alive: pd.Series,
                      marks: _Marks) -> tuple[pd.DataFrame, pd.Series]:
    """Amounts as reported (:func:`~lgresearch.clean.parse_money`), negative ones set missing; and their text."""
    idx = rows.index
    amt_raw = _field(rows, mapping, "amount")
    if amt_raw is not None:
        amt = _money(amt_raw.astype(object), unit=mapping.amount_unit, currency=currency_in)
    else:
        amt = _money(pd.Series([None] * len(idx), index=idx, dtype=object), currency=currency_in)
    amt_text = _clean_text(amt_raw, idx, ()) if amt_raw is not None else pd.Series("", index=idx)
    negative = (amt["low"] < 0) | (amt["point"] < 0) | (amt["high"] < 0) | (
        amt["point"].isna() & amt_text.map(lambda v: isinstance(v, str) and re.match(r"\s*[-−－]\s*\d", v) is not None))
    if negative.any():
        marks.flag(alive & negative, "negative amount (set missing)", amt_text)
        amt.loc[negative, ["point", "low", "high"]] = np.nan
        amt.loc[negative, "status"] = "unparsed"
        amt.loc[negative, "disclosed"] = False
    marks.flag(alive & (amt["status"] == "unparsed") & ~negative, "unparseable amount", amt_text)
    marks.flag(alive & (amt["status"] == "unknown_currency"), "unknown currency", amt["currency"].astype(str))
    marks.flag(alive & amt["estimated"], "estimated amount (vendor mark)", amt_text)
    return amt, amt_text


def _amounts_cny(rows: pd.DataFrame, mapping: DealMapping, amt: pd.DataFrame, amt_text: pd.Series,
                 year: pd.Series, cur_from_default: pd.Series, alive: pd.Series,
                 marks: _Marks) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(point, low, high) in CNY at the annual-average rate; ``amt``'s currency fixed for default-only rows."""
    rate = cny_per_unit(amt["currency"].tolist(), year.tolist())
    rate.index = rows.index
    needs_rate = amt["low"].notna() & amt["currency"].notna() & (amt["status"] != "unknown_currency")
    marks.flag(alive & needs_rate & rate["rate"].isna(), "no exchange rate for the currency and year",
               amt["currency"].astype(str))
    marks.flag(alive & needs_rate & rate["rate"].notna() & (rate["rate_year"] != year),
               "exchange rate of the nearest year used", rate["rate_year"].astype(str))
    no_cur = alive & amt["low"].notna() & amt["currency"].isna()
    marks.flag(no_cur, "amount without a currency (not converted)", amt_text)
    # a missing amount whose currency comes only from the mapping's default has no reported currency
    amt.loc[(amt["status"] == "missing") & cur_from_default, "currency"] = None
    conv = rate["rate"].where(amt["status"] != "unknown_currency")
    return amt["point"] * conv, amt["low"] * conv, amt["high"] * conv


def _vendor_cny(rows: pd.DataFrame, mapping: DealMapping, amt: pd.DataFrame,
                cny: tuple[pd.Series, pd.Series, pd.Series], alive: pd.Series,
                marks: _Marks) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The vendor's own CNY amount, where given, replaces the conversion (``amt`` marked exact in place)."""
    amt_cny_point, amt_cny_low, amt_cny_high = cny
    vendor_cny = _field(rows, mapping, "amount_cny")
    if vendor_cny is None:
        return cny
    vc = _money(vendor_cny.astype(object), unit=mapping.amount_unit, currency="CNY")
    neg_v = vc["point"] < 0
    marks.flag(alive & neg_v, "negative vendor CNY amount (set missing)", _clean_text(vendor_cny, rows.index, ()))
    vc.loc[neg_v, "point"] = np.nan
    has_v = vc["point"].notna()
    differs = has_v & amt_cny_point.notna() & ((vc["point"] / amt_cny_point - 1).abs() > 0.10)
    marks.flag(alive & differs & (amt["currency"] != "CNY"),
               "vendor CNY amount differs >10% from annual-average conversion (vendor figure used)",
               vc["point"].astype(str))
    fill_status = has_v & ~amt["status"].isin(["exact"])
    amt.loc[fill_status, "status"] = "exact"
    amt.loc[fill_status, "disclosed"] = True
    amt.loc[fill_status & amt["currency"].isna(), "currency"] = "CNY"
    return (vc["point"].where(has_v, amt_cny_point), vc["point"].where(has_v, amt_cny_low),
            vc["point"].where(has_v, amt_cny_high))


def _stakes(rows: pd.DataFrame, mapping: DealMapping, alive: pd.Series, marks: _Marks) -> pd.Series:
    """Equity stakes in percent; unparseable or out-of-range ones flagged and set missing."""
    stake, stake_bad = _number(_field(rows, mapping, "stake_pct"), rows.index, mapping.missing_tokens)
    stake = stake * mapping.stake_scale
    stake_raw = _clean_text(_field(rows, mapping, "stake_pct"), rows.index, ())
    marks.flag(alive & stake_bad, "unparseable stake", stake_raw)
    out_of_range = stake.notna() & ((stake <= 0) | (stake > 100))
    marks.flag(alive & out_of_range, "stake out of range (0, 100] (set missing)", stake_raw)
    return stake.where(~out_of_range)


def _valuations(rows: pd.DataFrame, mapping: DealMapping, currency_in: pd.Series, year: pd.Series,
                alive: pd.Series, marks: _Marks) -> pd.Series:
    """Post-money valuations in CNY: the vendor's CNY figure, else the reported one converted."""
    idx = rows.index
    val_cny = pd.Series(np.nan, index=idx)
    val_src = _field(rows, mapping, "post_money_cny")
    if val_src is not None:
        v = _money(val_src.astype(object), unit=mapping.valuation_unit, currency="CNY")
        marks.flag(alive & (v["status"] == "unparsed"), "unparseable valuation", _clean_text(val_src, idx, ()))
        val_cny = v["point"]
    val_orig = _field(rows, mapping, "post_money")
    if val_orig is not None:
        vcur_col = _field(rows, mapping, "post_money_currency")
        vcur = (_clean_text(vcur_col, idx, mapping.missing_tokens) if vcur_col is not None else currency_in)
        vcur = vcur.where(vcur.notna(), mapping.default_currency)
        v = _money(val_orig.astype(object), unit=mapping.valuation_unit, currency=vcur)
        marks.flag(alive & v["status"].isin(["unparsed", "unknown_currency"]), "unparseable valuation",
                   _clean_text(val_orig, idx, ()))
        vr = cny_per_unit(v["currency"].tolist(), year.tolist())
        vr.index = idx
        val_cny = val_cny.where(val_cny.notna(), v["point"] * vr["rate"])
    bad_val = val_cny.notna() & (val_cny <= 0)
    marks.flag(alive & bad_val, "non-positive valuation (set missing)", val_cny.astype(str))
    return val_cny.where(~bad_val)


def _investors(rows: pd.DataFrame, mapping: DealMapping) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(investor lists, investor key for duplicate detection, investor count the vendor gives)."""
    idx, miss = rows.index, mapping.missing_tokens
    investors = _split_investors(_field(rows, mapping, "investor"), idx, mapping.investor_sep, miss)
    inv_id = _clean_text(_field(rows, mapping, "investor_id"), idx, miss)
    inv_key = inv_id.where(inv_id.notna(), investors.map(lambda v: "|".join(v) if v else None))
    inv_key = pd.Series([re.sub(r"（领投）|\(领投\)|（跟投）", "", v) if isinstance(v, str) else None
                         for v in inv_key.tolist()], index=idx, dtype=object)
    n_inv_col, _n_inv_bad = _number(_field(rows, mapping, "n_investors"), idx, miss)
    return investors, inv_key, n_inv_col


def _firm_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``firm_id`` and the grouping keys ``_firm_key``, ``_round_key`` and ``_date_key``."""
    # firm id: normalised legal name, else short name within province, else NA (undisclosed)
    legal_norm = pd.Series(normalize_company_name(frame["firm_name"].astype(object)), index=frame.index)
    legal_norm = legal_norm.astype(object).where(frame["firm_name"].notna(), None)
    short_id = ("short:" + frame["short_name"].astype(object).fillna("") + "@"
                + frame["province"].astype(object).fillna(""))
    firm_id = legal_norm.where(legal_norm.notna(), short_id.where(frame["short_name"].notna(), None))
    frame["firm_id"] = firm_id.astype(object)
    # grouping key: firm id, or for undisclosed firms their visible attributes
    anon = ("anon:" + frame["province"].astype(object).fillna("") + "|" + frame["city"].astype(object).fillna("")
            + "|" + frame["industry_vendor"].astype(object).fillna(""))
    frame["_firm_key"] = frame["firm_id"].where(frame["firm_id"].notna(), anon)
    frame["_round_key"] = frame["round_raw"].fillna("")
    frame["_date_key"] = frame["date"].dt.strftime("%Y-%m-%d") + "/" + frame["date_precision"]
    return frame


def _parsed_rows(rows: pd.DataFrame, mapping: DealMapping, marks: _Marks,
                 as_of: str | pd.Timestamp | None) -> pd.DataFrame:
    """Every field of every row parsed (rows that cannot be events dropped, odd values flagged), before keys."""
    idx, miss = rows.index, mapping.missing_tokens
    blank = _blank_rows(rows)
    marks.drop(blank, "blank row")
    firm_name, short_name, alive = _firm_names(rows, mapping, ~blank, marks)
    dates, alive = _dates(rows, mapping, alive, marks, as_of)
    round_raw = _clean_text(_field(rows, mapping, "round"), idx, ())
    rounds = _rounds_of(round_raw.where(round_raw.notna(), None))
    marks.flag(alive & ~rounds["known"], "unknown round", round_raw)
    year = dates["date"].dt.year
    currency_in, cur_from_default = _currencies(rows, mapping)
    amt, amt_text = _reported_amounts(rows, mapping, currency_in, alive, marks)
    cny = _amounts_cny(rows, mapping, amt, amt_text, year, cur_from_default, alive, marks)
    amt_cny_point, amt_cny_low, amt_cny_high = _vendor_cny(rows, mapping, amt, cny, alive, marks)
    stake = _stakes(rows, mapping, alive, marks)
    val_cny = _valuations(rows, mapping, currency_in, year, alive, marks)
    investors, inv_key, n_inv_col = _investors(rows, mapping)
    loc = _location(rows, mapping, idx)
    marks.flag(alive & ~loc["_region_ok"], "region not recognised (kept as written)", loc["province"].astype(str))
    text = {name: _clean_text(_field(rows, mapping, name), idx, miss)
            for name in ("uscc", "industry_vendor", "industry_gb", "investment_type", "listed_exchange")}
    frame = pd.DataFrame(
        {
            "_row": marks.file_rows, "firm_name": firm_name, "short_name": short_name, "uscc": text["uscc"],
            "country": loc["country"], "province": loc["province"], "city": loc["city"],
            "industry_vendor": text["industry_vendor"], "industry_gb": text["industry_gb"],
            "date": dates["date"], "date_precision": dates["precision"], "round_raw": round_raw,
            "round_std": rounds["round_std"], "stage_order": rounds["stage_order"], "category": rounds["category"],
            "investment_type": text["investment_type"], "currency": amt["currency"],
            "amount_reported": amt["point"], "amount_cny": amt_cny_point, "amount_cny_low": amt_cny_low,
            "amount_cny_high": amt_cny_high, "amount_disclosed": amt["disclosed"], "amount_status": amt["status"],
            "stake_pct": stake, "post_money_cny": val_cny, "investors": investors, "_inv_key": inv_key,
            "_n_inv": n_inv_col, "listed_exchange": text["listed_exchange"],
        },
        index=idx,
    )
    return frame[alive]


def events_from_rows(
    rows: pd.DataFrame,
    mapping: DealMapping,
    *,
    source_file: str,
    ledger: Ledger,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Turn vendor rows (with a ``_row`` column) into canonical events, recording every row in ``ledger``.

    This is the engine behind every reader; :func:`lgresearch.deals.read_deals` calls it after
    :func:`~lgresearch.deals_readers.table.read_table`. Rows are parsed field by field (blank rows and rows
    without a firm or a date dropped, unusable values flagged and set missing), then collapsed into events by
    :func:`~lgresearch.deals_readers.collapse.collapse_rows`.

    Parameters
    ----------
    rows : DataFrame
        Table rows from :func:`~lgresearch.deals_readers.table.read_table`.
    mapping : DealMapping
        Which source column holds which canonical field.
    source_file : str
        The file name recorded on every event and ledger row.
    ledger : Ledger
        Receives one outcome per input row.
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    DataFrame
        Canonical events, one per round.

    Examples
    --------
    >>> rows = pd.DataFrame({"Company": ["甲科技有限公司", "甲科技有限公司"], "Date": ["2021-03-01", "2021-03-01"],
    ...                      "Round": ["A轮", "A轮"], "Amount": ["1000万人民币", "500万人民币"],
    ...                      "Investor": ["X资本", "Y基金"], "_row": [2, 3]})
    >>> m = DealMapping({"firm_name": "Company", "date": "Date", "round": "Round", "amount": "Amount",
    ...                  "investor": "Investor"}, investor_level=True, source="demo")
    >>> led = Ledger()
    >>> ev = events_from_rows(rows, m, source_file="demo.csv", ledger=led)
    >>> ev[["amount_cny", "n_investors", "round_std"]].values.tolist()
    [[15000000.0, 2, 'A']]
    >>> led.summary()
    '2 rows: 1 kept, 1 merged, 0 dropped (0 flagged)'
    """
    mapping = _usable_mapping(rows, mapping, source_file)
    if "_row" not in rows.columns:
        rows = rows.assign(_row=np.arange(2, 2 + len(rows), dtype="int64"))
    rows = rows.reset_index(drop=True)
    marks = _Marks(ledger, source_file, rows["_row"].astype("int64"))
    frame = _parsed_rows(rows, mapping, marks, as_of)
    frame["uscc"] = _checked_uscc(frame["uscc"], frame["_row"], source_file, ledger)
    return collapse_rows(_firm_keys(frame), mapping, source_file=source_file, ledger=ledger)
