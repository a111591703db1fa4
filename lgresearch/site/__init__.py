"""The report site: executed notebooks, the claims ledger and the API reference as one static Sphinx site.

:func:`lgresearch.runner.run_reports` executes the notebooks (with a cache) and then calls :func:`write_sources` and
:func:`build_site`, which write Sphinx sources under the build folder beside ``reports/`` (``.reports-build/src``)
and build them with MyST-NB (notebooks are rendered, never executed here) and the book theme into ``reports/``.

- :mod:`lgresearch.site.tables`: the verdict tables (:func:`verdict_table_html`, :func:`ledger_html`);
- :mod:`lgresearch.site.pages`: a report page from an executed notebook (:func:`prepare_notebook`): code cells
  folded, figures numbered with captions, alt text and a link to their data (recorded by
  :mod:`lgresearch.plotting`), the verdict table in full and "see also" links (:func:`library_calls`);
- :mod:`lgresearch.site.api`: the API reference, every public name documented once (:func:`write_api_pages`);
- :mod:`lgresearch.site.build`: the landing page, the sources and the Sphinx run (:func:`build_site`).

Examples
--------
>>> import pandas as pd
>>> html = ledger_html(pd.DataFrame({"notebook": ["01_x"], "claim": ["c"], "verdict": ["supported"],
...                                  "estimate": ["4762"], "interval": [""], "n": ["3"],
...                                  "data_provenance": ["real: facts"], "note": [""]}))
>>> 'href="01_x.html#claim-01_x-1"' in html and "4,762" in html
True
"""

from lgresearch.site.api import (KEY_FILE, NAMES_FILE, api_modules, api_pages, documented_names, page_source,
                                 write_api_pages)
from lgresearch.site.build import DOCS_DIR, build_site, sources_key, write_sources
from lgresearch.site.pages import library_calls, prepare_notebook
from lgresearch.site.tables import (HEADERS, SHOWN_COLUMNS, VERDICT_CLASSES, format_number, ledger_html,
                                    verdict_table_html)

#: Every public name of the package (its submodules' names, re-exported).
__all__ = [
    "api_modules", "api_pages", "build_site", "documented_names", "DOCS_DIR", "format_number", "HEADERS",
    "KEY_FILE", "ledger_html", "library_calls", "NAMES_FILE", "page_source", "prepare_notebook", "SHOWN_COLUMNS",
    "sources_key", "VERDICT_CLASSES", "verdict_table_html", "write_api_pages", "write_sources",
]
