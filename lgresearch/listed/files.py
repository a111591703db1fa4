"""Where the listed-firm vendor files are, and what each dated tag snapshot is.

File names come from the registry of third-party sources (:mod:`lgresearch.sources`): ``listed_history`` (the
dated snapshots folder), ``listed_tags``, ``stock_universe``, ``stock_list_2024`` and ``shenwan`` (both Shenwan
files); the constants below keep their 0.1 names.

Examples
--------
>>> LLG_DIR, HISTORY_DIR
('listed-little-giants', 'history')
>>> FLAG_COLUMNS[0], SHENWAN_FILE[-1]
('in_wind_neeq_2023_04', 'StockClassifyUse_stock.xls')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lgresearch import paths, sources

__all__ = [
    "LLG_DIR", "HISTORY_DIR", "CANDIDATES_FILE", "BY_CODE_FILE", "FIRST_SEEN_FILE", "SHENWAN_FILE",
    "SW2021_CODES_FILE", "STOCKLIST_2025", "STOCKLIST_2024", "SOURCE_LINE", "Snapshot", "SNAPSHOTS", "FLAG_COLUMNS",
    "normalize_name",
]

#: The vendor tag folder and its dated-snapshot subfolder (source ``listed_history``).
LLG_DIR, HISTORY_DIR = sources.parts("listed_history")
CANDIDATES_FILE = "listed_little_giants_candidates.csv"
#: One row per tagged code (source ``listed_tags``), inside :data:`LLG_DIR`.
BY_CODE_FILE = sources.parts("listed_tags")[-1]
FIRST_SEEN_FILE = "first_seen.csv"
#: The Shenwan classification history and the SW2021 code table (source ``shenwan``).
SHENWAN_FILE, SW2021_CODES_FILE = sources.source("shenwan").files
#: The tushare stock list of about 2025-11 (source ``stock_universe``) and the Eastmoney list of 2024-06-28
#: (source ``stock_list_2024``).
STOCKLIST_2025 = sources.parts("stock_universe")
STOCKLIST_2024 = sources.parts("stock_list_2024")

SOURCE_LINE = ("vendor 专精特新 tags (Eastmoney BK1005 2023-12/2024-01/2025-07, THS 885929 2026-02/2026-06, "
               "Wind NEEQ flag 2023-04) via public GitHub snapshots; not MIIT lists")


@dataclass(frozen=True)
class Snapshot:
    """One dated vendor tag snapshot file in ``listed-little-giants/history/``."""

    column: str
    file: str
    vendor: str
    date: str
    note: str = ""


SNAPSHOTS: tuple[Snapshot, ...] = (
    Snapshot("in_wind_neeq_2023_04", "oisea365_wind-neeq-zjtxflag_2023-04-29.csv", "wind", "2023-04-20",
             "Wind 是否专精特新企业=1, NEEQ firms only; snapshot about 2023-04-20"),
    Snapshot("in_em_2023_12", "hikyuu_em-concept-zjtx_2023-12-18.csv", "eastmoney", "2023-12-18"),
    Snapshot("in_em_2024_01", "hikyuu_em-concept-zjtx_2024-01-02.csv", "eastmoney", "2024-01-02"),
    Snapshot("in_em_2025_07", "etrobot_em-concept-zjtx_2025-07-30.csv", "eastmoney", "2025-07-30",
             "taken between 2025-07-10 and 2025-07-30"),
    Snapshot("in_ths_2026_02", "widgeta_ths-concept-zjtx_2026-02-21.csv", "ths", "2026-02-21"),
    Snapshot("in_ths_2026_06", "widgeta_ths-concept-zjtx_2026-06-18.csv", "ths", "2026-06-18"),
)
FLAG_COLUMNS = tuple(s.column for s in SNAPSHOTS)


def normalize_name(names: Iterable) -> pd.Series:
    """Normalise short names for matching: NFKC, no spaces, no ``*ST``/``ST``/``XD``/``XR``/``DR`` prefix.

    Parameters
    ----------
    names : iterable of str
        Stock short names as written.

    Returns
    -------
    Series
        The normalised short names.

    Examples
    --------
    >>> normalize_name(["*ST 云创", "万  科Ａ", "XD星昊医"]).tolist()
    ['云创', '万科A', '星昊医']
    """
    s = pd.Series(list(names) if not isinstance(names, pd.Series) else names, dtype="object")
    text = s.map(lambda v: "" if not isinstance(v, str) else unicodedata.normalize("NFKC", v))
    text = text.str.replace(r"\s+", "", regex=True)
    text = text.str.replace(r"^(\*?ST|S\*?ST|XD|XR|DR|N|C)(?=[^A-Za-z0-9])", "", regex=True)
    return text.astype("string")


def _require(*parts: str) -> Path:
    return paths.external_path(*parts, must_exist=True)


def _read_csv_str(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
