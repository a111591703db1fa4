"""Dated provincial notices (公示) of the Little Giant lists: facts with sources, for day-level event studies.

National batch 6 has no national publicity date: provinces published their lists in August-September 2024. The
file ``lgresearch/data/official/provincial_notices.csv`` records the notices whose date a public source gives, one row
per notice, each with its URL; :func:`provincial_notices` reads and validates it.

Examples
--------
>>> n = provincial_notices()
>>> sorted(n.columns)[:3], bool(n["source_url"].str.startswith("http").all())
(['batch', 'date', 'date_basis'], True)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lgresearch import paths
from lgresearch.errors import NoticeFileError

__all__ = [
    "NOTICE_COLUMNS", "DATE_BASES", "NOTICES_FILE", "provincial_notices",
]


NOTICE_COLUMNS = ["province", "province_zh", "batch", "list_type", "date", "date_basis", "source_url", "note"]
#: ``published``: the notice's own date; ``reported_by``: the notice was public on or before this date.
DATE_BASES = ("published", "reported_by")
NOTICES_FILE = "provincial_notices.csv"


def _fail(path: Path, row: int, col: str, value: object, msg: str) -> None:
    raise NoticeFileError(f"{path}: row {row + 2}, column '{col}': {value!r} {msg}")


def provincial_notices(directory: Path | None = None) -> pd.DataFrame:
    """Read the dated provincial notices (one row per notice, each with its source URL).

    Parameters
    ----------
    directory : Path, optional
        Folder holding ``provincial_notices.csv`` (default :func:`lgresearch.paths.official_dir`).

    Returns
    -------
    DataFrame with ``province, province_zh (as in stock lists, e.g. 江苏), batch (Int64), list_type, date (datetime),
    date_basis, source_url, note``.

    Raises
    ------
    NoticeFileError
        A missing column, an unreadable date or batch, an unknown ``date_basis`` or a row without an http(s)
        source URL; the message names the file, the row (as in a spreadsheet: header = row 1) and the column.

    Examples
    --------
    >>> n = provincial_notices()
    >>> n.loc[n["province"] == "Jiangsu", "date"].dt.strftime("%Y-%m-%d").tolist()
    ['2024-09-07']
    """
    path = Path(directory or paths.official_dir()) / NOTICES_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the provincial notices file ships with the package's official "
                                "facts (lgresearch/data/official)")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in NOTICE_COLUMNS if c not in raw.columns]
    if missing:
        raise NoticeFileError(f"{path}: columns {missing} are missing; the header must be {','.join(NOTICE_COLUMNS)}")
    out = raw[NOTICE_COLUMNS].copy()
    for i, r in out.iterrows():
        if not r["province"].strip():
            _fail(path, i, "province", r["province"], "is empty: name the province")
        if not r["batch"].strip().isdigit():
            _fail(path, i, "batch", r["batch"], "is not a batch number (1-7)")
        if pd.isna(pd.to_datetime(r["date"], format="%Y-%m-%d", errors="coerce")):
            _fail(path, i, "date", r["date"], "is not a date in YYYY-MM-DD form")
        if r["date_basis"] not in DATE_BASES:
            _fail(path, i, "date_basis", r["date_basis"], f"must be one of {DATE_BASES}")
        if not r["source_url"].startswith(("http://", "https://")):
            _fail(path, i, "source_url", r["source_url"], "is not an http(s) URL: every notice needs its source")
    out["batch"] = out["batch"].astype("Int64")
    out["date"] = pd.to_datetime(out["date"], format="%Y-%m-%d")
    return out.reset_index(drop=True)
