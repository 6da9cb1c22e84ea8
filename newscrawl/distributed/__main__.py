"""``python -m newscrawl.distributed``: see :mod:`newscrawl.distributed.admin`."""

from __future__ import annotations

from newscrawl.distributed.admin import main

raise SystemExit(main())
