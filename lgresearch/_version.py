"""The package version, in one place: :mod:`lgresearch` and :mod:`lgresearch.paths` both read it from here."""

__version__ = "1.0.0"
