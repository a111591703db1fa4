"""Exports: plain data, Stata 118 with labels and Chinese text, csv/parquet round trips, the CLI command."""

import numpy as np
import pandas as pd
import pytest

from lgresearch import cli, deals, export
from lgresearch.ledger import InputError

LIST_NAME = "第三批专精特新小巨人企业名单.csv"


def _list_file(folder):
    f = folder / LIST_NAME
    pd.DataFrame({"企业名称": ["甲科技有限公司", "乙精密制造股份有限公司"],
                  "省份": ["浙江", "江苏"]}).to_csv(f, index=False)
    return f


def test_to_plain_has_no_objects_in_cells_or_attrs():
    ev = deals.demo_events()
    ev.attrs["paths"] = object()
    plain = export.to_plain(ev)
    assert plain.attrs == {"provenance": ev.attrs["provenance"], "source": ev.attrs["source"]}
    assert plain["investors"].tolist() == ["X资本", "Y基金", "X资本;Z投资", ""]
    assert not any(plain[c].map(lambda v: isinstance(v, (list, dict, np.ndarray))).any() for c in plain.columns)
    assert "paths" in ev.attrs  # the input is not changed


def test_to_stata_round_trip_with_labels_and_chinese_text(tmp_path):
    df = pd.DataFrame({
        "firm_id": pd.array(["甲科技有限公司", None], dtype="string"), "batch": pd.array([3, pd.NA], dtype="Int64"),
        "designated": [True, False], "designation_date": pd.to_datetime(["2021-07-19", None]),
        "code": pd.Categorical(["600519", "300557"]), "amount_cny_high": [1.0, np.inf],
    })
    df.attrs["source"] = "样本 source"
    p = export.to_stata(df, tmp_path / "sub" / "x.dta", labels={"designated": "定了 (0/1)"})
    with pd.io.stata.StataReader(p) as reader:
        labels = reader.variable_labels()
        assert reader.data_label == "样本 source"
        assert reader._format_version == 118
    assert labels["firm_id"] == export.LABELS["firm_id"] and labels["designated"] == "定了 (0/1)"
    back = pd.read_stata(p)
    assert back["firm_id"].tolist() == ["甲科技有限公司", ""]
    assert back["batch"].iloc[0] == 3 and np.isnan(back["batch"].iloc[1])
    assert back["designated"].tolist() == [1, 0]
    assert back["designation_date"].iloc[0] == pd.Timestamp("2021-07-19") and pd.isna(back["designation_date"].iloc[1])
    assert back["code"].tolist() == ["600519", "300557"]
    assert back["amount_cny_high"].iloc[0] == 1.0 and np.isnan(back["amount_cny_high"].iloc[1])


def test_every_default_label_fits_stata():
    assert all(len(v) <= 80 for v in export.LABELS.values())


def test_step_ups_and_events_save_in_every_format(tmp_path):
    ev = deals.demo_events()
    su = deals.step_ups(ev)
    for frame, stem in ((ev, "events"), (su, "step_ups")):
        for fmt in export.FORMATS:
            p = export.write_table(frame, tmp_path / f"{stem}.{fmt}")
            back = {"dta": pd.read_stata, "csv": pd.read_csv, "parquet": pd.read_parquet}[fmt](p)
            assert len(back) == len(frame) and list(back.columns) == list(frame.columns), (stem, fmt)
    st = pd.read_stata(tmp_path / "step_ups.dta")
    assert st["step_up"].to_numpy() == pytest.approx(su["step_up"].to_numpy())


def test_bad_names_and_formats_are_errors(tmp_path):
    with pytest.raises(InputError, match="cannot be Stata variable names"):
        export.to_stata(pd.DataFrame({"1bad name": [1]}), tmp_path / "x.dta")
    with pytest.raises(InputError, match="unknown export format 'xlsx'"):
        export.write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="choose from"):
        export.build_table("firms")


def test_panel_without_lists_or_stored_panel_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("LGRESEARCH_PROCESSED_DIR", str(tmp_path / "empty"))
    with pytest.raises(InputError, match="lgresearch designations build"):
        export.build_table("panel")


def test_cli_export_panel_to_stata(tmp_path, capsys):
    f = _list_file(tmp_path)
    out = tmp_path / "panel.dta"
    assert cli.main(["export", "panel", str(out), "--lists", str(f)]) == 0
    assert "panel ->" in capsys.readouterr().out
    back = pd.read_stata(out)
    assert sorted(back["firm_id"]) == ["乙精密制造股份有限公司", "甲科技有限公司"] and set(back["batch"]) == {3}
    with pd.io.stata.StataReader(out) as reader:
        assert reader.variable_labels()["batch"] == export.LABELS["batch"]


def test_cli_export_csv_with_explicit_format_and_error_exit(tmp_path, capsys):
    f = _list_file(tmp_path)
    out = tmp_path / "panel.txt"
    assert cli.main(["export", "panel", str(out), "--format", "csv", "--lists", str(f)]) == 0
    assert len(pd.read_csv(out)) == 2
    capsys.readouterr()
    assert cli.main(["export", "panel", str(tmp_path / "p.dta"), "--lists", str(tmp_path / "missing.csv")]) == 1
    assert "missing.csv: file not found" in capsys.readouterr().err
    assert not (tmp_path / "p.dta").exists()
