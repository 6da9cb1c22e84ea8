"""Scale-out: pages/s with 1, 2 and 3 distributed workers; Redis memory per 1M keys.

    .venv/bin/python -m bench.workers [--articles 3000] [--workers 1 2 3] [--keys 1000000]

Starts its own redis-server (no persistence, temp dir, loopback) and one
replica; for each worker count, empties Redis and starts that many identical
``scrapy crawl devdiscourse`` workers at once (politeness off). "Crawl seconds"
run from the start to the last page served (polled from the replica's access
log), so start-up is in and the idle wait before workers close is not. Then
fills Redis with 1M request fingerprints (as the dupefilter stores them) and
1M seen-state article ids and reads ``used_memory``. Reports; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.incremental import serve
from newscrawl.state import version_of
from newscrawl.state.redis import RedisSeenState
from replica.app import ReplicaApp
from replica.check import check_feed, read_feeds
from replica.demo import LOOPBACK_SETTINGS, as_args
from replica.launch import stop

ROOT = Path(__file__).resolve().parent.parent


def start_redis(work: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(work)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            return process, url
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)


def lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def crawl(workers: int, base_url: str, redis_url: str, log: Path, feeds: Path) -> tuple[int, float, float]:
    """(pages, crawl seconds, CPU seconds of all workers)."""
    common = [
        *as_args(LOOPBACK_SETTINGS),
        "-s", "LOG_LEVEL=WARNING",
        "-s", f"NEWSCRAWL_REDIS_URL={redis_url}",
        "-s", "NEWSCRAWL_REDIS_IDLE_SECONDS=2",
        "-s", f"NEWSCRAWL_FEED_DIR={feeds}",
        "-s", f"NEWSCRAWL_LOG_DIR={feeds.parent / 'logs'}",  # reports: not the checkout's logs/
        "-a", f"base_url={base_url}",
    ]  # fmt: skip
    before = lines(log)
    started = last_change = time.monotonic()
    command = [sys.executable, "-m", "scrapy", "crawl", "devdiscourse", *common]
    processes = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    running, seen, cpu = {p.pid for p in processes}, before, 0.0
    while running:
        time.sleep(0.1)
        now = lines(log)
        if now != seen:
            seen, last_change = now, time.monotonic()
        for pid in list(running):
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                running.discard(pid)
                cpu += usage.ru_utime + usage.ru_stime
                if os.waitstatus_to_exitcode(status) != 0:
                    raise RuntimeError(f"a worker failed with status {status}")
    return seen - before, last_change - started, cpu


def memory_per_million(redis_url: str, keys: int) -> tuple[float, float]:
    """MB of Redis memory for ``keys`` dupefilter fingerprints, and for ``keys`` seen-state ids."""
    db = redis.Redis.from_url(redis_url)
    db.flushdb()
    results = []
    for fill in ("fingerprints", "articles"):
        base = int(db.info("memory")["used_memory"])
        pipe = db.pipeline(transaction=False)
        for start in range(0, keys, 10_000):
            chunk = range(start, min(keys, start + 10_000))
            if fill == "fingerprints":  # what IdDupeFilter adds: a 40-hex-digit fingerprint
                pipe.sadd("devdiscourse:dupefilter", *(f"{i:040x}" for i in chunk))
            else:  # article id -> status, as newscrawl/state/redis.py stores it
                pipe.hset("newscrawl:articles", mapping=dict.fromkeys(chunk, 1))
            pipe.execute()
        used = int(db.info("memory")["used_memory"]) - base
        results.append(used / 2**20 * 1_000_000 / keys)
    db.flushdb()
    db.close()
    return results[0], results[1]


def state_per_million(redis_url: str, articles: int) -> float:
    """MB of Redis memory per 1M articles exported through the seen-state (ids and story versions)."""
    db = redis.Redis.from_url(redis_url)
    db.flushdb()
    base = int(db.info("memory")["used_memory"])
    state = RedisSeenState(redis_url, "bench")
    words = [f"w{i}" for i in range(5000)]
    for i in range(articles):
        body = " ".join(words[(i * 7 + k) % 5000] for k in range(300))
        state.add_exported(*version_of({
            "url": f"https://www.devdiscourse.com/article/business/{i}-a-headline-of-several-words-here",
            "article_id": i, "title": f"Headline number {i} about markets", "body": body,
            "published_at": "2024-01-01T00:00:00Z",
        }))  # fmt: skip
        if i % 5000 == 4999:
            state.flush()
    state.close()
    used = int(db.info("memory")["used_memory"]) - base
    db.flushdb()
    db.close()
    return used / 2**20 * 1_000_000 / articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workers")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--keys", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        log = work / "access.log"
        log.touch()
        try:
            redis_process, redis_url = start_redis(work)
        except FileNotFoundError:
            print("Not measured: redis-server is not installed here (apt-get install redis-server).")
            return 0
        replica, base_url = serve(args.articles, 5, log)
        try:
            corpus = ReplicaApp(args.articles, 5).corpus
            for n in args.workers:
                redis.Redis.from_url(redis_url).flushdb()
                feeds = work / f"feeds-{n}"
                pages, seconds, cpu = crawl(n, base_url, redis_url, log, feeds)
                items = read_feeds(sorted(feeds.rglob("*.jsonl")))
                report = check_feed(items, corpus, base_url, ordered=False)
                memory = int(redis.Redis.from_url(redis_url).info("memory")["used_memory"])
                rows.append((n, pages, len(items), seconds, cpu, report.ok, memory / 2**20))
            fingerprints_mb, articles_mb = memory_per_million(redis_url, args.keys)
            versions_mb = state_per_million(redis_url, args.keys // 10)
        finally:
            stop(replica)
            redis_process.terminate()
            redis_process.wait(timeout=10)
    one = rows[0][1] / rows[0][3]
    print(
        f"Replica of {args.articles} articles; {os.cpu_count()} cores shared by the workers, the replica and Redis.\n"
    )
    print(
        "| workers | pages | items | crawl seconds | pages/s | x 1 worker | CPU s / 1000 pages | union = truth | Redis MB after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for n, pages, count, seconds, cpu, ok, redis_mb in rows:
        rate = pages / seconds
        print(
            f"| {n} | {pages} | {count} | {seconds:.1f} | {rate:.0f} | {rate / one:.2f} |"
            f" {cpu / pages * 1000:.1f} | {'yes' if ok else 'NO'} | {redis_mb:.1f} |"
        )
    print(f"\nRedis memory per 1M request fingerprints (dupefilter set): {fingerprints_mb:.0f} MB")
    print(f"Redis memory per 1M seen-state article ids (hash): {articles_mb:.0f} MB")
    print(
        f"Redis memory per 1M exported articles in the seen-state (id, story version with its"
        f" 64-hash body sketch; measured on {args.keys // 10:,}): {versions_mb / 1024:.2f} GB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
