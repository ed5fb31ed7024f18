"""``python -m smartball`` runs the command line."""

import sys

from smartball.cli import main

sys.exit(main())
