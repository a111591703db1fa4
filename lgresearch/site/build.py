"""The site build: Sphinx sources (configuration, landing page, report pages, API pages) and the Sphinx run.

Examples
--------
>>> DOCS_DIR
'docs'
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from lgresearch import paths
from lgresearch.site._files import write_if_changed as _write
from lgresearch.site.api import write_api_pages
from lgresearch.site.pages import prepare_notebook
from lgresearch.site.tables import ledger_html

#: Sphinx configuration template, in the repository's ``docs/`` folder when present (else the copy below).
DOCS_DIR = "docs"


def _landing_page(claims: pd.DataFrame, stems: list[str], titles: dict[str, str], api: bool) -> str:
    reports = "\n".join(stems)
    api_toc = "\n```{toctree}\n:caption: Reference\n:maxdepth: 1\n\napi/index\n```\n" if api else ""
    real = sorted({p.split(":", 1)[1].strip() for p in claims.get("data_provenance", pd.Series(dtype=str))
                   if str(p).lower().startswith("real:")})
    real_list = "\n".join(f"- {html.escape(p)}" for p in real) or "- none in this build"
    return f"""# lgresearch: China's Little Giant program, claim by claim

Each report quotes a published claim, states which data it ran on, and ends with a verdict that follows written
rules. Verdicts resting on simulated data say so and say nothing about China. Every verdict is also in
<a href="claims.csv"><code>claims.csv</code></a>; the run log of this build is
<a href="run_log.csv"><code>run_log.csv</code></a>.

## Claims ledger

Click a claim to open its report at the verdict.

```{{raw}} html
{ledger_html(claims)}
```

## How to reproduce

```
git clone <this repository> && cd lgresearch
make reproduce          # environment, data/processed, every notebook (cached), this site in reports/
make reproduce FORCE=1  # re-execute every notebook
make lab                # JupyterLab on the notebooks (py:percent files open as notebooks)
```

A notebook re-executes only when its source, the package code, its parameters or its input data change;
`reports/run_log.csv` says which ran and which came from the cache.

## Data availability

Third-party data is read from the folder named by `LGRESEARCH_EXTERNAL_DIR` and never redistributed; official
facts ship with the package, each with its source. No firm-level national designation list is held: the reports
say where that limits a verdict, and run in full on the lists a user adds. Real data behind this build's verdicts:

{real_list}

```{{toctree}}
:caption: Reports
:maxdepth: 1

{reports}
```
{api_toc}"""


def write_sources(executed: dict[str, Path], claims: pd.DataFrame, build: Path, *, api: bool = True,
                  code: str = "") -> Path:
    """Write the Sphinx sources (configuration, landing page, report pages, API pages) and return their folder.

    Parameters
    ----------
    executed : dict
        Notebook name -> executed ``.ipynb`` (its figure records in ``figures/<name>/`` beside it).
    claims : DataFrame
        The collected claims ledger.
    build : Path
        The build folder (``.reports-build`` beside ``reports/``); sources go to ``build/src``.
    api : bool
        Include the API reference.
    code : str, optional
        Fingerprint of the package code: the API pages are rewritten only when it changed (default: always).

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> src = write_sources({}, pd.DataFrame(columns=["notebook", "claim", "verdict"]), Path(tempfile.mkdtemp()),
    ...                     api=False)
    >>> (src / "index.md").exists() and (src / "conf.py").exists()
    True
    """
    src = build / "src"
    src.mkdir(parents=True, exist_ok=True)
    docs = paths.repo_root() / DOCS_DIR
    for name in ("conf.py", "_static/lgresearch.css", "_static/favicon.svg"):
        template = docs / name
        if template.exists():
            _write(src / name, template.read_bytes())
    if not (src / "conf.py").exists():
        raise FileNotFoundError(f"{docs / 'conf.py'} is missing: the site needs the repository's docs/ folder")
    api_names = write_api_pages(src, code=code) if api else {}
    if not api and (src / "api").exists():
        shutil.rmtree(src / "api")
    titles = {}
    for stem, ipynb in executed.items():
        nb = json.loads(ipynb.read_text(encoding="utf-8"))  # plain JSON: nbformat's validator is slow to import
        mine = claims[claims["notebook"] == stem] if "notebook" in claims.columns else claims.iloc[0:0]
        nb = prepare_notebook(nb, stem, figures=ipynb.parent / "figures" / stem, out_dir=src, claims=mine,
                              api_names=api_names)
        nb.get("metadata", {}).pop("widgets", None)
        _write(src / f"{stem}.ipynb", json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True))
        titles[stem] = stem
    for old in src.glob("[0-9][0-9]_*.ipynb"):
        if old.stem not in executed:
            old.unlink()
    _write(src / "index.md", _landing_page(claims, list(executed), titles, api))
    return src


def sources_key(src: Path) -> str:
    """Hash every file of the site's sources and the versions of Sphinx and its extensions.

    Parameters
    ----------
    src : Path
        The site's Sphinx sources.

    Returns
    -------
    str
        Hex digest of the sources and the Sphinx versions.

    Examples
    --------
    >>> import tempfile
    >>> len(sources_key(Path(tempfile.mkdtemp())))
    64
    """
    h = hashlib.sha256()
    for dist in ("sphinx", "myst-nb", "sphinx-book-theme", "numpydoc"):
        try:
            h.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            h.update(dist.encode())
    for f in sorted(src.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(src).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def build_site(src: Path, out: Path, doctrees: Path, *, quiet: bool = True, api_code: str = "") -> bool:
    """Run Sphinx (MyST-NB renders the executed notebooks; nothing executes) from ``src`` into ``out``.

    Unchanged pages are not rebuilt: Sphinx keeps its environment in ``doctrees``; when neither the sources nor
    ``api_code`` (a fingerprint of the documented code) changed since the last build and ``out/index.html``
    exists, Sphinx is not run at all.

    Parameters
    ----------
    src : Path
        Sphinx sources (written by :func:`write_sources`).
    out : Path
        HTML output folder.
    doctrees : Path
        Sphinx environment folder (kept between builds).
    quiet : bool
        Suppress Sphinx's output unless it fails.
    api_code : str
        Fingerprint of the documented code (a change forces a rebuild).

    Returns
    -------
    bool
        Whether Sphinx ran.

    Raises
    ------
    RuntimeError
        When Sphinx fails, with its output.

    Examples
    --------
    >>> build_site(Path("no-such-folder"), Path("site-src"), Path("site-out"))  # doctest: +SKIP
    True
    """
    key = sources_key(src) + api_code
    stamp = doctrees / "lgresearch-site.key"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == key and (out / "index.html").exists():
        return False
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(doctrees), str(src), str(out)]
    if quiet:
        cmd.insert(3, "-q")
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the site build failed (sphinx exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    if done.stderr.strip():
        print(done.stderr.strip()[-4000:], file=sys.stderr)
    _remove_stale_pages(src, out)
    stamp.write_text(key, encoding="utf-8")
    return True


def _remove_stale_pages(src: Path, out: Path) -> None:
    """Delete the pages of sources that no longer exist (a removed notebook or API page): Sphinx leaves them."""
    for pattern, suffix in (("[0-9][0-9]_*.html", ".ipynb"), ("api/lgresearch*.html", ".rst")):
        for page in out.glob(pattern):
            if not (src / page.relative_to(out)).with_suffix(suffix).exists():
                page.unlink()


#: Every public name of this module.
__all__ = ["build_site", "DOCS_DIR", "sources_key", "write_sources"]
