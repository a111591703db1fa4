"""The verdict tables of the site: numbers formatted, claims in full, verdict badges, links from the ledger.

Examples
--------
>>> format_number("12345")
'12,345'
"""

from __future__ import annotations

import html
import re

import pandas as pd

VERDICT_CLASSES = {"supported": "supported", "contradicted": "contradicted", "inconclusive": "inconclusive",
                   "not testable with available data": "not-testable"}
#: Verdict table columns shown on the report pages and the landing page (``method`` when the ledger has it).
SHOWN_COLUMNS = ["claim", "verdict", "estimate", "interval", "n", "method", "data_provenance", "note"]
HEADERS = {"data_provenance": "data", "n": "n"}


def format_number(text: str) -> str:
    """Format a number held as text: thousands separators, four significant digits; other text unchanged.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> format_number("4762"), format_number("0.41234"), format_number("12.5%"), format_number("NA")
    ('4,762', '0.4123', '12.5%', 'NA')
    >>> format_number("[0.1, 12345]")
    '[0.1, 12,345]'
    """
    text = str(text).strip()
    if text.startswith("[") and text.endswith("]") and "," in text:
        parts = re.split(r",\s+", text[1:-1])
        return "[" + ", ".join(format_number(p) for p in parts) + "]"
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return text
    if value != value:  # NaN
        return "NA"
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _badge(verdict: str) -> str:
    cls = VERDICT_CLASSES.get(verdict, "other")
    return f'<span class="verdict-badge verdict-{cls}">{html.escape(verdict)}</span>'


def _cell(col: str, value: str) -> str:
    value = "" if value is None else str(value)
    if col == "verdict":
        return _badge(value)
    if col in ("estimate", "interval", "n"):
        return html.escape(format_number(value))
    return html.escape(value)


def verdict_table_html(claims: pd.DataFrame, notebook: str) -> str:
    """Render one notebook's verdict rows in full: claims never cut, numbers formatted, verdict badges.

    Each row has the id ``claim-<notebook>-<i>`` (1-based) that the landing page links to.

    Parameters
    ----------
    claims : DataFrame
        Rows of the claims ledger (``reports/claims/<notebook>.csv``).
    notebook : str

    Returns
    -------
    str
        An HTML table inside a horizontally scrollable wrapper.

    Examples
    --------
    >>> t = pd.DataFrame({"claim": ["a long claim " * 10], "verdict": ["contradicted"], "n": ["12000"]})
    >>> out = verdict_table_html(t, "05_x")
    >>> 'id="claim-05_x-1"' in out and "12,000" in out and ("a long claim " * 10).strip() in out
    True
    """
    cols = [c for c in SHOWN_COLUMNS if c in claims.columns]
    head = "".join(f"<th>{html.escape(HEADERS.get(c, c))}</th>" for c in cols)
    rows = []
    for i, row in enumerate(claims.to_dict("records"), start=1):
        cells = "".join(f'<td class="col-{c}">{_cell(c, row.get(c, ""))}</td>' for c in cols)
        rows.append(f'<tr id="claim-{html.escape(notebook)}-{i}">{cells}</tr>')
    return (f'<div class="lg-table-wrap"><table class="lg-verdicts"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def ledger_html(claims: pd.DataFrame) -> str:
    """Render the claims ledger for the landing page: one row per claim, linking to its report's verdict row.

    Columns: claim, verdict badge, estimate, interval, method (when the ledger has it), data.

    Parameters
    ----------
    claims : DataFrame
        The collected ledger (``reports/claims.csv``).

    Returns
    -------
    str

    Examples
    --------
    >>> t = pd.DataFrame({"notebook": ["06_s"], "claim": ["x"], "verdict": ["inconclusive"],
    ...                   "method": ["did2s"], "data_provenance": ["simulated: w"]})
    >>> "<th>method</th>" in ledger_html(t)
    True
    """
    cols = [c for c in ("claim", "verdict", "estimate", "interval", "method", "data_provenance")
            if c in claims.columns or c == "claim"]
    head = "".join(f"<th>{html.escape(HEADERS.get(c, c))}</th>" for c in cols) + "<th>report</th>"
    rows = []
    counters: dict[str, int] = {}
    for row in claims.to_dict("records"):
        nb = str(row.get("notebook", ""))
        counters[nb] = counters.get(nb, 0) + 1
        link = f"{nb}.html#claim-{nb}-{counters[nb]}"
        cells = []
        for c in cols:
            value = _cell(c, row.get(c, ""))
            if c == "claim":
                value = f'<a href="{html.escape(link)}">{value}</a>'
            cells.append(f'<td class="col-{c}">{value}</td>')
        cells.append(f'<td class="col-report"><a href="{html.escape(link)}">{html.escape(nb[:2])}</a></td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="lg-table-wrap"><table class="lg-verdicts lg-ledger"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


#: Every public name of this module.
__all__ = ["format_number", "HEADERS", "ledger_html", "SHOWN_COLUMNS", "VERDICT_CLASSES", "verdict_table_html"]
