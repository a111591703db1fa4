"""lgresearch.notices: the dated provincial notices file and its validation (hostile inputs)."""

from __future__ import annotations

import pandas as pd
import pytest

from lgresearch import notices

GOOD = ("province,province_zh,batch,list_type,date,date_basis,source_url,note\n"
        "Jiangsu,江苏,6,publicity,2024-09-07,reported_by,http://example.org/a,x\n")


def test_shipped_file_has_a_source_for_every_notice():
    n = notices.provincial_notices()
    assert len(n) >= 1 and list(n.columns) == notices.NOTICE_COLUMNS
    assert n["source_url"].str.match(r"https?://").all()
    assert set(n["date_basis"]) <= set(notices.DATE_BASES)
    assert (n["date"] >= "2018-01-01").all() and n["batch"].between(1, 7).all()


def test_reads_a_good_file(tmp_path):
    (tmp_path / notices.NOTICES_FILE).write_text(GOOD, encoding="utf-8")
    n = notices.provincial_notices(tmp_path)
    assert n["date"].iloc[0] == pd.Timestamp("2024-09-07") and n["batch"].iloc[0] == 6


@pytest.mark.parametrize("bad,col", [
    (GOOD.replace("2024-09-07", "2024-09"), "date"),
    (GOOD.replace("http://example.org/a", "see notes"), "source_url"),
    (GOOD.replace("reported_by", "guess"), "date_basis"),
    (GOOD.replace(",6,", ",six,"), "batch"),
])
def test_bad_rows_name_file_row_and_column(tmp_path, bad, col):
    (tmp_path / notices.NOTICES_FILE).write_text(bad, encoding="utf-8")
    with pytest.raises(notices.NoticeFileError, match=rf"row 2, column '{col}'"):
        notices.provincial_notices(tmp_path)


def test_missing_column_and_missing_file(tmp_path):
    (tmp_path / notices.NOTICES_FILE).write_text(GOOD.replace("date_basis,", "basis,"), encoding="utf-8")
    with pytest.raises(notices.NoticeFileError, match="date_basis"):
        notices.provincial_notices(tmp_path)
    with pytest.raises(FileNotFoundError):
        notices.provincial_notices(tmp_path / "nope")
