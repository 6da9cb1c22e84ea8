"""Where the full crawl's CPU goes, stage by stage, per page.

    .venv/bin/python -m bench.stages [--articles 3000]

One full crawl of the replica, in this process, with the project's settings
(politeness off, memory state), and a clock around each stage's entry points:
parsing HTML (lxml via parsel), link following, extraction, the item loader,
the spider's callbacks otherwise, validation, dedupe, the feed writer, the
incremental middleware's state lookups, and stats and monitors (channel
bookkeeping, export stats, page outcomes, Spidermon). Times are exclusive: a
stage called inside another (the loader inside extraction) counts only for
itself. What no stage claims, between the spider opening and closing, is
Scrapy's own per-request work (engine, scheduler, dupefilter, middlewares,
downloader, Twisted). The clock costs about a microsecond a call. Reports
numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.incremental import serve
from replica.demo import LOOPBACK_SETTINGS
from replica.launch import stop


class StageClock:
    """Exclusive CPU time per stage: a stage's time less the stages it called."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.stack: list[list[Any]] = []

    def enter(self, stage: str) -> None:
        self.stack.append([stage, time.process_time(), 0.0])

    def leave(self) -> None:
        stage, started, children = self.stack.pop()
        elapsed = time.process_time() - started
        self.totals[stage] += elapsed - children
        if self.stack:
            self.stack[-1][2] += elapsed

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)
        clock = self
        if inspect.isgeneratorfunction(original):

            @functools.wraps(original)
            def generator(*args: Any, **kwargs: Any) -> Any:
                inner = original(*args, **kwargs)
                while True:
                    clock.enter(stage)
                    try:
                        value = next(inner)
                    except StopIteration:
                        return
                    finally:
                        clock.leave()
                    yield value

            setattr(owner, name, generator)
            return

        # Signal handlers are called with only the arguments they name (pydispatch reads the
        # signature): the wrapper passes on what the original takes.
        parameters = inspect.signature(original).parameters
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())

        @functools.wraps(original)
        def function(*args: Any, **kwargs: Any) -> Any:
            if not takes_any:
                kwargs = {k: v for k, v in kwargs.items() if k in parameters}
            clock.enter(stage)
            try:
                return original(*args, **kwargs)
            finally:
                clock.leave()

        setattr(owner, name, function)


STAGES = [
    # (stage, module, owner (None: the module), attributes)
    ("parse HTML (lxml via parsel)", "parsel.selector", None, ["create_root_node"]),
    ("link following", "newscrawl.spiders.devdiscourse", "DevdiscourseSpider", ["follow_articles"]),
    ("extraction (selectors, JSON-LD, fields)", "newscrawl.spiders.devdiscourse", None, ["extract_article"]),
    ("item loader (processors)", "itemloaders", "ItemLoader", ["add_value", "get_output_value", "load_item"]),
    ("spider callbacks otherwise", "newscrawl.spiders.devdiscourse", "DevdiscourseSpider",
     ["parse_article", "parse_listing", "parse_archive", "parse_news_sitemap", "parse_sector_api", "parse_home"]),
    ("validation (JSON Schema)", "newscrawl.pipelines.validation", "ValidationPipeline", ["process_item"]),
    ("dedupe (sketch, state)", "newscrawl.pipelines.dedupe", "DedupePipeline", ["process_item"]),
    ("feed write (JSON, fsync)", "newscrawl.pipelines.feed", "FeedWriterPipeline", ["process_item", "close_spider"]),
    ("incremental middleware (state lookups)", "newscrawl.middlewares.incremental", "IncrementalMiddleware",
     ["get_processed_request"]),
    ("stats and monitors", "newscrawl.discovery.channels", "ChannelStats",
     ["request_reached", "response_downloaded", "item_scraped", "listed", "reached", "spider_closed"]),
    ("stats and monitors", "newscrawl.health.exportstats", "ExportStats", ["item_scraped", "spider_closed"]),
    ("stats and monitors", "newscrawl.health.outcomes", "PageOutcomes", ["fetched", "extracted", "dropped"]),
    ("stats and monitors", "spidermon.contrib.scrapy.extensions", "Spidermon", ["spider_closed"]),
]  # fmt: skip
SCRAPY = "Scrapy's own per request (engine, scheduler, middlewares, downloader, Twisted)"


def instrument(clock: StageClock) -> None:
    import importlib

    for stage, module_name, owner_name, attributes in STAGES:
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        for attribute in attributes:
            clock.wrap(owner, attribute, stage)


def crawl(base_url: str, work: Path, clock: StageClock) -> tuple[float, int]:
    """(CPU seconds from the spider opening to its closing, responses)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for name, value in {
        **LOOPBACK_SETTINGS,
        "LOG_LEVEL": "WARNING",
        "NEWSCRAWL_STATE_URI": "memory:",
        "NEWSCRAWL_FEED_DIR": str(work / "feeds"),
        "NEWSCRAWL_LOG_DIR": str(work / "logs"),
    }.items():
        settings.set(name, value, priority="cmdline")
    instrument(clock)
    window: dict[str, float] = {}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("devdiscourse")

    def opened() -> None:
        window["start"] = time.process_time()

    def closed() -> None:
        window["end"] = time.process_time()

    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.engine_stopped)
    process.crawl(crawler, base_url=base_url)
    process.start()
    assert crawler.stats is not None
    return window["end"] - window["start"], int(crawler.stats.get_value("response_received_count", 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stages")
    parser.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args(argv)
    clock = StageClock()
    with tempfile.TemporaryDirectory() as tmp:
        work, log = Path(tmp), Path(tmp) / "access.log"
        process, url = serve(args.articles, 1, log)
        try:
            total, pages = crawl(url, work, clock)
        finally:
            stop(process)
    stages = dict(clock.totals)
    stages[SCRAPY] = total - sum(stages.values())
    print(f"Replica of {args.articles} articles: {pages} pages, {total / pages * 1000:.2f} ms CPU per page"
          " between the spider opening and the engine stopping (instrumented).\n")  # fmt: skip
    print("| stage | CPU ms / page | share |")
    print("|---|---:|---:|")
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"| {stage} | {seconds / pages * 1000:.2f} | {seconds / total:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
