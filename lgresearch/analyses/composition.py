"""Composition: who the designated firms are. Industries of listed Little Giants against the other listed firms.

The vendor tags (:func:`lgresearch.listed.listed_little_giants`) mark about 1,000 listed firms as Little Giants.
:func:`listed_industry_comparison` compares their Shenwan industries with those of the other listed firms, with one
denominator for every row (only stocks that have a Shenwan level-1 industry), the semiconductors (Shenwan level-2
半导体) and the three industries the press named as extra rows. :func:`industry_over_representation` is the
general tool: any set of stock codes against the rest of a stock universe.

Examples
--------
>>> uni = pd.DataFrame({"code": [f"{i:06d}" for i in range(10)], "sw_l1_en": ["A"] * 5 + ["B"] * 5})
>>> industry_over_representation(["000000", "000001", "000002", "000005"], uni)["ratio"].round(2).tolist()
[2.25, 0.38]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lgresearch import listed
from lgresearch._compat import renamed_kwargs
from lgresearch.designations import SW_MANUFACTURING_L1, over_representation, proportion_interval
from lgresearch.plotting import PALETTE, finish, new_figure
from lgresearch.provenance import mark_real
from lgresearch.results import FrameResult
from lgresearch.securities import normalize_code

__all__ = [
    "industry_over_representation", "SEMICONDUCTORS", "THREE_NAMED", "NAMED_INDUSTRIES", "COMPARISON_SOURCE",
    "industry_groups", "IndustryComparison", "listed_industry_comparison", "plot_over_representation",
]

#: Row label of the Shenwan level-2 semiconductor industry (半导体, inside Electronics).
SEMICONDUCTORS = "Semiconductors (SW L2)"
#: Row label of the three industries the press named, pooled.
THREE_NAMED = "The three named industries"
#: The three named industries, one row each (Shenwan level 1, except semiconductors at level 2).
NAMED_INDUSTRIES = ("Machinery", SEMICONDUCTORS, "Pharma & Biotech")
#: Source line of the listed-firm comparison.
COMPARISON_SOURCE = ("vendor Little Giant tags (Eastmoney BK1005 2025-07, THS 885929 2026-06) and Shenwan SW2021 "
                     "industries")


@renamed_kwargs(alpha=("level", lambda a: 1 - a), column="industry_col")
def industry_over_representation(
    member_codes: Iterable[str],
    universe: pd.DataFrame,
    *,
    industry_col: str = "sw_l1_en",
    groups: dict[str, Iterable[str]] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Industry over-representation of a set of stock codes against the rest of a stock universe.

    Parameters
    ----------
    member_codes : iterable of str or int
        Stock codes of the members (e.g. the listed Little Giants), in any usual form (``600000``,
        ``600000.SH``, ``sh600000``, ``600000`` as an integer; see :func:`lgresearch.securities.normalize_code`).
    universe : DataFrame
        One row per stock with ``code`` and the industry column (e.g. :func:`lgresearch.listed.stock_universe`).
    industry_col : str, default "sw_l1_en"
        The industry column of ``universe`` (``column=`` is deprecated).
    groups : {label: codes}, optional
        Extra code sets reported as their own rows (e.g. a Shenwan level-2 industry such as semiconductors),
        each tested as "in the set" vs "not in the set".
    level : float, default 0.95
        Interval level (``alpha=`` is deprecated: ``level = 1 - alpha``).

    Returns
    -------
    DataFrame
        As :func:`lgresearch.designations.over_representation` plus ``level`` (the industry column's name, or
        ``"group"``). Members missing from the universe are counted in ``attrs["members_not_in_universe"]``.

    Examples
    --------
    >>> uni = pd.DataFrame({"code": [f"{i:06d}" for i in range(10)], "sw_l1_en": ["A"] * 5 + ["B"] * 5})
    >>> t = industry_over_representation(["000000", "000001", "000002", "000005"], uni)
    >>> t[["category", "n_members", "n_others"]].values.tolist()
    [['A', 3, 2], ['B', 1, 4]]
    >>> industry_over_representation(["000000", "000001.SZ", "sz000002", 5], uni)["n_members"].tolist()
    [3, 1]
    """
    codes = normalize_code(pd.Series(list(member_codes), dtype=object)).dropna().astype(str).unique()
    uni_codes = normalize_code(universe["code"])
    uni = universe.assign(code=uni_codes).drop_duplicates("code")
    in_set = uni["code"].astype(str).isin(set(codes))
    col = industry_col
    table = over_representation(uni.loc[in_set, col].astype(object), uni.loc[~in_set, col].astype(object),
                                level=level).assign(level=col)
    extra = []
    for label, group_codes in (groups or {}).items():
        g = set(normalize_code(pd.Series(list(group_codes), dtype=object)).dropna().astype(str))
        flag = uni["code"].astype(str).isin(g).map({True: label, False: "other"})
        t = over_representation(flag[in_set], flag[~in_set], level=level)
        extra.append(t[t["category"] == label].assign(level="group"))
    out = pd.concat([table, *extra], ignore_index=True)
    out.attrs["members_not_in_universe"] = int(len(set(codes) - set(uni["code"].astype(str))))
    out.attrs["n_members"] = int(in_set.sum())
    out.attrs["n_others"] = int((~in_set).sum())
    return out


def industry_groups(universe: pd.DataFrame, industries: pd.DataFrame) -> dict[str, pd.Series]:
    """The extra rows of the comparison: semiconductors (Shenwan level 2) and the three named industries pooled.

    Parameters
    ----------
    universe : DataFrame
        Stocks with ``code`` and ``sw_l1_en`` (the comparison's universe).
    industries : DataFrame
        Shenwan industries with ``code`` and ``sw_l2_name`` (:func:`lgresearch.listed.stock_industries`).

    Returns
    -------
    dict of str to Series
        :data:`SEMICONDUCTORS` → the codes whose level-2 industry is 半导体; :data:`THREE_NAMED` → the codes in
        Machinery or Pharma & Biotech (level 1) or in semiconductors.

    Examples
    --------
    >>> uni = pd.DataFrame({"code": ["000001", "000002", "000003"],
    ...                     "sw_l1_en": ["Machinery", "Electronics", "Banks"]})
    >>> sw = pd.DataFrame({"code": ["000002", "000003"], "sw_l2_name": ["半导体", "银行"]})
    >>> {k: v.tolist() for k, v in industry_groups(uni, sw).items()}
    {'Semiconductors (SW L2)': ['000002'], 'The three named industries': ['000001', '000002']}
    """
    semis = industries.loc[industries["sw_l2_name"].str.contains("半导体", na=False), "code"]
    named_l1 = universe.loc[universe["sw_l1_en"].isin(["Machinery", "Pharma & Biotech"]), "code"]
    return {SEMICONDUCTORS: semis, THREE_NAMED: pd.concat([named_l1, semis])}


@dataclass
class IndustryComparison(FrameResult):
    """Industries of listed Little Giants against the other listed firms (:func:`listed_industry_comparison`).

    Parameters
    ----------
    frame : DataFrame
        The table of :func:`industry_over_representation` (one row per Shenwan level-1 industry, then the groups).
    n_members, n_others : int
        Listed Little Giants and other listed firms, all with a Shenwan level-1 industry.
    n_without_industry : int
        Stocks of the universe left out because they have no Shenwan code.
    n_members_without_industry : int
        Of those, how many are tagged Little Giants.
    n_members_not_in_universe : int
        Tagged codes that are not in the stock universe at all.
    level : float
        Interval level.
    """

    frame: pd.DataFrame
    n_members: int
    n_others: int
    n_without_industry: int
    n_members_without_industry: int
    n_members_not_in_universe: int
    level: float = 0.95

    def row(self, category: str) -> pd.Series:
        """Return the row of one industry or group.

        Parameters
        ----------
        category : str
            An industry (``"Machinery"``) or a group label (:data:`THREE_NAMED`).

        Returns
        -------
        Series
            ``n_members, share_members, n_others, share_others, ratio, ci_low, ci_high, level``.

        Examples
        --------
        >>> c = _demo()
        >>> int(c.row("Machinery")["n_members"])
        1
        """
        return self.frame.set_index("category").loc[category]

    def coverage_text(self) -> str:
        """Return one sentence on who is compared and who is left out.

        Returns
        -------
        str
            Counts of both groups and of the stocks left out.

        Examples
        --------
        >>> _demo().coverage_text()[:30]
        '2 listed Little Giants (high-c'
        """
        return (f"{self.n_members:,} listed Little Giants (high-confidence) vs {self.n_others:,} other listed firms, "
                f"all with a Shenwan industry; left out: {self.n_without_industry} stocks without a Shenwan code "
                f"({self.n_members_without_industry} of them tagged) and {self.n_members_not_in_universe} tagged "
                f"codes not in the stock universe")

    def named_shares(self) -> pd.DataFrame:
        """Return the shares behind the verdict, each with its Wilson interval at :attr:`level`.

        Returns
        -------
        DataFrame
            Index ``three_named_members`` (share of listed Little Giants in the three named industries),
            ``three_named_others`` (the same among other listed firms) and ``manufacturing_members`` (share in
            manufacturing-type Shenwan industries, :data:`lgresearch.designations.SW_MANUFACTURING_L1`, a lower
            bound); columns ``share, ci_low, ci_high``.

        Examples
        --------
        >>> _demo().named_shares().round(2).loc["three_named_members"].tolist()
        [1.0, 0.34, 1.0]
        """
        three = self.row(THREE_NAMED)
        t = self.frame
        manu = t[(t["level"] == "sw_l1_en") & t["category"].isin(SW_MANUFACTURING_L1)]
        rows = {
            "three_named_members": proportion_interval(int(three["n_members"]), self.n_members, level=self.level),
            "three_named_others": proportion_interval(int(three["n_others"]), self.n_others, level=self.level),
            "manufacturing_members": proportion_interval(int(manu["n_members"].sum()), self.n_members,
                                                         level=self.level),
        }
        return pd.DataFrame.from_dict(rows, orient="index", columns=["share", "ci_low", "ci_high"])


def listed_industry_comparison(
    *,
    level: float = 0.95,
    tags: pd.DataFrame | None = None,
    universe: pd.DataFrame | None = None,
    industries: pd.DataFrame | None = None,
) -> IndustryComparison:
    """Compare the Shenwan industries of listed Little Giants with those of the other listed firms.

    Members are the high-confidence tagged firms that are listed on an exchange. Both groups are the stocks of the
    universe that have a Shenwan level-1 industry: stocks without one (mostly recent listings) are left out of both,
    in every row (level-1 industries, semiconductors, the three named industries together, manufacturing).

    Parameters
    ----------
    level : float, default 0.95
        Interval level.
    tags : DataFrame, optional
        Vendor tags with ``code``, ``high_confidence`` and ``listed`` (default
        :func:`lgresearch.listed.listed_little_giants`: needs the third-party directory).
    universe : DataFrame, optional
        Stocks with ``code`` and ``sw_l1_en`` (default :func:`lgresearch.listed.stock_universe`).
    industries : DataFrame, optional
        Shenwan industries with ``code`` and ``sw_l2_name`` (default :func:`lgresearch.listed.stock_industries`).

    Returns
    -------
    IndustryComparison
        The table (industries, then :data:`SEMICONDUCTORS` and :data:`THREE_NAMED`) and the counts.

    Examples
    --------
    >>> c = _demo()
    >>> c.n_members, c.n_others, c.n_without_industry
    (2, 3, 1)
    >>> [int(v) for v in c.row(THREE_NAMED)[["n_members", "n_others"]]]
    [2, 1]
    """
    tags = listed.listed_little_giants() if tags is None else tags
    member_codes = tags.loc[tags["high_confidence"] & tags["listed"], "code"]
    universe_all = listed.stock_universe() if universe is None else universe
    no_sw = universe_all["sw_l1_en"].isna()
    uni = universe_all[~no_sw]  # the denominator rule: only stocks with a Shenwan level-1 industry
    n_no_sw_members = int(universe_all.loc[no_sw, "code"].isin(set(member_codes)).sum())
    industries = listed.stock_industries() if industries is None else industries
    table = industry_over_representation(member_codes, uni, industry_col="sw_l1_en",
                                         groups=industry_groups(uni, industries), level=level)
    table = mark_real(table, COMPARISON_SOURCE)
    return IndustryComparison(
        frame=table, n_members=table.attrs["n_members"], n_others=table.attrs["n_others"],
        n_without_industry=int(no_sw.sum()), n_members_without_industry=n_no_sw_members,
        n_members_not_in_universe=table.attrs["members_not_in_universe"] - n_no_sw_members, level=level)


def plot_over_representation(table: pd.DataFrame, *, highlight: Iterable[str] = (), min_members: int = 10):
    """Forest plot of over-representation ratios with their intervals, on a log axis.

    Parameters
    ----------
    table : DataFrame
        A table of :func:`industry_over_representation` (its provenance goes into the figure's source line).
    highlight : iterable of str
        Categories drawn in the accent colour (the claim's industries).
    min_members : int, default 10
        Only categories with at least this many members are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        The finished figure (titled, labelled, with a source line).

    Examples
    --------
    >>> fig = plot_over_representation(_demo().frame, min_members=1)
    >>> fig.axes[0].get_xscale()
    'log'
    """
    import matplotlib.ticker

    plot = table[table["n_members"] >= min_members].sort_values("ratio")
    highlight = set(highlight)
    fig, ax = new_figure(figsize=(8.0, 6.0))
    y = np.arange(len(plot))
    colors = [PALETTE[1] if c in highlight else PALETTE[0] for c in plot["category"]]
    ax.errorbar(plot["ratio"], y, xerr=[plot["ratio"] - plot["ci_low"], plot["ci_high"] - plot["ratio"]],
                fmt="none", ecolor="#7f8c8d", capsize=2)
    ax.scatter(plot["ratio"], y, color=colors, zorder=3)
    ax.axvline(1, color="black", lw=0.8, ls="--")
    ax.set_xscale("log")
    lo_, hi_ = float(plot["ci_low"].min()), float(plot["ci_high"].max())
    ticks = [t for t in (0.125, 0.25, 0.5, 1, 2, 4, 8) if lo_ / 1.5 <= t <= hi_ * 1.5]
    ax.set_xticks(ticks, minor=False)
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_yticks(y, [f"{c} (n={n})" for c, n in zip(plot["category"], plot["n_members"], strict=True)])
    return finish(fig, ax, title="Industries of listed Little Giants relative to other listed firms",
                  xlabel="Over-representation ratio (share among Little Giants / share among other listed firms, log)",
                  ylabel="Shenwan industry (Little Giants in it)", data=table)


def _demo() -> IndustryComparison:
    """A six-stock comparison for the examples (not data)."""
    tags = pd.DataFrame({"code": ["000001", "000002", "000006"], "high_confidence": True, "listed": True})
    universe = pd.DataFrame({"code": [f"00000{i}" for i in range(1, 7)],
                             "sw_l1_en": ["Machinery", "Electronics", "Banks", "Banks", "Machinery", None]})
    industries = pd.DataFrame({"code": ["000002"], "sw_l2_name": ["半导体"]})
    return listed_industry_comparison(tags=tags, universe=universe, industries=industries)
