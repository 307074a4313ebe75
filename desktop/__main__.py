"""``python -m desktop``: the same as the ``shopdesk`` command."""

from desktop.cli import main

raise SystemExit(main())
