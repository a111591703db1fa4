"""Hand-made demonstration events in the canonical schema, labelled as simulated (for examples and tests).

Examples
--------
>>> len(demo_events())
4
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgresearch.deals_readers.core import finalize_events
from lgresearch.provenance import mark_simulated

__all__ = ["demo_events"]


def demo_events() -> pd.DataFrame:
    """Four hand-made events (two firms) in the canonical schema, marked SIMULATED; for examples and tests.

    Returns
    -------
    DataFrame
        Simulated canonical events (labelled as simulated).

    Examples
    --------
    >>> demo_events()["source"].unique().tolist()
    ['demo']
    """
    rows = [
        ("甲科技有限公司", "甲科技", "2020-09-16", "A", 4.0, "seed/venture", 2e7, 1e8, 20.0),
        ("乙光学股份有限公司", "乙光学", "2020-03-02", "天使轮", 1.0, "seed/venture", np.nan, np.nan, np.nan),
        ("甲科技有限公司", "甲科技", "2021-03-15", "B", 7.0, "seed/venture", 3e7, 2e8, 15.0),
        (None, None, "2021-05-01", "A", 4.0, "seed/venture", np.nan, np.nan, np.nan),
    ]
    std = {"A": "A", "B": "B", "天使轮": "angel"}
    events = pd.DataFrame({
        "event_id": [f"demo:{i:012x}" for i in range(len(rows))],
        "source": "demo",
        "firm_id": [r[0] for r in rows],
        "firm_name": [r[0] for r in rows],
        "short_name": [r[1] for r in rows],
        "uscc": None,
        "country": "中国",
        "province": ["浙江", "浙江", "浙江", "北京"],
        "city": ["杭州市", "宁波市", "杭州市", "北京市"],
        "industry_vendor": "半导体及电子设备|半导体",
        "industry_gb": None,
        "date": pd.to_datetime([r[2] for r in rows]),
        "date_precision": "day",
        "year": pd.to_datetime([r[2] for r in rows]).year,
        "round_raw": [r[3] for r in rows],
        "round_std": [std[r[3]] for r in rows],
        "stage_order": [r[4] for r in rows],
        "category": [r[5] for r in rows],
        "investment_type": None,
        "currency": ["CNY", None, "CNY", None],
        "amount_reported": [r[6] for r in rows],
        "amount_cny": [r[6] for r in rows],
        "amount_cny_low": [r[6] for r in rows],
        "amount_cny_high": [r[6] for r in rows],
        "amount_disclosed": [not np.isnan(r[6]) for r in rows],
        "amount_status": ["exact", "undisclosed", "exact", "missing"],
        "stake_pct": [r[8] for r in rows],
        "post_money_cny": [r[7] for r in rows],
        "valuation_basis": ["implied", "none", "reported", "none"],
        "investors": [["X资本"], ["Y基金"], ["X资本", "Z投资"], []],
        "n_investors": [1, 1, 2, 0],
        "listed_exchange": None,
        "source_file": "demo",
        "source_rows": [[2], [3], [4], [5]],
    })
    events = finalize_events(events)
    return mark_simulated(events, "lgresearch.deals.demo_events: four hand-made events").drop(
        columns="provenance").pipe(_keep_sim_attrs)


def _keep_sim_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["provenance"] = "simulated"
    frame.attrs["source"] = "SIMULATED DATA (lgresearch.deals.demo_events)"
    return frame
