"""Provenance labels carried by every frame: real data with its source, or simulated.

A frame's provenance lives in ``DataFrame.attrs["provenance"]`` (and, for simulated data, also in a
``provenance`` column with the value ``"simulated"``). Plot helpers read it to draw the source line or the
SIMULATED DATA mark, so it cannot be forgotten.

Examples
--------
>>> import pandas as pd
>>> df = mark_simulated(pd.DataFrame({"x": [1]}))
>>> is_simulated(df), df["provenance"].iloc[0]
(True, 'simulated')
>>> source_of(mark_real(pd.DataFrame({"x": [1]}), "MIIT notices"))
'MIIT notices'
"""

from __future__ import annotations

import pandas as pd

SIMULATED = "simulated"
ATTR = "provenance"
SOURCE_ATTR = "source"


def mark_real(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Label a frame as real data from ``source`` (in ``attrs``); returns the same frame.

    Parameters
    ----------
    frame : DataFrame
        The frame to label (modified in place).
    source : str
        The human source line (vendor, file, publication).

    Returns
    -------
    DataFrame
        ``frame``, with ``attrs["provenance"] = "real"`` and ``attrs["source"] = source``.

    Examples
    --------
    >>> mark_real(pd.DataFrame(), "Zero2IPO").attrs["provenance"]
    'real'
    """
    frame.attrs[ATTR] = "real"
    frame.attrs[SOURCE_ATTR] = source
    return frame


def mark_simulated(frame: pd.DataFrame, note: str = "lgresearch.simulate") -> pd.DataFrame:
    """Label a frame as simulated, in ``attrs`` and in a ``provenance`` column of every row.

    Parameters
    ----------
    frame : DataFrame
        The frame to label (modified in place: a ``provenance`` column is added).
    note : str
        What produced the data, shown in the SIMULATED DATA source line.

    Returns
    -------
    DataFrame
        ``frame``, labelled as simulated in ``attrs`` and in every row.

    Examples
    --------
    >>> mark_simulated(pd.DataFrame({"a": [1, 2]}))["provenance"].tolist()
    ['simulated', 'simulated']
    """
    frame[ATTR] = SIMULATED
    frame.attrs[ATTR] = SIMULATED
    frame.attrs[SOURCE_ATTR] = f"SIMULATED DATA ({note})"
    return frame


def is_simulated(frame: pd.DataFrame) -> bool:
    """Return whether a frame carries the simulated label (attrs or any row).

    Parameters
    ----------
    frame : DataFrame
        Any frame.

    Returns
    -------
    bool
        True when ``attrs`` or any row of a ``provenance`` column says simulated.

    Examples
    --------
    >>> is_simulated(pd.DataFrame({"provenance": ["real", "simulated"]}))
    True
    """
    if frame.attrs.get(ATTR) == SIMULATED:
        return True
    if ATTR in frame.columns:
        return bool((frame[ATTR].astype("string") == SIMULATED).any())
    return False


def source_of(frame: pd.DataFrame, default: str = "unknown source") -> str:
    """Return the human source line of a frame.

    Parameters
    ----------
    frame : DataFrame
        Any frame.
    default : str
        Returned for a real frame without a source line.

    Returns
    -------
    str
        The source line (for simulated data, the SIMULATED DATA line).

    Examples
    --------
    >>> source_of(pd.DataFrame())
    'unknown source'
    """
    if is_simulated(frame):
        return frame.attrs.get(SOURCE_ATTR, "SIMULATED DATA")
    return str(frame.attrs.get(SOURCE_ATTR, default))


#: Keys of ``attrs`` that :func:`carry_provenance` copies (plain strings only).
PROVENANCE_KEYS = (ATTR, SOURCE_ATTR)


def carry_provenance(source: pd.DataFrame, target: pd.DataFrame) -> pd.DataFrame:
    """Copy the provenance label of ``source`` onto ``target`` (plain strings in ``attrs``); returns ``target``.

    The one place that carries provenance from an input to a result: simulated inputs give a simulated result
    (also in the ``provenance`` column when ``target`` has rows), real inputs keep their source line. Nothing
    but strings is written into ``attrs``, so the result still saves to parquet, csv and Stata.

    Parameters
    ----------
    source : DataFrame
        The input frame (or result frame) whose provenance is carried.
    target : DataFrame
        The frame that receives the label (modified in place).

    Returns
    -------
    DataFrame
        ``target``, labelled.

    Examples
    --------
    >>> src = mark_real(pd.DataFrame({"x": [1]}), "CSMAR daily returns")
    >>> carry_provenance(src, pd.DataFrame({"y": [2]})).attrs
    {'provenance': 'real', 'source': 'CSMAR daily returns'}
    >>> carry_provenance(mark_simulated(pd.DataFrame({"x": [1]})), pd.DataFrame({"y": [2]}))["provenance"].tolist()
    ['simulated']
    """
    if is_simulated(source):
        note = str(source.attrs.get(SOURCE_ATTR, "SIMULATED DATA (lgresearch.simulate)"))
        target[ATTR] = SIMULATED
        target.attrs[ATTR] = SIMULATED
        target.attrs[SOURCE_ATTR] = note
        return target
    target.attrs[ATTR] = str(source.attrs.get(ATTR, "real"))
    target.attrs[SOURCE_ATTR] = source_of(source)
    return target


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` that saves anywhere: only the provenance strings are kept in ``attrs``.

    Parameters
    ----------
    frame : DataFrame
        Any result frame (its ``attrs`` may hold dictionaries, arrays or objects).

    Returns
    -------
    DataFrame
        A copy with a fresh ``RangeIndex`` and ``attrs`` reduced to ``provenance`` and ``source``.

    Examples
    --------
    >>> df = mark_real(pd.DataFrame({"x": [1]}), "Wind")
    >>> df.attrs["paths"] = object()
    >>> sorted(plain_frame(df).attrs)
    ['provenance', 'source']
    """
    out = frame.reset_index(drop=True)
    out.attrs = {}
    return carry_provenance(frame, out)


__all__ = ["ATTR", "PROVENANCE_KEYS", "SIMULATED", "SOURCE_ATTR", "carry_provenance", "is_simulated",
           "mark_real", "mark_simulated", "plain_frame", "source_of"]
