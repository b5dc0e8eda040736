"""``python -m natbacc``."""

import sys

from natbacc.cli import main

sys.exit(main())
