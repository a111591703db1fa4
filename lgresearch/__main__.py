"""``python -m lgresearch …`` is the same as the ``lgresearch`` console script."""

import sys

from lgresearch.cli import main

sys.exit(main())
