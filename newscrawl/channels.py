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

The monitors (:mod:`newscrawl.monitors`) fail a run on a broken channel, on
unreached ids and on an archive that was not covered.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newscrawl.run import RunState

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

CHANNEL_META = "newscrawl_channel"
PROBE_META = "newscrawl_probe"  # on an id-walk probe: its chain (newscrawl.idwalk.Chain)
MISSING_ID_STATUSES = (404, 500)  # what the site answers for a missing or unapproved id
MISSING_ANSWERS = "newscrawl/id_walk/answered_"  # + status: probe responses that said "missing"
SITEMAP, ARCHIVE_API, ID_WALK, LISTING, HOME, SIDEBAR = (
    "sitemap",
    "archive_api",
    "id_walk",
    "listing",
    "home",
    "sidebar",
)
CHANNELS = (SITEMAP, ARCHIVE_API, ID_WALK, LISTING, HOME, SIDEBAR)
PREFIX = "newscrawl/channel/"
BROKEN = "newscrawl/channels/broken"
ARCHIVE_COMPLETE = "newscrawl/archive/complete"  # 1 covered, 0 not, absent: not asked for
ARCHIVE_HOW = "newscrawl/archive/how"  # what covered it, or why not
COMPLETENESS = "newscrawl/completeness/"
SAMPLE_SIZE = 10


class IdBits:
    """A set of article ids as bits: 4 million ids in 0.5 MB (a Python set of them: ~200 MB).

    Ids past ``MAX_BIT`` (no site has that many; a bogus value must not allocate
    gigabytes) go to a small ordinary set.

    >>> ids = IdBits()
    >>> for i in (3, 9, 3, 2**40):
    ...     ids.add(i)
    >>> len(ids), 9 in ids, 4 in ids, 2**40 in ids
    (3, True, False, True)
    >>> sorted(ids.minus(IdBits.of([9])))
    [3, 1099511627776]
    """

    MAX_BIT = 2**28

    def __init__(self) -> None:
        self._bits = bytearray()
        self._large: set[int] = set()
        self._count = 0

    @classmethod
    def of(cls, ids: Iterable[int]) -> IdBits:
        out = cls()
        for i in ids:
            out.add(i)
        return out

    def add(self, article_id: int) -> None:
        if not 0 <= article_id < self.MAX_BIT:
            if article_id not in self._large:
                self._large.add(article_id)
                self._count += 1
            return
        byte, bit = article_id >> 3, 1 << (article_id & 7)
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte - len(self._bits) + 1 + len(self._bits) // 2))
        if not self._bits[byte] & bit:
            self._bits[byte] |= bit
            self._count += 1

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, int):
            return False
        if not 0 <= article_id < self.MAX_BIT:
            return article_id in self._large
        byte = article_id >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (article_id & 7)))

    def __len__(self) -> int:
        return self._count

    def minus(self, *others: IdBits) -> Iterator[int]:
        """The ids here that none of ``others`` holds."""
        for byte, here in enumerate(self._bits):
            left = here
            for other in others:  # a byte at a time: most bytes are all reached
                if left and byte < len(other._bits):
                    left &= ~other._bits[byte]
            for bit in range(8) if left else ():
                if left & (1 << bit):
                    yield (byte << 3) | bit
        for article_id in self._large:
            if not any(article_id in o for o in others):
                yield article_id


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
            self.stats.inc_value(f"{PREFIX}{channel}/requests")

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        # Every download, retried ones too (what the downloader's status counts hold).
        if PROBE_META in request.meta and response.status in MISSING_ID_STATUSES:
            self.stats.inc_value(f"{MISSING_ANSWERS}{response.status}")

    def item_scraped(self, item: Any, response: Response | None = None, spider: Any = None) -> None:
        channel = response.meta.get(CHANNEL_META) if response is not None else None
        self.stats.inc_value(f"{PREFIX}{channel or 'other'}/exported")

    # -- what the spider reports -----------------------------------------------
    def listed(self, channel: str, article_ids: Iterable[int]) -> None:
        ids = set(article_ids)
        self.stats.inc_value(f"{PREFIX}{channel}/listed", len(ids))
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
        self.stats.inc_value(f"{PREFIX}{channel}/broken")
        if (channel, why) in self._broken:
            return
        self._broken.add((channel, why))
        lines = self.stats.get_value(BROKEN) or []
        self.stats.set_value(BROKEN, [*lines, f"{channel}: {why}"])
        logger.warning("Discovery channel %s is broken: %s", channel, why)

    def archive(self, complete: bool, how: str) -> None:
        """Whether the archive was covered (the API to its end, or the id walk), and how.

        Not judged with several workers: the chains of one walk end in different processes.
        """
        if not self.judge_completeness:
            return
        self.stats.set_value(ARCHIVE_COMPLETE, int(complete))
        self.stats.set_value(ARCHIVE_HOW, how)

    # -- at the end ----------------------------------------------------------
    def spider_closed(self, spider: Any, reason: str) -> None:
        if not self.judge_completeness:
            return
        candidates = set(self._listed.minus(self._reached, self._failed))
        if candidates:
            candidates -= RunState.of(self.crawler).known_before_run(candidates)
        self.stats.set_value(COMPLETENESS + "listed", len(self._listed))
        self.stats.set_value(COMPLETENESS + "unreached", len(candidates))
        if candidates:
            sample = sorted(candidates)[:SAMPLE_SIZE]
            self.stats.set_value(COMPLETENESS + "unreached_ids", sample)
            logger.warning(
                "%d of %d articles the channels listed were never fetched (ids %s%s)",
                len(candidates), len(self._listed), sample, " ..." if len(candidates) > SAMPLE_SIZE else "",
            )  # fmt: skip


def channel_stats(crawler: Crawler) -> ChannelStats:
    """The crawl's :class:`ChannelStats` extension; an unconnected one where it is off.

    Without the extension (taken out of ``EXTENSIONS``, or a crawler that never
    started its extensions, as in unit tests) the spider's reports still count.
    """
    try:
        extension = crawler.get_extension(ChannelStats)
    except RuntimeError:  # extensions not built yet
        extension = None
    if extension is None:
        extension = getattr(crawler, "_newscrawl_channels", None) or ChannelStats(crawler)
        crawler._newscrawl_channels = extension  # type: ignore[attr-defined]
    return extension
