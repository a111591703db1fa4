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
