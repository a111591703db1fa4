"""Row accounting shared by every reader and cleaner.

Every input row ends in exactly one outcome: ``kept`` (it is an output row), ``merged`` (it was folded into
another output row, e.g. investor rows collapsed into one deal event) or ``dropped`` (with a reason). Flags
(``flagged``) are extra notes on kept or merged rows and do not count toward reconciliation.

A :class:`Ledger` is a small table with columns ``source_file, source_row, outcome, reason, detail`` and a
:meth:`Ledger.reconcile` check that each input row has exactly one outcome.

Examples
--------
>>> led = Ledger()
>>> led.add("a.csv", [1, 2, 3], "kept")
>>> led.add("a.csv", [4], "dropped", reason="blank name")
>>> led.counts()["n"].tolist()
[1, 3]
>>> led.reconcile({"a.csv": 4})
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from lgresearch.errors import InputError, LedgerError

__all__ = ["InputError", "LEDGER_COLUMNS", "Ledger", "LedgerError", "OUTCOMES"]

OUTCOMES = ("kept", "merged", "dropped", "flagged")
LEDGER_COLUMNS = ["source_file", "source_row", "outcome", "reason", "detail"]


@dataclass
class Ledger:
    """Accumulates row outcomes; cheap to append in bulk (lists of frames, concatenated lazily)."""

    _parts: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        source_file: str | Iterable[str],
        source_row: Iterable[int] | pd.Series | int,
        outcome: str,
        reason: str | Iterable[str] = "",
        detail: str | Iterable[str] = "",
    ) -> None:
        """Record an outcome for one or many rows.

        Parameters
        ----------
        source_file : str or iterable of str
            File each row came from (a scalar is broadcast).
        source_row : int or iterable of int
            Row numbers as the user sees them in the file (1-based, header rows included).
        outcome : {"kept", "merged", "dropped", "flagged"}
        reason, detail : str or iterable of str
            Why (required for ``dropped`` and ``flagged``), and any detail (e.g. the offending value).

        Examples
        --------
        >>> led = Ledger(); led.add("x.xlsx", 5, "dropped", reason="title line"); len(led.frame())
        1
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, got {outcome!r}")
        rows = [int(source_row)] if isinstance(source_row, (int,)) else [int(r) for r in source_row]
        if not rows:
            return
        if outcome in ("dropped", "flagged"):
            reasons = [reason] * len(rows) if isinstance(reason, str) else list(reason)
            if any(not r for r in reasons):
                raise ValueError(f"a {outcome} row needs a reason")
        part = pd.DataFrame(
            {
                "source_file": source_file if isinstance(source_file, str) else list(source_file),
                "source_row": rows,
                "outcome": outcome,
                "reason": reason if isinstance(reason, str) else list(reason),
                "detail": detail if isinstance(detail, str) else [str(d) for d in detail],
            }
        )
        self._parts.append(part)

    def extend(self, other: Ledger | pd.DataFrame) -> None:
        """Append another ledger's rows.

        Examples
        --------
        >>> a, b = Ledger(), Ledger(); b.add("f", [1], "kept"); a.extend(b); len(a.frame())
        1
        """
        frame = other.frame() if isinstance(other, Ledger) else other
        if len(frame):
            self._parts.append(frame[LEDGER_COLUMNS].copy())

    def frame(self) -> pd.DataFrame:
        """Return all entries as one DataFrame with :data:`LEDGER_COLUMNS`.

        Examples
        --------
        >>> list(Ledger().frame().columns) == LEDGER_COLUMNS
        True
        """
        if not self._parts:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "source_row" else object)
                                 for c in LEDGER_COLUMNS})
        if len(self._parts) > 1:
            self._parts = [pd.concat(self._parts, ignore_index=True)]
        return self._parts[0].copy()

    def tidy(self) -> pd.DataFrame:
        """Return the ledger as plain data, one row per accounted row (the same as :meth:`frame`).

        Returns
        -------
        DataFrame
            :data:`LEDGER_COLUMNS`; saves to parquet, csv and Stata.

        Examples
        --------
        >>> led = Ledger(); led.add("f.csv", [1, 2], "dropped", "blank row"); led.tidy()["reason"].tolist()
        ['blank row', 'blank row']
        """
        return self.frame()

    def counts(self) -> pd.DataFrame:
        """Count rows by outcome and reason.

        Examples
        --------
        >>> led = Ledger(); led.add("f", [1, 2], "kept"); int(led.counts()["n"].sum())
        2
        """
        frame = self.frame()
        return (
            frame.groupby(["outcome", "reason"], dropna=False)
            .size()
            .rename("n")
            .reset_index()
            .sort_values(["outcome", "n"], ascending=[True, False], ignore_index=True)
        )

    def reconcile(self, expected_rows: Mapping[str, int] | None = None) -> bool:
        """Check that every input row has exactly one terminal outcome.

        Parameters
        ----------
        expected_rows : mapping of file -> number of input rows, optional
            When given, each file must have exactly that many rows with a terminal outcome
            (kept, merged or dropped).

        Returns
        -------
        bool
            ``True``; raises :class:`LedgerError` otherwise, naming the file and rows.

        Examples
        --------
        >>> led = Ledger(); led.add("f", [1], "kept"); led.reconcile({"f": 1})
        True
        """
        frame = self.frame()
        terminal = frame[frame["outcome"] != "flagged"]
        dup = terminal.duplicated(["source_file", "source_row"], keep=False)
        if dup.any():
            bad = terminal.loc[dup, ["source_file", "source_row", "outcome"]].head(10)
            raise LedgerError(f"rows with more than one outcome:\n{bad.to_string(index=False)}")
        if expected_rows is not None:
            got = terminal.groupby("source_file").size()
            for name, n in expected_rows.items():
                if int(got.get(name, 0)) != int(n):
                    raise LedgerError(
                        f"{name}: {n} input rows but {int(got.get(name, 0))} accounted for in the ledger"
                    )
            extra = set(got.index) - set(expected_rows)
            if extra:
                raise LedgerError(f"ledger names files that were not expected: {sorted(extra)}")
        return True

    def summary(self) -> str:
        """Return a one-line human summary, e.g. ``'120 rows: 100 kept, 15 merged, 5 dropped'``.

        Examples
        --------
        >>> led = Ledger(); led.add("f", [1, 2], "kept"); led.summary()
        '2 rows: 2 kept, 0 merged, 0 dropped (0 flagged)'
        """
        c = self.frame()["outcome"].value_counts()
        n = int(c.get("kept", 0) + c.get("merged", 0) + c.get("dropped", 0))
        return (
            f"{n} rows: {int(c.get('kept', 0))} kept, {int(c.get('merged', 0))} merged, "
            f"{int(c.get('dropped', 0))} dropped ({int(c.get('flagged', 0))} flagged)"
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Ledger:
        """Rebuild a ledger from :meth:`frame` output (e.g. read back from parquet).

        Examples
        --------
        >>> Ledger.from_frame(Ledger().frame()).summary().startswith("0 rows")
        True
        """
        led = cls()
        led.extend(frame)
        return led
