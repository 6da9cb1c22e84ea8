"""Recovery of a killed run's .part feed: complete lines kept, torn ones dropped."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

import pytest

from newscrawl.pipelines.feedrecovery import read_part, recover_part
from tests.helpers import feed_line

if TYPE_CHECKING:
    from pathlib import Path


def test_recovery_keeps_complete_lines_and_drops_a_torn_one(tmp_path: Path) -> None:
    part = tmp_path / "2026-01-01T00-00-00Z.jsonl.part"
    part.write_bytes(feed_line(1) + feed_line(2) + feed_line(3)[:25])
    recorded: list[int] = []
    result = recover_part(part, lambda items: recorded.extend(i["article_id"] for i in items))
    assert recorded == [1, 2] and result.torn_lines == 1
    assert not part.exists() and result.published == tmp_path / "2026-01-01T00-00-00Z.jsonl"
    assert result.published.read_bytes() == feed_line(1) + feed_line(2)


def test_recovery_of_a_cut_gzip_feed(tmp_path: Path) -> None:
    part = tmp_path / "f.jsonl.gz.part"
    with part.open("wb") as raw:
        out = gzip.GzipFile(fileobj=raw, mode="wb")
        out.write(feed_line(1) + feed_line(2))
        out.flush()  # a sync point, as the feed writer makes on every batch
        out.write(feed_line(3) * 50)
        out.flush()
        raw.truncate(raw.tell() - 40)  # the process dies mid-block: no trailer, a cut block
        raw.seek(0, 2)
        raw.write(b"\xffjunk")
        out.close()
    items, _, _ = read_part(part)
    assert [i["article_id"] for i in items][:2] == [1, 2]
    assert all(i["article_id"] in (1, 2, 3) for i in items)
    result = recover_part(part, lambda items: None)
    assert result.published is not None
    assert gzip.decompress(result.published.read_bytes()) == feed_line(1) + feed_line(2)


def test_empty_part_file_is_removed(tmp_path: Path) -> None:
    part = tmp_path / "f.jsonl.part"
    part.write_bytes(b'{"url": "x", "arti')
    result = recover_part(part, lambda items: pytest.fail("nothing to record"))
    assert result.published is None and not part.exists()
