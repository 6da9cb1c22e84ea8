"""Scrapy's ``parse`` and ``check`` for this project (``COMMANDS_MODULE``).

Both are for looking at the spider, not for crawling: they keep no state, write
no feed and judge nothing (:func:`throwaway`), so they never add a run record
to the real state or a report to the real logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

THROWAWAY = {
    "NEWSCRAWL_STATE_URI": "memory:",
    "NEWSCRAWL_FEED_ENABLED": False,
    "SPIDERMON_ENABLED": False,
    "NEWSCRAWL_PROGRESS_SECONDS": 0,
}


def throwaway(settings: BaseSettings) -> None:
    """A state and outputs nothing keeps; what ``-s`` says on the command line still wins."""
    for name, value in THROWAWAY.items():
        if (settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
            settings.set(name, value, priority="cmdline")
