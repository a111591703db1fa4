"""Analyses that combine data and estimators: the layer above the data modules and the estimators.

Each module answers one question with data from the readers and panels and an estimator from ``events`` or
``did``: :mod:`~lgresearch.analyses.valuation` (private-round valuations around designation),
:mod:`~lgresearch.analyses.attention` (venture investors' attention to designated firms),
:mod:`~lgresearch.analyses.listed_events` (attributes of listed designated firms for event studies) and
:mod:`~lgresearch.analyses.composition` (who the designated firms are, against the official shares). Every
public name is importable from ``lgresearch.analyses``.

Examples
--------
>>> from lgresearch import analyses
>>> from lgresearch.simulate import designation_world
>>> w = designation_world(n_firms=400, seed=1, effect=0.4, selection=0.0)
>>> type(analyses.valuation_did(w.deals, w.designations, exact=("industry_vendor",))).__name__
'ValuationDiD'
"""

from __future__ import annotations

from lgresearch.analyses import attention, composition, listed_events, valuation
from lgresearch.analyses.attention import *  # noqa: F403
from lgresearch.analyses.composition import *  # noqa: F403
from lgresearch.analyses.listed_events import *  # noqa: F403
from lgresearch.analyses.valuation import *  # noqa: F403

__all__: list[str] = [*valuation.__all__, *attention.__all__, *listed_events.__all__, *composition.__all__]
