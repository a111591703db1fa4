from pathlib import Path

import pytest

from lgresearch import paths


def test_repo_root_holds_the_project():
    root = paths.repo_root()
    assert (root / "pyproject.toml").exists()
    assert (root / "lgresearch" / "paths.py").exists()


def test_external_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(tmp_path))
    assert paths.external_dir() == tmp_path.resolve()
    assert not paths.has_external("nothing-here.csv")
    (tmp_path / "x.csv").write_text("a\n1\n")
    assert paths.has_external("x.csv")


def test_external_default_is_inside_the_repository(monkeypatch):
    monkeypatch.delenv(paths.EXTERNAL_ENV, raising=False)
    assert paths.external_dir() == paths.repo_root() / "data" / "raw" / "external"


def test_missing_external_names_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(tmp_path))
    with pytest.raises(paths.MissingExternalData, match="LGRESEARCH_EXTERNAL_DIR"):
        paths.external_path("vendor", "file.xlsx", must_exist=True)


def test_processed_and_reports_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.PROCESSED_ENV, str(tmp_path / "p"))
    monkeypatch.setenv(paths.REPORTS_ENV, str(tmp_path / "r"))
    assert paths.processed_dir() == (tmp_path / "p").resolve() and (tmp_path / "p").is_dir()
    assert paths.reports_dir() == (tmp_path / "r").resolve()


def test_no_machine_paths_in_code():
    root = paths.repo_root()
    offenders = []
    for folder in ("lgresearch", "notebooks", "tests", "benchmarks"):
        for f in (root / folder).rglob("*.py"):
            text = f.read_text(encoding="utf-8")
            for needle in ("/wor" + "k/", "/ro" + "ot/", "/ho" + "me/", "C:\\" + "Users"):
                if needle in text:
                    offenders.append(f"{f.relative_to(root)}: {needle}")
    assert not offenders, offenders
    assert isinstance(Path, type)
