"""The public entry point of registry-scale linking: :func:`link_to_registry`.

Examples
--------
>>> ENGINES
('duckdb', 'spark')
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.link.registry.decision import _decide
from lgresearch.link.registry.engines import _engine_tables, _materialise
from lgresearch.link.registry.features import _firm_features
from lgresearch.link.registry.model import _fit_predict
from lgresearch.link.registry.synthetic import synthetic_registry  # noqa: F401  (the example uses it)

__all__ = ["ENGINES", "link_to_registry"]

#: Engines understood by :func:`link_to_registry`.
ENGINES = ("duckdb", "spark")


@renamed_kwargs(firm_id_col="firm_col", registry_id_col="registry_firm_col")
def link_to_registry(
    firms: pd.DataFrame, registry: str | Path | Any, *, engine: str = "duckdb", name_col: str = "name",
    province_col: str | None = "province", uscc_col: str | None = None, firm_col: str = "firm_id",
    registry_firm_col: str = "registry_id", threshold: float = 0.9, candidate_threshold: float = 0.5,
    labels: pd.DataFrame | None = None, link_share: float = 0.8, sample_rows: int = 200_000,
    max_pairs: float = 2e6, seed: int = 0, work_dir: str | Path | None = None, spark: Any = None,
    memory_limit: str = "4GB", threads: int = 2,
) -> pd.DataFrame:
    """Link a firm list to a (possibly larger-than-memory) registry with Splink on DuckDB or Spark.

    Parameters
    ----------
    firms : DataFrame
        The list to link (one row per firm): ``firm_col``, ``name_col`` and, when given, ``province_col``
        and ``uscc_col``.
    registry : path, DuckDB relation or Spark DataFrame
        A parquet file or folder (read in batches), a DuckDB relation (``engine="duckdb"``) or a Spark DataFrame
        (``engine="spark"``), with ``registry_firm_col`` and the name/province/USCC columns named as in ``firms``.
    engine : {"duckdb", "spark"}
        DuckDB runs embedded in this process; Spark uses the registry's session, the active session or a local
        ``local[2]`` session (``LGRESEARCH_SPARK_MASTER`` overrides the master).
    name_col, province_col, uscc_col, firm_col, registry_firm_col : str
        Column names; ``province_col=None`` / ``uscc_col=None`` link without them. A named column that is
        missing on either side raises :class:`~lgresearch.ledger.InputError` (``firm_id_col=`` and
        ``registry_id_col=`` are deprecated).
    threshold, candidate_threshold : float
        Minimum ``match_probability`` of an accepted probabilistic link, and of a reported one (USCC and
        exact-name pairs are always reported).
    labels : DataFrame, optional
        Known links (``firm_id, registry_id``): m probabilities are then estimated from them instead of by EM.
    link_share : float
        Prior share of list firms present in the registry (sets λ, the probability that two random records match).
    sample_rows : int
        Registry rows sampled (by a hash of the id, the same on both engines) to learn the u probabilities.
    max_pairs, seed : float, int
        Random pairs used for u, and the seed of their sampling.
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
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    cols = {"name_col": name_col, "province_col": province_col, "uscc_col": uscc_col}
    firm_feats = _firm_features(firms, {"firm_col": firm_col, **cols})
    with tempfile.TemporaryDirectory(prefix="lgresearch-link-") as tmp:
        work = _work_folder(work_dir, tmp)
        api, tables, rows = _engine_tables(engine, firm_feats, _materialise(registry, work), work=work,
                                           cols={"firm_col": registry_firm_col, **cols}, sample_rows=sample_rows,
                                           spark=spark, memory_limit=memory_limit, threads=threads)
        pred = _fit_predict(api, tables, rows, n_firms=len(firms), province=province_col is not None,
                            uscc=uscc_col is not None, link_share=link_share, max_pairs=max_pairs, seed=seed,
                            labels=labels)
        out = _decide(pred, threshold=threshold)
    keep = out["match_method"].ne("probabilistic") | (out["match_probability"] >= candidate_threshold)
    return out[keep].reset_index(drop=True)


def _work_folder(work_dir: str | Path | None, tmp: str) -> Path:
    """The caller's work folder (kept), else the temporary one."""
    work = Path(work_dir) if work_dir is not None else Path(tmp)
    work.mkdir(parents=True, exist_ok=True)
    return work
