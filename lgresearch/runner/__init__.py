"""The notebook runner: execute the notebooks (cached, two at a time), then build the report site.

``lgresearch report`` (and ``make reproduce``) call :func:`run_reports`. Notebooks are the jupytext
``py:percent`` files ``notebooks/NN_topic.py`` (the source of truth); each is executed top to bottom in a fresh
``python3`` kernel with ``notebooks/`` as the working directory. An executed notebook is cached under
the build folder (:func:`build_dir`) with a key hashing its source, the package code, the lock file, its parameters
(environment settings) and the input data (:func:`cache_key`); it re-executes only when the key changes or with
``force=True``. :mod:`lgresearch.site` then renders the site into ``reports/`` (``reports/index.html`` is the
landing page) and ``reports/run_log.csv`` records each notebook's seconds and status (executed / cached / failed).
A failing cell makes the run exit non-zero, naming the notebook and the cell.

Examples
--------
>>> [p.stem for p in notebook_files()][:2]
['01_program_scale', '02_vc_market']
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pandas as pd

from lgresearch import paths
from lgresearch.report import CLAIM_COLUMNS, collect_claims
from lgresearch.runner.execute import (KERNEL, KERNEL_THREADS, NotebookFailed, NotebookResult, execute_all,
                                       execute_notebook, longest_first, notebook_files, read_notebook)
from lgresearch.runner.keys import (PARAMETER_ENV, build_dir, build_dir_for, cache_key, code_fingerprint,
                                    data_fingerprint)
from lgresearch.runner.processed import PROCESSED_BUILDERS, rebuild_processed
from lgresearch.site import build_site, write_api_pages, write_sources

RUN_LOG_COLUMNS = ["notebook", "seconds", "status"]


def write_run_log(results: list[NotebookResult], reports: Path) -> Path:
    """Write ``reports/run_log.csv`` (``notebook, seconds, status``) for this build.

    Parameters
    ----------
    results : list of NotebookResult
        One per notebook of this build.
    reports : Path
        The reports folder.

    Returns
    -------
    Path
        The CSV written.

    Examples
    --------
    >>> import tempfile
    >>> p = write_run_log([NotebookResult("01_x", 1.234, "executed")], Path(tempfile.mkdtemp()))
    >>> p.read_text().splitlines()
    ['notebook,seconds,status', '01_x,1.2,executed']
    """
    log = pd.DataFrame([{"notebook": r.name, "seconds": round(r.seconds, 1), "status": r.status}
                        for r in results], columns=RUN_LOG_COLUMNS)
    path = reports / "run_log.csv"
    log.to_csv(path, index=False)
    return path


class _Background:
    """Run a function in a thread and hand back its result (or raise its error) with :meth:`result`."""

    def __init__(self, func, *args, **kwargs) -> None:
        self._out: list = []
        self._thread = threading.Thread(target=self._run, args=(func, args, kwargs), daemon=True)
        self._thread.start()

    def _run(self, func, args, kwargs) -> None:
        try:
            self._out.append((True, func(*args, **kwargs)))
        except BaseException as err:  # handed to the caller
            self._out.append((False, err))

    def result(self):
        self._thread.join()
        ok, value = self._out[0]
        if not ok:
            raise value
        return value


def _site(results: list[NotebookResult], claims: pd.DataFrame, reports: Path, *, api: bool) -> None:
    """Write the site's sources and run Sphinx (printing how long each took)."""
    started = time.perf_counter()
    build = build_dir()
    executed = {r.name: build / "executed" / f"{r.name}.ipynb" for r in results}
    shown = claims[claims["notebook"].isin(executed)]
    code = code_fingerprint() if api else ""
    src = write_sources(executed, shown, build, api=api, code=code)
    written = time.perf_counter()
    ran = build_site(src, reports, build / "doctrees", api_code=code)
    print(f"[site] sources in {written - started:.1f} s, sphinx "
          f"{'in %.1f s' % (time.perf_counter() - written) if ran else 'skipped (sources unchanged)'}", flush=True)


def run_reports(only: list[str] | None = None, *, timeout: int = 1200, api: bool = True,
                notebooks: Path | None = None, force: bool = False, workers: int = 2, site: bool = True) -> int:
    """Execute the notebooks (cached, in parallel), write ``claims.csv``, ``run_log.csv`` and the site.

    Parameters
    ----------
    only : list of str, optional
        Notebook name prefixes to run (e.g. ``["01", "02"]``); default all.
    timeout : int
        Per-notebook timeout in seconds (each notebook's cells share this budget).
    api : bool
        Include the API reference in the site (``reports/api/``).
    notebooks : Path, optional
        Folder of notebooks (default ``notebooks/``).
    force : bool
        Re-execute every notebook, ignoring the cache.
    workers : int
        Notebooks executed at once (default 2, one per core).
    site : bool
        Build the site (``reports/index.html``, one page per report).

    Returns
    -------
    int
        Exit code: 0 when every notebook ran, 1 when one failed (the error names the notebook and the cell).

    Examples
    --------
    >>> run_reports(only=["01"], api=False)  # doctest: +SKIP
    0
    """
    started = time.perf_counter()
    reports = paths.reports_dir()
    files = notebook_files(notebooks)
    if only:
        files = [f for f in files if any(f.stem.startswith(o) for o in only)]
    if not files:
        print("no notebooks matched", file=sys.stderr)
        return 1
    # the API pages need every module imported: written while the notebooks run (skipped when the code is unchanged)
    api_pages = _Background(write_api_pages, build_dir() / "src", code=code_fingerprint()) if site and api else None
    results = execute_all(files, timeout=timeout, force=force, workers=workers)
    write_run_log(results, reports)
    if api_pages is not None:
        api_pages.result()  # its error, if any, after the run log is written
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        print(f"\nFAILED: {r.error}", file=sys.stderr)
    for r in results:
        claims_file = reports / "claims" / f"{r.name}.csv"
        if r.status != "failed" and (not claims_file.exists() or len(pd.read_csv(claims_file)) == 0):
            print(f"\nFAILED: notebook {r.name} wrote no verdict table (reports/claims/{r.name}.csv)",
                  file=sys.stderr)
            failed.append(r)
    if failed:
        return 1
    claims = collect_claims(reports)
    if only is None:
        claims = claims[claims["notebook"].isin({r.name for r in results})]
    claims[[c for c in claims.columns if c in CLAIM_COLUMNS or c == "method"]].to_csv(reports / "claims.csv",
                                                                                         index=False)
    if site:
        _site(results, claims, reports, api=api)
    counts = {s: sum(r.status == s for r in results) for s in ("executed", "cached")}
    print(f"wrote {len(results)} report(s) ({counts['executed']} executed, {counts['cached']} cached), "
          f"{len(claims)} claim(s) and {reports / 'index.html'} in {time.perf_counter() - started:.1f} s")
    return 0


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "build_dir", "build_dir_for", "cache_key", "code_fingerprint", "data_fingerprint", "execute_all",
    "execute_notebook", "KERNEL", "KERNEL_THREADS", "longest_first", "notebook_files", "NotebookFailed",
    "NotebookResult", "PARAMETER_ENV",
    "PROCESSED_BUILDERS", "read_notebook", "rebuild_processed", "RUN_LOG_COLUMNS", "run_reports", "write_run_log"
]
