"""lgresearch: research software for China's "Little Giant" (专精特新"小巨人") program.

Modules follow one concern each, and data flows one way: raw → clean → panels → estimates → figures → notebooks.
See the README for the module map.
"""

from lgresearch._version import __version__

__all__ = ["__version__"]
