"""The canonical deals schema and the generic, mapping-driven reader that every vendor reader uses.

One output row is one **financing event** (a firm raising a round on a date). Vendor exports are turned into
events in four steps, each accounted for in a :class:`~lgresearch.ledger.Ledger`:

1. read the table (csv / xls / xlsx, header row found by name, blank title rows above it skipped), numbering rows
   as the user sees them in the file;
2. rename vendor columns to canonical input fields with a :class:`DealMapping` (the hook that lets a user read
   CVSource, Wind or an IT桔子 paid export without new code);
3. parse dates (:func:`lgresearch.clean.parse_date`), rounds (:func:`~lgresearch.clean.normalize_round`),
   amounts and valuations (:func:`~lgresearch.clean.parse_money`, annual-average FX to CNY), stakes, investors
   and locations (:func:`lgresearch.clean.regions.normalize_region`), flagging every value that cannot be used;
4. collapse investor-level rows into events (firm, date, round): disclosed amounts are summed, the event's
   valuation is kept, duplicated investor rows are dropped with a reason.

Examples
--------
>>> DEAL_COLUMNS[:4]
['event_id', 'source', 'firm_id', 'firm_name']
>>> empty_events().shape[1] == len(DEAL_COLUMNS)
True
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lgresearch._compat import TEXT_DTYPE
from lgresearch.clean.dates import parse_date
from lgresearch.clean.money import cny_per_unit, parse_money
from lgresearch.clean.names import normalize_company_name
from lgresearch.clean.regions import normalize_regions
from lgresearch.clean.rounds import CATEGORIES, normalize_round
from lgresearch.clean.uscc import normalize_uscc, validate_uscc
from lgresearch.errors import InputError
from lgresearch.io import decode_text, parse_csv_text
from lgresearch.ledger import Ledger

__all__ = [
    "DEAL_COLUMNS", "STR_COLUMNS", "FLOAT_COLUMNS", "VALUATION_BASES", "AMOUNT_STATUSES", "IMPLIED_TOLERANCE",
    "VALUATION_CONFLICT_TOLERANCE", "UNDISCLOSED_FIRM", "INPUT_FIELDS", "DEAL_SCHEMA", "as_text", "empty_events",
    "validate_events", "DealMapping", "read_table", "table_ledger", "events_from_rows", "first_rows_index",
    "finalize_events", "read_with_mapping",
]


#: Canonical columns of a financing-event frame, in order (the contract with simulate.py and the notebooks).
DEAL_COLUMNS: list[str] = [
    "event_id",          # str: "<source>:<12 hex>", unique
    "source",            # str: zero2ipo | itjuzi | crunchbase | <custom>
    "firm_id",           # str or NA: normalised legal name (or "short:<name>"); NA when the firm is undisclosed
    "firm_name",         # str or NA: registered (legal) name as written
    "short_name",        # str or NA: short / brand name
    "uscc",              # str or NA: unified social credit code when the source has it
    "country",           # str or NA: country as written (中国, CHN, …)
    "province",          # str or NA: province, short form (浙江) when recognised, else as written
    "city",              # str or NA: prefecture-level city (杭州市; 北京市 for the municipalities)
    "industry_vendor",   # str or NA: the vendor's own industry
    "industry_gb",       # str or NA: national-standard (国标) industry where the source has it
    "date",              # datetime64: first day of the period when the precision is month or year
    "date_precision",    # str: day | month | year
    "year",              # int: calendar year of date
    "round_raw",         # str: round as written
    "round_std",         # str: lgresearch.clean.rounds standard label
    "stage_order",       # float: position on the stage ladder (NaN off the ladder)
    "category",          # str: one of CATEGORIES
    "investment_type",   # str or NA: vendor's deal type (创业投资, 成长资本, …)
    "currency",          # str or NA: currency as reported (ISO code)
    "amount_reported",   # float: amount in the reported currency (sum of disclosed investor amounts)
    "amount_cny",        # float: point amount in CNY (NaN unless an exact figure was disclosed)
    "amount_cny_low",    # float: lower bound in CNY (vague amounts, partial disclosure)
    "amount_cny_high",   # float: upper bound in CNY (inf when open-ended)
    "amount_disclosed",  # bool: some amount (exact, range or vague) was disclosed
    "amount_status",     # str: exact | partial | range | vague | undisclosed | missing | unparsed | unknown_currency
    "stake_pct",         # float: equity stake bought in this event, percent (0, 100]
    "post_money_cny",    # float: post-money valuation in CNY
    "valuation_basis",   # str: reported | implied | none
    "investors",         # list[str]: investors as written
    "n_investors",       # int: number of investors (len(investors) unless the source gives a count)
    "listed_exchange",   # str or NA: exchange(s) where the firm is listed, when the source says
    "source_file",       # str: file name the event came from
    "source_rows",       # list[int]: file row numbers (1-based, as seen in a spreadsheet) of the event's rows
]
#: Columns holding text (nullable).
STR_COLUMNS = ["event_id", "source", "firm_id", "firm_name", "short_name", "uscc", "country", "province", "city",
               "industry_vendor", "industry_gb", "date_precision", "round_raw", "round_std", "category",
               "investment_type", "currency", "amount_status", "valuation_basis", "listed_exchange", "source_file"]
FLOAT_COLUMNS = ["stage_order", "amount_reported", "amount_cny", "amount_cny_low", "amount_cny_high", "stake_pct",
                 "post_money_cny"]
VALUATION_BASES = ("reported", "implied", "none")
AMOUNT_STATUSES = ("exact", "partial", "range", "vague", "undisclosed", "missing", "unparsed", "unknown_currency")
#: Relative tolerance when checking a vendor valuation against amount ÷ stake.
IMPLIED_TOLERANCE = 0.05
#: Relative spread above which valuations given on the rows of one event are flagged as conflicting.
VALUATION_CONFLICT_TOLERANCE = 0.01
#: Firm names that mean "not disclosed".
UNDISCLOSED_FIRM = {"不披露", "未披露", "未透露", "保密", "--", "-", "undisclosed", ""}
#: Country spellings read as mainland China (regions are normalised only for these, or when no country is given).
_CHINA = {"中国", "中国大陆", "china", "chn", "cn", "prc", "mainland china"}
#: Canonical input fields a :class:`DealMapping` may name.
INPUT_FIELDS = (
    "firm_name", "short_name", "uscc", "location", "country", "province", "city", "industry_vendor",
    "industry_gb", "date", "round", "investment_type", "amount", "currency", "amount_cny", "stake_pct",
    "post_money", "post_money_currency", "post_money_cny", "investor", "investor_id", "n_investors",
    "listed_exchange",
)


def _str_or_na(s: pd.Series) -> bool:
    return bool(s.map(lambda v: v is None or (isinstance(v, float) and math.isnan(v)) or isinstance(v, str)).all())


def _is_list_of_str(s: pd.Series) -> bool:
    return bool(s.map(lambda v: isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)).all())


def _str_col(**kw) -> pa.Column:
    return pa.Column(None, pa.Check(_str_or_na, element_wise=False, error="text or missing"), **kw)


#: The pandera schema of the canonical events frame.
DEAL_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": _str_col(unique=True, nullable=False),
        "source": _str_col(nullable=False),
        "firm_id": _str_col(nullable=True),
        "firm_name": _str_col(nullable=True),
        "short_name": _str_col(nullable=True),
        "uscc": pa.Column(None, [pa.Check(_str_or_na, element_wise=False),
                                 pa.Check(lambda s: s.dropna().astype(str).str.fullmatch(r"[0-9A-Z]{18}").all(),
                                          element_wise=False, error="USCC is 18 characters")], nullable=True),
        "country": _str_col(nullable=True),
        "province": _str_col(nullable=True),
        "city": _str_col(nullable=True),
        "industry_vendor": _str_col(nullable=True),
        "industry_gb": _str_col(nullable=True),
        "date": pa.Column("datetime64[ns]", nullable=False),
        "date_precision": pa.Column(None, pa.Check.isin(["day", "month", "year"])),
        "year": pa.Column("int64", pa.Check.in_range(1900, 2100)),
        "round_raw": _str_col(nullable=True),
        "round_std": _str_col(nullable=False),
        "stage_order": pa.Column("float64", nullable=True),
        "category": pa.Column(None, pa.Check.isin(list(CATEGORIES))),
        "investment_type": _str_col(nullable=True),
        "currency": _str_col(nullable=True),
        "amount_reported": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_cny": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_cny_low": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_cny_high": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "amount_disclosed": pa.Column("bool"),
        "amount_status": pa.Column(None, pa.Check.isin(list(AMOUNT_STATUSES))),
        "stake_pct": pa.Column("float64", pa.Check.in_range(0, 100, include_min=False), nullable=True),
        "post_money_cny": pa.Column("float64", pa.Check.gt(0), nullable=True),
        "valuation_basis": pa.Column(None, pa.Check.isin(list(VALUATION_BASES))),
        "investors": pa.Column(None, pa.Check(_is_list_of_str, element_wise=False, error="list of str")),
        "n_investors": pa.Column("int64", pa.Check.ge(0)),
        "listed_exchange": _str_col(nullable=True),
        "source_file": _str_col(nullable=False),
        "source_rows": pa.Column(None, pa.Check(
            lambda s: s.map(lambda v: isinstance(v, (list, tuple)) and len(v) > 0).all(), element_wise=False,
            error="non-empty list of row numbers")),
    },
    checks=[
        pa.Check(lambda d: ((d["amount_cny_low"] <= d["amount_cny_high"]) | d["amount_cny_low"].isna()
                             | d["amount_cny_high"].isna()).all(), element_wise=False, error="low <= high"),
        pa.Check(lambda d: ((d["valuation_basis"] == "none") == d["post_money_cny"].isna()).all(),
                 element_wise=False, error="valuation_basis 'none' exactly when there is no valuation"),
    ],
    strict=False,  # extra columns (e.g. a simulated frame's ``provenance``) are allowed
)


def as_text(s: pd.Series) -> pd.Series:
    """Text column in the house dtype (``str``; see :mod:`lgresearch._compat`), missing values kept missing.

    Parameters
    ----------
    s : Series
        Any column.

    Returns
    -------
    Series
        The column in the house text dtype.

    Examples
    --------
    >>> as_text(pd.Series(["a", None])).isna().tolist()
    [False, True]
    """
    obj = s.astype(object)
    obj = obj.where(obj.notna(), None)
    return obj.astype(TEXT_DTYPE)


def empty_events() -> pd.DataFrame:
    """An events frame with no rows and the canonical columns and dtypes.

    Returns
    -------
    DataFrame
        An empty frame with :data:`DEAL_COLUMNS` and their dtypes.

    Examples
    --------
    >>> list(empty_events().columns) == DEAL_COLUMNS
    True
    """
    cols: dict[str, pd.Series] = {}
    for c in DEAL_COLUMNS:
        if c in STR_COLUMNS:
            cols[c] = as_text(pd.Series([], dtype=object))
        elif c in FLOAT_COLUMNS:
            cols[c] = pd.Series([], dtype="float64")
        elif c == "date":
            cols[c] = pd.Series([], dtype="datetime64[ns]")
        elif c in ("year", "n_investors"):
            cols[c] = pd.Series([], dtype="int64")
        elif c == "amount_disclosed":
            cols[c] = pd.Series([], dtype="bool")
        else:
            cols[c] = pd.Series([], dtype=object)
    return pd.DataFrame(cols)


def validate_events(events: pd.DataFrame) -> pd.DataFrame:
    """Validate an events frame against :data:`DEAL_SCHEMA` (raises ``pandera.errors.SchemaError``).

    Parameters
    ----------
    events : DataFrame
        Events to check against :data:`DEAL_SCHEMA`.

    Returns
    -------
    DataFrame
        The events, validated (raises on a schema violation).

    Examples
    --------
    >>> validate_events(empty_events()).shape[0]
    0
    """
    return DEAL_SCHEMA.validate(events)


# ---------------------------------------------------------------------------------------------------------------
# The mapping hook
# ---------------------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------------------
# Reading tables
# ---------------------------------------------------------------------------------------------------------------


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str)
                                                                                      and not v.strip())


def _read_workbook(path: Path, sheet: str | int) -> pd.DataFrame:
    """All cells of one worksheet, from A1, as objects (python-calamine; pandas' reader as a fallback)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - calamine is a dependency
        return pd.read_excel(path, header=None, sheet_name=sheet).astype(object)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        ws = wb.get_sheet_by_name(sheet) if isinstance(sheet, str) else wb.get_sheet_by_index(sheet)
        data = ws.to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - report any workbook error with the file name
        raise InputError(path.name, None, None, f"cannot read the workbook: {exc}") from exc
    if not data:
        return pd.DataFrame()
    width = max(len(r) for r in data)
    return pd.DataFrame([list(r) + [""] * (width - len(r)) for r in data], dtype=object)


def read_table(path: str | Path, *, sheet: str | int = 0, header_names: Sequence[str] = (),
               max_scan: int = 30) -> pd.DataFrame:
    """Read a csv / xls / xlsx export with its header row found by name.

    Title rows and blank rows above the header (as in raw 私募通 ``.xls`` exports) are skipped. Cells keep their
    types (numbers stay numbers). The returned frame has a ``_row`` column: the row number a spreadsheet shows
    (1-based, header included). Empty header cells are named ``Unnamed: <i>``.

    Parameters
    ----------
    path : path
    sheet : str or int
        Worksheet of a workbook.
    header_names : sequence of str
        Column names expected in the header; the first row among the first ``max_scan`` rows holding the most of
        them is the header (the first non-blank row when none is given).

    Returns
    -------
    DataFrame
        The rows below the header, as text, with ``source_file`` and ``source_row``.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "x.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("title line,\\n,\\nname,date\\nA,2020-01-01\\n")
    >>> read_table(p, header_names=["name", "date"])[["name", "date", "_row"]].values.tolist()
    [['A', '2020-01-01', 4]]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(path.name, None, None, "file not found; check the path")
    notes: list[tuple] = []
    if suffix in (".csv", ".txt", ".tsv"):
        sep = "\t" if suffix == ".tsv" else ","
        text, _enc = decode_text(path.read_bytes(), path.name)
        # lgresearch.io's parser: records numbered by physical line, quoted multi-line fields, unclosed quotes
        records, notes, n_physical = parse_csv_text(text, delimiter=sep, name=path.name)
        width = max((len(r) for _, r in records), default=0)
        raw = pd.DataFrame([r + [""] * (width - len(r)) for _, r in records], dtype=object)
        line_of = [line for line, _ in records]
    elif suffix in (".xls", ".xlsx", ".xlsm", ".ods"):
        raw = _read_workbook(path, sheet)
        n_physical = len(raw)
        line_of = list(range(1, len(raw) + 1))
    else:
        raise InputError(path.name, None, None, f"unsupported file type {suffix!r}; save the export as csv, xls "
                                                f"or xlsx")
    if raw.empty:
        raise InputError(path.name, None, None, "the file is empty; check that the export holds data rows")
    wanted = {str(h).strip() for h in header_names}
    header_idx = None
    best = 0
    for i in range(min(max_scan, len(raw))):
        cells = [str(v).strip() for v in raw.iloc[i].tolist() if not _blank(v)]
        if not cells:
            continue
        if not wanted:
            header_idx = i
            break
        hits = len(wanted & set(cells))
        if hits > best:
            best, header_idx = hits, i
    if header_idx is None or (wanted and best == 0):
        raise InputError(path.name, None, None, f"no header row with any of {sorted(wanted)[:6]} in the first "
                                                f"{max_scan} rows; check the export's column names (or pass a "
                                                f"DealMapping naming your columns)")
    names = []
    for j, v in enumerate(raw.iloc[header_idx].tolist()):
        name = f"Unnamed: {j}" if _blank(v) else str(v).strip()
        while name in names:
            name += "_dup"
        names.append(name)
    body = raw.iloc[header_idx + 1:].copy()
    body.columns = names
    # the row number a person sees: the spreadsheet row, or the CSV line where the record starts
    body["_row"] = np.asarray(line_of[header_idx + 1:], dtype="int64")
    body = body.reset_index(drop=True)
    above = [(line_of[i], "blank line" if all(_blank(v) for v in raw.iloc[i].tolist()) else "title line")
             for i in range(header_idx)]
    body.attrs["table_ledger"] = {"file": path.name, "physical_rows": int(n_physical),
                                  "above": [*above, (line_of[header_idx], "header row")], "notes": list(notes)}
    return body


def table_ledger(rows: pd.DataFrame) -> tuple[Ledger, dict[str, int]]:
    """Ledger entries for the rows :func:`read_table` did not return as data, and the file's physical row count.

    Rows above the header (title and blank lines) and the header row are ``dropped`` with their reason; lines
    inside a quoted CSV field are ``merged`` into the record they continue; lines with an unclosed quote or a
    truncated last line are ``flagged`` (see :func:`lgresearch.io.parse_csv_text`).

    Parameters
    ----------
    rows : DataFrame
        Rows from :func:`read_table` with ``source_file`` and ``source_row``.

    Returns
    -------
    (Ledger, {file: physical rows})

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("export\\nname,date\\nA,2020-01-01\\n")
    >>> led, n = table_ledger(read_table(p, header_names=["name", "date"]))
    >>> led.frame()[["source_row", "reason"]].values.tolist(), n
    ([[1, 'title line'], [2, 'header row']], {'x.csv': 3})
    """
    info = rows.attrs.get("table_ledger") or {}
    led = Ledger()
    if not info:
        return led, {}
    name = info["file"]
    for row, reason in info["above"]:
        led.add(name, [int(row)], "dropped", reason=reason)
    for file, row, outcome, reason, detail in info["notes"]:
        led.add(file, [int(row)], outcome, reason=reason, detail=detail)
    return led, {name: int(info["physical_rows"])}


# ---------------------------------------------------------------------------------------------------------------
# Parsing helpers
# ---------------------------------------------------------------------------------------------------------------


def _field(rows: pd.DataFrame, mapping: DealMapping, name: str) -> pd.Series | None:
    col = mapping.columns.get(name)
    if col is None:
        return None
    if isinstance(col, str):
        return rows[col]
    parts = [[None if _blank(v) else str(v).strip() for v in rows[c].tolist()] for c in col]
    joined = []
    for vals in zip(*parts, strict=True):
        keep = [v for v in vals if v is not None and v not in mapping.missing_tokens]
        joined.append("|".join(keep) if keep else None)
    return pd.Series(joined, index=rows.index, dtype=object)


def _clean_text(s: pd.Series | None, index: pd.Index, missing: Sequence[str]) -> pd.Series:
    if s is None:
        return pd.Series([None] * len(index), index=index, dtype=object)
    miss = set(missing)

    def one(v: object) -> str | None:
        if _blank(v):
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        return None if text in miss else text

    values = s.tolist()
    cache: dict = {}
    out = []
    for v in values:
        try:
            got = cache[v]
        except (KeyError, TypeError):
            got = one(v)
            try:
                cache[v] = got
            except TypeError:
                pass
        out.append(got)
    return pd.Series(out, index=index, dtype=object)


def _number(s: pd.Series | None, index: pd.Index, missing: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    """Plain numbers (stakes, counts): returns (values, unparseable mask)."""
    if s is None:
        return pd.Series(np.nan, index=index), pd.Series(False, index=index)
    text = _clean_text(s, index, missing)
    cleaned = pd.Series([re.sub(r"[,%\s]|\(e\)", "", v) if isinstance(v, str) else None for v in text.tolist()],
                        index=index, dtype=object)
    num = pd.to_numeric(cleaned, errors="coerce")
    bad = cleaned.notna() & num.isna()
    return num.astype(float), bad


def _split_investors(s: pd.Series | None, index: pd.Index, sep: str | None, missing: Sequence[str]) -> pd.Series:
    text = _clean_text(s, index, missing).tolist()
    if sep is None:
        lists = [[v] if isinstance(v, str) else [] for v in text]
    else:
        lists = [[p.strip() for p in v.split(sep) if p.strip() and p.strip() not in missing]
                 if isinstance(v, str) else [] for v in text]
    return pd.Series(lists, index=index, dtype=object)


def _fill(s: pd.Series, values: list) -> pd.Series:
    """``s`` where present, else ``values`` (object dtype, None for missing)."""
    return pd.Series([a if isinstance(a, str) else (b if isinstance(b, str) and b else None)
                      for a, b in zip(s.tolist(), values, strict=True)], index=s.index, dtype=object)


def _location(rows: pd.DataFrame, mapping: DealMapping, index: pd.Index) -> pd.DataFrame:
    miss = mapping.missing_tokens
    country = _clean_text(_field(rows, mapping, "country"), index, miss)
    province = _clean_text(_field(rows, mapping, "province"), index, miss)
    city = _clean_text(_field(rows, mapping, "city"), index, miss)
    loc = _field(rows, mapping, "location")
    if loc is not None:
        text = _clean_text(loc, index, miss)
        sep = mapping.location_sep
        parts = pd.Series([([p.strip() for p in v.split(sep)] if sep else [v]) if isinstance(v, str) else []
                           for v in text.tolist()], index=index, dtype=object)
        off = 1 if mapping.location_has_country else 0
        if mapping.location_has_country:
            country = _fill(country, [p[0] if len(p) > 0 else None for p in parts])
        province = _fill(province, [p[off] if len(p) > off else None for p in parts])
        city = _fill(city, [p[off + 1] if len(p) > off + 1 else None for p in parts])
    china = country.map(lambda c: not isinstance(c, str) or c.strip().lower() in _CHINA)
    norm = normalize_regions(province.where(china, None).astype(object), city.where(china, None).astype(object))
    retry = norm["province"].isna() & province.notna() & city.notna()
    if retry.any():  # a city the region table does not know (e.g. 新疆|石河子市): keep the province
        again = normalize_regions(province[retry].astype(object))
        norm.loc[retry, :] = again.values
    prov_out = _fill(norm["province"].astype(object), province.tolist())
    city_norm = norm["city"].astype(object)
    municipal = norm["province_code"].astype(object).isin(["11", "12", "31", "50"])
    # a city is kept as written when its province is not recognised
    raw_city = [c if not ok else None for c, ok in zip(city.tolist(), norm["province"].notna().tolist(),
                                                       strict=True)]
    city_out = pd.Series([
        cn if isinstance(cn, str) else (f"{p}市" if mun and isinstance(p, str) else rc)
        for cn, mun, p, rc in zip(city_norm.tolist(), municipal.tolist(), prov_out.tolist(), raw_city, strict=True)
    ], index=index, dtype=object)
    recognised = norm["province"].notna() | province.isna() | ~china
    return pd.DataFrame({"country": country, "province": prov_out, "city": city_out,
                         "_region_ok": recognised}, index=index)


def _checked_uscc(codes: pd.Series, rows: pd.Series, source_file: str, ledger: Ledger) -> pd.Series:
    """USCCs normalised (spaces, hyphens, full-width, lower case) and check-digit verified; bad ones flagged."""
    raw = codes.astype(object)
    present = raw.map(lambda v: isinstance(v, str) and bool(v.strip()))
    if not present.any():
        return pd.Series([None] * len(raw), index=raw.index, dtype=object)
    squeezed = raw.map(lambda v: re.sub(r"[\s\-_.·]+", "", unicodedata.normalize("NFKC", v)).upper()
                       if isinstance(v, str) else None)
    shaped = squeezed.map(lambda v: isinstance(v, str) and re.fullmatch(r"[0-9A-Z]{18}", v) is not None)
    valid = validate_uscc(squeezed.where(present, None)).astype(bool) & present
    malformed = present & ~shaped
    wrong_check = present & shaped & ~valid
    if malformed.any():
        ledger.add(source_file, rows[malformed].tolist(), "flagged", reason="malformed USCC (set missing)",
                   detail=raw[malformed].astype(str).tolist())
    if wrong_check.any():
        ledger.add(source_file, rows[wrong_check].tolist(), "flagged",
                   reason="USCC check digit wrong (set missing)", detail=raw[wrong_check].astype(str).tolist())
    normal = normalize_uscc(squeezed.where(valid, None))
    return pd.Series([v if isinstance(v, str) and ok else None for v, ok in zip(normal.tolist(), valid.tolist(),
                                                                                strict=True)],
                     index=raw.index, dtype=object)


def _hash(parts: Sequence[object]) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------------------------


def events_from_rows(
    rows: pd.DataFrame,
    mapping: DealMapping,
    *,
    source_file: str,
    ledger: Ledger,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Turn vendor rows (with a ``_row`` column) into canonical events, recording every row in ``ledger``.

    This is the engine behind every reader; :func:`lgresearch.deals.read_deals` calls it after
    :func:`read_table`.

    Parameters
    ----------
    rows : DataFrame
        Table rows from :func:`read_table`.
    mapping : DealMapping
        Which source column holds which canonical field.
    source_file : str
        The file name recorded on every event and ledger row.
    ledger : Ledger
        Receives one outcome per input row.
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    DataFrame
        Canonical events, one per round.

    Examples
    --------
    >>> rows = pd.DataFrame({"Company": ["甲科技有限公司", "甲科技有限公司"], "Date": ["2021-03-01", "2021-03-01"],
    ...                      "Round": ["A轮", "A轮"], "Amount": ["1000万人民币", "500万人民币"],
    ...                      "Investor": ["X资本", "Y基金"], "_row": [2, 3]})
    >>> m = DealMapping({"firm_name": "Company", "date": "Date", "round": "Round", "amount": "Amount",
    ...                  "investor": "Investor"}, investor_level=True, source="demo")
    >>> led = Ledger()
    >>> ev = events_from_rows(rows, m, source_file="demo.csv", ledger=led)
    >>> ev[["amount_cny", "n_investors", "round_std"]].values.tolist()
    [[15000000.0, 2, 'A']]
    >>> led.summary()
    '2 rows: 1 kept, 1 merged, 0 dropped (0 flagged)'
    """
    missing_req = mapping.required_missing()
    if missing_req:
        raise ValueError(f"mapping lacks required fields: {missing_req}")
    absent_fields = [f for f, c in mapping.columns.items()
                     if any(col not in rows.columns for col in ([c] if isinstance(c, str) else c))]
    required_absent = [f for f in absent_fields if f not in mapping.optional]
    if required_absent:
        cols = [mapping.columns[f] for f in required_absent]
        first = cols[0] if isinstance(cols[0], str) else cols[0][0]
        raise InputError(source_file, None, first, f"column not found in the file (mapping names {cols})")
    if absent_fields:  # optional columns this export lacks: read as missing values
        mapping = replace(mapping, columns={f: c for f, c in mapping.columns.items() if f not in absent_fields})
    if "_row" not in rows.columns:
        rows = rows.assign(_row=np.arange(2, 2 + len(rows), dtype="int64"))
    rows = rows.reset_index(drop=True)
    miss = mapping.missing_tokens
    idx = rows.index
    file_rows = rows["_row"].astype("int64")

    def flag(mask: pd.Series, reason: str, detail: pd.Series | str = "") -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            det = detail[mask].astype(str).tolist() if isinstance(detail, pd.Series) else detail
            ledger.add(source_file, file_rows[mask].tolist(), "flagged", reason=reason, detail=det)

    def drop(mask: pd.Series, reason: str, detail: pd.Series | str = "") -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            det = detail[mask].astype(str).tolist() if isinstance(detail, pd.Series) else detail
            ledger.add(source_file, file_rows[mask].tolist(), "dropped", reason=reason, detail=det)

    # 0. blank rows
    data_cols = [c for c in rows.columns if c != "_row"]
    if len(rows):
        cells = rows[data_cols]
        blank = (cells.isna() | cells.isin(["", " ", "\u3000"])).all(axis=1)
    else:
        blank = pd.Series(False, index=idx)
    drop(blank, "blank row")
    alive = ~blank

    # 1. firm
    firm_name = _clean_text(_field(rows, mapping, "firm_name"), idx, ())
    short_name = _clean_text(_field(rows, mapping, "short_name"), idx, ())
    und_firm = firm_name.map(lambda v: not isinstance(v, str) or v in UNDISCLOSED_FIRM)
    und_short = short_name.map(lambda v: not isinstance(v, str) or v in UNDISCLOSED_FIRM)
    firm_name = firm_name.where(~und_firm, None)
    short_name = short_name.where(~und_short, None)
    explicit_undisclosed = (_clean_text(_field(rows, mapping, "firm_name"), idx, ()).isin(UNDISCLOSED_FIRM - {""})
                            & und_short)
    no_firm = und_firm & und_short & ~explicit_undisclosed
    drop(alive & no_firm, "no firm name")
    alive &= ~no_firm
    flag(alive & explicit_undisclosed, "firm undisclosed by the vendor (kept; no firm_id)")

    # 2. date
    dates = parse_date(rows[mapping.columns["date"]] if isinstance(mapping.columns["date"], str)
                       else _field(rows, mapping, "date"), as_of=as_of)
    date_raw = _clean_text(_field(rows, mapping, "date"), idx, ())
    drop(alive & (dates["status"] == "missing"), "no date")
    other = ~dates["status"].isin(["ok", "future", "missing"])  # unparsed, or any flag the date parser raises
    drop(alive & other & dates["date"].isna(), "unreadable date", date_raw)
    alive &= dates["date"].notna()
    flag(alive & (dates["status"] == "future"), "date in the future", date_raw)
    for status in sorted(set(dates.loc[alive & other, "status"].astype(str))):
        flag(alive & (dates["status"] == status), f"date {status}", date_raw)

    # 3. round
    round_raw = _clean_text(_field(rows, mapping, "round"), idx, ())
    rounds = normalize_round(round_raw.where(round_raw.notna(), None))
    flag(alive & ~rounds["known"], "unknown round", round_raw)

    # 4. amounts
    year = dates["date"].dt.year
    cur_col = _field(rows, mapping, "currency")
    currency_in = (_clean_text(cur_col, idx, miss) if cur_col is not None
                   else pd.Series([mapping.default_currency] * len(idx), index=idx, dtype=object))
    cur_from_default = currency_in.isna()
    currency_in = currency_in.where(currency_in.notna(), mapping.default_currency)
    amt_raw = _field(rows, mapping, "amount")
    if amt_raw is not None:
        amt = parse_money(amt_raw.astype(object), unit=mapping.amount_unit, currency=currency_in)
    else:
        amt = parse_money(pd.Series([None] * len(idx), index=idx, dtype=object), currency=currency_in)
    amt_text = _clean_text(amt_raw, idx, ()) if amt_raw is not None else pd.Series("", index=idx)
    negative = (amt["low"] < 0) | (amt["point"] < 0) | (amt["high"] < 0) | (
        amt["point"].isna() & amt_text.map(lambda v: isinstance(v, str) and re.match(r"\s*[-−－]\s*\d", v) is not None))
    if negative.any():
        flag(alive & negative, "negative amount (set missing)", amt_text)
        amt.loc[negative, ["point", "low", "high"]] = np.nan
        amt.loc[negative, "status"] = "unparsed"
        amt.loc[negative, "disclosed"] = False
    flag(alive & (amt["status"] == "unparsed") & ~negative, "unparseable amount", amt_text)
    flag(alive & (amt["status"] == "unknown_currency"), "unknown currency", amt["currency"].astype(str))
    flag(alive & amt["estimated"], "estimated amount (vendor mark)", amt_text)
    rate = cny_per_unit(amt["currency"].tolist(), year.tolist())
    rate.index = idx
    needs_rate = amt["low"].notna() & amt["currency"].notna() & (amt["status"] != "unknown_currency")
    flag(alive & needs_rate & rate["rate"].isna(), "no exchange rate for the currency and year",
         amt["currency"].astype(str))
    flag(alive & needs_rate & rate["rate"].notna() & (rate["rate_year"] != year),
         "exchange rate of the nearest year used", rate["rate_year"].astype(str))
    no_cur = alive & amt["low"].notna() & amt["currency"].isna()
    flag(no_cur, "amount without a currency (not converted)", amt_text)
    # a missing amount whose currency comes only from the mapping's default has no reported currency
    amt.loc[(amt["status"] == "missing") & cur_from_default, "currency"] = None
    conv = rate["rate"].where(amt["status"] != "unknown_currency")
    amt_cny_point = amt["point"] * conv
    amt_cny_low = amt["low"] * conv
    amt_cny_high = amt["high"] * conv
    vendor_cny = _field(rows, mapping, "amount_cny")
    if vendor_cny is not None:
        vc = parse_money(vendor_cny.astype(object), unit=mapping.amount_unit, currency="CNY")
        neg_v = vc["point"] < 0
        flag(alive & neg_v, "negative vendor CNY amount (set missing)", _clean_text(vendor_cny, idx, ()))
        vc.loc[neg_v, "point"] = np.nan
        has_v = vc["point"].notna()
        differs = has_v & amt_cny_point.notna() & ((vc["point"] / amt_cny_point - 1).abs() > 0.10)
        flag(alive & differs & (amt["currency"] != "CNY"),
             "vendor CNY amount differs >10% from annual-average conversion (vendor figure used)",
             vc["point"].astype(str))
        amt_cny_point = vc["point"].where(has_v, amt_cny_point)
        amt_cny_low = vc["point"].where(has_v, amt_cny_low)
        amt_cny_high = vc["point"].where(has_v, amt_cny_high)
        fill_status = has_v & ~amt["status"].isin(["exact"])
        amt.loc[fill_status, "status"] = "exact"
        amt.loc[fill_status, "disclosed"] = True
        amt.loc[fill_status & amt["currency"].isna(), "currency"] = "CNY"

    # 5. stake
    stake, stake_bad = _number(_field(rows, mapping, "stake_pct"), idx, miss)
    stake = stake * mapping.stake_scale
    stake_raw = _clean_text(_field(rows, mapping, "stake_pct"), idx, ())
    flag(alive & stake_bad, "unparseable stake", stake_raw)
    out_of_range = stake.notna() & ((stake <= 0) | (stake > 100))
    flag(alive & out_of_range, "stake out of range (0, 100] (set missing)", stake_raw)
    stake = stake.where(~out_of_range)

    # 6. valuation
    val_cny = pd.Series(np.nan, index=idx)
    val_src = _field(rows, mapping, "post_money_cny")
    if val_src is not None:
        v = parse_money(val_src.astype(object), unit=mapping.valuation_unit, currency="CNY")
        flag(alive & (v["status"] == "unparsed"), "unparseable valuation", _clean_text(val_src, idx, ()))
        val_cny = v["point"]
    val_orig = _field(rows, mapping, "post_money")
    if val_orig is not None:
        vcur_col = _field(rows, mapping, "post_money_currency")
        vcur = (_clean_text(vcur_col, idx, miss) if vcur_col is not None else currency_in)
        vcur = vcur.where(vcur.notna(), mapping.default_currency)
        v = parse_money(val_orig.astype(object), unit=mapping.valuation_unit, currency=vcur)
        flag(alive & v["status"].isin(["unparsed", "unknown_currency"]), "unparseable valuation",
             _clean_text(val_orig, idx, ()))
        vr = cny_per_unit(v["currency"].tolist(), year.tolist())
        vr.index = idx
        conv_v = v["point"] * vr["rate"]
        val_cny = val_cny.where(val_cny.notna(), conv_v)
    bad_val = val_cny.notna() & (val_cny <= 0)
    flag(alive & bad_val, "non-positive valuation (set missing)", val_cny.astype(str))
    val_cny = val_cny.where(~bad_val)

    # 7. investors
    inv_sep = mapping.investor_sep
    investors = _split_investors(_field(rows, mapping, "investor"), idx, inv_sep, miss)
    inv_id = _clean_text(_field(rows, mapping, "investor_id"), idx, miss)
    inv_key = inv_id.where(inv_id.notna(), investors.map(lambda v: "|".join(v) if v else None))
    inv_key = pd.Series([re.sub(r"（领投）|\(领投\)|（跟投）", "", v) if isinstance(v, str) else None
                         for v in inv_key.tolist()], index=idx, dtype=object)
    n_inv_col, n_inv_bad = _number(_field(rows, mapping, "n_investors"), idx, miss)

    # 8. other text fields and location
    loc = _location(rows, mapping, idx)
    flag(alive & ~loc["_region_ok"], "region not recognised (kept as written)",
         loc["province"].astype(str))
    frame = pd.DataFrame(
        {
            "_row": file_rows,
            "firm_name": firm_name,
            "short_name": short_name,
            "uscc": _clean_text(_field(rows, mapping, "uscc"), idx, miss),
            "country": loc["country"],
            "province": loc["province"],
            "city": loc["city"],
            "industry_vendor": _clean_text(_field(rows, mapping, "industry_vendor"), idx, miss),
            "industry_gb": _clean_text(_field(rows, mapping, "industry_gb"), idx, miss),
            "date": dates["date"],
            "date_precision": dates["precision"],
            "round_raw": round_raw,
            "round_std": rounds["round_std"],
            "stage_order": rounds["stage_order"],
            "category": rounds["category"],
            "investment_type": _clean_text(_field(rows, mapping, "investment_type"), idx, miss),
            "currency": amt["currency"],
            "amount_reported": amt["point"],
            "amount_cny": amt_cny_point,
            "amount_cny_low": amt_cny_low,
            "amount_cny_high": amt_cny_high,
            "amount_disclosed": amt["disclosed"],
            "amount_status": amt["status"],
            "stake_pct": stake,
            "post_money_cny": val_cny,
            "investors": investors,
            "_inv_key": inv_key,
            "_n_inv": n_inv_col,
            "listed_exchange": _clean_text(_field(rows, mapping, "listed_exchange"), idx, miss),
        },
        index=idx,
    )[alive]
    frame["uscc"] = _checked_uscc(frame["uscc"], frame["_row"], source_file, ledger)

    # firm id: normalised legal name, else short name within province, else NA (undisclosed)
    legal_norm = pd.Series(normalize_company_name(frame["firm_name"].astype(object)), index=frame.index)
    legal_norm = legal_norm.astype(object).where(frame["firm_name"].notna(), None)
    short_id = ("short:" + frame["short_name"].astype(object).fillna("") + "@"
                + frame["province"].astype(object).fillna(""))
    firm_id = legal_norm.where(legal_norm.notna(), short_id.where(frame["short_name"].notna(), None))
    frame["firm_id"] = firm_id.astype(object)
    # grouping key: firm id, or for undisclosed firms their visible attributes
    anon = ("anon:" + frame["province"].astype(object).fillna("") + "|" + frame["city"].astype(object).fillna("")
            + "|" + frame["industry_vendor"].astype(object).fillna(""))
    frame["_firm_key"] = frame["firm_id"].where(frame["firm_id"].notna(), anon)
    frame["_round_key"] = frame["round_raw"].fillna("")
    frame["_date_key"] = frame["date"].dt.strftime("%Y-%m-%d") + "/" + frame["date_precision"]

    return _collapse(frame, mapping, source_file=source_file, ledger=ledger)


def _collapse(frame: pd.DataFrame, mapping: DealMapping, *, source_file: str, ledger: Ledger) -> pd.DataFrame:
    if frame.empty:
        return empty_events()
    keys = ["_firm_key", "_date_key", "_round_key"]
    frame = frame.sort_values("_row", kind="stable")
    # exact duplicate investor rows inside an event: same investor, same amount, same stake
    dup_cols = keys + ["_inv_key", "amount_reported", "amount_cny", "stake_pct", "post_money_cny"]
    dup_frame = frame[dup_cols].astype(object).where(frame[dup_cols].notna(), "<NA>").astype(str)
    dup = dup_frame.duplicated(keep="first")
    if mapping.investor_level:
        dup &= frame["_inv_key"].notna()
    if dup.any():
        first_rows = dup_frame.assign(_row=frame["_row"]).groupby(dup_cols, sort=False)["_row"].transform("min")
        ledger.add(source_file, frame.loc[dup, "_row"].tolist(), "dropped",
                   reason="duplicate investor row" if mapping.investor_level else "duplicate row",
                   detail=[f"same as row {r}" for r in first_rows[dup].tolist()])
        frame = frame[~dup]
    # the same investor twice in one event with different terms: kept, flagged
    if mapping.investor_level:
        twice = frame["_inv_key"].notna() & frame.duplicated(keys + ["_inv_key"], keep=False)
        if twice.any():
            ledger.add(source_file, frame.loc[twice, "_row"].tolist(), "flagged",
                       reason="investor listed twice in one event with different terms")

    g = frame.groupby(keys, sort=False, dropna=False)
    first = g.head(1).set_index(keys)
    first_rows = first["_row"]
    n_rows = g.size()

    # amounts
    pt = frame["amount_cny"]
    has_pt = pt.notna()
    agg = pd.DataFrame({
        "amount_cny": pt.where(has_pt, 0.0),
        "amount_reported": frame["amount_reported"].where(frame["amount_reported"].notna(), 0.0),
        "n_pt": has_pt.astype(int),
        "n_rep": frame["amount_reported"].notna().astype(int),
        "low": frame["amount_cny_low"].where(frame["amount_cny_low"].notna(), 0.0),
        "high": frame["amount_cny_high"].where(frame["amount_cny_high"].notna(), 0.0),
        "n_low": frame["amount_cny_low"].notna().astype(int),
        "n_disc": frame["amount_disclosed"].astype(int),
        "stake": frame["stake_pct"].where(frame["stake_pct"].notna(), 0.0),
        "n_stake": frame["stake_pct"].notna().astype(int),
        "both_amt": (frame["amount_cny"].where(frame["stake_pct"].notna() & has_pt, 0.0)),
        "both_stake": (frame["stake_pct"].where(frame["stake_pct"].notna() & has_pt, 0.0)),
        "n_both": (frame["stake_pct"].notna() & has_pt).astype(int),
    }, index=frame.index)
    for k in keys:
        agg[k] = frame[k]
    sums = agg.groupby(keys, sort=False, dropna=False).sum()
    sums = sums.loc[first.index]
    n = n_rows.loc[first.index]

    amount_cny = sums["amount_cny"].where(sums["n_pt"] > 0)
    amount_reported = sums["amount_reported"].where(sums["n_rep"] > 0)
    all_exact = sums["n_pt"] == n
    some_exact = sums["n_pt"] > 0
    low = sums["low"].where(sums["n_low"] > 0)
    high = sums["high"].where(sums["n_low"] > 0)
    high = high.where(sums["n_low"] == n, np.inf).where(sums["n_low"] > 0)
    status_first = first["amount_status"].astype(object)
    status = np.where(all_exact, "exact", np.where(some_exact, "partial", status_first))
    status = pd.Series(status, index=first.index)
    # for events without a point figure, the statuses of the rows decide (vague beats undisclosed beats missing)
    order = {s: i for i, s in enumerate(["exact", "range", "vague", "unknown_currency", "unparsed", "undisclosed",
                                         "missing"])}
    best = (frame.assign(_o=frame["amount_status"].map(order))
            .groupby(keys, sort=False, dropna=False)["_o"].min().loc[first.index])
    inv_order = {i: s for s, i in order.items()}
    status = status.where(some_exact, best.map(inv_order))
    disclosed = sums["n_disc"] > 0

    # currency: the one reported (first non-missing)
    currency = g["currency"].first().loc[first.index]

    # valuation
    vals = frame["post_money_cny"]
    vstats = frame.assign(_v=vals).groupby(keys, sort=False, dropna=False)["_v"].agg(["median", "min", "max",
                                                                                      "count"])
    vstats = vstats.loc[first.index]
    conflict = (vstats["count"] > 1) & (vstats["max"] / vstats["min"] - 1 > VALUATION_CONFLICT_TOLERANCE)
    if conflict.any():
        conflict_rows = frame.set_index(keys).loc[conflict[conflict].index, "_row"]
        ledger.add(source_file, conflict_rows.tolist(), "flagged",
                   reason="conflicting valuations within one event (median kept)")
    vendor_val = vstats["median"]
    implied_val = (sums["both_amt"] / sums["both_stake"] * 100).where(sums["n_both"] > 0)
    implied_val = implied_val.where(implied_val > 0)
    if mapping.valuation_is == "check":
        matches = vendor_val.notna() & implied_val.notna() & (
            (vendor_val / implied_val - 1).abs() <= IMPLIED_TOLERANCE)
        basis = np.where(vendor_val.notna(), np.where(matches, "implied", "reported"),
                         np.where(implied_val.notna(), "implied", "none"))
        post = vendor_val.where(vendor_val.notna(), implied_val)
    else:
        basis = np.where(vendor_val.notna(), "reported", "none")
        post = vendor_val
    stake = sums["stake"].where(sums["n_stake"] > 0)
    over = stake > 100
    if over.any():
        over_rows = frame.set_index(keys).loc[over[over].index, "_row"]
        ledger.add(source_file, over_rows.tolist(), "flagged",
                   reason="stakes of one event sum above 100% (event stake set missing)")
        stake = stake.where(~over)

    # investors, rows
    codes = g.ngroup()
    inv_by = _group_lists(codes, frame["investors"].tolist())
    row_by = _group_lists(codes, frame["_row"].tolist())
    first_codes = codes.loc[first_rows_index(frame, keys)].to_numpy()
    inv_lists = pd.Series([list(dict.fromkeys(x for lst in inv_by[c] for x in lst)) for c in first_codes],
                          index=first.index, dtype=object)
    rows_lists = pd.Series([[int(x) for x in row_by[c]] for c in first_codes], index=first.index, dtype=object)
    n_inv_given = g["_n_inv"].max().loc[first.index]
    n_inv = inv_lists.map(len)
    n_inv = n_inv.where(n_inv_given.isna() | (n_inv_given < n_inv), n_inv_given).astype("int64")

    def first_valid(col: str) -> pd.Series:
        return g[col].first().loc[first.index]

    events = pd.DataFrame(
        {
            "source": mapping.source,
            "firm_id": first["firm_id"],
            "firm_name": first_valid("firm_name"),
            "short_name": first_valid("short_name"),
            "uscc": first_valid("uscc"),
            "country": first_valid("country"),
            "province": first_valid("province"),
            "city": first_valid("city"),
            "industry_vendor": first_valid("industry_vendor"),
            "industry_gb": first_valid("industry_gb"),
            "date": first["date"],
            "date_precision": first["date_precision"],
            "round_raw": first["round_raw"],
            "round_std": first["round_std"],
            "stage_order": first["stage_order"],
            "category": first["category"],
            "investment_type": first_valid("investment_type"),
            "currency": currency,
            "amount_reported": amount_reported,
            "amount_cny": amount_cny,
            "amount_cny_low": low,
            "amount_cny_high": high,
            "amount_disclosed": disclosed,
            "amount_status": status,
            "stake_pct": stake,
            "post_money_cny": post,
            "valuation_basis": basis,
            "investors": inv_lists,
            "n_investors": n_inv,
            "listed_exchange": first_valid("listed_exchange"),
            "source_file": source_file,
            "source_rows": rows_lists,
        },
        index=first.index,
    ).reset_index()
    events["event_id"] = [
        f"{mapping.source}:{_hash((fk, dk, rk))}"
        for fk, dk, rk in zip(events["_firm_key"], events["_date_key"], events["_round_key"], strict=True)
    ]
    events = events.drop(columns=keys)
    # ledger: the first row of each event is kept, the others merged
    kept = first_rows.tolist()
    ledger.add(source_file, kept, "kept")
    merged_mask = ~frame["_row"].isin(set(kept))
    if merged_mask.any():
        ev_of = dict(zip(first_rows.tolist(), events["event_id"], strict=True))
        first_of = frame.groupby(keys, sort=False, dropna=False)["_row"].transform("min")
        ledger.add(source_file, frame.loc[merged_mask, "_row"].tolist(), "merged",
                   reason="investor row of the same event" if mapping.investor_level else "same event",
                   detail=[f"into {ev_of[r]} (row {r})" for r in first_of[merged_mask].tolist()])
    return finalize_events(events)


def first_rows_index(frame: pd.DataFrame, keys: list[str]) -> pd.Index:
    """Index labels of the first row of each group, in the order ``groupby(..., sort=False).head(1)`` gives.

    Parameters
    ----------
    frame : DataFrame
        Any frame.
    keys : list of str
        Columns that identify a group.

    Returns
    -------
    Index
        The index of the first row of each group.

    Examples
    --------
    >>> first_rows_index(pd.DataFrame({"k": ["a", "b", "a"]}), ["k"]).tolist()
    [0, 1]
    """
    return frame.groupby(keys, sort=False, dropna=False).head(1).index


def _group_lists(codes: pd.Series, values: list) -> dict[int, list]:
    """Values grouped by integer group code (order of appearance kept)."""
    out: dict[int, list] = {}
    for c, v in zip(codes.tolist(), values, strict=True):
        out.setdefault(c, []).append(v)
    return out


def finalize_events(events: pd.DataFrame) -> pd.DataFrame:
    """Put an events frame in canonical column order and dtypes (fills ``year``; computes nothing else).

    Parameters
    ----------
    events : DataFrame
        Events assembled by a reader.

    Returns
    -------
    DataFrame
        The events with canonical dtypes and order.

    Examples
    --------
    >>> finalize_events(empty_events()).dtypes["year"]
    dtype('int64')
    """
    out = events.copy()
    if "year" not in out.columns or out["year"].isna().any():
        out["year"] = out["date"].dt.year
    for c in DEAL_COLUMNS:
        if c not in out.columns:
            raise KeyError(f"events frame lacks column {c!r}")
    out = out[DEAL_COLUMNS]
    for c in STR_COLUMNS:
        out[c] = as_text(out[c])
    for c in FLOAT_COLUMNS:
        out[c] = out[c].astype("float64")
    out["date"] = out["date"].astype("datetime64[ns]")
    out["year"] = out["year"].astype("int64")
    out["n_investors"] = out["n_investors"].astype("int64")
    out["amount_disclosed"] = out["amount_disclosed"].astype(bool)
    out["investors"] = out["investors"].map(lambda v: [str(x) for x in v] if isinstance(v, (list, tuple, np.ndarray))
                                            else [])
    out["source_rows"] = out["source_rows"].map(lambda v: [int(x) for x in v])
    return out.reset_index(drop=True)


def read_with_mapping(
    path: str | Path,
    mapping: DealMapping,
    *,
    ledger: Ledger | None = None,
    as_of: str | pd.Timestamp | None = None,
    preprocess: Callable[[pd.DataFrame, Ledger, str], pd.DataFrame] | None = None,
    header_names: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Read one file with a mapping: :func:`read_table` + optional ``preprocess`` + :func:`events_from_rows`.

    Returns ``(events, ledger)``; the ledger accounts for every physical row of the file (lines of a csv, rows of
    the sheet: title and header rows included) and is reconciled before it is returned.

    Parameters
    ----------
    path : str or Path
        The file to read.
    mapping : DealMapping
        Which source column holds which canonical field.
    ledger : Ledger, optional
        A ledger that receives one outcome per input row (internal engine argument).
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).
    preprocess : callable, optional
        Applied to the raw rows before mapping.
    header_names : sequence of str
        Header cells that locate the header row.

    Returns
    -------
    (DataFrame, Ledger)
        The events and the row ledger.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("Firm,Date,Round\\n甲科技有限公司,2021-05,A轮\\n,,\\n")
    >>> ev, led = read_with_mapping(p, DealMapping({"firm_name": "Firm", "date": "Date", "round": "Round"}))
    >>> ev[["round_std", "date_precision"]].values.tolist(), led.summary()
    ([['A', 'month']], '3 rows: 1 kept, 0 merged, 2 dropped (0 flagged)')
    """
    path = Path(path)
    led = ledger if ledger is not None else Ledger()
    names = list(header_names) if header_names is not None else mapping.vendor_columns()
    rows = read_table(path, sheet=mapping.sheet, header_names=names)
    local, n_physical = table_ledger(rows)
    if preprocess is not None:
        rows = preprocess(rows, local, path.name)
    events = events_from_rows(rows, mapping, source_file=path.name, ledger=local, as_of=as_of)
    local.reconcile(n_physical)
    led.extend(local)
    return events, led
