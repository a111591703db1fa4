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


def test_official_facts_are_package_data(monkeypatch):
    monkeypatch.delenv(paths.OFFICIAL_ENV, raising=False)
    folder = paths.official_dir()
    assert folder.is_dir() and folder.parent.parent == paths.package_dir()
    for name in ("facts.csv", "fx_rates.csv", "province_counts.csv", "industry_shares.csv", "vc_aggregates.csv"):
        assert (folder / name).is_file(), name
    assert not (paths.repo_root() / "data" / "raw" / "official").exists(), "official facts left outside the package"


def test_official_override(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.OFFICIAL_ENV, str(tmp_path))
    assert paths.official_dir() == tmp_path.resolve()


def test_package_data_is_declared():
    import tomllib

    spec = tomllib.loads((paths.repo_root() / "pyproject.toml").read_text())
    data = spec["tool"]["setuptools"]["package-data"]["lgresearch"]
    assert "py.typed" in data and (paths.package_dir() / "py.typed").is_file()
    assert any(d.startswith("data/official/") and d.endswith(".csv") for d in data)


def test_cache_dir_follows_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "c"))
    assert paths.cache_dir() == (tmp_path / "c").resolve()
    assert paths.cache_dir("prices", "x") == (tmp_path / "c" / "prices" / "x").resolve()
    assert (tmp_path / "c" / "prices" / "x").is_dir()
    assert not (tmp_path / "c" / "y").exists() and paths.cache_dir("y", create=False).name == "y"


def test_cache_dir_default_is_the_user_cache(monkeypatch):
    import platformdirs

    monkeypatch.delenv(paths.CACHE_ENV, raising=False)
    expected = Path(platformdirs.user_cache_dir("lgresearch", appauthor=False))
    assert paths.cache_dir(create=False) == expected
    assert paths.repo_root() not in paths.cache_dir(create=False).parents


def test_processed_defaults_to_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "c"))
    monkeypatch.delenv(paths.PROCESSED_ENV, raising=False)
    assert paths.processed_dir() == (tmp_path / "c" / "processed").resolve()
    assert paths.repo_root() not in paths.processed_dir(create=False).parents


def test_reports_default_outside_a_checkout(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "c"))
    monkeypatch.delenv(paths.REPORTS_ENV, raising=False)
    monkeypatch.setattr(paths, "in_checkout", lambda: False)
    assert paths.reports_dir(create=False) == (tmp_path / "c" / "reports").resolve()
    monkeypatch.setattr(paths, "in_checkout", lambda: True)
    assert paths.reports_dir(create=False) == paths.repo_root() / "reports"


def test_settings_table_lists_every_variable_and_the_readme_documents_them(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path))
    table = paths.settings()
    assert table["setting"].tolist() == list(paths.SETTINGS)
    row = table.set_index("setting").loc[paths.CACHE_ENV]
    assert bool(row["set"]) and row["value"] == str(tmp_path.resolve())
    readme = (paths.repo_root() / "README.md").read_text(encoding="utf-8")
    assert "## Settings" in readme
    settings_section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    missing = [k for k in paths.SETTINGS if k not in settings_section]
    assert not missing, f"README 'Settings' section misses {missing}"
    used = set()
    import re

    for f in (paths.package_dir()).rglob("*.py"):
        used.update(re.findall(r"LGRESEARCH_[A-Z_]+", f.read_text(encoding="utf-8")))
    assert used <= set(paths.SETTINGS), f"settings used in code but not declared: {used - set(paths.SETTINGS)}"


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


def test_missing_external_says_when_the_setting_is_unset(monkeypatch):
    monkeypatch.delenv(paths.EXTERNAL_ENV, raising=False)
    with pytest.raises(paths.MissingExternalData, match="LGRESEARCH_EXTERNAL_DIR is not set"):
        paths.external_path("vendor-nowhere", "file.xlsx", must_exist=True)


def test_figures_env_is_the_variable_plotting_reads():
    from lgresearch import plotting

    assert paths.FIGURES_ENV == plotting.FIGURES_ENV == "LGRESEARCH_FIGURES_DIR"
