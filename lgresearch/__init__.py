"""lgresearch: research software for China's "Little Giant" (专精特新"小巨人") program.

Modules follow one concern each, and data flows one way, in layers: foundation ← clean ← readers ← panels ←
estimators ← analyses ← application ← notebooks (``docs/architecture.md``). See the README for the module map.
"""

from lgresearch import stata as _stata  # noqa: F401 - registers the ``DataFrame.lgresearch`` accessor (to_stata, to_plain)
from lgresearch._version import __version__

__all__ = ["__version__"]
