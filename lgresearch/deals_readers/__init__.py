"""Vendor readers behind :mod:`lgresearch.deals` (import the public names from ``lgresearch.deals``).

* :mod:`.core` — the canonical schema (``DEAL_COLUMNS``, ``DEAL_SCHEMA``), :class:`~.core.DealMapping` and the
  generic engine that turns any mapped export into events with a ledger;
* :mod:`.zero2ipo` — 清科私募通 (Zero2IPO / PEdata) investment-event exports, with a checksum-keyed cache;
* :mod:`.itjuzi` — IT桔子 company pages (company row + round rows) and 投资事件 lists;
* :mod:`.crunchbase` — Crunchbase ``funding_rounds.csv``.
"""

__all__: list[str] = []  # the public names live in lgresearch.deals and in each reader module
