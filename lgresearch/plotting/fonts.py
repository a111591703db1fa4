"""CJK fonts for figures with Chinese labels (optional; labels are English by default)."""

from __future__ import annotations

import glob
import os
import warnings
from pathlib import Path

from lgresearch.plotting.figures import _pyplot

#: Debian/Ubuntu locations of the CJK fonts installed by ``fonts-noto-cjk``, ``fonts-wqy-microhei``,
#: ``fonts-wqy-zenhei``, ``fonts-arphic-*`` and ``fonts-droid-fallback`` (searched in this order).
CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
#: Glob patterns tried after the fixed paths (other distributions, user fonts).
CJK_FONT_GLOBS = ("/usr/share/fonts/**/*CJK*", "/usr/share/fonts/**/wqy*", "~/.local/share/fonts/**/*CJK*",
                  "~/.fonts/**/*CJK*")
#: Environment variable naming a CJK font file to use first.
CJK_FONT_ENV = "LGRESEARCH_CJK_FONT"


class MissingCJKFontWarning(UserWarning):
    """No CJK font found: Chinese characters would render as empty boxes."""


def find_cjk_font(candidates: list[str] | tuple[str, ...] | None = None) -> str | None:
    """Return the path of the first installed CJK font, or ``None``.

    Parameters
    ----------
    candidates : sequence of str, optional
        Font files to try (default: ``$LGRESEARCH_CJK_FONT``, :data:`CJK_FONT_PATHS`, then :data:`CJK_FONT_GLOBS`).

    Returns
    -------
    str or None
        Path of the first font file that exists, or ``None`` when none is installed.

    Examples
    --------
    >>> find_cjk_font(["/nonexistent/font.ttc"]) is None
    True
    """
    if candidates is None:
        env = os.environ.get(CJK_FONT_ENV)
        paths = ([env] if env else []) + list(CJK_FONT_PATHS)
        for pattern in CJK_FONT_GLOBS:
            paths.extend(sorted(glob.glob(os.path.expanduser(pattern), recursive=True)))
    else:
        paths = list(candidates)
    for p in paths:
        if p and Path(p).is_file():
            return str(p)
    return None


def use_cjk_font(candidates: list[str] | tuple[str, ...] | None = None) -> str | None:
    """Register a CJK font with matplotlib and put it first in ``font.sans-serif``; warn clearly when none exists.

    Labels stay English by default; call this only when a figure must show Chinese text.

    Parameters
    ----------
    candidates : sequence of str, optional
        Font files to try (see :func:`find_cjk_font`).

    Returns
    -------
    str or None
        The registered font family name, or ``None`` (after a :class:`MissingCJKFontWarning`) when no CJK font
        is installed.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     use_cjk_font(["/nonexistent/font.ttc"])
    >>> "fonts-noto-cjk" in str(w[0].message)
    True
    """
    from matplotlib import font_manager

    path = find_cjk_font(candidates)
    if path is None:
        warnings.warn(
            "No CJK font found: Chinese characters will render as empty boxes. Install one with "
            "`apt-get install fonts-noto-cjk` (or the lighter `fonts-wqy-microhei`), or set "
            f"{CJK_FONT_ENV} to a .ttf/.ttc/.otf file. Figures keep English (pinyin) labels.",
            MissingCJKFontWarning,
            stacklevel=2,
        )
        return None
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    plt = _pyplot()
    current = [f for f in plt.rcParams["font.sans-serif"] if f != name]
    plt.rcParams["font.sans-serif"] = [name, *current]
    plt.rcParams["font.family"] = ["sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    return name


#: Every public name of this module.
__all__ = ["CJK_FONT_ENV", "CJK_FONT_GLOBS", "CJK_FONT_PATHS", "find_cjk_font", "MissingCJKFontWarning",
           "use_cjk_font"]
