"""The declared API (issue 11 item 7): every module's ``__all__`` is complete and true, and every error class of the
package derives from :class:`lgresearch.errors.LgresearchError`.

Modules are found by walking the package, so a new module is checked as soon as it exists.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil

import pytest

from lgresearch.errors import LgresearchError

def _all_modules() -> list[str]:
    """Every module of the package (found by walking it), except ``__main__``."""
    import lgresearch

    names = [m.name for m in pkgutil.walk_packages(lgresearch.__path__, "lgresearch.")]
    return sorted(n for n in names if not n.endswith("__main__"))


#: Every module; private ones (a part starting with ``_``) need no ``__all__`` but obey the error-class rules.
ALL_MODULES = _all_modules()
MODULES = [m for m in ALL_MODULES if not any(p.startswith("_") for p in m.split(".")[1:])]
#: Packages split into submodules in release 1.0: ``from package import name`` keeps working for every public name
#: of a public submodule.
SPLIT_PACKAGES = [m for m in MODULES if importlib.util.find_spec(m).submodule_search_locations
                  and m not in {"lgresearch.clean", "lgresearch.datasets"}]


def _defined_here(module) -> dict[str, object]:
    """Public top-level functions and classes defined in ``module`` itself (not imported into it)."""
    return {
        name: obj for name, obj in vars(module).items()
        if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", None) == module.__name__
    }


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what the module does not define: {missing}"
    dupes = sorted({n for n in module.__all__ if module.__all__.count(n) > 1})
    assert not dupes, f"{name}.__all__ lists names twice: {dupes}"


@pytest.mark.parametrize("name", MODULES)
def test_public_definitions_are_declared(name: str) -> None:
    module = importlib.import_module(name)
    undeclared = sorted(set(_defined_here(module)) - set(getattr(module, "__all__", [])))
    assert not undeclared, f"{name}: public functions/classes missing from __all__: {undeclared}"


@pytest.mark.parametrize("name", SPLIT_PACKAGES)
def test_split_package_reexports_its_submodules(name: str) -> None:
    package = importlib.import_module(name)
    missing = []
    for sub in pkgutil.iter_modules(package.__path__, name + "."):
        if sub.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(sub.name)
        missing += [f"{sub.name}.{n}" for n in getattr(module, "__all__", []) if n not in package.__all__]
    assert not missing, f"{name}.__all__ does not re-export: {missing}"


@pytest.mark.parametrize("name", ALL_MODULES)
def test_error_classes_derive_from_lgresearch_error(name: str) -> None:
    module = importlib.import_module(name)
    errors = [obj for obj in _defined_here(module).values()
              if inspect.isclass(obj) and issubclass(obj, BaseException) and not issubclass(obj, Warning)]
    stray = [e.__name__ for e in errors if not issubclass(e, LgresearchError)]
    assert not stray, f"{name}: error classes not derived from LgresearchError: {stray}"


def test_errors_module_holds_every_error_class_of_the_listed_modules() -> None:
    errors = importlib.import_module("lgresearch.errors")
    for name in ALL_MODULES:
        module = importlib.import_module(name)
        for attr, obj in _defined_here(module).items():
            if inspect.isclass(obj) and issubclass(obj, Exception) and not issubclass(obj, Warning):
                assert getattr(errors, attr, None) is obj, f"{name}.{attr} is not available from lgresearch.errors"


def test_ledger_error_is_not_an_assertion_error_and_old_import_paths_still_work() -> None:
    from lgresearch import errors, ledger, notices, official

    assert not issubclass(errors.LedgerError, AssertionError)
    assert official.MissingFactError is errors.MissingFactError
    assert notices.NoticeFileError is errors.NoticeFileError
    assert ledger.InputError is errors.InputError
    assert issubclass(errors.NoticeFileError, ValueError) and issubclass(errors.MissingFactError, KeyError)


def test_the_test_catches_an_undeclared_function(tmp_path, monkeypatch) -> None:
    (tmp_path / "fake_mod_api.py").write_text("__all__ = ['f']\n\ndef f():\n    pass\n\ndef g():\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("fake_mod_api")
    assert set(_defined_here(module)) - set(module.__all__) == {"g"}


def test_overload_stubs_carry_no_other_decorator() -> None:
    """A decorator such as ``renamed_kwargs`` must sit on the implementation: on an ``@overload`` stub it is lost."""
    import ast
    from pathlib import Path

    bad = []
    for path in sorted(Path(lgresearch_root()).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [ast.unparse(d) for d in node.decorator_list]
                if "overload" in names and len(names) > 1:
                    bad.append(f"{path.name}:{node.lineno} {node.name} {names}")
    assert not bad, "decorators on @overload stubs (move them to the implementation):\n" + "\n".join(bad)


def lgresearch_root() -> str:
    import lgresearch

    return lgresearch.__path__[0]
