"""Release metadata agrees: pyproject, lgresearch.__version__, CITATION.cff and the CHANGELOG's latest entry."""

import re
import tomllib

import yaml

import lgresearch
from lgresearch import paths

ROOT = paths.repo_root()


def test_versions_agree():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert version == lgresearch.__version__ == "1.0.0"
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == version and cff["cff-version"] == "1.2.0" and cff["authors"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+)", changelog, flags=re.M)[0] == version


def test_makefile_has_the_tooling_targets():
    text = (ROOT / "Makefile").read_text()
    for target in ("help", "lint", "unit", "typecheck"):
        assert re.search(rf"^{target}:", text, flags=re.M), target
    assert "--ignore=tests/test_notebooks.py" in text.split("\nunit:", 1)[1].split("\n\n", 1)[0]
