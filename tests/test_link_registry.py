"""link_to_registry (Splink on DuckDB and Spark) and synthetic_registry.

Spark tests are marked ``spark`` (excluded from the default run; ``.ci/run`` runs them in their own step).
"""

from __future__ import annotations

import os
import shutil

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from lgresearch import link
from lgresearch.clean.names import core_name, normalize_company_name
from lgresearch.ledger import InputError
from lgresearch.registry_link import (
    LINK_COLUMNS,
    MATCH_METHODS,
    name_features,
    prepare_registry,
    synthetic_registry,
)

N_REG, N_FIRMS = 6_000, 120


def _scores(links: pd.DataFrame, truth: pd.DataFrame) -> tuple[float, float]:
    acc = set(zip(links.loc[links["match"], "firm_id"], links.loc[links["match"], "registry_id"], strict=True))
    true = set(zip(truth["firm_id"], truth["registry_id"], strict=True))
    hits = len(acc & true)
    return hits / max(len(acc), 1), hits / max(len(true), 1)


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    path = tmp_path_factory.mktemp("registry") / "reg"
    return synthetic_registry(N_REG, planted=N_FIRMS, seed=7, path=path, chunk_rows=2_500)


@pytest.fixture(scope="module")
def duck_links(sim):
    return link.link_to_registry(sim.firms, sim.registry)


# --------------------------------------------------------------------------------------------------------------
# synthetic_registry
# --------------------------------------------------------------------------------------------------------------


def test_synthetic_registry_written_in_chunks(sim):
    files = sorted(sim.registry.glob("*.parquet"))
    assert len(files) == 3  # 6,000 rows in files of at most 2,500
    reg = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    assert len(reg) == N_REG and reg["registry_id"].is_unique
    assert set(reg["provenance"]) == {"simulated"}
    assert set(sim.truth["registry_id"]) <= set(reg["registry_id"])
    assert len(sim.firms) == N_FIRMS and 0.8 * N_FIRMS <= len(sim.truth) <= N_FIRMS


def test_synthetic_variants_keep_the_core_and_decoys_change_the_industry(sim):
    reg = pd.concat([pd.read_parquet(f) for f in sorted(sim.registry.glob("*.parquet"))], ignore_index=True)
    pairs = sim.truth.merge(sim.firms[["firm_id", "name"]], on="firm_id").merge(
        reg[["registry_id", "name"]], on="registry_id", suffixes=("_list", "_reg"))
    # a variant is never spelled like the list name, but has the same core
    assert (pairs["name_list"] != pairs["name_reg"]).all()
    assert (core_name(pairs["name_list"]).to_numpy() == core_name(pairs["name_reg"]).to_numpy()).all()
    joined = "".join(pairs["name_reg"])
    for marker in ("集团", "（", "有限责任公司"):
        assert marker in joined
    assert (normalize_company_name(pairs["name_reg"]) != pairs["name_reg"]).any()  # Traditional characters
    # decoys: registry rows with a planted core that are not the planted row
    cores = set(core_name(sim.firms["name"]))
    reg_core = core_name(reg["name"])
    decoys = reg[reg_core.isin(cores).to_numpy() & ~reg["registry_id"].isin(sim.truth["registry_id"]).to_numpy()]
    assert len(decoys) >= N_FIRMS  # two decoys per list firm
    stems = decoys["name"].map(link.name_stem)
    firm_stems = set(sim.firms["name"].map(link.name_stem))
    assert not stems.isin(firm_stems).any()  # same core, other industry words


def test_synthetic_registry_in_memory_is_reproducible():
    a = synthetic_registry(800, planted=30, seed=3)
    b = synthetic_registry(800, planted=30, seed=3)
    pd.testing.assert_frame_equal(a.registry, b.registry)
    assert len(a.registry) == 800
    with pytest.raises(ValueError, match="raise n"):
        synthetic_registry(50, planted=30)


# --------------------------------------------------------------------------------------------------------------
# link_to_registry on DuckDB
# --------------------------------------------------------------------------------------------------------------


def test_duckdb_precision_and_recall_on_planted_links(sim, duck_links):
    precision, recall = _scores(duck_links, sim.truth)
    assert precision >= 0.98 and recall >= 0.95


def test_result_shape_methods_and_levels(duck_links):
    assert duck_links.columns.tolist() == LINK_COLUMNS
    assert set(duck_links["match_method"]) <= set(MATCH_METHODS)
    assert duck_links["match_probability"].between(0, 1).all()
    accepted = duck_links[duck_links["match"]]
    assert accepted["firm_id"].is_unique  # at most one accepted link per list firm
    assert (accepted.loc[accepted["match_method"] == "probabilistic", "match_probability"] >= 0.9).all()
    exact = accepted[accepted["match_method"] == "exact_name"]
    assert len(exact) > 0
    assert (normalize_company_name(exact["firm_name"]).to_numpy()
            == normalize_company_name(exact["registry_name"]).to_numpy()).all()
    assert set(accepted["name_level"]) <= {"exact_name", "exact_stem", "exact_core", "similar_core"}
    assert (duck_links["uscc_level"] == "not compared").all()


def test_decoys_are_scored_and_rejected_on_industry(sim):
    links = link.link_to_registry(sim.firms, sim.registry, candidate_threshold=0.0)
    decoys = links[~links.set_index(["firm_id", "registry_id"]).index.isin(
        sim.truth.set_index(["firm_id", "registry_id"]).index)]
    assert len(decoys) >= N_FIRMS
    assert not decoys["match"].any()
    assert (decoys["industry_level"] == "different").mean() > 0.9
    assert (decoys["match_probability"] < 0.5).all()


def test_uscc_links_first_and_labels_training(sim, tmp_path):
    reg = pd.concat([pd.read_parquet(f) for f in sorted(sim.registry.glob("*.parquet"))], ignore_index=True)
    rng = np.random.default_rng(0)
    reg["uscc"] = [f"91{rng.integers(10**5, 10**6)}{i:010d}" for i in range(len(reg))]
    reg.to_parquet(tmp_path / "reg.parquet")
    firms = sim.firms.copy()
    target = sim.truth.iloc[0]
    row = firms.index[firms["firm_id"] == target["firm_id"]][0]
    firms["uscc"] = None
    firms.loc[row, "uscc"] = reg.loc[reg["registry_id"] == target["registry_id"], "uscc"].iloc[0]
    firms.loc[row, "name"] = "完全不同名称商贸有限公司"  # renamed firm: only the USCC links it
    links = link.link_to_registry(firms, tmp_path / "reg.parquet", uscc_col="uscc",
                                  labels=sim.truth.iloc[1:40][["firm_id", "registry_id"]])
    hit = links[(links["firm_id"] == target["firm_id"]) & links["match"]]
    assert hit[["registry_id", "match_method", "uscc_level"]].values.tolist() == [
        [target["registry_id"], "uscc", "equal"]]
    precision, recall = _scores(links, sim.truth)
    assert precision >= 0.98 and recall >= 0.95


def test_duckdb_relation_gives_the_same_links(sim, duck_links):
    con = duckdb.connect()
    rel = con.read_parquet(str(sim.registry / "*.parquet"))
    links = link.link_to_registry(sim.firms, rel)
    key = ["firm_id", "registry_id"]
    a = duck_links.loc[duck_links["match"], key].sort_values(key).reset_index(drop=True)
    b = links.loc[links["match"], key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_missing_blocking_column_is_an_error(sim, tmp_path):
    reg = pd.read_parquet(sorted(sim.registry.glob("*.parquet"))[0]).drop(columns="province")
    reg.to_parquet(tmp_path / "noprov.parquet")
    with pytest.raises(InputError, match="province") as err:
        link.link_to_registry(sim.firms, tmp_path / "noprov.parquet")
    assert "noprov.parquet" in str(err.value) and "province_col" in str(err.value)
    with pytest.raises(InputError, match="firms.*'nom'"):
        link.link_to_registry(sim.firms, sim.registry, name_col="nom")
    with pytest.raises(InputError, match="uscc"):
        link.link_to_registry(sim.firms, sim.registry, uscc_col="uscc")


def test_bad_inputs_are_errors(sim, tmp_path):
    with pytest.raises(ValueError, match="engine"):
        link.link_to_registry(sim.firms, sim.registry, engine="polars")
    with pytest.raises(TypeError, match="engine='spark'"):
        link.link_to_registry(sim.firms, [1, 2])
    with pytest.raises(InputError, match="does not exist"):
        link.link_to_registry(sim.firms, tmp_path / "nowhere.parquet")
    dup = sim.firms.copy()
    dup.loc[1, "firm_id"] = dup.loc[0, "firm_id"]
    with pytest.raises(InputError, match="row 0.*duplicated"):
        link.link_to_registry(dup, sim.registry)
    reg = pd.read_parquet(sorted(sim.registry.glob("*.parquet"))[0])
    reg = pd.concat([reg, reg.head(50)], ignore_index=True)
    reg.to_parquet(tmp_path / "dup.parquet")
    with pytest.raises(InputError, match="not unique"):
        link.link_to_registry(sim.firms, tmp_path / "dup.parquet")


# --------------------------------------------------------------------------------------------------------------
# Features: the package's cleaners, one streaming pass
# --------------------------------------------------------------------------------------------------------------


def test_name_features_use_the_package_cleaners():
    import pyarrow as pa

    names = ["浙江蓝特光學股份有限公司", "深圳市大疆创新科技有限公司", None, "蓝特光电（杭州）有限公司", "科技有限公司"]
    t = pa.table({"id": ["a", "b", "c", "d", "e"], "name": names,
                  "province": ["浙江", "广东省", None, "Zhejiang", "火星"],
                  "uscc": ["91330100MA2XXXXX1A", "bad", None, "91330100ma2xxxxx1a", None]})
    f = name_features(t, firm_col="id", name_col="name", province_col="province", uscc_col="uscc").to_pydict()
    assert f["norm"][:2] == [normalize_company_name(n) for n in names[:2]]
    assert f["core"][:4] == ["蓝特光学", "大疆创新", None, "蓝特"]
    assert f["industry"][:4] == [None, "科技", None, "光电"]
    assert f["province_code"][:4] == ["33", "44", None, "33"]
    assert f["province_code"][4] is None and f["core"][4] is None  # generic-only name: no core
    assert f["uscc"][:4] == ["91330100MA2XXXXX1A", None, None, "91330100MA2XXXXX1A"]
    assert all(0 <= k < 1_000_000 for k in f["sample_key"])


def test_prepare_registry_streams_in_batches_and_is_reused(sim, tmp_path):
    out = prepare_registry(sim.registry, tmp_path / "prep", batch_rows=700)
    meta = pq.ParquetFile(out).metadata
    assert meta.num_rows == N_REG and meta.num_row_groups >= N_REG // 700
    before = os.stat(out).st_mtime_ns
    assert prepare_registry(sim.registry, tmp_path / "prep", batch_rows=700) == out
    assert os.stat(out).st_mtime_ns == before  # unchanged registry: features reused
    copy = tmp_path / "copy"
    shutil.copytree(sim.registry, copy)
    prepare_registry(copy, tmp_path / "prep", batch_rows=700)
    assert os.stat(out).st_mtime_ns != before  # another registry: recomputed


# --------------------------------------------------------------------------------------------------------------
# Spark (local mode): same answers as DuckDB
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_session():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (`.ci/run` installs openjdk-17-jre-headless)")
    from lgresearch.link.registry.engines import _local_spark

    session = _local_spark()
    yield session
    session.stop()


@pytest.mark.spark
def test_spark_matches_duckdb_within_one_percent(sim, duck_links, spark_session):
    spark_links = link.link_to_registry(sim.firms, sim.registry, engine="spark", spark=spark_session)
    key = ["firm_id", "registry_id"]
    a = set(map(tuple, duck_links.loc[duck_links["match"], key].to_numpy()))
    b = set(map(tuple, spark_links.loc[spark_links["match"], key].to_numpy()))
    assert len(a ^ b) <= 0.01 * max(len(a), len(b))
    merged = duck_links.merge(spark_links, on=key, suffixes=("_duck", "_spark"))
    assert np.allclose(merged["match_probability_duck"], merged["match_probability_spark"], atol=0.05)
    precision, recall = _scores(spark_links, sim.truth)
    assert precision >= 0.98 and recall >= 0.95


@pytest.mark.spark
def test_spark_dataframe_registry_and_missing_column(sim, spark_session):
    sdf = spark_session.read.parquet(str(sim.registry))
    with pytest.raises(InputError, match="province"):
        link.link_to_registry(sim.firms, sdf.drop("province"), engine="spark")
    with pytest.raises(TypeError, match="Spark DataFrame"):
        link.link_to_registry(sim.firms, sdf, engine="duckdb")
