"""`python -m cdss ...`: see cdss.cli."""

import sys

from cdss.cli import main

sys.exit(main())
