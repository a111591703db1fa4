"""The 清科 export → financing rounds → step-up pairs, with plain pandas and numpy (no lgresearch)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

#: Round labels that are not private financing rounds (undisclosed, placements, cornerstone, secondary sales).
NOT_PRIVATE_ROUNDS = {"--", "上市定增", "基石投资", "新三板定增", "老股权转让"}
#: Investment types that are not financing rounds.
NOT_ROUND_TYPES = {"发起设立", "并购投资", "房地产投资", "上市定增", "新三板定增"}
#: Stage order of the round labels (ties on one day are ordered by it).
STAGE = {"种子轮": 0, "天使轮": 1, "Pre-A": 3, "A": 4, "A+": 5, "Pre-B": 6, "B": 7, "B+": 8, "C": 10, "C+": 11,
         "D": 13, "D+": 14, "E": 16, "F": 19, "G": 22, "H": 25, "Pre-IPO": 30}


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.str.replace(",", "", regex=False).where(s != "--"), errors="coerce")


UNDISCLOSED = {"不披露", "未披露", "未透露", "保密", "--", "-", "undisclosed", ""}


def _name(s: pd.Series) -> pd.Series:
    """Registered names with one bracket form and no spaces; undisclosed names missing."""
    def one(v):
        if not isinstance(v, str) or v.strip() in UNDISCLOSED:
            return None
        v = unicodedata.normalize("NFKC", v).replace(" ", "").replace("(", "（").replace(")", "）")
        return v[: -len("股份公司")] + "股份有限公司" if v.endswith("股份公司") else v
    return s.map(one)


def events(path) -> pd.DataFrame:
    """One row per (firm, date, round) with the median vendor valuation (else amount / stake) in CNY."""
    raw = pd.read_excel(path, dtype=str, engine="openpyxl")
    firm = _name(raw["融资主体"])
    short = ("short:" + raw["企业"] + "@" + raw["地区"].str.split("|").str[1].fillna(""))
    d = pd.DataFrame({
        "firm": firm.where(firm.notna(), short.where(~raw["企业"].isin(UNDISCLOSED))),
        "date_text": raw["投资时间"], "round": raw["轮次"], "itype": raw["投资类型"].where(raw["投资类型"] != "--"),
        "short": raw["企业"].where(~raw["企业"].isin(UNDISCLOSED)),
        "exchange": raw["上市交易所"].where(raw["上市交易所"] != "--"),
        "valuation": _num(raw["企业估值(RMB/M)"]) * 1e6, "amount": _num(raw["投资金额(RMB/M)"]) * 1e6,
        "stake": _num(raw["股权%"]),
    })
    d["date"] = pd.to_datetime(d["date_text"], format="mixed")
    d["both"] = d["amount"].notna() & d["stake"].notna()
    g = d.groupby(["firm", "date_text", "round"], sort=False)
    ev = g.agg(date=("date", "first"), itype=("itype", "first"), vendor=("valuation", "median"),
               short=("short", "first"), exchange=("exchange", "first"))
    implied = (d["amount"].where(d["both"]).groupby([d["firm"], d["date_text"], d["round"]]).sum()
               / d["stake"].where(d["both"]).groupby([d["firm"], d["date_text"], d["round"]]).sum() * 100)
    ev["post_money"] = ev["vendor"].where(ev["vendor"].notna(), implied.reindex(ev.index))
    return ev.reset_index()


def private_valued(ev: pd.DataFrame) -> pd.DataFrame:
    keep = ~ev["round"].isin(NOT_PRIVATE_ROUNDS) & ~ev["itype"].isin(NOT_ROUND_TYPES)
    out = ev[keep & ev["firm"].notna() & (ev["post_money"] > 0)].copy()
    out["stage"] = out["round"].map(STAGE)
    return out.sort_values(["firm", "date", "stage"], na_position="last", kind="stable").reset_index(drop=True)


def merge_closings(ev: pd.DataFrame) -> pd.DataFrame:
    """Closings of one round → one round: same firm and label, within 5% of the first closing, <= 183 days apart."""
    keep, start, last = [], None, None
    for i, r in enumerate(ev.itertuples()):
        same = (start is not None and r.firm == ev.at[start, "firm"] and r.round == ev.at[start, "round"]
                and max(r.post_money, ev.at[start, "post_money"])
                <= 1.05 * min(r.post_money, ev.at[start, "post_money"]) * (1 + 1e-12)
                and (r.date - ev.at[last, "date"]).days <= 183)
        if not same:
            keep.append(i)
            start = i
        last = i
    return ev.iloc[keep].reset_index(drop=True)


def pairs(rounds: pd.DataFrame) -> pd.DataFrame:
    prev = rounds.groupby("firm").shift(1)
    ok = prev["post_money"].notna()
    out = pd.DataFrame({"firm": rounds.loc[ok, "firm"], "days": (rounds.loc[ok, "date"] - prev.loc[ok, "date"]).dt.days,
                        "step_up": rounds.loc[ok, "post_money"] / prev.loc[ok, "post_money"]})
    return out[out["days"] > 0]


def private(ev: pd.DataFrame) -> pd.DataFrame:
    """Private rounds of identified firms (valued or not)."""
    return ev[~ev["round"].isin(NOT_PRIVATE_ROUNDS) & ~ev["itype"].isin(NOT_ROUND_TYPES) & ev["firm"].notna()]


def firms(ev: pd.DataFrame) -> pd.DataFrame:
    """One row per firm: its short name and the last listing venue the vendor reports."""
    ev = ev[ev["firm"].notna()].assign(stage=ev["round"].map(STAGE))
    ev = ev.sort_values(["firm", "date", "stage"], kind="stable")
    g = ev.groupby("firm")
    return pd.DataFrame({"short": g["short"].last(), "exchange": g["exchange"].last()}).reset_index()


#: Round label → round category (the private ones).
CATEGORY = {**{r: "seed/venture" for r in ("种子轮", "天使轮", "Pre-A", "A", "A+", "Pre-B", "B", "B+")},
            **{r: "growth" for r in ("C", "C+", "D", "D+", "E", "F", "G", "H")},
            "Pre-IPO": "pre-IPO", "其他": "other", "战略投资": "other"}


def listing_status(exchange: pd.Series) -> pd.Series:
    """exchange-listed (any 交易所) / NEEQ only / never listed, from the vendor's listing text."""
    text = exchange.fillna("")
    return pd.Series(np.where(text.str.contains("交易所"), "exchange-listed",
                              np.where(text.str.contains("新三板|中小企业股份转让"), "NEEQ only", "never listed")),
                     index=exchange.index)


def pairs_with_stage(rounds: pd.DataFrame) -> pd.DataFrame:
    """Round pairs (days > 0) with the later round's category."""
    prev = rounds.groupby("firm").shift(1)
    ok = prev["post_money"].notna()
    out = pd.DataFrame({"firm": rounds.loc[ok, "firm"],
                        "days": (rounds.loc[ok, "date"] - prev.loc[ok, "date"]).dt.days,
                        "step_up": rounds.loc[ok, "post_money"] / prev.loc[ok, "post_money"],
                        "stage": rounds.loc[ok, "round"].map(CATEGORY)})
    return out[out["days"] > 0]
