"""Official facts: the chosen counts, the identities behind them, and validation errors naming file/row/column."""

import shutil

import pandas as pd
import pytest

from lgresearch import official, paths
from lgresearch.ledger import InputError


def test_batches_has_the_chosen_final_counts():
    b = official.batches()
    assert len(b) == 7
    assert b["count_final"].tolist() == [248, 1584, 2930, 4357, 3671, 3012, 3482]
    assert b["cohort_year"].tolist() == list(range(2019, 2026))
    for col in ["batch", "cohort_year", "publicity_start", "publicity_end", "announcement_date", "count_publicity",
                "count_final", "review_year", "review_passed"]:
        assert col in b.columns
    assert pd.api.types.is_datetime64_any_dtype(b["publicity_start"])


def test_identities_behind_the_choices():
    b = official.batches().set_index("batch")
    assert b.loc[1, "count_final"] + b.loc[2, "count_final"] + b.loc[3, "count_final"] == 4762
    assert round(3916 / (b.loc[4, "count_final"] + b.loc[1, "review_passed"]), 4) == 0.8704
    assert round(3916 / (4359 + 142), 4) != 0.8704  # the rejected candidate fails the identity
    assert (b.loc[2, "review_passed"] + b.loc[3, "review_passed"] + 3916
            + b.loc[[5, 6, 7], "count_final"].sum()) == 17589
    checks = official.identity_checks()
    assert checks["holds"].all(), checks


def test_every_conflict_has_exactly_one_chosen_and_reasons():
    f = official.facts()
    key = ["topic", "batch", "metric", "as_of"]
    g = f.assign(batch=f["batch"].astype("string").fillna(""), as_of=f["as_of"].fillna("")).groupby(key)["chosen"]
    assert (g.sum() == 1).all()
    assert f.loc[~f["chosen"], "reason"].notna().all()
    assert f["source_url"].str.len().gt(0).all()
    batch2 = f.query("metric == 'count_final' and batch == 2")
    assert set(batch2["value"]) == {"1584", "1744", "1748"}


def test_key_dates():
    b = official.batches().set_index("batch")
    assert b.loc[3, "publicity_start"] == pd.Timestamp("2021-07-19")
    assert b.loc[5, "publicity_end"] == pd.Timestamp("2023-07-20")
    assert b.loc[1, "announcement_date"] == pd.Timestamp("2019-06-13")
    assert b.loc[6, "publicity_start_precision"] == "month"


def test_cumulative_and_target():
    c = official.cumulative_counts().set_index("batch")
    assert c.loc[3, "cumulative_gross"] == 4762
    assert c.loc[7, "cumulative_net"] == 17589
    assert (c["cumulative_net"] <= c["cumulative_gross"]).all()
    t = official.target_crossing().set_index("rule")
    assert t.loc["gross", "cohort_year"] == 2023


def test_vc_aggregates_and_growth():
    v = official.vc_aggregates()
    assert v["source_url"].str.len().gt(0).all()
    g = official.vc_growth()
    pre = g[(g["vendor"] == "Preqin") & g["basis"].str.startswith("computed")]
    assert abs(pre["growth"].item() - (130.6 / 86.7 - 1)) < 1e-12
    # never across vendors: every computed row compares one vendor and one source
    assert (g.loc[g["basis"].str.startswith("computed"), "vendor"].isin(v["vendor"])).all()


def test_province_and_industry_facts():
    p = official.province_counts()
    assert p.query("batch == 4 and province == '浙江'")["count"].item() == 603
    s = official.industry_shares()
    assert s["share"].between(0, 1).all()


def _copy_official(tmp_path):
    target = tmp_path / "official"
    shutil.copytree(paths.official_dir(), target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_source_names_file_row_column(tmp_path):
    d = _copy_official(tmp_path)
    _edit(d / "facts.csv", "http://kjzch.com/cn/gongxin/2019-06-13/138381.html", "")
    with pytest.raises(InputError, match=r"facts\.csv, row \d+, column 'source_url'"):
        official.facts(d)


def test_bad_date_names_file_row_column(tmp_path):
    d = _copy_official(tmp_path)
    _edit(d / "facts.csv", "2021-07-19,date", "2021-13-45,date")
    with pytest.raises(InputError, match=r"facts\.csv, row \d+, column 'value'"):
        official.facts(d)


def test_non_numeric_count_names_file_row_column(tmp_path):
    d = _copy_official(tmp_path)
    _edit(d / "province_counts.csv", ",795,", ",seven hundred,")
    with pytest.raises(InputError, match=r"province_counts\.csv, row \d+, column 'count'"):
        official.province_counts(d)


def test_two_chosen_values_is_an_error(tmp_path):
    d = _copy_official(tmp_path)
    _edit(d / "facts.csv", "1744,count,,,false", "1744,count,,,true")
    with pytest.raises(InputError, match="exactly one"):
        official.facts(d)
