"""Hostile official facts files (issue 9): a user's own facts folder, damaged the ways real files get damaged.

Every case ends in the correct values or an InputError naming the file (and the row and column where they apply);
never a bare UnicodeDecodeError, ParserError, EmptyDataError or KeyError.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lgresearch import official, paths
from lgresearch.errors import InputError


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "official"
    shutil.copytree(paths.official_dir(), target)
    return target


def _facts(d: Path) -> Path:
    return d / "facts.csv"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_facts_saved_in_another_encoding_read_the_same(tmp_path: Path, encoding: str) -> None:
    d = _copy(tmp_path)
    text = _facts(d).read_text(encoding="utf-8")
    _facts(d).write_bytes(text.encode(encoding))
    got = official.batches(d)
    assert got["count_final"].tolist() == [248, 1584, 2930, 4357, 3671, 3012, 3482]
    assert got.loc[got["batch"] == 1, "launch_notice"].item() == "工信厅企业函〔2018〕381号"


def test_malformed_facts_row_names_the_line(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    lines = _facts(d).read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, "batch,1,count_final,248,count,,,true,,url,note,EXTRA,FIELDS\n")
    _facts(d).write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"facts\.csv, row 4: malformed CSV .*same number of fields"):
        official.facts(d)


def test_missing_reason_column_names_the_column(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    import pandas as pd

    frame = pd.read_csv(_facts(d), dtype=str, keep_default_na=False).drop(columns="reason")
    frame.to_csv(_facts(d), index=False)
    with pytest.raises(InputError, match=r"facts\.csv, row 1, column 'reason': column missing"):
        official.batches(d)


def test_empty_facts_file_is_an_error_naming_it(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _facts(d).write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"facts\.csv: the file is empty"):
        official.facts(d)


def test_blank_lines_only_facts_file_is_an_error(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _facts(d).write_text("\n\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"facts\.csv: the file is empty"):
        official.facts(d)


def test_missing_facts_file_is_an_error_naming_it(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _facts(d).unlink()
    with pytest.raises(InputError, match=r"facts\.csv: official facts file not found"):
        official.facts(d)


def test_undecodable_facts_file_is_an_error_naming_it(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _facts(d).write_bytes(bytes(range(128, 256)) * 50)
    with pytest.raises(InputError, match=r"facts\.csv: cannot .*UTF-8"):
        official.facts(d)


def test_unknown_value_type_names_the_row(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = _facts(d).read_text(encoding="utf-8").replace("2018-11,date", "2018-11,datum", 1)
    _facts(d).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"facts\.csv, row 3, column 'value_type'"):
        official.facts(d)


def test_batch_outside_the_official_range_names_the_row(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = _facts(d).read_text(encoding="utf-8").replace("batch,1,launch_notice", "batch,9,launch_notice", 1)
    _facts(d).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"facts\.csv, row 2, column 'batch'"):
        official.facts(d)


def test_malformed_province_counts_names_the_file(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "province_counts.csv").write_text("batch,scope\n5,final,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"province_counts\.csv"):
        official.province_counts(d)


def test_missing_column_in_vc_aggregates_names_the_column(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    import pandas as pd

    frame = pd.read_csv(d / "vc_aggregates.csv", dtype=str, keep_default_na=False).drop(columns="source_note")
    frame.to_csv(d / "vc_aggregates.csv", index=False)
    with pytest.raises(InputError, match=r"vc_aggregates\.csv, row 1, column 'source_note': column missing"):
        official.vc_aggregates(d)


def test_facts_file_without_a_needed_fact_names_the_file_and_metric(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    lines = _facts(d).read_text(encoding="utf-8").splitlines(keepends=True)
    _facts(d).write_text("".join(line for line in lines if ",review_2025_passed," not in line), encoding="utf-8")
    with pytest.raises(InputError, match=r"facts\.csv, column 'metric': 0 chosen facts match "
                                         r"metric='review_2025_passed'.*add the fact") as err:
        official.cumulative_counts(d)
    assert isinstance(err.value, KeyError)
