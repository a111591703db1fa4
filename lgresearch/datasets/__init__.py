"""Tiny vendor-shaped SAMPLE files, written by lgresearch, for examples and tests.

The folder :func:`external_dir` mirrors the layout of the third-party directory (``LGRESEARCH_EXTERNAL_DIR``):
price sets, index closes, stock lists, listed-firm tag snapshots and the Shenwan industry files, a few rows each.
Every value is invented (see ``samples/README.md`` and :mod:`lgresearch.datasets._generate`): the files let the
readers' examples run anywhere, and show what a reader expects, but they are not data about China. They are not
shipped: the seeded generator writes them into the cache folder (``LGRESEARCH_CACHE_DIR``) on first use, so no
file in the package carries a vendor file's name.

Examples
--------
>>> from lgresearch import datasets, prices
>>> "stock_prices" in datasets.names() and "designation_list" in datasets.names()
True
>>> datasets.path("stock_prices").suffix
'.parquet'
>>> with datasets.as_external():
...     prices.read_price_set("LYH-RAIN", codes=["300557"])["code"].unique().tolist()
['300557']
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from lgresearch import paths
from lgresearch.datasets import _generate  # the .xls writer imports xlwt only when it writes the samples

__all__ = [
    "SAMPLE_NOTE", "SAMPLES_VERSION", "FILES", "USER_FILES", "external_dir", "user_dir", "names", "path", "as_external",
]


#: Marker of every sample file (parquet metadata, a column of the index CSVs, the README).
SAMPLE_NOTE = "SAMPLE: invented by lgresearch, not vendor data"

#: Named sample files, relative to :func:`external_dir`.
FILES: dict[str, str] = {
    "stock_prices": "LYH-RAIN__StockTradebyZ/data__daily_qfq_20240102-20251121.parquet",
    "stock_prices_r11happy": "R11happy__StockTradebyZ/data__daily_qfq_20190102-20250822.parquet",
    "stock_prices_tszlam": "tszlam__trading/data__daily_qfq_20210104-20240626.parquet",
    "stock_list_2025": "LYH-RAIN__StockTradebyZ/stocklist.csv",
    "stock_list_2024": "tszlam__trading/stock_list.csv",
    "index_csi300": "LiuZesensengsheng__gupiao/data/000300.SH.csv",
    "index_chinext": "LiuZesensengsheng__gupiao/data/399006.SZ.csv",
    "index_csi300_tr": "hriszc__zechenhehuo/data/h00300.csv",
    "index_csi1000_tr": "hriszc__zechenhehuo/data/h00852.csv",
    "listed_snapshots": "listed-little-giants/history",
    "listed_by_code": "listed-little-giants/listed_little_giants_by_code.csv",
    "listed_candidates": "listed-little-giants/listed_little_giants_candidates.csv",
    "shenwan_history": "markzhou-github__h5m80d50_priority/StockClassifyUse_stock.xls",
    "shenwan_codes": "qikaiquant__stock_china_mainland/data/SwClassCode_2021.xls",
}
#: Named sample files of the kind a user brings (relative to :func:`user_dir`): a national list, a deal export.
USER_FILES: dict[str, str] = {
    "designation_list": "第四批专精特新小巨人企业名单.csv",
    "deal_export": "wind_deals_sample.csv",
}


#: Version of the generated sample layout; a new version regenerates the cached copy.
SAMPLES_VERSION = "1"


def external_dir() -> Path:
    """Return the folder of sample files laid out like the third-party directory (generated on first use).

    Returns
    -------
    pathlib.Path
        ``<cache>/samples/external-v<SAMPLES_VERSION>``, written by :func:`lgresearch.datasets._generate.generate`
        the first time it is asked for (a few hundred KB; atomic, so parallel callers never see half a folder).

    Examples
    --------
    >>> external_dir().name.startswith("external")
    True
    """
    target = paths.cache_dir("samples") / f"external-v{SAMPLES_VERSION}"
    if target.is_dir():
        return target
    tmp = Path(tempfile.mkdtemp(prefix="external-", dir=target.parent))
    try:
        _generate.generate(tmp)
        os.replace(tmp, target)
    except OSError:  # another process finished first: keep its copy
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def user_dir() -> Path:
    """Return the folder of sample user files (an invented designation list and an invented deal export).

    Returns
    -------
    pathlib.Path
        ``lgresearch/datasets/samples/user`` (package data).

    Examples
    --------
    >>> sorted(p.suffix for p in user_dir().iterdir())
    ['.csv', '.csv']
    """
    root = resources.files("lgresearch.datasets").joinpath("samples", "user")
    if not isinstance(root, Path):  # imported from a zip: the package data is not a folder
        raise RuntimeError("lgresearch.datasets needs the package installed as files, not in a zip archive")
    return root


def names() -> list[str]:
    """Return the names of the sample files (keys of :data:`FILES`).

    Returns
    -------
    list of str
        Names accepted by :func:`path`.

    Examples
    --------
    >>> "stock_prices" in names()
    True
    """
    return list(FILES) + list(USER_FILES)


def path(name: str) -> Path:
    """Return the path of a named sample file.

    Parameters
    ----------
    name : str
        A key of :data:`FILES` or :data:`USER_FILES`, e.g. ``"stock_prices"`` or ``"designation_list"``.

    Returns
    -------
    pathlib.Path
        The file (or folder, for ``"listed_snapshots"``).

    Raises
    ------
    KeyError
        An unknown name (the message lists the known ones).

    Examples
    --------
    >>> path("index_csi300").name
    '000300.SH.csv'
    """
    if name in USER_FILES:
        return user_dir() / USER_FILES[name]
    if name not in FILES:
        raise KeyError(f"no sample named {name!r}; choose from {sorted(names())}")
    return external_dir() / FILES[name]


@contextmanager
def as_external() -> Iterator[Path]:
    """Point ``LGRESEARCH_EXTERNAL_DIR`` at the sample folder inside a ``with`` block (restored afterwards).

    Caches built inside the block are kept apart from those of the real vendor files (they are keyed by the
    external folder).

    Yields
    ------
    pathlib.Path
        The sample folder.

    Examples
    --------
    >>> import os
    >>> before = os.environ.get("LGRESEARCH_EXTERNAL_DIR")
    >>> with as_external() as folder:
    ...     os.environ["LGRESEARCH_EXTERNAL_DIR"] == str(folder)
    True
    >>> os.environ.get("LGRESEARCH_EXTERNAL_DIR") == before
    True
    """
    key = "LGRESEARCH_EXTERNAL_DIR"
    old = os.environ.get(key)
    folder = external_dir()
    os.environ[key] = str(folder)
    try:
        yield folder
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old
