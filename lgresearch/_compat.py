"""pandas-version compatibility: the one place that knows which pandas is installed.

The package targets pandas 3 and must also run on pandas 2.2. The only difference it papers over is the
text dtype: pandas 3 infers ``str`` (a ``StringDtype`` whose missing value is ``NaN``); pandas 2.x infers
``object``. :func:`text_dtype` returns the pandas-3 dtype on pandas 3 and its closest pandas-2 equivalent
(Arrow-backed strings with ``NaN`` as the missing value, so ``tolist()`` shows ``nan`` and comparisons
return plain ``bool``) on pandas 2, so text columns behave the same on both.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from typing import Any, Callable, TypeVar

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

F = TypeVar("F", bound=Callable[..., Any])


def text_dtype():
    """The house text dtype: ``"str"`` on pandas 3, the equivalent NaN-missing string dtype on pandas 2.

    Examples
    --------
    >>> s = pd.Series(["a", None], dtype=text_dtype())
    >>> s.tolist(), pd.api.types.is_string_dtype(s), (s == "a").tolist()
    (['a', nan], True, [True, False])
    """
    return TEXT_DTYPE


def renamed_kwargs(**old_to_new: str | tuple[str, Callable[[Any], Any]]) -> Callable[[F], F]:
    """Keep deprecated keyword names working for one release, with a ``FutureWarning`` naming both.

    Parameters
    ----------
    **old_to_new : str or (str, callable)
        Each old keyword name mapped to its new name, e.g. ``ledger="return_ledger"``; or to ``(new_name,
        convert)`` when the meaning changed too, e.g. ``alpha=("level", lambda a: 1 - a)``.

    Returns
    -------
    Callable
        A decorator. The decorated function accepts the old names too: each is passed on under its new name,
        and a ``FutureWarning("f(): 'old' is deprecated; use 'new'")`` points at the caller's line. Passing
        both the old and the new name raises ``TypeError``.

    Examples
    --------
    >>> import warnings
    >>> @renamed_kwargs(alpha="level")
    ... def interval(x, *, level=0.95):
    ...     return level
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     interval(1, alpha=0.9)
    0.9
    >>> str(caught[0].message)
    "interval(): 'alpha' is deprecated; use 'level'"
    >>> interval(1, level=0.8)
    0.8
    >>> @renamed_kwargs(alpha=("level", lambda a: 1 - a))
    ... def test(x, *, level=0.95):
    ...     return level
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     test(1, alpha=0.1)
    0.9
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, target in old_to_new.items():
                if old not in kwargs:
                    continue
                new, convert = (target, None) if isinstance(target, str) else target
                if new in kwargs:
                    raise TypeError(
                        f"{func.__name__}() got both {old!r} (deprecated) and {new!r}; pass only {new!r}"
                    )
                warnings.warn(
                    f"{func.__name__}(): {old!r} is deprecated; use {new!r}", FutureWarning, stacklevel=2
                )
                value = kwargs.pop(old)
                kwargs[new] = value if convert is None else convert(value)
            return func(*args, **kwargs)

        wrapper.__renamed_kwargs__ = dict(old_to_new)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def deprecated_alias(func: F, old_name: str) -> F:
    """Return ``func`` under a deprecated old name that warns (``FutureWarning``) and then calls it.

    Parameters
    ----------
    func : Callable
        The function under its new name.
    old_name : str
        The old public name kept for one release.

    Returns
    -------
    Callable
        A wrapper named ``old_name`` whose calls warn ``"old_name is deprecated; use new_name"``.

    Examples
    --------
    >>> import warnings
    >>> def level_of(x):
    ...     return x
    >>> old = deprecated_alias(level_of, "alpha_of")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     old(3)
    3
    >>> str(caught[0].message)
    'alpha_of is deprecated; use level_of'
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"{old_name} is deprecated; use {func.__name__}", FutureWarning, stacklevel=2)
        return func(*args, **kwargs)

    wrapper.__name__ = old_name
    wrapper.__qualname__ = old_name
    return wrapper  # type: ignore[return-value]


def moved_names(module: str, moved: dict[str, str]) -> Callable[[str], Any]:
    """Return a module-level ``__getattr__`` that finds names moved to a higher layer, with a ``FutureWarning``.

    Release 1.0 moved analyses that combine data and estimators out of the data modules (for example
    ``deals.valuation_did`` to ``analyses.valuation``). The old attribute keeps working for one release: it is
    resolved at call time, so the data module never imports the layer above it.

    Parameters
    ----------
    module : str
        The old module's dotted name (for the messages).
    moved : dict of str to str
        Old attribute name -> ``"new.module:name"``.

    Returns
    -------
    Callable
        A function to assign to the old module's ``__getattr__``.

    Examples
    --------
    >>> import warnings
    >>> getter = moved_names("lgresearch.old", {"dumps": "json:dumps"})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     getter("dumps")([1])
    '[1]'
    >>> str(caught[0].message)
    'lgresearch.old.dumps moved to json.dumps; import it from there'
    """

    def __getattr__(name: str) -> Any:
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        target_module, _, target_name = moved[name].partition(":")
        warnings.warn(f"{module}.{name} moved to {target_module}.{target_name}; import it from there",
                      FutureWarning, stacklevel=2)
        return getattr(importlib.import_module(target_module), target_name)

    __getattr__.__moved__ = dict(moved)  # type: ignore[attr-defined]
    return __getattr__
