"""The analysts' dataset: Parquet by IST day, a ledger of feed files, DuckDB views; idempotent."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow.parquet as pq
from itemadapter import ItemAdapter

from newscrawl.export import export, main
from newscrawl.files import run_stamp
from newscrawl.site.timeparse import format_ist, format_ist_date, parse_iso
from tests.helpers import article_item

if TYPE_CHECKING:
    from pathlib import Path


def line(article_id: int, title: str, published: str, **kw: Any) -> dict[str, Any]:
    item = ItemAdapter(article_item(article_id, title, published=published, **kw)).asdict()
    moment = parse_iso(published)
    item.update(published_at_ist=format_ist(moment), published_date_ist=format_ist_date(moment))
    item["crawled_at"] = "2026-05-03T00:00:00Z"
    return item


def write_feed(feeds: Path, name: str, lines: list[dict[str, Any]]) -> Path:
    folder = feeds / "devdiscourse"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    return path


def query(out: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(out / "newscrawl.duckdb"), read_only=True) as db:
        return db.execute(sql).fetchall()


def test_feeds_become_partitions_by_ist_day_once(tmp_path: Path) -> None:
    feeds, out = tmp_path / "feeds", tmp_path / "dataset"
    write_feed(feeds, "2026-05-02T00-00-00Z", [
        line(1, "Oil rises", "2026-05-01T10:00:00Z"),
        line(2, "Gold falls", "2026-05-01T20:00:00Z"),  # 01:30 on the 2nd in India
    ])  # fmt: skip
    first = export(feeds, out)
    assert first.rows_added == 2 and first.partitions_written == ["2026-05-01", "2026-05-02"]
    manifest = json.loads((out / "articles" / "2026-05-02" / "manifest.json").read_text())
    assert manifest["rows"] == 1 and manifest["min_published_at"] == "2026-05-01T20:00:00Z"
    assert manifest["sources"] == ["2026-05-02T00-00-00Z.jsonl"] and len(manifest["sha256"]) == 64
    again = export(feeds, out)  # nothing new: nothing added, nothing rewritten
    assert again.rows_added == 0 and again.feeds_taken == [] and again.partitions_written == []
    assert query(out, "SELECT published_date_ist::VARCHAR, count(*) FROM articles GROUP BY 1 ORDER BY 1") == [
        ("2026-05-01", 1),
        ("2026-05-02", 1),
    ]


def test_versions_and_revisions_give_latest_and_stories(tmp_path: Path) -> None:
    feeds, out = tmp_path / "feeds", tmp_path / "dataset"
    write_feed(feeds, "2026-05-02T00-00-00Z", [
        line(1, "Oil rises", "2026-05-01T10:00:00Z"),
        line(3, "UPDATE 1-Oil rises", "2026-05-01T11:00:00Z", story_id=1, revision_of="https://x/article/business/1-x"),
        line(5, "Gold falls", "2026-05-01T12:00:00Z"),
    ])  # fmt: skip
    export(feeds, out)
    write_feed(feeds, "2026-05-02T06-00-00Z", [
        line(3, "UPDATE 1-Oil rises", "2026-05-01T11:00:00Z", story_id=1, version=2, body="Edited."),
    ])  # fmt: skip
    result = export(feeds, out)
    assert result.feeds_taken == ["2026-05-02T06-00-00Z.jsonl"] and result.rows_added == 1
    assert query(out, "SELECT count(*) FROM articles") == [(4,)]
    assert query(out, "SELECT article_id, version, body FROM latest WHERE article_id = 3") == [
        (3, 2, "Edited.")
    ]
    stories = query(
        out, "SELECT story_id, article_id, wire_revision, version, versions FROM stories ORDER BY 1"
    )
    assert stories == [(1, 3, 1, 2, 3), (5, 5, 0, 1, 1)]  # story 1: its newest revision, 3 lines


def test_an_export_stopped_before_its_ledger_duplicates_nothing(tmp_path: Path) -> None:
    feeds, out = tmp_path / "feeds", tmp_path / "dataset"
    write_feed(feeds, "2026-05-02T00-00-00Z", [line(1, "Oil rises", "2026-05-01T10:00:00Z")])
    export(feeds, out)
    (out / "feeds.json").unlink()  # as if stopped after the partition, before the ledger
    again = export(feeds, out)
    assert again.feeds_taken == ["2026-05-02T00-00-00Z.jsonl"] and again.rows_added == 0
    assert pq.read_table(out / "articles" / "2026-05-01" / "data.parquet").num_rows == 1


def test_older_feed_lines_are_completed_and_bad_lines_counted(tmp_path: Path) -> None:
    feeds, out = tmp_path / "feeds", tmp_path / "dataset"
    old = line(7, "UPDATE 2-Oil rises", "2026-05-01T10:00:00Z", revision_of="https://x/article/business/4-x")
    for name in ("story_id", "published_date_ist", "wire_revision"):
        del old[name]  # a feed from before these fields
    plain = line(8, "Oil rises", "2026-05-01T10:00:00Z")
    plain["wire_revision"] = None  # the old rule: null for the original
    path = write_feed(feeds, run_stamp(parse_iso("2026-05-02T00:00:00Z")), [old, plain])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    result = export(feeds, out)
    assert result.bad_lines == 1 and result.rows_added == 2
    rows = query(
        out,
        "SELECT article_id, story_id, wire_revision, published_date_ist::VARCHAR FROM articles ORDER BY 1",
    )
    assert rows == [(7, 4, 2, "2026-05-01"), (8, 8, 0, "2026-05-01")]


def test_the_command_says_what_it_did(tmp_path: Path, capsys: Any) -> None:
    feeds, out = tmp_path / "feeds", tmp_path / "dataset"
    assert main(["--feeds", str(feeds), "--out", str(out)]) == 2  # no feeds yet: one line, exit 2
    assert "no feeds in" in capsys.readouterr().err
    write_feed(feeds, "2026-05-02T00-00-00Z", [line(1, "Oil rises", "2026-05-01T10:00:00Z")])
    assert main(["--feeds", str(feeds), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "1 feed file(s) taken, 1 row(s) added to 1 partition(s)" in said and "newscrawl.duckdb" in said


def test_a_dataset_with_no_line_yet_has_queryable_views(tmp_path: Path) -> None:
    feeds, out = tmp_path / "feeds", tmp_path / "dataset"
    (feeds / "devdiscourse").mkdir(parents=True)  # runs so far exported nothing
    result = export(feeds, out)
    assert result.rows_added == 0
    for view in ("articles", "latest", "stories"):
        assert query(out, f"SELECT count(*) FROM {view}") == [(0,)]
    columns = [row[0] for row in query(out, "DESCRIBE articles")]
    assert columns[:3] == ["url", "article_id", "story_id"] and "feed_file" in columns
