"""Official program facts: batch sizes, dates, reviews, targets, totals, listed counts and VC aggregates.

The facts are tidy CSV files in ``lgresearch/data/official/`` written by hand from the sources they cite (one fact per row,
with ``source_url`` and ``source_note``). Where sources disagree, every candidate value is a row and exactly one is
``chosen``, with the ``reason`` (usually an arithmetic identity between published totals).

Each loader validates its file with a pandera schema; a malformed row (missing source, bad date, non-numeric count)
raises :class:`lgresearch.ledger.InputError` naming the file, the row and the column.

Examples
--------
>>> b = batches()
>>> b["count_final"].tolist()
[248, 1584, 2930, 4357, 3671, 3012, 3482]
>>> int(b.loc[b["batch"] <= 3, "count_final"].sum())
4762
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lgresearch import paths
from lgresearch.errors import InputError, MissingFactError
from lgresearch.provenance import mark_real

FACTS_FILE = "facts.csv"
PROVINCE_FILE = "province_counts.csv"
INDUSTRY_FILE = "industry_shares.csv"
VC_FILE = "vc_aggregates.csv"
N_BATCHES = 7
SOURCE_LINE = "MIIT notices and reposts compiled in lgresearch/data/official (see source_url per fact)"

DATE_RE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
VALUE_TYPES = ("count", "date", "text", "share", "amount")
BATCH_DATE_FIELDS = ("launch_date", "publicity_start", "publicity_end", "announcement_date")
BATCH_COUNT_FIELDS = ("count_publicity", "count_final", "review_year", "review_passed")


def _nonblank(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().fillna("") != ""


def _value_matches_type(df: pd.DataFrame) -> pd.Series:
    value = df["value"].astype("string").fillna("")
    vtype = df["value_type"].astype("string").fillna("")
    ok = pd.Series(True, index=df.index)
    ok &= ~((vtype == "count") & ~value.str.fullmatch(r"\d+"))
    ok &= ~((vtype == "date") & ~value.str.fullmatch(DATE_RE))
    ok &= ~((vtype.isin(["share", "amount"])) & ~value.str.fullmatch(r"-?\d+(\.\d+)?"))
    dates = value.where(vtype == "date")
    valid_dates = dates.dropna().map(_date_is_valid)
    ok.loc[valid_dates.index] &= valid_dates.astype(bool)
    return ok


def _date_is_valid(text: str) -> bool:
    parts = [int(p) for p in str(text).split("-")]
    try:
        pd.Timestamp(year=parts[0], month=parts[1] if len(parts) > 1 else 1, day=parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


FACTS_SCHEMA = pa.DataFrameSchema(
    {
        "topic": pa.Column(str, pa.Check.isin(["batch", "review", "target", "total", "listed", "financing"])),
        "batch": pa.Column("Int64", pa.Check.in_range(1, N_BATCHES), nullable=True),
        "metric": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "value": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "value_type": pa.Column(str, pa.Check.isin(VALUE_TYPES)),
        "unit": pa.Column(str, nullable=True),
        "as_of": pa.Column(str, pa.Check.str_matches(DATE_RE), nullable=True),
        "chosen": pa.Column(bool),
        "reason": pa.Column(str, nullable=True),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_note")),
    },
    checks=[pa.Check(_value_matches_type, element_wise=False, error="value does not match value_type")],
    strict=True,
    coerce=False,
)

PROVINCE_SCHEMA = pa.DataFrameSchema(
    {
        "batch": pa.Column("Int64", pa.Check.in_range(0, N_BATCHES)),
        "scope": pa.Column(str),
        "unit": pa.Column(str, pa.Check.isin(["province", "city", "region"])),
        "province": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "count": pa.Column("Int64", pa.Check.ge(0)),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_note")),
    },
    strict=True,
)

INDUSTRY_SCHEMA = pa.DataFrameSchema(
    {
        "batch": pa.Column("Int64", pa.Check.in_range(1, N_BATCHES), nullable=True),
        "scope": pa.Column(str),
        "basis": pa.Column(str),
        "industry": pa.Column(str),
        "share": pa.Column(float, pa.Check.in_range(0, 1)),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_note")),
    },
    strict=True,
)

VC_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}")),
        "geography": pa.Column(str),
        "vendor": pa.Column(str, pa.Check(_nonblank, element_wise=False)),
        "metric": pa.Column(str),
        "qualifier": pa.Column(str, pa.Check.isin(["", "<", ">", "~"]), nullable=True),
        "value": pa.Column(float),
        "unit": pa.Column(str),
        "reported_change": pa.Column(str, nullable=True),
        "source_url": pa.Column(str, pa.Check(_nonblank, element_wise=False, error="missing source_url")),
        "source_note": pa.Column(str, nullable=True),
    },
    strict=True,
)


def _parse_csv(path: Path, columns: list[str] | None) -> pd.DataFrame:
    """The CSV as a frame of strings; any reading failure is an InputError naming the file (and line)."""
    import io as _io
    import re

    from lgresearch.io import decode_text

    if not path.is_file():
        raise InputError(path.name, None, None, f"official facts file not found in {path.parent}; check the "
                                                f"directory argument")
    text, _enc = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise InputError(path.name, None, None, "the file is empty; it needs a header row "
                                                f"({', '.join(columns or [])}) and one fact per row")
    try:
        raw = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as exc:
        raise InputError(path.name, None, None, f"no columns could be read ({exc}); the first line must be the "
                                                f"header") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(path.name, int(m.group(1)) if m else None, None,
                         f"malformed CSV ({str(exc).strip()}); quote any field that contains a comma and give "
                         f"every row the same number of fields") from None
    if columns is not None:
        missing = [c for c in columns if c not in raw.columns]
        if missing:
            raise InputError(path.name, 1, missing[0], f"column missing from the header (found "
                                                       f"{list(raw.columns)}); the file needs columns {columns}")
    return raw


def _read_csv(path: Path, dtypes: dict[str, str], columns: list[str] | None = None) -> pd.DataFrame:
    """Read a facts CSV as strings, then convert the typed columns, naming the first bad cell."""
    raw = _parse_csv(path, columns)
    out = raw.copy()
    for col, kind in dtypes.items():
        if col not in raw.columns:
            raise InputError(path.name, None, col, "column missing")
        text = raw[col].str.strip()
        if kind == "Int64":
            num = pd.to_numeric(text.replace("", np.nan), errors="coerce")
            bad = (text != "") & (num.isna() | (num % 1 != 0))
            _raise_first(path, bad, col, raw, "not a whole number")
            out[col] = num.astype("Int64")
        elif kind == "float":
            num = pd.to_numeric(text.replace("", np.nan), errors="coerce")
            _raise_first(path, num.isna(), col, raw, "not a number")
            out[col] = num.astype(float)
        elif kind == "bool":
            low = text.str.lower()
            _raise_first(path, ~low.isin(["true", "false"]), col, raw, "must be true or false")
            out[col] = low == "true"
    return out


def _raise_first(path: Path, bad: pd.Series, col: str, raw: pd.DataFrame, msg: str) -> None:
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path.name, i + 2, col, f"{msg}: {raw[col].iloc[i]!r}")


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """Validate with pandera; re-raise the first failure as an InputError naming file, row and column."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        first = cases.iloc[0]
        index = first.get("index")
        column = first.get("column")
        row = int(index) + 2 if index is not None and pd.notna(index) else None
        check = str(first.get("check"))
        value = first.get("failure_case")
        if "value_type" in check:
            column = "value"  # a frame-wide check: the offending cell is the value
            value = frame.loc[index, "value"] if index in frame.index else value
        elif column is None or (isinstance(column, float) and np.isnan(column)):
            column = None
        raise InputError(path.name, row, None if column is None else str(column),
                         f"failed check {check} (value {value!r}); {len(cases)} failure(s) in all") from None


@lru_cache(maxsize=8)
def _facts_cached(path_str: str) -> pd.DataFrame:
    path = Path(path_str)
    frame = _read_csv(path, {"batch": "Int64", "chosen": "bool"}, list(FACTS_SCHEMA.columns))
    for col in ("unit", "as_of", "reason"):
        frame[col] = frame[col].replace("", None)
    frame = _validate(frame, FACTS_SCHEMA, path)
    _check_one_chosen(frame, path)
    return frame


def _check_one_chosen(frame: pd.DataFrame, path: Path) -> None:
    key = ["topic", "batch", "metric", "as_of"]
    grouped = frame.assign(batch=frame["batch"].astype("string").fillna(""),
                           as_of=frame["as_of"].astype("string").fillna(""))
    n_chosen = grouped.groupby(key, dropna=False)["chosen"].transform("sum")
    bad = n_chosen != 1
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path.name, i + 2, "chosen",
                         f"{int(n_chosen.iloc[i])} chosen values for {frame['metric'].iloc[i]!r}; exactly one is required")
    unexplained = ~frame["chosen"] & frame["reason"].isna()
    if unexplained.any():
        i = int(np.flatnonzero(unexplained.to_numpy())[0])
        raise InputError(path.name, i + 2, "reason", "a candidate value that is not chosen needs a reason")


def facts(directory: Path | None = None) -> pd.DataFrame:
    """Every official fact row, conflicting candidates included (``chosen`` marks the one used).

    Parameters
    ----------
    directory : Path, optional
        Folder holding ``facts.csv`` (default ``lgresearch/data/official``).

    Returns
    -------
    DataFrame
        Columns ``topic, batch, metric, value, value_type, unit, as_of, chosen, reason, source_url, source_note``.

    Examples
    --------
    >>> f = facts()
    >>> f.loc[(f["metric"] == "count_final") & (f["batch"] == 2), ["value", "chosen"]].values.tolist()
    [['1584', True], ['1744', False], ['1748', False]]
    """
    path = (directory or paths.official_dir()) / FACTS_FILE
    return mark_real(_facts_cached(str(path)).copy(), SOURCE_LINE)


def fact_value(metric: str, *, batch: int | None = None, as_of: str | None = None,
               directory: Path | None = None) -> float | str | pd.Timestamp:
    """Return the chosen value of one fact, typed (int/float/Timestamp/str).

    Parameters
    ----------
    metric : str
        The metric of :func:`facts` (e.g. ``count_final``).
    batch : int, optional
        The batch the fact is about.
    as_of : str, optional
        The as-of date of the fact, when a metric has several.
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    float, str or Timestamp
        The value of the chosen fact.

    Examples
    --------
    >>> fact_value("target_by_2025")
    10000
    >>> fact_value("review_passed", batch=1)
    142
    """
    f = facts(directory)
    sel = (f["metric"] == metric) & f["chosen"]
    if batch is not None:
        sel &= f["batch"] == batch
    if as_of is not None:
        sel &= f["as_of"] == as_of
    hit = f[sel]
    if len(hit) != 1:
        raise MissingFactError(FACTS_FILE, None, "metric",
                               f"{len(hit)} chosen facts match metric={metric!r}, batch={batch}, as_of={as_of}; "
                               f"exactly one is needed (add the fact with chosen=true, or check the metric name)")
    return _typed(hit["value"].iloc[0], hit["value_type"].iloc[0])


def _typed(value: str, vtype: str):
    if vtype == "count":
        return int(value)
    if vtype in ("share", "amount"):
        return float(value)
    if vtype == "date":
        return _to_timestamp(value)
    return value


def _to_timestamp(text: str | None) -> pd.Timestamp:
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return pd.NaT
    parts = [int(p) for p in str(text).split("-")]
    return pd.Timestamp(year=parts[0], month=parts[1] if len(parts) > 1 else 1, day=parts[2] if len(parts) > 2 else 1)


def _precision(text: str | None) -> str | None:
    if text is None or text == "" or (isinstance(text, float) and np.isnan(text)):
        return None
    return {1: "year", 2: "month", 3: "day"}[len(str(text).split("-"))]


def batches(directory: Path | None = None) -> pd.DataFrame:
    """One row per national batch (1–7) with the chosen values.

    Dates known only to the month (or year) are set to the first day of that month (year) and their precision is
    given in ``<column>_precision`` (``day``, ``month``, ``year``); unknown dates are NaT. ``review_passed`` is the
    number of the batch's firms that kept the title at the 3-year review (NA when the review is not held yet or, for
    batch 4, was published only jointly with the batch-1 survivors: see :func:`facts`).

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        ``batch, cohort_year, launch_notice, launch_date, publicity_start, publicity_end, announcement_notice,
        announcement_date, count_publicity, count_final, review_year, review_passed`` and the precision columns.

    Examples
    --------
    >>> b = batches()
    >>> b.loc[b["batch"] == 3, ["publicity_start", "publicity_end"]].iloc[0].dt.strftime("%Y-%m-%d").tolist()
    ['2021-07-19', '2021-07-23']
    >>> b.loc[b["batch"] == 6, "publicity_start_precision"].item()
    'month'
    """
    f = facts(directory)
    chosen = f[(f["topic"] == "batch") & f["chosen"]]
    wide = chosen.pivot(index="batch", columns="metric", values="value")
    out = pd.DataFrame({"batch": range(1, N_BATCHES + 1)})
    out["cohort_year"] = 2018 + out["batch"]
    for col in ("launch_notice", "announcement_notice"):
        out[col] = out["batch"].map(wide[col] if col in wide else {}).astype("string")
    for col in BATCH_DATE_FIELDS:
        text = out["batch"].map(wide[col] if col in wide else {})
        out[col] = pd.to_datetime(text.map(_to_timestamp))
        out[f"{col}_precision"] = text.map(_precision).astype("string")
    for col in BATCH_COUNT_FIELDS:
        text = out["batch"].map(wide[col] if col in wide else {})
        out[col] = pd.to_numeric(text).astype("Int64")
    order = ["batch", "cohort_year", "launch_notice", "launch_date", "publicity_start", "publicity_end",
             "announcement_notice", "announcement_date", *BATCH_COUNT_FIELDS]
    rest = [c for c in out.columns if c not in order]
    out = out[order + rest]
    out["count_final"] = out["count_final"].astype("int64")
    out["count_publicity"] = out["count_publicity"].astype("int64")
    return mark_real(out, SOURCE_LINE)


def cumulative_counts(directory: Path | None = None) -> pd.DataFrame:
    """Cumulative designations by batch, gross and net of review attrition.

    ``cumulative_gross`` adds every batch's final count; ``cumulative_net`` replaces a batch's count by its review
    passes once its review year has been reached at that batch's cohort year (reviews run alongside the next
    batches: batch 1 in 2022, batch 2 in 2023, …). The 2025 review of batch 4 is only published jointly with the
    batch-1 survivors (3,916 of 4,499), so for batch 4 its passes are ``3,916 − (batch-1 passes kept)``, i.e. the
    joint total is applied to the pair.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Cumulative designated counts by batch.

    Examples
    --------
    >>> c = cumulative_counts()
    >>> c.set_index("batch").loc[3, "cumulative_gross"], c.set_index("batch").loc[7, "cumulative_net"]
    (np.int64(4762), np.int64(17589))
    """
    b = batches(directory)
    joint_2025 = fact_value("review_2025_passed", directory=directory)
    rows = []
    for _, row in b.iterrows():
        year = int(row["cohort_year"])
        upto = b[b["batch"] <= row["batch"]]
        gross = int(upto["count_final"].sum())
        net = 0
        for _, r in upto.iterrows():
            reviewed = pd.notna(r["review_year"]) and int(r["review_year"]) <= year
            if r["batch"] in (1, 4) and year >= 2025:
                continue  # handled jointly below
            net += int(r["review_passed"]) if reviewed and pd.notna(r["review_passed"]) else int(r["count_final"])
        if year >= 2025:
            net += int(joint_2025)
        rows.append({"batch": int(row["batch"]), "cohort_year": year, "count_final": int(row["count_final"]),
                     "cumulative_gross": gross, "cumulative_net": net})
    out = pd.DataFrame(rows)
    out["attrition"] = out["cumulative_gross"] - out["cumulative_net"]
    return mark_real(out, SOURCE_LINE)


def _read_simple(name: str, schema: pa.DataFrameSchema, dtypes: dict[str, str],
                 directory: Path | None) -> pd.DataFrame:
    path = (directory or paths.official_dir()) / name
    frame = _read_csv(path, dtypes, list(schema.columns))
    for col, spec in schema.columns.items():
        if spec.nullable and col in frame.columns and dtypes.get(col) is None:
            frame[col] = frame[col].replace("", None)
    return mark_real(_validate(frame, schema, path), SOURCE_LINE)


def province_counts(directory: Path | None = None) -> pd.DataFrame:
    """Published per-province (and some per-city / per-region) counts by batch; partial, as published.

    ``batch`` 0 marks a cumulative count (``scope`` says as of when). Province names are Chinese short names.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published per-province counts with their sources.

    Examples
    --------
    >>> p = province_counts()
    >>> int(p.query("batch == 5 and province == '江苏'")["count"].item())
    795
    """
    return _read_simple(PROVINCE_FILE, PROVINCE_SCHEMA, {"batch": "Int64", "count": "Int64"}, directory)


def industry_shares(directory: Path | None = None) -> pd.DataFrame:
    """Published industry composition of Little Giants (shares in [0, 1]), with the classification basis.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published industry shares with their sources.

    Examples
    --------
    >>> s = industry_shares()
    >>> s.query("batch == 4 and industry == 'manufacturing'")["share"].item()
    0.65
    """
    return _read_simple(INDUSTRY_FILE, INDUSTRY_SCHEMA, {"batch": "Int64", "share": "float"}, directory)


def vc_aggregates(directory: Path | None = None) -> pd.DataFrame:
    """China venture-capital aggregates by vendor and period (never splice vendors into one series).

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        ``period, geography, vendor, metric, qualifier, value, unit, reported_change, source_url, source_note``.

    Examples
    --------
    >>> v = vc_aggregates()
    >>> v.query("vendor == 'Preqin' and period == '2021'")["value"].item()
    130.6
    """
    return _read_simple(VC_FILE, VC_SCHEMA, {"value": "float"}, directory)


def listed_counts(directory: Path | None = None) -> pd.DataFrame:
    """Listed Little Giants by board and date (chosen facts of topic ``listed``).

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published counts of listed Little Giants by batch, with sources.

    Examples
    --------
    >>> l = listed_counts()
    >>> int(l.query("metric == 'listed_a_share_total' and as_of == '2022-12-31'")["value"].item())
    643
    """
    f = facts(directory)
    out = f[(f["topic"] == "listed") & f["chosen"]].copy()
    out["value"] = out["value"].astype(int)
    return out.reset_index(drop=True)


def identity_checks(directory: Path | None = None) -> pd.DataFrame:
    """The arithmetic identities that reconcile conflicting counts, each recomputed from the chosen facts.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        ``identity, computed, published, holds, used_to_choose``: ``holds`` is True when the recomputed value
        matches the published one (to the published precision).

    Examples
    --------
    >>> bool(identity_checks()["holds"].all())
    True
    """
    b = batches(directory).set_index("batch")
    fv = lambda m, **k: fact_value(m, directory=directory, **k)  # noqa: E731
    final = b["count_final"]
    b1_review_alt = int(facts(directory).query("metric == 'review_passed' and batch == 1 and not chosen")["value"].iloc[0])
    rows = [
        ("batches 1-3: 248 + 1,584 + 2,930", int(final.loc[[1, 2, 3]].sum()),
         fv("cumulative_total", as_of="2022-02-28"), "batch 2 = 1,584"),
        ("Sep 2022: batch-1 survivors (155) + 1,584 + 2,930 + 4,328 (batch 4 at publicity)",
         b1_review_alt + int(final.loc[[2, 3]].sum()) + int(b.loc[4, "count_publicity"]),
         fv("cumulative_total", as_of="2022-09-08"), "counts behind the 8,997 total"),
        ("2025 review pass rate: 3,916 / (4,357 + 142)",
         round(fv("review_2025_passed") / (int(final.loc[4]) + int(b.loc[1, "review_passed"])), 4),
         fv("review_2025_pass_rate", as_of="2025"), "batch 4 = 4,357 and batch-1 passes = 142"),
        ("2025 review pool: 4,357 + 142", int(final.loc[4]) + int(b.loc[1, "review_passed"]),
         fv("review_2025_pool", as_of="2025"), "batch 4 = 4,357"),
        ("Oct 2025 total: 1,079 + 2,429 + 3,916 + 3,671 + 3,012 + 3,482",
         int(b.loc[2, "review_passed"]) + int(b.loc[3, "review_passed"]) + fv("review_2025_passed")
         + int(final.loc[[5, 6, 7]].sum()), fv("cumulative_total", as_of="2025-10"),
         "batch-3 passes = 2,429; batch 5 = 3,671"),
        ("publicized batches 1-6", int(b.loc[1:6, "count_publicity"].sum()) - int(b.loc[4, "count_publicity"])
         + int(facts(directory).query("metric == 'count_publicity' and batch == 4 and not chosen")["value"].iloc[0]),
         fv("publicized_total_b1_b6", as_of="2024-09-23"), "S2's publicity counts (with 4,359 for batch 4)"),
    ]
    out = pd.DataFrame(rows, columns=["identity", "computed", "published", "used_to_choose"])
    out["holds"] = [abs(float(c) - float(p)) < 5e-5 for c, p in zip(out["computed"], out["published"])]
    return mark_real(out[["identity", "computed", "published", "holds", "used_to_choose"]], SOURCE_LINE)


def target_crossing(target: int | None = None, directory: Path | None = None) -> pd.DataFrame:
    """When the cumulative count first reached the target (default: the 10,000-by-2025 goal).

    Parameters
    ----------
    target : int, optional
        The target count (default: the published programme target).
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        One row per counting rule (``gross``: every final count; ``net``: net of review attrition) with the batch,
        cohort year and cumulative count at crossing, and the years ahead of the target year.

    Examples
    --------
    >>> target_crossing()[["rule", "batch", "cohort_year"]].values.tolist()
    [['gross', 5, 2023], ['net', 5, 2023]]
    """
    target = int(target or fact_value("target_by_2025", directory=directory))
    c = cumulative_counts(directory)
    rows = []
    for rule in ("gross", "net"):
        hit = c[c[f"cumulative_{rule}"] >= target].head(1)
        if hit.empty:
            rows.append({"rule": rule, "batch": pd.NA, "cohort_year": pd.NA, "cumulative": pd.NA})
            continue
        rows.append({"rule": rule, "batch": int(hit["batch"].item()), "cohort_year": int(hit["cohort_year"].item()),
                     "cumulative": int(hit[f"cumulative_{rule}"].item())})
    out = pd.DataFrame(rows)
    out["target"] = target
    out["years_ahead_of_2025"] = 2025 - out["cohort_year"]
    return mark_real(out, SOURCE_LINE)


def vc_growth(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Year-on-year growth within each vendor and metric (never across vendors).

    Rows with ``basis`` "computed from two reported levels" compare annual periods; rows "growth as reported by
    the vendor" parse the vendor's own year-on-year figure (e.g. ``+60.4% YoY``). Only annual periods (``YYYY``) with both years present for the same vendor, geography, metric, unit *and
    source* are compared, so a vendor's early and revised vintages are never mixed.

    Parameters
    ----------
    frame : DataFrame, optional
        Yearly VC aggregates (default :func:`vc_aggregates`).

    Returns
    -------
    DataFrame
        Year-on-year growth of the VC aggregates.

    Examples
    --------
    >>> g = vc_growth()
    >>> computed = g[g["basis"].str.startswith("computed")]
    >>> round(computed.query("vendor == 'Preqin'")["growth"].item(), 3)
    0.506
    >>> round(computed.query("vendor == 'PitchBook' and unit == 'USD bn'")["growth"].item(), 3)
    -0.489
    """
    v = vc_aggregates() if frame is None else frame
    annual = v[v["period"].str.fullmatch(r"\d{4}") & (v["qualifier"].fillna("") == "")].copy()
    annual["year"] = annual["period"].astype(int)
    key = ["vendor", "geography", "metric", "unit", "source_url"]
    prev = annual.assign(year=annual["year"] + 1)[key + ["year", "value"]].rename(columns={"value": "value_prev"})
    out = annual.merge(prev, on=key + ["year"], how="inner")
    out["growth"] = out["value"] / out["value_prev"] - 1
    out["basis"] = "computed from two reported levels"
    cols = ["vendor", "geography", "metric", "unit", "period", "value_prev", "value", "growth", "basis",
            "source_url"]
    computed = out.drop(columns="period").rename(columns={"year": "period"})
    computed = computed.assign(period=computed["period"].astype(str))[cols]
    reported = v.assign(growth=v["reported_change"].map(_parse_reported_growth)).dropna(subset=["growth"])
    reported = reported.assign(value_prev=np.nan, basis="growth as reported by the vendor")[cols]
    both = pd.concat([computed, reported], ignore_index=True)
    return mark_real(both, "vendor aggregates in lgresearch/data/official/vc_aggregates.csv")


def _parse_reported_growth(text: str | None) -> float:
    """``'+60.4% YoY'`` → 0.604; ``'~+50% vs 2020'`` → 0.5; anything without a percentage → NaN."""
    if not isinstance(text, str):
        return np.nan
    import re

    m = re.search(r"([+-−]?\d+(?:\.\d+)?)%", text.replace("−", "-"))
    return float(m.group(1)) / 100 if m else np.nan


def published_totals(directory: Path | None = None) -> pd.DataFrame:
    """Published cumulative totals (chosen values) with their date as a timestamp and a decimal year.

    Parameters
    ----------
    directory : Path, optional
        Folder with the official facts files (default: the package data).

    Returns
    -------
    DataFrame
        Published totals with their sources.

    Examples
    --------
    >>> t = published_totals()
    >>> t.loc[t["value"] == 4762, "decimal_year"].round(2).item()
    2022.16
    """
    f = facts(directory)
    out = f[(f["topic"] == "total") & f["chosen"] & (f["metric"] == "cumulative_total")].copy()
    out["value"] = out["value"].astype(int)
    out["as_of_date"] = pd.to_datetime(out["as_of"].map(_to_timestamp))
    out["decimal_year"] = out["as_of_date"].dt.year + (out["as_of_date"].dt.day_of_year - 1) / 365.25
    return out[["as_of", "as_of_date", "decimal_year", "value", "source_url", "source_note"]].reset_index(drop=True)


def build_processed() -> list[Path]:
    """Write the chosen batch table and the cumulative counts to ``data/processed/`` (parquet).

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> [p.name for p in build_processed()]
    ['official_batches.parquet', 'official_cumulative.parquet']
    """
    out = paths.processed_dir()
    written = []
    for name, frame in (("official_batches.parquet", batches()), ("official_cumulative.parquet",
                                                                  cumulative_counts())):
        target = out / name
        frame.to_parquet(target, index=False)
        written.append(target)
    return written


__all__ = [
    "batches",
    "build_processed",
    "cumulative_counts",
    "fact_value",
    "identity_checks",
    "target_crossing",
    "vc_growth",
    "facts",
    "industry_shares",
    "listed_counts",
    "province_counts",
    "published_totals",
    "vc_aggregates",
]

