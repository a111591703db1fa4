"""pandas-version compatibility: the one place that knows which pandas is installed.

The package targets pandas 3 and must also run on pandas 2.2. The only difference it papers over is the
text dtype: pandas 3 infers ``str`` (a ``StringDtype`` whose missing value is ``NaN``); pandas 2.x infers
``object``. :func:`text_dtype` returns the pandas-3 dtype on pandas 3 and its closest pandas-2 equivalent
(Arrow-backed strings with ``NaN`` as the missing value, so ``tolist()`` shows ``nan`` and comparisons
return plain ``bool``) on pandas 2, so text columns behave the same on both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: True on pandas 3 or later.
PANDAS_3: bool = int(pd.__version__.split(".")[0]) >= 3


def _pandas2_text_dtype() -> pd.api.extensions.ExtensionDtype:
    try:  # pandas 2.3: the dtype that pandas 3 calls "str"
        return pd.StringDtype(storage="pyarrow", na_value=np.nan)
    except TypeError:  # pandas 2.2: the same dtype under its experimental name
        return pd.StringDtype("pyarrow_numpy")


#: The house text dtype (see the module docstring).
TEXT_DTYPE = "str" if PANDAS_3 else _pandas2_text_dtype()


def text_dtype():
    """The house text dtype: ``"str"`` on pandas 3, the equivalent NaN-missing string dtype on pandas 2.

    Examples
    --------
    >>> s = pd.Series(["a", None], dtype=text_dtype())
    >>> s.tolist(), pd.api.types.is_string_dtype(s), (s == "a").tolist()
    (['a', nan], True, [True, False])
    """
    return TEXT_DTYPE
