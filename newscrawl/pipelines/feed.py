"""JSON Lines feed of each run, published atomically.

Items go to ``<NEWSCRAWL_FEED_DIR>/<spider>/<run start UTC>.jsonl.part``
through Scrapy's :class:`~scrapy.exporters.JsonLinesItemExporter` (UTF-8, the
schema's key order); when the spider closes the file is flushed, fsynced and
renamed to ``.jsonl`` (``.jsonl.gz`` with ``NEWSCRAWL_FEED_GZIP``), so a
reader never sees half a feed. A run that exports nothing leaves no file.
"""

from __future__ import annotations

import gzip
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.exporters import JsonLinesItemExporter

from newscrawl.items import FIELD_NAMES

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def run_stamp(moment: datetime) -> str:
    """File-name form of a run's start: ``YYYY-MM-DDTHH-MM-SSZ``.

    >>> run_stamp(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    '2026-01-02T03-04-05Z'
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


class FeedWriterPipeline:
    def __init__(self, feed_dir: Path, spider_name: str, gzip_output: bool, stats: StatsCollector) -> None:
        self.dir = feed_dir / spider_name
        self.gzip = gzip_output
        self.stats = stats
        self.started = datetime.now(UTC)
        suffix = ".jsonl.gz" if gzip_output else ".jsonl"
        self.path = self.dir / f"{run_stamp(self.started)}{suffix}"
        self.part_path = self.path.with_name(self.path.name + ".part")
        self._raw: IO[bytes] | None = None
        self._file: IO[bytes] | None = None
        self._exporter: JsonLinesItemExporter | None = None
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_FEED_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_FEED_ENABLED is off")
        assert crawler.spidercls is not None and crawler.stats is not None
        return cls(
            feed_dir=Path(settings.get("NEWSCRAWL_FEED_DIR", "feeds")),
            spider_name=crawler.spidercls.name,
            gzip_output=settings.getbool("NEWSCRAWL_FEED_GZIP", False),
            stats=crawler.stats,
        )

    def _open(self) -> JsonLinesItemExporter:
        self.dir.mkdir(parents=True, exist_ok=True)
        self._raw = raw = self.part_path.open("wb")
        out: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="wb") if self.gzip else raw  # type: ignore[assignment]
        self._file = out
        exporter = JsonLinesItemExporter(
            out,  # type: ignore[arg-type]
            encoding="utf-8",
            ensure_ascii=False,
            fields_to_export=list(FIELD_NAMES),
        )
        exporter.start_exporting()
        return exporter

    def process_item(self, item: Any) -> Any:
        if self._exporter is None:
            self._exporter = self._open()
        self._exporter.export_item(item)
        self.count += 1
        return item

    def close_spider(self) -> None:
        if self._exporter is None:
            logger.info("No new articles in this run: no feed written")
            self.stats.set_value("newscrawl/feed/items", 0)
            return
        self._exporter.finish_exporting()
        assert self._file is not None and self._raw is not None
        if self._file is not self._raw:
            self._file.close()  # writes the gzip trailer into the raw file
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.part_path, self.path)
        self.stats.set_value("newscrawl/feed/items", self.count)
        self.stats.set_value("newscrawl/feed/path", str(self.path))
        logger.info("Feed written: %s (%d articles)", self.path, self.count)
