"""Analyses that combine data and estimators: the layer above the data modules and the estimators.

Each module answers one question with data from the readers and panels and an estimator from ``events`` or
``did``: ``valuation`` (private-round valuations around designation), ``attention`` (venture investors' attention
to designated firms), ``listed_events`` (attributes of listed designated firms for event studies) and
``composition`` (who the designated firms are, against the official shares).
"""

from __future__ import annotations

__all__: list[str] = []
