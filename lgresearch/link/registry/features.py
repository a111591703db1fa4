"""Registry name features in one streaming pass: the same Python function on DuckDB batches and Spark executors.

Each batch of firms gets the package's own name features: the normalised name
(:func:`lgresearch.clean.normalize_company_name`), the *stem* (:func:`lgresearch.link.name_stem`), the *core*
(:func:`lgresearch.clean.core_name`), the industry words between core and legal form, the province code
(:func:`lgresearch.clean.regions.normalize_regions`) and a valid USCC.

Examples
--------
>>> FEATURE_COLUMNS[:4]
['unique_id', 'name', 'norm', 'stem']
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from lgresearch._compat import renamed_kwargs
from lgresearch.clean.names import GENERIC_WORDS, core_name, normalize_company_name
from lgresearch.clean.regions import normalize_regions
from lgresearch.ledger import InputError
from lgresearch.link.names import name_stem

__all__ = ["FEATURE_COLUMNS", "name_features", "prepare_registry"]

#: Columns of the name-feature table computed for both sides.
FEATURE_COLUMNS = ["unique_id", "name", "norm", "stem", "core", "core_head", "industry", "province_code", "uscc",
                   "sample_key"]
_SAMPLE_MOD = 1_000_000
_FEATURE_SCHEMA = pa.schema([(c, pa.int64() if c == "sample_key" else pa.string()) for c in FEATURE_COLUMNS])
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def _text(col: pa.Array | pa.ChunkedArray) -> pd.Series:
    values = col.to_pylist()
    return pd.Series([v.strip() if isinstance(v, str) and v.strip() else None for v in values], dtype=object)


@renamed_kwargs(id_col="firm_col")
def name_features(table: pa.Table | pa.RecordBatch, *, firm_col: str, name_col: str, province_col: str | None,
                  uscc_col: str | None) -> pa.Table:
    """Name features of one batch of firms (:data:`FEATURE_COLUMNS`), computed with the package's cleaners.

    Parameters
    ----------
    table : pyarrow Table or RecordBatch
        A batch of firms with the id, name and (optional) province and USCC columns.
    firm_col, name_col, province_col, uscc_col : str
        Column names (``province_col`` / ``uscc_col`` may be None).

    Returns
    -------
    pyarrow.Table
        ``unique_id, name, norm, stem, core, core_head, industry, province_code, uscc, sample_key``
        (``core_head``: the core's first character, a blocking key for training); ``sample_key`` is a
        CRC32 of the id modulo 10⁶ (the same on every engine), used to draw the registry sample.

    Examples
    --------
    >>> t = pa.table({"id": ["R1"], "name": ["浙江蓝特光學股份有限公司"], "province": ["浙江省"]})
    >>> row = name_features(t, firm_col="id", name_col="name", province_col="province", uscc_col=None).to_pylist()[0]
    >>> row["norm"], row["stem"], row["core"], row["industry"], row["province_code"]
    ('浙江蓝特光学股份有限公司', '蓝特光学', '蓝特光学', None, '33')
    >>> t = pa.table({"id": ["R2"], "name": ["杭州市某某精密机械有限公司"], "province": [None]})
    >>> row = name_features(t, firm_col="id", name_col="name", province_col="province", uscc_col=None).to_pylist()[0]
    >>> row["core"], row["industry"], row["province_code"]
    ('某某', '精密机械', None)
    """
    ids = [None if v is None else str(v) for v in table.column(firm_col).to_pylist()]
    names = _text(table.column(name_col))
    norm = normalize_company_name(names).astype(object)
    norm = norm.where(norm.notna(), None)
    codes, uniq = pd.factorize(norm, use_na_sentinel=True)
    stems_u = [name_stem(u) for u in uniq]
    core_u = core_name(pd.Series(list(uniq), dtype=object)).astype(object).tolist() if len(uniq) else []
    generic = frozenset(GENERIC_WORDS)
    stem_l, core_l, ind_l = [], [], []
    for st, co in zip(stems_u, core_u, strict=True):
        co = co if isinstance(co, str) and len(co) >= 2 and co not in generic else None
        st = st if isinstance(st, str) and len(st) >= 2 and st not in generic else None
        ind = st[len(co):] if st and co and st.startswith(co) and len(st) > len(co) else None
        stem_l.append(st)
        core_l.append(co)
        ind_l.append(ind)

    def spread(vals: list) -> list:
        arr = np.array(vals + [None], dtype=object)
        return arr[codes].tolist()

    if province_col is not None:
        prov = normalize_regions(_text(table.column(province_col)))["province_code"].astype(object)
        province = [v if isinstance(v, str) else None for v in prov.tolist()]
    else:
        province = [None] * len(ids)
    if uscc_col is not None:
        raw = _text(table.column(uscc_col)).str.upper()
        uscc = [v if isinstance(v, str) and pd.notna(v) and _USCC_RE.match(v) else None
                for v in raw.tolist()]
    else:
        uscc = [None] * len(ids)
    sample_key = [zlib.crc32(i.encode("utf-8")) % _SAMPLE_MOD if i is not None else _SAMPLE_MOD for i in ids]
    return pa.table({"unique_id": ids, "name": names.tolist(), "norm": norm.tolist(), "stem": spread(stem_l),
                     "core": spread(core_l),
                     "core_head": spread([c[0] if c else None for c in core_l]), "industry": spread(ind_l),
                     "province_code": province, "uscc": uscc,
                     "sample_key": sample_key}, schema=_FEATURE_SCHEMA)


def _check_columns(columns: list[str], needed: dict[str, str | None], where: str) -> None:
    for role, col in needed.items():
        if col is not None and col not in columns:
            raise InputError(
                where, None, col, f"no such column (the {role}); the columns are {sorted(columns)}. Pass "
                f"{role}=<the column's name>" + (" or None to link without it" if role in
                                                  ("province_col", "uscc_col") else "") + ".")


def _parquet_files(path: Path) -> list[str]:
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*.parquet"))
        if not files:
            raise InputError(str(path), None, None, "the registry folder holds no .parquet files; write the "
                             "registry as parquet (one file or a folder of files).")
        return files
    if not path.exists():
        raise InputError(str(path), None, None, "the registry file does not exist; pass a parquet file or folder.")
    return [str(path)]


def _fingerprint(files: list[str], cols: dict[str, str | None]) -> str:
    stats = [(f, os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files]
    return json.dumps({"files": stats, "cols": cols, "features": FEATURE_COLUMNS}, sort_keys=True)


@renamed_kwargs(id_col="firm_col")
def prepare_registry(registry: str | Path | Any, out_dir: str | Path, *, firm_col: str = "registry_id",
                     name_col: str = "name", province_col: str | None = "province", uscc_col: str | None = None,
                     batch_rows: int = 200_000) -> Path:
    """Write the registry's name features to parquet in one streaming pass (reused when unchanged).

    Parameters
    ----------
    registry : path to a parquet file or folder, or a DuckDB relation
        Read in batches of ``batch_rows``; never whole.
    out_dir : path
        Folder for ``features.parquet`` and its fingerprint; an up-to-date file is reused.
    firm_col, name_col, province_col, uscc_col : str
        Registry columns (``province_col`` / ``uscc_col`` may be None).
    batch_rows : int
        Rows per batch (memory is about 1 kB per row of a batch).

    Returns
    -------
    Path
        The features parquet file (:data:`FEATURE_COLUMNS`).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"registry_id": ["R1"], "name": ["深圳市大疆创新科技有限公司"], "province": ["广东"]}
    ...              ).to_parquet(d / "reg.parquet")
    >>> out = prepare_registry(d / "reg.parquet", d / "prep")
    >>> pq.read_table(out).column("core").to_pylist()
    ['大疆创新']
    """
    cols = {"firm_col": firm_col, "name_col": name_col, "province_col": province_col, "uscc_col": uscc_col}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "features.parquet"
    stamp = out_dir / "fingerprint.json"
    wanted = [c for c in cols.values() if c is not None]
    if isinstance(registry, (str, Path)):
        files = _parquet_files(Path(registry))
        dataset = ds.dataset(files, format="parquet")
        _check_columns(dataset.schema.names, cols, f"registry {registry}")
        fingerprint = _fingerprint(files, cols)
        if out.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == fingerprint:
            return out
        batches: Iterator = dataset.to_batches(columns=wanted, batch_size=batch_rows)
    else:  # a DuckDB relation
        _check_columns(list(registry.columns), cols, "registry relation")
        fingerprint = ""
        rel = registry.select(*wanted)
        reader = getattr(rel, "to_arrow_reader", None) or rel.fetch_arrow_reader  # duckdb 2 / duckdb 1
        batches = reader(batch_rows)
    with pq.ParquetWriter(out, _FEATURE_SCHEMA) as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_table(name_features(batch, firm_col=firm_col, name_col=name_col,
                                                 province_col=province_col, uscc_col=uscc_col))
    stamp.write_text(fingerprint, encoding="utf-8")
    return out


def _firm_features(firms: pd.DataFrame, cols: dict) -> pa.Table:
    _check_columns(list(firms.columns), cols, "firms")
    ids = firms[cols["firm_col"]]
    if ids.isna().any():
        row = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise InputError("firms", row, cols["firm_col"], "missing firm id; give every list firm an id.")
    dup = ids.astype(str).duplicated(keep=False)
    if dup.any():
        raise InputError("firms", int(np.flatnonzero(dup.to_numpy())[0]), cols["firm_col"],
                         f"duplicated firm ids (e.g. {ids[dup].astype(str).unique()[:5].tolist()}); ids must be "
                         "unique.")
    wanted = [c for c in cols.values() if c is not None]
    frame = pd.DataFrame({c: firms[c].astype(object).where(firms[c].notna(), None).to_numpy() for c in wanted},
                         dtype=object)
    table = pa.Table.from_pandas(frame.astype(object).map(lambda v: None if v is None else str(v)),
                                 preserve_index=False)
    return name_features(table, **cols)
