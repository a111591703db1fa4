"""BSE code changes: old BSE/NEEQ codes (``4xxxxx``/``8xxxxx``) paired with their ``920xxx`` codes.

Old codes are resolved to the ``920xxx`` code where a vendor file pairs the two codes by name; the ``920`` +
last-three-digits rule is *not* used because 33 of 141 known pairs break it.

Examples
--------
>>> m = pd.DataFrame({"old_code": ["834475"], "new_code": ["920475"]})
>>> resolve_codes(["834475.BJ"], m).tolist()
['920475']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from lgresearch import paths
from lgresearch.listed.files import (
    BY_CODE_FILE, HISTORY_DIR, LLG_DIR, SNAPSHOTS, STOCKLIST_2024, STOCKLIST_2025, _read_csv_str, normalize_name,
)
from lgresearch.provenance import mark_real
from lgresearch.securities import normalize_code

__all__ = ["bse_code_map", "resolve_codes"]

def _name_sources() -> list[tuple[str, pd.DataFrame]]:
    """(label, frame[code, name]) from every vendor file that carries short names and may hold BSE codes."""
    out: list[tuple[str, pd.DataFrame]] = []
    hist = paths.external_path(LLG_DIR, HISTORY_DIR)
    for snap in SNAPSHOTS:
        f = hist / snap.file
        if f.exists():
            df = _read_csv_str(f)
            out.append((f"{LLG_DIR}/{HISTORY_DIR}/{snap.file}", df[["code", "name"]]))
    for parts in (STOCKLIST_2025, STOCKLIST_2024):
        if paths.has_external(*parts):
            df = _read_csv_str(paths.external_path(*parts))
            code_col = "symbol" if "symbol" in df.columns else "code"
            out.append(("/".join(parts), df[[code_col, "name"]].rename(columns={code_col: "code"})))
    return out


@lru_cache(maxsize=4)
def _bse_code_map_cached(ext: str) -> pd.DataFrame:
    rows: list[pd.DataFrame] = []
    # 1. explicit pairs: history files (code vs code_norm) and the by-code file (source_codes "old;new")
    hist = paths.external_path(LLG_DIR, HISTORY_DIR)
    for snap in SNAPSHOTS:
        f = hist / snap.file
        if not f.exists():
            continue
        df = _read_csv_str(f)
        if "code_norm" in df.columns:
            pair = df[df["code"] != df["code_norm"]]
            rows.append(pd.DataFrame({"old_code": pair["code"], "new_code": pair["code_norm"],
                                      "name": pair["name"], "evidence": f"{snap.file}: code_norm"}))
    by_code = paths.external_path(LLG_DIR, BY_CODE_FILE)
    if by_code.exists():
        df = _read_csv_str(by_code)
        multi = df[df["source_codes"].str.contains(";", na=False)]
        for _, r in multi.iterrows():
            codes = r["source_codes"].split(";")
            new = [c for c in codes if c.startswith("920")]
            for old in (c for c in codes if not c.startswith("920")):
                if new:
                    rows.append(pd.DataFrame({"old_code": [old], "new_code": [new[0]], "name": [r["name"]],
                                              "evidence": [f"{BY_CODE_FILE}: source_codes (name match)"]}))
    # 2. name matches across every name-bearing vendor file: an old BSE/NEEQ code and a 920 code with one name
    names = [df.assign(file=label) for label, df in _name_sources()]
    if names:
        allnames = pd.concat(names, ignore_index=True)
        allnames["code"] = normalize_code(allnames["code"])
        allnames["key"] = normalize_name(allnames["name"])
        allnames = allnames.dropna(subset=["code"])
        allnames = allnames[allnames["key"].str.len() > 0]
        old = allnames[allnames["code"].str.match(r"^[48]\d{5}$")].drop_duplicates(["code", "key"])
        new = allnames[allnames["code"].str.match(r"^920\d{3}$")].drop_duplicates(["code", "key"])
        m = old.merge(new, on="key", suffixes=("_old", "_new"))
        rows.append(pd.DataFrame({"old_code": m["code_old"], "new_code": m["code_new"], "name": m["name_new"],
                                  "evidence": "same short name in " + m["file_old"] + " and " + m["file_new"]}))
    if not rows:
        return pd.DataFrame(columns=["old_code", "new_code", "name", "evidence"]).astype("string")
    pairs = pd.concat(rows, ignore_index=True).astype("string")
    pairs = pairs.dropna(subset=["old_code", "new_code"])
    # conflicts: one old code claimed by two new codes (or the reverse) are dropped, not guessed
    agg = (pairs.groupby(["old_code", "new_code"], sort=True)
           .agg(name=("name", "first"), evidence=("evidence", lambda s: "; ".join(sorted(set(s)))))
           .reset_index())
    bad = agg["old_code"].duplicated(keep=False) | agg["new_code"].duplicated(keep=False)
    agg = agg[~bad].reset_index(drop=True)
    agg.attrs["n_conflicts_dropped"] = int(bad.sum())
    return agg


def bse_code_map() -> pd.DataFrame:
    """Return the old BSE/NEEQ code -> ``920xxx`` code pairs found in the vendor files.

    Pairs come from the history files (``code`` vs ``code_norm``), ``listed_little_giants_by_code.csv``
    (``source_codes``) and same-short-name matches between old and new codes in every vendor list. Codes claimed by
    two partners are left out (count in ``attrs["n_conflicts_dropped"]``).

    Returns
    -------
    DataFrame with columns ``old_code, new_code, name, evidence``.

    Examples
    --------
    >>> from lgresearch import datasets                       # sample files written by lgresearch
    >>> with datasets.as_external():
    ...     m = bse_code_map()
    >>> m.set_index("old_code").loc["834475", "new_code"]
    '920475'
    """
    out = _bse_code_map_cached(str(paths.external_dir())).copy()
    return mark_real(out, "BSE code pairs from vendor files (listed-little-giants, LYH-RAIN and tszlam stock lists)")


def resolve_codes(codes: Iterable, mapping: pd.DataFrame | None = None) -> pd.Series:
    """Map old BSE/NEEQ codes to ``920xxx`` where a pair is known; other codes pass through (normalised).

    Parameters
    ----------
    codes : iterable of str or int
        Stock codes in any usual form.
    mapping : DataFrame, optional
        Old → new code pairs (default :func:`bse_code_map`).

    Returns
    -------
    Series
        Six-digit codes with old BSE/NEEQ codes replaced by their 920xxx codes.

    Examples
    --------
    >>> m = pd.DataFrame({"old_code": ["834475"], "new_code": ["920475"]})
    >>> resolve_codes(["834475", "300750", "831627"], m).tolist()
    ['920475', '300750', '831627']
    """
    c = normalize_code(codes)
    if mapping is None:
        try:
            mapping = _bse_code_map_cached(str(paths.external_dir()))
        except FileNotFoundError:
            return c
    lookup = dict(zip(mapping["old_code"].astype(str), mapping["new_code"].astype(str), strict=True))
    return c.map(lambda v: lookup.get(v, v) if isinstance(v, str) else v).astype("string")



def _bj_codes() -> set[str]:
    """Codes listed on the BSE according to the 2025-11 and 2024-06 stock lists (resolved) plus all 920 codes."""
    out: set[str] = set()
    if paths.has_external(*STOCKLIST_2025):
        df = _read_csv_str(paths.external_path(*STOCKLIST_2025))
        bj = df[df["ts_code"].str.endswith(".BJ", na=False)]
        out |= set(normalize_code(bj["symbol"]).dropna())
    if paths.has_external(*STOCKLIST_2024):
        df = _read_csv_str(paths.external_path(*STOCKLIST_2024))
        c = normalize_code(df["code"]).dropna()
        out |= set(c[c.str.match(r"^(4|8|92)")])
    out |= {resolve_codes([c]).iloc[0] for c in list(out)}
    return out
