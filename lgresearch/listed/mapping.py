"""A user's own file mapping listed firms to a batch or designation date, and vendor JSON board exports.

Examples
--------
>>> _pick(["Code", "公告日期"], _DATE_COLS)
'公告日期'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch._compat import renamed_kwargs
from lgresearch.clean.batches import parse_batch
from lgresearch.clean.dates import parse_date
from lgresearch.ledger import InputError, Ledger
from lgresearch.listed.codes import resolve_codes
from lgresearch.official import N_BATCHES
from lgresearch.provenance import mark_real
from lgresearch.securities import code_status, normalize_code

__all__ = ["read_dated_mapping", "load_json_board"]

_CODE_COLS = ("code", "stock_code", "ticker", "symbol", "股票代码", "证券代码", "代码")
_BATCH_COLS = ("batch", "批次", "designation_batch")
_DATE_COLS = ("designation_date", "date", "event_date", "announcement_date", "认定日期", "公告日期", "公示日期",
              "日期")
_NAME_COLS = ("name", "company", "firm", "证券简称", "股票简称", "企业名称", "名称")


def _pick(columns: Iterable[str], candidates: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    for cand in candidates:
        if cand.lower() in lower:
            return lower[cand.lower()]
    return None


def _mapping_dates(raw: pd.DataFrame, date_col: str | None, label: str, rows: np.ndarray, led: Ledger) -> pd.Series:
    """Designation dates of a dated mapping: an unreadable, impossible or ambiguous date is an error naming the
    row; a date after today is flagged."""
    if not date_col:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    parsed = parse_date(raw[date_col].astype(object).where(raw[date_col].notna(), None))
    bad = (parsed["status"] == "unparsed").to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(label, int(rows[i]), date_col, f"not a date ({parsed['flag'].iloc[i]}): "
                                                        f"{raw[date_col].iloc[i]!r}; write yyyy-mm-dd")
    future = (parsed["status"] == "future").to_numpy()
    led.add(label, rows[future], "flagged", reason="designation date after today",
            detail=raw.loc[future, date_col].astype(str).tolist())
    return parsed["date"].where(parsed["status"].isin(["ok", "future"]))


@renamed_kwargs(with_ledger="return_ledger")
def read_dated_mapping(
    path: str | Path, *, return_ledger: bool = False
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read a user's own file mapping listed firms to a Little Giant batch and/or designation date.

    Accepted columns (case-insensitive; Chinese headers too): a code (``code``, ``股票代码``, ``证券代码``...), and
    ``batch`` (``3``, ``第三批``) and/or a date (``designation_date``, ``date``, ``公告日期``...). An optional name
    column is kept. CSV, XLSX and XLS are read.

    Rows are accounted for in a ledger: a blank or malformed code, an unparseable batch *and* date, or a
    repeated code (the earliest designation is kept; the others are ``merged``) each give a recorded outcome.

    Parameters
    ----------
    path : str or Path
        The user's file.
    return_ledger : bool
        Also return the :class:`Ledger`.

    Returns
    -------
    DataFrame with columns ``code`` (old BSE codes resolved to ``920xxx`` where known), ``name``, ``batch``
    (Int64), ``designation_date`` (datetime64, NaT when only the batch is known), ``source_row``.

    Raises
    ------
    InputError
        The file has no code column, or neither a batch nor a date column; a date that is not a date.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "m.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("code,batch,date\\n300557,第五批,2023-07-14\\n1270,2,\\n")
    >>> read_dated_mapping(p)[["code", "batch"]].values.tolist()
    [['001270', 2], ['300557', 5]]
    """
    path = Path(path)
    label = path.name
    raw = _read_mapping_file(path)
    code_col, batch_col, date_col, name_col = _mapping_columns(raw, label)
    led = Ledger()
    rows = np.arange(2, len(raw) + 2)
    if batch_col:  # a batch that is written but is not an official batch (1-9) is an error, never dropped quietly
        _check_batches(raw, batch_col, label, rows)
    code = normalize_code(raw[code_col])
    status = code_status(raw[code_col])
    batch = (parse_batch(raw[batch_col], max_batch=N_BATCHES) if batch_col
             else pd.Series(pd.NA, index=raw.index, dtype="Int64"))
    date = _mapping_dates(raw, date_col, label, rows, led)
    padded = (status == "zero-padded").to_numpy()
    led.add(label, rows[padded], "flagged", reason="stock code zero-padded (leading zeros lost in the file)",
            detail=raw.loc[padded, code_col].astype(str).tolist())
    df = pd.DataFrame({"code": code, "batch": batch, "designation_date": date,
                       "name": raw[name_col].astype("string") if name_col else pd.NA, "source_row": rows})
    bad_code = df["code"].isna()
    led.add(label, df.loc[bad_code, "source_row"], "dropped", reason="blank or malformed stock code",
            detail=raw.loc[bad_code, code_col].astype(str).tolist())
    nothing = ~bad_code & df["batch"].isna() & df["designation_date"].isna()
    led.add(label, df.loc[nothing, "source_row"], "dropped", reason="neither a batch nor a date",
            detail=df.loc[nothing, "code"].astype(str).tolist())
    out = _earliest_per_code(df[~bad_code & ~nothing].copy(), label, led)
    out = mark_real(out, f"user-supplied dated mapping ({label})")
    led.reconcile({label: len(raw)}) if len(raw) else None
    return (out, led) if return_ledger else out


def _read_mapping_file(path: Path) -> pd.DataFrame:
    """The cells of a dated mapping as text (CSV, XLSX or XLS)."""
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        return pd.read_excel(path, dtype=str, engine="calamine")
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")


def _mapping_columns(raw: pd.DataFrame, label: str) -> tuple[str, str | None, str | None, str | None]:
    """The code, batch, date and name columns of a dated mapping; an error when the code column, or both the
    batch and the date column, are missing."""
    code_col = _pick(raw.columns, _CODE_COLS)
    if code_col is None:
        raise InputError(label, 1, None, f"no code column (expected one of {list(_CODE_COLS)}); got "
                                          f"{list(raw.columns)}")
    batch_col = _pick(raw.columns, _BATCH_COLS)
    date_col = _pick(raw.columns, _DATE_COLS)
    if batch_col is None and date_col is None:
        raise InputError(label, 1, None, "needs a batch column or a designation-date column (or both)")
    return code_col, batch_col, date_col, _pick(raw.columns, _NAME_COLS)


def _check_batches(raw: pd.DataFrame, batch_col: str, label: str, rows: np.ndarray) -> None:
    """Raise :class:`InputError` on the first written batch that is not an official batch, naming its row."""
    written = raw[batch_col].astype("string").str.strip().fillna("")
    bad_batch = (written != "") & parse_batch(raw[batch_col], max_batch=N_BATCHES).isna().to_numpy()
    if bad_batch.any():
        i = int(np.flatnonzero(bad_batch.to_numpy())[0])
        raise InputError(label, int(rows[i]), batch_col, f"not a batch: {raw[batch_col].iloc[i]!r} "
                                                         "(write 1-9 or 第N批)")


def _earliest_per_code(df: pd.DataFrame, label: str, led: Ledger) -> pd.DataFrame:
    """One row per (resolved) code, the earliest designation; the other rows are recorded as merged."""
    try:
        df["code"] = resolve_codes(df["code"])
    except FileNotFoundError:  # pragma: no cover - resolve_codes already guards
        pass
    df = df.sort_values(["code", "designation_date", "batch", "source_row"], na_position="last")
    dup = df["code"].duplicated()
    led.add(label, df.loc[dup, "source_row"], "merged", reason="code repeated: earliest designation kept")
    led.add(label, df.loc[~dup, "source_row"], "kept")
    out = df[~dup].sort_values("code", ignore_index=True)[["code", "name", "batch", "designation_date",
                                                          "source_row"]]
    out["designation_date"] = pd.to_datetime(out["designation_date"])
    return out


def load_json_board(path: str | Path, key: str = "专精特新") -> pd.DataFrame:
    """Read a THS ``board_constituents`` JSON export (``{key: [[code, name], ...]}``) into ``code, name``.

    Parameters
    ----------
    path : str or Path
        A vendor JSON board file.
    key : str
        The board key to read.

    Returns
    -------
    DataFrame
        One row per stock of the board.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "b.json")
    >>> _ = open(p, "w", encoding="utf-8").write('{"专精特新": [["300557", "理工光科"]]}')
    >>> load_json_board(p).values.tolist()
    [['300557', '理工光科']]
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if key not in data:
        raise InputError(Path(path).name, None, key, f"key {key!r} not found")
    rows = data[key]
    return pd.DataFrame({"code": normalize_code([r[0] for r in rows]),
                         "name": pd.array([r[1] if len(r) > 1 else pd.NA for r in rows], dtype="string")})
