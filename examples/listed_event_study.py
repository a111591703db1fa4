"""A new analysis: announcement returns of three listed firms, codes written the ways vendors write them.

Runs on the invented sample files of ``lgresearch.datasets`` (not data about China). Writes
``listed_event_study_cars.parquet`` and ``listed_event_study_cars.dta`` in the working folder.
"""

import pandas as pd

from lgresearch import datasets, events, export, prices

with datasets.as_external():  # point the readers at the sample files; drop this line on your own data
    returns = prices.load_returns_panel(codes=["000586.SZ", "sz300557", 600519], start="2023-11-01",
                                        end="2024-08-30")
    market = prices.market_returns(["csi300"])["csi300"]

announcements = pd.DataFrame({"code": ["000586.SZ", "sz300557", 600519],
                              "event_date": pd.to_datetime(["2024-07-15"] * 3)})
cars = events.abnormal_returns(returns, announcements, market=market, estimation_window=(-120, -20),
                               event_window=(-1, 1), min_estimation_obs=60)
assert sorted(cars["code"]) == ["000586", "300557", "600519"], cars["code"].tolist()

tests = cars.test(level=0.90)
print(tests[["test", "estimate", "ci_low", "ci_high"]].to_string())
print(cars.car_path().to_string())

table = cars.tidy()
table.to_parquet("listed_event_study_cars.parquet")
export.to_stata(table, "listed_event_study_cars.dta")
