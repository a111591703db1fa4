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
#: Simulated regions: (province short name, province code, English province, city, English city, issuer,
#: separately planned city).
REGIONS = (
    ("浙江", "33", "Zhejiang", "杭州市", "Hangzhou", "浙江", False),
    ("浙江", "33", "Zhejiang", "宁波市", "Ningbo", "宁波", True),
    ("江苏", "32", "Jiangsu", "苏州市", "Suzhou", "江苏", False),
    ("江苏", "32", "Jiangsu", "南京市", "Nanjing", "江苏", False),
    ("广东", "44", "Guangdong", "深圳市", "Shenzhen", "深圳", True),
    ("广东", "44", "Guangdong", "广州市", "Guangzhou", "广东", False),
    ("山东", "37", "Shandong", "济南市", "Jinan", "山东", False),
    ("北京", "11", "Beijing", "北京市", "Beijing", "北京", False),
    ("上海", "31", "Shanghai", "上海市", "Shanghai", "上海", False),
    ("湖北", "42", "Hubei", "武汉市", "Wuhan", "湖北", False),
    ("四川", "51", "Sichuan", "成都市", "Chengdu", "四川", False),
    ("安徽", "34", "Anhui", "合肥市", "Hefei", "安徽", False),
)
#: Simulated industries (Shenwan level-1 style names).
INDUSTRIES = ("机械设备", "电子", "医药生物", "基础化工",
              "电力设备", "计算机", "汽车", "国防军工")
#: Round ladder of simulated deals: (round_raw, round_std, stage_order, category), as
#: :func:`lgresearch.clean.normalize_round` maps them.
ROUNDS = (
    ("天使轮", "angel", 1.0, "seed/venture"), ("A轮", "A", 4.0, "seed/venture"), ("B轮", "B", 7.0, "seed/venture"),
    ("C轮", "C", 10.0, "growth"), ("D轮", "D", 13.0, "growth"), ("Pre-IPO", "pre-IPO", 30.0, "pre-IPO"),
)

#: Columns of the simulated firm table (``quality`` and ``growth`` are latent, for diagnostics only).
FIRM_COLUMNS = ["firm_id", "firm_name", "short_name", "province_code", "province", "province_en", "city",
                "city_en", "industry", "founded_year", "quality", "growth", "ever_designated", "provenance"]


def _schema(module: str, name: str, fallback: list[str]) -> list[str]:
    """Column list of a real reader (so simulated frames follow it), or a fallback copy when it is absent."""
    try:
        mod = __import__(module, fromlist=[name])
        return list(getattr(mod, name))
    except (ImportError, AttributeError):  # pragma: no cover - only in partial checkouts
        return list(fallback)


#: Columns of the simulated designation panel: ``lgresearch.designations.PANEL_COLUMNS`` + ``provenance``.
DESIGNATION_COLUMNS = [*_schema("lgresearch.designations", "PANEL_COLUMNS", [
    "firm_id", "id_type", "name", "core", "uscc", "batch", "cohort_year", "list_type", "event_date",
    "province_code", "province", "province_en", "city", "city_en", "issuer", "separately_planned",
    "launch_date", "publicity_start", "publicity_end", "announcement_date", "review_year", "review_outcome",
    "name_as_listed", "n_sources", "province_conflict", "source_file", "source_row"]), "provenance"]
#: Columns of the simulated deals: ``lgresearch.deals.DEAL_COLUMNS`` (the canonical events) + ``provenance``.
DEAL_COLUMNS = [*_schema("lgresearch.deals_readers.core", "DEAL_COLUMNS", [
    "event_id", "source", "firm_id", "firm_name", "short_name", "uscc", "country", "province", "city",
    "industry_vendor", "industry_gb", "date", "date_precision", "year", "round_raw", "round_std", "stage_order",
    "category", "investment_type", "currency", "amount_reported", "amount_cny", "amount_cny_low",
    "amount_cny_high", "amount_disclosed", "amount_status", "stake_pct", "post_money_cny", "valuation_basis",
    "investors", "n_investors", "listed_exchange", "source_file", "source_rows"]), "provenance"]

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


_MEMO: dict = {}


def _official_batches() -> pd.DataFrame:
    """``official.batches()``, read once per process (a Monte Carlo builds hundreds of worlds); a copy each call.

    Keyed on the function object, so a replaced ``official.batches`` (tests) is read afresh.
    """
    from lgresearch import official

    fn = official.batches
    if _MEMO.get("batches_fn") is not fn:
        _MEMO["batches"] = fn()
        _MEMO["batches_fn"] = fn
    return _MEMO["batches"].copy()


def _batch_counts() -> np.ndarray:
    try:
        counts = _official_batches()["count_final"].to_numpy(dtype=float)
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


def _finalize_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes and validation through lgresearch.deals when available."""
    try:
        from lgresearch.deals_readers.core import finalize_events, validate_events
    except ImportError:  # pragma: no cover - partial checkouts
        return deals
    if len(deals) == 0:  # worlds without deals (Monte Carlo): the empty, validated frame depends only on the schema
        key = ("empty_deals", tuple(deals.columns), tuple(str(t) for t in deals.dtypes))
        if key not in _MEMO:
            _MEMO[key] = validate_events(finalize_events(deals))
        return _MEMO[key].copy()
    return validate_events(finalize_events(deals))


def _official_dates() -> pd.DataFrame:
    cols = ["batch", "cohort_year", "launch_date", "publicity_start", "publicity_end", "announcement_date",
            "review_year"]
    try:
        ob = _official_batches()[cols].copy()
    except Exception:  # noqa: BLE001 - facts absent: synthetic dates
        ob = pd.DataFrame({"batch": range(1, 8), "cohort_year": list(BATCH_YEARS)})
        ob["launch_date"] = pd.to_datetime([f"{y - 1}-12-01" for y in BATCH_YEARS])
        ob["publicity_start"] = pd.to_datetime([f"{y}-06-01" for y in BATCH_YEARS])
        ob["publicity_end"] = pd.to_datetime([f"{y}-06-08" for y in BATCH_YEARS])
        ob["announcement_date"] = pd.to_datetime([f"{y}-07-15" for y in BATCH_YEARS])
        ob["review_year"] = [y + 3 for y in BATCH_YEARS]
    for c in ("launch_date", "publicity_start", "publicity_end", "announcement_date"):
        ob[c] = pd.to_datetime(ob[c]).astype("datetime64[ns]")
    return ob


def _designation_panel(cohort: np.ndarray, legal: np.ndarray, short: np.ndarray, region: np.ndarray,
                       reg: np.ndarray) -> pd.DataFrame:
    """One ``final``-list row per designated firm, in the layout of lgresearch.designations.build_panel."""
    idx = np.flatnonzero(cohort > 0)
    idx = idx[np.lexsort((idx, cohort[idx]))]
    coh = cohort[idx].astype(int)
    batch_of = {int(y): b + 1 for b, y in enumerate(BATCH_YEARS)}
    ob = _official_dates().set_index("cohort_year")
    batch = np.array([batch_of[int(y)] for y in coh], dtype=int)
    facts = ob.reindex(coh)
    # the event date of a final list is its announcement; where the facts lack one, the end (else start) of
    # publicity, else 1 July of the cohort year
    fallback = pd.to_datetime([f"{y}-07-01" for y in coh]).astype("datetime64[ns]")
    event = facts["announcement_date"].fillna(facts["publicity_end"]).fillna(facts["publicity_start"])
    event = event.to_numpy(dtype="datetime64[ns]")
    event = np.where(pd.isna(event), fallback.to_numpy(), event)
    r = region[idx]
    des = pd.DataFrame({
        "firm_id": legal[idx],
        "id_type": "name",
        "name": legal[idx],
        "core": short[idx],
        "uscc": pd.Series([None] * len(idx), dtype=object),
        "batch": pd.array(batch, dtype="Int64"),
        "cohort_year": pd.array(coh, dtype="Int64"),
        "list_type": "final",
        "event_date": event,
        "designation_date": event,  # the panel's 1.0 name for event_date (issue 11 item 2)
        "designation_precision": "day",
        "province_code": reg[r, 1].astype(str),
        "province": reg[r, 0].astype(str),
        "province_en": reg[r, 2].astype(str),
        "city": reg[r, 3].astype(str),
        "city_en": reg[r, 4].astype(str),
        "issuer": reg[r, 5].astype(str),
        "separately_planned": reg[r, 6].astype(bool),
        "launch_date": facts["launch_date"].to_numpy(),
        "publicity_start": facts["publicity_start"].to_numpy(),
        "publicity_end": facts["publicity_end"].to_numpy(),
        "announcement_date": facts["announcement_date"].to_numpy(),
        "review_year": pd.array(pd.to_numeric(facts["review_year"], errors="coerce"), dtype="Int64"),
        "review_outcome": "review list not supplied",
        "name_as_listed": legal[idx],
        "n_sources": np.ones(len(idx), dtype=np.int64),
        "province_conflict": np.zeros(len(idx), dtype=bool),
        "source_file": "simulated",
        "source_row": np.arange(1, len(idx) + 1, dtype=np.int64),
    })
    for c in ("firm_id", "id_type", "name", "core", "list_type", "province_code", "province", "province_en",
              "city", "city_en", "issuer", "review_outcome", "name_as_listed", "source_file"):
        des[c] = des[c].astype(str)
    return des


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
    short = np.array([f"模拟科技{i:06d}" for i in range(n)], dtype=object)
    legal = np.array([f"模拟科技{i:06d}有限公司" for i in range(n)], dtype=object)

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
        "firm_id": np.zeros(n * n_years, dtype=np.int8),  # filled below
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
    log_post = log_value[deal_row] + rng.normal(0, deal_noise_sd, size=len(deal_row))
    stake = np.round(rng.uniform(0.05, 0.25, size=len(deal_row)), 4)
    n_inv = rng.integers(1, 5, size=len(deal_row))
    fund = rng.integers(1, 400, size=(len(deal_row), 4))
    order = np.lexsort((day, d_year, d_unit))
    d_unit, d_year, day, log_post, stake, n_inv, fund = (x[order] for x in (d_unit, d_year, day, log_post, stake,
                                                                          n_inv, fund))
    post_money = np.round(np.exp(log_post), -4)
    amount = np.round(post_money * stake, -4)
    seq = pd.Series(d_unit).groupby(d_unit).cumcount().to_numpy()
    rung = np.minimum(seq, len(ROUNDS) - 1)
    reg = np.array(REGIONS, dtype=object)
    inds = np.array(INDUSTRIES)
    date = (pd.to_datetime(d_year.astype(str), format="%Y") + pd.to_timedelta(day, unit="D")).astype(
        "datetime64[ns]")
    n_d = len(deal_row)
    deals = pd.DataFrame({
        "event_id": [f"simulated:{seed:04d}{i:08x}" for i in range(n_d)],
        "source": "simulated",
        "firm_id": legal[d_unit],
        "firm_name": legal[d_unit],
        "short_name": short[d_unit],
        "uscc": pd.Series([None] * n_d, dtype=object),
        "country": "中国",
        "province": reg[region[d_unit], 0].astype(str),
        "city": reg[region[d_unit], 3].astype(str),
        "industry_vendor": inds[industry[d_unit]],
        "industry_gb": pd.Series([None] * n_d, dtype=object),
        "date": date,
        "date_precision": "day",
        "year": d_year.astype(np.int64),
        "round_raw": [ROUNDS[r][0] for r in rung],
        "round_std": [ROUNDS[r][1] for r in rung],
        "stage_order": np.array([ROUNDS[r][2] for r in rung], dtype=float),
        "category": [ROUNDS[r][3] for r in rung],
        "investment_type": pd.Series([None] * n_d, dtype=object),
        "currency": "CNY",
        "amount_reported": amount,
        "amount_cny": amount,
        "amount_cny_low": amount,
        "amount_cny_high": amount,
        "amount_disclosed": np.ones(n_d, dtype=bool),
        "amount_status": "exact",
        "stake_pct": stake * 100.0,
        "post_money_cny": post_money,
        "valuation_basis": "implied",
        "investors": [[f"模拟基金{fund[i, j]:03d}" for j in range(n_inv[i])] for i in range(n_d)],
        "n_investors": n_inv.astype(np.int64),
        "listed_exchange": pd.Series([None] * n_d, dtype=object),
        "source_file": "simulated",
        "source_rows": [[i + 1] for i in range(n_d)],
    })
    deals = _finalize_deals(deals)

    # --- firms and designations in the readers' layouts -----------------------------------------------------
    firms = pd.DataFrame({
        "firm_id": legal,
        "firm_name": legal,
        "short_name": short,
        "province_code": reg[region, 1].astype(str),
        "province": reg[region, 0].astype(str),
        "province_en": reg[region, 2].astype(str),
        "city": reg[region, 3].astype(str),
        "city_en": reg[region, 4].astype(str),
        "industry": inds[industry],
        "founded_year": rng.integers(1998, y0, size=n),
        "quality": quality,
        "growth": growth,
        "ever_designated": cohort > 0,
    })
    designations = _designation_panel(cohort, legal, short, region, reg)
    for col in ("firm_id", "firm_name", "short_name", "province_code", "province", "province_en", "city",
                "city_en", "industry"):
        firms[col] = firms[col].astype(str)
    panel["firm_id"] = legal[unit_idx]
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


#: Estimators a Monte Carlo can run: the lgresearch.did event-study estimators plus the naive before/after.
MC_ESTIMATORS = ("did2s", "sun_abraham", "twfe", "naive_pre_post")


def monte_carlo(
    reps: int,
    *,
    n_firms: int = 1000,
    effect: float = 0.3,
    selection: float = 2.0,
    estimators: tuple[str, ...] = ("did2s", "sun_abraham", "naive_pre_post"),
    controls: str = "later_treated",
    window: tuple[int, int] = (-4, 4),
    seed: int = 0,
    engine: str = "auto",
    **world_kwargs,
) -> pd.DataFrame:
    """Re-simulate a world ``reps`` times and estimate the post-period ATT with each estimator.

    Parameters
    ----------
    reps : int
        Number of replications (seeds ``seed, seed + 1, ...``).
    n_firms, effect, selection : see :func:`designation_world`.
    estimators : tuple of str
        Any of :data:`MC_ESTIMATORS`.
    controls, window : see :func:`lgresearch.did.att`. The default compares with later-designated firms only:
        the simulated worlds select designated firms on growth, so never-designated firms (part of the standard
        ``"not_yet_treated"`` group) are not valid comparisons there.
    seed : int
        First seed.
    engine : {"auto", "pyfixest", "lgresearch"}
        Solver of the Sun-Abraham and TWFE regressions (see :func:`lgresearch.did.event_study`);
        ``"lgresearch"`` gives the same estimates as pyfixest (to about 1e-12) many times faster.
    **world_kwargs
        Passed to :func:`designation_world`.

    Returns
    -------
    DataFrame
        One row per replication and estimator: ``rep, estimator, estimate, se, ci_low, ci_high, truth,
        covered, pretrend_p``; labelled simulated.

    Examples
    --------
    >>> mc = monte_carlo(2, n_firms=300, estimators=("did2s", "naive_pre_post"))
    >>> mc.groupby("estimator").size().to_dict()
    {'did2s': 2, 'naive_pre_post': 2}
    """
    from lgresearch import did

    bad = [e for e in estimators if e not in MC_ESTIMATORS]
    if bad:
        raise ValueError(f"unknown estimators {bad}; choose from {MC_ESTIMATORS}")
    kw = dict(outcome_col="log_value", unit_col="firm_id", time_col="year", cohort_col="cohort")
    rows = []
    for r in range(int(reps)):
        w = designation_world(n_firms=n_firms, seed=seed + r, effect=effect, selection=selection,
                              with_deals=False, **world_kwargs)
        truth = w.true_att((0, window[1]))
        for est in estimators:
            if est == "naive_pre_post":
                a = did.naive_pre_post(w.panel, window=window, **kw)
                p = float("nan")
            else:
                a = did.att(w.panel, estimator=est, controls=controls, window=window, engine=engine, **kw)
                p = a.attrs["pretrend"]["p"]
            row = a.iloc[0]
            rows.append({"rep": r, "estimator": est, "estimate": float(row["estimate"]), "se": float(row["se"]),
                         "ci_low": float(row["ci_low"]), "ci_high": float(row["ci_high"]), "truth": truth,
                         "covered": bool(row["ci_low"] <= truth <= row["ci_high"]), "pretrend_p": p})
    return mark_simulated(pd.DataFrame(rows), f"lgresearch.simulate.monte_carlo(reps={reps}, seed={seed})")


def coverage_table(mc: pd.DataFrame) -> pd.DataFrame:
    """Summarize a :func:`monte_carlo` frame per estimator: bias, SD of the estimates, mean SE, 95% CI coverage
    (with its binomial standard error) and the pre-trend test's rejection rate at 5%.

    Parameters
    ----------
    mc : DataFrame
        Output of :func:`monte_carlo`: ``estimator, estimate, se, truth, covered`` and ``pretrend_p`` per draw.

    Returns
    -------
    DataFrame
        One row per estimator: ``bias``, the SD of the estimates, the mean SE, ``coverage`` with its binomial
        standard error, and ``pretrend_reject_5pct``.

    Examples
    --------
    >>> mc = pd.DataFrame({"estimator": ["a", "a"], "estimate": [0.9, 1.1], "se": [0.1, 0.1], "truth": [1.0, 1.0],
    ...                    "covered": [True, False], "pretrend_p": [0.5, 0.01]})
    >>> coverage_table(mc)[["estimator", "bias", "coverage", "pretrend_reject_5pct"]].values.tolist()
    [['a', 0.0, 0.5, 0.5]]
    """
    g = mc.assign(err=mc["estimate"] - mc["truth"]).groupby("estimator", sort=False)
    out = pd.DataFrame({
        "reps": g.size(),
        "bias": g["err"].mean().round(12),
        "sd_estimate": g["estimate"].std(),
        "mean_se": g["se"].mean(),
        "rmse": g["err"].apply(lambda s: float(np.sqrt(np.mean(s**2)))),
        "coverage": g["covered"].mean(),
        "pretrend_reject_5pct": g["pretrend_p"].apply(lambda s: float((s < 0.05).mean()) if s.notna().any()
                                                      else float("nan")),
    }).reset_index()
    out["coverage_se"] = np.sqrt(out["coverage"] * (1 - out["coverage"]) / out["reps"])
    out.attrs.update(mc.attrs)
    return out


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "BATCH_YEARS", "coverage_table", "DEAL_COLUMNS", "DESIGNATION_COLUMNS", "designation_world",
    "FALLBACK_BATCH_COUNTS", "FIRM_COLUMNS", "INDUSTRIES", "MARKET_LEVEL", "MC_ESTIMATORS", "monte_carlo",
    "REGIONS", "ROUNDS", "World"
]
