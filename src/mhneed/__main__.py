"""``python -m mhneed``: the command line."""

from mhneed.cli import main

raise SystemExit(main())
