"""The API reference lists every public name exactly once: a package documents its submodules' names (where users
import them from), a submodule whose names its package documents has no page, and Sphinx builds the pages without
a duplicate object description."""

from __future__ import annotations

import collections
import importlib
import os
import subprocess
import sys

import pytest

from lgresearch import paths
from lgresearch.site import api


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    return api.documented_names()


@pytest.fixture(scope="module")
def pages(names) -> dict[str, list[str]]:
    return api.api_pages(names)


def test_every_exported_name_is_documented_once(names, pages):
    documented = [f"{m}.{n}" for m, own in pages.items() for n in own]
    twice = [d for d, k in collections.Counter(documented).items() if k > 1]
    assert not twice, f"documented more than once: {twice}"
    # every exported name points at an entry that exists, and every entry is some exported name's target
    assert set(names.values()) == set(documented)
    for module_name in api.api_modules():
        module = importlib.import_module(module_name)
        for n in getattr(module, "__all__", []):
            if not hasattr(getattr(module, n, None), "__path__"):
                assert f"{module_name}.{n}" in names, f"{module_name}.{n} is in no API page"


def test_a_submodule_name_is_documented_on_its_package_page_only(names, pages):
    # site is a package; format_number is defined in site.tables and re-exported by site
    assert names["lgresearch.site.tables.format_number"] == "lgresearch.site.format_number"
    assert "format_number" in pages["lgresearch.site"]
    assert "lgresearch.site.tables" not in pages  # every name it has is on the package page
    assert sum(own.count("format_number") for own in pages.values()) == 1


def test_an_error_class_is_documented_where_it_is_defined(names):
    # errors re-exported by other modules (runner.NotebookFailed) are documented in lgresearch.errors
    assert names["lgresearch.runner.NotebookFailed"] == "lgresearch.errors.NotebookFailed"


def test_constants_keep_their_doc_comment():
    text = api.page_source("lgresearch.paths", ["FIGURES_ENV"])
    assert ".. py:data:: FIGURES_ENV" in text and "figure records" in text and ":members:" not in text


def test_pages_are_rewritten_only_when_the_code_changed(tmp_path):
    first = api.write_api_pages(tmp_path, code="abc")
    page = tmp_path / "api" / "lgresearch.site.rst"
    page.write_text("edited")
    assert api.write_api_pages(tmp_path, code="abc") == first and page.read_text() == "edited"
    api.write_api_pages(tmp_path, code="abd")
    assert "format_number" in page.read_text()


def test_sphinx_documents_a_package_and_its_submodules_without_duplicates(tmp_path, pages):
    """A Sphinx build of the site package's page and of lgresearch.clean's (a package whose submodule
    clean.money keeps names of its own): each object once, under the package, no duplicate warning."""
    src = tmp_path / "src"
    (src / "api").mkdir(parents=True)
    conf = (paths.repo_root() / "docs" / "conf.py").read_text(encoding="utf-8")
    (src / "conf.py").write_text(conf.replace('html_static_path = ["_static"]', "html_static_path = []")
                                 .replace('html_favicon = "_static/favicon.svg"', ""), encoding="utf-8")
    shown = [m for m in pages if m in ("lgresearch.site", "lgresearch.clean") or m.startswith("lgresearch.clean.")]
    for m in shown:
        (src / "api" / f"{m}.rst").write_text(api.page_source(m, pages[m]), encoding="utf-8")
    toc = "\n".join(f"   api/{m}" for m in shown)
    (src / "index.rst").write_text(f"Test\n====\n\n.. toctree::\n\n{toc}\n", encoding="utf-8")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "duplicate object description" not in done.stderr, done.stderr
    html = (tmp_path / "out" / "api" / "lgresearch.site.html").read_text(encoding="utf-8")
    assert html.count('id="lgresearch.site.format_number"') == 1
    assert not list((tmp_path / "out").rglob("lgresearch.site.tables.html"))
    everything = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "api").glob("*.html"))
    assert everything.count('id="lgresearch.clean.parse_money"') == 1
    assert 'id="lgresearch.clean.money.parse_money"' not in everything
