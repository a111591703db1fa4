"""Identifying Little Giants among deal-database firms (notebooks 04 and 07).

Deal-database firms are identified through real designated-firm names with a batch (:func:`fragment_firms`,
linked by :func:`link_fragments`) and through listed-firm vendor tags linked by stock short name
(:func:`link_listed_short_names`); :func:`identified_little_giants` combines both, with the designation window
known from the batch (:func:`batch_windows`).

Examples
--------
>>> FRAGMENTS_PARTS
('official', 'srdi_firm_fragments.csv')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lgresearch import official, paths, sources
from lgresearch._compat import renamed_kwargs
from lgresearch.clean.names import normalize_company_name
from lgresearch.ledger import InputError
from lgresearch.link.firms import link_firms
from lgresearch.link.names import _obj
from lgresearch.link.overrides import best_matches
from lgresearch.provenance import mark_real
from lgresearch.securities import normalize_code

__all__ = ["FRAGMENTS_PARTS", "IDENTIFIED_COLUMNS", "BOARD_WORDS", "batch_windows", "fragment_firms",
           "link_fragments", "link_listed_short_names", "identified_little_giants"]

#: Third-party file of real designated-firm names (a fragment, not a sample): ``sources.parts("fragments")``.
FRAGMENTS_PARTS = sources.parts("fragments")
#: Columns of :func:`identified_little_giants`.
IDENTIFIED_COLUMNS = ["firm_id", "source", "evidence", "batch", "window_start", "window_end", "date_known",
                      "matched_name", "method"]
#: Exchange words in a deal database's "listed on" text, by board of the stock code.
BOARD_WORDS = {"Main": ("主板", "中小板", "中小企业板"), "ChiNext": ("创业板",), "STAR": ("科创板",),
               "BSE": ("北京证券交易所", "新三板"), "NEEQ": ("新三板",)}


def batch_windows() -> pd.DataFrame:
    """Designation window per batch from the official facts: publicity start to announcement (or publicity end).

    Returns
    -------
    DataFrame
        One row per batch with the first and last date of its designation window.

    Examples
    --------
    >>> w = batch_windows()
    >>> w.loc[w["batch"] == 1, ["window_start", "window_end"]].astype(str).values.tolist()
    [['2019-05-01', '2019-06-13']]
    """
    b = official.batches()
    start = pd.to_datetime(b["publicity_start"])
    end = pd.to_datetime(b["announcement_date"]).fillna(pd.to_datetime(b["publicity_end"])).fillna(start)
    return pd.DataFrame({"batch": b["batch"].astype("int64"), "window_start": start, "window_end": end})


def fragment_firms(path: str | Path | None = None) -> pd.DataFrame:
    """Real designated-firm names (``official/srdi_firm_fragments.csv`` in the third-party directory).

    Returns ``fid, name, province, city, batch, event, event_date`` plus the batch's designation window
    (:func:`batch_windows`). Raises :class:`lgresearch.paths.MissingExternalData` when the file is absent.

    Parameters
    ----------
    path : str or Path, optional
        The official-name fragments file (default: the third-party directory).

    Returns
    -------
    DataFrame
        Official names with their batch.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "frag.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("enterprise_name,province,city,cohort_batch\\n"
    ...                                          "浙江铖昌科技股份有限公司,浙江省,杭州市,2\\n")
    >>> f = fragment_firms(p)
    >>> f[["fid", "batch"]].values.tolist(), str(f["window_start"].iloc[0].date())
    ([['frag001', 2]], '2020-11-01')
    """
    p = Path(path) if path is not None else paths.external_path(*FRAGMENTS_PARTS, must_exist=True)
    raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = ["enterprise_name", "province", "cohort_batch"]
    for i, c in enumerate(need):
        if c not in raw.columns:
            raise InputError(p.name, 1, c, "column missing in the fragments file")
    bad = ~raw["cohort_batch"].str.fullmatch(r"\d+")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(p.name, i + 2, "cohort_batch", f"not a batch number: {raw['cohort_batch'].iloc[i]!r}")
    out = pd.DataFrame({
        "fid": [f"frag{i + 1:03d}" for i in range(len(raw))],
        "name": raw["enterprise_name"].str.strip(),
        "province": raw["province"].str.strip(),
        "city": raw.get("city", pd.Series("", index=raw.index)).str.strip(),
        "batch": raw["cohort_batch"].astype("int64"),
        "event": raw.get("event", pd.Series("", index=raw.index)),
        "event_date": pd.to_datetime(raw.get("event_date", pd.Series("", index=raw.index)), errors="coerce"),
    })
    out = out.merge(batch_windows(), on="batch", how="left")
    return mark_real(out, "SRDI designated-firm fragments (official/srdi_firm_fragments.csv; provincial and MIIT "
                          "publicity pages)")


def link_fragments(firms: pd.DataFrame, fragments: pd.DataFrame) -> pd.DataFrame:
    """Link fragment names to deal-database firms (registered names, province blocks); accepted pairs only.

    Parameters
    ----------
    firms : DataFrame
        Deal firms (:func:`lgresearch.deals.deal_firms`).
    fragments : DataFrame
        Official names with a batch (:func:`fragment_firms`).

    Returns
    -------
    DataFrame
        Accepted links between fragments and deal firms.

    Examples
    --------
    >>> firms = pd.DataFrame({"firm_id": ["x"], "firm_name": ["浙江铖昌科技股份有限公司"], "province": ["浙江"]})
    >>> frag = pd.DataFrame({"fid": ["f1"], "name": ["浙江铖昌科技股份有限公司"], "province": ["浙江省"], "batch": [2],
    ...                      "window_start": [pd.Timestamp("2020-11-01")], "window_end": [pd.Timestamp("2020-11-01")]})
    >>> link_fragments(firms, frag)[["firm_id", "batch", "method"]].values.tolist()
    [['x', 2, 'exact_name']]
    """
    pairs = link_firms(fragments, firms, name_col=("name", "firm_name"), province_col="province",
                       firm_col=("fid", "firm_id"))
    acc = best_matches(pairs)
    if acc.empty:
        return pd.DataFrame(columns=IDENTIFIED_COLUMNS)
    fr = fragments.set_index("fid")
    out = pd.DataFrame({
        "firm_id": acc["right_id"].to_numpy(),
        "source": "official fragment",
        "evidence": "name on a published list (batch " + fr.loc[acc["left_id"], "batch"].astype(str).to_numpy() + ")",
        "batch": fr.loc[acc["left_id"], "batch"].to_numpy(),
        "window_start": fr.loc[acc["left_id"], "window_start"].to_numpy(),
        "window_end": fr.loc[acc["left_id"], "window_end"].to_numpy(),
        "date_known": True,
        "matched_name": acc["left_name"].to_numpy(),
        "method": acc["method"].to_numpy(),
    })
    return out


def _board_consistent(board: str | None, exchange_text: str | None) -> bool:
    if not isinstance(exchange_text, str) or not exchange_text:
        return False
    if not isinstance(board, str) or board not in BOARD_WORDS:
        return True
    return any(w in exchange_text for w in BOARD_WORDS[board])


@renamed_kwargs(code="code_col", name="name_col", board="board_col")
def link_listed_short_names(listed_firms: pd.DataFrame, firms: pd.DataFrame, *, code_col: str = "code",
                            name_col: str = "name", board_col: str | None = "board") -> pd.DataFrame:
    """Link stock short names (证券简称) to deal-database firms the vendor reports as listed.

    A pair needs equal normalised short names (the deal database's short name, e.g. 清科 企业), a non-empty
    ``listed_exchange`` on the firm, and, when ``board_col`` is given, an exchange text consistent with the
    code's board (创业板 for ChiNext, 科创板 for STAR, 北交所/新三板 for BSE …). Names matching several firms are
    dropped.

    Parameters
    ----------
    listed_firms : DataFrame
        One row per stock, with its code (any usual form: ``600000``, ``600000.SH``, ``sh600000``, an integer),
        its short name and optionally its board.
    firms : DataFrame
        Deal-database firms (:func:`lgresearch.deals.deal_firms`) with ``firm_id``, ``short_name`` and
        ``listed_exchange``.
    code_col, name_col : str
        Code and short-name columns of ``listed_firms`` (``code=`` and ``name=`` are deprecated).
    board_col : str or None
        Board column of ``listed_firms`` (None: no board check; ``board=`` is deprecated).

    Returns
    -------
    DataFrame
        ``code, firm_id, stock_name, short_name, listed_exchange`` (codes normalised to six digits).

    Examples
    --------
    >>> lf = pd.DataFrame({"code": ["300001"], "name": ["测试光电"], "board": ["ChiNext"]})
    >>> fi = pd.DataFrame({"firm_id": ["f"], "short_name": ["测试光电"], "listed_exchange": ["深圳证券交易所创业板"]})
    >>> link_listed_short_names(lf, fi)[["code", "firm_id"]].values.tolist()
    [['300001', 'f']]
    """
    cand = firms[firms["listed_exchange"].notna() & firms["short_name"].notna()]
    left = pd.DataFrame({"code": normalize_code(listed_firms[code_col]).astype(object).to_numpy(),
                         "stock_name": listed_firms[name_col].astype(object).to_numpy(),
                         "board": listed_firms[board_col].astype(object).to_numpy() if board_col else None})
    left["key"] = _obj(normalize_company_name(left["stock_name"].astype(object)))
    right = pd.DataFrame({"firm_id": cand["firm_id"].to_numpy(), "short_name": cand["short_name"].to_numpy(),
                          "listed_exchange": cand["listed_exchange"].to_numpy()})
    right["key"] = _obj(normalize_company_name(right["short_name"].astype(object)))
    m = left.dropna(subset=["key"]).merge(right.dropna(subset=["key"]), on="key", how="inner")
    ok = [_board_consistent(b, e) for b, e in zip(m["board"], m["listed_exchange"], strict=True)]
    m = m[np.array(ok, dtype=bool)]
    m = m[(m.groupby("code")["firm_id"].transform("nunique") == 1)
          & (m.groupby("firm_id")["code"].transform("nunique") == 1)]
    return m[["code", "firm_id", "stock_name", "short_name", "listed_exchange"]].reset_index(drop=True)


def identified_little_giants(
    firms: pd.DataFrame,
    *,
    fragments: pd.DataFrame | None = None,
    listed_tags: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Deal-database firms identified as Little Giants, with what is known about when.

    Parameters
    ----------
    firms : DataFrame
        :func:`lgresearch.deals.deal_firms` output.
    fragments : DataFrame, optional
        :func:`fragment_firms` output: official names with a batch, hence a designation window.
    listed_tags : DataFrame, optional
        :func:`lgresearch.listed.listed_little_giants` output (vendor tags by stock code): linked through stock
        short names; the window is the batch window when the batch is verified, otherwise the first-seen bracket
        (``bracket_low``/``bracket_high``; a firm on the first Eastmoney snapshot of 2023-12 was designated at some
        point from batch 1, 2019-05, to then).

    Returns
    -------
    DataFrame
        :data:`IDENTIFIED_COLUMNS`, one row per firm (an official fragment wins over a vendor tag).
        ``date_known`` is true when the batch (hence the window) is known.

    Examples
    --------
    >>> firms = pd.DataFrame({"firm_id": ["x"], "firm_name": ["浙江铖昌科技股份有限公司"], "short_name": ["铖昌科技"],
    ...                       "province": ["浙江"], "listed_exchange": ["深圳证券交易所主板"]})
    >>> tags = pd.DataFrame({"code": ["001270"], "name": ["铖昌科技"], "board": ["Main"], "verified_batch": [2],
    ...                      "high_confidence": [True], "bracket_low": [pd.NaT],
    ...                      "bracket_high": [pd.Timestamp("2024-01-02")], "first_seen": [pd.Timestamp("2023-12-18")]})
    >>> identified_little_giants(firms, listed_tags=tags)[["firm_id", "batch", "date_known"]].values.tolist()
    [['x', 2, True]]
    """
    parts = []
    if fragments is not None and len(fragments):
        parts.append(link_fragments(firms, fragments))
    if listed_tags is not None and len(listed_tags):
        linked = link_listed_short_names(listed_tags, firms)
        if len(linked):
            parts.append(_tagged_firms(linked, listed_tags))
    if not parts:
        return pd.DataFrame(columns=IDENTIFIED_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out = out.drop_duplicates("firm_id", keep="first").reset_index(drop=True)
    out["batch"] = pd.array(pd.to_numeric(out["batch"], errors="coerce"), dtype="Int64")
    return out[IDENTIFIED_COLUMNS]


def _tagged_firms(linked: pd.DataFrame, listed_tags: pd.DataFrame) -> pd.DataFrame:
    """Rows of :data:`IDENTIFIED_COLUMNS` for firms linked to vendor tags: the batch window when the batch is
    verified, otherwise the first-seen bracket."""
    tags = listed_tags.assign(code=listed_tags["code"].astype(str)).set_index("code").loc[linked["code"]]
    windows = batch_windows().set_index("batch")
    first_publicity = windows["window_start"].min()
    vb = pd.to_numeric(tags["verified_batch"], errors="coerce").to_numpy()
    known = ~np.isnan(vb)
    ws = np.where(known, windows["window_start"].reindex(vb).to_numpy(),
                  np.datetime64(first_publicity, "ns"))
    bl = pd.to_datetime(tags["bracket_low"]).to_numpy()
    ws = np.where(~known & ~pd.isna(bl), bl, ws)
    we = np.where(known, windows["window_end"].reindex(vb).to_numpy(),
                  pd.to_datetime(tags["bracket_high"]).fillna(pd.to_datetime(tags["first_seen"])).to_numpy())
    return pd.DataFrame({
        "firm_id": linked["firm_id"].to_numpy(),
        "source": "listed vendor tag",
        "evidence": ("stock " + linked["code"] + " " + linked["stock_name"].astype(str) + " tagged 专精特新"
                     + np.where(tags["high_confidence"].to_numpy(dtype=bool), " (EM and THS)", "")),
        "batch": pd.array(np.where(known, vb, np.nan), dtype="Float64").astype("Int64"),
        "window_start": pd.to_datetime(ws),
        "window_end": pd.to_datetime(we),
        "date_known": known,
        "matched_name": linked["stock_name"].to_numpy(),
        "method": "stock short name",
    })
