"""Linking a firm list to a business registry at scale (DuckDB embedded, Spark for clusters).

The code lives in :mod:`lgresearch.link.registry` (part of the linking package, beside the name stems it shares
with :func:`lgresearch.link.link_firms`); this module keeps its names importable from ``lgresearch.registry_link``:
:func:`link_to_registry`, :func:`name_features`, :func:`prepare_registry`, :func:`synthetic_registry` and the
constants.

Examples
--------
>>> sim = synthetic_registry(3_000, planted=40, seed=3)
>>> sim.firms.columns.tolist(), sim.truth.columns.tolist()
(['firm_id', 'name', 'province', 'provenance'], ['firm_id', 'registry_id', 'provenance'])

``link_to_registry(sim.firms, sim.registry)`` links them (see its example); ``engine="spark"`` runs the same
pipeline on Spark.
"""

from __future__ import annotations

from lgresearch.link.registry import (
    ENGINES,
    FEATURE_COLUMNS,
    LINK_COLUMNS,
    MATCH_METHODS,
    SyntheticRegistry,
    link_to_registry,
    name_features,
    prepare_registry,
    synthetic_registry,
)

__all__ = [
    "FEATURE_COLUMNS", "LINK_COLUMNS", "MATCH_METHODS", "ENGINES", "name_features", "prepare_registry",
    "link_to_registry", "SyntheticRegistry", "synthetic_registry",
]
