"""Notebook 07: listed Little Giants with a private guidance-fund round, against other listed firms.

Recomputed from the raw files: the stock universe, the vendor tags, the short-name link of listed stocks to 清科
firms the vendor reports as listed (on a consistent board), the private rounds, and the board-standardised
difference. Not recomputed: the difference in differences of the second verdict (matched controls).
"""

import re

import numpy as np
import pytest

from . import _deals_plain as deals
from . import _listed_plain as listed
from .conftest import number, require_external, row

pytestmark = pytest.mark.notebooks

@pytest.fixture(scope="module")
def universe():
    ext = require_external()
    require_external("muweiabc__govfund", "invest_with_treatment.xlsx")
    require_external("listed-little-giants", "listed_little_giants_by_code.csv")
    u = listed.stock_universe(ext)
    ev = deals.events(ext / "muweiabc__govfund" / "invest_with_treatment.xlsx")
    m = listed.link_short_names(u, deals.firms(ev), deals._name)
    with_private = set(deals.private(ev)["firm"])
    return u.assign(tagged=u["code"].isin(listed.tagged_codes(ext)),
                    deal=u["code"].map(m.set_index("code")["firm"]).isin(with_private))


def test_tagged_firms_raise_guidance_fund_rounds_more_often(claims, universe):
    r = row(claims("07"), "smaller giants have become popular targets")
    cells = [(g.loc[g["tagged"], "deal"].mean(), g.loc[~g["tagged"], "deal"].mean(), g["tagged"].sum())
             for _, g in universe.groupby("board") if g["tagged"].any() and (~g["tagged"]).any()]
    weights = np.array([c[2] for c in cells], dtype=float) / sum(c[2] for c in cells)
    diff = sum(w * (a - b) for w, (a, b, _n) in zip(weights, cells, strict=True))
    assert number(r["estimate"]) == pytest.approx(round(diff, 3), abs=1e-9)
    assert number(r["n"]) == len(universe)
    tagged, other = re.search(r"tagged minus untagged \(([0-9.]+) vs ([0-9.]+)\)", r["note"]).groups()
    assert float(tagged) == pytest.approx(round(universe.loc[universe["tagged"], "deal"].mean(), 3), abs=1e-9)
    assert float(other) == pytest.approx(round(universe.loc[~universe["tagged"], "deal"].mean(), 3), abs=1e-9)
