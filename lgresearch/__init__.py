"""lgresearch: research software for China's "Little Giant" (专精特新"小巨人") program.

Modules follow one concern each, and data flows one way: raw → clean → panels → estimates → figures → notebooks.
See the README for the module map.
"""

__version__ = "1.0.0"
