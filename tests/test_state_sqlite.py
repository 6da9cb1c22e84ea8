"""The SQLite seen-state store: durable between runs, reset on demand."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from newscrawl.state import SQLiteSeenState, StoryVersion, version_of
from tests.helpers import feed_line

if TYPE_CHECKING:
    from pathlib import Path


def test_sqlite_state_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    state = SQLiteSeenState(path)
    key, version = version_of(json.loads(feed_line(7)))
    state.add_exported(key, version)
    state.add_dropped(8, "truncated")
    assert state.known_articles([7, 8, 9]) == {7, 8}  # buffered answers too
    state.flush()
    run = state.start_run("2026-01-01T00:00:00Z")
    state.finish_run(run, finish_reason="finished", items=1, exit_status=0)
    state.close()
    again = SQLiteSeenState(path)
    assert again.known_articles(range(1, 2000)) == {7, 8}
    (stored,) = again.story_versions(key)
    assert stored == version and isinstance(stored, StoryVersion)
    assert again.last_runs(1)[0]["finish_reason"] == "finished"
    again.reset()
    assert again.known_articles([7, 8]) == set() and again.story_versions(key) == []
    again.close()
