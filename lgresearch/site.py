"""The report site: executed notebooks, the claims ledger and the API reference as one static Sphinx site.

:func:`lgresearch.runner.run_reports` executes the notebooks (with a cache) and then calls :func:`build_site`,
which writes Sphinx sources under the build folder beside ``reports/`` (``.reports-build/src``) and builds them with MyST-NB (notebooks are rendered, never
executed here) and the book theme into ``reports/``. For each report page the executed notebook is prepared by
:func:`prepare_notebook`: code cells folded, figures numbered with captions, alt text and a link to their data
(recorded by :mod:`lgresearch.plotting`), the verdict table rendered in full (:func:`verdict_table_html`) and
"see also" links to the library functions the notebook calls (:func:`library_calls`).

Examples
--------
>>> import pandas as pd
>>> html = ledger_html(pd.DataFrame({"notebook": ["01_x"], "claim": ["c"], "verdict": ["supported"],
...                                  "estimate": ["4762"], "interval": [""], "n": ["3"],
...                                  "data_provenance": ["real: facts"], "note": [""]}))
>>> 'href="01_x.html#claim-01_x-1"' in html and "4,762" in html
True
"""

from __future__ import annotations

import ast
import base64
import html
import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from lgresearch import paths

#: Sphinx configuration template, in the repository's ``docs/`` folder when present (else the copy below).
DOCS_DIR = "docs"
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


def library_calls(source: str) -> list[str]:
    """Return the ``lgresearch`` functions and classes a notebook's code calls, as dotted names, in order.

    Parameters
    ----------
    source : str
        Python source of the notebook's code cells.

    Returns
    -------
    list of str

    Examples
    --------
    >>> library_calls("from lgresearch import did\\nfrom lgresearch.plotting import bar_chart\\n"
    ...               "did.att(x)\\nbar_chart(y)\\ndid.att(z)\\n")
    ['lgresearch.did.att', 'lgresearch.plotting.bar_chart']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    modules: dict[str, str] = {}
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lgresearch"):
            for a in node.names:
                full = f"{node.module}.{a.name}"
                (modules if _is_module(full) else names)[a.asname or a.name] = full
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("lgresearch"):
                    modules[a.asname or a.name] = a.name
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in modules:
                found.append(f"{modules[f.value.id]}.{f.attr}")
            elif isinstance(f, ast.Name) and f.id in names:
                found.append(names[f.id])
    ordered = sorted(dict.fromkeys(found), key=found.index)
    return [n for n in ordered if _exists(n)]


def _module_file(name: str) -> Path | None:
    """The source file of an ``lgresearch`` module, found without importing it."""
    import lgresearch

    rel = name.split(".")[1:]
    base = Path(lgresearch.__file__).parent.joinpath(*rel)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_module(name: str) -> bool:
    return name.startswith("lgresearch") and _module_file(name) is not None


def _top_level_names(name: str) -> set[str]:
    """Functions, classes and assigned names defined at the top of a module (read from its source)."""
    path = _module_file(name)
    if path is None:
        return set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            out.update(a.asname or a.name for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            out.update(t.id for t in targets if isinstance(t, ast.Name))
    return out


def _exists(dotted: str) -> bool:
    module, _, attr = dotted.rpartition(".")
    return _is_module(module) and (attr in _top_level_names(module) or _is_module(dotted))


def _figure_markdown(stem: str, record: dict) -> str:
    n = record["number"]
    alt = " ".join(str(record.get("alt") or record.get("title") or f"Figure {n}").split())
    title = str(record.get("title", "")).strip().rstrip(".")
    parts = [f"**Figure {n}.**", f"{title}." if title else ""]
    if record.get("caption"):
        parts.append(" ".join(str(record["caption"]).split()))
    if record.get("source"):
        parts.append(f"*{' '.join(str(record['source']).split())}*")
    parts.append(f"{{download}}`Download the data (CSV) <figures/{stem}/{stem}-fig-{n}.csv>`")
    caption = " ".join(p for p in parts if p)
    return (f"```{{figure}} figures/{stem}/{stem}-fig-{n}.png\n:name: fig-{stem}-{n}\n:alt: {alt}\n"
            f":width: 100%\n\n{caption}\n```")


def _records(figures: Path) -> list[dict]:
    if not figures.is_dir():
        return []
    out = [json.loads(p.read_text(encoding="utf-8")) for p in figures.glob("fig-*.json")]
    return sorted(out, key=lambda r: r["number"])


def _output(data: dict) -> dict:
    return {"output_type": "display_data", "data": data, "metadata": {}}


def _markdown_cell(text: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def prepare_notebook(nb: dict, stem: str, *, figures: Path, out_dir: Path, claims: pd.DataFrame | None = None) -> dict:
    """Turn an executed notebook into a report page: fold code, caption figures, render verdicts, link the API.

    Parameters
    ----------
    nb : dict
        The executed notebook as its JSON dict (changed in place and returned).
    stem : str
        Notebook name (``05_announcement_returns``).
    figures : Path
        Folder of the figure records and data written while it ran (:func:`lgresearch.plotting.record_figure`).
    out_dir : Path
        The site's source folder; figures are written to ``figures/<stem>/`` inside it.
    claims : DataFrame, optional
        The notebook's verdict rows; they replace the verdict table cell's output.

    Returns
    -------
    dict

    Examples
    --------
    >>> import tempfile
    >>> nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": []}]}
    >>> tmp = Path(tempfile.mkdtemp())
    >>> prepare_notebook(nb, "00_t", figures=tmp, out_dir=tmp)["cells"][0]["metadata"]["tags"]
    ['hide-input']
    """
    by_cell: dict[int | None, list[dict]] = {}
    for r in _records(figures):
        by_cell.setdefault(r.get("cell"), []).append(r)
    target = out_dir / "figures" / stem
    written: set[str] = set()
    cells: list[dict] = []
    code: list[str] = []
    for cell in nb["cells"]:
        cells.append(cell)
        if cell["cell_type"] != "code":
            continue
        source = _text(cell["source"])
        code.append(source)
        tags = list(cell.setdefault("metadata", {}).get("tags", []))
        cell["metadata"]["tags"] = tags + [t for t in ("hide-input",) if t not in tags]
        if "verdict_table(" in source and claims is not None and len(claims):
            cell["outputs"] = [_output({"text/html": verdict_table_html(claims, stem), "text/plain": "verdicts"})]
            continue
        pending = list(by_cell.get(cell.get("execution_count"), []))
        kept, added = [], []
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png") if out.get("output_type") in ("display_data",
                                                                                      "execute_result") else None
            if png and pending:
                record = pending.pop(0)
                name = f"{stem}-fig-{record['number']}"
                _write(target / f"{name}.png", base64.b64decode(_text(png)))
                src_csv = figures / record["csv"]
                _write(target / f"{name}.csv", src_csv.read_bytes() if src_csv.exists() else "no data recorded\n")
                written.update({f"{name}.png", f"{name}.csv"})
                added.append(_markdown_cell(_figure_markdown(stem, record), f"lg-figure-{record['number']}"))
            else:
                kept.append(out)
        cell["outputs"] = kept
        cells.extend(added)
    calls = library_calls("\n".join(_python_only(c) for c in code))
    if calls:
        links = "\n".join(f"- {{py:obj}}`{c}`" for c in calls)
        cells.append(_markdown_cell(f"## See also\n\nLibrary functions this report calls (API reference):\n\n{links}",
                                    "lg-see-also"))
    nb["cells"] = cells
    for stale in (target.iterdir() if target.is_dir() else []):
        if stale.name not in written:
            stale.unlink()
    return nb


def _python_only(source: str) -> str:
    """Drop IPython magics and shell lines so the cell parses as Python."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def api_modules() -> list[str]:
    """Return the public ``lgresearch`` modules documented in the API reference.

    Returns
    -------
    list of str
        Dotted module names, sorted.

    Examples
    --------
    >>> "lgresearch.did" in api_modules() and "lgresearch.__main__" not in api_modules()
    True
    """
    import lgresearch

    names = ["lgresearch"] + [m.name for m in pkgutil.walk_packages(lgresearch.__path__, "lgresearch.")]
    return sorted(n for n in names if not any(part.startswith("_") for part in n.split(".")[1:]))


def _write(path: Path, text: str | bytes) -> None:
    """Write only when the content changed (Sphinx rebuilds what changed, by modification time)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _landing_page(claims: pd.DataFrame, stems: list[str], titles: dict[str, str], api: bool) -> str:
    reports = "\n".join(stems)
    api_toc = "\n```{toctree}\n:caption: Reference\n:maxdepth: 1\n\napi/index\n```\n" if api else ""
    real = sorted({p.split(":", 1)[1].strip() for p in claims.get("data_provenance", pd.Series(dtype=str))
                   if str(p).lower().startswith("real:")})
    real_list = "\n".join(f"- {html.escape(p)}" for p in real) or "- none in this build"
    return f"""# lgresearch: China's Little Giant program, claim by claim

Each report quotes a published claim, states which data it ran on, and ends with a verdict that follows written
rules. Verdicts resting on simulated data say so and say nothing about China. Every verdict is also in
<a href="claims.csv"><code>claims.csv</code></a>; the run log of this build is
<a href="run_log.csv"><code>run_log.csv</code></a>.

## Claims ledger

Click a claim to open its report at the verdict.

```{{raw}} html
{ledger_html(claims)}
```

## How to reproduce

```
git clone <this repository> && cd lgresearch
make reproduce          # environment, data/processed, every notebook (cached), this site in reports/
make reproduce FORCE=1  # re-execute every notebook
make lab                # JupyterLab on the notebooks (py:percent files open as notebooks)
```

A notebook re-executes only when its source, the package code, its parameters or its input data change;
`reports/run_log.csv` says which ran and which came from the cache.

## Data availability

Third-party data is read from the folder named by `LGRESEARCH_EXTERNAL_DIR` and never redistributed; official
facts ship with the package, each with its source. No firm-level national designation list is held: the reports
say where that limits a verdict, and run in full on the lists a user adds. Real data behind this build's verdicts:

{real_list}

```{{toctree}}
:caption: Reports
:maxdepth: 1

{reports}
```
{api_toc}"""


def _api_pages(src: Path) -> None:
    mods = api_modules()
    toc = "\n".join(f"   {m}" for m in mods)
    _write(src / "api" / "index.rst", "API reference\n=============\n\nEvery public module of ``lgresearch``, from "
           f"its docstrings.\n\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n")
    for m in mods:
        _write(src / "api" / f"{m}.rst", f"{m}\n{'=' * len(m)}\n\n.. automodule:: {m}\n   :members:\n"
               "   :no-index:\n" if m == "lgresearch" else f"{m}\n{'=' * len(m)}\n\n.. automodule:: {m}\n   :members:\n")


def write_sources(executed: dict[str, Path], claims: pd.DataFrame, build: Path, *, api: bool = True) -> Path:
    """Write the Sphinx sources (configuration, landing page, report pages, API pages) and return their folder.

    Parameters
    ----------
    executed : dict
        Notebook name -> executed ``.ipynb`` (its figure records in ``figures/<name>/`` beside it).
    claims : DataFrame
        The collected claims ledger.
    build : Path
        The build folder (``.reports-build`` beside ``reports/``); sources go to ``build/src``.
    api : bool
        Include the API reference.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> src = write_sources({}, pd.DataFrame(columns=["notebook", "claim", "verdict"]), Path(tempfile.mkdtemp()),
    ...                     api=False)
    >>> (src / "index.md").exists() and (src / "conf.py").exists()
    True
    """
    src = build / "src"
    src.mkdir(parents=True, exist_ok=True)
    docs = paths.repo_root() / DOCS_DIR
    for name in ("conf.py", "_static/lgresearch.css", "_static/favicon.svg"):
        template = docs / name
        if template.exists():
            _write(src / name, template.read_bytes())
    if not (src / "conf.py").exists():
        raise FileNotFoundError(f"{docs / 'conf.py'} is missing: the site needs the repository's docs/ folder")
    titles = {}
    for stem, ipynb in executed.items():
        nb = json.loads(ipynb.read_text(encoding="utf-8"))  # plain JSON: nbformat's validator is slow to import
        mine = claims[claims["notebook"] == stem] if "notebook" in claims.columns else claims.iloc[0:0]
        nb = prepare_notebook(nb, stem, figures=ipynb.parent / "figures" / stem, out_dir=src, claims=mine)
        nb.get("metadata", {}).pop("widgets", None)
        _write(src / f"{stem}.ipynb", json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True))
        titles[stem] = stem
    for old in src.glob("[0-9][0-9]_*.ipynb"):
        if old.stem not in executed:
            old.unlink()
    if api:
        _api_pages(src)
    elif (src / "api").exists():
        shutil.rmtree(src / "api")
    _write(src / "index.md", _landing_page(claims, list(executed), titles, api))
    return src


def sources_key(src: Path) -> str:
    """Hash every file of the site's sources and the versions of Sphinx and its extensions.

    Parameters
    ----------
    src : Path
        The site's Sphinx sources.

    Returns
    -------
    str
        Hex digest of the sources and the Sphinx versions.

    Examples
    --------
    >>> import tempfile
    >>> len(sources_key(Path(tempfile.mkdtemp())))
    64
    """
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    for dist in ("sphinx", "myst-nb", "sphinx-book-theme", "numpydoc"):
        try:
            h.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            h.update(dist.encode())
    for f in sorted(src.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(src).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def build_site(src: Path, out: Path, doctrees: Path, *, quiet: bool = True, api_code: str = "") -> bool:
    """Run Sphinx (MyST-NB renders the executed notebooks; nothing executes) from ``src`` into ``out``.

    Unchanged pages are not rebuilt: Sphinx keeps its environment in ``doctrees``; when neither the sources nor
    ``api_code`` (a fingerprint of the documented code) changed since the last build and ``out/index.html``
    exists, Sphinx is not run at all.

    Parameters
    ----------
    src : Path
        Sphinx sources (written by :func:`write_sources`).
    out : Path
        HTML output folder.
    doctrees : Path
        Sphinx environment folder (kept between builds).
    quiet : bool
        Suppress Sphinx's output unless it fails.
    api_code : str
        Fingerprint of the documented code (a change forces a rebuild).

    Returns
    -------
    bool
        Whether Sphinx ran.

    Raises
    ------
    RuntimeError
        When Sphinx fails, with its output.

    Examples
    --------
    >>> build_site(Path("no-such-folder"), Path("site-src"), Path("site-out"))  # doctest: +SKIP
    True
    """
    key = sources_key(src) + api_code
    stamp = doctrees / "lgresearch-site.key"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == key and (out / "index.html").exists():
        return False
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(doctrees), str(src), str(out)]
    if quiet:
        cmd.insert(3, "-q")
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the site build failed (sphinx exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    if done.stderr.strip():
        print(done.stderr.strip()[-4000:], file=sys.stderr)
    stamp.write_text(key, encoding="utf-8")
    return True


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "api_modules", "build_site", "DOCS_DIR", "format_number", "HEADERS", "ledger_html", "library_calls",
    "prepare_notebook", "SHOWN_COLUMNS", "sources_key", "VERDICT_CLASSES", "verdict_table_html", "write_sources"
]
