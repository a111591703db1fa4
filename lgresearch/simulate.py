"""Simulated Little-Giant worlds with a planted truth, for testing estimators and teaching selection vs treatment.

:func:`designation_world` draws firms with latent quality and growth, log valuations that follow a firm trend plus
market-year shocks (a 2021 boom, a 2022-23 bust), MIIT designations in seven staggered batches (2019-2025, sizes
proportional to the official batch counts) with a probability rising in the firms' recent growth, venture deals
arriving as a Poisson process whose rate rises with quality, and a causal uplift ``effect`` (log points; 0 by
default) that may vary by event time and cohort.

It returns the firms, the designations and the deals in the column layout the real readers produce, every frame
labelled simulated (a ``provenance`` column and ``attrs``), plus the latent firm-year panel with the true effect of
every observation, so any estimate can be compared with the truth it should recover.

Model
-----
For firm *i* in year *t* (log post-money valuation, CNY)::

    v_it = a_i + g_i (t - t0) + m_t + tau_it + u_it

- ``q_i ~ N(0, 1)`` quality; ``g_i = growth_mean + growth_sd (rho q_i + sqrt(1 - rho^2) z_i)`` trend growth.
- ``a_i = log(1e8) + 0.8 q_i + N(0, 0.5)``; ``u_it ~ N(0, noise_sd)`` independent shocks.
- ``m_t``: market log level (:data:`MARKET_LEVEL`; ``market=`` overrides it).
- Selection: the set of ever-designated firms is a weighted draw without replacement, weight
  ``exp(selection * z(recent growth))`` where recent growth is ``g_i`` plus a reporting noise; the batch a
  designated firm lands in is drawn with weight ``exp(timing_selection * z(g_i) + shock_selection * z(u_i,c-1 -
  u_i,c-3))``. With ``timing_selection = shock_selection = 0`` the designation *timing* is as good as random among
  designated firms, so not-yet-designated firms are valid comparisons while never-designated firms are not (they
  grow more slowly): the setting where naive and never-treated comparisons fail and the robust not-yet-treated
  estimators work.
- ``tau_it = effect(e, cohort)`` for event time ``e = t - cohort >= 0`` and ``anticipation_effect`` for
  ``-anticipation <= e < 0``.
- Deals: ``Poisson(deal_rate * exp(deal_quality * q_i))`` per firm-year, dated uniformly in the year, post-money
  ``exp(v_it + N(0, deal_noise_sd))``.

Examples
--------
>>> w = designation_world(n_firms=300, seed=1, effect=0.3)
>>> sorted(w.designations["cohort_year"].unique().tolist())
[2019, 2020, 2021, 2022, 2023, 2024, 2025]
>>> w.deals.attrs["provenance"], set(w.firms["provenance"])
('simulated', {'simulated'})
>>> round(float(w.panel.loc[w.panel["event_time"] >= 0, "true_effect"].mean()), 6)
0.3
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lgresearch.provenance import mark_simulated

#: Fallback official final batch counts (batches 1-7), used only when :func:`lgresearch.official.batches` fails.
FALLBACK_BATCH_COUNTS = (248, 1584, 2930, 4357, 3671, 3012, 3482)
#: Cohort (designation) year of batches 1-7.
BATCH_YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2025)
#: Default market log level by year: steady growth, a 2021 boom, a 2022-23 bust, a flat 2024-25.
MARKET_LEVEL = {
    2012: 0.00, 2013: 0.04, 2014: 0.08, 2015: 0.18, 2016: 0.22, 2017: 0.27, 2018: 0.24, 2019: 0.28,
    2020: 0.36, 2021: 0.71, 2022: 0.52, 2023: 0.30, 2024: 0.26, 2025: 0.30,
}
#: Simulated regions (Chinese short province name, province code, city).
REGIONS = (
    ("浙江", "33", "杭州市"), ("浙江", "33", "宁波市"), ("江苏", "32", "苏州市"), ("江苏", "32", "南京市"),
    ("广东", "44", "深圳市"), ("广东", "44", "广州市"), ("山东", "37", "青岛市"), ("北京", "11", "北京市"),
    ("上海", "31", "上海市"), ("湖北", "42", "武汉市"), ("四川", "51", "成都市"), ("安徽", "34", "合肥市"),
)
#: Simulated industries (Shenwan level-1 style names).
INDUSTRIES = ("机械设备", "电子", "医药生物", "基础化工", "电力设备", "计算机", "汽车", "国防军工")
#: Round ladder used for simulated deals: (round_raw, round_std, stage_order, category).
ROUNDS = (
    ("天使轮", "angel", 1, "seed/venture"), ("A轮", "A", 3, "seed/venture"), ("B轮", "B", 5, "seed/venture"),
    ("C轮", "C", 7, "growth"), ("D轮", "D", 9, "growth"), ("Pre-IPO", "pre-IPO", 15, "pre-IPO"),
)

#: Column order of the simulated frames (mirrors the real readers; see lgresearch.designations / lgresearch.deals).
FIRM_COLUMNS = ["firm_id", "name", "short_name", "province", "province_code", "city", "industry", "founded_year",
                "quality", "growth", "ever_designated", "provenance"]
DESIGNATION_COLUMNS = ["firm_id", "name", "raw_name", "province", "city", "batch", "cohort_year", "list_type",
                       "publicity_start", "publicity_end", "announcement_date", "event_date", "review_status",
                       "source_file", "source_row", "provenance"]
DEAL_COLUMNS = ["firm_id", "name", "short_name", "province", "city", "industry", "date", "date_precision",
                "round_raw", "round_std", "stage_order", "category", "amount_cny", "amount_cny_low",
                "amount_cny_high", "amount_disclosed", "currency", "stake_pct", "post_money_cny",
                "valuation_basis", "investors", "n_investors", "source", "source_rows", "provenance"]

EffectSpec = float | Mapping[int, float] | Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass
class World:
    """A simulated world: the three observed frames, the latent panel with the truth, and the parameters.

    Attributes
    ----------
    firms : DataFrame
        One row per firm (:data:`FIRM_COLUMNS`; ``quality`` and ``growth`` are latent, for diagnostics only).
    designations : DataFrame
        One row per designated firm (:data:`DESIGNATION_COLUMNS`), like the designation panel.
    deals : DataFrame
        One row per financing event (:data:`DEAL_COLUMNS`), like the canonical deals frame.
    panel : DataFrame
        Balanced firm-year panel: ``firm_id, year, cohort`` (0 = never designated), ``event_time``,
        ``log_value`` (latent log valuation, observed without deal noise), ``true_effect`` and ``market``.
    params : dict
        The arguments that produced the world.
    """

    firms: pd.DataFrame
    designations: pd.DataFrame
    deals: pd.DataFrame
    panel: pd.DataFrame
    params: dict = field(default_factory=dict)

    def truth_by_event_time(self, window: tuple[int, int] = (-4, 4)) -> pd.Series:
        """Average true effect among designated firm-years at each event time (what an event study should find).

        Examples
        --------
        >>> w = designation_world(n_firms=200, seed=0, effect={0: 0.1, 1: 0.2})
        >>> w.truth_by_event_time((-1, 2)).round(3).tolist()
        [0.0, 0.1, 0.2, 0.2]
        """
        p = self.panel[(self.panel["cohort"] > 0) & self.panel["event_time"].between(*window)]
        return p.groupby("event_time")["true_effect"].mean()

    def true_att(self, window: tuple[int, int] = (0, 4), data: pd.DataFrame | None = None) -> float:
        """True average effect over designated firm-years with event time in ``window``.

        ``data`` (e.g. a deal-aggregated panel with ``firm_id`` and ``year``) restricts the average to the
        firm-years present in it.

        Examples
        --------
        >>> round(designation_world(n_firms=200, seed=0, effect=0.3).true_att(), 6)
        0.3
        """
        p = self.panel[(self.panel["cohort"] > 0) & self.panel["event_time"].between(*window)]
        if data is not None:
            p = p.merge(data[["firm_id", "year"]].drop_duplicates(), on=["firm_id", "year"])
        return float(p["true_effect"].mean())


def _batch_counts() -> np.ndarray:
    try:
        from lgresearch import official

        counts = official.batches()["count_final"].to_numpy(dtype=float)
        if len(counts) == len(BATCH_YEARS) and np.all(counts > 0):
            return counts
    except Exception:  # noqa: BLE001 - the facts file may be absent in a user's checkout
        pass
    return np.asarray(FALLBACK_BATCH_COUNTS, dtype=float)


def _allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Largest-remainder allocation of ``total`` into integer parts proportional to ``shares``, each >= 1."""
    raw = shares / shares.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    short = base < 1
    while short.any() and base.sum() > len(base):
        base[np.argmax(base)] -= 1
        base[np.argmax(short)] += 1
        short = base < 1
    return base


def _weighted_sample(rng: np.random.Generator, weights_log: np.ndarray, k: int) -> np.ndarray:
    """Draw ``k`` indices without replacement with probability proportional to ``exp(weights_log)`` (Gumbel top-k)."""
    if k <= 0:
        return np.array([], dtype=int)
    keys = weights_log + rng.gumbel(size=len(weights_log))
    return np.argsort(-keys, kind="stable")[:k]


def _zscore(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def _effect_fn(effect: EffectSpec) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    if callable(effect):
        return effect
    if isinstance(effect, Mapping):
        table = {int(k): float(v) for k, v in effect.items()}
        last = table[max(table)] if table else 0.0

        def from_table(e: np.ndarray, g: np.ndarray) -> np.ndarray:
            return np.array([table.get(int(x), last if x > max(table) else 0.0) for x in e], dtype=float)

        return from_table
    value = float(effect)
    return lambda e, g: np.full(len(e), value)


def designation_world(
    *,
    n_firms: int = 3000,
    seed: int = 0,
    effect: EffectSpec = 0.0,
    anticipation: int = 0,
    anticipation_effect: float = 0.2,
    selection: float = 1.5,
    timing_selection: float = 0.0,
    shock_selection: float = 0.0,
    designated_share: float = 0.35,
    years: tuple[int, int] = (2014, 2025),
    growth_mean: float = 0.08,
    growth_sd: float = 0.08,
    quality_growth_corr: float = 0.5,
    noise_sd: float = 0.2,
    market: Mapping[int, float] | None = None,
    deal_rate: float = 0.5,
    deal_quality: float = 0.5,
    deal_noise_sd: float = 0.1,
    with_deals: bool = True,
) -> World:
    """Simulate firms, MIIT designations and venture deals with a planted causal effect (0 by default).

    Parameters
    ----------
    n_firms : int
        Number of firms.
    seed : int
        Random seed; the same arguments give the same world.
    effect : float, mapping or callable
        Causal uplift in log points from the designation year on: a constant, a mapping ``{event_time: value}``
        (event times beyond the last key keep the last value), or ``f(event_time, cohort) -> array``.
    anticipation : int
        Number of years before designation in which the market already prices the label.
    anticipation_effect : float
        Uplift (log points) during those anticipation years.
    selection : float
        How strongly the chance of ever being designated rises with recent growth (0 = designation at random).
    timing_selection, shock_selection : float
        How strongly *earlier* batches favour faster trend growth, and recent transient valuation shocks
        (0 = batch timing at random among designated firms).
    designated_share : float
        Share of firms designated by 2025; batch sizes are this total split in proportion to the official counts
        (:func:`lgresearch.official.batches`, falling back to :data:`FALLBACK_BATCH_COUNTS`).
    years : (int, int)
        First and last calendar year of the panel (inclusive); must cover 2019-2025 for all batches to appear.
    growth_mean, growth_sd, quality_growth_corr : float
        Trend growth of log valuation per year: mean, dispersion and correlation with quality.
    noise_sd : float
        SD of the firm-year valuation shock.
    market : mapping, optional
        Market log level by year (default :data:`MARKET_LEVEL`; missing years are interpolated).
    deal_rate, deal_quality, deal_noise_sd : float
        Deals per firm-year at average quality, the elasticity of that rate to quality, and the SD of the deal's
        pricing noise around the latent valuation.
    with_deals : bool
        Simulate deals (``False`` returns an empty deals frame; for large panels where only ``panel`` is needed).

    Returns
    -------
    World

    Examples
    --------
    >>> w = designation_world(n_firms=400, seed=3, selection=2.0)
    >>> g = w.firms.groupby("ever_designated")["growth"].mean()
    >>> bool(g[True] > g[False])
    True
    >>> int(w.designations["batch"].value_counts().sort_index().iloc[0]) >= 1
    True
    """
    if n_firms < 20:
        raise ValueError(f"n_firms must be at least 20 to fill seven batches, got {n_firms}")
    if not 0 < designated_share < 1:
        raise ValueError(f"designated_share must be in (0, 1), got {designated_share}")
    y0, y1 = int(years[0]), int(years[1])
    if y1 <= y0:
        raise ValueError(f"years must be (first, last) with last > first, got {years}")
    rng = np.random.default_rng(seed)
    n = int(n_firms)
    yrs = np.arange(y0, y1 + 1)
    n_years = len(yrs)

    # --- firms -----------------------------------------------------------------------------------------------
    quality = rng.normal(size=n)
    rho = float(quality_growth_corr)
    growth = growth_mean + growth_sd * (rho * quality + np.sqrt(max(1 - rho**2, 0.0)) * rng.normal(size=n))
    level = np.log(1e8) + 0.8 * quality + rng.normal(0, 0.5, size=n)
    region = rng.integers(len(REGIONS), size=n)
    industry = rng.integers(len(INDUSTRIES), size=n)
    firm_id = np.array([f"SIM{i:06d}" for i in range(n)])
    short = np.array([f"模拟科技{i:06d}" for i in range(n)])
    legal = np.char.add(short, "有限公司")

    # --- market and latent valuations -----------------------------------------------------------------------
    mk = pd.Series(dict(MARKET_LEVEL if market is None else market), dtype=float)
    mk = mk.reindex(sorted(set(mk.index) | set(yrs))).interpolate(limit_direction="both")
    m_t = mk.reindex(yrs).to_numpy()
    shocks = rng.normal(0, noise_sd, size=(n, n_years))

    # --- designations ---------------------------------------------------------------------------------------
    counts = _batch_counts()
    batch_years = np.array(BATCH_YEARS)
    in_range = (batch_years >= y0) & (batch_years <= y1)
    sizes = np.zeros(len(batch_years), dtype=int)
    total = int(round(designated_share * n))
    sizes[in_range] = _allocate(total, counts[in_range]) if in_range.any() else 0
    recent_growth = growth + rng.normal(0, growth_sd * 0.5, size=n)
    chosen = _weighted_sample(rng, selection * _zscore(recent_growth), int(sizes.sum()))
    cohort = np.zeros(n, dtype=int)
    remaining = chosen.copy()
    zg = _zscore(growth)
    for b, (year, size) in enumerate(zip(batch_years, sizes, strict=True)):
        if size == 0:
            continue
        score = timing_selection * zg[remaining]
        if shock_selection:
            j = int(year - y0)
            lag1, lag3 = max(j - 1, 0), max(j - 3, 0)
            score = score + shock_selection * _zscore(shocks[remaining, lag1] - shocks[remaining, lag3])
        pick = _weighted_sample(rng, score, int(size)) if b < len(batch_years) - 1 else np.arange(len(remaining))
        cohort[remaining[pick]] = year
        remaining = np.delete(remaining, pick)

    # --- effect and panel -----------------------------------------------------------------------------------
    fn = _effect_fn(effect)
    unit_idx = np.repeat(np.arange(n), n_years)
    year_col = np.tile(yrs, n)
    cohort_col = cohort[unit_idx]
    treated_unit = cohort_col > 0
    event_time = np.where(treated_unit, year_col - cohort_col, np.iinfo(np.int64).min).astype(np.int64)
    tau = np.zeros(n * n_years)
    post = treated_unit & (event_time >= 0)
    if post.any():
        tau[post] = np.asarray(fn(event_time[post], cohort_col[post]), dtype=float)
    if anticipation > 0:
        ant = treated_unit & (event_time < 0) & (event_time >= -int(anticipation))
        tau[ant] = float(anticipation_effect)
    log_value = (level[unit_idx] + growth[unit_idx] * (year_col - y0) + np.tile(m_t, n) + tau
                 + shocks.reshape(-1))
    panel = pd.DataFrame({
        "firm_id": firm_id[unit_idx],
        "year": year_col,
        "cohort": cohort_col,
        "event_time": pd.Series(np.where(treated_unit, event_time, 0), dtype="Int64").where(treated_unit, pd.NA),
        "log_value": log_value,
        "true_effect": tau,
        "market": np.tile(m_t, n),
    })

    # --- deals ----------------------------------------------------------------------------------------------
    rate = deal_rate * np.exp(deal_quality * quality)
    n_deals = rng.poisson(np.repeat(rate, n_years)) if with_deals else np.zeros(n * n_years, dtype=int)
    deal_row = np.repeat(np.arange(n * n_years), n_deals)
    d_unit = unit_idx[deal_row]
    d_year = year_col[deal_row]
    day = rng.integers(0, 365, size=len(deal_row))
    date = pd.to_datetime(d_year.astype(str), format="%Y") + pd.to_timedelta(day, unit="D")
    log_post = log_value[deal_row] + rng.normal(0, deal_noise_sd, size=len(deal_row))
    post_money = np.round(np.exp(log_post), -4)
    stake = np.round(rng.uniform(0.05, 0.25, size=len(deal_row)), 4)
    amount = np.round(post_money * stake, -4)
    order = np.lexsort((day, d_year, d_unit))
    d_unit, d_year, date = d_unit[order], d_year[order], date[order]
    post_money, stake, amount, deal_row = post_money[order], stake[order], amount[order], deal_row[order]
    seq = pd.Series(d_unit).groupby(d_unit).cumcount().to_numpy()
    rung = np.minimum(seq, len(ROUNDS) - 1)
    n_inv = rng.integers(1, 5, size=len(deal_row))
    fund = rng.integers(1, 400, size=(len(deal_row), 4))
    investors = [[f"模拟基金{fund[i, j]:03d}" for j in range(n_inv[i])] for i in range(len(deal_row))]
    reg = np.array(REGIONS, dtype=object)
    deals = pd.DataFrame({
        "firm_id": firm_id[d_unit],
        "name": legal[d_unit],
        "short_name": short[d_unit],
        "province": reg[region[d_unit], 0].astype(str),
        "city": reg[region[d_unit], 2].astype(str),
        "industry": np.array(INDUSTRIES)[industry[d_unit]],
        "date": date,
        "date_precision": "day",
        "round_raw": [ROUNDS[r][0] for r in rung],
        "round_std": [ROUNDS[r][1] for r in rung],
        "stage_order": np.array([ROUNDS[r][2] for r in rung], dtype=int),
        "category": [ROUNDS[r][3] for r in rung],
        "amount_cny": amount,
        "amount_cny_low": amount,
        "amount_cny_high": amount,
        "amount_disclosed": True,
        "currency": "CNY",
        "stake_pct": stake * 100.0,
        "post_money_cny": post_money,
        "valuation_basis": "implied",
        "investors": investors,
        "n_investors": n_inv,
        "source": "simulated",
        "source_rows": [[int(r) + 1] for r in range(len(deal_row))],
    })
    for col in ("name", "short_name", "province", "city", "industry", "date_precision", "round_raw", "round_std",
                "category", "currency", "valuation_basis", "source"):
        deals[col] = deals[col].astype(str)

    # --- frames in the readers' layouts ---------------------------------------------------------------------
    firms = pd.DataFrame({
        "firm_id": firm_id,
        "name": legal,
        "short_name": short,
        "province": reg[region, 0].astype(str),
        "province_code": reg[region, 1].astype(str),
        "city": reg[region, 2].astype(str),
        "industry": np.array(INDUSTRIES)[industry],
        "founded_year": rng.integers(1998, y0, size=n),
        "quality": quality,
        "growth": growth,
        "ever_designated": cohort > 0,
    })
    des_idx = np.flatnonzero(cohort > 0)
    des_idx = des_idx[np.lexsort((des_idx, cohort[des_idx]))]
    batch_of = {int(y): b + 1 for b, y in enumerate(BATCH_YEARS)}
    coh = cohort[des_idx]
    announce = pd.to_datetime([f"{y}-07-15" for y in coh])
    designations = pd.DataFrame({
        "firm_id": firm_id[des_idx],
        "name": legal[des_idx],
        "raw_name": legal[des_idx],
        "province": reg[region[des_idx], 0].astype(str),
        "city": reg[region[des_idx], 2].astype(str),
        "batch": np.array([batch_of[int(y)] for y in coh], dtype=int),
        "cohort_year": coh.astype(int),
        "list_type": "final",
        "publicity_start": announce - pd.Timedelta(days=30),
        "publicity_end": announce - pd.Timedelta(days=23),
        "announcement_date": announce,
        "event_date": announce,
        "review_status": "not yet reviewed",
        "source_file": "simulated",
        "source_row": np.arange(1, len(des_idx) + 1),
    })
    for col in ("firm_id", "name", "raw_name", "province", "city", "list_type", "review_status", "source_file"):
        designations[col] = designations[col].astype(str)
    for col in ("firm_id", "name", "short_name", "province", "province_code", "city", "industry"):
        firms[col] = firms[col].astype(str)
    panel["firm_id"] = panel["firm_id"].astype(str)

    params = dict(n_firms=n, seed=seed, effect=effect if not callable(effect) else "callable",
                  anticipation=anticipation, anticipation_effect=anticipation_effect, selection=selection,
                  timing_selection=timing_selection, shock_selection=shock_selection,
                  designated_share=designated_share, years=(y0, y1), batch_sizes=sizes.tolist())
    note = f"lgresearch.simulate.designation_world(seed={seed}, n_firms={n})"
    out = World(
        firms=mark_simulated(firms, note)[FIRM_COLUMNS],
        designations=mark_simulated(designations, note)[DESIGNATION_COLUMNS],
        deals=mark_simulated(deals, note)[DEAL_COLUMNS],
        panel=mark_simulated(panel, note),
        params=params,
    )
    for frame in (out.firms, out.designations, out.deals):
        frame.attrs.update(provenance="simulated", source=f"SIMULATED DATA ({note})")
    return out
