"""The notebook runner: execute every notebook in order, write HTML reports, the claims ledger and the index.

``lgresearch report`` (and ``make reproduce``) call :func:`run_reports`. Notebooks are the jupytext
``py:percent`` files ``notebooks/NN_topic.py`` (the source of truth); each is executed top to bottom in a fresh
``python3`` kernel with ``notebooks/`` as the working directory, then written to ``reports/NN_topic.html``.
A failing cell stops the run with a non-zero exit naming the notebook and the cell.

Examples
--------
>>> [p.stem for p in notebook_files()][:2]
['01_program_scale', '02_vc_market']
"""

from __future__ import annotations

import html
import importlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lgresearch import paths
from lgresearch.report import CLAIM_COLUMNS, collect_claims

#: Modules that derive files under data/processed (each exposes ``build_processed() -> list[Path]``).
PROCESSED_BUILDERS = ("lgresearch.official", "lgresearch.designations", "lgresearch.deals", "lgresearch.prices")
KERNEL = "python3"


class NotebookFailed(RuntimeError):
    """A notebook cell raised: carries the notebook name, the cell number and the error."""

    def __init__(self, notebook: str, cell: int | None, error: str, source: str = ""):
        self.notebook, self.cell, self.error = notebook, cell, error
        where = f"cell {cell}" if cell is not None else "setup"
        excerpt = ("\n--- cell source ---\n" + source[:800]) if source else ""
        super().__init__(f"notebook {notebook} failed in {where}: {error}{excerpt}")


@dataclass
class NotebookResult:
    """What one executed notebook produced."""

    name: str
    seconds: float
    html: Path | None
    n_claims: int


def notebook_files(directory: Path | None = None) -> list[Path]:
    """Return the report notebooks (``NN_*.py`` percent files) in run order.

    Examples
    --------
    >>> all(p.suffix == ".py" for p in notebook_files())
    True
    """
    directory = directory or paths.notebooks_dir()
    return sorted(p for p in directory.glob("[0-9][0-9]_*.py"))


def read_notebook(py_path: Path):
    """Read a ``py:percent`` notebook into an nbformat notebook (kernel forced to ``python3``).

    Examples
    --------
    >>> nb = read_notebook(notebook_files()[0]); nb.metadata["kernelspec"]["name"]
    'python3'
    """
    import jupytext

    nb = jupytext.read(py_path)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    return nb


def execute_notebook(py_path: Path, *, timeout: int = 1200):
    """Execute one notebook top to bottom and return the executed nbformat notebook.

    ``timeout`` (seconds) is a budget for the whole notebook, not per cell.

    Raises
    ------
    NotebookFailed
        Naming the notebook, the failing cell (1-based, counting all cells) and the error.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = read_notebook(py_path)
    env_before = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"  # figures inline in the report
    deadline = time.monotonic() + timeout

    def remaining(_cell) -> int:
        # the whole notebook shares one budget: each cell may use what is left of it
        return max(1, int(deadline - time.monotonic()))

    client = NotebookClient(nb, timeout=timeout, timeout_func=remaining, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(py_path.parent)}})
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as err:
        cell_no, source = _failing_cell(nb)
        message = str(err).strip().splitlines()
        short = next((m for m in reversed(message) if m.strip()), "error")
        if isinstance(err, CellTimeoutError):
            short = f"notebook timed out (budget {timeout} s for the whole notebook)"
        raise NotebookFailed(py_path.stem, cell_no, short, source) from None
    except DeadKernelError as err:
        raise NotebookFailed(py_path.stem, None, f"kernel died: {err}") from None
    finally:
        if env_before is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_before
    return nb


def _failing_cell(nb) -> tuple[int | None, str]:
    for i, cell in enumerate(nb.cells, start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, cell.source
    # a timeout leaves no error output: the first code cell without outputs after executed ones
    last = None
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            last = i
    nxt = (last or 0) + 1
    return (nxt, nb.cells[nxt - 1].source) if nxt <= len(nb.cells) else (None, "")


def notebook_to_html(nb, title: str) -> str:
    """Render an executed notebook to self-contained HTML (figures embedded as data URIs).

    Examples
    --------
    >>> import nbformat
    >>> "<html" in notebook_to_html(nbformat.v4.new_notebook(), "t").lower()
    True
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.embed_images = True
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body


def rebuild_processed() -> list[Path]:
    """Run every module's ``build_processed()`` that exists and return the files written.

    Examples
    --------
    >>> isinstance(rebuild_processed(), list)  # doctest: +SKIP
    True
    """
    written: list[Path] = []
    for name in PROCESSED_BUILDERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        builder = getattr(module, "build_processed", None)
        if builder is None:
            continue
        started = time.perf_counter()
        out = list(builder() or [])
        written.extend(out)
        print(f"[processed] {name}: {len(out)} file(s) in {time.perf_counter() - started:.1f} s")
    return written


def write_index(results: list[NotebookResult], claims: pd.DataFrame, reports: Path, api: bool) -> Path:
    """Write ``reports/index.html``: each report with its claim verdicts, and a link to the API reference."""
    rows = []
    for r in results:
        link = f'<a href="{html.escape(r.html.name)}">{html.escape(r.name)}</a>' if r.html else html.escape(r.name)
        mine = claims[claims["notebook"] == r.name]
        verdicts = "".join(
            f"<li><b>{html.escape(c.verdict)}</b>: {html.escape(c.claim)}"
            f"{' (estimate ' + html.escape(c.estimate) + ')' if c.estimate else ''}"
            f"<br><small>data: {html.escape(c.data_provenance)}</small></li>"
            for c in mine.itertuples()
        )
        rows.append(f"<tr><td>{link}</td><td>{r.seconds:.1f} s</td><td><ul>{verdicts}</ul></td></tr>")
    api_link = '<p><a href="api/lgresearch.html">API reference</a> (from the docstrings)</p>' if api else ""
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>lgresearch reports</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}}td{{vertical-align:top;padding:.4em;
border-bottom:1px solid #ddd}}small{{color:#666}}</style></head><body>
<h1>lgresearch: claim-by-claim reports on China's Little Giant program</h1>
<p>Each report quotes a claim, states which data it ran on, and ends with a verdict table. All verdicts are also in
<a href="claims.csv">claims.csv</a>. Verdicts resting on simulated data say so and say nothing about China.</p>
{api_link}
<table><tr><th>report</th><th>run time</th><th>claims and verdicts</th></tr>{''.join(rows)}</table>
</body></html>"""
    path = reports / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def build_api_docs(reports: Path) -> Path:
    """Write the HTML API reference from the docstrings with pdoc to ``reports/api/``."""
    out = reports / "api"
    subprocess.run([sys.executable, "-m", "pdoc", "--docformat", "numpy", "-o", str(out), "lgresearch"],
                   check=True, env={**os.environ, "MPLBACKEND": "Agg"})
    return out


def run_reports(only: list[str] | None = None, *, timeout: int = 1200, api: bool = True,
                notebooks: Path | None = None) -> int:
    """Execute the notebooks in order, write HTML reports, ``claims.csv`` and ``index.html``.

    Parameters
    ----------
    only : list of str, optional
        Notebook name prefixes to run (e.g. ``["01", "02"]``); default all.
    timeout : int
        Per-notebook timeout in seconds (each notebook's cells share this budget).
    api : bool
        Also write the API reference to ``reports/api/``.
    notebooks : Path, optional
        Folder of notebooks (default ``notebooks/``).

    Returns
    -------
    int
        Exit code: 0 when every notebook ran, 1 when one failed (the error names the notebook and the cell).
    """
    from tqdm import tqdm

    reports = paths.reports_dir()
    files = notebook_files(notebooks)
    if only:
        files = [f for f in files if any(f.stem.startswith(o) for o in only)]
    if not files:
        print("no notebooks matched", file=sys.stderr)
        return 1
    results: list[NotebookResult] = []
    bar = tqdm(files, desc="reports", unit="notebook")
    for py in bar:
        bar.set_postfix_str(py.stem)
        started = time.perf_counter()
        try:
            nb = execute_notebook(py, timeout=timeout)
        except NotebookFailed as err:
            bar.close()
            print(f"\nFAILED: {err}", file=sys.stderr)
            return 1
        out = reports / f"{py.stem}.html"
        out.write_text(notebook_to_html(nb, py.stem), encoding="utf-8")
        seconds = time.perf_counter() - started
        claims_file = reports / "claims" / f"{py.stem}.csv"
        n = len(pd.read_csv(claims_file)) if claims_file.exists() else 0
        if n == 0:
            print(f"\nFAILED: notebook {py.stem} wrote no verdict table (reports/claims/{py.stem}.csv)",
                  file=sys.stderr)
            return 1
        results.append(NotebookResult(py.stem, seconds, out, n))
    claims = collect_claims(reports)
    run_names = {r.name for r in results}
    if only is None:
        claims = claims[claims["notebook"].isin(run_names)]
    claims[CLAIM_COLUMNS].to_csv(reports / "claims.csv", index=False)
    if api:
        build_api_docs(reports)
    index = write_index(results, claims, reports, api)
    total = sum(r.seconds for r in results)
    print(f"wrote {len(results)} report(s), {len(claims)} claim(s) and {index} in {total:.1f} s")
    return 0
