"""The feed writer: a .part file fsynced in batches, published by rename."""

from __future__ import annotations

import gzip
import io
import json
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.exporters import JsonLinesItemExporter

from newscrawl.items import FIELD_NAMES, ArticleItem
from newscrawl.pipelines.feed import ArticleLinesExporter, FeedWriterPipeline
from tests.helpers import article_item, project_crawler

if TYPE_CHECKING:
    from pathlib import Path


def feed_pipeline(tmp_path: Path, **settings: Any) -> tuple[FeedWriterPipeline, Any]:
    c = project_crawler({"NEWSCRAWL_FEED_ENABLED": True, "NEWSCRAWL_FEED_DIR": str(tmp_path), **settings})
    pipeline = FeedWriterPipeline.from_crawler(c)
    pipeline.open_spider()
    return pipeline, c.stats


def test_feed_is_written_to_part_then_renamed(tmp_path: Path) -> None:
    pipeline, stats = feed_pipeline(tmp_path)
    pipeline.process_item(article_item(1, "₹500 crore for café owners"))
    pipeline.process_item(article_item(2, "Oil rises"))
    assert pipeline.part_path.exists() and not pipeline.path.exists()
    pipeline.close_spider()
    assert not pipeline.part_path.exists()
    assert pipeline.path.parent == tmp_path / "devdiscourse"
    assert pipeline.path.name.endswith("Z.jsonl")
    raw = pipeline.path.read_bytes()
    assert "₹500 crore for café owners".encode() in raw  # ensure_ascii=False, UTF-8
    lines = [json.loads(line) for line in raw.decode().splitlines()]
    assert [list(line) for line in lines] == [list(FIELD_NAMES)] * 2  # schema order, every key
    assert stats.get_value("newscrawl/feed/items") == 2


def test_run_with_nothing_new_leaves_no_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pipeline, _ = feed_pipeline(tmp_path)
    with caplog.at_level("INFO"):
        pipeline.close_spider()
    assert not any(tmp_path.rglob("*.jsonl*"))
    assert "no feed written" in caplog.text


def test_gzip_feed(tmp_path: Path) -> None:
    pipeline, _ = feed_pipeline(tmp_path, NEWSCRAWL_FEED_GZIP=True)
    pipeline.process_item(article_item(1, "Oil rises"))
    pipeline.close_spider()
    assert pipeline.path.name.endswith(".jsonl.gz")
    (line,) = gzip.decompress(pipeline.path.read_bytes()).decode().splitlines()
    assert json.loads(line)["article_id"] == 1


def test_feed_can_be_switched_off(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        feed_pipeline(tmp_path, NEWSCRAWL_FEED_ENABLED=False)


def test_feed_lines_are_byte_for_byte_what_scrapys_exporter_writes() -> None:
    revised = article_item(3, 'UPDATE 1-Oil rises \u2028 "quoted"')
    revised.revision_of, revised.version, revised.tags = "http://h/article/x/1-a", 2, ["a", "é"]
    items: list[Any] = [article_item(1, "₹500 crore for café owners"), ArticleItem(), revised]
    items.append({"article_id": 4, "title": "a dict item", "unknown": 1})  # Scrapy's own path
    for fields_to_export in (list(FIELD_NAMES), ["title", "article_id"]):
        ours, scrapys = io.BytesIO(), io.BytesIO()
        options: dict[str, Any] = {
            "encoding": "utf-8",
            "ensure_ascii": False,
            "fields_to_export": fields_to_export,
        }
        for exporter in (ArticleLinesExporter(ours, **options), JsonLinesItemExporter(scrapys, **options)):
            for item in items:
                exporter.export_item(item)
        assert ours.getvalue() == scrapys.getvalue()
        assert ours.getvalue().count(b"\n") == len(items)
