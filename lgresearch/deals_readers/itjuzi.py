"""IT桔子 (itjuzi) exports: company pages and 投资事件 (investment-event) lists.

**Company pages** (``公司列表_820条_….csv``, ``中国AI供应商.xlsx``): the first row of each company carries the
company fields (公司名称, 工商名称, 地点, 行业, 子行业, 融资总额, 估值 …) *and* its latest round; each following row
carries one earlier round (融资时间, 轮次, 融资金额, 投资方) with the company fields blank. Company fields are carried
down to the round rows; a company whose only row has no round (``-``) is dropped with a reason. The company-level
估值 is IT桔子's own standard estimate (1500万元 for most angel rounds), so it is **not** used as a valuation
(flagged on the company row).

**Investment events** (``data.xlsx``, sheet 投资事件: date, location, label, company, money, rounds): one row per
event, short names only.

Amounts are strings such as ``"数千万人民币"`` or ``"未透露美元"`` (parsed by :func:`lgresearch.clean.parse_money`);
investors are comma-separated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lgresearch.deals_readers.mapping import DealMapping
from lgresearch.deals_readers.rows import events_from_rows
from lgresearch.deals_readers.table import _blank, read_table, table_ledger
from lgresearch.errors import InputError
from lgresearch.ledger import Ledger
from lgresearch.provenance import mark_real

#: Provenance line (English only: it is printed under figures).
SOURCE_LINE = "ITjuzi (IT Juzi) company and investment-event pages, public scrape"
COMPANY_FIELDS = ("公司名称", "工商名称", "公司网址", "成立时间", "地点", "运营状态", "行业", "子行业")
ROUND_FIELDS = ("融资时间", "轮次", "融资金额", "投资方")

ITJUZI_COMPANY_MAPPING = DealMapping(
    columns={
        "firm_name": "工商名称",
        "short_name": "公司名称",
        "location": "地点",
        "industry_vendor": ["行业", "子行业"],
        "date": "融资时间",
        "round": "轮次",
        "amount": "融资金额",
        "investor": "投资方",
    },
    source="itjuzi",
    investor_sep=",",
    location_sep="-",
    valuation_is="reported",
    description="IT桔子 company pages (company row + round rows)",
)

ITJUZI_EVENTS_MAPPING = DealMapping(
    columns={
        "short_name": "company",
        "location": "location",
        "industry_vendor": "label",
        "date": "Unnamed: 0",
        "round": "rounds",
        "amount": "money",
    },
    source="itjuzi",
    valuation_is="reported",
    description="IT桔子 投资事件 front pages (one row per event)",
)


def _none_if_missing(v: object) -> bool:
    return _blank(v) or str(v).strip() in ("-", "--")


def _carry_company_fields(rows: pd.DataFrame, ledger: Ledger, source_file: str) -> pd.DataFrame:
    """Carry company fields down to round rows; drop company rows that have no round."""
    starts = ~rows["公司名称"].map(_blank)
    block = starts.cumsum()
    orphan = block == 0
    if orphan.any():
        ledger.add(source_file, rows.loc[orphan, "_row"].tolist(), "dropped",
                   reason="round row before any company row")
    rows = rows[~orphan].copy()
    block = block[~orphan]
    for col in COMPANY_FIELDS:
        if col in rows.columns:
            vals = rows[col].where(starts[~orphan], None)
            rows[col] = vals.groupby(block).transform("first")
    round_cols = [c for c in ("融资时间", "轮次", "融资金额") if c in rows.columns]
    no_round = rows[round_cols].map(_none_if_missing).all(axis=1)
    if no_round.any():
        ledger.add(source_file, rows.loc[no_round, "_row"].tolist(), "dropped",
                   reason="company without a financing round")
    if "估值" in rows.columns:
        val = rows["估值"].map(lambda v: None if _none_if_missing(v) or str(v).strip() == "未透露" else str(v))
        has = val.notna() & ~no_round
        if has.any():
            ledger.add(source_file, rows.loc[has, "_row"].tolist(), "flagged",
                       reason="IT桔子 company valuation not used (vendor standard estimate)",
                       detail=val[has].tolist())
    return rows[~no_round]


def read_itjuzi_file(path: str | Path, *, ledger: Ledger | None = None, as_of: str | pd.Timestamp | None = None
                     ) -> tuple[pd.DataFrame, Ledger]:
    """Read one IT桔子 file (company pages or event list, detected from the header); returns (events, ledger).

    Parameters
    ----------
    path : str or Path
        The file to read.
    ledger : Ledger, optional
        A ledger that receives one outcome per input row (internal engine argument).
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    (DataFrame, Ledger)
        The events and the row ledger.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "events.csv")
    >>> _ = open(p, "w", encoding="utf-8").write(",location,label,company,money,rounds\\n"
    ...                                          "2017.12.22,北京,教育,测帮在线,数千万人民币,天使轮\\n")
    >>> ev, led = read_itjuzi_file(p)
    >>> ev[["short_name", "round_std", "amount_status"]].values.tolist()
    [['测帮在线', 'angel', 'vague']]
    """
    path = Path(path)
    led = ledger if ledger is not None else Ledger()
    names = list(COMPANY_FIELDS) + list(ROUND_FIELDS) + ["company", "money", "rounds", "location", "label"]
    rows = read_table(path, header_names=names)
    own, n_physical = table_ledger(rows)
    cols = set(rows.columns)
    if {"公司名称", "融资时间", "轮次"} <= cols:
        rows = _carry_company_fields(rows, own, path.name)
        mapping = ITJUZI_COMPANY_MAPPING
    elif {"company", "money", "rounds"} <= cols:
        date_col = next((c for c in rows.columns if c.startswith("Unnamed") or c in ("date", "日期", "时间")), None)
        if date_col is None:
            raise InputError(path.name, None, None, "IT桔子 event list without a date column")
        cols_map = dict(ITJUZI_EVENTS_MAPPING.columns)
        cols_map["date"] = date_col
        mapping = DealMapping(**{**ITJUZI_EVENTS_MAPPING.__dict__, "columns": cols_map})
    else:
        raise InputError(path.name, None, None, "not an IT桔子 export: expected 公司名称/融资时间/轮次 or "
                                                "company/money/rounds columns")
    events = events_from_rows(rows, mapping, source_file=path.name, ledger=own, as_of=as_of)
    own.reconcile(n_physical)
    led.extend(own)
    # the file name is added only when it is ASCII (the source line is printed under figures)
    events = mark_real(events, f"{SOURCE_LINE} ({path.name})" if path.name.isascii() else SOURCE_LINE)
    events.attrs["ledger_summary"] = led.summary()
    return events, led


__all__ = ["ITJUZI_COMPANY_MAPPING", "ITJUZI_EVENTS_MAPPING", "read_itjuzi_file"]
