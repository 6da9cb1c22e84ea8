"""Item pipelines, in the order items pass them (see ``ITEM_PIPELINES``)."""

from __future__ import annotations

from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.pipelines.feed import FeedWriterPipeline
from newscrawl.pipelines.validation import ValidationPipeline

__all__ = ["DedupePipeline", "FeedWriterPipeline", "ValidationPipeline"]
