"""Cache keys of the report build: fingerprints of the package code, the input data and a notebook's parameters,
and the build folder beside the reports.

Examples
--------
>>> build_dir_for(Path("/x/reports")).as_posix()
'/x/.reports-build'
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import lgresearch
from lgresearch import paths

#: Environment variables that are parameters of a run (part of every notebook's cache key).
PARAMETER_ENV = ("LGRESEARCH_EXTERNAL_DIR", "LGRESEARCH_PROCESSED_DIR", "PYTHONHASHSEED", "LGRESEARCH_CJK_FONT")


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
    _hash_files(h, Path(lgresearch.__file__).resolve().parent)
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
    >>> nb = sorted(paths.notebooks_dir().glob("[0-9][0-9]_*.py"))[0]
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


#: Every public name of this module.
__all__ = ["build_dir", "build_dir_for", "cache_key", "code_fingerprint", "data_fingerprint", "PARAMETER_ENV"]
