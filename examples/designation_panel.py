"""A new analysis: a designation panel from a list file, with the program's official batch dates, for Stata.

Runs on the invented sample list of ``lgresearch.datasets``. Writes ``designation_panel.dta``.
"""

import pandas as pd

from lgresearch import datasets, designations, export, official
from lgresearch.clean import normalize_region, parse_batch

panel, ledger = designations.build_panel([datasets.path("designation_list")], write=False, return_ledger=True)
assert {"firm_id", "designation_date", "designation_precision", "batch", "list_type"} <= set(panel.columns)
print(ledger.counts().to_string())

# one parse_batch for a string and a Series; cleaners take a string or a Series alike
assert parse_batch("第五批") == 5
assert parse_batch(pd.Series(["第三批", "4", "第七批"])).tolist() == [3, 4, 7]
regions = normalize_region(pd.Series(["广东省", "浙江", "江苏省苏州市"]))
assert regions["province"].tolist() == ["广东", "浙江", "江苏"], regions

# official batch dates keep their precision (batch 4's publicity date is known to the month)
batches = official.batches()
print(batches[["batch", "publicity_start", "publicity_start_precision", "count_final"]].to_string())

export.to_stata(panel, "designation_panel.dta")
