"""Sphinx configuration of the report site (copied into .reports-build/src by lgresearch.site).

Sphinx + MyST-NB + the book theme: notebooks are rendered from their executed copies (never executed here), the
API reference comes from the docstrings (autodoc + numpydoc), and the build needs no network.
"""

project = "lgresearch"
author = "lgresearch developers"
html_title = "lgresearch reports"
extensions = ["myst_nb", "sphinx.ext.autodoc", "numpydoc"]

# notebooks arrive executed (lgresearch.runner caches the execution); MyST-NB only renders them
nb_execution_mode = "off"
nb_output_stderr = "remove"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# figures are numbered per report by lgresearch.plotting ("Figure 1." in the caption), not across the site
numfig = False

autodoc_member_order = "bysource"
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
numpydoc_xref_param_type = False

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "show_prev_next": True,
    "navigation_with_keys": False,
    "secondary_sidebar_items": {"**": ["page-toc"], "index": []},
}
html_context = {"default_mode": "light"}
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_css_files = ["lgresearch.css"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
exclude_patterns = ["**.ipynb_checkpoints"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "ref.python", "misc.highlighting_failure",
                     "toc.not_included", "docutils"]
nitpicky = False

# MyST-NB writes notebook outputs to <outdir>/../jupyter_execute by default, i.e. beside reports/ in the
# repository: keep them in the build folder instead (an absolute path replaces the relative default).
import myst_nb.sphinx_ext  # noqa: E402
from pathlib import Path  # noqa: E402

myst_nb.sphinx_ext.OUTPUT_FOLDER = str(Path(__file__).resolve().parent.parent / "jupyter_execute")
