"""Discovery channels: which one found what, what each cost, and what was never reached.

Every request the spider makes carries the channel that asked for it
(``request.meta[CHANNEL_META]``): the news sitemap, the archive API, the id
walk, the listings, the home page or an article's sidebar. An article reached
by several channels is fetched once (the id fingerprint), so the channel on
its response is the one that found it *first*.

:class:`ChannelStats` (an extension) turns that into stats:

* ``newscrawl/channel/<name>/requests``: requests that reached the downloader
  (retries included);
* ``newscrawl/channel/<name>/exported``: exported articles this channel found first;
* ``newscrawl/channel/<name>/listed``: article ids it listed;
* ``newscrawl/channel/<name>/broken`` and ``newscrawl/channels/broken`` (one
  line per break): a channel that stopped answering as the site does;
* ``newscrawl/completeness/listed`` / ``unreached`` / ``unreached_ids``: ids
  a channel listed that were neither fetched, failed for good, nor known
  before this run (single process only: with several workers the lister and
  the fetcher of an id are often different processes).

The monitors (:mod:`newscrawl.health.monitors`) fail a run on a broken channel, on
unreached ids and on an archive that was not covered.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newscrawl.discovery.idbits import IdBits
from newscrawl.health import stats as names
from newscrawl.state.run import run_state

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

CHANNEL_META = "newscrawl_channel"
PROBE_META = "newscrawl_probe"  # on an id-walk probe: its chain (newscrawl.discovery.idwalk.Chain)
MISSING_ID_STATUSES = (404, 500)  # what the site answers for a missing or unapproved id
SITEMAP, ARCHIVE_API, ID_WALK, LISTING, HOME, SIDEBAR = (
    "sitemap",
    "archive_api",
    "id_walk",
    "listing",
    "home",
    "sidebar",
)
CHANNELS = (SITEMAP, ARCHIVE_API, ID_WALK, LISTING, HOME, SIDEBAR)
SAMPLE_SIZE = 10


class ChannelStats:
    """Counts per channel and the completeness check; the spider reports to it."""

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        # Several workers: ids listed here are often fetched elsewhere.
        self.judge_completeness = not crawler.settings.get("NEWSCRAWL_REDIS_URL")
        # Bits, not sets: a backfill lists millions of ids.
        self._listed = IdBits()
        self._reached = IdBits()
        self._failed = IdBits()
        self._broken: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # -- counting ------------------------------------------------------------
    def request_reached(self, request: Request, spider: Any = None) -> None:
        channel = request.meta.get(CHANNEL_META)
        if channel:
            self.stats.inc_value(names.channel(channel, "requests"))

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        # Every download, retried ones too (what the downloader's status counts hold).
        if PROBE_META in request.meta and response.status in MISSING_ID_STATUSES:
            self.stats.inc_value(names.id_walk_answered(response.status))

    def item_scraped(self, item: Any, response: Response | None = None, spider: Any = None) -> None:
        channel = response.meta.get(CHANNEL_META) if response is not None else None
        self.stats.inc_value(names.channel(channel or "other", "exported"))

    # -- what the spider reports -----------------------------------------------
    def listed(self, channel: str, article_ids: Iterable[int]) -> None:
        ids = set(article_ids)
        self.stats.inc_value(names.channel(channel, "listed"), len(ids))
        if self.judge_completeness:
            for article_id in ids:
                self._listed.add(article_id)

    def reached(self, article_id: int | None) -> None:
        """A response came for this id (an article page, or a missing-id answer)."""
        if article_id is not None and self.judge_completeness:
            self._reached.add(article_id)

    def failed(self, article_id: int | None) -> None:
        """This id's request failed for good (counted and logged by reason elsewhere)."""
        if article_id is not None and self.judge_completeness:
            self._failed.add(article_id)

    def broken(self, channel: str, why: str) -> None:
        """A channel stopped answering as the site does; logged once per reason."""
        self.stats.inc_value(names.channel(channel, "broken"))
        if (channel, why) in self._broken:
            return
        self._broken.add((channel, why))
        lines = self.stats.get_value(names.CHANNELS_BROKEN) or []
        self.stats.set_value(names.CHANNELS_BROKEN, [*lines, f"{channel}: {why}"])
        logger.warning("Discovery channel %s is broken: %s", channel, why)

    def archive(self, complete: bool, how: str) -> None:
        """Whether the archive was covered (the API to its end, or the id walk), and how.

        Not judged with several workers: the chains of one walk end in different processes.
        """
        if not self.judge_completeness:
            return
        self.stats.set_value(names.ARCHIVE_COMPLETE, int(complete))
        self.stats.set_value(names.ARCHIVE_HOW, how)

    # -- at the end ----------------------------------------------------------
    def spider_closed(self, spider: Any, reason: str) -> None:
        if not self.judge_completeness:
            return
        candidates = set(self._listed.minus(self._reached, self._failed))
        if candidates:
            candidates -= run_state(self.crawler).known_before_run(candidates)
        self.stats.set_value(names.COMPLETENESS_LISTED, len(self._listed))
        self.stats.set_value(names.COMPLETENESS_UNREACHED, len(candidates))
        if candidates:
            sample = sorted(candidates)[:SAMPLE_SIZE]
            self.stats.set_value(names.COMPLETENESS_UNREACHED_IDS, sample)
            logger.warning(
                "%d of %d articles the channels listed were never fetched (ids %s%s)",
                len(candidates), len(self._listed), sample, " ..." if len(candidates) > SAMPLE_SIZE else "",
            )  # fmt: skip


def channel_stats(crawler: Crawler) -> ChannelStats:
    """The crawl's :class:`ChannelStats` extension; a clear error when it is not enabled."""
    extension = crawler.get_extension(ChannelStats)
    if extension is None:
        raise RuntimeError("newscrawl.discovery.channels.ChannelStats is not in EXTENSIONS")
    return extension
