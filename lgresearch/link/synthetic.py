"""SIMULATED firm lists with realistic name variants and the true links between them (tests and benchmarks).

Examples
--------
>>> left, right, truth = synthetic_name_lists(20, 100, seed=0)
>>> left.columns.tolist(), truth.columns.tolist()
(['firm_id', 'name', 'short_name', 'province', 'provenance'], ['left_id', 'right_id', 'provenance'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.clean.regions import CITIES, PROVINCES, region_prefix_forms
from lgresearch.provenance import mark_simulated

__all__ = ["synthetic_name_lists"]

_TRADE_CHARS = (
    "华海天宇恒泰信达安康瑞博远航鼎盛弘新嘉禾中科联创金辉明德永兴宏图立讯汇通睿思智诚正元同方凯越beta"
    "晨光润丰星辰云帆卓越启明东方北辰南山西湖长江黄河青峰紫金银河蓝特奥普佳美润和科达盛世新元广源建业"
    "精工高德思源欣旺德赛宁远朗科拓邦汉威威尔迈瑞安图泰格艾德捷顺光峰锐科国科华大天准海能聚光雷迪"
).replace("beta", "")
_INDUSTRY = ("科技", "电子", "光学", "机械", "新材料", "生物医药", "智能装备", "信息技术", "精密", "半导体",
             "环保科技", "电气", "仪器", "微电子", "自动化", "医疗器械", "软件", "通信", "光电", "材料科技")
_LEGAL = ("有限公司", "股份有限公司", "有限责任公司")


def synthetic_name_lists(
    n_left: int = 2_000,
    n_right: int = 20_000,
    *,
    linked_share: float = 0.7,
    short_only_share: float = 0.1,
    distractor_share: float = 0.3,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Generate two firm lists with realistic name variants and the true links between them (SIMULATED).

    The right list (a deal database) holds ``n_right`` distinct firms named region + trade name + industry +
    legal form; ``short_only_share`` of them carry only a short (brand) name. The left list (a designation list)
    holds ``n_left`` firms: ``linked_share`` of them are right firms written differently (region prefix dropped or
    changed to the city or the long form, region moved into brackets, legal form changed, Traditional characters,
    full-width brackets and spaces); the rest are not in the right list, and ``distractor_share`` of those are
    near-misses planted in the right list's province (same trade name with another industry word, or a trade
    name one character away).

    Parameters
    ----------
    n_left : int
        Firms on the left list.
    n_right : int
        Firms on the right list.
    linked_share : float
        Share of left firms that have a true match on the right.
    short_only_share : float
        Share of right firms given only a short name.
    distractor_share : float
        Share of right firms that are near-miss distractors.
    seed : int
        Random seed.

    Returns
    -------
    (left, right, truth)
        ``left`` and ``right`` have ``firm_id, name, short_name, province``; ``truth`` has ``left_id, right_id``.
        All three are marked simulated.

    Examples
    --------
    >>> left, right, truth = synthetic_name_lists(50, 400, seed=1)
    >>> len(left), len(right), len(truth)
    (50, 400, 35)
    """
    draw = _NameDraw(seed)
    right = draw.right_list(n_right, short_only_share)
    n_link = int(round(n_left * linked_share))
    left_rows = draw.linked_rows(right, n_link)
    # unlinked firms: near-miss distractors in the right list's provinces, and plain new firms
    n_other = n_left - n_link
    n_dis = int(round(n_other * distractor_share))
    left_rows += draw.distractor_rows(right, n_dis)
    left_rows += draw.fresh_rows(right, n_other - n_dis)
    rng = draw.rng
    left = pd.DataFrame(left_rows).sample(frac=1.0, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    left["firm_id"] = [f"L{i:06d}" for i in range(len(left))]
    truth = left.loc[left["_right"].notna(), ["firm_id", "_right"]].rename(
        columns={"firm_id": "left_id", "_right": "right_id"}).reset_index(drop=True)
    cols = ["firm_id", "name", "short_name", "province"]
    left = mark_simulated(left[cols].copy(), "lgresearch.link.synthetic_name_lists")
    right = mark_simulated(right[cols].copy(), "lgresearch.link.synthetic_name_lists")
    truth = mark_simulated(truth, "lgresearch.link.synthetic_name_lists")
    return left, right, truth


#: Simplified → Traditional spellings used for left-list variants.
_S2T = str.maketrans("华东学电机业长广达国门开发兴汇联讯乐", "華東學電機業長廣達國門開發興匯聯訊樂")


class _NameDraw:
    """The random draws of :func:`synthetic_name_lists`, in a fixed order (one generator)."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.provinces = [(code, short, long) for code, (short, long, _e, _p) in PROVINCES.items() if code != "66"]
        weights = np.array([6.0 if s in ("广东", "江苏", "浙江", "北京", "上海", "山东") else 1.0
                            for _c, s, _l in self.provinces])
        self.weights = weights / weights.sum()
        self.cities = {c: sub["city"].tolist() for c, sub in CITIES.groupby("province_code")}
        self.chars = np.array(list(dict.fromkeys(_TRADE_CHARS)))
        self.region_forms = region_prefix_forms()

    def trade(self, k: int) -> np.ndarray:
        rng = self.rng
        lengths = rng.choice([2, 3, 4], size=k, p=[0.55, 0.3, 0.15])
        out = []
        for n in lengths:
            t = "".join(rng.choice(self.chars, size=n))
            while t.startswith(self.region_forms):  # a trade name is not a place name
                t = "".join(rng.choice(self.chars, size=n))
            out.append(t)
        return np.array(out, dtype=object)

    def region_of(self, p: int, form: str) -> str:
        code, short, long = self.provinces[p]
        if form == "city" and self.cities.get(code):
            return str(self.rng.choice(self.cities[code]))
        return long if form == "long" else short

    def right_list(self, n_right: int, short_only_share: float) -> pd.DataFrame:
        """Distinct (province, trade, industry) firms, some with only a short name."""
        rng = self.rng
        n_extra = int(n_right * 1.3) + 100
        prov_idx = rng.choice(len(self.provinces), size=n_extra, p=self.weights)
        right = pd.DataFrame({"p": prov_idx, "trade": self.trade(n_extra),
                              "ind": rng.choice(np.array(_INDUSTRY, dtype=object), size=n_extra),
                              "legal": rng.choice(np.array(_LEGAL, dtype=object), size=n_extra, p=[0.6, 0.3, 0.1])})
        right = right.drop_duplicates(["p", "trade"]).head(n_right).reset_index(drop=True)
        if len(right) < n_right:
            raise ValueError("could not draw enough distinct names; lower n_right")
        right_names, right_short = [], []
        for r in right.itertuples(index=False):
            form = rng.choice(["short", "long", "city"], p=[0.4, 0.2, 0.4])
            right_names.append(f"{self.region_of(r.p, form)}{r.trade}{r.ind}{r.legal}")
            right_short.append(f"{r.trade}{r.ind}" if rng.random() < 0.5 else r.trade)
        right["name"] = right_names
        right["short_name"] = right_short
        right["province"] = [self.provinces[p][2] for p in right["p"]]
        right["firm_id"] = [f"R{i:07d}" for i in range(len(right))]
        short_only = rng.random(len(right)) < short_only_share
        right.loc[short_only, "name"] = None
        return right

    def variant(self, r) -> str:
        """A left-list spelling of a right firm."""
        rng = self.rng
        legal = r.legal if rng.random() < 0.7 else str(rng.choice([x for x in _LEGAL if x != r.legal]))
        kind = rng.choice(["drop", "long", "city", "bracket", "same"], p=[0.25, 0.2, 0.2, 0.15, 0.2])
        if kind == "drop":
            name = f"{r.trade}{r.ind}{legal}"
        elif kind == "bracket":
            name = f"{r.trade}{r.ind}（{self.region_of(r.p, 'city')}）{legal}"
        else:
            name = f"{self.region_of(r.p, 'long' if kind == 'long' else ('city' if kind == 'city' else 'short'))}" \
                   f"{r.trade}{r.ind}{legal}"
        if rng.random() < 0.15:
            name = name.translate(_S2T)
        if rng.random() < 0.1:
            name = name.replace("（", "(").replace("）", ")")
        if rng.random() < 0.05:
            name = name[:2] + " " + name[2:]
        return name

    def linked_rows(self, right: pd.DataFrame, n_link: int) -> list[dict]:
        """Left firms that are right firms written differently."""
        rng = self.rng
        linked = right.sample(n=n_link, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
        return [{"name": self.variant(r), "province": self.provinces[r.p][1 if rng.random() < 0.5 else 2],
                 "short_name": None, "_right": r.firm_id} for r in linked.itertuples(index=False)]

    def distractor_rows(self, right: pd.DataFrame, n_dis: int) -> list[dict]:
        """Near misses: the same trade name with another industry word, or a trade name one character away."""
        rng, chars = self.rng, self.chars
        base = right.sample(n=n_dis, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
        taken = set(zip(right["p"], right["trade"], strict=True))
        rows = []
        for r in base.itertuples(index=False):
            if rng.random() < 0.5:  # same trade name, another industry word
                ind = str(rng.choice([x for x in _INDUSTRY if x != r.ind and x not in r.ind and r.ind not in x]))
                name = f"{self.region_of(r.p, 'short')}{r.trade}{ind}{r.legal}"
            else:  # one character away
                t = list(r.trade)
                pos = int(rng.integers(len(t)))
                t[pos] = str(rng.choice([c for c in chars if c != t[pos]]))
                new = "".join(t)
                if (r.p, new) in taken:
                    new = new + str(rng.choice(chars))
                name = f"{self.region_of(r.p, 'short')}{new}{r.ind}{r.legal}"
            rows.append({"name": name, "province": self.provinces[r.p][1], "short_name": None, "_right": None})
        return rows

    def fresh_rows(self, right: pd.DataFrame, n: int) -> list[dict]:
        """Plain new firms, in provinces drawn like the right list's."""
        rng, chars = self.rng, self.chars
        taken = set(zip(right["p"], right["trade"], strict=True))
        rows = []
        for t in self.trade(n):
            p = int(rng.choice(len(self.provinces), p=self.weights))
            while (p, t) in taken:
                t = t + str(rng.choice(chars))
            name = (f"{self.region_of(p, 'short')}{t}{rng.choice(np.array(_INDUSTRY, dtype=object))}"
                    f"{rng.choice(_LEGAL)}")
            rows.append({"name": name, "province": self.provinces[p][1], "short_name": None, "_right": None})
        return rows
