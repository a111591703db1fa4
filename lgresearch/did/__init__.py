"""Causal toolkit: matched controls, staggered difference-in-differences and event studies.

Thin wrappers over pyfixest (and numpy/scipy where simpler), not re-implementations. Every estimator returns one
tidy frame (``event_time, estimate, se, ci_low, ci_high, estimator, n_obs, n_units``) that
:func:`lgresearch.plotting.plot_event_study` draws, with the joint pre-trend Wald test in ``attrs["pretrend"]``.

Conventions
-----------
- ``cohort`` is the first treated period (e.g. the designation year); never-treated units have ``cohort`` NaN
  or 0 (both accepted; see :data:`NEVER_TREATED`).
- ``event_time = time - cohort``; the reference (omitted) period ``ref`` defaults to -1.
- Clustering defaults to the unit (any ID type, coded to integers internally). An explicit ``cluster=`` column must
  hold integer IDs (pyfixest's wild bootstrap fails on strings); a string column raises an error saying how to code it.

Examples
--------
>>> import pandas as pd
>>> treated = pd.DataFrame({"id": ["a", "b"], "industry": ["x", "y"], "size": [1.0, 5.0]})
>>> pool = pd.DataFrame({"id": ["c", "d", "e"], "industry": ["x", "y", "y"], "size": [1.2, 9.0, 5.5]})
>>> m = match_controls(treated, pool, exact=["industry"], on=["size"], unit_col="id")
>>> m.pairs[["treated_id", "control_id"]].values.tolist()
[['a', 'c'], ['b', 'e']]
"""


from lgresearch.did.compare import COMPARE_COLUMNS, compare_estimators
from lgresearch.did.engines import (
    FAST_ENGINE_CELLS,
    DidWarning,
    did2s_fit,
    fe_dummy_ols,
    within_fe_ols,
)
from lgresearch.did.estimators import (
    EventStudyResult,
    att,
    combine,
    event_study,
    naive_pre_post,
    static_twfe,
)
from lgresearch.did.panel import (
    ATT_COLUMNS,
    CONTROLS,
    ESTIMATORS,
    NEVER_TREATED,
    TIDY_COLUMNS,
    aggregate_deals,
    cohort_from_treatment,
    cohorts_from_designations,
    prepare_panel,
)
from lgresearch.errors import DidInputError
from lgresearch.matching import BALANCE_COLUMNS, Matched, balance_table, match_controls

#: Every public name of this module (issue 11, item 7).
__all__ = [
    "aggregate_deals", "att", "ATT_COLUMNS", "BALANCE_COLUMNS", "balance_table", "cohort_from_treatment",
    "cohorts_from_designations", "combine", "COMPARE_COLUMNS", "compare_estimators", "CONTROLS", "did2s_fit",
    "DidInputError", "DidWarning", "ESTIMATORS",
    "event_study", "EventStudyResult", "FAST_ENGINE_CELLS", "fe_dummy_ols", "match_controls", "Matched",
    "naive_pre_post", "NEVER_TREATED", "prepare_panel", "static_twfe", "TIDY_COLUMNS", "within_fe_ols"
]
