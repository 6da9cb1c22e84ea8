"""The analysts' dataset: every feed line of every run, as Parquet by IST day, with DuckDB views.

    newscrawl export [--feeds DIR] [--out DIR]        (or python -m newscrawl.export)

defaults ``feeds`` and ``dataset`` (``NEWSCRAWL_FEED_DIR`` and
``NEWSCRAWL_DATASET_DIR``; the cron entry point runs it after each run).

Layout of ``DIR``:

* ``articles/<YYYY-MM-DD>/data.parquet``: the lines published that day in
  India (``published_date_ist``; ``unknown/`` for lines without a date), one
  row per feed line with the file it came from (``feed_file``); times in UTC
  are timestamps, the IST forms stay text;
* ``articles/<YYYY-MM-DD>/manifest.json``: rows, min/max ``published_at``,
  the feed files it holds lines of, and the SHA-256 of ``data.parquet``;
* ``feeds.json``: the ledger of feed files taken (name, size, SHA-256, rows):
  a feed file is taken once, so running the export twice adds nothing;
* ``newscrawl.duckdb``: views ``articles`` (every line), ``latest`` (each
  article's newest version) and ``stories`` (one row per story: its newest
  revision, with ``versions``, the lines it has).

A partition is rewritten whole: old rows and new, deduplicated on
``(article_id, version)`` (a feed line's identity), written to a temporary
file, fsynced and renamed over the old one, then its manifest likewise; the
ledger is written last. An export stopped anywhere leaves every partition
whole, and the next one takes the unrecorded feed files again without
duplicating a row.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.files import fsync_dir
from newscrawl.items import FIELD_NAMES
from newscrawl.site.headlines import split_wire_prefixes
from newscrawl.site.timeparse import format_utc, parse_iso
from newscrawl.site.urls import parse_article_url

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

logger = logging.getLogger(__name__)

SPIDER = "devdiscourse"
UNKNOWN_DAY = "unknown"
LEDGER = "feeds.json"
DATABASE = "newscrawl.duckdb"
TIMESTAMP = pa.timestamp("s", tz="UTC")
_TYPES: dict[str, pa.DataType] = {
    "article_id": pa.int64(),
    "story_id": pa.int64(),
    "countries": pa.list_(pa.string()),
    "tags": pa.list_(pa.string()),
    "published_at": TIMESTAMP,
    "updated_at": TIMESTAMP,
    "crawled_at": TIMESTAMP,
    "published_date_ist": pa.date32(),
    "syndicated": pa.bool_(),
    "word_count": pa.int64(),
    "wire_revision": pa.int64(),
    "version": pa.int64(),
}
SCHEMA = pa.schema(
    [pa.field(name, _TYPES.get(name, pa.string())) for name in FIELD_NAMES]
    + [pa.field("feed_file", pa.string())]
)
VIEWS = {
    "articles": "SELECT * FROM read_parquet({glob})",
    "latest": "SELECT * FROM articles QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY version DESC) = 1",
    "stories": (
        "SELECT * EXCLUDE (newest) FROM ("
        " SELECT *, count(*) OVER (PARTITION BY story_id) AS versions,"
        " row_number() OVER (PARTITION BY story_id"
        "  ORDER BY wire_revision DESC, version DESC, published_at DESC, article_id DESC) AS newest"
        " FROM articles) WHERE newest = 1"
    ),
}


_SQL_TYPES = {
    pa.int64(): "BIGINT",
    pa.string(): "VARCHAR",
    pa.list_(pa.string()): "VARCHAR[]",
    TIMESTAMP: "TIMESTAMPTZ",
    pa.date32(): "DATE",
    pa.bool_(): "BOOLEAN",
}


def empty_columns() -> str:
    """The dataset's columns as typed NULLs, for the views of a dataset with no line yet.

    >>> empty_columns().split(", ")[:2]
    ['NULL::VARCHAR AS url', 'NULL::BIGINT AS article_id']
    """
    return ", ".join(f"NULL::{_SQL_TYPES[f.type]} AS {f.name}" for f in SCHEMA)


def parse_utc(value: Any) -> datetime | None:
    """
    >>> parse_utc("2026-05-01T10:00:00Z")
    datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.timezone.utc)
    >>> parse_utc(None) is None
    True
    """
    return parse_iso(value) if value else None


def completed(line: dict[str, Any]) -> dict[str, Any]:
    """A feed line with the fields older feeds lack filled in as the crawler fills them now.

    >>> row = completed({"article_id": 7, "revision_of": "https://h/article/x/5-a", "published_at_ist": "2026-05-01T01:00:00+05:30"})
    >>> row["story_id"], row["wire_revision"], row["published_date_ist"], row["version"]
    (5, 0, '2026-05-01', 1)
    >>> completed({"article_id": 8, "title": "UPDATE 2-Oil rises"})["wire_revision"]
    2
    """
    row = {name: line.get(name) for name in FIELD_NAMES}
    if row["story_id"] is None:  # before story ids: a revision's story is its first version's article
        first = parse_article_url(row["revision_of"]) if row["revision_of"] else None
        row["story_id"] = first.article_id if first is not None else row["article_id"]
    if row["wire_revision"] is None:  # before: null for the original; now 0, read from the title
        row["wire_revision"] = split_wire_prefixes(row["title"]).revision if row["title"] else 0
    if row["published_date_ist"] is None and row["published_at_ist"]:
        row["published_date_ist"] = row["published_at_ist"][:10]
    row["version"] = row["version"] or 1
    row["countries"] = row["countries"] or []
    row["tags"] = row["tags"] or []
    return row


def arrow_row(row: dict[str, Any], feed_file: str) -> dict[str, Any]:
    out = dict(row)
    for name in ("published_at", "updated_at", "crawled_at"):
        out[name] = parse_utc(row[name])
    day = row["published_date_ist"]
    out["published_date_ist"] = date.fromisoformat(day) if day else None
    out["feed_file"] = feed_file
    return out


@dataclass
class FeedFile:
    """One published feed file, read once: its lines, and what the ledger keeps of it."""

    rows: list[dict[str, Any]]
    bad_lines: int  # not JSON objects with an article_id: skipped
    size: int
    sha256: str


def read_feed(path: Path) -> FeedFile:
    raw = path.read_bytes()
    data = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    rows, bad = [], 0
    for number, text in enumerate(data.decode("utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except ValueError:
            line = None
        if not isinstance(line, dict) or not isinstance(line.get("article_id"), int):
            bad += 1
            logger.warning("%s:%d: not a feed line, skipped", path, number)
            continue
        rows.append(completed(line))
    return FeedFile(rows, bad, len(raw), hashlib.sha256(raw).hexdigest())


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def write_json(path: Path, value: Any) -> None:
    write_atomically(path, (json.dumps(value, indent=2, sort_keys=True) + "\n").encode())


@dataclass
class ExportResult:
    feeds_taken: list[str] = field(default_factory=list)
    rows_added: int = 0
    partitions_written: list[str] = field(default_factory=list)
    bad_lines: int = 0
    database: Path | None = None

    def summary(self) -> str:
        """
        >>> ExportResult(["a.jsonl"], 3, ["2026-05-01"]).summary()
        '1 feed file(s) taken, 3 row(s) added to 1 partition(s)'
        """
        text = (
            f"{len(self.feeds_taken)} feed file(s) taken, {self.rows_added} row(s) added"
            f" to {len(self.partitions_written)} partition(s)"
        )
        return text + (f", {self.bad_lines} bad line(s) skipped" if self.bad_lines else "")


class Dataset:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.articles = out / "articles"

    def ledger(self) -> dict[str, dict[str, Any]]:
        path = self.out / LEDGER
        if not path.exists():
            return {}
        try:
            ledger: dict[str, dict[str, Any]] = json.loads(path.read_text("utf-8"))["feeds"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"{path} is not a newscrawl dataset ledger ({exc}): move it away to rebuild"
            ) from None
        return ledger

    def partition_rows(self, day: str) -> pa.Table | None:
        path = self.articles / day / "data.parquet"
        return pq.read_table(path, schema=SCHEMA) if path.exists() else None

    def write_partition(self, day: str, new: list[dict[str, Any]]) -> int:
        """Old rows and new, one row per (article_id, version); how many rows are new."""
        folder = self.articles / day
        folder.mkdir(parents=True, exist_ok=True)
        old = self.partition_rows(day)
        rows = old.to_pylist() if old is not None else []
        seen = {(r["article_id"], r["version"]) for r in rows}
        added = 0
        for row in new:
            key = (row["article_id"], row["version"])
            if key not in seen:
                seen.add(key)
                rows.append(row)
                added += 1
        if not added and old is not None:
            return 0
        epoch = datetime.min.replace(tzinfo=UTC)
        rows.sort(key=lambda r: (r["published_at"] or epoch, r["article_id"], r["version"]))
        table = pa.Table.from_pylist(rows, schema=SCHEMA)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        data = sink.getvalue().to_pybytes()
        write_atomically(folder / "data.parquet", data)
        published = [r["published_at"] for r in rows if r["published_at"] is not None]
        write_json(
            folder / "manifest.json",
            {
                "rows": len(rows),
                "min_published_at": format_utc(min(published)) if published else None,
                "max_published_at": format_utc(max(published)) if published else None,
                "sources": sorted({r["feed_file"] for r in rows}),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        return added

    def refresh_views(self) -> Path:
        import duckdb

        path = self.out / DATABASE
        glob = str((self.articles / "*" / "data.parquet").resolve()).replace("'", "''")
        with duckdb.connect(str(path)) as db:
            if not any(self.articles.glob("*/data.parquet")):  # no line yet: the same columns, no row
                db.execute(f"CREATE OR REPLACE VIEW articles AS SELECT {empty_columns()} WHERE false")
            else:
                db.execute(f"CREATE OR REPLACE VIEW articles AS {VIEWS['articles'].format(glob=repr(glob))}")
            for name in ("latest", "stories"):
                db.execute(f"CREATE OR REPLACE VIEW {name} AS {VIEWS[name]}")
        return path


def feed_files(feeds: Path) -> Iterator[Path]:
    """Published feed files (never ``.part``: a run still writing, or killed), oldest first."""
    folder = feeds / SPIDER
    yield from sorted(p for p in folder.glob("*.jsonl*") if p.name.endswith((".jsonl", ".jsonl.gz")))


def export(feeds: Path, out: Path, files: Iterable[Path] | None = None) -> ExportResult:
    """Add the feed files the dataset has not taken yet; idempotent."""
    dataset = Dataset(out)
    out.mkdir(parents=True, exist_ok=True)
    ledger = dataset.ledger()
    result = ExportResult()
    by_day: dict[str, list[dict[str, Any]]] = {}
    taken: dict[str, dict[str, Any]] = {}
    for path in files if files is not None else feed_files(feeds):
        if path.name in ledger:
            if ledger[path.name]["size"] != path.stat().st_size:
                logger.warning("%s changed since the dataset took it: not taken again", path)
            continue
        feed = read_feed(path)
        result.bad_lines += feed.bad_lines
        for row in feed.rows:
            by_day.setdefault(row["published_date_ist"] or UNKNOWN_DAY, []).append(arrow_row(row, path.name))
        taken[path.name] = {
            "size": feed.size,
            "sha256": feed.sha256,
            "rows": len(feed.rows),
            "taken_at": format_utc(datetime.now(UTC)),
        }
    for day in sorted(by_day):
        added = dataset.write_partition(day, by_day[day])
        if added:
            result.rows_added += added
            result.partitions_written.append(day)
    if taken:
        write_json(out / LEDGER, {"feeds": {**ledger, **taken}})
    result.feeds_taken = sorted(taken)
    result.database = dataset.refresh_views()
    return result


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    parser = argparse.ArgumentParser(prog="newscrawl export", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--feeds", default=settings.get("NEWSCRAWL_FEED_DIR"), help="feed folder (NEWSCRAWL_FEED_DIR)"
    )
    parser.add_argument(
        "--out", default=settings.get("NEWSCRAWL_DATASET_DIR") or "dataset", help="dataset folder"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="newscrawl export: %(message)s")
    feeds, out = Path(args.feeds), Path(args.out)
    if not (feeds / SPIDER).is_dir():
        print(f"newscrawl export: no feeds in {feeds / SPIDER}", file=sys.stderr)
        return 2
    try:
        result = export(feeds, out)
    except (OSError, ValueError) as exc:
        print(f"newscrawl export: {exc}", file=sys.stderr)
        return 1
    print(f"newscrawl export: {result.summary()}; query {result.database} (views articles, latest, stories)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
