"""The named third-party sources: one registry of what each file is, where it lives and whether it is present.

Notebooks and analyses ask this registry whether a source is available instead of repeating file names. Every
entry names the files (relative to the third-party directory, :func:`lgresearch.paths.external_dir`) that must all
be present, and an English label for data banners and source lines.

Examples
--------
>>> from lgresearch import sources
>>> sources.label("zero2ipo")[:5]
'清科私募通'
>>> sources.status("zero2ipo") in {"real", "missing"}
True
>>> list(sources.sources_table().columns)
['name', 'label', 'files', 'present']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lgresearch import paths
from lgresearch.errors import LgresearchError

__all__ = ["Source", "SOURCES", "source", "parts", "available", "status", "label", "path", "sources_table"]


@dataclass(frozen=True)
class Source:
    """A named third-party source.

    Parameters
    ----------
    name : str
        Registry key.
    label : str
        English label for data banners and figure source lines.
    files : tuple of tuple of str
        Path parts below the third-party directory; the source is available when every one exists.
    """

    name: str
    label: str
    files: tuple[tuple[str, ...], ...]


def _s(name: str, label: str, *files: tuple[str, ...]) -> Source:
    return Source(name, label, tuple(files))


#: Every named source, by name.
SOURCES: dict[str, Source] = {s.name: s for s in (
    _s("zero2ipo", "清科私募通 guidance-fund investment events (muweiabc__govfund)",
       ("muweiabc__govfund", "invest_with_treatment.xlsx")),
    _s("fragments", "official designated-firm name fragments (srdi_firm_fragments.csv)",
       ("official", "srdi_firm_fragments.csv")),
    _s("listed_tags", "listed Little Giant vendor tags (listed-little-giants/)",
       ("listed-little-giants", "listed_little_giants_by_code.csv")),
    _s("listed_history", "vendor Little Giant tags and dated snapshots (listed-little-giants/history)",
       ("listed-little-giants", "history")),
    _s("stock_universe", "A-share stock list, 2025 (LYH-RAIN__StockTradebyZ)",
       ("LYH-RAIN__StockTradebyZ", "stocklist.csv")),
    _s("stock_list_2024", "A-share stock list with market caps, 2024-06-28 (Eastmoney via tszlam__trading)",
       ("tszlam__trading", "stock_list.csv")),
    _s("shenwan", "Shenwan industries (StockClassifyUse_stock.xls, SwClassCode_2021.xls)",
       ("markzhou-github__h5m80d50_priority", "StockClassifyUse_stock.xls"),
       ("qikaiquant__stock_china_mainland", "data", "SwClassCode_2021.xls")),
    _s("indices", "A-share indices (LiuZesensengsheng__gupiao)", ("LiuZesensengsheng__gupiao", "data")),
    _s("tr_indices", "A-share total-return indices: CSI 300 and CSI 1000 (hriszc__zechenhehuo)",
       ("hriszc__zechenhehuo", "data", "h00300.csv"), ("hriszc__zechenhehuo", "data", "h00852.csv")),
)}


def source(name: str) -> Source:
    """Return the registry entry for ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.

    Returns
    -------
    Source
        The entry.

    Raises
    ------
    LgresearchError
        When the name is not registered (the message lists the names that are).

    Examples
    --------
    >>> source("fragments").files
    (('official', 'srdi_firm_fragments.csv'),)
    """
    try:
        return SOURCES[name]
    except KeyError:
        raise LgresearchError(f"unknown source {name!r}; registered sources: {sorted(SOURCES)}") from None


def parts(name: str) -> tuple[str, ...]:
    """Return the path parts of the source's first file, relative to the third-party directory.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.

    Returns
    -------
    tuple of str
        Path components, for :func:`lgresearch.paths.external_path`.

    Examples
    --------
    >>> parts("zero2ipo")
    ('muweiabc__govfund', 'invest_with_treatment.xlsx')
    """
    return source(name).files[0]


def available(name: str) -> bool:
    """Return whether every file of a source is in the third-party directory.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.

    Returns
    -------
    bool
        True when all its files exist.

    Examples
    --------
    >>> isinstance(available("shenwan"), bool)
    True
    """
    return all(paths.has_external(*f) for f in source(name).files)


def status(name: str) -> str:
    """Return ``"real"`` when the source is available, else ``"missing"`` (the data banner's status words).

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.

    Returns
    -------
    str
        ``"real"`` or ``"missing"``.

    Examples
    --------
    >>> status("listed_tags") in {"real", "missing"}
    True
    """
    return "real" if available(name) else "missing"


def label(name: str) -> str:
    """Return the English label of a source.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> label("stock_universe")
    'A-share stock list, 2025 (LYH-RAIN__StockTradebyZ)'
    """
    return source(name).label


def path(name: str, *, must_exist: bool = False) -> Path:
    """Return the full path of the source's first file.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.
    must_exist : bool
        Raise :class:`lgresearch.errors.MissingExternalData` when it is absent.

    Returns
    -------
    pathlib.Path
        The path inside the third-party directory.

    Examples
    --------
    >>> path("zero2ipo").name
    'invest_with_treatment.xlsx'
    """
    return paths.external_path(*parts(name), must_exist=must_exist)


def sources_table() -> pd.DataFrame:
    """Return every registered source with its files and whether it is present.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``label``, ``files`` (``;``-separated relative paths) and ``present`` (bool).

    Examples
    --------
    >>> len(sources_table()) == len(SOURCES)
    True
    """
    rows = [{"name": s.name, "label": s.label, "files": "; ".join("/".join(f) for f in s.files),
             "present": available(s.name)} for s in SOURCES.values()]
    return pd.DataFrame(rows, columns=["name", "label", "files", "present"])
