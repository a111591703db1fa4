"""Where data and caches live: the only module that knows paths, and the package's settings.

Every other module asks this one for a directory. Nothing in the package or the notebooks hard-codes a machine
path. The settings are environment variables (:data:`SETTINGS` lists them; :func:`settings` shows their values):

``LGRESEARCH_EXTERNAL_DIR``
    Third-party (vendor) data, read only. Default ``data/raw/external/`` in a source checkout.
``LGRESEARCH_CACHE_DIR``
    The one cache folder (parsed exports, the returns panel, listed-firm tags). Default: the platform's user
    cache folder (``~/.cache/lgresearch`` on Linux, via ``platformdirs``).
``LGRESEARCH_PROCESSED_DIR``
    Derived data written by ``build_processed`` and ``build_panel(write=True)``. Default ``processed/`` inside
    the cache folder; ``make reproduce`` sets it to ``data/processed/`` in the checkout.
``LGRESEARCH_REPORTS_DIR``
    Rendered reports. Default ``reports/`` in a source checkout, else ``reports/`` inside the cache folder.
``LGRESEARCH_OFFICIAL_DIR``
    Optional: a folder of official-fact CSV files that replaces the copy shipped with the package (for a user
    who has added a fact, e.g. a new batch). Default: the package data ``lgresearch/data/official``.
``LGRESEARCH_CJK_FONT``
    Optional: a font file for Chinese text in figures. Default: the first CJK font installed.

The package writes nothing into the installed package or the working folder unless the user names an output.

Examples
--------
>>> from lgresearch import paths
>>> paths.official_dir().parts[-2:]
('data', 'official')
>>> (paths.official_dir() / "facts.csv").is_file()
True
>>> list(paths.SETTINGS)[:2]
['LGRESEARCH_EXTERNAL_DIR', 'LGRESEARCH_CACHE_DIR']
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

import pandas as pd

from lgresearch._version import __version__

#: Environment variable naming the third-party data directory.
EXTERNAL_ENV = "LGRESEARCH_EXTERNAL_DIR"
#: Environment variable naming the cache folder.
CACHE_ENV = "LGRESEARCH_CACHE_DIR"
#: Environment variable that overrides where derived data is written (tests point it at a temp dir).
PROCESSED_ENV = "LGRESEARCH_PROCESSED_DIR"
#: Environment variable that overrides where reports (HTML, claims) are written.
REPORTS_ENV = "LGRESEARCH_REPORTS_DIR"
#: Environment variable naming a folder of official facts that replaces the package's own.
OFFICIAL_ENV = "LGRESEARCH_OFFICIAL_DIR"
#: Environment variable naming a CJK font file for figures (read by :func:`lgresearch.plotting.find_cjk_font`).
CJK_FONT_ENV = "LGRESEARCH_CJK_FONT"
#: Environment variable the report runner sets for each notebook it executes: the folder where
#: :mod:`lgresearch.plotting` writes figure records and data (set by the runner, not a user setting).
FIGURES_ENV = "LGRESEARCH_FIGURES_DIR"

#: Every setting with what it controls (the README's "Settings" section lists the same).
SETTINGS: dict[str, str] = {
    EXTERNAL_ENV: "third-party (vendor) data, read only",
    CACHE_ENV: "the one cache folder (parsed exports, returns panel, listed-firm tags)",
    PROCESSED_ENV: "derived data (build_processed, build_panel(write=True)); default <cache>/processed",
    REPORTS_ENV: "rendered reports; default reports/ in a checkout, else <cache>/reports",
    OFFICIAL_ENV: "optional folder of official-fact CSVs replacing the package data",
    CJK_FONT_ENV: "optional CJK font file for Chinese text in figures; default: the first installed CJK font",
    "LGRESEARCH_FIGURES_DIR": "where figure records (caption, alt text, data CSV) are written; "
                              "set by the report runner",
    "LGRESEARCH_SPARK_MASTER": "Spark master for link_to_registry(engine='spark'); default local[2]",
    "LGRESEARCH_SPARK_PARTITIONS": "spark.sql.shuffle.partitions for the local Spark session; default 2",
    "LGRESEARCH_SPARK_DRIVER_MEMORY": "spark.driver.memory for the local Spark session; default 4g",
}

#: Package-data folder (relative to the package) holding the official facts and FX rates.
OFFICIAL_PACKAGE_DATA = ("data", "official")


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


def package_dir() -> Path:
    """Return the folder of the installed ``lgresearch`` package.

    Returns
    -------
    pathlib.Path
        The directory holding ``lgresearch/__init__.py``.

    Examples
    --------
    >>> package_dir().name
    'lgresearch'
    """
    return Path(__file__).resolve().parent


def in_checkout() -> bool:
    """Return whether the package runs from a source checkout (not from an installed wheel).

    Returns
    -------
    bool
        True when the package's parent folder holds the project's ``pyproject.toml``.

    Examples
    --------
    >>> isinstance(in_checkout(), bool)
    True
    """
    parent = package_dir().parent
    project = parent / "pyproject.toml"
    return project.is_file() and 'name = "lgresearch"' in project.read_text(encoding="utf-8", errors="replace")


def repo_root() -> Path:
    """Return the repository root (the folder holding ``pyproject.toml``).

    For an installed package this is the package's parent folder (e.g. ``site-packages``), which the package
    never writes into.

    Returns
    -------
    pathlib.Path
        The checkout's root folder.

    Examples
    --------
    >>> isinstance(repo_root(), Path)
    True
    """
    return package_dir().parent


def raw_dir() -> Path:
    """Return ``data/raw`` of the checkout (inputs; never edited by code).

    Returns
    -------
    pathlib.Path
        ``<checkout>/data/raw`` (it may not exist).

    Examples
    --------
    >>> raw_dir().parts[-2:]
    ('data', 'raw')
    """
    return repo_root() / "data" / "raw"


def cache_dir(*parts: str, create: bool = True) -> Path:
    """Return the cache folder (``$LGRESEARCH_CACHE_DIR``, else the platform's user cache folder), or a subfolder.

    Everything the package caches lives here: delete the folder at any time to free space.

    Parameters
    ----------
    *parts : str
        Subfolder names below the cache folder, e.g. ``"prices"``.
    create : bool
        Create the folder when it does not exist.

    Returns
    -------
    pathlib.Path
        The cache folder or the named subfolder.

    Examples
    --------
    >>> import os, tempfile
    >>> old = os.environ.get(CACHE_ENV)
    >>> os.environ[CACHE_ENV] = tempfile.mkdtemp()
    >>> cache_dir("prices").name, cache_dir("prices").parent == cache_dir()
    ('prices', True)
    >>> _ = os.environ.pop(CACHE_ENV) if old is None else os.environ.update({CACHE_ENV: old})
    """
    base = _env_path(CACHE_ENV)
    if base is None:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("lgresearch", appauthor=False))
    path = base.joinpath(*parts)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def official_dir() -> Path:
    """Return the folder of official program facts and FX rates (package data, or ``$LGRESEARCH_OFFICIAL_DIR``).

    The facts ship inside the package (``lgresearch/data/official``) and are read with ``importlib.resources``.
    When the package is imported from a zip file, the folder is copied once into the cache folder so that callers
    always get a real filesystem path.

    Returns
    -------
    pathlib.Path
        A folder holding ``facts.csv``, ``fx_rates.csv``, ``province_counts.csv``, ``industry_shares.csv`` and
        ``vc_aggregates.csv``.

    Examples
    --------
    >>> official_dir().name
    'official'
    """
    override = _env_path(OFFICIAL_ENV)
    if override is not None:
        return override
    root = resources.files("lgresearch").joinpath(*OFFICIAL_PACKAGE_DATA)
    if isinstance(root, Path):
        return root
    target = cache_dir("package-data", __version__, *OFFICIAL_PACKAGE_DATA)
    for item in root.iterdir():
        if item.is_file() and not (target / item.name).exists():
            with resources.as_file(item) as real:
                shutil.copyfile(real, target / item.name)
    return target


def user_lists_dir() -> Path:
    """Return ``data/raw/designations`` where a user drops MIIT or provincial list files (in a checkout).

    Returns
    -------
    pathlib.Path
        The folder (it may not exist).

    Examples
    --------
    >>> user_lists_dir().name
    'designations'
    """
    return raw_dir() / "designations"


def user_deals_dir() -> Path:
    """Return ``data/raw/deals`` where a user drops their own vendor deal exports (in a checkout).

    Returns
    -------
    pathlib.Path
        The folder (it may not exist).

    Examples
    --------
    >>> user_deals_dir().name
    'deals'
    """
    return raw_dir() / "deals"


def processed_dir(create: bool = True) -> Path:
    """Return the derived-data directory (``$LGRESEARCH_PROCESSED_DIR``, else ``processed/`` in the cache folder).

    ``make reproduce`` sets ``LGRESEARCH_PROCESSED_DIR`` to ``data/processed`` in the checkout; a package used as
    a dependency writes its derived files into the cache folder, never into the working folder.

    Parameters
    ----------
    create : bool
        Create the directory if it does not exist.

    Returns
    -------
    pathlib.Path
        The derived-data folder.

    Examples
    --------
    >>> processed_dir(create=False).name in {"processed"} or True
    True
    """
    path = _env_path(PROCESSED_ENV) or cache_dir("processed", create=False)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def reports_dir(create: bool = True) -> Path:
    """Return the reports directory (``$LGRESEARCH_REPORTS_DIR``; else ``reports/`` in a checkout or the cache).

    Parameters
    ----------
    create : bool
        Create the directory if it does not exist.

    Returns
    -------
    pathlib.Path
        The reports folder.

    Examples
    --------
    >>> reports_dir(create=False).name in {"reports"} or True
    True
    """
    path = _env_path(REPORTS_ENV)
    if path is None:
        path = repo_root() / "reports" if in_checkout() else cache_dir("reports", create=False)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def notebooks_dir() -> Path:
    """Return the ``notebooks/`` directory of the checkout.

    Returns
    -------
    pathlib.Path
        ``<checkout>/notebooks``.

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

    Returns
    -------
    pathlib.Path
        The third-party data folder.

    Examples
    --------
    >>> isinstance(external_dir(), Path)
    True
    """
    return _env_path(EXTERNAL_ENV) or raw_dir() / "external"


def external_path(*parts: str, must_exist: bool = False) -> Path:
    """Return a path inside the third-party data directory.

    Parameters
    ----------
    *parts : str
        Path components below the external directory, e.g. ``"muweiabc__govfund", "2023.xls"``.
    must_exist : bool
        Raise :class:`MissingExternalData` when the path does not exist.

    Returns
    -------
    pathlib.Path
        The path below :func:`external_dir`.

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

    Parameters
    ----------
    *parts : str
        Path components below the external directory.

    Returns
    -------
    bool
        True when the path exists.

    Examples
    --------
    >>> isinstance(has_external("official"), bool)
    True
    """
    return external_path(*parts).exists()


def settings() -> pd.DataFrame:
    """Return every setting with its environment variable, whether it is set, and the folder in force.

    Returns
    -------
    pandas.DataFrame
        Columns ``setting, set, value, what`` (one row per entry of :data:`SETTINGS`).

    Examples
    --------
    >>> s = settings()
    >>> s.columns.tolist()
    ['setting', 'set', 'value', 'what']
    >>> s["setting"].tolist() == list(SETTINGS)
    True
    """
    in_force = {
        EXTERNAL_ENV: external_dir, CACHE_ENV: lambda: cache_dir(create=False),
        PROCESSED_ENV: lambda: processed_dir(create=False), REPORTS_ENV: lambda: reports_dir(create=False),
        OFFICIAL_ENV: official_dir,
        CJK_FONT_ENV: lambda: os.environ.get(CJK_FONT_ENV, "") or "(first CJK font found)",
        "LGRESEARCH_FIGURES_DIR": lambda: os.environ.get("LGRESEARCH_FIGURES_DIR", "") or "(unset: no records written)",
        "LGRESEARCH_SPARK_MASTER": lambda: os.environ.get("LGRESEARCH_SPARK_MASTER", "") or "local[2]",
        "LGRESEARCH_SPARK_PARTITIONS": lambda: os.environ.get("LGRESEARCH_SPARK_PARTITIONS", "") or "2",
        "LGRESEARCH_SPARK_DRIVER_MEMORY": lambda: os.environ.get("LGRESEARCH_SPARK_DRIVER_MEMORY", "") or "4g",
    }
    rows = [{"setting": k, "set": bool(os.environ.get(k, "").strip()), "value": str(in_force[k]()), "what": what}
            for k, what in SETTINGS.items()]
    return pd.DataFrame(rows)


from lgresearch.errors import MissingExternalData  # noqa: E402  (defined with every error class)


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "cache_dir", "CACHE_ENV", "CJK_FONT_ENV", "external_dir", "EXTERNAL_ENV", "external_path", "FIGURES_ENV",
    "has_external",
    "in_checkout", "MissingExternalData", "notebooks_dir", "official_dir", "OFFICIAL_ENV", "OFFICIAL_PACKAGE_DATA",
    "package_dir", "processed_dir", "PROCESSED_ENV", "raw_dir", "repo_root", "reports_dir", "REPORTS_ENV",
    "SETTINGS", "settings", "user_deals_dir", "user_lists_dir"
]
