"""Entity linking of Chinese company names between two lists (designation lists ↔ deal databases).

:func:`link_firms` proposes candidate pairs in stages, most reliable first, each left firm leaving the pipeline at
the first stage that matches it:

1. ``uscc`` — equal unified social credit codes (统一社会信用代码);
2. ``exact_name`` — equal normalised registered names (:func:`lgresearch.clean.normalize_company_name`: full/half
   width, brackets, Traditional → Simplified, legal-form spellings);
3. ``exact_stem`` / ``exact_core`` — within a province block, equal *stems* (the name without its leading region,
   bracketed parts and legal form) or equal *cores* (:func:`lgresearch.clean.core_name`, which also drops generic
   industry words) when the dropped industry words do not contradict each other (蓝特电子 ≠ 蓝特机械);
4. ``short_name`` — within a block, a short (brand) name equal to the other side's core, or contained in its stem
   (航天智造 ⊂ 航天智造科技股份有限公司), when exactly one firm qualifies;
5. ``fuzzy`` — within a block, character-level similarity (rapidfuzz ``fuzz.ratio``) of stems, accepted above
   ``threshold`` when the best candidate is clearly better than the runner-up.

The result lists the candidate pairs with ``score`` (0–100), ``method`` and ``match`` (the pairs accepted). A manual
override CSV (``left_id, right_id, decision`` with decision ``accept`` / ``reject``, optional ``note``) is applied
last. :func:`evaluate` compares accepted pairs with a truth table (precision, recall).

Examples
--------
>>> left = pd.DataFrame({"firm_id": ["L1", "L2"], "name": ["浙江蓝特光學股份有限公司", "杭州某某机械有限公司"],
...                      "province": ["浙江省", "浙江"]})
>>> right = pd.DataFrame({"firm_id": ["R1", "R2"], "name": ["蓝特光学（杭州）有限公司", "宁波某某电子有限公司"],
...                       "province": ["浙江", "浙江"]})
>>> pairs = link_firms(left, right)
>>> pairs.loc[pairs["match"], ["left_id", "right_id", "method"]].values.tolist()
[['L1', 'R1', 'exact_stem']]

Registry-scale linking (:func:`link_to_registry`, Splink on DuckDB or Spark) lives in
:mod:`lgresearch.link.registry`; its names are importable from here and from :mod:`lgresearch.registry_link`.

Submodules: :mod:`~lgresearch.link.names` (name stems, shared by both linkers), :mod:`~lgresearch.link.stages`
and :mod:`~lgresearch.link.firms` (:func:`link_firms`), :mod:`~lgresearch.link.overrides` (manual decisions,
accepted pairs, evaluation), :mod:`~lgresearch.link.synthetic` (simulated name lists),
:mod:`~lgresearch.link.identified` (Little Giants among deal-database firms), :mod:`~lgresearch.link.attach`
(designations meet deals) and :mod:`~lgresearch.link.registry`.
"""

from __future__ import annotations

import pandas as pd  # noqa: F401  (the module example uses it)

from lgresearch.link.attach import ATTACHED_COLUMNS, attach_designations
from lgresearch.link.firms import link_firms
from lgresearch.link.identified import (
    BOARD_WORDS,
    FRAGMENTS_PARTS,
    IDENTIFIED_COLUMNS,
    batch_windows,
    fragment_firms,
    identified_little_giants,
    link_fragments,
    link_listed_short_names,
)
from lgresearch.link.names import distinctive, name_stem
from lgresearch.link.overrides import apply_overrides, best_matches, evaluate, read_overrides
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
from lgresearch.link.stages import (
    CANDIDATE_THRESHOLD,
    FUZZY_MARGIN,
    FUZZY_THRESHOLD,
    METHODS,
    PAIR_COLUMNS,
    STAGE_SCORES,
    UNBLOCKED_LIMIT,
)
from lgresearch.link.synthetic import synthetic_name_lists

__all__ = [
    "PAIR_COLUMNS", "METHODS", "STAGE_SCORES", "FUZZY_THRESHOLD", "CANDIDATE_THRESHOLD", "FUZZY_MARGIN",
    "UNBLOCKED_LIMIT", "name_stem", "distinctive", "link_firms", "read_overrides", "apply_overrides", "evaluate",
    "best_matches", "synthetic_name_lists", "FRAGMENTS_PARTS", "IDENTIFIED_COLUMNS", "BOARD_WORDS", "batch_windows",
    "fragment_firms", "link_fragments", "link_listed_short_names", "identified_little_giants", "ATTACHED_COLUMNS",
    "attach_designations",
    # registry scale (lgresearch.link.registry)
    "FEATURE_COLUMNS", "LINK_COLUMNS", "MATCH_METHODS", "ENGINES", "name_features", "prepare_registry",
    "link_to_registry", "SyntheticRegistry", "synthetic_registry",
]
