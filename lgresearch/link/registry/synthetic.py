"""A SIMULATED business registry with planted variants of list firms and same-core decoys (tests, benchmarks).

Examples
--------
>>> sim = synthetic_registry(500, planted=10, seed=0)
>>> sim.firms.columns.tolist(), sim.truth.columns.tolist()
(['firm_id', 'name', 'province', 'provenance'], ['firm_id', 'registry_id', 'provenance'])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lgresearch.clean.names import core_name
from lgresearch.clean.regions import CITIES, PROVINCES
from lgresearch.provenance import mark_simulated

__all__ = ["SyntheticRegistry", "synthetic_registry"]

#: Characters of simulated trade names.
_POOL = (
    "安邦宝贝北奔博才昌辰成诚驰创春达大丹道德迪鼎东栋帆方飞丰锋峰富钢高戈格根耕冠光广贵桂海涵汉浩禾合和恒宏"
    "弘鸿虹华辉汇惠佳嘉坚建剑江杰捷金锦晋京晶景久聚骏凯康科可克坤蓝朗乐雷力立利联良亮林灵凌龙隆鲁路伦罗迈茂"
    "美蒙铭明木纳南能欧盘鹏平普奇启谦强乔勤青清晴庆秋泉群然仁荣融瑞润若赛森山善尚韶盛诗石世仕舒顺硕思斯松泰"
    "腾天通同拓万威维伟卫文沃武西希祥翔欣新鑫信星兴雄旭轩亚雅言阳耀业一亿意毅银英盈永优友宇雨玉元源远跃越云"
    "韵泽展章兆哲臻振正志中众洲卓子紫"
)
#: Industry words of simulated names (none contains another, so decoys always differ in industry).
_INDUSTRIES = ("科技", "电子", "机械", "新材料", "医疗器械", "半导体", "软件", "化工", "环保", "仪器", "精密",
               "光电", "电气", "食品", "纺织", "模具", "汽车零部件", "自动化", "通信", "生物医药", "智能装备",
               "信息技术")
_LEGALS = ("有限公司", "股份有限公司", "有限责任公司")
_VARIANTS = ("legal_form", "group", "traditional", "city_prefix", "bracket")


class SyntheticRegistry(NamedTuple):
    """A simulated list, registry and truth (:func:`synthetic_registry`)."""

    firms: pd.DataFrame
    registry: pd.DataFrame | Path
    truth: pd.DataFrame


def _places() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(province code, province short, province long, city) per prefecture (municipalities: themselves)."""
    rows = [(c, PROVINCES[c][0], PROVINCES[c][1], city) for c, city in zip(CITIES["province_code"], CITIES["city"],
                                                                            strict=True) if c in PROVINCES]
    have = {r[0] for r in rows}
    rows += [(c, s, lg, lg) for c, (s, lg, _e, _p) in PROVINCES.items() if c not in have]
    rows = [r for r in rows if r[0] != "66"]  # 兵团 firms are named after their cities, never 新疆兵团…
    arr = np.array(rows, dtype=object)
    code, short, long, city = (np.array(arr[:, i].tolist()) for i in range(4))
    return code, short, long, city


def _trades(rng: np.random.Generator, n: int, lengths: tuple[int, ...], p: tuple[float, ...]) -> np.ndarray:
    pool = np.array(list(_POOL))
    lens = rng.choice(np.array(lengths), size=n, p=np.array(p))
    chars = pool[rng.integers(0, len(pool), size=(n, 4))]
    for j in (2, 3):
        chars[lens <= j, j] = ""
    return np.char.add(np.char.add(chars[:, 0], chars[:, 1]), np.char.add(chars[:, 2], chars[:, 3]))


def _background(rng: np.random.Generator, n: int, places: tuple, exclude: set) -> pd.DataFrame:
    code, short, long, city = places
    where = rng.integers(0, len(code), size=n)
    trade = _trades(rng, n, (2, 3, 4), (0.45, 0.4, 0.15)).astype(object)
    clash = np.fromiter((t in exclude for t in trade), dtype=bool, count=n)
    trade[clash] = trade[clash] + "坊"  # planted cores appear only where planted
    form = rng.integers(0, 4, size=n)
    prefix = np.select([form == 0, form == 1, form == 2], [short[where], long[where], city[where]], "")
    ind = np.array(_INDUSTRIES)[rng.integers(0, len(_INDUSTRIES), size=n)]
    legal = np.array(_LEGALS)[rng.choice(3, size=n, p=[0.6, 0.25, 0.15])]
    name = np.char.add(np.char.add(prefix.astype(str), trade.astype(str)), np.char.add(ind, legal))
    return pd.DataFrame({"name": name.astype(object), "province": long[where].astype(object)})


def _list_firms(rng: np.random.Generator, n: int, places: tuple) -> pd.DataFrame:
    code, short, long, city = places
    trade = np.unique(_trades(rng, 3 * n + 50, (3, 4), (0.7, 0.3)))
    trade = trade[np.array(core_name(pd.Series([f"{t}科技有限公司" for t in trade])).astype(object) == trade)]
    trade = rng.permutation(trade)[:n]
    if len(trade) < n:
        raise ValueError(f"could not draw {n} distinct planted names; plant fewer firms.")
    where = rng.integers(0, len(code), size=n)
    form = rng.integers(0, 3, size=n)
    return pd.DataFrame({"trade": trade, "where": where, "form": form,
                         "ind": rng.integers(0, len(_INDUSTRIES), size=n),
                         "legal": rng.choice(3, size=n, p=[0.6, 0.25, 0.15])})


def _variant(r: Any, rng: np.random.Generator, places: tuple, t2s: Any) -> str:
    """A registry spelling of a list firm: one or two of :data:`_VARIANTS`."""
    _code, short, long, city = places
    kinds = set(rng.choice(_VARIANTS, size=int(rng.integers(1, 3)), replace=False).tolist())
    legal = _LEGALS[(r.legal + int(rng.integers(1, 3))) % 3] if "legal_form" in kinds else _LEGALS[r.legal]
    body = f"{r.trade}{_INDUSTRIES[r.ind]}"
    group = "集团" if "group" in kinds else ""
    listed = ("", short[r.where], city[r.where])[r.form]
    prefix = ("" if r.form == 2 else city[r.where]) if "city_prefix" in kinds else listed
    name = (f"{body}{group}（{city[r.where]}）{legal}" if "bracket" in kinds else f"{prefix}{body}{group}{legal}")
    return t2s.convert(name) if "traditional" in kinds else name


def _special_rows(firms_plan: pd.DataFrame, rng: np.random.Generator, places: tuple, *, linked_share: float,
                  decoys: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """List firms and the registry rows planted for them (true variants and same-core decoys)."""
    import opencc

    t2s = opencc.OpenCC("s2t")
    _code, short, long, city = places
    rows: list[tuple[str, Any, str | None]] = []
    firms: list[tuple[str, str, Any]] = []
    linked = rng.random(len(firms_plan)) < linked_share
    for i, r in enumerate(firms_plan.itertuples(index=False)):
        fid = f"F{i:07d}"
        prefix = ("", short[r.where], city[r.where])[r.form]
        firms.append((fid, f"{prefix}{r.trade}{_INDUSTRIES[r.ind]}{_LEGALS[r.legal]}",
                      (short[r.where], long[r.where])[int(rng.integers(0, 2))]))
        if linked[i]:
            rows.append((_variant(r, rng, places, t2s), long[r.where], fid))
        others = [k for k in range(len(_INDUSTRIES)) if k != r.ind]
        for k in rng.choice(others, size=decoys, replace=False):
            where = r.where if rng.random() < 0.8 else int(rng.integers(0, len(long)))
            pre = ("", short[where], city[where])[int(rng.integers(0, 3))]
            rows.append((f"{pre}{r.trade}{_INDUSTRIES[k]}{_LEGALS[int(rng.integers(0, 3))]}", long[where], None))
    firms_df = pd.DataFrame(firms, columns=["firm_id", "name", "province"], dtype=object)
    special = pd.DataFrame(rows, columns=["name", "province", "_truth"], dtype=object)
    return firms_df, special


def synthetic_registry(
    n: int,
    planted: int = 1_000,
    *,
    linked_share: float = 0.9,
    decoys: int = 2,
    seed: int = 0,
    path: str | Path | None = None,
    chunk_rows: int = 500_000,
) -> SyntheticRegistry:
    """A SIMULATED business registry with planted variants of list firms and same-core decoys.

    Each of the ``planted`` list firms (region prefix + trade name + industry words + legal form) appears in the
    registry, with probability ``linked_share``, under a variant spelling made of one or two of: another legal
    form, 集团 added, Traditional characters, a city prefix added or dropped, the city in full-width brackets.
    Every list firm also gets ``decoys`` registry firms with the same trade name (core) but other industry words
    (80% in its province). The remaining rows are random firms whose cores never equal a planted one.

    Parameters
    ----------
    n : int
        Registry rows in total.
    planted : int
        List firms.
    linked_share, decoys, seed : float, int, int
        Share of list firms present in the registry, decoys per list firm, random seed.
    path : path, optional
        Write the registry as a folder of parquet files (``part-00000.parquet``…, ``chunk_rows`` rows each)
        without holding it in memory; by default it is returned as a DataFrame.
    chunk_rows : int
        Rows per written file.

    Returns
    -------
    SyntheticRegistry
        ``firms`` (``firm_id, name, province``), ``registry`` (``registry_id, name, province``; a DataFrame or
        the folder's path) and ``truth`` (``firm_id, registry_id``). Data frames carry the simulated mark.

    Examples
    --------
    >>> sim = synthetic_registry(1_000, planted=50, seed=2)
    >>> len(sim.firms), len(sim.registry), sim.registry["registry_id"].is_unique
    (50, 1000, True)
    >>> 40 <= len(sim.truth) <= 50
    True
    """
    rng = np.random.default_rng(seed)
    places = _places()
    plan = _list_firms(rng, planted, places)
    firms, special = _special_rows(plan, rng, places, linked_share=linked_share, decoys=decoys)
    if len(special) > n:
        raise ValueError(f"n={n} registry rows cannot hold the {len(special)} planted rows; raise n.")
    exclude = set(plan["trade"].tolist())
    n_chunks = max(1, int(np.ceil(n / chunk_rows)))
    sizes = np.full(n_chunks, n // n_chunks)
    sizes[: n % n_chunks] += 1
    slot = rng.permutation(np.repeat(np.arange(n_chunks), sizes))[: len(special)]
    out_dir = Path(path) if path is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    parts, truth = _chunks(rng, special, slot, sizes, places, exclude, out_dir)
    source = "lgresearch.registry_link.synthetic_registry"
    truth_df = mark_simulated(pd.concat(truth, ignore_index=True).sort_values("firm_id", ignore_index=True), source)
    registry = mark_simulated(pd.concat(parts, ignore_index=True), source) if out_dir is None else out_dir
    return SyntheticRegistry(mark_simulated(firms, source), registry, truth_df)


def _chunks(rng: np.random.Generator, special: pd.DataFrame, slot: np.ndarray, sizes: np.ndarray, places: tuple,
            exclude: set, out_dir: Path | None) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Registry chunks (background firms and the planted rows of each chunk, shuffled) and their truth rows;
    chunks are written to ``out_dir`` when given, otherwise returned."""
    parts, truth, start = [], [], 0
    for c in range(len(sizes)):
        mine = special[slot == c]
        chunk = pd.concat([_background(rng, int(sizes[c]) - len(mine), places, exclude), mine], ignore_index=True)
        chunk = chunk.sample(frac=1.0, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
        chunk.insert(0, "registry_id", [f"R{i:09d}" for i in range(start, start + len(chunk))])
        start += len(chunk)
        t = chunk.loc[chunk["_truth"].notna(), ["_truth", "registry_id"]]
        truth.append(t.rename(columns={"_truth": "firm_id"}))
        chunk = chunk.drop(columns="_truth")
        if out_dir is None:
            parts.append(chunk)
        else:
            chunk["provenance"] = "simulated"
            pq.write_table(pa.Table.from_pandas(chunk, preserve_index=False), out_dir / f"part-{c:05d}.parquet")
    return parts, truth
