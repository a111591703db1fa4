"""The returns-panel cache: in the cache folder, partitioned by year, filtered reads equal in-memory filters."""

import json

import pandas as pd
import pytest

from lgresearch import datasets, paths, prices
from lgresearch.ledger import InputError


@pytest.fixture()
def sample_cache(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(paths.PROCESSED_ENV, str(tmp_path / "processed"))
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(datasets.external_dir()))
    return tmp_path


def test_cache_lives_in_the_cache_folder_partitioned_by_year(sample_cache):
    prices.load_returns_panel()
    d = prices.cache._cache_dir()
    assert (sample_cache / "cache" / "prices") in d.parents
    assert sorted(p.name for p in (d / prices.PANEL_DATASET).iterdir()) == ["year=2023", "year=2024"]
    assert not (sample_cache / "processed").exists() or not any((sample_cache / "processed").rglob("*"))
    assert json.loads((d / prices.SIGNATURE_FILE).read_text())["format"] == prices.CACHE_FORMAT


def test_filtered_warm_read_equals_filtering_the_built_panel(sample_cache):
    full = prices.build_returns_panel().panel
    prices.load_returns_panel()  # writes the cache
    codes = ["300750", "600519"]
    warm = prices.load_returns_panel(codes=codes, start="2023-12-15", end="2024-01-20")
    exp = full[full["code"].astype(str).isin(codes) & full["date"].between("2023-12-15", "2024-01-20")]
    exp = exp.sort_values(["code", "date"], ignore_index=True)
    assert len(warm) == len(exp) > 0
    pd.testing.assert_series_equal(warm["ret"], exp["ret"], check_names=False)
    assert warm["code"].astype(str).tolist() == exp["code"].astype(str).tolist()
    assert (warm["source"].astype(str) == exp["source"].astype(str)).all()
    assert isinstance(warm["code"].dtype, pd.CategoricalDtype) and warm.attrs["provenance"] == "real"


def test_codes_in_the_usual_forms_match_the_same_rows(sample_cache):
    plain = prices.load_returns_panel(codes=["600519", "002594"])
    for forms in (["600519.SH", "002594.SZ"], ["sh600519", "SZ002594"], [600519, 2594], ["６００５１９", "2594"]):
        got = prices.load_returns_panel(codes=forms)
        assert len(got) == len(plain) > 0, forms
        assert got["code"].astype(str).tolist() == plain["code"].astype(str).tolist()
    assert len(prices.load_returns_panel(codes="600519")) == len(prices.load_returns_panel(codes=["600519"]))


def test_unreadable_codes_are_an_error_not_an_empty_panel(sample_cache):
    with pytest.raises(InputError, match=r"not stock codes, e\.g\. \['Moutai'"):
        prices.load_returns_panel(codes=["Moutai", "600519"])
    with pytest.raises(InputError, match="drop missing values"):
        prices.load_returns_panel(codes=[None])


def test_old_layout_or_changed_inputs_rebuild_the_cache(sample_cache):
    prices.load_returns_panel()
    sig = prices.cache._cache_dir() / prices.SIGNATURE_FILE
    meta = json.loads(sig.read_text())
    sig.write_text(json.dumps({**meta, "format": 1}))
    assert not prices.cache._cache_valid()
    prices.load_returns_panel(start="2100-01-01")
    assert prices.cache._cache_valid()


def test_caches_of_different_external_folders_do_not_mix(sample_cache, monkeypatch, tmp_path):
    sample_dir = prices.cache._cache_dir()
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(tmp_path / "other"))
    assert prices.cache._cache_dir(create=False) != sample_dir
