"""The worker registry against a real redis-server: ids, liveness, who starts a crawl."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import uuid
from typing import TYPE_CHECKING

import pytest
import redis

from newscrawl.distributed.admin import main, reset
from newscrawl.distributed.registry import WorkerIdInUseError, WorkerRegistry
from newscrawl.state import Decision, version_of
from newscrawl.state.redis import RedisSeenState

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def db(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def registry(db: redis.Redis, spider: str) -> WorkerRegistry:
    return WorkerRegistry(db, spider, heartbeat=10)


def test_identical_workers_get_their_own_ids_and_one_starts_the_crawl(db: redis.Redis) -> None:
    spider = f"s-{uuid.uuid4().hex}"
    db.sadd(f"{spider}:dupefilter", "old-fingerprint")
    first = registry(db, spider).join(None)
    host = socket.gethostname()
    assert first.worker_id == f"{host}-1" and first.first
    assert not db.exists(f"{spider}:dupefilter")  # a new crawl fetches what the last one lost
    db.sadd(f"{spider}:dupefilter", "this-crawl")
    second = registry(db, spider).join(None)
    assert second.worker_id == f"{host}-2" and not second.first and second.others == (f"{host}-1",)
    assert db.exists(f"{spider}:dupefilter")  # joining keeps the running crawl's fingerprints


def test_a_live_workers_id_is_refused(db: redis.Redis) -> None:
    spider = f"s-{uuid.uuid4().hex}"
    registry(db, spider).join("w1")
    with pytest.raises(WorkerIdInUseError, match="'w1' is in use by pid"):
        registry(db, spider).join("w1")


def test_a_dead_workers_slot_is_free_at_once_on_its_host(db: redis.Redis) -> None:
    spider = f"s-{uuid.uuid4().hex}"
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    dead_pid = int(child.stdout)  # a process that has exited
    entry = {"host": socket.gethostname(), "pid": dead_pid, "beat": float(db.time()[0]), "idle_since": None}
    db.hset(f"{spider}:workers", "w1", json.dumps(entry))
    member = registry(db, spider).join("w1")  # the killed worker's rerun takes its id back
    assert member.worker_id == "w1" and member.first


def test_a_silent_worker_on_another_host_expires(db: redis.Redis) -> None:
    spider = f"s-{uuid.uuid4().hex}"
    now = float(db.time()[0])
    for name, beat in (("fresh", now), ("stale", now - 31)):
        entry = {"host": "elsewhere", "pid": 1, "beat": beat, "idle_since": None}
        db.hset(f"{spider}:workers", name, json.dumps(entry))
    reg = registry(db, spider)
    assert set(reg.live_workers()) == {"fresh"}
    member = reg.join(None)
    assert not member.first and member.others == ("fresh",)
    assert reg.all_idle_for() == 0.0  # "fresh" is busy: nobody may close yet
    reg.beat(member.worker_id, idle_since=now - 3)
    db.hset(
        f"{spider}:workers",
        "fresh",
        json.dumps({"host": "elsewhere", "pid": 1, "beat": now, "idle_since": now - 5}),
    )
    assert 2.5 < reg.all_idle_for() < 60  # every live worker idle: the most recent one counts


def test_reset_is_refused_while_a_worker_runs(db: redis.Redis, redis_url: str) -> None:
    registry(db, "devdiscourse").join("busy-worker")
    try:
        with pytest.raises(RuntimeError, match="workers are running: busy-worker"):
            reset(redis_url)
    finally:
        registry(db, "devdiscourse").leave("busy-worker")


def test_release_frees_a_lost_workers_claims(redis_url: str) -> None:
    uri = f"{redis_url.rsplit('/', 1)[0]}/4"
    lost = RedisSeenState(uri, "gone-host-1")
    key, version = version_of({"url": "https://x/article/business/5-x", "article_id": 5, "title": "Oil",
                               "body": "one two three four", "published_at": None})  # fmt: skip
    assert lost.claim(key, version, lambda versions: Decision()).accepted
    lost.db.close()  # its host is gone, with its .part file
    other = RedisSeenState(uri, "w2")
    assert other.known_articles([5]) == {5}
    assert main(["release", "--worker", "gone-host-1", "--redis-url", uri]) == 0
    assert other.known_articles([5]) == set() and other.story_versions(key) == []
    other.close()
