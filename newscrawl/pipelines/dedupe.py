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
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.run import RunState
from newscrawl.state import DEFAULT_STATE_URI, StoryVersion, parse_state_uri, similarity, version_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class DedupePipeline:
    def __init__(self, crawler: Crawler, window_hours: float, min_similarity: float) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.window = window_hours * 3600
        self.min_similarity = min_similarity

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        parse_state_uri(settings.get("NEWSCRAWL_STATE_URI") or DEFAULT_STATE_URI)  # a bad URI fails at start
        return cls(
            crawler,
            window_hours=settings.getfloat("NEWSCRAWL_DEDUPE_WINDOW_HOURS", 72),
            min_similarity=settings.getfloat("NEWSCRAWL_DEDUPE_MIN_SIMILARITY", 0.5),
        )

    @property
    def run(self) -> RunState:
        return RunState.of(self.crawler)

    def drop(self, reason: str, article_id: int, url: str, other: str) -> DropItem:
        self.stats.inc_value(f"dedupe/{reason}")
        if reason != "url":
            self.run.dropped(article_id, f"dedupe/{reason}")
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
        if self.run.known([article_id]):
            raise self.drop("url", article_id, url, f"article {article_id}")
        key, version = version_of(adapter.asdict())
        story = self.same_story(self.run.story_versions(key), version)
        if story:
            best = max(story, key=lambda v: v.rank)
            if version.rank == best.rank:
                raise self.drop("headline", article_id, url, best.url)
            if version.rank < best.rank:
                raise self.drop("stale_revision", article_id, url, best.url)
            adapter["revision_of"] = story[0].url
            self.stats.inc_value("dedupe/revisions_exported")
        self.run.accept(key, version)
        return item
