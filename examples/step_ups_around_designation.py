"""A new analysis: valuation step-ups of firms whose rounds straddle their designation, against the others.

Runs on the invented sample files of ``lgresearch.datasets``. Writes ``step_up_comparison.csv``.
"""

from lgresearch import datasets, deals, designations, link

panel = designations.build_panel([datasets.path("designation_list")], write=False)
columns = {"firm_name": "被投企业", "province": "省份", "date": "披露日期", "round": "融资轮次",
           "amount": "融资金额(万元)", "post_money": "投后估值(万元)", "investor": "投资机构"}
deal_events = deals.read_deals(datasets.path("deal_export"), columns, amount_unit="万", valuation_unit="万",
                               default_currency="CNY", investor_sep="、", source="wind")
deal_events = link.attach_designations(deal_events, panel)
assert {"designation_date", "designation_precision", "batch", "match_method", "match_score"} <= set(deal_events)

steps = deals.step_ups(deal_events)
steps["straddles"] = steps["relative_to_designation"].eq("straddles").fillna(False).astype(bool)
print(steps[["firm_name", "date_prev", "date", "step_up", "relative_to_designation"]].to_string())

comparison = deals.compare_step_up_rates(steps, "straddles", threshold=1.5, n_boot=200, seed=1, level=0.9)
table = comparison.tidy()
print(table.to_string())
table.to_csv("step_up_comparison.csv", index=False)
