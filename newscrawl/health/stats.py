"""Every stat name the project writes or reads, in one place.

Scrapy's stats are a flat dict of slash-namespaced names. Each name here is
written by exactly one component and read by the monitors, the report, the
verdict or the run record; a typo would be a silently empty stat, so no
module spells a name itself. Names that take a part (a reason, a channel, a
field) are small functions.

>>> dropped("truncated")
'newscrawl/dropped/truncated'
>>> channel("sitemap", "requests")
'newscrawl/channel/sitemap/requests'
"""

from __future__ import annotations

# -- Scrapy's own, read here -------------------------------------------------
ITEMS_SCRAPED = "item_scraped_count"
ITEMS_DROPPED = "item_dropped_count"
REQUESTS = "downloader/request_count"
RESPONSES = "response_received_count"
RETRIES = "retry/count"
ERRORS_LOGGED = "log_count/ERROR"
FINISH_REASON = "finish_reason"
START_TIME = "start_time"
FINISH_TIME = "finish_time"


def response_status(code: int) -> str:
    return f"downloader/response_status_count/{code}"


# -- the run (spider) ---------------------------------------------------------
RUN_PATH = "newscrawl/run/path"  # newscrawl.discovery.plan: what the run asked first
RUN_PATH_WHY = "newscrawl/run/path_why"
RUN_FALLBACK = "newscrawl/run/fallback"  # why the fast path fell back to the listings
SAFETY_NET_FOUND = "newscrawl/run/safety_net_found"
RUN_BASE_URL = "newscrawl/run/base_url"  # the site crawled
RUN_WORKER = "newscrawl/run/worker"  # this worker's id, when it has one

# -- pages --------------------------------------------------------------------
ARTICLES_FETCHED = "newscrawl/articles/fetched"
LISTING_PAGES = "newscrawl/listing/pages"
LISTING_NOT_TEXT = "newscrawl/listing/not_text"
REFETCHED_MODIFIED = "newscrawl/refetched/modified"  # exported articles asked again: changed since
LINKS_ASKED_ALREADY = "newscrawl/links/asked_already"  # links to articles this crawl asked for: not yielded
SKIPPED_ROBOTS = "newscrawl/skipped/robots_forbidden"
RETRY_AFTER_WAITS = "newscrawl/retry_after/waits"
RETRY_AFTER_SECONDS = "newscrawl/retry_after/seconds"
TRUNCATED_RETRY_REASON = "truncated_page"  # retry/reason_count/<this>, by get_retry_request


def failed(reason: str) -> str:
    """A request that failed for good (after retries), by reason."""
    return f"newscrawl/failed/{reason}"


def dropped(reason: str) -> str:
    """A page or item that gives no export for good, by reason."""
    return f"newscrawl/dropped/{reason}"


def extract_invalid(field: str) -> str:
    """A field extraction found but could not read (its problem logged with the page)."""
    return f"newscrawl/extract/{field}_invalid"


DROPPED_PREFIX = "newscrawl/dropped/"
FAILED_PREFIX = "newscrawl/failed/"
EXTRACT_PREFIX = "newscrawl/extract/"
INVALID_DROP_PREFIXES = (DROPPED_PREFIX + "missing_", DROPPED_PREFIX + "schema_invalid")

# -- field coverage of extracted items (the spider counts, the monitors judge) ----
COVERAGE_PREFIX = "newscrawl/coverage/"
COVERAGE_ITEMS = COVERAGE_PREFIX + "_items"


def coverage(field: str) -> str:
    return COVERAGE_PREFIX + field


# -- validation and dedupe (pipelines) ----------------------------------------
VALIDATION_ITEMS = "newscrawl/validation/items"
VALIDATION_INVALID = "newscrawl/validation/invalid"


def null_date(field: str) -> str:
    return f"newscrawl/items/{field}_null"


def dedupe(reason: str) -> str:
    """An item dedupe dropped: url, headline, stale_revision, unchanged."""
    return f"dedupe/{reason}"


DEDUPE_PREFIX = "dedupe/"
REVISIONS_EXPORTED = "dedupe/revisions_exported"
EXPORTED_NEW = "newscrawl/exported/new"
EXPORTED_UPDATED = "newscrawl/exported/updated"  # editors' updates, exported again
EXPORTED_LABEL_PREFIX = "newscrawl/exported/label/"
EXPORTED_HOUR_PREFIX = "newscrawl/exported/hour/"
FRESHNESS_NEWEST = "newscrawl/freshness/newest_published"  # the newest published_at exported
FRESHNESS_LAG_P50 = "newscrawl/freshness/lag_p50_seconds"  # publication to export, new articles
FRESHNESS_LAG_P95 = "newscrawl/freshness/lag_p95_seconds"

# -- incremental (spider middleware) --------------------------------------------
SKIPPED_KNOWN = "incremental/skipped_known"  # distinct articles earlier runs settled, not fetched
SKIPPED_KNOWN_LINKS = "incremental/skipped_known_links"  # requests for them (an article is linked often)
LISTINGS_STOPPED = "incremental/listings_stopped"

# -- feed (pipeline) --------------------------------------------------------------
FEED_ITEMS = "newscrawl/feed/items"
FEED_PATH = "newscrawl/feed/path"
FEED_RECOVERED_FILES = "newscrawl/feed/recovered_files"
FEED_RECOVERED_ITEMS = "newscrawl/feed/recovered_items"
FEED_TORN_LINES = "newscrawl/feed/torn_lines"
FEED_WRITE_FAILED = "newscrawl/feed/write_failed"  # the file and the error: the run stopped there
FEED_WRITE_FAILED_AT_REQUEST = "newscrawl/feed/write_failed_at_request"  # downloader requests by then

# -- discovery channels (newscrawl.discovery.channels) ------------------------------
CHANNEL_PREFIX = "newscrawl/channel/"
CHANNELS_BROKEN = "newscrawl/channels/broken"  # one "channel: why" line per break
SITEMAP_EMPTY = "newscrawl/channel/sitemap/empty"
ARCHIVE_COMPLETE = "newscrawl/archive/complete"  # 1 covered, 0 not, absent: not asked for
ARCHIVE_HOW = "newscrawl/archive/how"  # what covered it, or why not
COMPLETENESS_LISTED = "newscrawl/completeness/listed"
COMPLETENESS_UNREACHED = "newscrawl/completeness/unreached"
COMPLETENESS_UNREACHED_IDS = "newscrawl/completeness/unreached_ids"


def channel(name: str, counter: str) -> str:
    """requests, listed, exported or broken of one channel."""
    return f"{CHANNEL_PREFIX}{name}/{counter}"


# -- the id walk ----------------------------------------------------------------------
ID_WALK_TOP = "newscrawl/id_walk/top"
ID_WALK_CHAINS_STARTED = "newscrawl/id_walk/chains_started"
ID_WALK_MISSING = "newscrawl/id_walk/missing"
ID_WALK_SKIPPED_MISSING = "newscrawl/id_walk/skipped_missing"
ID_WALK_MISSES_NOT_REMEMBERED = "newscrawl/id_walk/misses_not_remembered"


def id_walk_chain_ended(reason: str) -> str:
    return f"newscrawl/id_walk/chains_ended/{reason}"


def id_walk_answered(status: int) -> str:
    """Probe responses that said "missing" (500 or 404), retried ones included."""
    return f"newscrawl/id_walk/answered_{status}"


# -- health (monitors, report) ------------------------------------------------------------
MONITORS_PASSED = "newscrawl/monitors/passed"
MONITORS_FAILED = "newscrawl/monitors/failed"  # one "Monitor: reason" line each
REPORT_PATH = "newscrawl/report/path"
