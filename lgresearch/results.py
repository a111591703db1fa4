"""Base of the result objects: a tidy frame inside, DataFrame-like access outside, ``.tidy()`` to save.

Result objects (:class:`lgresearch.events.AbnormalReturns`, :class:`lgresearch.did.EventStudyResult`, ...) hold
their main table as a DataFrame plus the objects behind it (per-event paths, a covariance matrix). Reading a
column (``res["car"]``), ``len(res)``, ``res.loc[...]`` or ``res.columns`` work as on the table, so code written
for the frames of release 0.1 keeps working; :meth:`FrameResult.tidy` returns a plain copy that saves to
parquet, csv and Stata (only provenance strings in ``attrs``).

Examples
--------
>>> import pandas as pd
>>> from dataclasses import dataclass
>>> @dataclass
... class Demo(FrameResult):
...     frame: pd.DataFrame
>>> d = Demo(pd.DataFrame({"x": [1, 2]}))
>>> len(d), d["x"].sum(), d.columns.tolist()
(2, np.int64(3), ['x'])
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lgresearch.provenance import plain_frame
from lgresearch.stata import to_stata

__all__ = ["FrameResult"]


class FrameResult:
    """Mixin: DataFrame-like read access to ``self.frame`` and :meth:`tidy`.

    Subclasses are dataclasses with a ``frame`` field.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class R(FrameResult):
    ...     frame: pd.DataFrame
    >>> R(pd.DataFrame({"a": [1]})).tidy().attrs
    {'provenance': 'real', 'source': 'unknown source'}
    """

    frame: pd.DataFrame

    def tidy(self) -> pd.DataFrame:
        """The table as a plain DataFrame: no objects in ``attrs``; saves to parquet, csv and Stata.

        Returns
        -------
        DataFrame
            A copy of ``self.frame`` with a fresh index and only the provenance strings in ``attrs``.

        Examples
        --------
        >>> from dataclasses import dataclass
        >>> @dataclass
        ... class R(FrameResult):
        ...     frame: pd.DataFrame
        >>> R(pd.DataFrame({"a": [1]})).tidy()["a"].tolist()
        [1]
        """
        return plain_frame(self.frame)

    def to_stata(self, path: str | Path, *, labels: Mapping[str, str] | None = None) -> Path:
        """Write :meth:`tidy` to a Stata file (format 118, a variable label on every column).

        Parameters
        ----------
        path : str or pathlib.Path
            Output ``.dta`` file.
        labels : mapping of column -> label, optional
            Labels that replace or extend :data:`lgresearch.stata.LABELS`.

        Returns
        -------
        pathlib.Path
            The file written.

        Examples
        --------
        >>> import os, tempfile
        >>> from dataclasses import dataclass
        >>> @dataclass
        ... class R(FrameResult):
        ...     frame: pd.DataFrame
        >>> p = R(pd.DataFrame({"car": [0.01]})).to_stata(os.path.join(tempfile.mkdtemp(), "r.dta"))
        >>> pd.read_stata(p)["car"].tolist()
        [0.01]
        """
        return to_stata(self.tidy(), path, labels=labels)

    def __getitem__(self, key):
        return self.frame[key]

    def __setitem__(self, key, value) -> None:
        self.frame[key] = value

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self):
        return iter(self.frame)

    def __contains__(self, key) -> bool:
        return key in self.frame

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "frame":
            raise AttributeError(name)
        return getattr(self.frame, name)

    def __repr__(self) -> str:
        return f"{type(self).__name__} with table\n{self.frame!r}"

    def _repr_html_(self) -> str | None:
        return self.frame._repr_html_()
