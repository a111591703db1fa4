"""Notebook 02: Preqin's 2021 growth, recomputed from vc_aggregates.csv."""

import pandas as pd
import pytest

from .conftest import number, official_file, row

pytestmark = pytest.mark.notebooks


def test_preqin_growth_2021(claims):
    agg = pd.read_csv(official_file("vc_aggregates.csv"))
    pre = agg[(agg["vendor"] == "Preqin") & (agg["metric"] == "VC investment value")]
    value = pre.set_index(pre["period"].astype(str))["value"].astype(float)
    growth = value["2021"] / value["2020"] - 1
    r = row(claims("02"), "the value of deals increased nearly 50%")
    assert number(r["estimate"]) == pytest.approx(round(growth, 3), abs=1e-9)
    assert value["2021"] == 130.6 and r["verdict"] == "supported"
