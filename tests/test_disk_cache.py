"""The one on-disk cache of parsed inputs: read back when the key matches, rebuilt when it changes or is corrupt."""

from __future__ import annotations

import pandas as pd

from lgresearch import disk_cache


def _builder(calls):
    def build():
        calls.append(1)
        return [pd.DataFrame({"x": [len(calls)]})]
    return build


def test_key_change_rebuilds_and_same_key_reads_back(tmp_path, monkeypatch):
    monkeypatch.setenv("LGRESEARCH_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    assert disk_cache.cached_frames("t", "f", {"v": 1}, _builder(calls))[0]["x"].tolist() == [1]
    assert disk_cache.cached_frames("t", "f", {"v": 1}, _builder(calls))[0]["x"].tolist() == [1]
    assert disk_cache.cached_frames("t", "f", {"v": 2}, _builder(calls))[0]["x"].tolist() == [2]
    assert len(calls) == 2


def test_corrupt_cache_file_is_rebuilt_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("LGRESEARCH_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    disk_cache.cached_frames("t", "f", {"v": 1}, _builder(calls))
    (target,) = disk_cache.cache_files("t", "f", {"v": 1})
    target.write_bytes(b"not parquet")
    assert disk_cache.cached_frames("t", "f", {"v": 1}, _builder(calls))[0]["x"].tolist() == [2]
    assert not list(tmp_path.rglob("*.tmp"))


def test_file_signature_changes_with_the_file(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("x\n1\n")
    before = disk_cache.file_signature([f, tmp_path / "missing.csv"], relative_to=tmp_path)
    f.write_text("x\n1\n2\n")
    after = disk_cache.file_signature([f], relative_to=tmp_path)
    assert len(before) == 1 and before[0][0] == "a.csv" and before != after
