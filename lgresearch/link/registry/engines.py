"""Engines of :func:`lgresearch.link.link_to_registry`: features, candidate filter and Splink's database API.

Only registry rows sharing a USCC, a normalised name or a core with some list firm can be linked; the engine keeps
those (a semi-join) plus a fixed, hash-based sample of the registry from which the model learns what
non-matching pairs look like. DuckDB runs embedded; Spark computes the features with ``mapInArrow``.

Examples
--------
>>> _sample_cut(200_000, 10_000_000)
20000
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from lgresearch.ledger import InputError
from lgresearch.link.registry.features import (
    _SAMPLE_MOD,
    FEATURE_COLUMNS,
    _check_columns,
    _parquet_files,
    name_features,
    prepare_registry,
)

__all__: list[str] = []

_FILTER_SQL = """
    {reg}.sample_key < {k}
    OR {reg}.core IN (SELECT core FROM {firms} WHERE core IS NOT NULL)
    OR {reg}.norm IN (SELECT norm FROM {firms} WHERE norm IS NOT NULL)
    OR {reg}.uscc IN (SELECT uscc FROM {firms} WHERE uscc IS NOT NULL)
"""


def _sample_cut(sample_rows: int, n_total: int) -> int:
    return int(min(_SAMPLE_MOD, np.ceil(sample_rows / max(n_total, 1) * _SAMPLE_MOD)))


def _check_registry_ids(dup: list, null: int, where: str, id_col: str) -> None:
    if null:
        raise InputError(where, None, id_col, f"{null} candidate registry rows have no id; give every row an id.")
    if dup:
        raise InputError(where, None, id_col, f"ids are not unique (e.g. {dup[:5]}); give every row its own id.")


def _run_duckdb(firm_feats: pa.Table, registry: Any, *, cols: dict, work: Path, sample_rows: int,
                memory_limit: str, threads: int) -> tuple[Any, list[str], tuple[int, int]]:
    """Prepare features, filter the registry to candidates in DuckDB; return (DuckDBAPI, table names, rows)."""
    import duckdb
    from splink import DuckDBAPI

    if not isinstance(registry, (str, Path, duckdb.DuckDBPyRelation)):
        raise TypeError(f"engine='duckdb' takes a parquet path or a DuckDB relation as registry, not "
                        f"{type(registry).__name__}; for a Spark DataFrame pass engine='spark'.")
    prep = prepare_registry(registry, work / "prepared", **cols)
    con = duckdb.connect()
    (work / "duckdb_tmp").mkdir(exist_ok=True)
    con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute(f"SET threads={int(threads)}")
    con.execute(f"SET temp_directory='{(work / 'duckdb_tmp').as_posix()}'")
    con.execute("SET preserve_insertion_order=false")
    con.register("lg_firms_arrow", firm_feats)
    con.execute("CREATE TABLE lg_firms AS SELECT * FROM lg_firms_arrow")
    con.unregister("lg_firms_arrow")
    src = f"read_parquet('{prep.as_posix()}')"
    n_total = con.execute(f"SELECT count(*) FROM {src}").fetchall()[0][0]
    where = _FILTER_SQL.format(reg="r", firms="lg_firms", k=_sample_cut(sample_rows, n_total))
    con.execute(f"CREATE TABLE lg_registry AS SELECT r.* FROM {src} r WHERE {where}")
    dup = [r[0] for r in con.execute("SELECT unique_id FROM lg_registry WHERE unique_id IS NOT NULL "
                                     "GROUP BY 1 HAVING count(*) > 1 LIMIT 5").fetchall()]
    null = con.execute("SELECT count(*) FROM lg_registry WHERE unique_id IS NULL").fetchall()[0][0]
    _check_registry_ids(dup, null, "registry", cols["firm_col"])
    k = _sample_cut(sample_rows, n_total)
    con.execute(f"CREATE TABLE lg_sample AS SELECT * FROM lg_registry WHERE sample_key < {k}")
    n_sample = con.execute("SELECT count(*) FROM lg_sample").fetchall()[0][0]
    return DuckDBAPI(connection=con), ["lg_firms", "lg_registry", "lg_sample"], (int(n_total), int(n_sample))


def _local_spark() -> Any:
    """A local Spark session on two cores (reuses the active session, e.g. on a cluster)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    # workers run this interpreter (lgresearch and its cleaners must be importable there)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (SparkSession.builder.master(os.environ.get("LGRESEARCH_SPARK_MASTER", "local[2]"))
            .appName("lgresearch-link")
            .config("spark.sql.shuffle.partitions", os.environ.get("LGRESEARCH_SPARK_PARTITIONS", "2"))
            .config("spark.ui.enabled", "false").config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.memory", os.environ.get("LGRESEARCH_SPARK_DRIVER_MEMORY", "4g"))
            .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session


def _spark_schema() -> str:
    return ", ".join(f"{c} {'bigint' if c == 'sample_key' else 'string'}" for c in FEATURE_COLUMNS)


def _run_spark(firm_feats: pa.Table, registry: Any, *, cols: dict, spark: Any, sample_rows: int
               ) -> tuple[Any, list[Any], tuple[int, int]]:
    """Features by ``mapInArrow`` and the candidate filter on Spark; return (SparkAPI, DataFrames, rows)."""
    from pyspark.sql import DataFrame
    from splink import SparkAPI

    if isinstance(registry, DataFrame):
        spark = registry.sparkSession
        sdf = registry
        where = "registry Spark DataFrame"
    elif isinstance(registry, (str, Path)):
        spark = spark or _local_spark()
        sdf = spark.read.parquet(*_parquet_files(Path(registry)))
        where = f"registry {registry}"
    else:
        raise TypeError(f"engine='spark' takes a parquet path or a Spark DataFrame as registry, not "
                        f"{type(registry).__name__}.")
    _check_columns(sdf.columns, cols, where)
    wanted = [c for c in cols.values() if c is not None]
    kw = dict(cols)

    def features(batches: Iterable[pa.RecordBatch]) -> Iterable[pa.RecordBatch]:
        for batch in batches:
            if batch.num_rows:
                yield from name_features(batch, **kw).to_batches()

    feats = sdf.select(*wanted).mapInArrow(features, _spark_schema())
    n_total = sdf.count()
    firms = spark.createDataFrame(firm_feats.to_pylist(), schema=_spark_schema())
    firms.createOrReplaceTempView("lg_firms")
    feats.createOrReplaceTempView("lg_registry_all")
    k = _sample_cut(sample_rows, n_total)
    cand = spark.sql(f"SELECT r.* FROM lg_registry_all r WHERE {_FILTER_SQL.format(reg='r', firms='lg_firms', k=k)}")
    cand = cand.localCheckpoint(eager=True)  # the candidates are small; cut the lineage to the registry scan
    stats = cand.groupBy("unique_id").count().where("count > 1 OR unique_id IS NULL").limit(6).collect()
    _check_registry_ids([r["unique_id"] for r in stats if r["unique_id"] is not None],
                        sum(r["count"] for r in stats if r["unique_id"] is None), where, cols["firm_col"])
    api = SparkAPI(spark_session=spark, break_lineage_method="persist", register_udfs_automatically=False)
    sample = cand.where(f"sample_key < {k}").localCheckpoint(eager=True)
    return api, [firms, cand, sample], (int(n_total), int(sample.count()))


def _engine_tables(engine: str, firm_feats: pa.Table, registry: Any, *, cols: dict, work: Path, sample_rows: int,
                   spark: Any, memory_limit: str, threads: int) -> tuple[Any, list, tuple[int, int]]:
    """The engine's database API, its tables (list firms, registry candidates, registry sample) and row counts."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    if engine == "duckdb":
        return _run_duckdb(firm_feats, registry, cols=cols, work=work, sample_rows=sample_rows,
                           memory_limit=memory_limit, threads=threads)
    return _run_spark(firm_feats, registry, cols=cols, spark=spark, sample_rows=sample_rows)


def _materialise(registry: Any, work: Path) -> Any:
    """A pandas DataFrame registry (small, for examples and tests) is written to parquet first."""
    if isinstance(registry, pd.DataFrame):
        path = work / "registry_input.parquet"
        registry.to_parquet(path, index=False)
        return path
    return registry
