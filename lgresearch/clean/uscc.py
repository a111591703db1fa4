"""The unified social credit code (统一社会信用代码, GB 32100-2015): check digit and cleaning.

An 18-character code: registration authority (1 character), entity type (1), administrative division (6
digits), the organisation code (9, GB 11714) and a check character. The alphabet has 31 characters: the digits
and the capital letters except I, O, S, V and Z. The check character is ``31 - (Σ wᵢ·cᵢ mod 31)`` (31 → 0) with
weights ``wᵢ = 3^i mod 31``.

Examples
--------
>>> validate_uscc("914403001922038216")
True
>>> validate_uscc("914403001922038217")
False
>>> normalize_uscc(" 9144 0300 1922 0382 16 ")
'914403001922038216'
"""

from __future__ import annotations

import re
import unicodedata
from typing import overload

import numpy as np
import pandas as pd

from lgresearch._compat import TEXT_DTYPE

__all__ = [
    "USCC_ALPHABET", "USCC_WEIGHTS", "uscc_check_character", "validate_uscc", "normalize_uscc", "USCC_STATUSES",
    "uscc_status", "uscc_region",
]


#: The 31-character alphabet of GB 32100-2015 (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Weights of positions 1..17.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_PATTERN = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$")
_STRIP = re.compile(r"[\s\-_.·]+")


def uscc_check_character(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a code.

    Parameters
    ----------
    first17 : str
        The first 17 characters of a USCC.

    Returns
    -------
    str
        The check character (18th).

    Examples
    --------
    >>> uscc_check_character("91440300192203821")
    '6'
    """
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise ValueError(f"need 17 characters from {USCC_ALPHABET!r}, got {first17!r}")
    total = sum(_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _clean(code: object) -> str | None:
    if isinstance(code, (int, np.integer)) and not isinstance(code, bool):
        code = str(code)  # an all-digit code stored as an integer keeps every digit (a float would not)
    if not isinstance(code, str):
        return None
    text = _STRIP.sub("", unicodedata.normalize("NFKC", code)).upper()
    return text or None


def _valid(text: str | None) -> bool:
    if text is None or not _PATTERN.match(text):
        return False
    return uscc_check_character(text[:17]) == text[17]


def validate_uscc(codes: pd.Series | str | None) -> pd.Series | bool:
    """Return whether each code is a well-formed USCC with a correct check character.

    Spaces, hyphens and full-width characters are tolerated and lower case is accepted; missing values are
    ``False``.

    Parameters
    ----------
    codes : Series or str

    Returns
    -------
    Series of bool (same index) or bool

    Examples
    --------
    >>> validate_uscc(pd.Series(["9144030071526726XG", "91440300715267261X", None])).tolist()
    [True, False, False]
    >>> validate_uscc("９１４４０３００１９２２０３８２１６")
    True
    """
    if codes is None or isinstance(codes, (str, int, np.integer)):
        return _valid(_clean(codes))
    series = pd.Series(codes)
    uniq = pd.unique(series.astype(object))
    table = {u: _valid(_clean(u)) for u in uniq}
    return pd.Series([table[c] for c in series.astype(object)], index=series.index, name=series.name, dtype=bool)


@overload
def normalize_uscc(codes: str | None) -> str | None: ...
@overload
def normalize_uscc(codes: pd.Series) -> pd.Series: ...
def normalize_uscc(codes: pd.Series | str | None) -> pd.Series | str | None:
    """Return codes in canonical form (upper case, no separators), missing when invalid.

    Parameters
    ----------
    codes : str or Series
        Unified social credit codes as written.

    Returns
    -------
    str or Series
        Upper-case 18-character codes (missing when malformed), same kind as the input.

    Examples
    --------
    >>> normalize_uscc(pd.Series(["9144030071526726xg", "123"])).tolist()
    ['9144030071526726XG', nan]
    """
    if codes is None or isinstance(codes, (str, int, np.integer)):
        text = _clean(codes)
        return text if _valid(text) else None
    given = pd.Series(codes)
    cleaned = [(_clean(c)) for c in given.astype(object)]
    out = np.array([c if _valid(c) else None for c in cleaned], dtype=object)
    series = pd.Series(out, index=given.index, name=given.name, dtype=object)
    return series.astype(TEXT_DTYPE)


#: Values of :func:`uscc_status`.
USCC_STATUSES = ("valid", "missing", "wrong check character", "malformed")


def _status(code: object) -> str:
    text = _clean(code)
    if text is None:
        return "missing"
    if not _PATTERN.match(text):
        return "malformed"
    return "valid" if uscc_check_character(text[:17]) == text[17] else "wrong check character"


def uscc_status(codes: pd.Series | str | None) -> pd.Series | str:
    """Say what is wrong with each code, for a reader's ledger: one of :data:`USCC_STATUSES`.

    Spaces, hyphens, full-width characters and lower case are normalised first (a valid code written
    ``9144 0300 1922 0382 16`` is ``"valid"``).

    Parameters
    ----------
    codes : Series or str

    Returns
    -------
    Series of str (same index) or str

    Examples
    --------
    >>> uscc_status(pd.Series(["9144 0300 1922 0382 16", "914403001922038217", "12345", None])).tolist()
    ['valid', 'wrong check character', 'malformed', 'missing']
    """
    if codes is None or isinstance(codes, (str, int, np.integer)):
        return _status(codes)
    series = pd.Series(codes)
    obj = series.astype(object)
    table = {u: _status(u) for u in pd.unique(obj)}
    return pd.Series([table[c] for c in obj], index=series.index, name=series.name, dtype=object).astype(TEXT_DTYPE)


def uscc_region(codes: pd.Series | str) -> pd.Series | str | None:
    """Return the two-digit province code embedded in a valid USCC (positions 3–4), else missing.

    Parameters
    ----------
    codes : str or Series
        Unified social credit codes as written.

    Returns
    -------
    str, Series or None
        The two-digit province code of each valid code (positions 3–4); missing otherwise.

    Examples
    --------
    >>> uscc_region("914403001922038216")
    '44'
    """
    if isinstance(codes, str):
        text = normalize_uscc(codes)
        return None if text is None else text[2:4]
    norm = normalize_uscc(pd.Series(codes))
    return norm.str.slice(2, 4)
