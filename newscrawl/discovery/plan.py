"""What a run asks the site first: the news sitemap alone (the cron fast path), or the listings.

The news sitemap (``/RSS/GoogleNews``) lists, in one request, every article
created in about the last two days with its ``lastmod``: new articles and
articles editors changed since. A run that follows a finished run by less than
``NEWSCRAWL_SITEMAP_MAX_GAP_HOURS`` needs nothing else, except a safety net
when no run of the last ``NEWSCRAWL_LISTINGS_EVERY_MINUTES`` paged the listings:
the first page of every label listing and of the archive API (which pages on
only while it shows articles neither the sitemap nor an earlier run brought).

Every other run (the first one, a backfill; a run after a long pause or after an
unfinished run; ``-a mode=full``) takes the listings path: every channel.
A run on the fast path whose sitemap is missing, unreadable or empty falls back
to the listings (``fallback``), and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

SITEMAP_ONLY, SITEMAP_AND_LISTINGS, LISTINGS, FALLBACK = "sitemap", "sitemap+listings", "listings", "fallback"
PAGED_LISTINGS = frozenset({SITEMAP_AND_LISTINGS, LISTINGS, FALLBACK})


@dataclass(frozen=True, slots=True)
class Plan:
    path: str  # SITEMAP_ONLY, SITEMAP_AND_LISTINGS or LISTINGS (FALLBACK is decided during the run)
    why: str
    last_started: str | None = None  # the last finished run's start (UTC, the feed's form)

    @property
    def fast(self) -> bool:
        return self.path in (SITEMAP_ONLY, SITEMAP_AND_LISTINGS)


def _started(run: dict[str, Any]) -> datetime | None:
    try:
        return datetime.strptime(str(run.get("started")), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def plan_run(
    runs: list[dict[str, Any]],
    now: datetime,
    *,
    full: bool,
    fast_path: bool = True,
    max_gap: timedelta = timedelta(hours=24),
    listings_every: timedelta = timedelta(hours=1),
) -> Plan:
    """The path of a run, given earlier runs (newest first) and ``now``.

    >>> now = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    >>> plan_run([], now, full=False).why
    'no finished run before: a backfill'
    >>> ran = [{"started": "2026-01-02T11:30:00Z", "finish_reason": "finished", "path": "listings"}]
    >>> plan_run(ran, now, full=False)
    Plan(path='sitemap', why='the last finished run started 30 min ago', last_started='2026-01-02T11:30:00Z')
    >>> plan_run([{**ran[0], "path": "sitemap"}], now, full=False).path
    'sitemap+listings'
    >>> plan_run([{**ran[0], "started": "2025-12-30T11:30:00Z"}], now, full=False).why
    'the last finished run started 72 h ago, more than the sitemap reaches back (24 h)'
    >>> plan_run(ran, now, full=True).path
    'listings'
    """
    if full:
        return Plan(LISTINGS, "every listing to its end (-a mode=full, or an unfinished run's gaps to fill)")
    if not fast_path:
        return Plan(LISTINGS, "NEWSCRAWL_SITEMAP_FAST_PATH is off")
    finished = [r for r in runs if r.get("finish_reason") == "finished" and _started(r) is not None]
    if not finished:
        return Plan(LISTINGS, "no finished run before: a backfill")
    last = _started(finished[0])
    assert last is not None
    gap = now - last
    if gap > max_gap:
        return Plan(
            LISTINGS,
            f"the last finished run started {gap.total_seconds() / 3600:.0f} h ago, more than the sitemap"
            f" reaches back ({max_gap.total_seconds() / 3600:.0f} h)",
        )
    started = str(finished[0]["started"])
    recent = [r for r in runs if (s := _started(r)) is not None and now - s < listings_every]
    if not any(r.get("path") in PAGED_LISTINGS for r in recent):
        return Plan(SITEMAP_AND_LISTINGS, f"no run paged the listings in the last {listings_every}", started)
    return Plan(
        SITEMAP_ONLY, f"the last finished run started {gap.total_seconds() / 60:.0f} min ago", started
    )
