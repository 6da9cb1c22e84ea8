"""Dedupe by URL and by headline, revision-aware.

* URL: an article id (and its canonical URL) is exported once.
* Headline: two items are one story when their normalised headlines match
  (:func:`newscrawl.site.headlines.normalize_headline`), they were published
  within ``NEWSCRAWL_DEDUPE_WINDOW_HOURS`` of each other, and their bodies
  are alike (estimated Jaccard of word 3-shingles at least
  ``NEWSCRAWL_DEDUPE_MIN_SIMILARITY``). A recurring headline with another
  body is another story.
* Editors' updates: an article exported before whose page changed
  (:data:`newscrawl.state.CONTENT_FIELDS`) is exported again with the next
  ``version``; fetched again unchanged, it is dropped (``dedupe/unchanged``).
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

from newscrawl.health import stats as names
from newscrawl.items import item_fields
from newscrawl.state import Decision, StoryVersion, record_of, similarity, version_of
from newscrawl.state.run import RunState, run_state

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class DedupePipeline:
    def __init__(self, crawler: Crawler, run: RunState, window_hours: float, min_similarity: float) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.run = run
        self.stats: StatsCollector = crawler.stats
        self.window = window_hours * 3600
        self.min_similarity = min_similarity

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(
            crawler,
            run_state(crawler),
            window_hours=settings.getfloat("NEWSCRAWL_DEDUPE_WINDOW_HOURS"),
            min_similarity=settings.getfloat("NEWSCRAWL_DEDUPE_MIN_SIMILARITY"),
        )

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

    def judge(self, version: StoryVersion, versions: list[StoryVersion]) -> Decision:
        """Export, or drop as a duplicate or stale revision, given the versions known so far."""
        story = self.same_story(versions, version)
        if not story:
            return Decision()
        best = max(story, key=lambda v: v.rank)
        if version.rank == best.rank:
            return Decision("headline", best.url)
        if version.rank < best.rank:
            return Decision("stale_revision", best.url)
        return Decision(revision_of=story[0].url, story_id=story[0].article_id)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        fields = item_fields(adapter)  # read a dozen times below: a dict, not the adapter
        key, version = version_of(fields)
        record = record_of(fields)
        decision = self.run.decide(key, version, record, lambda versions: self.judge(version, versions))
        if decision.drop is not None:
            self.stats.inc_value(names.dedupe(decision.drop))
            if decision.drop not in ("url", "unchanged"):
                self.run.dropped(version.article_id, names.dedupe(decision.drop))
            logger.debug("Dropped %s (%s of %s)", version.url, decision.drop, decision.other)
            message = f"{decision.drop.replace('_', ' ')}: {version.url} (of {decision.other})"
            raise DropItem(message, log_level="DEBUG")
        if decision.revision_of is not None:
            adapter["revision_of"] = decision.revision_of
            self.stats.inc_value(names.REVISIONS_EXPORTED)
        adapter["version"] = decision.version
        adapter["story_id"] = decision.story_id or version.article_id
        self.stats.inc_value(names.EXPORTED_UPDATED if decision.version > 1 else names.EXPORTED_NEW)
        return item
