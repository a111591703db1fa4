"""Reading vendor deal exports into canonical events: 清科, IT桔子, Crunchbase and any export through a mapping.

Every reader accounts for every input row in a :class:`lgresearch.ledger.Ledger` (returned with
``return_ledger=True``; a one-line summary is in ``events.attrs["ledger_summary"]``), marks the frame as real data
with its source, and validates it against :data:`lgresearch.deals_readers.core.DEAL_SCHEMA` (an error names the
file, row and column). :func:`build_processed` writes the parsed 清科 events to the processed folder.

Examples
--------
>>> isinstance(zero2ipo_available(), bool)
True
>>> ZERO2IPO_PARTS
('muweiabc__govfund', 'invest_with_treatment.xlsx')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import paths, sources
from lgresearch.deals_readers.core import DEAL_SCHEMA, DealMapping, read_with_mapping
from lgresearch.deals_readers.crunchbase import read_crunchbase_file
from lgresearch.deals_readers.itjuzi import read_itjuzi_file
from lgresearch.deals_readers.zero2ipo import read_zero2ipo_cached
from lgresearch.errors import InputError
from lgresearch.ledger import Ledger
from lgresearch.provenance import mark_real

__all__ = ["ZERO2IPO_PARTS", "PROCESSED_EVENTS", "PROCESSED_LEDGER", "zero2ipo_available", "read_zero2ipo",
           "read_itjuzi", "read_crunchbase", "read_deals", "build_processed"]

#: Path parts of the 清科 export below the third-party directory (the ``zero2ipo`` entry of :mod:`lgresearch.sources`).
ZERO2IPO_PARTS: tuple[str, ...] = sources.parts("zero2ipo")
#: Processed files written by :func:`build_processed`.
PROCESSED_EVENTS = "deals_zero2ipo_events.parquet"
PROCESSED_LEDGER = "deals_zero2ipo_ledger.csv"


def _finish(events: pd.DataFrame, led: Ledger, return_ledger: bool, validate: bool):
    if validate:
        attrs = dict(events.attrs)
        events = _validated(events)
        events.attrs.update(attrs)
    return (events, led) if return_ledger else events


def _validated(events: pd.DataFrame) -> pd.DataFrame:
    """Validate against :data:`DEAL_SCHEMA`; a failure becomes an InputError naming file, row and column."""
    import pandera.errors as pe

    try:
        return DEAL_SCHEMA.validate(events, lazy=True)
    except (pe.SchemaErrors, pe.SchemaError) as err:
        cases = err.failure_cases if isinstance(err.failure_cases, pd.DataFrame) else pd.DataFrame()
        first = cases.iloc[0] if len(cases) else pd.Series(dtype=object)
        index = first.get("index")
        column = first.get("column")
        row = None
        file = str(events["source_file"].iloc[0]) if len(events) and "source_file" in events else "events"
        if index is not None and pd.notna(index) and index in events.index:
            rows_ = events.loc[index, "source_rows"]
            row = int(rows_[0]) if isinstance(rows_, (list, tuple)) and rows_ else None
            file = str(events.loc[index, "source_file"])
        column = None if column is None or (isinstance(column, float) and np.isnan(column)) else str(column)
        raise InputError(file, row, column,
                         f"the events fail the deals schema check {first.get('check')} (value "
                         f"{first.get('failure_case')!r}); correct the value in the file, or read it with "
                         f"validate=False and inspect the ledger") from None


def zero2ipo_available() -> bool:
    """Whether the 清科 export is in the third-party data directory.

    Returns
    -------
    bool
        True when the export is in the third-party directory.

    Examples
    --------
    >>> isinstance(zero2ipo_available(), bool)
    True
    """
    return sources.available("zero2ipo")


def read_zero2ipo(
    path: str | Path | None = None,
    *,
    cache: bool = True,
    return_ledger: bool = False,
    validate: bool = True,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read a 清科私募通 (Zero2IPO / PEdata) investment-event export into canonical events.

    Parameters
    ----------
    path : path, optional
        The merged ``.xlsx`` or a raw yearly ``.xls``. Default: the ``zero2ipo`` source of
        :mod:`lgresearch.sources` (``muweiabc__govfund/invest_with_treatment.xlsx`` in the third-party directory;
        raises :class:`lgresearch.paths.MissingExternalData` when absent).
    cache : bool
        Reuse the parse cached under ``data/processed/cache`` (keyed by the file's SHA-256).
    return_ledger : bool
        Return ``(events, ledger)`` instead of the events alone.
    validate : bool
        Validate against :data:`DEAL_SCHEMA` (skipped on a cache hit, which was validated when written).
    as_of : date-like, optional
        Dates after this are flagged as future (default today; bypasses the cache).

    Returns
    -------
    DataFrame, or (DataFrame, Ledger)

    Examples
    --------
    >>> if zero2ipo_available():  # doctest: +SKIP
    ...     ev = read_zero2ipo()
    """
    p = Path(path) if path is not None else sources.path("zero2ipo", must_exist=True)
    if not p.exists():
        raise paths.MissingExternalData(p)
    events, led = read_zero2ipo_cached(p, cache=cache, as_of=as_of)
    return _finish(events, led, return_ledger, validate and events.attrs.get("cache") != "hit")


def read_itjuzi(
    path: str | Path,
    *,
    return_ledger: bool = False,
    validate: bool = True,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read an IT桔子 export: company pages (company row + round rows) or a 投资事件 list.

    Parameters
    ----------
    path : str or Path
        An IT桔子 company page export or 投资事件 list.
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: ``(frame, ledger)``.
    validate : bool, default True
        Check the result against the canonical schema.
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        Canonical events (and the ledger with ``return_ledger=True``).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "itjuzi.csv")
    >>> _ = open(p, "w", encoding="utf-8").write(
    ...     "公司名称,工商名称,地点,行业,子行业,融资时间,轮次,融资金额,投资方,估值\\n"
    ...     "甲,北京甲科技有限公司,北京-海淀区,硬件,机器人,2018-05-01,A轮,数千万人民币,X资本,未透露\\n"
    ...     ",,,,,2016-01-01,天使轮,500万人民币,\\"Y基金,Z资本\\",\\n")
    >>> ev, led = read_itjuzi(p, return_ledger=True)
    >>> ev[["round_std", "amount_status", "n_investors"]].values.tolist()
    [['A', 'vague', 1], ['angel', 'exact', 2]]
    """
    events, led = read_itjuzi_file(path, as_of=as_of)
    return _finish(events, led, return_ledger, validate)


def read_crunchbase(
    path: str | Path,
    *,
    return_ledger: bool = False,
    validate: bool = True,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read a Crunchbase ``funding_rounds.csv`` (columns documented in :mod:`lgresearch.deals_readers.crunchbase`).

    Parameters
    ----------
    path : str or Path
        A Crunchbase ``funding_rounds.csv``.
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: ``(frame, ledger)``.
    validate : bool, default True
        Check the result against the canonical schema.
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        Canonical events (and the ledger with ``return_ledger=True``).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "funding_rounds.csv")
    >>> _ = open(p, "w").write("org_name,announced_on,investment_type,raised_amount_usd,post_money_valuation_usd,"
    ...                        "country_code\\nAcme,2021-06-01,series_b,10000000,50000000,CHN\\n")
    >>> read_crunchbase(p)[["round_std", "amount_cny", "valuation_basis"]].values.tolist()
    [['B', 64515000.0, 'reported']]
    """
    events, led = read_crunchbase_file(path, as_of=as_of)
    return _finish(events, led, return_ledger, validate)


def read_deals(
    path: str | Path,
    mapping: DealMapping | Mapping[str, str],
    *,
    return_ledger: bool = False,
    validate: bool = True,
    source_line: str | None = None,
    as_of: str | pd.Timestamp | None = None,
    **options: object,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read any vendor's deal export through a column mapping (CVSource, Wind, IT桔子 paid exports …).

    Parameters
    ----------
    path : path
        csv, xls or xlsx; title rows above the header are skipped.
    mapping : DealMapping or mapping of canonical field -> vendor column
        Canonical fields: :data:`INPUT_FIELDS`. A plain dict is turned into a :class:`DealMapping` with
        ``**options`` (e.g. ``amount_unit="万"``, ``default_currency="CNY"``, ``investor_level=True``,
        ``investor_sep="、"``, ``location_sep="-"``, ``source="wind"``).
    source_line : str, optional
        Provenance text (default: the mapping's source and the file name).

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        Canonical events (and the ledger with ``return_ledger=True``).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "wind.csv")
    >>> _ = open(p, "w", encoding="utf-8").write(
    ...     "Wind 股权投资事件\\n\\n被投企业,披露日期,融资轮次,融资金额(万元),投后估值(万元),投资机构\\n"
    ...     "浙江乙光学股份有限公司,2022-03-08,B轮,5000,60000,甲资本、乙投资\\n")
    >>> ev = read_deals(p, {"firm_name": "被投企业", "date": "披露日期", "round": "融资轮次",
    ...                     "amount": "融资金额(万元)", "post_money": "投后估值(万元)", "investor": "投资机构"},
    ...                 amount_unit="万", valuation_unit="万", default_currency="CNY", investor_sep="、",
    ...                 source="wind")
    >>> ev[["amount_cny", "post_money_cny", "n_investors", "valuation_basis"]].values.tolist()
    [[50000000.0, 600000000.0, 2, 'reported']]
    """
    if not isinstance(mapping, DealMapping):
        options.setdefault("valuation_is", "reported")
        mapping = DealMapping(columns=dict(mapping), **options)  # type: ignore[arg-type]
    elif options:
        raise TypeError("options are only accepted with a plain dict mapping")
    p = Path(path)
    events, led = read_with_mapping(p, mapping, as_of=as_of)
    events = mark_real(events, source_line or f"{mapping.description or mapping.source} ({p.name})")
    events.attrs["ledger_summary"] = led.summary()
    return _finish(events, led, return_ledger, validate)



def build_processed() -> list[Path]:
    """Write the parsed 清科 events (parquet) and their ledger (csv) to ``data/processed``; nothing when absent.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> isinstance(build_processed(), list)  # doctest: +SKIP
    True
    """
    if not zero2ipo_available():
        return []
    events, led = read_zero2ipo(return_ledger=True)
    out_dir = paths.processed_dir()
    ev_path = out_dir / PROCESSED_EVENTS
    led_path = out_dir / PROCESSED_LEDGER
    plain = events.copy()
    plain.attrs = {}
    plain.to_parquet(ev_path, index=False)
    led.frame().to_csv(led_path, index=False)
    return [ev_path, led_path]
