"""Designation lists: read any official MIIT or provincial list and build the designation panel.

Batches 1–3 were published by MIIT as national attachments; batches 4–7 as roughly 36 provincial and
separately-planned-city publicity lists per batch, in PDF, Excel, Word and HTML, plus review (复核) lists of firms
that kept the title. This package turns such files into one standard frame and a firm × event panel:

- :func:`read_list` (``read``) reads one file (any layout: titles above the header, header variants, province
  group rows, repeated headers at page breaks, names wrapped across lines or cells, merged cells, footnotes,
  markers) into the standard columns :data:`LIST_COLUMNS`, accounting for every row of the file in a
  :class:`~lgresearch.ledger.Ledger`; ``headers`` recognises header cells and titles, ``parse`` walks the rows
  and ``records`` turns firm rows into the standard frame;
- :func:`build_panel` (``panel``) de-duplicates firms across files and provinces, assigns a stable ``firm_id``
  (the USCC when known, else the normalized name), applies an alias table for renamed firms, joins the official
  batch dates and the review outcome, and writes ``designations.parquet`` with its ledger;
- :func:`check_against_official` (``check``) compares what was read with the official counts per batch, list
  type and province;
- :func:`cli_build` (``build``) is ``lgresearch designations build PATH...``; :func:`build_processed` rebuilds the
  panel from the files a user dropped into ``data/raw/designations/``;
- ``shares`` holds over-representation ratios, published province shares, Wilson intervals and issuer counts.

``industry_over_representation`` moved to :mod:`lgresearch.analyses.composition` and ``listed_little_giants`` is
:func:`lgresearch.listed.listed_little_giants`; both old names still resolve here for one release, with a
``FutureWarning``.

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

from lgresearch._compat import moved_names
from lgresearch.clean.batches import parse_batch
from lgresearch.designations.build import ALIASES_FILE, build_processed, cli_build, user_list_files
from lgresearch.designations.check import check_against_official, held_by_batch
from lgresearch.designations.headers import HEADER_SYNONYMS, header_field, infer_context, parse_list_type
from lgresearch.designations.panel import build_panel, list_files, read_aliases
from lgresearch.designations.parse import looks_like_company
from lgresearch.designations.read import read_list
from lgresearch.designations.schema import (
    CHECK_FILE, LEDGER_FILE, LIST_COLUMNS, LIST_TYPES, PANEL_COLUMNS, PANEL_FILE, REVIEW_OUTCOMES, REVIEW_RESULTS,
    official_batch_numbers,
)
from lgresearch.designations.shares import (
    SW_MANUFACTURING_L1, issuer_counts, over_representation, proportion_interval, published_province_shares,
)

__all__ = [
    "parse_batch",  # re-exported from lgresearch.clean.batches
    "LIST_TYPES", "REVIEW_OUTCOMES", "REVIEW_RESULTS", "LIST_COLUMNS", "PANEL_COLUMNS", "PANEL_FILE", "LEDGER_FILE",
    "CHECK_FILE", "HEADER_SYNONYMS", "parse_list_type", "infer_context", "header_field", "read_list",
    "official_batch_numbers", "looks_like_company", "list_files", "read_aliases", "build_panel",
    "check_against_official", "cli_build", "build_processed", "user_list_files", "ALIASES_FILE",
    "held_by_batch", "over_representation",
    "published_province_shares", "SW_MANUFACTURING_L1", "proportion_interval", "issuer_counts",
]

#: Names that moved: resolved on first use (this package never imports the layers above it).
__getattr__ = moved_names("lgresearch.designations", {
    "industry_over_representation": "lgresearch.analyses.composition:industry_over_representation",
    "listed_little_giants": "lgresearch.listed:listed_little_giants",
})
