"""清科私募通 (Zero2IPO / PEdata) investment-event exports.

Both forms are read: the merged export (``invest_with_treatment.xlsx``, header on row 1) and the raw yearly
``.xls`` as delivered (``2023.xls``, blank title rows above the header on row 4). One input row is one investor in
one deal; rows are collapsed into events by (firm, date, round): disclosed amounts are summed (the amount is what
the *listed* investors put in, which in a guidance-fund export is not necessarily the whole round), and the event's
valuation (企业估值, the vendor's implied post-money = amount ÷ stake) is kept.

Columns used (``投资金额(M)`` etc. are millions):

=================  ================================================================================
canonical field    私募通 column
=================  ================================================================================
firm_name          融资主体 (registered name; 不披露 when the vendor hides the firm)
short_name         企业
location           地区 (中国|省|市|区)
industry_vendor    行业(清科)
industry_gb        行业(国标)
date               投资时间
round              轮次
investment_type    投资类型
currency           投资币种
amount             投资金额(M) (reported currency)
amount_cny         投资金额(RMB/M) (vendor conversion; used when present)
stake_pct          股权%
post_money_cny     企业估值(RMB/M)
investor           投资方 (display name, fund in 【】)
investor_id        投资方全称 + 基金全称 (for duplicate detection)
listed_exchange    上市交易所
=================  ================================================================================

Parsed files are cached under ``data/processed/cache/`` keyed by the file's SHA-256 and the reader version, so a
changed input (or reader) is re-read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from lgresearch import paths, sources
from lgresearch.deals_readers.core import DealMapping, finalize_events, read_with_mapping
from lgresearch.ledger import Ledger
from lgresearch.provenance import mark_real

__all__ = [
    "READER_VERSION", "DEFAULT_PARTS", "SOURCE_LINE", "ZERO2IPO_MAPPING", "file_checksum", "cache_dir",
    "read_zero2ipo_uncached", "read_zero2ipo_cached", "default_path",
]


#: Bump when parsing changes: invalidates cached parses.
READER_VERSION = "2"
#: Default location of the export inside the third-party data directory.
DEFAULT_PARTS = sources.parts("zero2ipo")
#: Provenance line (English only: it is printed under figures).
SOURCE_LINE = ("Zero2IPO/PEdata (Qingke Simutong) investment events with a government guidance fund, "
               "export republished in github.com/muweiabc/govfund")

ZERO2IPO_MAPPING = DealMapping(
    columns={
        "firm_name": "融资主体",
        "short_name": "企业",
        "location": "地区",
        "industry_vendor": "行业(清科)",
        "industry_gb": "行业(国标)",
        "date": "投资时间",
        "round": "轮次",
        "investment_type": "投资类型",
        "currency": "投资币种",
        "amount": "投资金额(M)",
        "amount_cny": "投资金额(RMB/M)",
        "stake_pct": "股权%",
        "post_money_cny": "企业估值(RMB/M)",
        "investor": "投资方",
        "investor_id": ["投资方全称", "基金全称"],
        "listed_exchange": "上市交易所",
    },
    source="zero2ipo",
    amount_unit="M",
    valuation_unit="M",
    investor_level=True,
    location_sep="|",
    location_has_country=True,
    valuation_is="check",
    description="清科私募通 investment events (one row per investor)",
    optional=("short_name", "location", "industry_vendor", "industry_gb", "investment_type", "currency", "amount",
              "amount_cny", "stake_pct", "post_money_cny", "investor", "investor_id", "listed_exchange"),
)


def file_checksum(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex).

    Parameters
    ----------
    path : str or Path
        The file to hash.

    Returns
    -------
    str
        The SHA-256 hex digest of the file.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.bin"); _ = open(p, "wb").write(b"abc")
    >>> file_checksum(p)[:12]
    'ba7816bf8f01'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cache_dir() -> Path:
    """Folder of cached parses (``data/processed/cache``).

    Returns
    -------
    Path
        The cache folder.

    Examples
    --------
    >>> cache_dir().name
    'cache'
    """
    d = paths.processed_dir() / "cache"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _cache_paths(path: Path, digest: str) -> tuple[Path, Path]:
    stem = f"zero2ipo-{path.stem}-{digest[:16]}-v{READER_VERSION}"
    d = cache_dir()
    return d / f"{stem}.events.parquet", d / f"{stem}.ledger.parquet"


def _from_parquet(events_file: Path, ledger_file: Path) -> tuple[pd.DataFrame, Ledger]:
    events = pd.read_parquet(events_file)
    events["investors"] = events["investors"].map(lambda v: [str(x) for x in v] if v is not None else [])
    events["source_rows"] = events["source_rows"].map(lambda v: [int(x) for x in v])
    led = Ledger.from_frame(pd.read_parquet(ledger_file))
    return finalize_events(events), led


def read_zero2ipo_uncached(path: str | Path, *, as_of: str | pd.Timestamp | None = None
                           ) -> tuple[pd.DataFrame, Ledger]:
    """Parse a 私募通 export without touching the cache; returns ``(events, ledger)``.

    Parameters
    ----------
    path : str or Path
        A 清科 export (or a folder of its parts).
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    (DataFrame, Ledger)
        The events and the row ledger.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "z.csv")
    >>> head = "融资主体,企业,地区,投资时间,轮次,投资币种,投资金额(M),股权%,企业估值(RMB/M),投资方"
    >>> _ = open(p, "w", encoding="utf-8").write(head + "\\n甲科技有限公司,甲,中国|浙江省|杭州市,2021-03-15,A,RMB,"
    ...                                          "20.00,5.00,400.00,X资本\\n")
    >>> ev, led = read_zero2ipo_uncached(p)
    >>> ev[["post_money_cny", "valuation_basis", "province"]].values.tolist()
    [[400000000.0, 'implied', '浙江']]
    """
    events, led = read_with_mapping(path, ZERO2IPO_MAPPING, as_of=as_of,
                                    header_names=["融资主体", "投资时间", "轮次", "企业", "投资方"])
    return events, led


def read_zero2ipo_cached(path: str | Path, *, cache: bool = True, as_of: str | pd.Timestamp | None = None
                         ) -> tuple[pd.DataFrame, Ledger]:
    """Parse (or load from cache) a 私募通 export; returns ``(events, ledger)`` marked as real data.

    The cache lives in ``data/processed/cache`` (or ``$LGRESEARCH_PROCESSED_DIR/cache``), keyed by the file's
    SHA-256 and :data:`READER_VERSION`; ``events.attrs["cache"]`` says ``"hit"`` or ``"miss"``.

    Parameters
    ----------
    path : str or Path
        A 清科 export (or a folder of its parts).
    cache : bool
        Use (and fill) the checksum-keyed cache.
    as_of : date, optional
        Reference date for reading partial dates and checking recency (default: today).

    Returns
    -------
    (DataFrame, Ledger)
        The events and the row ledger.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "z.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("融资主体,投资时间,轮次\\n甲科技有限公司,2021-03-15,A\\n")
    >>> read_zero2ipo_cached(p)[0].attrs["cache"] in {"miss", "hit"}  # "hit" if this content was parsed before
    True
    >>> read_zero2ipo_cached(p)[0].attrs["cache"]
    'hit'
    >>> read_zero2ipo_cached(p, cache=False)[0].attrs["cache"]
    'miss'
    """
    path = Path(path)
    hit = False
    if not cache or as_of is not None:
        events, led = read_zero2ipo_uncached(path, as_of=as_of)
    else:
        digest = file_checksum(path)
        ev_file, led_file = _cache_paths(path, digest)
        if ev_file.exists() and led_file.exists():
            try:
                events, led = _from_parquet(ev_file, led_file)
                hit = True
            except Exception:  # a corrupt cache is rebuilt, never trusted
                events, led = read_zero2ipo_uncached(path)
                _write_cache(path, events, led, ev_file, led_file)
        else:
            events, led = read_zero2ipo_uncached(path)
            _write_cache(path, events, led, ev_file, led_file)
    events = mark_real(events, f"{SOURCE_LINE} ({path.name})")
    events.attrs["ledger_summary"] = led.summary()
    events.attrs["cache"] = "hit" if hit else "miss"
    return events, led


def _write_cache(path: Path, events: pd.DataFrame, led: Ledger, ev_file: Path, led_file: Path) -> None:
    for old in cache_dir().glob(f"zero2ipo-{path.stem}-*.parquet"):
        old.unlink(missing_ok=True)
    plain = events.copy()
    plain.attrs = {}
    plain.to_parquet(ev_file, index=False)
    led.frame().to_parquet(led_file, index=False)


def default_path() -> Path:
    """``<external>/muweiabc__govfund/invest_with_treatment.xlsx`` (may not exist).

    Returns
    -------
    Path
        The default location of the export.

    Examples
    --------
    >>> default_path().name
    'invest_with_treatment.xlsx'
    """
    return paths.external_path(*DEFAULT_PARTS)
