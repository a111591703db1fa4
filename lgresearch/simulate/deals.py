"""Simulated venture deals: Poisson arrivals rising with quality, priced off the latent valuation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.deals_readers.core import DEAL_COLUMNS as _READER_DEAL_COLUMNS
from lgresearch.deals_readers.core import finalize_events, validate_events
from lgresearch.simulate.batches import _MEMO

#: Round ladder of simulated deals: (round_raw, round_std, stage_order, category), as
#: :func:`lgresearch.clean.normalize_round` maps them.
ROUNDS = (
    ("天使轮", "angel", 1.0, "seed/venture"), ("A轮", "A", 4.0, "seed/venture"), ("B轮", "B", 7.0, "seed/venture"),
    ("C轮", "C", 10.0, "growth"), ("D轮", "D", 13.0, "growth"), ("Pre-IPO", "pre-IPO", 30.0, "pre-IPO"),
)
#: Columns of the simulated deals: ``lgresearch.deals.DEAL_COLUMNS`` (the canonical events) + ``provenance``.
DEAL_COLUMNS = [*_READER_DEAL_COLUMNS, "provenance"]


def _finalize_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes and validation through the deal readers' schema."""
    if len(deals) == 0:  # worlds without deals (Monte Carlo): the empty, validated frame depends only on the schema
        key = ("empty_deals", tuple(deals.columns), tuple(str(t) for t in deals.dtypes))
        if key not in _MEMO:
            _MEMO[key] = validate_events(finalize_events(deals))
        return _MEMO[key].copy()
    return validate_events(finalize_events(deals))


def _draw_deals(rng: np.random.Generator, quality: np.ndarray, log_value: np.ndarray, unit_idx: np.ndarray,
                year_col: np.ndarray, *, n_years: int, deal_rate: float, deal_quality: float, deal_noise_sd: float,
                with_deals: bool) -> dict[str, np.ndarray]:
    """Deal draws per firm-year (``Poisson(deal_rate * exp(deal_quality * quality))``), sorted by firm and date."""
    n = len(quality)
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
    ordered: list[np.ndarray] = [x[order] for x in (d_unit, d_year, day, log_post, stake, n_inv, fund)]
    d_unit, d_year, day, log_post, stake, n_inv, fund = ordered
    return {"d_unit": d_unit, "d_year": d_year, "day": day, "log_post": log_post, "stake": stake, "n_inv": n_inv,
            "fund": fund}


def _simulate_deals(rng: np.random.Generator, f: dict[str, np.ndarray], panel: pd.DataFrame, unit_idx: np.ndarray,
                    *, reg: np.ndarray, inds: np.ndarray, seed: int, n_years: int, deal_rate: float,
                    deal_quality: float, deal_noise_sd: float, with_deals: bool) -> pd.DataFrame:
    """The simulated deals in the canonical events layout (validated), one row per financing event.

    ``f`` holds the firms' latent draws (``quality``, ``legal`` and ``short`` names, ``region`` and ``industry``
    codes); ``panel`` the latent firm-year panel (``log_value``, ``year``) with ``unit_idx`` its firm index.
    """
    legal, short, region, industry = f["legal"], f["short"], f["region"], f["industry"]
    d = _draw_deals(rng, f["quality"], panel["log_value"].to_numpy(), unit_idx, panel["year"].to_numpy(),
                    n_years=n_years, deal_rate=deal_rate, deal_quality=deal_quality, deal_noise_sd=deal_noise_sd,
                    with_deals=with_deals)
    d_unit, d_year, day, stake, n_inv, fund = (d[k] for k in ("d_unit", "d_year", "day", "stake", "n_inv", "fund"))
    post_money = np.round(np.exp(d["log_post"]), -4)
    amount = np.round(post_money * stake, -4)
    seq = pd.Series(d_unit).groupby(d_unit).cumcount().to_numpy()
    rung = np.minimum(seq, len(ROUNDS) - 1)
    date = (pd.to_datetime(d_year.astype(str), format="%Y") + pd.to_timedelta(day, unit="D")).astype(
        "datetime64[ns]")
    n_d = len(d_unit)
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
    return _finalize_deals(deals)


#: Every public name of this module.
__all__ = ["DEAL_COLUMNS", "ROUNDS"]
