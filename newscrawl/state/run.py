"""The run's state: one owner for what this crawl knows and has settled.

:class:`RunState` is a Scrapy extension (``EXTENSIONS``), built before the
engine, so every middleware, pipeline and the spider find the same one with
:func:`run_state` (``crawler.get_extension(RunState)``), whoever asks first.
It owns:

* the seen-state store ``NEWSCRAWL_STATE_URI`` names (opened when the
  extension is built, closed last when the spider closes);
* this run's record (start, path, counts, verdict) and its facts: reset,
  whether the last crawl left gaps to fill, and, in distributed mode, this
  worker's membership of the shared crawl (its id, the crawl's number, whether
  it seeds the frontier), taken from the worker registry as it starts;
* the articles accepted but not yet durable.

An article accepted for export stays *pending* until the feed writer has its
line fsynced in the ``.part`` file; only then is it committed as exported, so
a crash can never mark an article seen that no feed holds. Without a feed
writer (``NEWSCRAWL_FEED_ENABLED=0``) the pipeline's end is the export.

With a store several workers share (:class:`~newscrawl.state.SharedSeenState`)
the dedupe decision itself is made in the store, atomically, and accepted
versions are visible to every worker before they are durable; a killed
worker's claims are settled when it runs again, once its feed writer has
recovered the ``.part`` file (``spider_opened`` comes after the pipelines open).

Its ``EXTENSIONS`` order is after Spidermon's: when the spider closes, the
channel bookkeeping has asked its last question of the store and the monitors
have given the verdict this extension records.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newscrawl.distributed.registry import Membership, join_crawl
from newscrawl.health import stats as names
from newscrawl.health.verdict import Verdict, judge
from newscrawl.site.timeparse import format_utc
from newscrawl.state import (
    ArticleRecord,
    Decision,
    SharedSeenState,
    open_state,
    record_of,
    version_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Self

    from scrapy.crawler import Crawler

    from newscrawl.state import SeenState, StoryVersion

logger = logging.getLogger(__name__)


STARTED_ATTRIBUTE = "newscrawl_started"  # set on the crawler by whoever starts the run and names its files


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def run_state(crawler: Crawler) -> RunState:
    """The crawl's :class:`RunState` extension; a clear error when it is not enabled."""
    run = crawler.get_extension(RunState)
    if run is None:
        raise RuntimeError("newscrawl.state.run.RunState is not in EXTENSIONS: nothing owns the seen-state")
    return run


class RunState:
    def __init__(self, crawler: Crawler, state: SeenState, membership: Membership | None = None) -> None:
        self.crawler = crawler
        self.state = state
        self.membership = membership
        # The cron entry point stamps its log with the run's start; the feed and report take the same.
        self.started: datetime = getattr(crawler, STARTED_ATTRIBUTE, None) or datetime.now(UTC)
        self.pending: dict[int, tuple[bytes, StoryVersion, ArticleRecord]] = {}
        self.this_run: set[int] = set()
        self.feed_commits = False  # a feed writer commits pending articles once durable
        self.verdict: Verdict | None = None  # the run's health, once the spider closed
        self.reset = _truthy(getattr(crawler.spider, "reset", False))
        if self.reset:
            logger.warning("reset=1: forgetting every exported article; this run is a full backfill")
            state.reset()
        self.run_id = state.start_run(format_utc(self.started))
        # Checked once: isinstance on a runtime-checkable protocol looks up every member.
        self.shared = state if isinstance(state, SharedSeenState) else None
        if self.shared is not None:
            # A distributed crawl's number comes from the worker registry; a single
            # process is a crawl of its own (run ids and crawl ids share one sequence).
            self.shared.crawl = membership.crawl if membership is not None else self.run_id
            state.finish_run(
                self.run_id, crawl=self.shared.crawl
            )  # the record names its crawl from the start
        self.fill_gaps = self._last_crawl_unfinished()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        # Distributed: join the shared crawl first; the registry names this worker.
        membership = join_crawl(crawler) if settings.get("NEWSCRAWL_REDIS_URL") else None
        worker_id = membership.worker_id if membership is not None else settings.get("NEWSCRAWL_WORKER_ID")
        try:
            state = open_state(settings.get("NEWSCRAWL_STATE_URI"), worker_id or "", settings)
        except ValueError as exc:  # before any request; `scrapy crawl` exits 1
            logger.error("Bad setting: %s", exc)
            raise
        run = cls(crawler, state, membership)
        crawler.signals.connect(run.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(run.spider_closed, signal=signals.spider_closed)
        return run

    # -- the run's facts -------------------------------------------------------------
    @property
    def worker_id(self) -> str:
        """In feed names and claims: the registry's id when distributed, else NEWSCRAWL_WORKER_ID."""
        if self.membership is not None:
            return self.membership.worker_id
        return str(self.crawler.settings.get("NEWSCRAWL_WORKER_ID") or "")

    @property
    def seeds_frontier(self) -> bool:
        """Whether this run asks for the entry pages (a worker joining a running crawl does not)."""
        return self.membership is None or self.membership.first

    def _last_crawl_unfinished(self) -> bool:
        """Whether the crawl before this one stopped short (killed, interrupted, closed early).

        Its holes can sit deep in listings, below pages it did settle, so this run
        pages every listing to its end (the middleware asks :attr:`fill_gaps`).
        """

        def crawl_of(run: dict[str, Any]) -> int:  # a run without a crawl number is a crawl of its own
            return int(run.get("crawl") or run["run_id"])

        crawl = self.shared.crawl if self.shared is not None else self.run_id
        earlier = [r for r in self.state.last_runs(50) if crawl_of(r) < crawl]
        if not earlier:
            return False
        last = max(crawl_of(r) for r in earlier)
        unfinished = [r for r in earlier if crawl_of(r) == last and r.get("finish_reason") != "finished"]
        for run in unfinished:
            logger.warning(
                "Run %s (started %s) did not finish (%s): this run pages every listing to its end to fill its gaps",
                run["run_id"], run.get("started"), run.get("finish_reason") or "killed",
            )  # fmt: skip
        return bool(unfinished)

    # -- questions -----------------------------------------------------------
    def known_before_run(self, article_ids: Iterable[int]) -> set[int]:
        """Ids settled by earlier runs only (what says a listing holds nothing new).

        With several workers, by earlier crawls: what the others settle during
        this crawl says nothing about deeper listing pages.
        """
        if self.shared is not None:
            return self.shared.known_before_crawl(article_ids) - self.this_run
        return self.state.known_articles(article_ids) - self.this_run

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        pending = [v for k, v, r in self.pending.values() if k == key and r.version == 1]
        return self.state.story_versions(key) + pending

    # -- records -------------------------------------------------------------
    def decide(
        self,
        key: bytes,
        version: StoryVersion,
        record: ArticleRecord,
        decide: Callable[[list[StoryVersion]], Decision],
    ) -> Decision:
        """Dedupe ``version`` against every version of its story known so far.

        An article exported before (with its record) is an editors' update when
        its content changed: exported again with the next ``version``, else
        dropped as unchanged; its story is not asked again. An accepted version
        is pending: exported once its feed line is durable.
        """
        article_id = version.article_id
        if article_id in self.this_run:
            return Decision("url", f"article {article_id}")
        last = self.state.article_records([article_id]).get(article_id)
        if last is not None:
            self.this_run.add(article_id)
            if last.content == record.content:
                return Decision("unchanged", f"version {last.version}")
            story = last.story or article_id  # records older than story ids: the article's own
            update = ArticleRecord(last.version + 1, record.modified, record.content, story)
            self.pending[article_id] = (key, version, update)
            return Decision(version=update.version, story_id=story)
        if self.shared is not None:
            decision = self.shared.claim(key, version, decide)
        elif self.state.known_articles([article_id]):
            decision = Decision("url", f"article {article_id}")
        else:
            decision = decide(self.story_versions(key))
        self.this_run.add(article_id)
        if decision.accepted:
            story = decision.story_id or article_id
            self.pending[article_id] = (
                key,
                version,
                ArticleRecord(1, record.modified, record.content, story),
            )
        return decision

    def article_records(self, article_ids: Iterable[int]) -> dict[int, ArticleRecord]:
        """The last export of each article that has one: what an editors' update is told from."""
        return self.state.article_records(article_ids)

    def exported(self, article_ids: Iterable[int]) -> None:
        """These articles' lines are durably in the feed: commit them."""
        for article_id in article_ids:
            entry = self.pending.pop(article_id, None)
            if entry is not None:
                key, version, record = entry
                self.state.add_exported(key, version, record)
        self.state.flush()

    def dropped(self, article_id: int | None, reason: str) -> None:
        """A page that gives no item for good; not fetched again."""
        if article_id is None:
            return
        self.this_run.add(article_id)
        self.state.add_dropped(article_id, reason)

    def set_path(self, path: str) -> None:
        """What this run asked the site first (``newscrawl.discovery.plan``), in its run record."""
        self.state.finish_run(self.run_id, path=path)

    def missing(self, article_id: int) -> None:
        """An id probe answered as missing: the id walk does not probe it again."""
        self.state.add_missing([article_id])

    def known_missing(self, article_ids: Iterable[int]) -> set[int]:
        """Ids earlier probes found missing (only the id walk asks: they may be articles now)."""
        return self.state.missing_ids(article_ids)

    def recovered(self, items: Iterable[dict[str, Any]]) -> int:
        """Articles of a killed run's feed, published now: record them as exported."""
        count = 0
        for item in items:
            key, version = version_of(item)
            self.state.add_exported(key, version, record_of(item))
            count += 1
        self.state.flush()
        return count

    def spider_opened(self, spider: Any) -> None:
        if self.worker_id and self.crawler.stats is not None:
            self.crawler.stats.set_value(names.RUN_WORKER, self.worker_id)
        if self.shared is not None:
            released = self.shared.release_claims()
            if released:
                logger.warning("Released %d claim(s) a killed run of this worker left uncommitted", released)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.pending and not self.feed_commits:
            # No feed writer of ours (NEWSCRAWL_FEED_ENABLED=0): the pipeline end is the export.
            self.exported(list(self.pending))
        elif self.pending:
            logger.warning("%d accepted articles never reached a durable feed line", len(self.pending))
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        self.verdict = judge(stats, self.crawler.settings)
        self.state.finish_run(
            self.run_id,
            finished=format_utc(datetime.now(UTC)),
            finish_reason=reason,
            exit_status=0 if self.verdict.healthy else 1,
            items=stats.get(names.ITEMS_SCRAPED, 0),
            requests=stats.get(names.REQUESTS, 0),
            dropped=stats.get(names.ITEMS_DROPPED, 0),
            skipped_known=stats.get(names.SKIPPED_KNOWN, 0),
            updated=stats.get(names.EXPORTED_UPDATED, 0),
            feed=stats.get(names.FEED_PATH),
            worker=self.worker_id or None,
            base_url=getattr(spider, "base_url", None),
            newest_published=stats.get(names.FRESHNESS_NEWEST),
            lag_p50=stats.get(names.FRESHNESS_LAG_P50),
            lag_p95=stats.get(names.FRESHNESS_LAG_P95),
            reason=self.verdict.reason,
        )
        self.state.close()
