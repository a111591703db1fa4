"""Pure, vectorised cleaners shared by all readers: company names, regions, money, rounds, dates, batches, USCC."""
from lgresearch.clean.batches import parse_batch  # noqa: F401
from lgresearch.clean.names import core_name, normalize_company_name  # noqa: F401
from lgresearch.clean.regions import normalize_region, normalize_regions, region_status  # noqa: F401
from lgresearch.clean.money import parse_money, to_cny  # noqa: F401
from lgresearch.clean.rounds import normalize_round  # noqa: F401
from lgresearch.clean.dates import parse_date  # noqa: F401
from lgresearch.clean.uscc import normalize_uscc, uscc_status, validate_uscc  # noqa: F401

__all__ = [
    "core_name", "normalize_company_name", "normalize_region", "normalize_regions", "region_status", "parse_money",
    "to_cny", "normalize_round", "parse_date", "normalize_uscc", "uscc_status", "validate_uscc", "parse_batch",
]
