"""Where data lives: the only module that knows paths.

Every other module asks this one for a directory. Nothing in the package or the notebooks hard-codes a machine
path. Third-party (vendor) data is read from the directory named by the environment variable
``LGRESEARCH_EXTERNAL_DIR``; by default that is ``data/raw/external/`` inside the repository (git-ignored).

Examples
--------
>>> from lgresearch import paths
>>> paths.raw_dir().name
'raw'
>>> paths.official_dir().relative_to(paths.repo_root()).as_posix()
'data/raw/official'
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the third-party data directory.
EXTERNAL_ENV = "LGRESEARCH_EXTERNAL_DIR"
#: Environment variable that overrides where derived data is written (tests point it at a temp dir).
PROCESSED_ENV = "LGRESEARCH_PROCESSED_DIR"
#: Environment variable that overrides where reports (HTML, claims) are written.
REPORTS_ENV = "LGRESEARCH_REPORTS_DIR"


def repo_root() -> Path:
    """Return the repository root (the folder holding ``pyproject.toml``).

    Examples
    --------
    >>> (repo_root() / "pyproject.toml").exists()
    True
    """
    here = Path(__file__).resolve().parent
    for candidate in (here.parent, *here.parents):
        if (candidate / "pyproject.toml").exists() and (candidate / "lgresearch").is_dir():
            return candidate
    return here.parent


def raw_dir() -> Path:
    """Return ``data/raw`` (inputs; never edited by code).

    Examples
    --------
    >>> raw_dir().parts[-2:]
    ('data', 'raw')
    """
    return repo_root() / "data" / "raw"


def official_dir() -> Path:
    """Return ``data/raw/official`` (official program facts written with their sources).

    Examples
    --------
    >>> official_dir().name
    'official'
    """
    return raw_dir() / "official"


def user_lists_dir() -> Path:
    """Return ``data/raw/designations`` where a user drops MIIT or provincial list files.

    Examples
    --------
    >>> user_lists_dir().name
    'designations'
    """
    return raw_dir() / "designations"


def user_deals_dir() -> Path:
    """Return ``data/raw/deals`` where a user drops their own vendor deal exports.

    Examples
    --------
    >>> user_deals_dir().name
    'deals'
    """
    return raw_dir() / "deals"


def processed_dir(create: bool = True) -> Path:
    """Return the derived-data directory (``data/processed`` unless ``LGRESEARCH_PROCESSED_DIR`` is set).

    Parameters
    ----------
    create : bool
        Create the directory if it does not exist.

    Examples
    --------
    >>> processed_dir(create=False).name in {"processed"} or True
    True
    """
    env = os.environ.get(PROCESSED_ENV)
    path = Path(env).expanduser().resolve() if env else repo_root() / "data" / "processed"
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def reports_dir(create: bool = True) -> Path:
    """Return the reports directory (``reports/`` unless ``LGRESEARCH_REPORTS_DIR`` is set).

    Examples
    --------
    >>> reports_dir(create=False).name in {"reports"} or True
    True
    """
    env = os.environ.get(REPORTS_ENV)
    path = Path(env).expanduser().resolve() if env else repo_root() / "reports"
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def notebooks_dir() -> Path:
    """Return the ``notebooks/`` directory.

    Examples
    --------
    >>> notebooks_dir().name
    'notebooks'
    """
    return repo_root() / "notebooks"


def external_dir() -> Path:
    """Return the third-party data directory.

    It is ``$LGRESEARCH_EXTERNAL_DIR`` when set, else ``data/raw/external`` in the repository. The directory may
    not exist: call :func:`external_path` with ``must_exist=False`` or :func:`has_external` to check.

    Examples
    --------
    >>> isinstance(external_dir(), Path)
    True
    """
    env = os.environ.get(EXTERNAL_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return raw_dir() / "external"


def external_path(*parts: str, must_exist: bool = False) -> Path:
    """Return a path inside the third-party data directory.

    Parameters
    ----------
    *parts : str
        Path components below the external directory, e.g. ``"muweiabc__govfund", "2023.xls"``.
    must_exist : bool
        Raise :class:`MissingExternalData` when the path does not exist.

    Examples
    --------
    >>> external_path("official", "BATCH_FACTS.md").name
    'BATCH_FACTS.md'
    """
    path = external_dir().joinpath(*parts)
    if must_exist and not path.exists():
        raise MissingExternalData(path)
    return path


def has_external(*parts: str) -> bool:
    """Return whether a third-party file or folder is present.

    Examples
    --------
    >>> isinstance(has_external("official"), bool)
    True
    """
    return external_path(*parts).exists()


class MissingExternalData(FileNotFoundError):
    """A third-party input is absent; notebooks catch this and fall back to what they can run."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(
            f"third-party data not found: {self.path}. Set {EXTERNAL_ENV} to the folder that holds the "
            "vendor files (see README, 'Data availability')."
        )
