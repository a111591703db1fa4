"""Parsed inputs kept on disk in the cache folder, keyed by what they were built from.

One mechanism for every reader that keeps a parsed table between processes (listed-firm tags, the Shenwan files,
float market caps): a key made of a version, the inputs' paths, sizes and modification times and any settings
names a set of parquet files in ``paths.cache_dir(folder)``; when they exist they are read back, otherwise the
frames are built and written atomically (a write in progress is never read). An unreadable cache file is rebuilt.

Examples
--------
>>> import os, tempfile
>>> import pandas as pd
>>> os.environ["LGRESEARCH_CACHE_DIR"] = tempfile.mkdtemp()
>>> calls = []
>>> def build():
...     calls.append(1)
...     return (pd.DataFrame({"x": [1, 2]}),)
>>> first = cached_frames("demo", "table", {"version": 1}, build)
>>> again = cached_frames("demo", "table", {"version": 1}, build)
>>> len(calls), again[0]["x"].tolist()
(1, [1, 2])
>>> del os.environ["LGRESEARCH_CACHE_DIR"]
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from lgresearch import paths

__all__ = ["file_signature", "cache_files", "write_frames", "cached_frames"]


def file_signature(files: Iterable[Path], *, relative_to: Path | None = None) -> list[tuple[str, int, int]]:
    """(path, size, modification time in ns) of each existing file: the part of a cache key that says which inputs.

    Parameters
    ----------
    files : iterable of Path
        Input files; missing ones are left out.
    relative_to : Path, optional
        Write paths relative to this folder (so a moved data folder keeps its caches).

    Returns
    -------
    list of tuple
        One ``(path, size, mtime_ns)`` per existing file, in the given order.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text("x\\n1\\n")
    >>> file_signature([f], relative_to=f.parent)[0][:2]
    ('a.csv', 4)
    """
    out = []
    for p in files:
        p = Path(p)
        if p.exists():
            st = p.stat()
            name = p.relative_to(relative_to).as_posix() if relative_to is not None else str(p)
            out.append((name, st.st_size, st.st_mtime_ns))
    return out


def cache_files(folder: str, stem: str, key: Mapping, parts: Sequence[str] = ("",)) -> list[Path]:
    """The parquet files in ``paths.cache_dir(folder)`` that hold the frames built under ``key``.

    Parameters
    ----------
    folder : str
        Subfolder of the cache folder.
    stem : str
        File name stem (what the frames are).
    key : mapping
        JSON-serialisable description of the inputs and settings; its digest names the files.
    parts : sequence of str
        One suffix per frame (``""`` for a single frame).

    Returns
    -------
    list of Path
        ``<stem>-<digest>[.<part>].parquet`` per part.

    Examples
    --------
    >>> [p.suffixes for p in cache_files("demo", "table", {"version": 1}, parts=("", "ledger"))]
    [['.parquet'], ['.ledger', '.parquet']]
    """
    digest = hashlib.sha1(json.dumps(key, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
    base = paths.cache_dir(folder)
    return [base / f"{stem}-{digest}{'.' + part if part else ''}.parquet" for part in parts]


def write_frames(frames: Iterable[pd.DataFrame], targets: Iterable[Path], *, index: bool | None = None) -> None:
    """Write each frame to its parquet file atomically (a temporary file renamed into place).

    Parameters
    ----------
    frames : iterable of DataFrame
        The frames.
    targets : iterable of Path
        One file per frame (:func:`cache_files`).
    index : bool, optional
        Passed to :meth:`pandas.DataFrame.to_parquet`.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile
    >>> t = Path(tempfile.mkdtemp()) / "x.parquet"
    >>> write_frames([pd.DataFrame({"x": [1]})], [t], index=False)
    >>> pd.read_parquet(t)["x"].tolist()
    [1]
    """
    for frame, target in zip(frames, targets, strict=True):
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        frame.to_parquet(tmp, index=index)
        tmp.replace(target)


def cached_frames(folder: str, stem: str, key: Mapping, build: Callable[[], Sequence[pd.DataFrame]], *,
                  parts: Sequence[str] = ("",), index: bool | None = None) -> tuple[pd.DataFrame, ...]:
    """Read the frames cached under ``key``, or build them with ``build()`` and write them (atomically).

    Parameters
    ----------
    folder, stem, key, parts
        As in :func:`cache_files`.
    build : callable
        Returns one frame per part.
    index : bool, optional
        Passed to :meth:`pandas.DataFrame.to_parquet` (``False`` drops a default index).

    Returns
    -------
    tuple of DataFrame
        One frame per part, from the cache when every file is there and readable.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["LGRESEARCH_CACHE_DIR"] = tempfile.mkdtemp()
    >>> a, b = cached_frames("demo", "two", {"v": 1}, lambda: (pd.DataFrame({"x": [1]}), pd.DataFrame({"y": [2]})),
    ...                      parts=("x", "y"))
    >>> a.columns.tolist(), b.columns.tolist()
    (['x'], ['y'])
    >>> del os.environ["LGRESEARCH_CACHE_DIR"]
    """
    targets = cache_files(folder, stem, key, parts)
    if all(t.exists() for t in targets):
        try:
            return tuple(pd.read_parquet(t) for t in targets)
        except (OSError, ValueError):
            pass  # an unreadable cache file is rebuilt below
    frames = tuple(build())
    write_frames(frames, targets, index=index)
    return frames
