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

import hashlib
import importlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lgresearch import paths
from lgresearch.errors import NotebookFailed
from lgresearch.report import CLAIM_COLUMNS, collect_claims
from lgresearch.site import build_site, write_sources

#: Modules that derive files under data/processed (each exposes ``build_processed() -> list[Path]``).
PROCESSED_BUILDERS = ("lgresearch.official", "lgresearch.designations", "lgresearch.deals", "lgresearch.prices")
KERNEL = "python3"


@dataclass
class NotebookResult:
    """What one notebook run produced: its name, seconds, status (executed / cached / failed) and any error."""

    name: str
    seconds: float
    status: str
    error: str = ""


#: Environment variables that are parameters of a run (part of every notebook's cache key).
PARAMETER_ENV = ("LGRESEARCH_EXTERNAL_DIR", "LGRESEARCH_PROCESSED_DIR", "PYTHONHASHSEED", "LGRESEARCH_CJK_FONT")
RUN_LOG_COLUMNS = ["notebook", "seconds", "status"]


def notebook_files(directory: Path | None = None) -> list[Path]:
    """Return the report notebooks (``NN_*.py`` percent files) in run order.

    Parameters
    ----------
    directory : Path, optional
        Folder of the notebooks (default: the checkout's ``notebooks/``).

    Returns
    -------
    list of Path
        ``NN_*.py`` files sorted by name.

    Examples
    --------
    >>> all(p.suffix == ".py" for p in notebook_files())
    True
    """
    directory = directory or paths.notebooks_dir()
    return sorted(p for p in directory.glob("[0-9][0-9]_*.py"))


def read_notebook(py_path: Path):
    """Read a ``py:percent`` notebook into an nbformat notebook (kernel forced to ``python3``).

    Parameters
    ----------
    py_path : Path
        A ``py:percent`` file.

    Returns
    -------
    nbformat.NotebookNode
        The notebook (no outputs), kernel ``python3``.

    Examples
    --------
    >>> nb = read_notebook(notebook_files()[0]); nb.metadata["kernelspec"]["name"]
    'python3'
    """
    import jupytext

    nb = jupytext.read(py_path)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    return nb


def execute_notebook(py_path: Path, *, timeout: int = 1200, env: dict[str, str] | None = None):
    """Execute one notebook top to bottom and return the executed nbformat notebook.

    ``timeout`` (seconds) is a budget for the whole notebook, not per cell. ``env`` adds environment variables
    for the kernel (e.g. where :mod:`lgresearch.plotting` writes figure records).

    Parameters
    ----------
    py_path : Path
        The ``py:percent`` notebook.
    timeout : int
        Seconds allowed for the whole notebook.
    env : dict, optional
        Extra environment variables for the kernel.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook with its outputs.

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
    clock: dict[str, float] = {}

    def remaining(_cell) -> int:
        # the notebook's cells share one budget (counted from the first cell, not the kernel's start-up):
        # each cell may use what is left of it
        deadline = clock.setdefault("deadline", time.monotonic() + timeout)
        return max(1, int(deadline - time.monotonic()))

    client = NotebookClient(nb, timeout=timeout, timeout_func=remaining, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(py_path.parent)}})
    try:
        client.execute(env={**os.environ, **(env or {})})
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


def _hash_files(h, root: Path, pattern: str = "**/*") -> None:
    for f in sorted(root.glob(pattern)):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".pyo"):
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())


def code_fingerprint() -> str:
    """Hash the package code and data (every file under ``lgresearch/``) and the dependency lock.

    Returns
    -------
    str
        Hex digest of the package files and the lock file.

    Examples
    --------
    >>> len(code_fingerprint())
    64
    """
    h = hashlib.sha256()
    _hash_files(h, Path(__file__).resolve().parent)
    lock = paths.repo_root() / "requirements-lock.txt"
    if lock.exists():
        h.update(lock.read_bytes())
    return h.hexdigest()


def data_fingerprint() -> str:
    """Fingerprint the input data: name, size and modification time of every file under ``data/raw`` and the
    third-party directory, and name and size of the files in ``data/processed``.

    Returns
    -------
    str
        Hex digest of the input files' names, sizes and modification times.

    Examples
    --------
    >>> len(data_fingerprint())
    64
    """
    h = hashlib.sha256()
    roots = [("raw", paths.raw_dir(), True), ("external", paths.external_dir(), True),
             ("processed", paths.processed_dir(create=False), False)]
    for label, root, with_mtime in roots:
        h.update(f"{label}:{root}".encode())
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ("cache", "__pycache__"))
            for name in sorted(f for f in filenames if not f.startswith(".")):  # not .build-key, .gitkeep
                st = (Path(dirpath) / name).stat()
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                h.update(f"{rel}|{st.st_size}|{st.st_mtime_ns if with_mtime else ''}".encode())
    return h.hexdigest()


def cache_key(py_path: Path, *, code: str | None = None, data: str | None = None) -> str:
    """The execution cache key of a notebook: its source, the package code, the parameters and the input data.

    Parameters
    ----------
    py_path : Path
        The ``py:percent`` notebook.
    code, data : str, optional
        Precomputed :func:`code_fingerprint` and :func:`data_fingerprint` (computed when omitted).

    Returns
    -------
    str

    Examples
    --------
    >>> nb = notebook_files()[0]
    >>> cache_key(nb, code="a", data="b") == cache_key(nb, code="a", data="b") != cache_key(nb, code="c", data="b")
    True
    """
    h = hashlib.sha256(py_path.read_bytes())
    params = {k: os.environ.get(k, "") for k in PARAMETER_ENV}
    params["python"] = sys.version
    h.update(json.dumps(params, sort_keys=True).encode())
    h.update((code or code_fingerprint()).encode())
    h.update((data or data_fingerprint()).encode())
    return h.hexdigest()


def build_dir() -> Path:
    """Return the build folder beside the reports (``.reports-build`` for ``reports/``): executed notebooks,
    figure records, the site's Sphinx sources and environment.

    Returns
    -------
    Path
        The build folder (not created).

    Examples
    --------
    >>> build_dir().name.endswith("-build")
    True
    """
    return build_dir_for(paths.reports_dir())


def build_dir_for(reports: Path) -> Path:
    """Return the build folder of a given reports folder (see :func:`build_dir`).

    Parameters
    ----------
    reports : Path
        A reports folder.

    Returns
    -------
    Path
        Its sibling build folder (``.<name>-build``).

    Examples
    --------
    >>> build_dir_for(Path("/x/reports")).as_posix()
    '/x/.reports-build'
    """
    return reports.parent / f".{reports.name}-build"


def _run_one(py: Path, key: str, timeout: int) -> NotebookResult:
    """Execute one notebook into the cache (runs in a worker process)."""
    import nbformat

    executed = build_dir() / "executed"
    figures = executed / "figures" / py.stem
    if figures.exists():
        shutil.rmtree(figures)
    claims_file = paths.reports_dir() / "claims" / f"{py.stem}.csv"
    claims_file.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        nb = execute_notebook(py, timeout=timeout, env={paths.FIGURES_ENV: str(figures)})
    except NotebookFailed as err:
        return NotebookResult(py.stem, time.perf_counter() - started, "failed", str(err))
    seconds = time.perf_counter() - started
    executed.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, executed / f"{py.stem}.ipynb")
    (executed / f"{py.stem}.key").write_text(json.dumps({"key": key, "seconds": seconds}), encoding="utf-8")
    return NotebookResult(py.stem, seconds, "executed")


def _is_cached(py: Path, key: str) -> bool:
    executed = build_dir() / "executed"
    meta = executed / f"{py.stem}.key"
    claims_file = paths.reports_dir() / "claims" / f"{py.stem}.csv"
    if not (meta.exists() and (executed / f"{py.stem}.ipynb").exists() and claims_file.exists()):
        return False
    return json.loads(meta.read_text(encoding="utf-8")).get("key") == key


def execute_all(files: list[Path], *, timeout: int = 1200, force: bool = False, workers: int = 2,
                progress: bool = True) -> list[NotebookResult]:
    """Execute the notebooks whose cache key changed (all with ``force``), ``workers`` at a time.

    Parameters
    ----------
    files : list of Path
        Notebook ``.py`` files, in run order.
    timeout : int
        Seconds allowed per notebook.
    force : bool
        Execute even when the cache key is unchanged.
    workers : int
        Notebooks executed at a time.
    progress : bool
        Print one line per notebook.

    Returns
    -------
    list of NotebookResult
        In the notebooks' order, each ``executed``, ``cached`` or ``failed``.

    Examples
    --------
    >>> execute_all([], progress=False)
    []
    """
    code, data = code_fingerprint(), data_fingerprint()
    keys = {py: cache_key(py, code=code, data=data) for py in files}
    results: dict[str, NotebookResult] = {}
    todo = []
    for py in files:
        if not force and _is_cached(py, keys[py]):
            results[py.stem] = NotebookResult(py.stem, 0.0, "cached")
        else:
            todo.append(py)
    if progress:
        print(f"[reports] {len(files) - len(todo)} cached, executing {len(todo)} with {workers} worker(s)",
              flush=True)
    if len(todo) <= 1 or workers <= 1:
        done = []
        for py in todo:
            done.append(_run_one(py, keys[py], timeout))
            if progress:
                print(f"[reports] {py.stem}: {done[-1].status} in {done[-1].seconds:.1f} s", flush=True)
    else:
        import multiprocessing

        from concurrent.futures import as_completed

        done = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_run_one, py, keys[py], timeout) for py in todo]
            for fut in as_completed(futures):
                done.append(fut.result())
                if progress:
                    print(f"[reports] {done[-1].name}: {done[-1].status} in {done[-1].seconds:.1f} s", flush=True)
    for r in done:
        results[r.name] = r
    return [results[py.stem] for py in files]


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


def rebuild_processed(*, force: bool = False) -> list[Path]:
    """Run every module's ``build_processed()`` that exists and return the files written.

    Skipped (returning ``[]``) when the package code and the raw and third-party data are unchanged since the
    last rebuild (a key in ``data/processed/.build-key``), unless ``force``.

    Parameters
    ----------
    force : bool
        Rebuild even when code and data are unchanged.

    Returns
    -------
    list of Path
        The files written (empty when skipped).

    Examples
    --------
    >>> isinstance(rebuild_processed(), list)  # doctest: +SKIP
    True
    """
    stamp = paths.processed_dir() / ".build-key"
    h = hashlib.sha256((code_fingerprint() + data_fingerprint()).encode())
    h.update(json.dumps({k: os.environ.get(k, "") for k in PARAMETER_ENV}, sort_keys=True).encode())
    key = h.hexdigest()
    if not force and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        print("[processed] unchanged inputs and code: kept data/processed")
        return []
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
    # the key is taken after the build: data/processed's own files are part of the data fingerprint
    h = hashlib.sha256((code_fingerprint() + data_fingerprint()).encode())
    h.update(json.dumps({k: os.environ.get(k, "") for k in PARAMETER_ENV}, sort_keys=True).encode())
    stamp.write_text(h.hexdigest(), encoding="utf-8")
    return written


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
    """
    started = time.perf_counter()
    reports = paths.reports_dir()
    files = notebook_files(notebooks)
    if only:
        files = [f for f in files if any(f.stem.startswith(o) for o in only)]
    if not files:
        print("no notebooks matched", file=sys.stderr)
        return 1
    results = execute_all(files, timeout=timeout, force=force, workers=workers)
    write_run_log(results, reports)
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
        build = build_dir()
        executed = {r.name: build / "executed" / f"{r.name}.ipynb" for r in results}
        shown = claims[claims["notebook"].isin(executed)]
        code = code_fingerprint() if api else ""
        src = write_sources(executed, shown, build, api=api, code=code)
        build_site(src, reports, build / "doctrees", api_code=code)
    counts = {s: sum(r.status == s for r in results) for s in ("executed", "cached")}
    print(f"wrote {len(results)} report(s) ({counts['executed']} executed, {counts['cached']} cached), "
          f"{len(claims)} claim(s) and {reports / 'index.html'} in {time.perf_counter() - started:.1f} s")
    return 0


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "build_dir", "build_dir_for", "cache_key", "code_fingerprint", "data_fingerprint", "execute_all",
    "execute_notebook", "KERNEL", "notebook_files", "NotebookFailed", "NotebookResult", "PARAMETER_ENV",
    "PROCESSED_BUILDERS", "read_notebook", "rebuild_processed", "RUN_LOG_COLUMNS", "run_reports", "write_run_log"
]
