"""Report pages: an executed notebook becomes a page with folded code, captioned figures and their data, the
verdict table in full and "see also" links to the library functions it calls.

Examples
--------
>>> library_calls("from lgresearch import did\\ndid.att(x)\\n")
['lgresearch.did.att']
"""

from __future__ import annotations

import ast
import base64
import functools
import json
from pathlib import Path

import pandas as pd

import lgresearch
from lgresearch.site._files import write_if_changed as _write
from lgresearch.site.tables import verdict_table_html

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


@functools.lru_cache(maxsize=None)
def _module_file(name: str) -> Path | None:
    """The source file of an ``lgresearch`` module, found without importing it."""
    rel = name.split(".")[1:]
    base = Path(lgresearch.__file__).parent.joinpath(*rel)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_module(name: str) -> bool:
    return name.startswith("lgresearch") and _module_file(name) is not None


@functools.lru_cache(maxsize=None)
def _top_level_names(name: str) -> frozenset[str]:
    """Functions, classes and assigned names defined at the top of a module (read from its source)."""
    path = _module_file(name)
    if path is None:
        return frozenset()
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
    return frozenset(out)


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


def _figure_outputs(cell: dict, stem: str, pending: list[dict], figures: Path, target: Path,
                    written: set[str]) -> list[dict]:
    """Move a cell's recorded figures out of its outputs into captioned figure cells (returned); write the PNG and
    the data beside the page."""
    kept, added = [], []
    for out in cell.get("outputs", []):
        png = out.get("data", {}).get("image/png") if out.get("output_type") in ("display_data",
                                                                                  "execute_result") else None
        if not (png and pending):
            kept.append(out)
            continue
        record = pending.pop(0)
        name = f"{stem}-fig-{record['number']}"
        _write(target / f"{name}.png", base64.b64decode(_text(png)))
        src_csv = figures / record["csv"]
        _write(target / f"{name}.csv", src_csv.read_bytes() if src_csv.exists() else "no data recorded\n")
        written.update({f"{name}.png", f"{name}.csv"})
        added.append(_markdown_cell(_figure_markdown(stem, record), f"lg-figure-{record['number']}"))
    cell["outputs"] = kept
    return added


def _see_also(code: list[str], api_names: dict[str, str] | None) -> list[dict]:
    """The "See also" cell: the library functions the code calls, linked to where the API reference documents
    them (``api_names``: exported name → documented name, :func:`lgresearch.site.api.documented_names`)."""
    calls = library_calls("\n".join(_python_only(c) for c in code))
    if not calls:
        return []
    names = api_names or {}
    links = "\n".join(f"- {{py:obj}}`{c}`" if names.get(c, c) == c else f"- {{py:obj}}`{c} <{names[c]}>`"
                      for c in calls)
    return [_markdown_cell(f"## See also\n\nLibrary functions this report calls (API reference):\n\n{links}",
                           "lg-see-also")]


def prepare_notebook(nb: dict, stem: str, *, figures: Path, out_dir: Path, claims: pd.DataFrame | None = None,
                     api_names: dict[str, str] | None = None) -> dict:
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
    api_names : dict, optional
        Exported dotted name → where the API reference documents it (``listed.parse_batch`` →
        ``clean.parse_batch``), so that "see also" links resolve; default: link the names as called.

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
        cells.extend(_figure_outputs(cell, stem, pending, figures, target, written))
    nb["cells"] = cells + _see_also(code, api_names)
    for stale in (target.iterdir() if target.is_dir() else []):
        if stale.name not in written:
            stale.unlink()
    return nb


def _python_only(source: str) -> str:
    """Drop IPython magics and shell lines so the cell parses as Python."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


#: Every public name of this module.
__all__ = ["library_calls", "prepare_notebook"]
