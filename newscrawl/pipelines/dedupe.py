"""Dedupe by URL and by headline, revision-aware.

* URL: an article id (and its canonical URL) is exported once.
* Headline: two items are one story when their normalised headlines match
  (:func:`newscrawl.headlines.normalize_headline`), they were published
  within ``NEWSCRAWL_DEDUPE_WINDOW_HOURS`` of each other, and their bodies
  are alike (estimated Jaccard of word 3-shingles at least
  ``NEWSCRAWL_DEDUPE_MIN_SIMILARITY``). A recurring headline with another
  body is another story.
* Revisions: within one story, a higher wire revision ("UPDATE n-", then
  CORRECTED/REFILE) than any exported one is exported with ``revision_of``
  (the first exported version's url); the same rank is a duplicate
  (re-syndication); a lower one is stale.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.headlines import normalize_headline, split_wire_prefixes
from newscrawl.state import MemorySeenState, SeenState, StoryVersion, body_sketch, similarity, story_key

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def _timestamp(value: str | None) -> float | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").timestamp()


class DedupePipeline:
    def __init__(
        self, state: SeenState, stats: StatsCollector, window_hours: float, min_similarity: float
    ) -> None:
        self.state = state
        self.stats = stats
        self.window = window_hours * 3600
        self.min_similarity = min_similarity
        self._urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        assert crawler.stats is not None
        return cls(
            state=MemorySeenState(),
            stats=crawler.stats,
            window_hours=settings.getfloat("NEWSCRAWL_DEDUPE_WINDOW_HOURS", 72),
            min_similarity=settings.getfloat("NEWSCRAWL_DEDUPE_MIN_SIMILARITY", 0.5),
        )

    def close_spider(self) -> None:
        self.state.flush()
        self.state.close()

    def drop(self, reason: str, url: str, other: str) -> DropItem:
        self.stats.inc_value(f"dedupe/{reason}")
        logger.debug("Dropped %s (%s of %s)", url, reason, other)
        return DropItem(f"{reason.replace('_', ' ')}: {url} (of {other})", log_level="DEBUG")

    def same_story(self, versions: list[StoryVersion], version: StoryVersion) -> list[StoryVersion]:
        """The known versions that are the same story as ``version``."""
        matches = []
        for known in versions:
            if (
                known.published is not None
                and version.published is not None
                and abs(known.published - version.published) > self.window
            ):
                continue
            if similarity(known.sketch, version.sketch) >= self.min_similarity:
                matches.append(known)
        return matches

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url, article_id = adapter["url"], adapter["article_id"]
        if url in self._urls or self.state.known_articles([article_id]):
            raise self.drop("url", url, f"article {article_id}")
        wire = split_wire_prefixes(adapter["title"])
        version = StoryVersion(
            url=url,
            article_id=article_id,
            published=_timestamp(adapter.get("published_at")),
            revision=wire.revision,
            corrections=wire.corrections,
            sketch=body_sketch(adapter["body"]),
        )
        key = story_key(normalize_headline(adapter["title"]))
        story = self.same_story(self.state.story_versions(key), version)
        if story:
            best = max(story, key=lambda v: v.rank)
            if version.rank == best.rank:
                raise self.drop("headline", url, best.url)
            if version.rank < best.rank:
                raise self.drop("stale_revision", url, best.url)
            adapter["revision_of"] = story[0].url
            self.stats.inc_value("dedupe/revisions_exported")
        self.state.add(key, version)
        self._urls.add(url)
        return item
