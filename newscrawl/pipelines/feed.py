"""JSON Lines feed of each run, with delivery guarantees.

Items go to ``<NEWSCRAWL_FEED_DIR>/<spider>/<run start UTC>.jsonl.part``
through Scrapy's :class:`~scrapy.exporters.JsonLinesItemExporter` (UTF-8, the
schema's key order). Every ``NEWSCRAWL_FEED_SYNC_ITEMS`` items the file is
flushed and fsynced, and only then are those articles committed to the
seen-state as exported. When the spider closes the file is fsynced and renamed
to ``.jsonl`` (``.jsonl.gz`` with ``NEWSCRAWL_FEED_GZIP``), so a reader never
sees half a feed; a run that exports nothing leaves no file.

On start, ``.part`` files a killed run left behind are recovered: complete
lines are kept, a torn last line is dropped, their articles are recorded in
the state, then the file is published. Together: exactly once across a
``kill -9`` at any moment.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured
from scrapy.exporters import JsonLinesItemExporter

from newscrawl.items import FIELD_NAMES
from newscrawl.run import RunState

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

PART = ".part"


def run_stamp(moment: datetime) -> str:
    """File-name form of a run's start: ``YYYY-MM-DDTHH-MM-SSZ``.

    >>> run_stamp(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    '2026-01-02T03-04-05Z'
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_writable_dir(path: Path, setting: str) -> None:
    """Create ``path`` if needed and prove it writable; ``ValueError`` naming the setting."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".newscrawl-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValueError(
            f"{setting} {str(path)!r} is not a writable directory: {exc.strerror or exc}"
        ) from None


@dataclass
class Recovered:
    part: Path
    published: Path | None
    items: list[dict[str, Any]]
    torn_lines: int


def _complete_lines(data: bytes) -> tuple[list[dict[str, Any]], bytes, int]:
    """Whole JSON lines of ``data``, their bytes, and how many torn or bad lines were dropped."""
    end = data.rfind(b"\n") + 1
    torn = int(bool(data[end:].strip()))
    items, kept = [], []
    for line in data[:end].splitlines(keepends=True):
        try:
            items.append(json.loads(line))
            kept.append(line)
        except ValueError:
            torn += 1
    return items, b"".join(kept), torn


def _inflate(raw: bytes) -> bytes:
    """What a gzip stream cut anywhere (even mid-block, or with junk) still holds."""
    try:
        return zlib.decompressobj(wbits=31).decompress(raw)
    except zlib.error:
        pass
    good, bad = 0, len(raw)  # longest prefix that inflates without error, by bisection
    while bad - good > 1:
        middle = (good + bad) // 2
        try:
            zlib.decompressobj(wbits=31).decompress(raw[:middle])
            good = middle
        except zlib.error:
            bad = middle
    return zlib.decompressobj(wbits=31).decompress(raw[:good])


def read_part(part: Path) -> tuple[list[dict[str, Any]], bytes, int]:
    raw = part.read_bytes()
    if part.name.endswith(".gz" + PART):
        raw = _inflate(raw)
    return _complete_lines(raw)


def recover_part(part: Path, record: Any) -> Recovered:
    """Publish the complete lines of a killed run's ``.part`` file.

    ``record(items)`` must make their articles durable in the state before
    the file is published: a crash in between recovers the same file again.
    """
    items, content, torn = read_part(part)
    if not items:
        part.unlink()
        return Recovered(part, None, [], torn)
    with part.open("wb") as fh:
        fh.write(gzip.compress(content) if part.name.endswith(".gz" + PART) else content)
        fh.flush()
        os.fsync(fh.fileno())
    record(items)
    final = part.with_name(part.name[: -len(PART)])
    os.replace(part, final)
    fsync_dir(part.parent)
    return Recovered(part, final, items, torn)


class FeedWriterPipeline:
    def __init__(
        self, crawler: Crawler, feed_dir: Path, gzip_output: bool, sync_items: int, stats: StatsCollector
    ) -> None:
        assert crawler.spidercls is not None
        self.crawler = crawler
        self.dir = feed_dir / crawler.spidercls.name
        self.gzip = gzip_output
        self.sync_items = max(1, sync_items)
        self.stats = stats
        self.started = datetime.now(UTC)
        self.path = self.part_path = Path()
        self._raw: IO[bytes] | None = None
        self._file: IO[bytes] | None = None
        self._exporter: JsonLinesItemExporter | None = None
        self._unsynced: list[int] = []
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_FEED_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_FEED_ENABLED is off")
        assert crawler.stats is not None
        feed_dir = Path(settings.get("NEWSCRAWL_FEED_DIR", "feeds"))
        check_writable_dir(feed_dir, "NEWSCRAWL_FEED_DIR")  # fail at start, not at the first item
        return cls(
            crawler,
            feed_dir=feed_dir,
            gzip_output=settings.getbool("NEWSCRAWL_FEED_GZIP", False),
            sync_items=settings.getint("NEWSCRAWL_FEED_SYNC_ITEMS", 50),
            stats=crawler.stats,
        )

    @property
    def run(self) -> RunState:
        return RunState.of(self.crawler)

    def open_spider(self) -> None:
        self.run.feed_writer_active = True
        self.dir.mkdir(parents=True, exist_ok=True)
        worker = self.crawler.settings.get("NEWSCRAWL_WORKER_ID") or ""
        tag = f"-{worker}" if worker else ""
        # Only this worker's leftovers: other workers sharing the folder may be running.
        leftovers = [p for p in self.dir.glob(f"*{PART}") if not worker or f"{tag}." in p.name]
        for part in sorted(leftovers):
            result = recover_part(part, self.run.recovered)
            self.stats.inc_value("newscrawl/feed/recovered_files")
            self.stats.inc_value("newscrawl/feed/recovered_items", len(result.items))
            self.stats.inc_value("newscrawl/feed/torn_lines", result.torn_lines)
            logger.warning(
                "Recovered %s from a run that did not finish: %d articles published as %s, %d torn line(s) dropped",
                part, len(result.items), result.published, result.torn_lines,
            )  # fmt: skip
        suffix = ".jsonl.gz" if self.gzip else ".jsonl"
        stamp, n = run_stamp(self.started), 0
        while True:  # two runs may start within one second
            self.path = self.dir / f"{stamp}{f'-{n}' if n else ''}{tag}{suffix}"
            self.part_path = self.path.with_name(self.path.name + PART)
            if not self.path.exists() and not self.part_path.exists():
                break
            n += 1

    def _open(self) -> JsonLinesItemExporter:
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

    def _sync(self) -> None:
        """Make written lines durable, then commit their articles as exported."""
        assert self._file is not None and self._raw is not None
        self._file.flush()  # gzip: a sync flush, so the bytes so far decompress on their own
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self.run.exported(self._unsynced)
        self._unsynced = []

    def process_item(self, item: Any) -> Any:
        if self._exporter is None:
            self._exporter = self._open()
        self._exporter.export_item(item)
        self._unsynced.append(ItemAdapter(item)["article_id"])
        self.count += 1
        if len(self._unsynced) >= self.sync_items:
            self._sync()
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
            self._file = self._raw
        self._sync()
        self._raw.close()
        os.replace(self.part_path, self.path)
        fsync_dir(self.dir)
        self.stats.set_value("newscrawl/feed/items", self.count)
        self.stats.set_value("newscrawl/feed/path", str(self.path))
        logger.info("Feed written: %s (%d articles)", self.path, self.count)
