"""The mapping hook: :class:`DealMapping` says which vendor column holds which canonical input field.

It lets a user read CVSource, Wind or an IT桔子 paid export without new code.

Examples
--------
>>> DealMapping({"firm_name": "Company", "date": "Date"}).vendor_columns()
['Company', 'Date']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lgresearch.deals_readers.schema import INPUT_FIELDS

__all__ = ["DealMapping"]


@dataclass(frozen=True)
class DealMapping:
    """How one vendor's export maps onto the canonical input fields.

    Parameters
    ----------
    columns : mapping of canonical field -> vendor column
        Canonical fields are :data:`INPUT_FIELDS`. At least ``date`` and one of ``firm_name`` / ``short_name`` are
        required. A field may map to a list of columns, which are joined with ``"|"`` (e.g. industry and
        sub-industry).
    source : str
        Label written in the ``source`` column and in event ids.
    amount_unit, valuation_unit : str or float, optional
        Unit of bare numbers in the amount / valuation columns (``"M"`` for a ``(M)`` column, ``"万"``).
    default_currency : str, optional
        Currency assumed when neither the value nor a currency column names one.
    investor_level : bool
        Rows are one investor each (清科): collapse rows with the same (firm, date, round) into one event.
    investor_sep : str, optional
        Separator inside the investor cell when one cell lists several investors (IT桔子 ``","``).
    location_sep : str, optional
        Separator of a combined location field (``"|"`` in 中国|北京市|顺义区, ``"-"`` in 北京-朝阳区).
    location_has_country : bool
        The combined location starts with the country.
    stake_scale : float
        Multiplier turning the stake column into percent (100 when the vendor writes fractions).
    valuation_is : {"reported", "check"}
        ``"check"``: a vendor valuation equal to amount ÷ stake is recorded as ``implied``, others as
        ``reported``; ``"reported"``: always ``reported``.
    sheet : str or int
        Worksheet to read from a workbook.
    description : str
        One line naming the vendor/export (used in provenance).
    optional : tuple of str
        Canonical fields whose vendor column may be absent from a file (older or trimmed exports); a missing
        column of any other mapped field raises :class:`lgresearch.ledger.InputError`.

    Examples
    --------
    >>> m = DealMapping({"firm_name": "Company", "date": "Date", "round": "Round", "amount": "Amount (USD m)"},
    ...                 amount_unit="M", default_currency="USD", source="mydb")
    >>> m.source, m.required_missing()
    ('mydb', [])
    """

    columns: Mapping[str, str | Sequence[str]]
    source: str = "custom"
    amount_unit: str | float | None = None
    valuation_unit: str | float | None = None
    default_currency: str | None = None
    investor_level: bool = False
    investor_sep: str | None = None
    location_sep: str | None = None
    location_has_country: bool = False
    stake_scale: float = 1.0
    valuation_is: str = "check"
    sheet: str | int = 0
    description: str = ""
    missing_tokens: tuple[str, ...] = ("", "-", "--", "—", "未透露", "未披露", "不详", "N/A", "n/a")
    optional: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(INPUT_FIELDS))
        if unknown:
            raise ValueError(f"unknown canonical fields in mapping: {unknown}; allowed: {list(INPUT_FIELDS)}")
        if self.valuation_is not in ("reported", "check"):
            raise ValueError("valuation_is must be 'reported' or 'check'")

    def required_missing(self) -> list[str]:
        """Required canonical fields the mapping does not name."""
        out = [] if "date" in self.columns else ["date"]
        if "firm_name" not in self.columns and "short_name" not in self.columns:
            out.append("firm_name or short_name")
        return out

    def vendor_columns(self) -> list[str]:
        """All vendor column names the mapping refers to."""
        cols: list[str] = []
        for v in self.columns.values():
            cols.extend([v] if isinstance(v, str) else list(v))
        return cols
