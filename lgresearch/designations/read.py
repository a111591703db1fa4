"""Designation lists: :func:`read_list` reads one list file (any format, any layout) into the standard frame.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "zj.csv").write_text(
...     "浙江省第五批专精特新“小巨人”企业名单公示\\n序号,企业名称,所在地\\n1,杭州集智机电股份有限公司,杭州市\\n"
...     "2,温州聚星科技股份有限公司*,温州市\\n注：排名不分先后\\n", encoding="utf-8")
>>> firms, led = read_list(d / "zj.csv", return_ledger=True)
>>> firms[["name", "province", "city", "batch", "list_type"]].values.tolist()
[['杭州集智机电股份有限公司', '浙江', '杭州市', 5, 'publicity'],
 ['温州聚星科技股份有限公司', '浙江', '温州市', 5, 'publicity']]
>>> led.summary()
'5 rows: 2 kept, 0 merged, 3 dropped (0 flagged)'
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch.clean.regions import normalize_region
from lgresearch.designations.headers import infer_context
from lgresearch.designations.parse import _walk_rows
from lgresearch.designations.records import _finish_records
from lgresearch.designations.schema import (
    LIST_TYPES, _empty_list_frame, _first_given, _not_official, official_batch_numbers,
)
from lgresearch.errors import InputError
from lgresearch.io import notes_ledger, physical_rows, read_cells
from lgresearch.ledger import Ledger

__all__ = ["read_list"]

_NO_CONTEXT = {"batch": None, "list_type": None, "region": None}


@dataclass
class _FileResult:
    frame: pd.DataFrame
    n_rows: dict[str, int] = field(default_factory=dict)


def read_list(
    path: str | Path,
    *,
    batch: int | None = None,
    list_type: str | None = None,
    province: str | None = None,
    sheet: str | int | None = None,
    return_ledger: bool = False,
    ledger: Ledger | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, Ledger]:
    """Read one designation list file (xlsx, xls, csv, html, pdf, docx) into the standard frame.

    Parameters
    ----------
    path : str or Path
    batch : int, optional
        The batch (1–7). Default: inferred from the title (``第五批``), a section heading, a batch column, or
        the file name. An explicit argument wins over everything in the file.
    list_type : {"publicity", "final", "review_passed"}, optional
        Default: inferred the same way (``公示`` → publicity, ``复核`` → review_passed, else final).
    province : str, optional
        The issuing province or separately planned city, for provincial lists without a province column
        (default: a province column, group rows, or the title).
    sheet : str or int, optional
        Only this sheet of a workbook.
    return_ledger : bool, default False
        Also return the row :class:`~lgresearch.ledger.Ledger`: one outcome per row of the file (kept, merged
        into the row above, or dropped with a reason: title line, header row, repeated header, blank line, group
        row, footnote, page number, …) and flags (invalid USCC, region disagreements). Either way the ledger is
        reconciled and its summary is put in ``attrs["ledger_summary"]``.
    ledger : Ledger, optional
        Deprecated (``FutureWarning``): a ledger to append the rows' outcomes to; use ``return_ledger=True``.

    Returns
    -------
    DataFrame or (DataFrame, Ledger)
        One row per firm row of the file (and the ledger with ``return_ledger=True``), columns
        :data:`LIST_COLUMNS`: ``raw_name`` as printed (wrapped parts
        joined), ``name`` normalized (:func:`~lgresearch.clean.normalize_company_name`), region columns from
        :func:`~lgresearch.clean.normalize_region` (``issuer`` is the province, or the separately planned city
        that issues its own list), ``batch``, ``list_type``, and ``uscc`` / ``seq_no`` when present;
        ``list_date`` from a date column (read with :func:`~lgresearch.clean.parse_date`; a date it cannot read
        is flagged and left missing); ``review_outcome`` (``passed`` / ``failed`` / ``withdrawn``) from a review
        result column (复核结果), missing otherwise.

        Batch, list type and region come from the explicit arguments, a batch column, section headings, the
        title lines above the header, the sheet name or the file name, never from other data cells; a note that
        names another batch is flagged. A batch that is not an official batch is an error. Footnotes, dates,
        signatures and totals are dropped with their reason; a kept name that does not look like a company is
        flagged. Hidden sheets are skipped (their rows dropped with reason ``hidden sheet``) unless ``sheet=``
        names them.

    Raises
    ------
    InputError
        Unreadable file, no recognisable company-name column, an unknown ``province`` argument, or a batch or
        list type that can neither be inferred nor was given (message names the file, row and column).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "national.csv"
    >>> _ = p.write_text("序号,企业名称,省份\\n1,北京臻迪科技股份有限公司,北京市\\n"
    ...                  "2,瑞普(天津)生物药业有限公司,天津\\n", encoding="utf-8")
    >>> read_list(p, batch=1, list_type="final")[["name", "province", "batch"]].values.tolist()
    [['北京臻迪科技股份有限公司', '北京', 1], ['瑞普（天津）生物药业有限公司', '天津', 1]]
    """
    if ledger is not None:
        _deprecated_ledger_argument("read_list")
    own = Ledger() if return_ledger or ledger is not None else None
    frame = _read_list(path, batch=batch, list_type=list_type, province=province, sheet=sheet, ledger=own).frame
    if ledger is not None and own is not None:
        ledger.extend(own)
    return (frame, own) if return_ledger and own is not None else frame


def _deprecated_ledger_argument(func: str) -> None:
    """Warn that ``ledger=`` (a ledger to fill) is deprecated in favour of ``return_ledger=True``."""
    warnings.warn(f"{func}(): 'ledger' is deprecated; use 'return_ledger=True', which returns (frame, ledger)",
                  FutureWarning, stacklevel=3)


def _check_args(name: str, batch: int | None, list_type: str | None, province: str | None) -> None:
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, (int, np.integer))):
        raise InputError(name, None, None, f"batch must be an integer, got {batch!r}")
    if batch is not None and int(batch) not in official_batch_numbers():
        raise InputError(name, None, None, _not_official(int(batch)))
    if list_type is not None and list_type not in LIST_TYPES:
        raise InputError(name, None, None, f"list_type must be one of {LIST_TYPES}, got {list_type!r}")
    if province is not None and normalize_region(province) is None:
        raise InputError(name, None, None, f"unknown province argument {province!r}")


def _read_list(path, *, batch=None, list_type=None, province=None, sheet=None, ledger=None,
               label: str | None = None) -> _FileResult:
    path = Path(path)
    _check_args(path.name, batch, list_type, province)
    cells = read_cells(path, sheet=sheet)
    local = notes_ledger(cells, label=label, name=path.name)
    n_rows = {(k.replace(path.name, label, 1) if label else k): v for k, v in physical_rows(cells).items()}
    if label is not None and label != path.name and len(cells):
        cells["source_file"] = cells["source_file"].str.replace(path.name, label, n=1, regex=False)
    own = ledger if ledger is not None else Ledger()
    frames = []
    groups = cells.groupby("source_file", sort=False) if len(cells) else [(label or path.name, cells)]
    for part_label, part in groups:
        frames.append(_parse_cells(part, str(part_label), path, cells.attrs, batch=batch, list_type=list_type,
                                   province=province, ledger=local))
    frame = pd.concat(frames, ignore_index=True) if frames else _empty_list_frame()
    local.reconcile(n_rows)
    own.extend(local)
    frame.attrs = {"ledger_summary": local.summary(), "format": cells.attrs.get("format", "")}
    return _FileResult(frame, n_rows)


def _parse_cells(part: pd.DataFrame, label: str, path: Path, attrs: dict, *, batch, list_type, province,
                 ledger: Ledger) -> pd.DataFrame:
    """Read the raw cells of one sheet or table: walk the rows, account for them, then build the frame."""
    walk = _walk_rows(part)
    if walk.mapping is None:
        raise InputError(label, None, None,
                         "no recognisable company-name column (looked for a header such as 企业名称, 单位名称, "
                         "公司名称, 申报企业); add a header row naming the company-name column")
    for reason, items in walk.drops.items():
        ledger.add(label, [r for r, _ in items], "dropped", reason=reason, detail=[d for _, d in items])
    if walk.merged:
        ledger.add(label, [r for r, _ in walk.merged], "merged", reason="name continued on the next line",
                   detail=[d for _, d in walk.merged])
    # context only from context: title lines above the header and an HTML <title>, never data cells
    title_text = " ".join([*walk.title_lines, str(attrs.get("title") or "")]).strip()
    title_ctx = infer_context(title_text) if title_text else dict(_NO_CONTEXT)
    sheet_name = label.split("#", 1)[1] if "#" in label else (attrs.get("sheets") or [""])[0]
    sheet_ctx = infer_context(sheet_name) if sheet_name else dict(_NO_CONTEXT)
    path_ctx = infer_context(path.stem)
    file_ctx = {k: _first_given(sheet_ctx.get(k), path_ctx.get(k)) for k in ("batch", "list_type", "region")}
    return _finish_records(walk.records, label, ledger, walk.flags, batch=batch, list_type=list_type,
                           province=province, title_ctx=title_ctx, file_ctx=file_ctx)
