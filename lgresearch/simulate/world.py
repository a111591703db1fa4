"""Simulated worlds: firms with latent quality and growth, latent valuations, designations, deals and the truth."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lgresearch.provenance import mark_simulated
from lgresearch.simulate.batches import (
    DESIGNATION_COLUMNS,
    _assign_cohorts,
    _batch_sizes,
    _designation_panel,
)
from lgresearch.simulate.deals import DEAL_COLUMNS, _simulate_deals

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
#: Columns of the simulated firm table (``quality`` and ``growth`` are latent, for diagnostics only).
FIRM_COLUMNS = ["firm_id", "firm_name", "short_name", "province_code", "province", "province_en", "city",
                "city_en", "industry", "founded_year", "quality", "growth", "ever_designated", "provenance"]

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
        return true_att(self.panel, window, data=data)


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
    n_firms, seed : int
        Number of firms; random seed (the same arguments give the same world).
    effect : float, mapping or callable
        Causal uplift in log points from the designation year on: a constant, ``{event_time: value}`` (later event
        times keep the last value), or ``f(event_time, cohort) -> array``.
    anticipation, anticipation_effect : int, float
        Years before designation in which the market already prices the label, and the uplift (log points) then.
    selection, timing_selection, shock_selection : float
        How strongly being designated at all rises with recent growth (0 = at random), and how strongly *earlier*
        batches favour faster trend growth and recent transient valuation shocks (0 = timing at random).
    designated_share, years : float, (int, int)
        Share of firms designated by 2025, split into batches in proportion to the official counts
        (:func:`lgresearch.official.batches`, else :data:`FALLBACK_BATCH_COUNTS`); first and last year of the
        panel (inclusive; must cover 2019-2025 for all batches to appear).
    growth_mean, growth_sd, quality_growth_corr, noise_sd : float
        Trend growth of log valuation per year (mean, dispersion, correlation with quality); SD of the shock.
    market : mapping, optional
        Market log level by year (default :data:`MARKET_LEVEL`; missing years interpolated).
    deal_rate, deal_quality, deal_noise_sd : float
        Deals per firm-year at average quality, its elasticity to quality, the SD of the deal's pricing noise.
    with_deals : bool
        Simulate deals (``False``: an empty deals frame, when only ``panel`` is needed).

    Returns
    -------
    World

    Examples
    --------
    >>> w = designation_world(n_firms=400, seed=3, selection=2.0)
    >>> g = w.firms.groupby("ever_designated")["growth"].mean()
    >>> bool(g[True] > g[False])
    True
    """
    rng, f, cohort, sizes, panel, unit_idx = _latent_draws(
        n_firms=n_firms, seed=seed, effect=effect, anticipation=anticipation, anticipation_effect=anticipation_effect,
        selection=selection, timing_selection=timing_selection, shock_selection=shock_selection,
        designated_share=designated_share, years=years, growth_mean=growth_mean, growth_sd=growth_sd,
        quality_growth_corr=quality_growth_corr, noise_sd=noise_sd, market=market)
    y0, y1, n = int(years[0]), int(years[1]), int(n_firms)
    deals = _simulate_deals(rng, f, panel, unit_idx, reg=_REG, inds=_INDS, seed=seed, n_years=y1 - y0 + 1,
                            deal_rate=deal_rate, deal_quality=deal_quality, deal_noise_sd=deal_noise_sd,
                            with_deals=with_deals)
    firms = _firm_table(rng, f, cohort, y0)
    designations = _designation_panel(cohort, f["legal"], f["short"], f["region"], _REG)
    params = dict(n_firms=n, seed=seed, effect=effect if not callable(effect) else "callable",
                  anticipation=anticipation, anticipation_effect=anticipation_effect, selection=selection,
                  timing_selection=timing_selection, shock_selection=shock_selection,
                  designated_share=designated_share, years=(y0, y1), batch_sizes=sizes.tolist())
    return _labelled_world(firms, designations, deals, panel, f["legal"][unit_idx], params)


_REG = np.array(REGIONS, dtype=object)
_INDS = np.array(INDUSTRIES)


def designation_panel(
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
) -> pd.DataFrame:
    """The latent firm-year panel of :func:`designation_world` alone (a Monte Carlo needs nothing else).

    The same draws as :func:`designation_world` with the same arguments, so the same frame as its ``panel``,
    without building the firm table, the designation panel and the deals.

    Parameters
    ----------
    n_firms, seed, effect, anticipation, anticipation_effect, selection, timing_selection, shock_selection
        As in :func:`designation_world`.
    designated_share, years, growth_mean, growth_sd, quality_growth_corr, noise_sd, market
        As in :func:`designation_world`.

    Returns
    -------
    DataFrame
        ``World.panel``: ``firm_id, year, cohort, event_time, log_value, true_effect, market``, labelled simulated.

    Examples
    --------
    >>> p = designation_panel(n_firms=300, seed=1, effect=0.3)
    >>> p.equals(designation_world(n_firms=300, seed=1, effect=0.3, with_deals=False).panel)
    True
    """
    _, f, _, _, panel, unit_idx = _latent_draws(
        n_firms=n_firms, seed=seed, effect=effect, anticipation=anticipation, anticipation_effect=anticipation_effect,
        selection=selection, timing_selection=timing_selection, shock_selection=shock_selection,
        designated_share=designated_share, years=years, growth_mean=growth_mean, growth_sd=growth_sd,
        quality_growth_corr=quality_growth_corr, noise_sd=noise_sd, market=market)
    panel["firm_id"] = f["legal"][unit_idx]
    panel["firm_id"] = panel["firm_id"].astype(str)
    return mark_simulated(panel, f"lgresearch.simulate.designation_world(seed={seed}, n_firms={int(n_firms)})")


def _latent_draws(*, n_firms: int, seed: int, effect: EffectSpec, anticipation: int, anticipation_effect: float,
                  selection: float, timing_selection: float, shock_selection: float, designated_share: float,
                  years: tuple[int, int], growth_mean: float, growth_sd: float, quality_growth_corr: float,
                  noise_sd: float, market: Mapping[int, float] | None) -> tuple:
    """The draws up to the latent panel, in the fixed order the seed reproduces: ``(rng, firms' latent draws,
    cohort, batch sizes, panel, firm index of each panel row)``; the generator continues with the deals."""
    y0, y1 = _check_world_args(n_firms, designated_share, years)
    rng, n, yrs = np.random.default_rng(seed), int(n_firms), np.arange(y0, y1 + 1)
    f = _draw_firms(rng, n, growth_mean=growth_mean, growth_sd=growth_sd, corr=quality_growth_corr)
    m_t = _market_path(market, yrs)
    shocks = rng.normal(0, noise_sd, size=(n, len(yrs)))
    sizes = _batch_sizes(designated_share, n, y0, y1)
    cohort = _assign_cohorts(rng, f["growth"], shocks, sizes, selection=selection, timing_selection=timing_selection,
                             shock_selection=shock_selection, growth_sd=growth_sd, y0=y0)
    panel, unit_idx = _latent_panel(f, cohort, shocks, m_t, yrs, effect=effect, anticipation=anticipation,
                                    anticipation_effect=anticipation_effect)
    return rng, f, cohort, sizes, panel, unit_idx


def true_att(panel: pd.DataFrame, window: tuple[int, int] = (0, 4), data: pd.DataFrame | None = None) -> float:
    """True average effect over designated firm-years of a simulated panel with event time in ``window``.

    Parameters
    ----------
    panel : DataFrame
        A simulated panel (``World.panel`` or :func:`designation_panel`).
    window : (int, int)
        Event times averaged over.
    data : DataFrame, optional
        Firm-years (``firm_id``, ``year``) the average is restricted to (e.g. a deal-aggregated panel).

    Returns
    -------
    float
        Mean of ``true_effect`` over those firm-years.

    Examples
    --------
    >>> round(true_att(designation_panel(n_firms=200, seed=0, effect=0.3)), 6)
    0.3
    """
    p = panel[(panel["cohort"] > 0) & panel["event_time"].between(*window)]
    if data is not None:
        p = p.merge(data[["firm_id", "year"]].drop_duplicates(), on=["firm_id", "year"])
    return float(p["true_effect"].mean())


def _check_world_args(n_firms: int, designated_share: float, years: tuple[int, int]) -> tuple[int, int]:
    if n_firms < 20:
        raise ValueError(f"n_firms must be at least 20 to fill seven batches, got {n_firms}")
    if not 0 < designated_share < 1:
        raise ValueError(f"designated_share must be in (0, 1), got {designated_share}")
    y0, y1 = int(years[0]), int(years[1])
    if y1 <= y0:
        raise ValueError(f"years must be (first, last) with last > first, got {years}")
    return y0, y1


def _draw_firms(rng: np.random.Generator, n: int, *, growth_mean: float, growth_sd: float, corr: float
                ) -> dict[str, np.ndarray]:
    """Latent quality, trend growth and level, region and industry codes, names (draws in a fixed order)."""
    quality = rng.normal(size=n)
    rho = float(corr)
    growth = growth_mean + growth_sd * (rho * quality + np.sqrt(max(1 - rho**2, 0.0)) * rng.normal(size=n))
    level = np.log(1e8) + 0.8 * quality + rng.normal(0, 0.5, size=n)
    region = rng.integers(len(REGIONS), size=n)
    industry = rng.integers(len(INDUSTRIES), size=n)
    short = np.array([f"模拟科技{i:06d}" for i in range(n)], dtype=object)
    legal = np.array([f"模拟科技{i:06d}有限公司" for i in range(n)], dtype=object)
    return {"quality": quality, "growth": growth, "level": level, "region": region, "industry": industry,
            "short": short, "legal": legal}


def _market_path(market: Mapping[int, float] | None, yrs: np.ndarray) -> np.ndarray:
    """Market log level in each year of ``yrs`` (missing years interpolated)."""
    mk = pd.Series(dict(MARKET_LEVEL if market is None else market), dtype=float)
    mk = mk.reindex(sorted(set(mk.index) | set(yrs))).interpolate(limit_direction="both")
    return mk.reindex(yrs).to_numpy()


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


def _latent_panel(f: dict[str, np.ndarray], cohort: np.ndarray, shocks: np.ndarray, m_t: np.ndarray,
                  yrs: np.ndarray, *, effect: EffectSpec, anticipation: int, anticipation_effect: float
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    """The balanced firm-year panel with the latent log valuation and the true effect (``firm_id`` filled
    later), and the firm index of each row."""
    n, n_years, y0 = len(cohort), len(yrs), int(yrs[0])
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
    log_value = (f["level"][unit_idx] + f["growth"][unit_idx] * (year_col - y0) + np.tile(m_t, n) + tau
                 + shocks.reshape(-1))
    panel = pd.DataFrame({
        "firm_id": np.zeros(n * n_years, dtype=np.int8),  # filled by _labelled_world
        "year": year_col,
        "cohort": cohort_col,
        "event_time": pd.Series(np.where(treated_unit, event_time, 0), dtype="Int64").where(treated_unit, pd.NA),
        "log_value": log_value,
        "true_effect": tau,
        "market": np.tile(m_t, n),
    })
    return panel, unit_idx


def _firm_table(rng: np.random.Generator, f: dict[str, np.ndarray], cohort: np.ndarray, y0: int) -> pd.DataFrame:
    """One row per firm in the readers' layout (``quality`` and ``growth`` latent, for diagnostics)."""
    reg, region = _REG, f["region"]
    firms = pd.DataFrame({
        "firm_id": f["legal"],
        "firm_name": f["legal"],
        "short_name": f["short"],
        "province_code": reg[region, 1].astype(str),
        "province": reg[region, 0].astype(str),
        "province_en": reg[region, 2].astype(str),
        "city": reg[region, 3].astype(str),
        "city_en": reg[region, 4].astype(str),
        "industry": _INDS[f["industry"]],
        "founded_year": rng.integers(1998, y0, size=len(cohort)),
        "quality": f["quality"],
        "growth": f["growth"],
        "ever_designated": cohort > 0,
    })
    for col in ("firm_id", "firm_name", "short_name", "province_code", "province", "province_en", "city",
                "city_en", "industry"):
        firms[col] = firms[col].astype(str)
    return firms


def _labelled_world(firms: pd.DataFrame, designations: pd.DataFrame, deals: pd.DataFrame, panel: pd.DataFrame,
                    firm_ids: np.ndarray, params: dict) -> World:
    """The world, every frame labelled simulated (column and ``attrs``), in the readers' column order."""
    panel["firm_id"] = firm_ids
    panel["firm_id"] = panel["firm_id"].astype(str)
    note = f"lgresearch.simulate.designation_world(seed={params['seed']}, n_firms={params['n_firms']})"
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


#: Every public name of this module.
__all__ = ["designation_panel", "designation_world", "FIRM_COLUMNS", "INDUSTRIES", "MARKET_LEVEL", "REGIONS",
           "true_att", "World"]
