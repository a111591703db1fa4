"""Every public function has a NumPy-style docstring with a runnable example, and every example runs."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import lgresearch

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(lgresearch.__path__, "lgresearch.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name, monkeypatch, tmp_path):
    monkeypatch.setenv("LGRESEARCH_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("LGRESEARCH_PROCESSED_DIR", str(tmp_path / "processed"))
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} doctest failure(s) (run python -m doctest -v)"


@pytest.mark.parametrize("name", [m for m in MODULES if not any(p.startswith("_") for p in m.split(".")[1:])])
def test_public_functions_have_examples(name):
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    missing = []
    for attr, obj in vars(module).items():
        if attr.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != name:
            continue
        doc = inspect.getdoc(obj) or ""
        if "Examples" not in doc and ">>>" not in doc:
            missing.append(attr)
    allowed = {"lgresearch.cli": {"main"}, "lgresearch.runner": {"execute_notebook", "write_index", "build_api_docs",
                                                                  "run_reports"}}
    missing = [m for m in missing if m not in allowed.get(name, set())]
    assert not missing, f"{name}: public functions without an example: {missing}"


# ---- Issue 11 item 10: every public function (every function in a module's ``__all__``) has numpydoc Parameters
# (when it takes any) and Returns (or Yields) sections, in every module found by walking the package
# (tests/test_api.py builds the same list).
from test_api import MODULES as NUMPYDOC_MODULES  # noqa: E402


def _missing_sections(obj) -> list[str]:
    func = inspect.unwrap(obj)
    doc = inspect.getdoc(func) or ""
    missing = []
    if inspect.signature(func).parameters and "Parameters\n----------" not in doc:
        missing.append("Parameters")
    if "Returns\n-------" not in doc and "Yields\n------" not in doc:
        missing.append("Returns")
    return missing


@pytest.mark.parametrize("name", NUMPYDOC_MODULES)
def test_public_functions_have_parameters_and_returns(name):
    module = importlib.import_module(name)
    gaps = {attr: _missing_sections(getattr(module, attr)) for attr in getattr(module, "__all__", [])
            if inspect.isfunction(getattr(module, attr))}
    gaps = {k: v for k, v in gaps.items() if v}
    assert not gaps, f"{name}: public functions without numpydoc sections: {gaps}"


def test_missing_sections_detects_a_bare_docstring():
    def bare(x):
        """Only a summary."""

    def full(x):
        """Summary.

        Parameters
        ----------
        x : int
            A number.

        Returns
        -------
        int
            The number.
        """

    assert _missing_sections(bare) == ["Parameters", "Returns"]
    assert _missing_sections(full) == []
