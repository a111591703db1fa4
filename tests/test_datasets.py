"""The sample files are ours (regenerated identically from the generator), labelled, and readable by the readers."""

import pandas as pd
import pytest

from lgresearch import datasets, listed, prices
from lgresearch.datasets import _generate


def test_every_named_sample_exists():
    for name in datasets.names():
        assert datasets.path(name).exists(), name
    with pytest.raises(KeyError, match="choose from"):
        datasets.path("nope")


def test_samples_are_regenerated_identically(tmp_path):
    written = _generate.generate(tmp_path)
    shipped = sorted(p for p in datasets.external_dir().rglob("*") if p.is_file() and p.name != "README.md")
    assert [p.relative_to(tmp_path) for p in written] == [p.relative_to(datasets.external_dir()) for p in shipped]
    for new, old in zip(written, shipped, strict=True):
        if new.suffix == ".csv":
            assert new.read_bytes() == old.read_bytes(), new.name
        elif new.suffix == ".parquet":
            pd.testing.assert_frame_equal(pd.read_parquet(new), pd.read_parquet(old))
        else:
            pd.testing.assert_frame_equal(pd.read_excel(new, engine="calamine"), pd.read_excel(old, engine="calamine"))


def test_samples_are_labelled_as_samples():
    import pyarrow.parquet as pq

    readme = (datasets.user_dir().parent / "README.md").read_text(encoding="utf-8")
    assert "SAMPLE" in readme and "invented" in readme
    for p in datasets.external_dir().rglob("*.parquet"):
        assert pq.read_schema(p).metadata[b"lgresearch_sample"].decode() == datasets.SAMPLE_NOTE
    assert (pd.read_csv(datasets.path("index_csi300"))["sample_note"] == datasets.SAMPLE_NOTE).all()


def test_as_external_restores_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("LGRESEARCH_EXTERNAL_DIR", str(tmp_path))
    with datasets.as_external() as folder:
        assert prices.available_price_sets() == ["R11happy", "LYH-RAIN", "tszlam"]
        assert folder == datasets.external_dir()
    assert prices.available_price_sets() == []


def test_readers_run_on_the_samples_with_codes_in_any_form():
    with datasets.as_external():
        p = prices.load_returns_panel(codes=["600519.SH", "sz300557", 2594], start="2024-02-01", end="2024-02-29")
        llg = listed.listed_little_giants()
    assert p["code"].astype(str).unique().tolist() == ["002594", "300557", "600519"]
    assert p["date"].between("2024-02-01", "2024-02-29").all()
    assert len(p) == 3 * len(prices.xshg_sessions("2024-02-01", "2024-02-29"))
    assert set(llg["code"]) == {"000586", "300557", "688981", "920475"}


def test_no_vendor_named_file_is_shipped_and_the_cache_copy_is_reused():
    shipped = datasets.user_dir().parent
    assert not (shipped / "external").exists()
    first = datasets.external_dir()
    stamp = first.stat().st_mtime_ns
    assert datasets.external_dir() == first and first.stat().st_mtime_ns == stamp


def test_datasets_imports_its_generator_at_the_top_and_lists_samples_from_the_command_line():
    import subprocess
    import sys

    assert datasets._generate is _generate  # no lazy import inside external_dir()
    out = subprocess.run([sys.executable, "-m", "lgresearch.datasets"], capture_output=True, text=True, check=True)
    listed_files = out.stdout.split()
    assert "LYH-RAIN__StockTradebyZ/stocklist.csv" in listed_files and len(listed_files) >= 20
