"""The API reference: one page per public module or package, and every public name documented exactly once.

Packages split into submodules (``lgresearch.events`` → ``engine``, ``tests``, …) re-export their submodules'
public names, and users import them from the package. A name is documented where it is defined, lifted to the
highest package above that module which re-exports it (``lgresearch.events.abnormal_returns``, not
``lgresearch.events.engine.abnormal_returns``); other modules that re-export it (``listed.parse_batch``) list it
only in :func:`documented_names`, which the "see also" links of the report pages use. A submodule all of whose
names its package documents gets no page. Functions and classes are documented by autodoc from an explicit member
list; constants by ``py:data`` with the ``#:`` comment of the module that assigns them.

Examples
--------
>>> names = documented_names()
>>> names["lgresearch.site.tables.format_number"]
'lgresearch.site.format_number'
>>> sum(page.count("format_number") for page in api_pages().values())
1
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import lgresearch
from lgresearch.site._files import write_if_changed

#: File in the API sources folder: the fingerprint of the code the pages were written from.
KEY_FILE = ".code-key"
#: File in the API sources folder: every exported dotted name → where the reference documents it (JSON).
NAMES_FILE = "names.json"


def api_modules() -> list[str]:
    """Return the public ``lgresearch`` modules (found by walking the package), sorted.

    Returns
    -------
    list of str
        Dotted module names; private ones (a part starting with ``_``) and ``__main__`` left out.

    Examples
    --------
    >>> "lgresearch.did" in api_modules() and "lgresearch.__main__" not in api_modules()
    True
    """
    names = ["lgresearch"] + [m.name for m in pkgutil.walk_packages(lgresearch.__path__, "lgresearch.")]
    return sorted(n for n in names if not any(part.startswith("_") for part in n.split(".")[1:]))


@functools.lru_cache(maxsize=None)
def _constant_docs(module: str) -> dict[str, list[str]]:
    """Names assigned at the top level of a module's source, each with its ``#:`` comment lines (or the string
    right below the assignment): what autodoc shows for a module constant."""
    path = getattr(importlib.import_module(module), "__file__", None)
    if not path:
        return {}
    text = Path(path).read_text(encoding="utf-8")
    lines, body = text.splitlines(), ast.parse(text).body
    out: dict[str, list[str]] = {}
    for i, node in enumerate(body):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        doc: list[str] = []
        row = node.lineno - 2
        while row >= 0 and lines[row].lstrip().startswith("#:"):
            doc.insert(0, lines[row].lstrip()[2:].strip())
            row -= 1
        after = body[i + 1] if i + 1 < len(body) else None
        if not doc and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) \
                and isinstance(after.value.value, str):
            doc = [line.strip() for line in after.value.value.strip().splitlines()]
        out.update({t.id: doc for t in targets if isinstance(t, ast.Name)})
    return out


def _is_code(obj: object) -> bool:
    return inspect.isfunction(obj) or inspect.isclass(obj)


def _home(obj: object, name: str, exporters: list[str]) -> str | None:
    """The module that defines ``obj``: ``__module__`` for code, else the exporter whose source assigns it."""
    if _is_code(obj):
        return getattr(obj, "__module__", None)
    return next((m for m in exporters if name in _constant_docs(m)), None)


def _where(exporters: list[str], home: str | None) -> str:
    """The module documenting a name: the highest exporter that is its home or a package above it."""
    order = sorted(exporters, key=lambda m: (m.count("."), m))
    above = [m for m in order if home is not None and (home == m or home.startswith(m + "."))]
    return (above or order)[0]


def documented_names() -> dict[str, str]:
    """Map every exported dotted name (each name in a public module's ``__all__``) to where it is documented.

    Returns
    -------
    dict of str to str
        ``"lgresearch.<module>.<name>"`` → the dotted name of its entry in the API reference.

    Examples
    --------
    >>> documented_names()["lgresearch.site.api.api_modules"]
    'lgresearch.site.api_modules'
    """
    exporters: dict[tuple[str, int], list[str]] = {}
    objects: dict[tuple[str, int], object] = {}
    for module_name in api_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.ismodule(obj):
                continue
            exporters.setdefault((name, id(obj)), []).append(module_name)
            objects[(name, id(obj))] = obj
    out: dict[str, str] = {}
    for (name, key), modules in exporters.items():
        where = _where(modules, _home(objects[(name, key)], name, modules))
        out.update({f"{m}.{name}": f"{where}.{name}" for m in modules})
    return out


def api_pages(names: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Return the API pages: module → the public names documented on its page, in its ``__all__`` order.

    Every top-level module and package has a page; a submodule has one only when it documents a name.

    Parameters
    ----------
    names : dict, optional
        :func:`documented_names` (computed when omitted).

    Returns
    -------
    dict of str to list of str

    Examples
    --------
    >>> pages = api_pages()
    >>> "lgresearch.site" in pages and "lgresearch.site.tables" not in pages
    True
    """
    names = documented_names() if names is None else names
    pages: dict[str, list[str]] = {}
    for module_name in api_modules():
        module = importlib.import_module(module_name)
        own = [n for n in getattr(module, "__all__", []) if names.get(f"{module_name}.{n}") == f"{module_name}.{n}"]
        if own or module_name.count(".") <= 1:
            pages[module_name] = own
    return pages


def _data_entry(module_name: str, name: str, obj: object) -> str:
    """A ``py:data`` entry with the ``#:`` comment of the module (this one or one below it) that assigns it."""
    module = importlib.import_module(module_name)
    below = [m.name for m in pkgutil.walk_packages(getattr(module, "__path__", []), module_name + ".")
             if not m.name.endswith("__main__")]
    home = next((m for m in [module_name, *below] if name in _constant_docs(m)), module_name)
    doc = _constant_docs(home).get(name, [])
    value = " ".join(repr(obj).split())
    lines = [f".. py:data:: {name}", f"   :module: {module_name}"] + ([f"   :value: {value}"] if len(value) <= 100
                                                                     else [])
    return "\n".join(lines + [""] + [f"   {line}" if line.strip() else "" for line in doc]) + "\n"


def page_source(module_name: str, own: list[str]) -> str:
    """The reStructuredText of one API page: the module's docstring, its functions and classes, its constants.

    Parameters
    ----------
    module_name : str
        The module or package.
    own : list of str
        The names documented on this page (:func:`api_pages`).

    Returns
    -------
    str

    Examples
    --------
    >>> print(page_source("lgresearch.site.api", ["api_modules", "KEY_FILE"]).splitlines()[3:5])
    ['.. automodule:: lgresearch.site.api', '   :members: api_modules']
    """
    module = importlib.import_module(module_name)
    code = [n for n in own if _is_code(getattr(module, n, None))]
    data = [n for n in own if n not in code]
    head = f"{module_name}\n{'=' * len(module_name)}\n\n.. automodule:: {module_name}\n"
    if code:
        head += f"   :members: {', '.join(code)}\n"
    if module_name == "lgresearch":
        head += "   :no-index:\n"
    return "\n".join([head] + [_data_entry(module_name, n, getattr(module, n)) for n in data])


def write_api_pages(src: Path, *, code: str = "") -> dict[str, str]:
    """Write the API pages under ``src/api`` (unchanged pages are not rewritten) and return the names map.

    With ``code`` (a fingerprint of the package code), nothing is imported or written when the pages were written
    from the same code: the map is read back from ``src/api/names.json``.

    Parameters
    ----------
    src : Path
        The site's Sphinx sources.
    code : str, optional
        Fingerprint of the package code (empty: always rewrite).

    Returns
    -------
    dict of str to str
        :func:`documented_names`.

    Examples
    --------
    >>> import tempfile
    >>> names = write_api_pages(Path(tempfile.mkdtemp()))
    >>> names["lgresearch.site.api.write_api_pages"]
    'lgresearch.site.write_api_pages'
    """
    api = src / "api"
    key, stored = api / KEY_FILE, api / NAMES_FILE
    if code and key.exists() and stored.exists() and key.read_text(encoding="utf-8") == code:
        return json.loads(stored.read_text(encoding="utf-8"))
    names = documented_names()
    pages = api_pages(names)
    toc = "\n".join(f"   {m}" for m in pages)
    write_if_changed(api / "index.rst", "API reference\n=============\n\nEvery public module of ``lgresearch``, "
                     "from its docstrings. Each public name is documented once, in the package it is imported "
                     f"from.\n\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n")
    for module_name, own in pages.items():
        write_if_changed(api / f"{module_name}.rst", page_source(module_name, own))
    for stale in api.glob("lgresearch*.rst"):
        if stale.stem not in pages:
            stale.unlink()
    write_if_changed(stored, json.dumps(names, indent=0, sort_keys=True))
    write_if_changed(key, code)
    return names


#: Every public name of this module.
__all__ = ["api_modules", "api_pages", "documented_names", "KEY_FILE", "NAMES_FILE", "page_source",
           "write_api_pages"]
