"""Every error class of lgresearch, under one base class.

:class:`LgresearchError` is the base of every error the package raises on purpose, so a user can catch them all
with one ``except`` clause. :class:`InputError` is bad input (it names the file, the row and the column and says
how to fix the input); :class:`LedgerError` is row accounting that does not reconcile (a bug in a reader, never
the user's fault).

Examples
--------
>>> err = InputError("list.csv", 7, "批次", "batch 9 is not an official batch; pass batch= explicitly")
>>> isinstance(err, LgresearchError), isinstance(err, ValueError)
(True, True)
>>> str(err)
"list.csv, row 7, column '批次': batch 9 is not an official batch; pass batch= explicitly"
>>> issubclass(LedgerError, AssertionError)
False
"""

from __future__ import annotations


class LgresearchError(Exception):
    """Base class of every error raised on purpose by lgresearch.

    Examples
    --------
    >>> issubclass(InputError, LgresearchError)
    True
    """


class InputError(LgresearchError, ValueError):
    """Bad input that cannot be recorded as a drop: names the file, the row and the column.

    Parameters
    ----------
    file : str
        The file (name only, as the user knows it).
    row : int, optional
        The row (or line) as a person cites it, 1-based.
    column : str, optional
        The column header as written in the file.
    message : str
        What is wrong and how to fix the input.

    Examples
    --------
    >>> str(InputError("a.csv", 7, "省份", "unknown province 'Atlantis'"))
    "a.csv, row 7, column '省份': unknown province 'Atlantis'"
    >>> str(InputError("a.csv", None, None, "file not found"))
    'a.csv: file not found'
    """

    def __init__(self, file: str, row: int | None, column: str | None, message: str):
        self.file, self.row, self.column = str(file), row, column
        self.message = message
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")

    def __reduce__(self):  # picklable (multiprocessing, caches)
        return (type(self), (self.file, self.row, self.column, self.message))


class LedgerError(LgresearchError):
    """Row accounting does not reconcile (a reader lost or double-counted rows).

    Examples
    --------
    >>> str(LedgerError("a.csv: 3 input rows but 2 accounted for in the ledger"))
    'a.csv: 3 input rows but 2 accounted for in the ledger'
    """


class MissingFactError(InputError, KeyError):
    """No (or more than one) chosen fact for a metric: names the facts file and says what to add.

    A :class:`InputError` and, for code that looked facts up as a mapping, a ``KeyError``
    (raised by :mod:`lgresearch.official`).

    Examples
    --------
    >>> str(MissingFactError("facts.csv", None, "metric", "0 chosen facts match metric='x'"))
    "facts.csv, column 'metric': 0 chosen facts match metric='x'"
    """

    __str__ = Exception.__str__


class NoticeFileError(LgresearchError, ValueError):
    """A malformed provincial notices file (names the file, row and column; raised by :mod:`lgresearch.notices`).

    Examples
    --------
    >>> issubclass(NoticeFileError, ValueError), issubclass(NoticeFileError, LgresearchError)
    (True, True)
    """


__all__ = ["InputError", "LedgerError", "LgresearchError", "MissingFactError", "NoticeFileError"]


# --- error classes of the estimators, paths and runner (moved here in 1.0; their modules re-export them) ---------

#: Environment variable naming the folder of third-party files (the same name as ``paths.EXTERNAL_ENV``).
_EXTERNAL_ENV = "LGRESEARCH_EXTERNAL_DIR"


class EventStudyError(LgresearchError, ValueError):
    """Bad input to the event-study engine (names the problem and, where known, the row).

    Examples
    --------
    >>> issubclass(EventStudyError, ValueError), issubclass(EventStudyError, LgresearchError)
    (True, True)
    """


class DidInputError(LgresearchError, ValueError):
    """A panel or matching input that the estimators cannot use; the message says what to change.

    Examples
    --------
    >>> str(DidInputError("cohort varies within unit 'a'; make it constant"))
    "cohort varies within unit 'a'; make it constant"
    """


class MissingExternalData(LgresearchError, FileNotFoundError):
    """A third-party input is absent; notebooks catch this and fall back to what they can run.

    Parameters
    ----------
    path : str or Path
        The file that was looked for.

    Examples
    --------
    >>> err = MissingExternalData("prices/daily.parquet")
    >>> isinstance(err, FileNotFoundError), "prices/daily.parquet" in str(err)
    (True, True)
    """

    def __init__(self, path):
        import os
        from pathlib import Path

        self.path = Path(path)
        unset = "" if os.environ.get(_EXTERNAL_ENV, "").strip() else f" ({_EXTERNAL_ENV} is not set)"
        super().__init__(
            f"third-party data not found: {self.path}{unset}. Set {_EXTERNAL_ENV} to the folder that holds the "
            "vendor files (see README, 'Settings')."
        )

    def __reduce__(self):
        return (type(self), (self.path,))


class NotebookFailed(LgresearchError, RuntimeError):
    """A notebook cell raised: carries the notebook name, the cell number and the error.

    Parameters
    ----------
    notebook : str
        Notebook name.
    cell : int, optional
        Cell number (None: before any cell ran).
    error : str
        The error raised.
    source : str
        The cell's source (an excerpt goes into the message).

    Examples
    --------
    >>> str(NotebookFailed("05_announcement_returns", 3, "KeyError: 'code'"))
    "notebook 05_announcement_returns failed in cell 3: KeyError: 'code'"
    """

    def __init__(self, notebook: str, cell: int | None, error: str, source: str = ""):
        self.notebook, self.cell, self.error = notebook, cell, error
        where = f"cell {cell}" if cell is not None else "setup"
        excerpt = ("\n--- cell source ---\n" + source[:800]) if source else ""
        super().__init__(f"notebook {notebook} failed in {where}: {error}{excerpt}")

    def __reduce__(self):
        return (type(self), (self.notebook, self.cell, self.error))


__all__ += ["DidInputError", "EventStudyError", "MissingExternalData", "NotebookFailed"]
