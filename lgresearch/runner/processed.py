"""``data/processed``: every module's ``build_processed()``, two at a time, skipped when code and data are unchanged.

Examples
--------
>>> "lgresearch.prices" in PROCESSED_BUILDERS
True
"""

from __future__ import annotations

import hashlib
import importlib
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lgresearch import paths
from lgresearch.runner.keys import PARAMETER_ENV, code_fingerprint, data_fingerprint

#: Modules that derive files under data/processed (each exposes ``build_processed() -> list[Path]``).
PROCESSED_BUILDERS = ("lgresearch.official", "lgresearch.designations", "lgresearch.deals", "lgresearch.prices")


def _build_processed_of(name: str) -> tuple[str, list[str], float]:
    """Run one module's ``build_processed()`` (in a worker process): its name, the files written, the seconds."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError:
        return name, [], 0.0
    builder = getattr(module, "build_processed", None)
    out = [str(p) for p in (builder() or [])] if builder is not None else []
    return name, out, time.perf_counter() - started


def rebuild_processed(*, force: bool = False, workers: int = 2) -> list[Path]:
    """Run every module's ``build_processed()`` that exists and return the files written.

    Skipped (returning ``[]``) when the package code and the raw and third-party data are unchanged since the
    last rebuild (a key in ``data/processed/.build-key``), unless ``force``.

    Parameters
    ----------
    force : bool
        Rebuild even when code and data are unchanged.
    workers : int
        Builders run at once (each in its own process).

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
    # the builders are independent (each writes its own files): two at a time, the returns panel (the longest)
    # first, in spawned processes
    order = ["lgresearch.prices"] + [n for n in PROCESSED_BUILDERS if n != "lgresearch.prices"]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for name, out, seconds in pool.map(_build_processed_of, order):
            written.extend(Path(p) for p in out)
            print(f"[processed] {name}: {len(out)} file(s) in {seconds:.1f} s", flush=True)
    # the key is taken after the build: data/processed's own files are part of the data fingerprint
    h = hashlib.sha256((code_fingerprint() + data_fingerprint()).encode())
    h.update(json.dumps({k: os.environ.get(k, "") for k in PARAMETER_ENV}, sort_keys=True).encode())
    stamp.write_text(h.hexdigest(), encoding="utf-8")
    return written


#: Every public name of this module.
__all__ = ["PROCESSED_BUILDERS", "rebuild_processed"]
