"""Scrapy settings for newscrawl, polite by default for the live site.

Every project setting is named ``NEWSCRAWL_*``, has its default here and only
here (components read it with typed getters and no default of their own), is
documented in the README, and can be set with ``-s NAME=VALUE`` or an
environment variable of the same name (``-s`` wins).
"""

from __future__ import annotations

import os
import warnings

from newscrawl import __version__

# Spidermon 1.27 reports through Spider.log(), deprecated in Scrapy 2.19: one
# warning in every run's log that says nothing about the crawl.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", module="spidermon")


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


# --- newscrawl ---------------------------------------------------------------
NEWSCRAWL_CONTACT_URL = _env("NEWSCRAWL_CONTACT_URL", "https://github.com/newscrawl/newscrawl")
NEWSCRAWL_FEED_DIR = _env("NEWSCRAWL_FEED_DIR", "feeds")  # <dir>/<spider>/<run start>.jsonl
NEWSCRAWL_FEED_ENABLED = _env("NEWSCRAWL_FEED_ENABLED", "1")
NEWSCRAWL_FEED_GZIP = _env("NEWSCRAWL_FEED_GZIP", "0")  # write .jsonl.gz
NEWSCRAWL_DEDUPE_WINDOW_HOURS = _env("NEWSCRAWL_DEDUPE_WINDOW_HOURS", "72")
NEWSCRAWL_DEDUPE_MIN_SIMILARITY = _env("NEWSCRAWL_DEDUPE_MIN_SIMILARITY", "0.5")
NEWSCRAWL_FEED_SYNC_ITEMS = _env("NEWSCRAWL_FEED_SYNC_ITEMS", "50")  # fsync + state commit batch
NEWSCRAWL_STATE_URI = _env("NEWSCRAWL_STATE_URI", "sqlite:///.newscrawl/state.sqlite")  # redis://, memory:
NEWSCRAWL_INCREMENTAL = _env("NEWSCRAWL_INCREMENTAL", "1")  # skip known articles, stop paging early
NEWSCRAWL_STOP_AFTER_KNOWN_PAGES = _env("NEWSCRAWL_STOP_AFTER_KNOWN_PAGES", "1")
# The cron fast path (newscrawl/discovery/plan.py): the news sitemap, and a safety net.
NEWSCRAWL_SITEMAP_FAST_PATH = _env("NEWSCRAWL_SITEMAP_FAST_PATH", "1")
NEWSCRAWL_SITEMAP_MAX_GAP_HOURS = _env("NEWSCRAWL_SITEMAP_MAX_GAP_HOURS", "24")  # since the last finished run
NEWSCRAWL_LISTINGS_EVERY_MINUTES = _env(
    "NEWSCRAWL_LISTINGS_EVERY_MINUTES", "60"
)  # label listings' first page
# The id walk (the archive when its API is broken; newscrawl/discovery/idwalk.py).
NEWSCRAWL_ID_WALK_CHAINS = _env("NEWSCRAWL_ID_WALK_CHAINS", "8")  # probes in flight
NEWSCRAWL_ID_WALK_MAX_MISSES = _env("NEWSCRAWL_ID_WALK_MAX_MISSES", "50")  # missing in a row, per chain
NEWSCRAWL_ID_WALK_STOP_AFTER_KNOWN = _env("NEWSCRAWL_ID_WALK_STOP_AFTER_KNOWN", "5")  # incremental runs
NEWSCRAWL_LOG_DIR = _env("NEWSCRAWL_LOG_DIR", "logs")  # cron logs and run reports
NEWSCRAWL_PROGRESS_SECONDS = _env("NEWSCRAWL_PROGRESS_SECONDS", "60")  # a progress line in the log; 0 off
NEWSCRAWL_DATASET_DIR = _env(
    "NEWSCRAWL_DATASET_DIR", "dataset"
)  # Parquet + DuckDB; cron adds each feed; "" off
NEWSCRAWL_LOCK_FILE = _env("NEWSCRAWL_LOCK_FILE", ".newscrawl/cron.lock")
NEWSCRAWL_REPORT_FILE = _env("NEWSCRAWL_REPORT_FILE", "")  # default: the log's name with .html

# --- health (see newscrawl/health/monitors.py) ---------------------------------
# Share of extracted items that must have each field; the replica, like the site,
# has about 1% pages with broken dates or no body, hence 98% rather than 100%.
NEWSCRAWL_FIELD_COVERAGE = _env(
    "NEWSCRAWL_FIELD_COVERAGE",
    '{"url": 1.0, "article_id": 1.0, "title": 1.0, "body": 0.98, "published_at": 0.97,'
    ' "agency": 0.95, "label": 0.95, "description": 0.95, "content_type": 1.0, "image_url": 0.5}',
)
NEWSCRAWL_COVERAGE_MIN_ITEMS = _env("NEWSCRAWL_COVERAGE_MIN_ITEMS", "50")  # smaller runs: not judged
NEWSCRAWL_MAX_INVALID_RATIO = _env("NEWSCRAWL_MAX_INVALID_RATIO", "0.05")
NEWSCRAWL_MIN_VALID_RATIO = _env("NEWSCRAWL_MIN_VALID_RATIO", "0.5")
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("newscrawl.health.monitors.CloseMonitorSuite",)
SPIDERMON_MAX_ERRORS = 0  # errors a healthy run may log
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
# Transient errors are retried; a run is unhealthy when a fifth of responses are errors.
SPIDERMON_UNWANTED_HTTP_CODES = {
    code: {"max_percentage": 0.2} for code in (400, 403, 407, 429, 500, 502, 503, 504, 523, 540, 541)
}

# --- identity ----------------------------------------------------------------
BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"  # parse and check with a throwaway state
SPIDER_CONTRACTS = {"newscrawl.contracts.ArticlePathContract": 10}
USER_AGENT = f"newscrawl/{__version__} (+{NEWSCRAWL_CONTACT_URL}) NewscrawlBot"

# --- politeness (the live site) -----------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 3
NEWSCRAWL_RETRY_AFTER_MAX = _env("NEWSCRAWL_RETRY_AFTER_MAX", "60")  # cap on a 429's Retry-After wait
NEWSCRAWL_TRUNCATED_RETRIES = _env("NEWSCRAWL_TRUNCATED_RETRIES", "2")  # re-requests of a cut page
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.middlewares.robots.SharedRobotsTxtMiddleware": 100,  # every start request checked too
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.retryafter.RetryAfterMiddleware": 550,  # Scrapy's, honouring Retry-After
    "newscrawl.middlewares.truncated.TruncatedPageMiddleware": 560,  # sees decompressed bodies (590)
    "newscrawl.middlewares.offsite.OffsiteRedirectMiddleware": 610,  # before RedirectMiddleware
}
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # article pages are ~100 kB
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening port on a cron host

# --- crawl -------------------------------------------------------------------
# An article is its numeric id: one fetch per article whatever the URL form.
REQUEST_FINGERPRINTER_CLASS = "newscrawl.site.urls.ArticleIdFingerprinter"
DEPTH_PRIORITY = 0
# NEWSCRAWL_REDIS_URL switches a run to a shared Redis frontier (newscrawl/distributed/addon.py).
NEWSCRAWL_REDIS_URL = _env("NEWSCRAWL_REDIS_URL", "")
NEWSCRAWL_REDIS_IDLE_SECONDS = _env("NEWSCRAWL_REDIS_IDLE_SECONDS", "5")
NEWSCRAWL_REDIS_HEARTBEAT_SECONDS = _env("NEWSCRAWL_REDIS_HEARTBEAT_SECONDS", "10")
NEWSCRAWL_REDIS_IDLE_POLL_SECONDS = _env("NEWSCRAWL_REDIS_IDLE_POLL_SECONDS", "0.5")
NEWSCRAWL_WORKER_ID = _env("NEWSCRAWL_WORKER_ID", "")  # in feed names; <host>-<n> when distributed
REDIS_PARAMS: dict[str, object] = {}  # scrapy-redis's client parameters, for every Redis client
ADDONS = {"newscrawl.distributed.addon.DistributedAddon": 0}
SPIDER_MIDDLEWARES = {"newscrawl.middlewares.incremental.IncrementalMiddleware": 500}
EXTENSIONS = {
    "newscrawl.logs.masking.MaskCredentials": 0,  # first, before settings are logged
    "newscrawl.discovery.channels.ChannelStats": 400,  # before Spidermon: its close-time stats are judged
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
    "newscrawl.health.exportstats.ExportStats": 510,
    "newscrawl.health.progress.Progress": 520,
    "newscrawl.gctuning.GarbageCollectorTuning": 600,
    # Built before the engine (the components find it); last to close the store, after the verdict.
    "newscrawl.state.run.RunState": 900,
}
REFERER_ENABLED = True
STATS_CLASS = "newscrawl.health.collector.RunStatsCollector"  # Scrapy's, minus a per-read shim
# Scrapy checks each generator callback for a `return value` by parsing its source (inspect
# + ast); its cache keeps a callback only while some request holds it, so a crawl parsed the
# spider's source hundreds of times (3% of its CPU). tests/test_spiders_devdiscourse.py
# runs the same check once over every callback instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
# The youngest generation's collection threshold while a spider runs (Python's: 700), start-up
# objects frozen: the collector cost 5% of the crawl's CPU (newscrawl/gctuning.py). 0: Python's.
NEWSCRAWL_GC_THRESHOLD = _env("NEWSCRAWL_GC_THRESHOLD", "5000")

# --- items -------------------------------------------------------------------
# Scrapy starts CONCURRENT_ITEMS asyncio worker tasks for every response's output (default
# 100: ~120 tasks a page, a third of the crawl's CPU); the pipelines here are synchronous,
# so one worker does the same work in the same order.
CONCURRENT_ITEMS = 1
ITEM_PIPELINES = {
    "newscrawl.pipelines.validation.ValidationPipeline": 100,
    "newscrawl.pipelines.dedupe.DedupePipeline": 200,
    "newscrawl.pipelines.feed.FeedWriterPipeline": 900,
}
FEED_EXPORT_ENCODING = "utf-8"

# --- logging -----------------------------------------------------------------
LOG_LEVEL = "INFO"
LOG_FORMATTER = "newscrawl.logs.formatter.NewscrawlLogFormatter"
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
