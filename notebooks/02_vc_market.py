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
# # 02 · Did China's venture market hit a record in 2021?
#
# **Claim tested** (Bloomberg via TechNode, 2022-01-10): "Venture investment in China hit a record last year …
# the value of deals increased nearly **50%** to **$130.6 billion** in 2021."
#
# **Data.** Headline aggregates published by each vendor (Preqin, PitchBook, 清科/Zero2IPO, GlobalData, GPCA, …), as
# reported by the press pages cited per row in `lgresearch/data/official/vc_aggregates.csv`. Vendors define
# "venture" and "China" differently (VC only vs VC/PE, mainland vs Greater China, USD vs CNY), and they revise their
# own series, so **series are shown side by side and never spliced across vendors or vintages**.

# %% tags=["parameters"]
SEED = 0  # nothing here is random; kept for the house convention

# %%
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from lgresearch import deals, official, sources
from lgresearch.plotting import finish, new_figure, PALETTE
from lgresearch.report import DataSource, claim, data_banner, decide, decide_all, verdict_table

pd.set_option("display.max_colwidth", 80)
HAVE_ZERO2IPO = sources.available("zero2ipo")
data_banner([
    DataSource("China VC aggregates by vendor", "facts", "lgresearch/data/official/vc_aggregates.csv"),
    DataSource(sources.label("zero2ipo"), sources.status("zero2ipo"),
               "guidance-fund deals only; read from LGRESEARCH_EXTERNAL_DIR"),
])

# %% [markdown]
# ## Every vendor figure we hold

# %%
vc = official.vc_aggregates()
vc[["period", "geography", "vendor", "metric", "qualifier", "value", "unit", "reported_change"]]

# %% [markdown]
# ## Investment value in US dollars, one colour per vendor
# Each bar is one published figure. Bars of different vendors are not a time series.

# %%
usd = vc[(vc["unit"] == "USD bn") & vc["metric"].str.contains("value|investment", case=False)].copy()
usd["vendor_en"] = (usd["vendor"].str.split(r"\s*\(", regex=True).str[0].str.split("/").str[0]
                    .replace({"unknown": "Unidentified vendor (fxbaogao)"}))
usd["vintage"] = np.where(usd["source_note"].str.contains("Early PitchBook vintage"), " (early vintage)", "")
usd["label"] = usd["vendor_en"] + " · " + usd["geography"] + " · " + usd["period"] + usd["vintage"]
usd = usd.sort_values(["vendor_en", "period", "vintage"]).reset_index(drop=True)
colours = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(usd["vendor_en"].unique())}
fig, ax = new_figure(figsize=(9, 6))
ypos = np.arange(len(usd))
ax.barh(ypos, usd["value"], color=usd["vendor_en"].map(colours).tolist())
ax.set_yticks(ypos, usd["label"])
for y, (v, q) in enumerate(zip(usd["value"], usd["qualifier"].fillna(""))):
    ax.text(v, y, f" {q}{v:,.1f}", va="center", fontsize=7)
ax.invert_yaxis()
fig = finish(fig, ax, title="China venture investment by vendor (as published)",
             xlabel="Investment value (USD billion, vendor definitions)", ylabel="Vendor · geography · period",
             data=usd, source="Preqin, PitchBook, GlobalData, GPCA and others as reported by the press pages in "
                              "vc_aggregates.csv")

# %% [markdown]
# ## Growth, within each vendor only
# "computed" rows divide two levels of the same vendor, metric and source (vintage); "reported" rows are the
# vendor's own year-on-year figure.

# %%
growth = official.vc_growth()
growth_view = growth.assign(growth_pct=(100 * growth["growth"]).round(1)).drop(columns=["source_url"])
growth_view

# %%
preqin = growth[(growth["vendor"] == "Preqin") & growth["basis"].str.startswith("computed")].iloc[0]
y2021 = vc.query("vendor == 'Preqin' and period == '2021'")["value"].item()
g2021 = growth[growth["period"].astype(str).str.startswith("2021")
               & growth["metric"].str.contains("amount|value", case=False)]
other = growth[(growth["period"].astype(str) == "2021") & (growth["vendor"] != "Preqin")
               & growth["metric"].str.contains("amount|value", case=False)]
lo, hi = float(g2021["growth"].min()), float(g2021["growth"].max())
other_growth = ", ".join(f"{r.vendor} {r.growth:+.1%} ({r.metric}, {r.unit})" for r in other.itertuples())
display(Markdown(f"""
* **Preqin** (China, VC investment value): US${preqin['value_prev']:.1f} bn in 2020 → **US${y2021:.1f} bn** in 2021,
  growth **{preqin['growth']:.1%}**, which is the claim's "nearly 50% to $130.6 billion".
* Other vendors' 2021 value growth, on their own definitions: {other_growth or 'none with two annual levels'}.
* PitchBook's Greater China series (a different geography and definition) gives US$113.8 bn for 2021 in its early
  vintage and US$136 bn in the revised one; it then fell 48.9% to US$69.5 bn in 2022.
* "A record": none of the series we hold goes back before 2020, so the record itself cannot be checked here.
"""))

# %% [markdown]
# ## Beside the aggregates: the Zero2IPO guidance-fund subset
# Our only deal-level data is a Zero2IPO (清科私募通) export of **deals in which a government guidance fund (or a
# fund it backs) took part**: not the market, and not comparable with the vendor totals above. It shows the same
# 2021 peak in deal counts. Amounts are the disclosed ones only (converted to CNY at annual average rates).

# %%
if HAVE_ZERO2IPO:
    events = deals.read_zero2ipo()
    per_year = deals.annual_summary(events)
    recent = per_year[per_year["year"] >= 2015].reset_index(drop=True)
    display(recent.assign(amount_disclosed_cny_bn=(recent["amount_disclosed_cny"] / 1e9).round(1),
                          median_post_money_cny_m=(recent["median_post_money_cny"] / 1e6).round(0))
            .drop(columns=["amount_disclosed_cny", "median_post_money_cny"]))
else:
    display(Markdown("**The Zero2IPO export is not available** (set `LGRESEARCH_EXTERNAL_DIR`): this section is "
                     "skipped. The verdicts below rest on the vendor aggregates only."))

# %%
if HAVE_ZERO2IPO:
    fig, ax = new_figure()
    ax.bar(recent["year"], recent["n_events"], color=PALETTE[0], label="financing events")
    ax2 = ax.twinx()
    ax2.plot(recent["year"], recent["amount_disclosed_cny"] / 1e9, color=PALETTE[1], marker="o",
             label="disclosed amount (right axis)")
    ax2.set_ylabel("Disclosed amount (CNY billion)")
    ax2.set_ylim(bottom=0)
    ax2.grid(False)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left")
    fig = finish(fig, ax, title="Guidance-fund-backed deals per year (Zero2IPO subset, not the market)",
                 xlabel="Year of the financing event", ylabel="Financing events (count)",
                 source="Zero2IPO/PEdata investment events with a government guidance fund (export republished "
                        "on GitHub, muweiabc/govfund); not the whole VC market", legend=False)
    zero_2021 = per_year.set_index("year")["n_events"]
    zero_growth_2021 = float(zero_2021.loc[2021] / zero_2021.loc[2020] - 1)
    display(Markdown(f"In this subset, events rose {zero_growth_2021:+.0%} in 2021 (2020: {zero_2021.loc[2020]:,}, "
                     f"2021: {zero_2021.loc[2021]:,}); {events.attrs.get('ledger_summary', '')}."))

# %% [markdown]
# ## Verdicts
# The growth claim is a statement about **Preqin's** series: it holds on that definition. The interval column is
# the range of 2021 value growth across the vendors' own definitions. The "record" part needs a longer series than
# we hold.

# %%
prov = "published vendor aggregates (lgresearch/data/official/vc_aggregates.csv): Preqin via TechNode/Bloomberg"
OBJ = "China venture investment value in 2021 (Preqin definition)"
growth_part = decide(float(preqin["growth"]), (float(preqin["growth"]), float(preqin["growth"])), claim_object=OBJ,
                     test_object=OBJ, claimed=(0.45, 0.55))
value_part = decide(float(y2021), (float(y2021), float(y2021)), claim_object=OBJ, test_object=OBJ,
                    claimed=(130.55, 130.65))
verdict_table([
    claim("the value of deals increased nearly 50% to $130.6 billion in 2021", decide_all([growth_part, value_part]),
          estimate=round(float(preqin["growth"]), 3), interval=(round(lo, 3), round(hi, 3)),
          n=int(g2021["vendor"].nunique()), provenance=prov,
          method="2021 over 2020 growth of Preqin's published China VC investment value (USD), an exact published "
                 "aggregate; 'nearly 50%' read as 45-55% and '$130.6 billion' as 130.55-130.65; both must hold; the "
                 "interval shows the other vendors' definitions, not a sampling interval",
          note=f"Preqin definition (China VC investment value, USD): {preqin['value_prev']:.1f} -> {y2021:.1f} bn; "
               "interval = range of 2021 value growth across vendors' own definitions."),
    claim("venture investment in China hit a record last year", "not testable with available data",
          estimate=float(y2021), n=1, provenance=prov,
          note="no vendor series before 2020 is held; the record status rests on Preqin's own history"),
], "02_vc_market")
