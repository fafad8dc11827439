"""``python -m mhneed.cli``: the command line (as ``python -m mhneed``)."""

from mhneed.cli.run import main

raise SystemExit(main())
