import pandas as pd
import pytest

from lgresearch.ledger import InputError, Ledger, LedgerError


def test_reconcile_counts_every_row_once():
    led = Ledger()
    led.add("a.csv", [2, 3, 4], "kept")
    led.add("a.csv", [5], "merged", detail="into row 4")
    led.add("a.csv", [6], "dropped", reason="blank name")
    led.add("a.csv", [2], "flagged", reason="traditional characters")
    assert led.reconcile({"a.csv": 5})
    assert led.summary() == "5 rows: 3 kept, 1 merged, 1 dropped (1 flagged)"


def test_reconcile_fails_on_a_missing_row():
    led = Ledger()
    led.add("a.csv", [2, 3], "kept")
    with pytest.raises(LedgerError, match="a.csv: 3 input rows but 2"):
        led.reconcile({"a.csv": 3})


def test_reconcile_fails_on_a_double_outcome():
    led = Ledger()
    led.add("a.csv", [2], "kept")
    led.add("a.csv", [2], "dropped", reason="dup")
    with pytest.raises(LedgerError, match="more than one outcome"):
        led.reconcile()


def test_drop_needs_a_reason_and_outcome_is_checked():
    led = Ledger()
    with pytest.raises(ValueError, match="needs a reason"):
        led.add("a.csv", [1], "dropped")
    with pytest.raises(ValueError, match="outcome"):
        led.add("a.csv", [1], "lost")


def test_vector_reasons_and_round_trip():
    led = Ledger()
    led.add("f", pd.Series([1, 2]), "dropped", reason=["x", "y"], detail=[1, 2])
    again = Ledger.from_frame(led.frame())
    assert again.counts().set_index("reason")["n"].to_dict() == {"x": 1, "y": 1}


def test_input_error_names_file_row_column():
    err = InputError("list.xlsx", 12, "省份", "unknown province 'Atlantis'")
    assert str(err) == "list.xlsx, row 12, column '省份': unknown province 'Atlantis'"
    assert (err.file, err.row, err.column) == ("list.xlsx", 12, "省份")
