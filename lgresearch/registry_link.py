"""Linking a firm list to a business registry at scale, on an engine (DuckDB embedded, Spark for clusters).

:func:`link_to_registry` links a list of firms (a designation list: thousands to hundreds of thousands of rows,
held in memory) to a registry that may be larger than memory (a parquet file or folder, a DuckDB relation or a
Spark DataFrame). The work is split so that nothing holds the registry in pandas:

1. **Name features in one streaming pass.** Each registry batch (pyarrow record batches, or Spark's
   ``mapInArrow`` on a cluster) gets the package's own name features: the normalised name
   (:func:`lgresearch.clean.normalize_company_name`), the *stem* (:func:`lgresearch.link.name_stem`), the *core*
   (:func:`lgresearch.clean.core_name`), the industry words between core and legal form, the province code
   (:func:`lgresearch.clean.regions.normalize_regions`) and a valid USCC. The same Python function runs on both
   engines, so both see the same features.
2. **Candidate filter in the engine.** Only registry rows sharing a USCC, a normalised name or a core with some
   list firm can be linked; the engine keeps those (a semi-join) plus a fixed, hash-based sample of the registry
   from which the model learns what non-matching pairs look like.
3. **Blocking and scoring with Splink** (Fellegi–Sunter): pairs blocked on USCC, normalised name, core ×
   province and core × industry words; compared on the name (exact normalised / exact stem / exact core /
   Jaro–Winkler core), the industry words, the province and the USCC. ``u`` probabilities come from random
   pairs, ``m`` probabilities from expectation maximisation (or from labelled pairs when ``labels`` is given).
4. **Decision**: ``uscc`` pairs first, then ``exact_name`` pairs (equal normalised names, province not
   contradicting), then ``probabilistic`` pairs with ``match_probability >= threshold`` that are the only such
   candidate of their firm.

:func:`synthetic_registry` writes a registry with planted variants of list firms and decoys, for tests and
benchmarks (SIMULATED data).

Examples
--------
>>> sim = synthetic_registry(3_000, planted=40, seed=3)
>>> sim.firms.columns.tolist(), sim.truth.columns.tolist()
(['firm_id', 'name', 'province', 'provenance'], ['firm_id', 'registry_id', 'provenance'])

``link_to_registry(sim.firms, sim.registry)`` links them (see its example); ``engine="spark"`` runs the same
pipeline on Spark.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from lgresearch._compat import renamed_kwargs
from lgresearch.clean.names import GENERIC_WORDS, core_name, normalize_company_name
from lgresearch.clean.regions import normalize_regions
from lgresearch.ledger import InputError

__all__ = [
    "FEATURE_COLUMNS", "LINK_COLUMNS", "MATCH_METHODS", "ENGINES", "name_features", "prepare_registry",
    "link_to_registry", "SyntheticRegistry", "synthetic_registry",
]


#: Columns of the name-feature table computed for both sides.
FEATURE_COLUMNS = ["unique_id", "name", "norm", "stem", "core", "core_head", "industry", "province_code", "uscc",
                   "sample_key"]
#: Columns of the frame returned by :func:`link_to_registry`.
LINK_COLUMNS = ["firm_id", "registry_id", "firm_name", "registry_name", "match_probability", "match_weight",
                "match_method", "match", "note", "name_level", "industry_level", "province_level", "uscc_level"]
#: Decision methods, most reliable first.
MATCH_METHODS = ("uscc", "exact_name", "probabilistic")
#: Engines understood by :func:`link_to_registry`.
ENGINES = ("duckdb", "spark")
_SAMPLE_MOD = 1_000_000
_FEATURE_SCHEMA = pa.schema([(c, pa.int64() if c == "sample_key" else pa.string()) for c in FEATURE_COLUMNS])
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_NAME_LEVELS = ("exact_name", "exact_stem", "exact_core", "similar_core", "different")
_THREE_LEVELS = {"industry": ("equal", "compatible", "different"), "province": ("equal", "different"),
                 "uscc": ("equal", "different")}


# ---------------------------------------------------------------------------------------------------------------
# Name features (one streaming pass; the same function on both engines)
# ---------------------------------------------------------------------------------------------------------------


def _text(col: pa.Array | pa.ChunkedArray) -> pd.Series:
    values = col.to_pylist()
    return pd.Series([v.strip() if isinstance(v, str) and v.strip() else None for v in values], dtype=object)


@renamed_kwargs(id_col="firm_col")
def name_features(table: pa.Table | pa.RecordBatch, *, firm_col: str, name_col: str, province_col: str | None,
                  uscc_col: str | None) -> pa.Table:
    """Name features of one batch of firms (:data:`FEATURE_COLUMNS`), computed with the package's cleaners.

    Parameters
    ----------
    table : pyarrow Table or RecordBatch
        A batch of firms with the id, name and (optional) province and USCC columns.
    firm_col, name_col, province_col, uscc_col : str
        Column names (``province_col`` / ``uscc_col`` may be None).

    Returns
    -------
    pyarrow.Table
        ``unique_id, name, norm, stem, core, core_head, industry, province_code, uscc, sample_key``
        (``core_head``: the core's first character, a blocking key for training); ``sample_key`` is a
        CRC32 of the id modulo 10⁶ (the same on every engine), used to draw the registry sample.

    Examples
    --------
    >>> t = pa.table({"id": ["R1"], "name": ["浙江蓝特光學股份有限公司"], "province": ["浙江省"]})
    >>> row = name_features(t, firm_col="id", name_col="name", province_col="province", uscc_col=None).to_pylist()[0]
    >>> row["norm"], row["stem"], row["core"], row["industry"], row["province_code"]
    ('浙江蓝特光学股份有限公司', '蓝特光学', '蓝特光学', None, '33')
    >>> t = pa.table({"id": ["R2"], "name": ["杭州市某某精密机械有限公司"], "province": [None]})
    >>> row = name_features(t, firm_col="id", name_col="name", province_col="province", uscc_col=None).to_pylist()[0]
    >>> row["core"], row["industry"], row["province_code"]
    ('某某', '精密机械', None)
    """
    from lgresearch.link import name_stem  # link imports this module: import at call time

    ids = [None if v is None else str(v) for v in table.column(firm_col).to_pylist()]
    names = _text(table.column(name_col))
    norm = normalize_company_name(names).astype(object)
    norm = norm.where(norm.notna(), None)
    codes, uniq = pd.factorize(norm, use_na_sentinel=True)
    stems_u = [name_stem(u) for u in uniq]
    core_u = core_name(pd.Series(list(uniq), dtype=object)).astype(object).tolist() if len(uniq) else []
    generic = frozenset(GENERIC_WORDS)
    stem_l, core_l, ind_l = [], [], []
    for st, co in zip(stems_u, core_u, strict=True):
        co = co if isinstance(co, str) and len(co) >= 2 and co not in generic else None
        st = st if isinstance(st, str) and len(st) >= 2 and st not in generic else None
        ind = st[len(co):] if st and co and st.startswith(co) and len(st) > len(co) else None
        stem_l.append(st)
        core_l.append(co)
        ind_l.append(ind)

    def spread(vals: list) -> list:
        arr = np.array(vals + [None], dtype=object)
        return arr[codes].tolist()

    if province_col is not None:
        prov = normalize_regions(_text(table.column(province_col)))["province_code"].astype(object)
        province = [v if isinstance(v, str) else None for v in prov.tolist()]
    else:
        province = [None] * len(ids)
    if uscc_col is not None:
        raw = _text(table.column(uscc_col)).str.upper()
        uscc = [v if isinstance(v, str) and pd.notna(v) and _USCC_RE.match(v) else None
                for v in raw.tolist()]
    else:
        uscc = [None] * len(ids)
    sample_key = [zlib.crc32(i.encode("utf-8")) % _SAMPLE_MOD if i is not None else _SAMPLE_MOD for i in ids]
    return pa.table({"unique_id": ids, "name": names.tolist(), "norm": norm.tolist(), "stem": spread(stem_l),
                     "core": spread(core_l),
                     "core_head": spread([c[0] if c else None for c in core_l]), "industry": spread(ind_l),
                     "province_code": province, "uscc": uscc,
                     "sample_key": sample_key}, schema=_FEATURE_SCHEMA)


def _check_columns(columns: list[str], needed: dict[str, str | None], where: str) -> None:
    for role, col in needed.items():
        if col is not None and col not in columns:
            raise InputError(
                where, None, col, f"no such column (the {role}); the columns are {sorted(columns)}. Pass "
                f"{role}=<the column's name>" + (" or None to link without it" if role in
                                                  ("province_col", "uscc_col") else "") + ".")


def _parquet_files(path: Path) -> list[str]:
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*.parquet"))
        if not files:
            raise InputError(str(path), None, None, "the registry folder holds no .parquet files; write the "
                             "registry as parquet (one file or a folder of files).")
        return files
    if not path.exists():
        raise InputError(str(path), None, None, "the registry file does not exist; pass a parquet file or folder.")
    return [str(path)]


def _fingerprint(files: list[str], cols: dict[str, str | None]) -> str:
    stats = [(f, os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files]
    return json.dumps({"files": stats, "cols": cols, "features": FEATURE_COLUMNS}, sort_keys=True)


@renamed_kwargs(id_col="firm_col")
def prepare_registry(registry: str | Path | Any, out_dir: str | Path, *, firm_col: str = "registry_id",
                     name_col: str = "name", province_col: str | None = "province", uscc_col: str | None = None,
                     batch_rows: int = 200_000) -> Path:
    """Write the registry's name features to parquet in one streaming pass (reused when unchanged).

    Parameters
    ----------
    registry : path to a parquet file or folder, or a DuckDB relation
        Read in batches of ``batch_rows``; never whole.
    out_dir : path
        Folder for ``features.parquet`` and its fingerprint; an up-to-date file is reused.
    firm_col, name_col, province_col, uscc_col : str
        Registry columns (``province_col`` / ``uscc_col`` may be None).
    batch_rows : int
        Rows per batch (memory is about 1 kB per row of a batch).

    Returns
    -------
    Path
        The features parquet file (:data:`FEATURE_COLUMNS`).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"registry_id": ["R1"], "name": ["深圳市大疆创新科技有限公司"], "province": ["广东"]}
    ...              ).to_parquet(d / "reg.parquet")
    >>> out = prepare_registry(d / "reg.parquet", d / "prep")
    >>> pq.read_table(out).column("core").to_pylist()
    ['大疆创新']
    """
    cols = {"firm_col": firm_col, "name_col": name_col, "province_col": province_col, "uscc_col": uscc_col}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "features.parquet"
    stamp = out_dir / "fingerprint.json"
    wanted = [c for c in cols.values() if c is not None]
    if isinstance(registry, (str, Path)):
        files = _parquet_files(Path(registry))
        dataset = ds.dataset(files, format="parquet")
        _check_columns(dataset.schema.names, cols, f"registry {registry}")
        fingerprint = _fingerprint(files, cols)
        if out.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == fingerprint:
            return out
        batches: Iterator = dataset.to_batches(columns=wanted, batch_size=batch_rows)
    else:  # a DuckDB relation
        _check_columns(list(registry.columns), cols, "registry relation")
        fingerprint = ""
        rel = registry.select(*wanted)
        reader = getattr(rel, "to_arrow_reader", None) or rel.fetch_arrow_reader  # duckdb 2 / duckdb 1
        batches = reader(batch_rows)
    with pq.ParquetWriter(out, _FEATURE_SCHEMA) as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_table(name_features(batch, firm_col=firm_col, name_col=name_col,
                                                 province_col=province_col, uscc_col=uscc_col))
    stamp.write_text(fingerprint, encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------------------------
# The Splink model
# ---------------------------------------------------------------------------------------------------------------


def _settings(*, province: bool, uscc: bool, prior: float) -> Any:
    """Splink settings: blocking rules and comparisons on the name features."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(output_column_name="company_name", comparison_levels=[
        cll.CustomLevel("norm_l IS NULL OR norm_r IS NULL", "name missing").configure(is_null_level=True),
        cll.CustomLevel("norm_l = norm_r", "exact normalised name"),
        cll.CustomLevel("stem_l = stem_r", "exact stem"),
        cll.CustomLevel("core_l = core_r", "exact core"),
        cll.LevenshteinLevel("core", 1),
        cll.ElseLevel()])
    industry = cl.CustomComparison(output_column_name="industry", comparison_levels=[
        cll.NullLevel("industry"),
        cll.ExactMatchLevel("industry"),
        cll.CustomLevel("instr(industry_l, industry_r) > 0 OR instr(industry_r, industry_l) > 0",
                        "one set of industry words contains the other"),
        cll.ElseLevel()])
    comparisons = [name, industry]
    rules = [block_on("norm"), block_on("core", "industry")]
    if province:
        comparisons.append(cl.CustomComparison(output_column_name="province", comparison_levels=[
            cll.NullLevel("province_code"), cll.ExactMatchLevel("province_code"), cll.ElseLevel()]))
        rules.append(block_on("core", "province_code"))
    else:
        rules.append(block_on("core"))
    if uscc:
        comparisons.append(cl.CustomComparison(output_column_name="uscc", comparison_levels=[
            cll.NullLevel("uscc"), cll.ExactMatchLevel("uscc"), cll.ElseLevel()]))
        rules.insert(0, block_on("uscc"))
    return SettingsCreator(link_type="link_only", unique_id_column_name="unique_id",
                           probability_two_random_records_match=prior, comparisons=comparisons,
                           blocking_rules_to_generate_predictions=rules, retain_matching_columns=True,
                           retain_intermediate_calculation_columns=False, additional_columns_to_retain=["name"])


def _copy_u(source: Any, target: Any) -> None:
    """Copy trained u probabilities between two linkers built from the same settings."""
    for c_src, c_dst in zip(source._settings_obj.comparisons, target._settings_obj.comparisons, strict=True):
        for l_src, l_dst in zip(c_src.comparison_levels, c_dst.comparison_levels, strict=True):
            if not l_src.is_null_level:
                l_dst._u_probability = l_src._u_probability


def _train(linker: Any, *, province: bool, labels_table: str | None) -> None:
    """m from labelled pairs, else by EM in two sessions (see the comments); u is already set."""
    from splink import block_on

    if labels_table is not None:
        linker.training.estimate_m_from_pairwise_labels(labels_table)
        return
    # Two sessions, each blocked on the core's first character (not compared) and one compared column. The first
    # blocks on the industry words too, so same-core firms of other industries (the usual false candidates) are
    # absent and EM learns the name and province levels with λ free; the second, within provinces, learns the
    # industry levels with λ held at the prior, so that only strong name evidence counts as a match there (with
    # λ free, EM would take every same-core firm for a match: the comparisons are not independent).
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("core_head", "industry"))
    if province:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("core_head", "province_code"), fix_probability_two_random_records_match=True)


def _bound_unobserved_u(linker: Any, n_pairs: float) -> None:
    """A level never seen among ``n_pairs`` random pairs (an equal name or stem in a large registry) gets
    u = 1 / n_pairs, the sample's resolution, instead of Splink's default (which would let EM prefer weaker levels)."""
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if not level.is_null_level and not isinstance(level._u_probability, float):
                level.u_probability = 1.0 / max(n_pairs, 1.0)


def _label_pairs(labels: pd.DataFrame) -> pd.DataFrame:
    missing = {"firm_id", "registry_id"} - set(labels.columns)
    if missing:
        raise InputError("labels", None, sorted(missing)[0], "no such column; give one row per known link with "
                         "columns firm_id and registry_id.")
    return pd.DataFrame({"source_dataset_l": "firms", "unique_id_l": labels["firm_id"].astype(str).to_numpy(),
                         "source_dataset_r": "registry",
                         "unique_id_r": labels["registry_id"].astype(str).to_numpy(),
                         "clerical_match_score": 1.0}, dtype=object)


def _level_labels(gamma: pd.Series, names: tuple[str, ...]) -> pd.Series:
    """Splink gamma codes (−1 missing, 0 the else level, higher = closer) → level names."""
    mapping = {-1: "missing", **{len(names) - 1 - i: n for i, n in enumerate(names)}}
    return gamma.map(lambda g: mapping.get(int(g), "missing") if pd.notna(g) else "missing").astype(object)


# ---------------------------------------------------------------------------------------------------------------
# Engines: features, candidate filter, Splink
# ---------------------------------------------------------------------------------------------------------------

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

    def features(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
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


# ---------------------------------------------------------------------------------------------------------------
# Decision and the public entry point
# ---------------------------------------------------------------------------------------------------------------


def _oriented(pred: pd.DataFrame) -> pd.DataFrame:
    """Predictions with the list firm on the left (Splink may put either dataset first)."""
    swap = pred["source_dataset_l"].astype(str) != "firms"
    if swap.any():
        cols_l = [c for c in pred.columns if c.endswith("_l")]
        for cl in cols_l:
            cr = cl[:-2] + "_r"
            if cr in pred.columns:
                left = pred.loc[swap, cl].copy()
                pred.loc[swap, cl] = pred.loc[swap, cr].to_numpy()
                pred.loc[swap, cr] = left.to_numpy()
    return pred


def _decide(pred: pd.DataFrame, *, threshold: float) -> pd.DataFrame:
    """Method, acceptance and note of each candidate pair (uscc > exact_name > probabilistic)."""
    p = _oriented(pred.copy())
    out = pd.DataFrame({
        "firm_id": p["unique_id_l"].astype(str).to_numpy(), "registry_id": p["unique_id_r"].astype(str).to_numpy(),
        "firm_name": p["name_l"].astype(object).to_numpy(), "registry_name": p["name_r"].astype(object).to_numpy(),
        "match_probability": p["match_probability"].astype(float).to_numpy(),
        "match_weight": p["match_weight"].astype(float).to_numpy()})
    out["name_level"] = _level_labels(p["gamma_company_name"], _NAME_LEVELS).to_numpy()
    for key, names in _THREE_LEVELS.items():
        col = f"gamma_{key}"
        out[f"{key}_level"] = (_level_labels(p[col], names).to_numpy() if col in p.columns else "not compared")
    method = np.where(out["uscc_level"] == "equal", "uscc",
                      np.where(out["name_level"] == "exact_name", "exact_name", "probabilistic"))
    out["match_method"] = method
    ok = ((out["match_method"] == "uscc")
          | ((out["match_method"] == "exact_name") & (out["province_level"] != "different"))
          | ((out["match_method"] == "probabilistic") & (out["match_probability"] >= threshold)))
    rank = out["match_method"].map({m: i for i, m in enumerate(MATCH_METHODS)}).where(ok, len(MATCH_METHODS))
    best = rank.groupby(out["firm_id"]).transform("min")
    n_best = (rank == best).groupby(out["firm_id"]).transform("sum")
    top = ok & (rank == best)
    unique = top & ((out["match_method"] == "uscc") | (n_best == 1))
    out["match"] = unique.to_numpy(dtype=bool)
    note = np.where(unique, "", np.where(top, "ambiguous: several candidates at the same level",
                    np.where(ok, "superseded by a more reliable method",
                             np.where(out["match_method"] == "exact_name", "province differs",
                                      "below threshold"))))
    out["note"] = note
    out = out.sort_values(["firm_id", "match", "match_weight"], ascending=[True, False, False], kind="stable")
    return out[LINK_COLUMNS].reset_index(drop=True)


def _firm_features(firms: pd.DataFrame, cols: dict) -> pa.Table:
    _check_columns(list(firms.columns), cols, "firms")
    ids = firms[cols["firm_col"]]
    if ids.isna().any():
        row = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise InputError("firms", row, cols["firm_col"], "missing firm id; give every list firm an id.")
    dup = ids.astype(str).duplicated(keep=False)
    if dup.any():
        raise InputError("firms", int(np.flatnonzero(dup.to_numpy())[0]), cols["firm_col"],
                         f"duplicated firm ids (e.g. {ids[dup].astype(str).unique()[:5].tolist()}); ids must be "
                         "unique.")
    wanted = [c for c in cols.values() if c is not None]
    frame = pd.DataFrame({c: firms[c].astype(object).where(firms[c].notna(), None).to_numpy() for c in wanted},
                         dtype=object)
    table = pa.Table.from_pandas(frame.astype(object).map(lambda v: None if v is None else str(v)),
                                 preserve_index=False)
    return name_features(table, **cols)


@renamed_kwargs(firm_id_col="firm_col", registry_id_col="registry_firm_col")
def link_to_registry(
    firms: pd.DataFrame,
    registry: str | Path | Any,
    *,
    engine: str = "duckdb",
    name_col: str = "name",
    province_col: str | None = "province",
    uscc_col: str | None = None,
    firm_col: str = "firm_id",
    registry_firm_col: str = "registry_id",
    threshold: float = 0.9,
    candidate_threshold: float = 0.5,
    labels: pd.DataFrame | None = None,
    link_share: float = 0.8,
    sample_rows: int = 200_000,
    max_pairs: float = 2e6,
    seed: int = 0,
    work_dir: str | Path | None = None,
    spark: Any = None,
    memory_limit: str = "4GB",
    threads: int = 2,
) -> pd.DataFrame:
    """Link a firm list to a (possibly larger-than-memory) registry with Splink on DuckDB or Spark.

    Parameters
    ----------
    firms : DataFrame
        The list to link (one row per firm): ``firm_col``, ``name_col`` and, when given, ``province_col``
        and ``uscc_col``.
    registry : path, DuckDB relation or Spark DataFrame
        A parquet file or folder of parquet files (read in batches), a DuckDB relation (``engine="duckdb"``)
        or a Spark DataFrame (``engine="spark"``), with ``registry_firm_col`` and the same name/province/USCC
        column names as ``firms``.
    engine : {"duckdb", "spark"}
        DuckDB runs embedded in this process; Spark uses the registry's session, the active session or a local
        ``local[2]`` session (``LGRESEARCH_SPARK_MASTER`` overrides the master).
    name_col, province_col, uscc_col, firm_col, registry_firm_col : str
        Column names; ``province_col=None`` / ``uscc_col=None`` link without them. A named column that is
        missing on either side raises :class:`~lgresearch.ledger.InputError`. (``firm_id_col=`` and
        ``registry_id_col=`` are deprecated names of ``firm_col`` and ``registry_firm_col``.)
    threshold : float
        Minimum ``match_probability`` of an accepted probabilistic link.
    candidate_threshold : float
        Pairs below this probability are not reported (USCC and exact-name pairs always are).
    labels : DataFrame, optional
        Known links (``firm_id, registry_id``): m probabilities are then estimated from them instead of by EM.
    link_share : float
        Prior share of list firms present in the registry (sets λ, the probability that two random records match).
    sample_rows : int
        Registry rows sampled (by a hash of the id, the same on both engines) to learn the u probabilities.
    max_pairs : float
        Random pairs used for u.
    seed : int
        Seed of the u sampling.
    work_dir : path, optional
        Folder for prepared features (reused while the registry files are unchanged) and spill files; a
        temporary folder, removed afterwards, by default.
    spark : SparkSession, optional
        Session to use with a parquet registry on ``engine="spark"``.
    memory_limit, threads : str, int
        DuckDB limits.

    Returns
    -------
    DataFrame
        One row per candidate pair (:data:`LINK_COLUMNS`): ``firm_id``, ``registry_id``, names,
        ``match_probability`` and ``match_weight`` (Fellegi–Sunter), ``match_method`` (``uscc``,
        ``exact_name``, ``probabilistic``), ``match`` (accepted), ``note`` (why not) and the comparison levels
        ``name_level``, ``industry_level``, ``province_level``, ``uscc_level``.

    Examples
    --------
    >>> sim = synthetic_registry(2_000, planted=20, seed=1)
    >>> links = link_to_registry(sim.firms, sim.registry)
    >>> accepted = links.loc[links["match"], ["firm_id", "registry_id"]]
    >>> len(accepted.merge(sim.truth[["firm_id", "registry_id"]])) == len(accepted) == len(sim.truth)
    True
    >>> set(links["match_method"]) <= {"uscc", "exact_name", "probabilistic"}
    True
    """
    import logging

    from splink import Linker

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    cols = {"name_col": name_col, "province_col": province_col, "uscc_col": uscc_col}
    firm_feats = _firm_features(firms, {"firm_col": firm_col, **cols})
    logging.getLogger("splink").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="lgresearch-link-") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        registry = _materialise(registry, work)
        if engine == "duckdb":
            reg_cols = {"firm_col": registry_firm_col, **cols}
            api, tables, (n_total, n_sample) = _run_duckdb(firm_feats, registry, cols=reg_cols,
                                               work=work, sample_rows=sample_rows, memory_limit=memory_limit,
                                               threads=threads)
        else:
            reg_cols = {"firm_col": registry_firm_col, **cols}
            api, tables, (n_total, n_sample) = _run_spark(firm_feats, registry, cols=reg_cols,
                                              spark=spark, sample_rows=sample_rows)
        prior = min(0.5, max(link_share, 1e-6) / max(n_total, 1))
        settings = _settings(province=province_col is not None, uscc=uscc_col is not None, prior=prior)
        # u from random pairs of list firms and the registry sample (not the candidates, which hold the true
        # matches); below all pairs: Splink's all-pairs path fails on Spark 3.5 ("key not found")
        u_linker = Linker([tables[0], tables[2]], settings, api, input_table_aliases=["firms_u", "registry_u"],
                          set_up_basic_logging=False)
        u_pairs = min(max_pairs, 0.8 * len(firms) * max(n_sample, 1))
        u_linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        linker = Linker(tables[:2], settings, api, input_table_aliases=["firms", "registry"],
                        set_up_basic_logging=False)
        _copy_u(u_linker, linker)
        _bound_unobserved_u(linker, u_pairs)
        labels_table = None
        if labels is not None:
            linker.table_management.register_table(_label_pairs(labels), "lg_labels", overwrite=True)
            labels_table = "lg_labels"
        _train(linker, province=province_col is not None, labels_table=labels_table)
        pred = linker.inference.predict().as_pandas_dataframe()
        out = _decide(pred, threshold=threshold)
    keep = out["match_method"].ne("probabilistic") | (out["match_probability"] >= candidate_threshold)
    return out[keep].reset_index(drop=True)


def _materialise(registry: Any, work: Path) -> Any:
    """A pandas DataFrame registry (small, for examples and tests) is written to parquet first."""
    if isinstance(registry, pd.DataFrame):
        path = work / "registry_input.parquet"
        registry.to_parquet(path, index=False)
        return path
    return registry


# ---------------------------------------------------------------------------------------------------------------
# Synthetic registry (SIMULATED) for tests and benchmarks
# ---------------------------------------------------------------------------------------------------------------

#: Characters of simulated trade names.
_POOL = (
    "安邦宝贝北奔博才昌辰成诚驰创春达大丹道德迪鼎东栋帆方飞丰锋峰富钢高戈格根耕冠光广贵桂海涵汉浩禾合和恒宏"
    "弘鸿虹华辉汇惠佳嘉坚建剑江杰捷金锦晋京晶景久聚骏凯康科可克坤蓝朗乐雷力立利联良亮林灵凌龙隆鲁路伦罗迈茂"
    "美蒙铭明木纳南能欧盘鹏平普奇启谦强乔勤青清晴庆秋泉群然仁荣融瑞润若赛森山善尚韶盛诗石世仕舒顺硕思斯松泰"
    "腾天通同拓万威维伟卫文沃武西希祥翔欣新鑫信星兴雄旭轩亚雅言阳耀业一亿意毅银英盈永优友宇雨玉元源远跃越云"
    "韵泽展章兆哲臻振正志中众洲卓子紫"
)
#: Industry words of simulated names (none contains another, so decoys always differ in industry).
_INDUSTRIES = ("科技", "电子", "机械", "新材料", "医疗器械", "半导体", "软件", "化工", "环保", "仪器", "精密",
               "光电", "电气", "食品", "纺织", "模具", "汽车零部件", "自动化", "通信", "生物医药", "智能装备",
               "信息技术")
_LEGALS = ("有限公司", "股份有限公司", "有限责任公司")
_VARIANTS = ("legal_form", "group", "traditional", "city_prefix", "bracket")


class SyntheticRegistry(NamedTuple):
    """A simulated list, registry and truth (:func:`synthetic_registry`)."""

    firms: pd.DataFrame
    registry: pd.DataFrame | Path
    truth: pd.DataFrame


def _places() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(province code, province short, province long, city) per prefecture (municipalities: themselves)."""
    from lgresearch.clean.regions import CITIES, PROVINCES

    rows = [(c, PROVINCES[c][0], PROVINCES[c][1], city) for c, city in zip(CITIES["province_code"], CITIES["city"],
                                                                            strict=True) if c in PROVINCES]
    have = {r[0] for r in rows}
    rows += [(c, s, lg, lg) for c, (s, lg, _e, _p) in PROVINCES.items() if c not in have]
    rows = [r for r in rows if r[0] != "66"]  # 兵团 firms are named after their cities, never 新疆兵团…
    arr = np.array(rows, dtype=object)
    return tuple(np.array(arr[:, i].tolist()) for i in range(4))


def _trades(rng: np.random.Generator, n: int, lengths: tuple[int, ...], p: tuple[float, ...]) -> np.ndarray:
    pool = np.array(list(_POOL))
    lens = rng.choice(np.array(lengths), size=n, p=np.array(p))
    chars = pool[rng.integers(0, len(pool), size=(n, 4))]
    for j in (2, 3):
        chars[lens <= j, j] = ""
    return np.char.add(np.char.add(chars[:, 0], chars[:, 1]), np.char.add(chars[:, 2], chars[:, 3]))


def _background(rng: np.random.Generator, n: int, places: tuple, exclude: set) -> pd.DataFrame:
    code, short, long, city = places
    where = rng.integers(0, len(code), size=n)
    trade = _trades(rng, n, (2, 3, 4), (0.45, 0.4, 0.15)).astype(object)
    clash = np.fromiter((t in exclude for t in trade), dtype=bool, count=n)
    trade[clash] = trade[clash] + "坊"  # planted cores appear only where planted
    form = rng.integers(0, 4, size=n)
    prefix = np.select([form == 0, form == 1, form == 2], [short[where], long[where], city[where]], "")
    ind = np.array(_INDUSTRIES)[rng.integers(0, len(_INDUSTRIES), size=n)]
    legal = np.array(_LEGALS)[rng.choice(3, size=n, p=[0.6, 0.25, 0.15])]
    name = np.char.add(np.char.add(prefix.astype(str), trade.astype(str)), np.char.add(ind, legal))
    return pd.DataFrame({"name": name.astype(object), "province": long[where].astype(object)})


def _list_firms(rng: np.random.Generator, n: int, places: tuple) -> pd.DataFrame:
    code, short, long, city = places
    trade = np.unique(_trades(rng, 3 * n + 50, (3, 4), (0.7, 0.3)))
    trade = trade[np.array(core_name(pd.Series([f"{t}科技有限公司" for t in trade])).astype(object) == trade)]
    trade = rng.permutation(trade)[:n]
    if len(trade) < n:
        raise ValueError(f"could not draw {n} distinct planted names; plant fewer firms.")
    where = rng.integers(0, len(code), size=n)
    form = rng.integers(0, 3, size=n)
    return pd.DataFrame({"trade": trade, "where": where, "form": form,
                         "ind": rng.integers(0, len(_INDUSTRIES), size=n),
                         "legal": rng.choice(3, size=n, p=[0.6, 0.25, 0.15])})


def _variant(r: Any, rng: np.random.Generator, places: tuple, t2s: Any) -> str:
    """A registry spelling of a list firm: one or two of :data:`_VARIANTS`."""
    _code, short, long, city = places
    kinds = set(rng.choice(_VARIANTS, size=int(rng.integers(1, 3)), replace=False).tolist())
    legal = _LEGALS[(r.legal + int(rng.integers(1, 3))) % 3] if "legal_form" in kinds else _LEGALS[r.legal]
    body = f"{r.trade}{_INDUSTRIES[r.ind]}"
    group = "集团" if "group" in kinds else ""
    listed = ("", short[r.where], city[r.where])[r.form]
    prefix = ("" if r.form == 2 else city[r.where]) if "city_prefix" in kinds else listed
    name = (f"{body}{group}（{city[r.where]}）{legal}" if "bracket" in kinds else f"{prefix}{body}{group}{legal}")
    return t2s.convert(name) if "traditional" in kinds else name


def _special_rows(firms_plan: pd.DataFrame, rng: np.random.Generator, places: tuple, *, linked_share: float,
                  decoys: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """List firms and the registry rows planted for them (true variants and same-core decoys)."""
    import opencc

    t2s = opencc.OpenCC("s2t")
    _code, short, long, city = places
    rows, firms = [], []
    linked = rng.random(len(firms_plan)) < linked_share
    for i, r in enumerate(firms_plan.itertuples(index=False)):
        fid = f"F{i:07d}"
        prefix = ("", short[r.where], city[r.where])[r.form]
        firms.append((fid, f"{prefix}{r.trade}{_INDUSTRIES[r.ind]}{_LEGALS[r.legal]}",
                      (short[r.where], long[r.where])[int(rng.integers(0, 2))]))
        if linked[i]:
            rows.append((_variant(r, rng, places, t2s), long[r.where], fid))
        others = [k for k in range(len(_INDUSTRIES)) if k != r.ind]
        for k in rng.choice(others, size=decoys, replace=False):
            where = r.where if rng.random() < 0.8 else int(rng.integers(0, len(long)))
            pre = ("", short[where], city[where])[int(rng.integers(0, 3))]
            rows.append((f"{pre}{r.trade}{_INDUSTRIES[k]}{_LEGALS[int(rng.integers(0, 3))]}", long[where], None))
    firms_df = pd.DataFrame(firms, columns=["firm_id", "name", "province"], dtype=object)
    special = pd.DataFrame(rows, columns=["name", "province", "_truth"], dtype=object)
    return firms_df, special


def synthetic_registry(
    n: int,
    planted: int = 1_000,
    *,
    linked_share: float = 0.9,
    decoys: int = 2,
    seed: int = 0,
    path: str | Path | None = None,
    chunk_rows: int = 500_000,
) -> SyntheticRegistry:
    """A SIMULATED business registry with planted variants of list firms and same-core decoys.

    Each of the ``planted`` list firms (region prefix + trade name + industry words + legal form) appears in the
    registry, with probability ``linked_share``, under a variant spelling made of one or two of: another legal
    form, 集团 added, Traditional characters, a city prefix added or dropped, the city in full-width brackets.
    Every list firm also gets ``decoys`` registry firms with the same trade name (core) but other industry words
    (80% in its province). The remaining rows are random firms whose cores never equal a planted one.

    Parameters
    ----------
    n : int
        Registry rows in total.
    planted : int
        List firms.
    linked_share, decoys, seed : float, int, int
        Share of list firms present in the registry, decoys per list firm, random seed.
    path : path, optional
        Write the registry as a folder of parquet files (``part-00000.parquet``…, ``chunk_rows`` rows each)
        without holding it in memory; by default it is returned as a DataFrame.
    chunk_rows : int
        Rows per written file.

    Returns
    -------
    SyntheticRegistry
        ``firms`` (``firm_id, name, province``), ``registry`` (``registry_id, name, province``; a DataFrame or
        the folder's path) and ``truth`` (``firm_id, registry_id``). Data frames carry the simulated mark.

    Examples
    --------
    >>> sim = synthetic_registry(1_000, planted=50, seed=2)
    >>> len(sim.firms), len(sim.registry), sim.registry["registry_id"].is_unique
    (50, 1000, True)
    >>> 40 <= len(sim.truth) <= 50
    True
    """
    from lgresearch.provenance import mark_simulated

    rng = np.random.default_rng(seed)
    places = _places()
    plan = _list_firms(rng, planted, places)
    firms, special = _special_rows(plan, rng, places, linked_share=linked_share, decoys=decoys)
    if len(special) > n:
        raise ValueError(f"n={n} registry rows cannot hold the {len(special)} planted rows; raise n.")
    exclude = set(plan["trade"].tolist())
    n_chunks = max(1, int(np.ceil(n / chunk_rows)))
    sizes = np.full(n_chunks, n // n_chunks)
    sizes[: n % n_chunks] += 1
    slot = rng.permutation(np.repeat(np.arange(n_chunks), sizes))[: len(special)]
    out_dir = Path(path) if path is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    parts, truth, start = [], [], 0
    for c in range(n_chunks):
        mine = special[slot == c]
        chunk = pd.concat([_background(rng, int(sizes[c]) - len(mine), places, exclude), mine], ignore_index=True)
        chunk = chunk.sample(frac=1.0, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
        chunk.insert(0, "registry_id", [f"R{i:09d}" for i in range(start, start + len(chunk))])
        start += len(chunk)
        t = chunk.loc[chunk["_truth"].notna(), ["_truth", "registry_id"]]
        truth.append(t.rename(columns={"_truth": "firm_id"}))
        chunk = chunk.drop(columns="_truth")
        if out_dir is None:
            parts.append(chunk)
        else:
            chunk["provenance"] = "simulated"
            pq.write_table(pa.Table.from_pandas(chunk, preserve_index=False), out_dir / f"part-{c:05d}.parquet")
    source = "lgresearch.registry_link.synthetic_registry"
    truth_df = mark_simulated(pd.concat(truth, ignore_index=True).sort_values("firm_id", ignore_index=True), source)
    registry = mark_simulated(pd.concat(parts, ignore_index=True), source) if out_dir is None else out_dir
    return SyntheticRegistry(mark_simulated(firms, source), registry, truth_df)
