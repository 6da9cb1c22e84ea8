"""A run's health from its stats: the cron entry point's exit status.

Unhealthy when the run did not finish (finish reason other than
``finished``), when it logged more errors than ``NEWSCRAWL_MAX_ERRORS``
(default 0), or when article pages were fetched but no item came out of them
(the signature of a markup change). A run with nothing new is healthy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class Verdict:
    healthy: bool
    reason: str


def judge(stats: dict[str, Any], settings: BaseSettings) -> Verdict:
    """
    >>> from scrapy.settings import Settings
    >>> judge({"finish_reason": "finished", "item_scraped_count": 3}, Settings()).reason
    'healthy: 3 items exported, 0 dropped, 0 known articles skipped'
    >>> judge({"finish_reason": "shutdown"}, Settings()).reason
    "unhealthy: finish reason 'shutdown', not 'finished'"
    """
    reason = stats.get("finish_reason")
    if reason != "finished":
        return Verdict(False, f"unhealthy: finish reason {reason!r}, not 'finished'")
    errors = stats.get("log_count/ERROR", 0)
    max_errors = settings.getint("NEWSCRAWL_MAX_ERRORS", 0)
    if errors > max_errors:
        return Verdict(False, f"unhealthy: {errors} errors logged (NEWSCRAWL_MAX_ERRORS={max_errors})")
    fetched = stats.get("newscrawl/articles/fetched", 0)
    items = stats.get("item_scraped_count", 0)
    dropped = stats.get("item_dropped_count", 0)
    if fetched and not items and not dropped:
        return Verdict(False, f"unhealthy: {fetched} article pages fetched but no items extracted")
    skipped = stats.get("incremental/skipped_known", 0)
    return Verdict(
        True, f"healthy: {items} items exported, {dropped} dropped, {skipped} known articles skipped"
    )
