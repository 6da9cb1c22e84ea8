"""The Redis seen-state against a real redis-server."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import TYPE_CHECKING

import pytest

from newscrawl.state import open_state
from replica.app import ReplicaApp
from replica.check import check_feed, read_feeds
from replica.demo import as_args, workdir_settings
from tests.conftest import ROOT, Replica, child_env

if TYPE_CHECKING:
    from pathlib import Path


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
