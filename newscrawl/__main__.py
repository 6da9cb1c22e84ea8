"""``python -m newscrawl``: the ``newscrawl`` command (:mod:`newscrawl.cli`)."""

from __future__ import annotations

from newscrawl.cli import main

raise SystemExit(main())
