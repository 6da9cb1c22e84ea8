"""The Redis seen-state against a real redis-server."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import TYPE_CHECKING

import pytest

from newscrawl.demo import as_args, workdir_settings
from newscrawl.replica.app import ReplicaApp
from newscrawl.replica.check import check_feed, read_feeds
from newscrawl.state import open_state, version_of
from newscrawl.state.redis import RedisSeenState
from tests.conftest import ROOT, Replica, child_env

if TYPE_CHECKING:
    from pathlib import Path


def item(article_id: int) -> dict[str, object]:
    return {"url": f"https://x/article/business/{article_id}-x", "article_id": article_id, "title": "Oil rises",
            "body": "one two three four five", "published_at": "2024-01-01T00:00:00Z"}  # fmt: skip


def test_redis_state_round_trip(redis_url: str) -> None:
    uri = f"{redis_url}?prefix=t-{uuid.uuid4().hex}"
    state = open_state(uri)
    assert isinstance(state, RedisSeenState)
    key, version = version_of(item(7))
    state.add_exported(key, version)
    state.add_dropped(8, "truncated")
    assert state.known_articles([7, 8, 9]) == {7, 8}  # buffered answers too
    state.flush()
    run = state.start_run("2026-01-01T00:00:00Z")
    state.finish_run(run, finish_reason="finished", items=1, exit_status=None)
    state.close()
    again = open_state(uri)
    assert again.known_articles(range(1, 2000)) == {7, 8}
    assert again.story_versions(key) == [version]
    assert again.last_runs(1)[0]["finish_reason"] == "finished"
    again.reset()
    assert again.known_articles([7, 8]) == set() and again.story_versions(key) == []
    again.close()


def test_wrong_password_fails_at_start(redis_url: str) -> None:
    import redis

    with pytest.raises(redis.exceptions.AuthenticationError):
        open_state(redis_url.replace("test-secret", "wrong"))


@pytest.mark.slow
def test_cron_runs_keep_their_state_in_redis(replica: Replica, redis_url: str, tmp_path: Path) -> None:
    uri = f"{redis_url}?prefix=cron-{uuid.uuid4().hex}"
    args = as_args({**workdir_settings(tmp_path), "NEWSCRAWL_STATE_URI": uri})
    command = [sys.executable, "-m", "newscrawl.cron", "--base-url", replica.base_url, *args]
    for _ in range(2):
        result = subprocess.run(
            command, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, result.stderr[-2000:]
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    assert len(feeds) == 1  # the second run found nothing new
    report = check_feed(
        read_feeds(feeds), ReplicaApp(replica.articles, replica.seed).corpus, replica.base_url
    )
    assert report.ok, report.summary()
    logs = "".join(p.read_text() for p in (tmp_path / "logs").glob("*.log"))
    assert "test-secret" not in logs
    state = open_state(uri)
    exported = {json.loads(line)["article_id"] for line in feeds[0].read_text().splitlines()}
    assert state.known_articles(exported) == exported
    state.close()
