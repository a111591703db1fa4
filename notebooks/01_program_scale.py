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
# # 01 · How big is the Little Giant program?
#
# **Claims tested** (press, 2018–2022):
#
# 1. "MIIT has nominated **4,762** smallholders since 2019" (Bloomberg, 2022-02-28; "smallholders" is the
#    machine-translated word for 专精特新"小巨人" firms).
# 2. The ministry "plans to create around **600** smaller giants" (the 2018 plan, for 2018–2020).
# 3. "The goal is to create **10,000** small giants by 2025" (14th Five-Year Plan period).
# 4. "About **1,000** priority small giants … at least **10 billion yuan**" (the 2021–2025 fiscal support scheme
#    for "key" Little Giants, 财建〔2021〕2号).
#
# **Data.** Official program facts only: batch counts, dates, review outcomes, targets and published totals,
# written into `lgresearch/data/official/` from reposts of MIIT and provincial notices, one fact per row with its
# source. Where sources disagree every candidate is kept and one is chosen by an arithmetic identity (shown below).
# No firm-level list is used here.

# %% tags=["parameters"]
SEED = 0  # nothing here is random; kept for the house convention

# %%
import pandas as pd
from IPython.display import Markdown, display

from lgresearch import official
from lgresearch.plotting import bar_chart, new_figure, finish
from lgresearch.report import DataSource, claim, data_banner, decide, decide_all, verdict_table

pd.set_option("display.max_colwidth", 90)
data_banner([DataSource("official program facts", "facts",
                        "lgresearch/data/official/facts.csv, with a source per row")])

# %% [markdown]
# ## The batches
# One row per national batch with the chosen values. Dates known only to the month carry `month` precision.

# %%
batches = official.batches()
batches[["batch", "cohort_year", "launch_notice", "publicity_start", "publicity_end", "announcement_date",
         "count_publicity", "count_final", "review_year", "review_passed"]]

# %% [markdown]
# ## Counts at publicity and in the final lists
# Publicity (公示) counts come mostly from one think-tank source (中制智库) that lists them for every batch; final
# counts are the ones the official totals are built from.

# %%
fig = bar_chart(
    batches.assign(label=batches["batch"].astype(str) + "\n(" + batches["cohort_year"].astype(str) + ")"),
    x="label", y=["count_publicity", "count_final"],
    labels={"count_publicity": "at publicity", "count_final": "final / used in official totals"},
    title="Little Giant firms per national batch", xlabel="Batch (cohort year)", ylabel="Firms (count)",
    annotate=True,
)

# %% [markdown]
# ## How conflicting counts were reconciled
# Every candidate value stays in the data; one is chosen, with the reason.

# %%
facts = official.facts()
conflicts = facts[facts.duplicated(["topic", "batch", "metric", "as_of"], keep=False)]
conflicts[["batch", "metric", "value", "chosen", "reason"]].sort_values(["batch", "metric", "chosen"],
                                                                          ascending=[True, True, False])

# %% [markdown]
# The identities, recomputed from the chosen values and compared with the published totals:

# %%
identities = official.identity_checks()
identities

# %% [markdown]
# ## Cumulative counts, with and without review attrition
# `gross` adds every batch's final count. `net` replaces a batch by the firms that kept the title at its 3-year
# review once that review has been held (batch 1 in 2022, batch 2 in 2023, batch 3 in 2024, batch 4 with the batch-1
# survivors in 2025).

# %%
cumulative = official.cumulative_counts()
crossing = official.target_crossing()
target = official.fact_value("target_by_2025")
plan_600 = official.fact_value("planned_2018_2020")
display(cumulative)
display(crossing)

# %%
fig, ax = new_figure()
ax.plot(cumulative["cohort_year"], cumulative["cumulative_gross"], marker="o", label="gross (every final list)")
ax.plot(cumulative["cohort_year"], cumulative["cumulative_net"], marker="s", label="net of review attrition")
ax.axhline(target, color="#c0392b", ls="--", lw=1, label=f"target: {target:,} by 2025")
ax.axhline(plan_600, color="#7f8c8d", ls=":", lw=1, label=f"2018 plan: ~{plan_600:,} for 2018-2020")
totals = official.published_totals()
ax.scatter(totals["decimal_year"], totals["value"], color="black", zorder=5, s=18,
           label="published totals (at their date)")
ax.set_xticks(cumulative["cohort_year"])
fig = finish(fig, ax, title="Cumulative national Little Giants",
             xlabel="Cohort year of the batch (batch 1 = 2019) / date of a published total",
             ylabel="Firms designated (count)", data=cumulative, legend=True)

# %% [markdown]
# ## Results

# %%
b = batches.set_index("batch")
after3 = int(b.loc[[1, 2, 3], "count_final"].sum())
alt_b2 = [int(v) for v in facts.query("metric == 'count_final' and batch == 2")["value"]]
by_2020 = int(b.loc[[1, 2], "count_final"].sum())
cross = crossing.set_index("rule")
key_lg = official.fact_value("key_little_giants_2021_2025")
budget = official.fact_value("central_budget_2021_2025")
display(Markdown(f"""
* After batch 3 the final lists add up to **{after3:,}** firms (248 + 1,584 + 2,930), the number MIIT and the press
  used from late 2021 to early 2022. With the other batch-2 counts found in secondary sources it would be
  {248 + max(alt_b2) + 2930:,} or {248 + sorted(alt_b2)[1] + 2930:,}.
* The 2018 plan aimed at about {plan_600:,} firms for 2018–2020; batches 1–2 (2019–2020) alone designated
  **{by_2020:,}**, about {by_2020 / plan_600:.1f}× the plan.
* The 10,000 target was crossed with batch {cross.loc['gross', 'batch']} ({cross.loc['gross', 'cohort_year']}):
  {cross.loc['gross', 'cumulative']:,} gross, {cross.loc['net', 'cumulative']:,} net of reviews, two years early.
* The fiscal scheme names more than {key_lg:,} "key" Little Giants and more than {budget:g} billion yuan of central
  funds for 2021–2025 (a policy document: disbursement is not observed in our data).
"""))

# %% [markdown]
# ## Verdicts
# The counts are official facts as reposted by secondary sources (each fact's URL is in `facts.csv`). The only
# uncertainty is which published count is right; the interval column gives the range of candidate values.

# %%
prov = "official facts (lgresearch/data/official/facts.csv; secondary reposts of MIIT notices)"
OBJ = "official program counts and targets"  # the claims and the facts are about the same thing


def exact(value: float, claimed: tuple[float, float]):
    """Verdict on an official count or target: an exact number (no sampling error) against the claimed range."""
    return decide(value, (value, value), claim_object=OBJ, test_object=OBJ, claimed=claimed)


# %%
verdict_table([
    claim("MIIT has nominated 4,762 smallholders since 2019", exact(after3, (4762, 4762)), estimate=after3,
          interval=(248 + min(alt_b2) + 2930, 248 + max(alt_b2) + 2930), n=3, provenance=prov,
          method="sum of the official final-list counts of batches 1-3 (facts.csv); exact count, no sampling; "
                 "the interval shows the conflicting batch-2 counts of secondary sources, not a sampling interval",
          note="batches 1-3 final counts 248 + 1,584 + 2,930; the interval spans the conflicting batch-2 counts."),
    claim("plans to create around 600 smaller giants", exact(plan_600, (540, 660)), estimate=plan_600, n=1,
          provenance=prov,
          method="the number in the 2018 plan (facts.csv); 'around 600' read as 540-660 (within 10%)",
          note=f"the 2018 plan (2018-2020) said ~600; batches 1-2 then designated {by_2020:,}."),
    claim("the goal is to create 10,000 small giants by 2025", exact(target, (10_000, 10_000)), estimate=target,
          interval=(int(cross.loc['net', 'cumulative']), int(cross.loc['gross', 'cumulative'])), n=7,
          provenance=prov,
          method="the target stated in the official plans (facts.csv); exact; the interval shows the net and gross "
                 "cumulative counts when the target was crossed, not a sampling interval",
          note=f"target confirmed; crossed with batch {cross.loc['gross', 'batch']} in "
               f"{cross.loc['gross', 'cohort_year']} (interval: net and gross cumulative count then)."),
    claim("about 1,000 priority small giants ... at least 10 billion yuan",
          decide_all([exact(key_lg, (900, 1100)), exact(budget, (10, float("inf")))]),
          estimate=f">{key_lg:,} firms; >{budget:g} bn yuan", n=1, provenance=prov,
          method="numbers stated in the 2021 MoF/MIIT circular (facts.csv); 'about 1,000' read as 900-1,100 firms "
                 "and 'at least 10 billion' as >= 10 bn yuan; both parts must hold",
          note="stated in the 2021 MoF/MIIT circular; actual disbursement not observed."),
], "01_program_scale")
