"""Executing notebooks: one ``py:percent`` notebook in a fresh kernel, or many (cached, longest first, two at a time).

Examples
--------
>>> [p.stem for p in notebook_files()][:2]
['01_program_scale', '02_vc_market']
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from lgresearch import paths
from lgresearch.errors import NotebookFailed
from lgresearch.runner.keys import build_dir, cache_key, code_fingerprint, data_fingerprint

KERNEL = "python3"
#: Thread limits for each kernel (unless set in the environment): the runner executes notebooks two at a time on
#: two cores, where multi-threaded BLAS in each kernel oversubscribes the cores and slows both.
KERNEL_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass
class NotebookResult:
    """What one notebook run produced: its name, seconds, status (executed / cached / failed) and any error."""

    name: str
    seconds: float
    status: str
    error: str = ""


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
    for i, cell in enumerate(nb.cells, start=1):
        cell["id"] = f"cell-{i}"  # stable ids (jupytext draws random ones): the same source gives the same notebook
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

    Examples
    --------
    >>> nb = execute_notebook(notebook_files()[0], timeout=300)  # doctest: +SKIP
    >>> nb.cells[0].cell_type  # doctest: +SKIP
    'markdown'
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

    # no timestamps in the executed notebook: an unchanged notebook re-executes to the same bytes, so the site's
    # sources do not change and Sphinx has nothing to rebuild
    client = NotebookClient(nb, timeout=timeout, timeout_func=remaining, kernel_name=KERNEL, record_timing=False,
                            resources={"metadata": {"path": str(py_path.parent)}})
    try:
        client.execute(env={**KERNEL_THREADS, **os.environ, **(env or {})})
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


def longest_first(files: list[Path]) -> list[Path]:
    """Order notebooks for execution, longest first (so that two workers finish together): by the seconds the
    last execution took (recorded beside the cached notebook); a notebook never timed goes first, larger
    sources before smaller ones.

    Parameters
    ----------
    files : list of Path
        Notebook ``.py`` files.

    Returns
    -------
    list of Path
        The same files, longest first.

    Examples
    --------
    >>> [p.stem[:2] for p in longest_first(notebook_files())][:1] != []
    True
    """
    executed = build_dir() / "executed"

    def last_seconds(py: Path) -> float:
        meta = executed / f"{py.stem}.key"
        try:
            return float(json.loads(meta.read_text(encoding="utf-8"))["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            return float("inf")

    return sorted(files, key=lambda py: (-last_seconds(py), -py.stat().st_size, py.name))


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
    for r in _execute(longest_first(todo), keys, timeout=timeout, workers=workers, progress=progress):
        results[r.name] = r
    return [results[py.stem] for py in files]


def _execute(todo: list[Path], keys: dict[Path, str], *, timeout: int, workers: int,
             progress: bool) -> list[NotebookResult]:
    """Run notebooks in this order, ``workers`` at a time (in spawned processes when more than one)."""
    done: list[NotebookResult] = []

    def report(result: NotebookResult) -> None:
        done.append(result)
        if progress:
            print(f"[reports] {result.name}: {result.status} in {result.seconds:.1f} s", flush=True)

    if len(todo) <= 1 or workers <= 1:
        for py in todo:
            report(_run_one(py, keys[py], timeout))
        return done
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for fut in as_completed([pool.submit(_run_one, py, keys[py], timeout) for py in todo]):
            report(fut.result())
    return done


#: Every public name of this module.
__all__ = ["execute_all", "execute_notebook", "KERNEL", "KERNEL_THREADS", "longest_first", "notebook_files",
           "NotebookFailed", "NotebookResult", "read_notebook"]
