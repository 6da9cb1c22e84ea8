"""The Redis seen-state against a real redis-server."""

from __future__ import annotations

import threading
import uuid

import pytest

from newscrawl.state import Decision, SharedSeenState, StoryVersion, open_state, version_of
from newscrawl.state.redis import RedisSeenState


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


def judge_same_rank(versions: list[StoryVersion]) -> Decision:
    """Any known version of the story makes a copy a duplicate (enough for these tests)."""
    return Decision("headline", versions[0].url) if versions else Decision()


def test_claims_are_check_and_set_across_workers(redis_url: str) -> None:
    uri = f"{redis_url}?prefix=claims-{uuid.uuid4().hex}"
    a, b = open_state(uri, "a"), open_state(uri, "b")
    assert isinstance(a, SharedSeenState) and isinstance(b, SharedSeenState)
    key, first = version_of(item(1))
    _, copy = version_of(item(2))  # another id, same headline and body: a re-syndicated copy
    assert a.claim(key, first, judge_same_rank).accepted
    # b sees a's claim at once, before a's feed line is durable
    assert b.claim(key, first, judge_same_rank) == Decision("url", "article 1")
    assert b.claim(key, copy, judge_same_rank).drop == "headline"
    assert b.known_articles([1, 2]) == {1, 2}  # claimed, and dropped for good
    a.add_exported(key, first)
    a.flush()
    assert a.story_versions(key) == [first]  # committed without a second entry
    a.close()
    b.close()


def test_racing_workers_export_one_copy(redis_url: str) -> None:
    uri = f"{redis_url}?prefix=race-{uuid.uuid4().hex}"
    workers = [open_state(uri, f"w{i}") for i in range(8)]
    key, _ = version_of(item(0))
    versions = [version_of(item(100 + i))[1] for i in range(8)]
    barrier = threading.Barrier(len(workers))
    decisions: list[Decision] = []

    def race(state: SharedSeenState, version: StoryVersion) -> None:
        barrier.wait()
        decisions.append(state.claim(key, version, judge_same_rank))

    threads = [threading.Thread(target=race, args=(s, v)) for s, v in zip(workers, versions, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(d.accepted for d in decisions) == 1, decisions
    assert len(workers[0].story_versions(key)) == 1
    for state in workers:
        state.close()


def test_a_killed_workers_rerun_releases_what_its_feed_lacks(redis_url: str) -> None:
    uri = f"{redis_url}?prefix=release-{uuid.uuid4().hex}"
    killed = RedisSeenState(uri, "w1")
    in_feed, lost = version_of(item(11)), version_of({**item(12), "title": "Gold falls", "body": "a b c d e"})
    for key, version in (in_feed, lost):
        assert killed.claim(key, version, judge_same_rank).accepted
    killed.db.close()  # killed: nothing committed, nothing flushed
    other = RedisSeenState(uri, "w2")
    assert other.known_articles([11, 12]) == {11, 12}  # claims hold while w1 may still recover them
    rerun = open_state(uri, "w1")
    assert isinstance(rerun, SharedSeenState)
    rerun.add_exported(*in_feed)  # what the .part file held, recovered
    assert rerun.release_claims() == 1
    assert other.known_articles([11, 12]) == {11}
    assert other.story_versions(in_feed[0]) == [in_feed[1]]
    assert other.story_versions(lost[0]) == []
    assert other.claim(lost[0], lost[1], judge_same_rank).accepted  # anyone may export it now
    for state in (other, rerun):
        state.close()


def test_known_before_crawl_ignores_what_this_crawl_settled(redis_url: str) -> None:
    uri = f"{redis_url}?prefix=crawls-{uuid.uuid4().hex}"
    earlier, this, other = RedisSeenState(uri, "a"), RedisSeenState(uri, "a"), RedisSeenState(uri, "b")
    earlier.crawl, this.crawl, other.crawl = 1, 2, 2
    earlier.add_exported(*version_of(item(1)))
    earlier.flush()
    other.add_exported(*version_of({**item(2), "title": "Another story"}))  # a worker of this crawl
    other.add_dropped(3, "truncated")
    other.flush()
    assert this.known_articles([1, 2, 3, 4]) == {1, 2, 3}
    assert this.known_before_crawl([1, 2, 3, 4]) == {1}  # only earlier crawls stop paging
    for state in (earlier, this, other):
        state.close()


def test_every_redis_client_honours_redis_params(redis_url: str) -> None:
    """One factory (scrapy-redis's): REDIS_PARAMS reaches the state store and the worker registry."""
    from scrapy.settings import Settings

    from newscrawl.distributed.registry import WorkerRegistry
    from newscrawl.redisclient import redis_client

    settings = Settings(
        {
            "REDIS_PARAMS": {"client_name": "newscrawl-params-test"},
            "NEWSCRAWL_REDIS_URL": redis_url,
            "NEWSCRAWL_STATE_URI": redis_url,
            "NEWSCRAWL_REDIS_HEARTBEAT_SECONDS": 10,
        }
    )
    client = redis_client(settings)
    state = RedisSeenState(f"{redis_url}?prefix=params-{uuid.uuid4().hex}", "w", settings)
    registry = WorkerRegistry.from_settings(settings, "devdiscourse")
    try:
        for db in (client, state.db, registry.db):
            assert db.client_getname() in ("newscrawl-params-test", b"newscrawl-params-test")
    finally:
        client.close()
        state.close()
        registry.db.close()
