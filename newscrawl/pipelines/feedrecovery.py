"""Recovery of a killed run's feed: the ``.part`` file it left, published.

A run killed at any moment leaves ``<stamp>.jsonl.part`` (or
``.jsonl.gz.part``) holding the lines it wrote; those fsynced are complete
and their articles may already be claimed. On the next start (the feed
writer's ``open_spider``) complete lines are kept, a torn last line is
dropped (a gzip stream cut mid-block is inflated as far as it goes), their
articles are recorded in the state, and only then is the file published.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawl.files import fsync_dir

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

PART = ".part"


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


def recover_part(part: Path, record: Callable[[Iterable[dict[str, Any]]], Any]) -> Recovered:
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
