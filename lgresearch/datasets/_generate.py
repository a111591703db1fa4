"""Write the sample files of :mod:`lgresearch.datasets` (``python -m lgresearch.datasets`` lists them).

Every value is INVENTED here, by lgresearch, from a seeded random walk and hand-written rows: the files copy the
*shape* of the vendor exports (folder and file names, columns, types) and nothing of their content. The stock codes
are real exchange codes so that boards and code rules apply; the names, prices, tags and industries are samples.
Regenerating gives the same values (fixed seed). :func:`lgresearch.datasets.external_dir` runs this generator
into the cache folder on first use; nothing it writes is committed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch.securities import xshg_sessions

__all__ = [
    "NOTE", "STOCKS", "SESSIONS_2024", "FIRST_SEEN", "generate",
]


NOTE = "SAMPLE: invented by lgresearch, not vendor data"
#: code -> (sample short name, Shenwan SW2021 industry code, float market cap 2024-06 in RMB)
STOCKS = {
    "600519": ("样本酒业", 340101, 1.8e12), "000586": ("样本通信", 730201, 3.1e9),
    "300557": ("样本电气", 630101, 4.2e9), "688981": ("样本芯片", 270101, 1.1e11),
    "300750": ("样本电池", 630301, 8.0e11), "002594": ("样本汽车", 280101, 2.5e11),
    "920475": ("样本精工", 640101, 1.5e9),
}
SESSIONS_2024 = ("2024-01-02", "2024-08-30")


def _sessions(start: str, end: str) -> pd.DatetimeIndex:
    return xshg_sessions(start, end)


def _walk(codes: list[str], sessions: pd.DatetimeIndex, rng: np.random.Generator, base: float = 1.0) -> pd.DataFrame:
    rows = []
    for k, code in enumerate(codes):
        ret = rng.normal(0.0005, 0.02, len(sessions))
        close = np.round(base * (10 + 5 * k) * np.exp(np.cumsum(ret)), 2)
        high = np.round(close * (1 + rng.uniform(0, 0.02, len(sessions))), 2)
        low = np.round(close * (1 - rng.uniform(0, 0.02, len(sessions))), 2)
        rows.append(pd.DataFrame({"code": code, "date": sessions.date, "open": close, "close": close, "high": high,
                                  "low": low, "volume": 1e6}))
    out = pd.concat(rows, ignore_index=True)
    for col in ("open", "close", "high", "low", "volume"):
        out[col] = out[col].astype("float32")
    out["code"] = out["code"].astype("category")
    return out


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"lgresearch_sample": NOTE.encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _prices(root: Path, rng: np.random.Generator) -> None:
    codes = [c for c in STOCKS if c != "920475"]
    _parquet(_walk(codes, _sessions(*SESSIONS_2024), rng),
             root / "LYH-RAIN__StockTradebyZ" / "data__daily_qfq_20240102-20251121.parquet")
    _parquet(_walk(["600519", "300750", "002594"], _sessions("2023-11-01", "2024-01-31"), rng, base=0.9),
             root / "R11happy__StockTradebyZ" / "data__daily_qfq_20190102-20250822.parquet")
    ts = _walk(["600519", "688981", "000586"], _sessions("2024-05-06", "2024-06-26"), rng)
    ts = ts.rename(columns={"date": "日期", "open": "开盘", "close": "收盘", "high": "最高", "low": "最低",
                            "volume": "成交量"})
    ts["成交量"] = ts["成交量"].astype("int64")
    ts["成交额"] = (ts["收盘"].astype(float) * 1e6).astype("float32")
    ts["换手率"] = np.float32(0.5)
    for col in ("振幅", "涨跌幅", "涨跌额"):
        ts[col] = np.float32(0.0)
    _parquet(ts, root / "tszlam__trading" / "data__daily_qfq_20210104-20240626.parquet")


def _indices(root: Path, rng: np.random.Generator) -> None:
    sessions = _sessions(*SESSIONS_2024)
    for folder, name, base in (("LiuZesensengsheng__gupiao", "000300.SH.csv", 3400.0),
                               ("LiuZesensengsheng__gupiao", "399006.SZ.csv", 1800.0),
                               ("hriszc__zechenhehuo", "h00300.csv", 4500.0),
                               ("hriszc__zechenhehuo", "h00852.csv", 7000.0)):
        close = np.round(base * np.exp(np.cumsum(rng.normal(0.0003, 0.012, len(sessions)))), 2)
        df = pd.DataFrame({"date": sessions.strftime("%Y-%m-%d"), "close": close, "sample_note": NOTE})
        (root / folder / "data").mkdir(parents=True, exist_ok=True)
        df.to_csv(root / folder / "data" / name, index=False)


def _stock_lists(root: Path) -> None:
    rows = [{"ts_code": c + (".SH" if c.startswith("6") else ".BJ" if c.startswith("92") else ".SZ"), "symbol": c,
             "name": n, "area": "样本省", "industry": "样本行业"} for c, (n, _, _) in STOCKS.items()]
    (root / "LYH-RAIN__StockTradebyZ").mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(root / "LYH-RAIN__StockTradebyZ" / "stocklist.csv", index=False)
    em = [{"code": c if c != "920475" else "834475", "name": n, "总市值": cap * 1.2, "流通市值": cap,
           "行业": "样本行业", "总股本": 1e9, "流通股": 8e8} for c, (n, _, cap) in STOCKS.items()]
    (root / "tszlam__trading").mkdir(parents=True, exist_ok=True)
    pd.DataFrame(em).to_csv(root / "tszlam__trading" / "stock_list.csv", index=False)


def _snapshots(root: Path) -> None:
    hist = root / "listed-little-giants" / "history"
    hist.mkdir(parents=True, exist_ok=True)
    members = {  # file -> codes tagged in that sample snapshot
        "oisea365_wind-neeq-zjtxflag_2023-04-29.csv": ["834475"],
        "hikyuu_em-concept-zjtx_2023-12-18.csv": ["000586", "300557"],
        "hikyuu_em-concept-zjtx_2024-01-02.csv": ["000586", "300557"],
        "etrobot_em-concept-zjtx_2025-07-30.csv": ["000586", "300557", "688981", "920475"],
        "widgeta_ths-concept-zjtx_2026-02-21.csv": ["000586", "688981"],
        "widgeta_ths-concept-zjtx_2026-06-18.csv": ["000586", "300557", "688981", "920475"],
    }
    names = {c: n for c, (n, _, _) in STOCKS.items()} | {"834475": STOCKS["920475"][0]}
    for file, codes in members.items():
        pd.DataFrame({"code": codes, "name": [names[c] for c in codes], "board_code": "SAMPLE",
                      "code_norm": ["920475" if c == "834475" else c for c in codes],
                      "market": "sample"}).to_csv(hist / file, index=False)
    pd.DataFrame({"code": ["000586", "300557", "688981", "920475"], "name": [names[c] for c in
                  ("000586", "300557", "688981", "920475")],
                  "first_trade_date_in_2024_2025_prices": ["2024-01-02", "2024-01-02", "2024-01-02", ""]}
                 ).to_csv(hist / FIRST_SEEN, index=False)
    llg = root / "listed-little-giants"
    pd.DataFrame({"firm_code": ["920475"], "name": [names["920475"]], "board": ["BSE"],
                  "source_codes": ["834475;920475"], "verified_batch": [""]}).to_csv(
        llg / "listed_little_giants_by_code.csv", index=False)
    pd.DataFrame({"code": ["300557", "000586"], "name": [names["300557"], names["000586"]],
                  "label": ["sample fragment (full name 样本电气股份有限公司)", "sample tag"],
                  "batch": ["第三批", ""], "source": NOTE, "board": ["ChiNext", "Main"], "snapshot": "sample"}
                 ).to_csv(llg / "listed_little_giants_candidates.csv", index=False)


FIRST_SEEN = "first_seen.csv"


def _shenwan(root: Path) -> None:
    import xlwt  # writes the legacy .xls format the vendor files use (test extra)

    def write(path: Path, frame: pd.DataFrame) -> None:
        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("Sheet1")
        date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        for j, col in enumerate(frame.columns):
            sheet.write(0, j, col)
            for i, v in enumerate(frame[col].tolist(), start=1):
                if isinstance(v, pd.Timestamp):
                    sheet.write(i, j, v.to_pydatetime(), date_style)
                elif v is not None and not (isinstance(v, float) and np.isnan(v)):
                    sheet.write(i, j, v)
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(str(path))

    rows = [{"股票代码": int(c), "计入日期": pd.Timestamp("2021-07-30"), "行业代码": sw,
             "更新日期": pd.Timestamp("2024-01-01")} for c, (_, sw, _) in STOCKS.items()]
    write(root / "markzhou-github__h5m80d50_priority" / "StockClassifyUse_stock.xls", pd.DataFrame(rows))
    l1 = {340000: "食品饮料", 730000: "通信", 630000: "电力设备", 270000: "电子", 280000: "汽车", 640000: "机械设备"}
    codes = []
    for _, (_, sw, _) in STOCKS.items():
        top, mid = sw // 10000 * 10000, sw // 100 * 100
        codes += [(top, l1[top], None), (mid, l1[top], "样本二级"), (sw, l1[top], "样本二级")]
    names = pd.DataFrame(sorted(set(codes), key=lambda r: r[0]), columns=["行业代码", "一级行业名称", "二级行业名称"])
    write(root / "qikaiquant__stock_china_mainland" / "data" / "SwClassCode_2021.xls", names)


def generate(root: Path) -> list[Path]:
    """Write every sample file below ``root`` and return their paths (sorted).

    Parameters
    ----------
    root : pathlib.Path
        Folder to write into (laid out like the third-party directory).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> written = generate(Path(tempfile.mkdtemp()))   # needs xlwt (test extra) for the two .xls files
    >>> len(written), written[0].name
    (20, 'data__daily_qfq_20240102-20251121.parquet')
    """
    rng = np.random.default_rng(20240101)
    _prices(root, rng)
    _indices(root, rng)
    _stock_lists(root)
    _snapshots(root)
    _shenwan(root)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != "README.md")
