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

    Examples
    --------
    >>> source_of(pd.DataFrame())
    'unknown source'
    """
    if is_simulated(frame):
        return frame.attrs.get(SOURCE_ATTR, "SIMULATED DATA")
    return str(frame.attrs.get(SOURCE_ATTR, default))
