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

Submodules, in pipeline order: :mod:`~lgresearch.link.registry.features` (step 1),
:mod:`~lgresearch.link.registry.engines` (step 2), :mod:`~lgresearch.link.registry.model` (step 3),
:mod:`~lgresearch.link.registry.decision` (step 4), :mod:`~lgresearch.link.registry.pipeline`
(:func:`link_to_registry`) and :mod:`~lgresearch.link.registry.synthetic`. The same names are importable from
:mod:`lgresearch.link` and :mod:`lgresearch.registry_link`.
"""

from __future__ import annotations

from lgresearch.link.registry.decision import LINK_COLUMNS, MATCH_METHODS
from lgresearch.link.registry.features import FEATURE_COLUMNS, name_features, prepare_registry
from lgresearch.link.registry.pipeline import ENGINES, link_to_registry
from lgresearch.link.registry.synthetic import SyntheticRegistry, synthetic_registry

__all__ = [
    "FEATURE_COLUMNS", "LINK_COLUMNS", "MATCH_METHODS", "ENGINES", "name_features", "prepare_registry",
    "link_to_registry", "SyntheticRegistry", "synthetic_registry",
]
