# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · Do venture investors chase the Little Giants?
#
# **Claims tested** (press coverage of the program):
#
# 1. "smaller giants have become **popular targets for venture capitalists**";
# 2. "another VC reportedly **invests only in companies that are recognized … as small giants**";
# 3. "of course, **venture investors will pursue smaller giants**".
#
# **Evidence we can bring.** (a) The published shares of Little Giants with venture money, stated beside the one
# base rate our data allow: among all listed A-share firms, how many tagged and untagged firms appear in the deal
# data. (b) In the 清科私募通 (Zero2IPO/PEdata) export, deals going to firms we can identify as Little Giants
# (official name fragments and vendor tags of listed stocks, linked by name), by year and before/after the program
# began, against comparable firms (same industry, province, listing status and first-deal year, nearest first
# stage).
#
# **Selection, stated plainly.** The 清科 export holds **only deals in which a government guidance fund took part**;
# it is not the venture market, and a firm absent from it may still have venture money. The identified Little
# Giants are a non-random set: mostly listed firms tagged by Eastmoney/THS/Wind, whose designation dates are known
# only as brackets. The anecdote about one VC cannot be tested with counts.

# %% tags=["parameters"]
SEED = 0
N_BOOT = 2000
BEFORE = (2015, 2018)   # years before the first batch (2019)
AFTER = (2019, 2023)    # program years covered by the deal data
K_CONTROLS = 3
SIM_FIRMS = 1500        # only used when the vendor files are absent

# %%
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from lgresearch import deals, link, listed, official, simulate, sources
from lgresearch.analyses import attention
from lgresearch.plotting import PALETTE, finish, new_figure
from lgresearch.provenance import mark_real, source_of
from lgresearch.report import DataSource, claim, data_banner, decide, verdict_table

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 160)

HAVE_Z2I = sources.available("zero2ipo")
HAVE_FRAG = sources.available("fragments")
HAVE_LLG = sources.available("listed_tags")
HAVE_UNIVERSE = HAVE_LLG and sources.available("stock_universe")
REAL = HAVE_Z2I and (HAVE_FRAG or HAVE_LLG)

data_banner([
    DataSource("published financing shares of Little Giants", "facts", "lgresearch/data/official/facts.csv"),
    DataSource(sources.label("zero2ipo"), sources.status("zero2ipo")),
    DataSource(sources.label("fragments"), sources.status("fragments")),
    DataSource(f"{sources.label('listed_tags')} and the {sources.label('stock_universe')}",
               "real" if HAVE_UNIVERSE else "missing"),
    DataSource("simulated designation world", "simulated" if not REAL else "missing",
               "only when the vendor files are absent" if not REAL else "not used"),
])

# %% [markdown]
# ## 1 · What was published

# %%
vc_share = float(official.fact_value("vc_pe_backed_share"))
eq_share = float(official.fact_value("any_equity_share"))
published = attention.published_financing_shares()
display(published.round(4))

# %% [markdown]
# About a quarter of Little Giants had VC/PE investors by end-2022, and over 40% some equity financing. These are
# counts over (nearly) all designated firms, so sampling intervals do not apply; what they lack is a **base rate**:
# no publication gives the share for comparable non-designated firms.

# %% [markdown]
# ## 2 · A base rate the data allow: listed firms in the guidance-fund deals
# Every listed A-share firm (the stock universe of 2024–2025) is linked to the 清科 firms the vendor reports as
# listed, on the stock short name and a consistent board. A firm "has a guidance-fund deal" when it appears with at
# least one private round (not a listed placement). Tagged = in any vendor 专精特新 snapshot.

# %%
if HAVE_Z2I:
    events = deals.read_zero2ipo()
    firms = deals.deal_firms(events)
    private = deals.private_rounds(events)
tags = listed.listed_little_giants() if HAVE_LLG else None  # read once, used by both comparisons below
if HAVE_Z2I and HAVE_UNIVERSE:
    universe = attention.listed_deal_universe(listed.stock_universe(), events, tags["code"])
    coverage = deals.coverage_by_group(universe, group_col="tagged", has_deal_col="has_gf_deal", board_col="board")
    display(coverage.round(3))
    raw_diff = deals.share_difference(universe, group_col="tagged", has_deal_col="has_gf_deal", n_boot=N_BOOT,
                                      seed=SEED)
    adj_diff = deals.share_difference(universe, group_col="tagged", has_deal_col="has_gf_deal", strata_col="board",
                                      n_boot=N_BOOT, seed=SEED)
    display(Markdown(
        f"{raw_diff['share_group']:.1%} of tagged listed firms and {raw_diff['share_other']:.1%} of untagged ones "
        f"appear with a private guidance-fund round: difference **{raw_diff['diff']:+.1%}** (95% CI "
        f"{raw_diff['ci_low']:+.1%} to {raw_diff['ci_high']:+.1%}); within boards (weighted to the tagged firms' "
        f"board mix) **{adj_diff['diff']:+.1%}** ({adj_diff['ci_low']:+.1%} to {adj_diff['ci_high']:+.1%})."))
else:
    coverage = raw_diff = adj_diff = None
    display(Markdown("**Not available**: the 清科 export or the listed-firm files are missing "
                     "(set `LGRESEARCH_EXTERNAL_DIR`)."))

# %%
if coverage is not None:
    cov_all = coverage[coverage["board"] != "all"].copy()
    cov_all = mark_real(cov_all, source_of(events) + "; vendor SRDI (zhuanjingtexin) tags; A-share stock list")
    fig, ax = new_figure()
    boards = list(dict.fromkeys(cov_all["board"]))
    x = np.arange(len(boards))
    for i, (flag, label) in enumerate(((True, "tagged Little Giant"), (False, "other listed firms"))):
        sub = cov_all[cov_all["group"] == flag].set_index("board").reindex(boards)
        ax.bar(x + (i - 0.5) * 0.38, sub["share"], width=0.38, color=PALETTE[i], label=label,
               yerr=[sub["share"] - sub["ci_low"], sub["ci_high"] - sub["share"]], capsize=3)
    ax.set_xticks(x, boards)
    fig = finish(fig, ax, title="Listed firms that raised a private round with a guidance fund",
                 xlabel="Board (2024-2025)", ylabel="Share of firms (95% Wilson CI)", data=cov_all)

# %% [markdown]
# ## 3 · Deals to identified Little Giants, by year, against comparable firms
# Identified firms: official fragment names (batch known) and tagged listed stocks (batch bracketed), linked to the
# 清科 firms. Comparable firms are other 清科 firms matched exactly on first-level industry, province, listing
# status and first-deal year, nearest on the stage of the first round (`lgresearch.did.match_controls`, up to
# three controls each). Counts are private rounds per firm and year.

# %%
if REAL:
    fragments = link.fragment_firms() if HAVE_FRAG else None
    identified = link.identified_little_giants(firms, fragments=fragments, listed_tags=tags)
    att_events, att_source = events, source_of(events)
else:
    world = simulate.designation_world(n_firms=SIM_FIRMS, seed=SEED)
    att_events = world.deals.assign(listed_exchange=None)
    identified = world.designations[["firm_id"]].drop_duplicates()
    att_source = "SIMULATED DATA (lgresearch.simulate.designation_world)"
    display(Markdown("**Vendor files absent: this section runs on SIMULATED deals** (no effect planted); it says "
                     "nothing about China."))
comparison = attention.attention_comparison(att_events, identified, k=K_CONTROLS, before=BEFORE, after=AFTER,
                                            n_boot=N_BOOT, seed=SEED)
m = comparison.matched
display(Markdown(f"{m.info['n_treated']} identified firms with deals; {m.info['n_treated_matched']} matched to "
                 f"{m.info['n_controls_distinct']} comparable firms ({len(m.unmatched)} without a comparable firm "
                 f"in their stratum)."))
display(m.balance.round(3))

# %%
by_year = comparison.by_year
fig, ax = new_figure()
for (label, sub), colour in zip(by_year.groupby("group"), PALETTE, strict=False):
    ax.plot(sub["year"], sub["mean_deals"], marker="o", color=colour,
            label=f"{label} (n={int(sub['n_firms'].iloc[0])})")
ax.axvspan(AFTER[0] - 0.5, AFTER[1] + 0.5, color="#dddddd", alpha=0.4, lw=0)
ax.text(AFTER[0] - 0.4, ax.get_ylim()[1] * 0.95, "program years", fontsize=8, va="top")
fig = finish(fig, ax, title="Private guidance-fund rounds per firm and year",
             xlabel="Year", ylabel="Mean private rounds per firm", data=by_year)

# %%
dd = comparison.did
display(comparison.summary().drop(columns=["before_from", "before_to", "after_from", "after_to", "level"]).round(4))
display(Markdown(
    f"Identified firms: {dd['treated_before']:.3f} → {dd['treated_after']:.3f} rounds per firm-year "
    f"({BEFORE[0]}–{BEFORE[1]} → {AFTER[0]}–{AFTER[1]}); comparable firms: {dd['controls_before']:.3f} → "
    f"{dd['controls_after']:.3f}. Difference in differences **{dd['estimate']:+.3f}** rounds per firm-year "
    f"(95% CI {dd['ci_low']:+.3f} to {dd['ci_high']:+.3f}). Listed Little Giants stop raising private rounds once "
    f"they list, which pulls their post-2020 counts down: the comparison holds listing status fixed only as of the "
    f"export date."))

# %%
if REAL:
    yearly = attention.yearly_shares(private, identified["firm_id"], since=2012)
    display(yearly.assign(amount_lg_cny_bn=(yearly["amount_disclosed_cny_lg"] / 1e9).round(2))
            .drop(columns=["amount_disclosed_cny_all", "amount_disclosed_cny_lg"]).round(3))

# %% [markdown]
# ## Verdicts
# * **Popular targets**: the published shares say a quarter of Little Giants had VC/PE money; the base rate we can
#   build says tagged listed firms are far more likely than other listed firms to have taken a guidance-fund round —
#   an association on one slice of the market (guidance-fund deals, listed firms), not a statement about all VCs.
# * **Investors will pursue them**: judged on whether deals to identified firms rose more than deals to comparable
#   firms once the program began.
# * **One VC invests only in small giants**: an anecdote about one investor's policy; no count can test it.

# %%
rows = []
OBJ = "venture deals to Little Giants"  # tested on guidance-fund deals, a selected slice (see the method column)
sel = ("guidance-fund deals only (清科 export), listed firms only for the base rate; Little Giants identified by "
       "vendor tags and name fragments")
if raw_diff is not None:
    prov = f"real: {source_of(events)}; vendor 专精特新 tags; A-share stock universe; published facts"
    rows.append(claim(
        "smaller giants have become popular targets for venture capitalists",
        decide(adj_diff["diff"], (adj_diff["ci_low"], adj_diff["ci_high"]), claim_object=OBJ, test_object=OBJ,
               alternative="greater"),
        estimate=round(adj_diff["diff"], 3), interval=(round(adj_diff["ci_low"], 3), round(adj_diff["ci_high"], 3)),
        n=adj_diff["n_group"] + adj_diff["n_other"], provenance=prov,
        method="board-standardised difference (weighted to the tagged firms' board mix) in the share of listed "
               "A-share firms with a private guidance-fund round in the 清科 export, vendor-tagged Little Giants minus "
               f"untagged firms; bootstrap resampling firms within boards ({N_BOOT} draws, 95% percentile); "
               "n = listed firms",
        note=f"published: {vc_share:.1%} of {published['of'].iloc[0]:,} Little Giants VC/PE-backed (end-2022), "
             f"{eq_share:.2%} with any equity; estimate = board-standardised difference in the share of listed "
             f"firms with a private guidance-fund round, tagged minus untagged ({raw_diff['share_group']:.3f} vs "
             f"{raw_diff['share_other']:.3f}); {sel}"))
else:
    rows.append(claim(
        "smaller giants have become popular targets for venture capitalists",
        decide(vc_share, None, claim_object=OBJ, test_object=OBJ, alternative="greater"),
        estimate=round(vc_share, 3), n=int(published["of"].iloc[0]),
        provenance="facts: published reports (lgresearch/data/official/facts.csv)",
        note=f"{vc_share:.1%} VC/PE-backed and {eq_share:.2%} with any equity, but no base rate for comparable "
             "firms without the vendor deal data"))

# %%
rows.append(claim(
    "another VC reportedly invests only in companies that are recognized as small giants",
    "not testable with available data", provenance="none: an anecdote about one investor's policy",
    note="the deal data list investors by deal, not their mandates; one investor's stated policy cannot be tested "
         "with counts"))

# %%
if REAL:
    rows.append(claim(
        "of course, venture investors will pursue smaller giants",
        decide(dd["estimate"], (dd["ci_low"], dd["ci_high"]), claim_object=OBJ, test_object=OBJ,
               alternative="greater"),
        estimate=round(dd["estimate"], 4), interval=(round(dd["ci_low"], 4), round(dd["ci_high"], 4)),
        n=dd["n_treated"],
        method=f"difference in differences of private guidance-fund rounds per firm-year ({AFTER[0]}-{AFTER[1]} vs "
               f"{BEFORE[0]}-{BEFORE[1]}), identified Little Giants vs up to {K_CONTROLS} matched comparable 清科 "
               f"firms each (exact on industry, province, listing status, first-deal year); bootstrap resampling "
               f"treated firms with their controls ({N_BOOT} draws, 95% percentile); n = identified firms with deals",
        provenance=f"real: {att_source}; Little Giants identified by linking",
        note=f"difference in differences of private guidance-fund rounds per firm-year, identified Little Giants vs "
             f"{dd['n_controls']} matched comparable firms, {AFTER[0]}-{AFTER[1]} vs {BEFORE[0]}-{BEFORE[1]}; "
             f"designation dates are bracketed, so the program start is the cut-off; listed firms stop private "
             f"rounds after listing; {sel}"))
else:
    rows.append(claim("of course, venture investors will pursue smaller giants", "not testable with available data",
                      provenance="none: 清科 export or Little Giant identifiers not available",
                      note="the comparison above ran on SIMULATED deals only"))
verdict_table(rows, "07_vc_attention")
