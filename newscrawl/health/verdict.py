"""A run's health from its stats: the cron entry point's exit status.

The verdict is the Spidermon monitor suite's (:mod:`newscrawl.health.monitors`),
recorded in the stats as ``newscrawl/monitors/failed``. When Spidermon is off
(``SPIDERMON_ENABLED=False``) the same essentials are checked here: finish
reason ``finished``, at most ``SPIDERMON_MAX_ERRORS`` errors, and article pages
fetched must give items. A run with nothing new is healthy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawl.health import stats as names

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class Verdict:
    healthy: bool
    reason: str


def _summary(stats: dict[str, Any]) -> str:
    """
    >>> _summary({"item_scraped_count": 7, "newscrawl/exported/updated": 2, "downloader/request_count": 9,
    ...           "newscrawl/run/path": "sitemap"})
    '7 items exported (5 new, 2 updated), 0 dropped, 0 known articles skipped; 9 requests, path sitemap'
    """
    items = stats.get(names.ITEMS_SCRAPED, 0)
    updated = stats.get(names.EXPORTED_UPDATED, 0)
    return (
        f"{items} items exported ({items - updated} new, {updated} updated), "
        f"{stats.get(names.ITEMS_DROPPED, 0)} dropped, "
        f"{stats.get(names.SKIPPED_KNOWN, 0)} known articles skipped; "
        f"{stats.get(names.REQUESTS, 0)} requests, path {stats.get(names.RUN_PATH, '?')}"
    )


def judge(stats: dict[str, Any], settings: BaseSettings) -> Verdict:
    """
    >>> from scrapy.settings import Settings
    >>> judge({"finish_reason": "finished", "item_scraped_count": 3}, Settings({"SPIDERMON_MAX_ERRORS": 0})).reason
    'healthy: 3 items exported (3 new, 0 updated), 0 dropped, 0 known articles skipped; 0 requests, path ?'
    >>> judge({"finish_reason": "shutdown"}, Settings()).reason
    "unhealthy: finish reason 'shutdown', not 'finished'"
    >>> judge({"newscrawl/monitors/failed": ["Extraction: no valid item"], "newscrawl/monitors/passed": 5}, Settings()).reason
    'unhealthy: 1 of 6 monitors failed: Extraction: no valid item'
    """
    failed = stats.get(names.MONITORS_FAILED)
    if failed is not None:
        if failed:
            total = len(failed) + stats.get(names.MONITORS_PASSED, 0)
            return Verdict(False, f"unhealthy: {len(failed)} of {total} monitors failed: {'; '.join(failed)}")
        return Verdict(True, f"healthy: {_summary(stats)}")
    reason = stats.get(names.FINISH_REASON)
    if reason != "finished":
        return Verdict(False, f"unhealthy: finish reason {reason!r}, not 'finished'")
    errors = stats.get(names.ERRORS_LOGGED, 0)
    max_errors = settings.getint("SPIDERMON_MAX_ERRORS")
    if errors > max_errors:
        return Verdict(False, f"unhealthy: {errors} errors logged (SPIDERMON_MAX_ERRORS={max_errors})")
    fetched = stats.get(names.ARTICLES_FETCHED, 0)
    if fetched and not stats.get(names.ITEMS_SCRAPED, 0) and not stats.get(names.ITEMS_DROPPED, 0):
        return Verdict(False, f"unhealthy: {fetched} article pages fetched but no items extracted")
    return Verdict(True, f"healthy: {_summary(stats)}")
