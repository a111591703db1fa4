"""listed_little_giants is cached on disk, keyed by its input files; a changed input rebuilds it."""

import shutil

import pandas as pd
import pytest

from lgresearch import datasets, listed, paths


@pytest.fixture()
def ext(monkeypatch, tmp_path):
    d = tmp_path / "external"
    shutil.copytree(datasets.external_dir(), d)
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(d))
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "cache"))
    listed.tags._listed_cached.cache_clear()
    listed.tags._listed_ledger_cached.cache_clear()
    return d


def test_disk_cache_equals_a_fresh_build(ext, tmp_path):
    first, led = listed.listed_little_giants(return_ledger=True)
    files = sorted((tmp_path / "cache" / "listed").glob("*.parquet"))
    assert len(files) == 2
    listed.tags._listed_cached.cache_clear()  # a new process: read from disk
    listed.tags._listed_ledger_cached.cache_clear()
    again, led2 = listed.listed_little_giants(return_ledger=True)
    fresh, fresh_led = listed.tags._build_listed(str(ext))
    pd.testing.assert_frame_equal(again, fresh)
    pd.testing.assert_frame_equal(led2.frame(), fresh_led)
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs == first.attrs and again.attrs["provenance"] == "real"


def test_a_changed_input_file_rebuilds(ext, tmp_path):
    before = listed.listed_little_giants()
    snap = ext / "listed-little-giants" / "history" / "widgeta_ths-concept-zjtx_2026-06-18.csv"
    with snap.open("a", encoding="utf-8") as fh:
        fh.write("300750,样本电池,SAMPLE,300750,sample\n")
    after = listed.listed_little_giants()
    assert "300750" in set(after["code"]) and "300750" not in set(before["code"])
    assert len(list((tmp_path / "cache" / "listed").glob("*.ledger.parquet"))) == 2


def test_the_cached_frame_is_a_copy(ext):
    a = listed.listed_little_giants()
    a.loc[0, "name"] = "changed"
    assert listed.listed_little_giants().loc[0, "name"] != "changed"


def test_missing_folder_still_raises(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.EXTERNAL_ENV, str(tmp_path / "none"))
    with pytest.raises(paths.MissingExternalData):
        listed.listed_little_giants()
