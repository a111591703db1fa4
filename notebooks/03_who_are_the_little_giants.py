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
# # 03 · Who are the Little Giants?
#
# **Claims tested**
#
# 1. The 4,762 Little Giants are "many of them in the **semiconductor, machinery and pharmaceutical**
#    industries" (Bloomberg, 2022-02-28).
# 2. For the first batch, "each province could nominate **no more than a dozen** … Beijing, Shenzhen and Shanghai
#    had a combined quota of **only 17**" (press account of the 2019 selection).
#
# **Data.** No complete firm list of any batch is public (see the data README). This notebook therefore
# (a) shows the designation-list workflow end to end on what exists: the 104 real firm names transcribed from
# official publicity fragments, plus any list files a user has put in `data/raw/designations/`; (b) measures how
# much of each batch that covers, against the official counts; (c) describes the firms with what *is* published:
# per-province counts for batches 3–7 and industry shares (MIIT's own count vs registered industry); and (d)
# tests the industry claim on the ~1,000 listed firms that vendor tags (Eastmoney and Tonghuashun) mark as Little
# Giants, against the other listed firms (A-shares), with Shenwan industries.

# %% tags=["parameters"]
SEED = 0  # nothing here is random; kept for the house convention
LEVEL = 0.95  # 95% intervals
COMPLETE_SHARE = 0.9  # coverage of a batch above which per-issuer counts are treated as complete

# %%
import pandas as pd
from IPython.display import Markdown, display

from lgresearch import designations as D
from lgresearch import official, sources
from lgresearch.analyses import composition
from lgresearch.ledger import InputError
from lgresearch.plotting import PALETTE, bar_chart, finish, new_figure
from lgresearch.provenance import mark_real
from lgresearch.report import DataSource, claim, data_banner, decide, decide_all, verdict_table

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 160)

# %%
has_fragments = sources.available("fragments")
user_files = D.user_list_files()
has_listed = sources.available("listed_tags") and sources.available("shenwan")

data_banner([
    DataSource("official program facts (batch counts, province counts, industry shares)", "facts",
               "lgresearch/data/official/"),
    DataSource("real firm-name fragments (104 firms, batches 1-5)", "real" if has_fragments else "missing",
               "/".join(sources.parts("fragments")) if has_fragments else "third-party directory not found"),
    DataSource("designation lists supplied by the user", "real" if user_files else "missing",
               f"{len(user_files)} file(s) in data/raw/designations/" if user_files
               else "none in data/raw/designations/"),
    DataSource("listed Little Giants (vendor tags) and Shenwan industries", "real" if has_listed else "missing",
               "listed-little-giants/, Shenwan SW2021 history" if has_listed else "third-party directory not found"),
])

# %% [markdown]
# ## 1. How a user adds the official lists
#
# Put the files as published (MIIT attachments for batches 1–3; provincial and separately-planned-city
# publicity, final and review lists for batches 4–7; xlsx, xls, csv, html, pdf or docx; any layout) into
# `data/raw/designations/`, optionally with an `aliases.csv` (`old_name,new_name`) for renamed firms, then run
#
# ```
# lgresearch designations build data/raw/designations      # panel + ledger + check, printed and written
# lgresearch processed                                     # or: rebuild everything in data/processed/
# ```
#
# Batch, list type (publicity / final / review pass) and issuing province are read from each file's title,
# section headings, columns or file name; pass them explicitly to `lgresearch.designations.read_list` when a
# file says nothing. Every row of every file ends in the ledger as kept, merged (a name wrapped onto the next line,
# a duplicate firm) or dropped with a reason (title line, header, group row, footnote, unknown province …).
#
# Here the workflow runs on the real fragments (and on the user's files, if any).

# %%
parts = []
if has_fragments:
    fragments, led = D.read_list(sources.path("fragments"), return_ledger=True)
    parts.append(sources.path("fragments"))
    print("fragments:", fragments.attrs["ledger_summary"])
    display(fragments[["source_row", "name", "province", "city", "issuer", "batch", "list_type"]].head(8))
else:
    print("The real fragments are not available (LGRESEARCH_EXTERNAL_DIR unset or file missing): "
          "this part is skipped.")
parts.extend(user_files)

# %% [markdown]
# ### The panel: one row per firm and designation event
# `firm_id` is the unified social credit code when a list gives one, else the normalized name. Dates come from
# the official batch facts (the publicity start for publicity lists, the announcement for final lists) unless the
# list carries its own date. `review_outcome` is `passed` for firms on a review pass list of their batch,
# `not on the pass list` when the pass list of their issuer was read and they are not on it.

# %%
EMPTY_LIST = pd.DataFrame(columns=["name", "batch", "list_type"])
try:
    panel, panel_ledger = D.build_panel(parts or [EMPTY_LIST], return_ledger=True, write=False)
except InputError as exc:  # a user's file that cannot be read: say which, keep going with the fragments
    print(f"could not build the panel from all files: {exc}")
    panel, panel_ledger = D.build_panel([sources.path("fragments")] if has_fragments else [EMPTY_LIST],
                                        return_ledger=True, write=False)
print("panel:", panel_ledger.summary(), "|", len(panel), "firm-events,", panel["firm_id"].nunique(), "firms")
display(panel[["firm_id", "core", "batch", "cohort_year", "list_type", "event_date", "province", "city", "issuer",
               "review_outcome"]].head(10))
display(panel.groupby(["batch", "list_type", "review_outcome"]).size().rename("firm-events").reset_index())

# %% [markdown]
# The ledger reconciles every input row (the same file is written beside the panel by the CLI):

# %%
display(panel_ledger.counts())

# %% [markdown]
# ## 2. Coverage against the official counts
# `check_against_official` compares the rows read with the published count of each batch and list type, and,
# where a province (or separately planned city) count is published, with that count.

# %%
check = D.check_against_official(panel, complete_share=COMPLETE_SHARE)
batch_check = check[check["level"] == "batch"].copy()
display(batch_check[batch_check["found"] > 0])
display(check[(check["level"] != "batch")].head(20))

# %%
cov = D.held_by_batch(panel, lists="firm lists held" + (" (real fragments)" if has_fragments else ""))
fig = bar_chart(cov, x="batch", y=["count_final", "held"],
                labels={"count_final": "official final count", "held": "firms in the lists we hold"},
                title="Designated firms per batch: official count vs firms we can name",
                xlabel="Batch", ylabel="Firms (count, log scale)", annotate=True)
fig.axes[0].set_yscale("log")
fig.axes[0].legend(loc="upper left")
total_held, total_official = int(cov["held"].sum()), int(cov["count_final"].sum())
display(Markdown(f"We can name **{panel['firm_id'].nunique():,}** designated firms, "
                 f"{panel['firm_id'].nunique() / total_official:.2%} of the {total_official:,} firms of batches "
                 f"1–7. No batch is covered well enough to count firms by province or industry from the lists "
                 f"themselves; the rest of this notebook uses published counts and listed firms."
                 if cov["share_held"].max() < COMPLETE_SHARE else
                 f"Batches with at least {COMPLETE_SHARE:.0%} coverage: "
                 f"{cov.loc[cov['share_held'] >= COMPLETE_SHARE, 'batch'].tolist()}."))

# %% [markdown]
# ## 3. Where they are: published province counts
# Counts by province were published for batches 3–7 only, and only for the top provinces (secondary sources;
# see `lgresearch/data/official/province_counts.csv`). Shares are of the batch's count for the same list
# (publicity or final). Separately planned cities (Ningbo, Shenzhen, Qingdao) issue their own lists; whether a
# province's count includes them is not stated by the sources.

# %%
shares = D.published_province_shares()
display(shares[["batch", "scope", "unit", "province_en", "count", "batch_total", "share"]])

# %%
top = shares[(shares["unit"] == "province") & shares["province_en"].isin(["Jiangsu", "Guangdong", "Zhejiang"])]
wide = top.pivot_table(index="batch", columns="province_en", values="share").reset_index()
wide = mark_real(wide, "published province counts (lgresearch/data/official/province_counts.csv) / "
                       "official batch counts")
fig, ax = new_figure()
for i, prov in enumerate(["Jiangsu", "Guangdong", "Zhejiang"]):
    if prov in wide:
        ax.plot(wide["batch"], 100 * wide[prov], marker="o", color=PALETTE[i], label=prov)
ax.set_xticks(wide["batch"])
fig = finish(fig, ax, title="Share of each batch's publicity list: the three largest provinces",
             xlabel="Batch", ylabel="Share of the batch (%)", data=wide, legend=True)

# %%
b4 = shares[(shares["batch"] == 4) & (shares["unit"] == "province")]
b5 = shares[(shares["batch"] == 5) & (shares["unit"] == "province")]
b3 = shares[(shares["batch"] == 3) & (shares["unit"] == "region")].set_index("province_en")
display(Markdown(
    f"* Batch 3 by region: East {b3.loc['East', 'share']:.0%}, Central {b3.loc['Central', 'share']:.0%}, "
    f"West {b3.loc['West', 'share']:.0%} of {int(b3['batch_total'].iloc[0]):,}.\n"
    f"* Batch 4: the five provinces published (ZJ, GD, JS, SD, BJ) hold {b4['share'].sum():.0%} of the publicity "
    f"list; Zhejiang alone {b4.set_index('province_en').loc['Zhejiang', 'share']:.1%}.\n"
    f"* Batch 5: Jiangsu {b5.set_index('province_en').loc['Jiangsu', 'share']:.1%}, Guangdong "
    f"{b5.set_index('province_en').loc['Guangdong', 'share']:.1%} (the source says 17.9%, of 3,671 final).\n"
    f"* Jiangsu leads batches 5–7 and the cumulative count (2,935 of 17,550 by 2025-10-31)."))

# %% [markdown]
# ### The batch-1 quota claim
# Testing "no more than a dozen per province" and "Beijing, Shenzhen and Shanghai … only 17" needs the count of
# batch-1 firms by issuer. No source publishes it and we hold 3 of the 248 names (plus 4 Ningbo firms from the
# batch-1 review), so the claim is testable only when a user supplies the batch-1 list (MIIT 工信部企业函〔2019〕153号
# attachment). The code below runs the test as soon as such a list is in the panel.

# %%
b1 = check[(check["level"] == "batch") & (check["batch"] == 1) & (check["list_type"] == "final")].iloc[0]
issuers_b1 = D.issuer_counts(panel, batch=1, list_type="final")
n_issuers = 31 + 1 + 5  # provinces, XPCC, separately planned cities
quota_testable = bool(pd.notna(b1["coverage"]) and b1["coverage"] >= COMPLETE_SHARE)
if quota_testable:
    max_issuer = int(issuers_b1["firms"].max())
    big3 = int(issuers_b1.loc[issuers_b1["issuer"].isin(["北京", "深圳", "上海"]), "firms"].sum())
    display(issuers_b1)
    print(f"largest issuer: {max_issuer}; Beijing + Shenzhen + Shanghai: {big3}")
else:
    max_issuer = big3 = None
    print(f"batch-1 final list: {int(b1['found'])} of {int(b1['official'])} firms held "
          f"({b1['coverage']:.1%}); per-issuer counts cannot be computed. For scale: 248 firms over "
          f"{n_issuers} issuers is {248 / n_issuers:.1f} per issuer on average, so a cap of 12 was arithmetically "
          f"possible; that is all the published totals say.")

# %% [markdown]
# ## 4. What they make
# ### Published industry shares
# Two bases disagree: MIIT's own classification puts about 90% of Little Giants in manufacturing (batches 3 and
# 7), business registrations about 65% (batch 4, Tianyancha). No source gives a share for semiconductors or
# pharmaceuticals.

# %%
ind = official.industry_shares()
display(ind[["batch", "scope", "basis", "industry", "share", "source_note"]])

# %% [markdown]
# ### Listed Little Giants vs other listed firms (Shenwan industries)
# The vendor tags are not MIIT lists: the *high-confidence* set is the firms tagged by both the latest Eastmoney
# and the latest Tonghuashun snapshot. Listed firms are a selected ~6% of all Little Giants (bigger, older, more
# often in capital-intensive industries), so this compares listed Little Giants with other listed firms; it does
# not describe all 17,000. The ratio is the share of an industry among listed Little Giants divided by its share
# among the other listed firms, with a 95% (Katz log) interval. Semiconductors are the Shenwan level-2 industry
# 半导体 inside Electronics.
#
# **One denominator for every row.** Both groups are the stocks of the universe that have a Shenwan level-1
# industry: stocks without a Shenwan code (mostly recent listings) are left out of the Little Giants and of the
# other listed firms alike, in every row (level-1 industries, semiconductors, the three named industries together,
# manufacturing). How many are left out is printed below.

# %%
if has_listed:
    comparison = composition.listed_industry_comparison(level=LEVEL)
    table, n_lg, n_rest = comparison.frame, comparison.n_members, comparison.n_others
    print(comparison.coverage_text())
    display(table.round(3).head(16))
else:
    comparison = table = None
    print("Vendor tags or Shenwan industries not available: the listed-firm comparison is skipped.")

# %%
THREE, BOTH3 = composition.NAMED_INDUSTRIES, composition.THREE_NAMED
if table is not None:
    fig = composition.plot_over_representation(table, highlight=[*THREE, "Electronics"])

# %%
if table is not None:
    rows = table.set_index("category")
    both3 = rows.loc[BOTH3]
    shares_named = comparison.named_shares()
    share_three, share_three_rest, manu_share = (tuple(shares_named.loc[k]) for k in (
        "three_named_members", "three_named_others", "manufacturing_members"))
    OBJECT = "industries of listed Little Giants relative to other listed firms"
    decision_of = {c: decide(float(rows.loc[c, "ratio"]),
                             (float(rows.loc[c, "ci_low"]), float(rows.loc[c, "ci_high"])),
                             claim_object=OBJECT, test_object=OBJECT, null=1.0, alternative="greater")
                   for c in [*THREE, BOTH3]}
    display(Markdown("\n".join([
        f"* The three named industries hold **{share_three[0]:.1%}** of listed Little Giants "
        f"(95% CI {share_three[1]:.1%}–{share_three[2]:.1%}) vs {share_three_rest[0]:.1%} of other listed firms: "
        f"ratio **{both3['ratio']:.2f}** [{both3['ci_low']:.2f}, {both3['ci_high']:.2f}].",
        *[f"* {c}: {int(rows.loc[c, 'n_members'])} firms, {rows.loc[c, 'share_members']:.1%} vs "
          f"{rows.loc[c, 'share_others']:.1%}; ratio **{rows.loc[c, 'ratio']:.2f}** "
          f"[{rows.loc[c, 'ci_low']:.2f}, {rows.loc[c, 'ci_high']:.2f}] → {decision_of[c].verdict}" for c in THREE],
        f"* Manufacturing-type Shenwan industries (a lower bound): {manu_share[0]:.1%} of listed Little Giants "
        f"[{manu_share[1]:.1%}, {manu_share[2]:.1%}], between the 65% (registered industry) and 90% (MIIT) "
        f"published for all Little Giants.",
    ])))

# %% [markdown]
# ## Verdict

# %%
if table is not None:
    pharma = rows.loc["Pharma & Biotech"]
    industry_text = (
        f"**Industries.** Among the {n_lg:,} listed Little Giants, machinery (ratio "
        f"{rows.loc['Machinery', 'ratio']:.1f}) and semiconductors "
        f"({rows.loc[composition.SEMICONDUCTORS, 'ratio']:.1f}) "
        f"are strongly over-represented relative to other listed firms, and with pharmaceuticals the three hold "
        f"{share_three[0]:.0%} of them (vs {share_three_rest[0]:.0%} of other listed firms): \"many of them\" is "
        f"borne out for the firms we can observe. Pharmaceuticals are the weak part: {int(pharma['n_members'])} firms, "
        f"but no more common than among other listed firms (ratio {pharma['ratio']:.2f} "
        f"[{pharma['ci_low']:.2f}, {pharma['ci_high']:.2f}]). The published shares (90% manufacturing by MIIT's "
        f"count, 65% by registration) agree that most Little Giants are manufacturers but do not isolate the three "
        f"industries. All of this rests on listed firms and vendor tags, not on the MIIT lists.")
else:
    industry_text = ("**Industries.** Not testable here: the listed-firm data are missing, and the published "
                     "shares (65%–90% manufacturing) do not isolate semiconductors, machinery or pharmaceuticals.")
quota_text = ("**Batch-1 quotas.** Tested on the user's batch-1 list (see above)." if quota_testable else
              f"**Batch-1 quotas.** Not testable: no per-province count of batch 1 was published and we hold "
              f"{int(b1['found'])} of its 248 names. The panel and check above answer it once the batch-1 list "
              f"is supplied.")
display(Markdown(f"* {industry_text}\n* {quota_text}"))

# %%
prov_listed = ("real: vendor Little Giant tags (Eastmoney 2025-07 and THS 2026-06, high-confidence set) and "
               "Shenwan SW2021 industries; official industry shares (lgresearch/data/official)")
ratio_method = ("over-representation ratio: share of a Shenwan industry among high-confidence listed Little "
                "Giants / its share among the other listed firms; stocks without a Shenwan level-1 code left "
                "out of both groups; 95% Katz log interval; claim read as ratio > 1")
rows_out = []
if table is not None:
    rows_out.append(claim(
        "many of them in the semiconductor, machinery and pharmaceutical industries",
        decision_of[BOTH3],
        estimate=round(float(both3["ratio"]), 3), interval=(round(float(both3["ci_low"]), 3),
                                                            round(float(both3["ci_high"]), 3)), n=n_lg,
        method=f"{ratio_method}; the three industries pooled (Machinery, Pharma & Biotech, semiconductors SW L2); "
               f"n = listed Little Giants with a Shenwan code",
        provenance=prov_listed, notebook="03_who_are_the_little_giants",
        note=f"{share_three[0]:.1%} of listed LGs are in the three industries vs {share_three_rest[0]:.1%} of other "
             f"listed firms; listed firms only (~6% of LGs); pharma alone is not over-represented."))
    for c, label in zip(THREE, ["machinery", "semiconductor", "pharmaceutical"], strict=True):
        r = rows.loc[c]
        rows_out.append(claim(
            f"many of them in the {label} industry (over-represented vs other listed firms)", decision_of[c],
            estimate=round(float(r["ratio"]), 3), interval=(round(float(r["ci_low"]), 3),
                                                            round(float(r["ci_high"]), 3)),
            n=int(r["n_members"]), method=f"{ratio_method}; Shenwan {c}; n = Little Giants in the industry",
            provenance=prov_listed, notebook="03_who_are_the_little_giants",
            note=f"{r['share_members']:.1%} of listed LGs vs {r['share_others']:.1%} of other listed firms."))

# %%
if table is None:  # the industry claim without listed-firm data
    manu_pub = ind[(ind["industry"] == "manufacturing") & ind["batch"].notna()]
    rows_out.append(claim(
        "many of them in the semiconductor, machinery and pharmaceutical industries",
        "not testable with available data", estimate=None,
        interval=(float(manu_pub["share"].min()), float(manu_pub["share"].max())), n=len(manu_pub),
        provenance="official facts (industry shares); listed-firm data missing",
        notebook="03_who_are_the_little_giants",
        note="published shares give manufacturing 65%-90% but do not isolate the three industries"))

# %%
if quota_testable:
    quota_object = "batch-1 designations by issuer"
    quota = decide_all([decide(max_issuer, (max_issuer, max_issuer), claim_object=quota_object,
                               test_object=quota_object, claimed=(0, 12)),
                        decide(big3, (big3, big3), claim_object=quota_object, test_object=quota_object,
                               claimed=(0, 17))])
    rows_out.append(claim(
        "each province could nominate no more than a dozen ... Beijing, Shenzhen and Shanghai had a combined "
        "quota of only 17", quota, estimate=big3, n=int(b1["found"]),
        method="count of batch-1 final-list firms by issuer in the user's list (exact counts; coverage >= "
               f"{COMPLETE_SHARE:.0%}); largest issuer <= 12 and Beijing + Shenzhen + Shanghai <= 17",
        provenance="real: user-supplied batch-1 list", notebook="03_who_are_the_little_giants",
        note=f"largest issuer {max_issuer}; BJ+SZ+SH {big3}"))
else:
    rows_out.append(claim(
        "each province could nominate no more than a dozen ... Beijing, Shenzhen and Shanghai had a combined "
        "quota of only 17", "not testable with available data", estimate=round(248 / n_issuers, 2),
        n=int(b1["found"]),
        provenance="official facts (batch-1 count 248); real fragments hold 3 batch-1 names"
        if has_fragments else "official facts (batch-1 count 248)",
        notebook="03_who_are_the_little_giants",
        note="needs batch-1 counts by province (none published) or the batch-1 list; estimate = average firms "
             "per issuer (248 over 37 issuers), consistent with a cap of 12 but not a test"))

# %%
verdict = verdict_table(rows_out, "03_who_are_the_little_giants")
verdict
