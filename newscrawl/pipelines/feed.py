"""JSON Lines feed of each run, with delivery guarantees.

Items go to ``<NEWSCRAWL_FEED_DIR>/<spider>/<run start UTC>.jsonl.part``
through Scrapy's :class:`~scrapy.exporters.JsonLinesItemExporter` (UTF-8, the
schema's key order). Every ``NEWSCRAWL_FEED_SYNC_ITEMS`` items the file is
flushed and fsynced, and only then are those articles committed to the
seen-state as exported. When the spider closes the file is fsynced and renamed
to ``.jsonl`` (``.jsonl.gz`` with ``NEWSCRAWL_FEED_GZIP``), so a reader never
sees half a feed; a run that exports nothing leaves no file.

On start, ``.part`` files a killed run left behind are recovered first
(:mod:`newscrawl.pipelines.feedrecovery`). Together: exactly once across a
``kill -9`` at any moment.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
from dataclasses import fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.defer import deferred_from_coro

from newscrawl.files import check_writable_dir, fsync_dir, run_stamp
from newscrawl.health import stats as names
from newscrawl.items import FIELD_NAMES, ArticleItem
from newscrawl.pipelines.feedrecovery import PART, recover_part
from newscrawl.state.run import RunState, run_state

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

FEED_WRITE_FAILED = "feed_write_failed"  # the finish reason of a run whose feed could not be written

# ArticleItem declares no field serializer (its fields carry no metadata): Scrapy's exporter
# would apply the identity to each value.
_ARTICLE_FIELDS_PLAIN = not any(f.metadata for f in fields(ArticleItem))


class ArticleLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON Lines exporter, reading an :class:`ArticleItem`'s fields directly.

    For each field of each item Scrapy's exporter asks an ``ItemAdapter`` whether the field
    is there, for its metadata and for the serializer in it: three fifths of a feed line's
    CPU. Every field of an ``ArticleItem`` is there and none has a serializer, so the line
    is the item's fields in ``fields_to_export`` order, byte for byte what Scrapy writes;
    any other item goes through Scrapy's own path.
    """

    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        names = self.fields_to_export
        self._article_fields: list[str] | None = (
            list(names)
            if _ARTICLE_FIELDS_PLAIN and isinstance(names, list | tuple) and set(names) <= set(FIELD_NAMES)
            else None
        )

    def get_serialized_fields(
        self, item: Any, default_value: Any = None, include_empty: bool | None = None
    ) -> Iterable[tuple[str, Any]]:
        names = self._article_fields
        if names is not None and type(item) is ArticleItem:
            return [(name, getattr(item, name)) for name in names]
        return super().get_serialized_fields(item, default_value, include_empty)


class FeedWriterPipeline:
    def __init__(
        self,
        crawler: Crawler,
        run: RunState,
        feed_dir: Path,
        gzip_output: bool,
        sync_items: int,
        stats: StatsCollector,
    ) -> None:
        assert crawler.spidercls is not None
        self.crawler = crawler
        self.run = run
        self.dir = feed_dir / crawler.spidercls.name
        self.gzip = gzip_output
        self.sync_items = max(1, sync_items)
        self.stats = stats
        self.path = self.part_path = Path()
        self._raw: IO[bytes] | None = None
        self._file: IO[bytes] | None = None
        self._exporter: ArticleLinesExporter | None = None
        self._unsynced: list[int] = []
        self.count = 0
        self.failed: str | None = None  # why the feed could not be written, once it could not

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_FEED_ENABLED"):
            raise NotConfigured("NEWSCRAWL_FEED_ENABLED is off")
        assert crawler.stats is not None
        feed_dir = Path(settings.get("NEWSCRAWL_FEED_DIR"))
        check_writable_dir(feed_dir, "NEWSCRAWL_FEED_DIR")  # fail at start, not at the first item
        return cls(
            crawler,
            run_state(crawler),
            feed_dir=feed_dir,
            gzip_output=settings.getbool("NEWSCRAWL_FEED_GZIP"),
            sync_items=settings.getint("NEWSCRAWL_FEED_SYNC_ITEMS"),
            stats=crawler.stats,
        )

    def open_spider(self) -> None:
        self.run.feed_commits = True  # pending articles are committed here, once their lines are durable
        self.dir.mkdir(parents=True, exist_ok=True)
        worker = self.run.worker_id
        tag = f"-{worker}" if worker else ""
        # Only this worker's leftovers: other workers sharing the folder may be running.
        leftovers = [p for p in self.dir.glob(f"*{PART}") if not worker or f"{tag}." in p.name]
        for part in sorted(leftovers):
            result = recover_part(part, self.run.recovered)
            self.stats.inc_value(names.FEED_RECOVERED_FILES)
            self.stats.inc_value(names.FEED_RECOVERED_ITEMS, len(result.items))
            self.stats.inc_value(names.FEED_TORN_LINES, result.torn_lines)
            logger.warning(
                "Recovered %s from a run that did not finish: %d articles published as %s, %d torn line(s) dropped",
                part, len(result.items), result.published, result.torn_lines,
            )  # fmt: skip
        suffix = ".jsonl.gz" if self.gzip else ".jsonl"
        stamp, n = run_stamp(self.run.started), 0
        while True:  # two runs may start within one second
            self.path = self.dir / f"{stamp}{f'-{n}' if n else ''}{tag}{suffix}"
            self.part_path = self.path.with_name(self.path.name + PART)
            if not self.path.exists() and not self.part_path.exists():
                break
            n += 1

    def _open(self) -> ArticleLinesExporter:
        self._raw = raw = self.part_path.open("wb")
        out: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="wb") if self.gzip else raw  # type: ignore[assignment]
        self._file = out
        exporter = ArticleLinesExporter(
            out,
            encoding="utf-8",
            ensure_ascii=False,
            fields_to_export=list(FIELD_NAMES),
        )
        exporter.start_exporting()
        return exporter

    def _sync(self) -> None:
        """Make written lines durable, then commit their articles as exported."""
        assert self._file is not None and self._raw is not None
        self._file.flush()  # gzip: a sync flush, so the bytes so far decompress on their own
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self.run.exported(self._unsynced)
        self._unsynced = []

    def process_item(self, item: Any) -> Any:
        if self.failed is not None:
            raise DropItem(f"not written: the feed failed ({self.failed})", log_level="DEBUG")
        try:
            if self._exporter is None:
                self._exporter = self._open()
            self._exporter.export_item(item)
            self._unsynced.append(ItemAdapter(item)["article_id"])
            self.count += 1
            if len(self._unsynced) >= self.sync_items:
                self._sync()
        except OSError as exc:
            self.fail(exc)
            raise DropItem(f"not written: {self.failed}", log_level="DEBUG") from None
        return item

    def fail(self, exc: OSError) -> None:
        """The first failed write (a full disk, say) ends the run: every later item would fail too.

        What reached the ``.part`` file and was fsynced is committed; the file is left for
        the next run, which publishes its complete lines and fetches the rest again.
        """
        self.failed = f"{self.part_path}: {exc.strerror or exc}"
        self.stats.set_value(names.FEED_WRITE_FAILED, self.failed)
        # What had been asked of the site by then: after it, only requests already in flight end.
        self.stats.set_value(names.FEED_WRITE_FAILED_AT_REQUEST, self.stats.get_value(names.REQUESTS, 0))
        logger.error(
            "Feed write failed (%s): closing the run; the next run publishes what is durable and fetches the rest",
            self.failed,
        )
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=FEED_WRITE_FAILED))

    def close_spider(self) -> None:
        if self.failed is not None:
            for handle in (self._file, self._raw):
                with contextlib.suppress(OSError):
                    if handle is not None:
                        handle.close()
            logger.warning("Feed left as %s for the next run to recover", self.part_path)
            return
        if self._exporter is None:
            logger.info("No new articles in this run: no feed written")
            self.stats.set_value(names.FEED_ITEMS, 0)
            return
        try:
            self._publish()
        except OSError as exc:
            self.fail(exc)
            return
        self.stats.set_value(names.FEED_ITEMS, self.count)
        self.stats.set_value(names.FEED_PATH, str(self.path))
        logger.info("Feed written: %s (%d articles)", self.path, self.count)

    def _publish(self) -> None:
        assert self._exporter is not None and self._file is not None and self._raw is not None
        self._exporter.finish_exporting()
        if self._file is not self._raw:
            self._file.close()  # writes the gzip trailer into the raw file
            self._file = self._raw
        self._sync()
        self._raw.close()
        os.replace(self.part_path, self.path)
        fsync_dir(self.dir)
