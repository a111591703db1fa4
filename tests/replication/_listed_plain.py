"""Listed Little Giants, the stock universe and Shenwan industries, with plain pandas (no lgresearch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

EXCHANGE_BOARDS = ["Main", "ChiNext", "STAR", "BSE"]


def snapshot_files(ext: Path) -> list[Path]:
    """The dated vendor tag snapshots (``history/<source>_<board>_<date>.csv``; not the first-seen summary)."""
    return [f for f in sorted((ext / "listed-little-giants" / "history").glob("*.csv")) if f.name != "first_seen.csv"]


def tagged_codes(ext: Path) -> set[str]:
    """Every code any vendor snapshot tags as 专精特新 (the by-code file and the dated snapshots)."""
    tags = pd.read_csv(ext / "listed-little-giants" / "listed_little_giants_by_code.csv", dtype=str)
    codes = set(tags["firm_code"])
    for f in snapshot_files(ext):
        h = pd.read_csv(f, dtype=str)
        codes |= set(h["code_norm"] if "code_norm" in h.columns else h["code"])
    return codes


def _bse_map(ext: Path, tags: pd.DataFrame, lists: list[pd.DataFrame]) -> dict[str, str]:
    """Old BSE/NEEQ codes → 920xxx codes: explicit pairs, then one short name across files; conflicts dropped."""
    hist = snapshot_files(ext)
    pairs = []
    for f in hist:
        h = pd.read_csv(f, dtype=str)
        if "code_norm" in h.columns:
            d = h[h["code"] != h["code_norm"]]
            pairs.append(pd.DataFrame({"old": d["code"], "new": d["code_norm"]}))
    for sc in tags["source_codes"].dropna():
        codes = sc.split(";")
        new = [c for c in codes if c.startswith("920")]
        pairs += [pd.DataFrame({"old": [c], "new": [new[0]]}) for c in codes if new and not c.startswith("920")]
    names = pd.concat([pd.read_csv(f, dtype=str)[["code", "name"]] for f in hist] + lists).dropna()
    names["code"] = names["code"].astype(str).str.extract(r"(\d{6})")[0]
    names["key"] = names["name"].astype(str).str.replace(r"\s+", "", regex=True)
    names = names.dropna(subset=["code"])
    old = names[names["code"].str.match(r"^[48]\d{5}$")].drop_duplicates(["code", "key"])
    new = names[names["code"].str.match(r"^920\d{3}$")].drop_duplicates(["code", "key"])
    m = old.merge(new, on="key", suffixes=("_old", "_new"))
    pairs.append(pd.DataFrame({"old": m["code_old"], "new": m["code_new"]}))
    p = pd.concat(pairs).dropna().drop_duplicates()
    bad = p["old"].duplicated(keep=False) | p["new"].duplicated(keep=False)
    return dict(zip(p.loc[~bad, "old"], p.loc[~bad, "new"], strict=True))


def universe_with_industries(ext: Path) -> pd.DataFrame:
    """Stocks of the two stock lists that have a Shenwan 2021 industry, flagged as high-confidence Little Giants."""
    sw = pd.read_excel(ext / "markzhou-github__h5m80d50_priority" / "StockClassifyUse_stock.xls", engine="calamine",
                       dtype={"股票代码": str})
    names = pd.read_excel(ext / "qikaiquant__stock_china_mainland" / "data" / "SwClassCode_2021.xls",
                          engine="calamine")
    sw = pd.DataFrame({"code": sw["股票代码"].astype(str).str.zfill(6), "date": pd.to_datetime(sw["计入日期"]),
                       "sw_code": pd.to_numeric(sw["行业代码"], errors="coerce")}).dropna(subset=["sw_code"])
    latest = sw.sort_values(["code", "date"], kind="stable").groupby("code").tail(1)
    table = names.assign(code=names["行业代码"].astype(int)).set_index("code")
    latest = latest[latest["sw_code"].isin(table.index)]
    latest = latest.assign(l1=latest["sw_code"] // 10000 * 10000, l2=latest["sw_code"] // 100 * 100)
    latest = latest.assign(l1_name=latest["l1"].map(table["一级行业名称"]),
                           l2_name=latest["l2"].map(table["二级行业名称"]).fillna(""))
    s25 = pd.read_csv(ext / "LYH-RAIN__StockTradebyZ" / "stocklist.csv", dtype=str)
    s24 = pd.read_csv(ext / "tszlam__trading" / "stock_list.csv", dtype={"code": str}, encoding="utf-8-sig")
    tags = pd.read_csv(ext / "listed-little-giants" / "listed_little_giants_by_code.csv", dtype=str)
    lists = [s25[["symbol", "name"]].rename(columns={"symbol": "code"}), s24[["code", "name"]]]
    bse = _bse_map(ext, tags, lists)
    codes = {bse.get(c, c) for c in set(s25["symbol"].str.zfill(6)) | set(s24["code"].str.zfill(6))}
    hc = tags[(tags["in_em_bk1005_2025_07"] == "True") & (tags["in_ths_885929_2026_06"] == "True")
              & tags["board"].isin(EXCHANGE_BOARDS)]
    out = latest[latest["code"].isin(codes)].reset_index(drop=True)
    return out.assign(member=out["code"].isin(set(hc["firm_code"])))


def ratio(universe: pd.DataFrame, in_industry: pd.Series, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """Share among members / share among the others, with the Katz log interval (counts > 0 here)."""
    m = universe["member"]
    a, c = float((in_industry & m).sum()), float((in_industry & ~m).sum())
    n1, n2 = float(m.sum()), float((~m).sum())
    r = (a / n1) / (c / n2)
    se = np.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return r, float(np.exp(np.log(r) - z * se)), float(np.exp(np.log(r) + z * se))


def board_of(codes: pd.Series, bj: set[str]) -> pd.Series:
    """Board from the code prefix; old BSE/NEEQ codes on the Beijing exchange list are BSE."""
    rules = [(r"^(60[0-5]|00[0-3])\d{3}$", "Main"), (r"^30[0-2]\d{3}$", "ChiNext"), (r"^68[89]\d{3}$", "STAR"),
             (r"^920\d{3}$", "BSE"), (r"^(4[0-9]|8[0-9])\d{4}$", "BSE/NEEQ")]
    out = pd.Series(pd.NA, index=codes.index, dtype="object")
    for pattern, board in rules:
        out = out.mask(codes.str.match(pattern) & out.isna(), board)
    return out.mask((out == "BSE/NEEQ") & codes.isin(bj), "BSE")


def stock_universe(ext: Path) -> pd.DataFrame:
    """Every code of the two stock lists (old BSE codes resolved), with its name and board."""
    s25 = pd.read_csv(ext / "LYH-RAIN__StockTradebyZ" / "stocklist.csv", dtype=str)
    s24 = pd.read_csv(ext / "tszlam__trading" / "stock_list.csv", dtype={"code": str}, encoding="utf-8-sig")
    tags = pd.read_csv(ext / "listed-little-giants" / "listed_little_giants_by_code.csv", dtype=str)
    bse = _bse_map(ext, tags, [s25[["symbol", "name"]].rename(columns={"symbol": "code"}), s24[["code", "name"]]])
    a25 = pd.DataFrame({"code": s25["symbol"].str.zfill(6).map(lambda c: bse.get(c, c)), "name": s25["name"],
                        "bj": s25["ts_code"].str[-2:] == "BJ"}).drop_duplicates("code")
    a24 = pd.DataFrame({"code": s24["code"].str.zfill(6).map(lambda c: bse.get(c, c)),
                        "name": s24["name"].astype(str).str.replace(r"\s+", "", regex=True)}).drop_duplicates("code")
    out = pd.DataFrame({"code": sorted(set(a25["code"]) | set(a24["code"]))})
    out["name"] = out["code"].map(a25.set_index("code")["name"]).fillna(out["code"].map(a24.set_index("code")["name"]))
    # an old BSE/NEEQ-style code in these exchange stock lists is a Beijing Stock Exchange listing
    out["board"] = board_of(out["code"], set(out["code"]))
    return out


#: Words in the vendor's listing text that are consistent with a board.
BOARD_WORDS = {"Main": ("主板", "中小板", "中小企业板"), "ChiNext": ("创业板",), "STAR": ("科创板",),
               "BSE": ("北京证券交易所", "新三板"), "NEEQ": ("新三板",)}


def tag_rows(ext: Path) -> pd.DataFrame:
    """One row per tagged code with its short name and board (the by-code file, then codes only in snapshots)."""
    by = pd.read_csv(ext / "listed-little-giants" / "listed_little_giants_by_code.csv", dtype=str)
    tags = by[["firm_code", "name", "board"]].rename(columns={"firm_code": "code"})
    snaps = pd.concat([pd.read_csv(f, dtype=str) for f in snapshot_files(ext)], ignore_index=True)
    snaps["code"] = snaps["code_norm"].fillna(snaps["code"])
    extra = (snaps[~snaps["code"].isin(set(tags["code"]))].drop_duplicates("code")[["code", "name", "market"]]
             .rename(columns={"market": "board"}))
    out = pd.concat([tags, extra], ignore_index=True)
    return out.assign(board=out["board"].replace({"BSE/NEEQ": "BSE", "BSE(old code)": "BSE"}))


def link_short_names(stocks: pd.DataFrame, firms: pd.DataFrame, key) -> pd.DataFrame:
    """Stocks (code, name, board) ↔ deal firms (firm, short, exchange): one short name, a consistent board,
    unique both ways."""
    f = firms[firms["exchange"].notna() & firms["short"].notna()]
    m = stocks.assign(key=key(stocks["name"])).merge(f.assign(key=key(f["short"])), on="key")
    ok = [b not in BOARD_WORDS or any(w in e for w in BOARD_WORDS[b]) for b, e in zip(m["board"], m["exchange"],
                                                                                       strict=True)]
    m = m[np.array(ok, dtype=bool)]
    return m[(m.groupby("code")["firm"].transform("nunique") == 1)
             & (m.groupby("firm")["code"].transform("nunique") == 1)]
