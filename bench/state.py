"""Seen-state at scale: SQLite size and lookups at 1M keys; crawler RSS with it.

    .venv/bin/python -m bench.state [--keys 1000000]

Fills a state with ``--keys`` exported articles (each with its story row, as a
real crawl writes them), reports file size, insert rate and lookup rates, then
runs a "nothing new" crawl of a small replica against that state and against
an empty one and reports each crawl's peak RSS. Reports; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.incremental import serve
from newscrawl.state import SQLiteSeenState, StoryVersion, story_key
from replica.demo import LOOPBACK_SETTINGS, as_args
from replica.launch import stop

ROOT = Path(__file__).resolve().parent.parent
BATCH = 10_000


def fill(path: Path, keys: int) -> float:
    state = SQLiteSeenState(path)
    rng = random.Random(1)
    started = time.perf_counter()
    for start in range(0, keys, BATCH):
        for article_id in range(start + 10_000_000, min(start + BATCH, keys) + 10_000_000):
            version = StoryVersion(
                url=f"https://www.devdiscourse.com/article/business/{article_id}-some-headline-of-the-story",
                article_id=article_id,
                published=1.6e9 + article_id,
                revision=0,
                corrections=0,
                sketch=tuple(sorted(rng.getrandbits(32) for _ in range(64))),
            )
            state.add_exported(story_key(f"headline {article_id}"), version)
        state.flush()
    seconds = time.perf_counter() - started
    state.close()
    return seconds


def lookups(path: Path, keys: int) -> tuple[float, float, float]:
    state = SQLiteSeenState(path)
    rng = random.Random(2)
    ids = [rng.randrange(10_000_000, 10_000_000 + 2 * keys) for _ in range(20_000)]
    started = time.perf_counter()
    for i in ids:
        state.known_articles([i])
    single = len(ids) / (time.perf_counter() - started)
    started = time.perf_counter()
    for start in range(0, len(ids), 100):
        state.known_articles(ids[start : start + 100])
    batched = len(ids) / (time.perf_counter() - started)
    keys_to_find = [
        story_key(f"headline {rng.randrange(10_000_000, 10_000_000 + keys)}") for _ in range(5_000)
    ]
    started = time.perf_counter()
    for key in keys_to_find:
        state.story_versions(key)
    stories = len(keys_to_find) / (time.perf_counter() - started)
    state.close()
    return single, batched, stories


def crawl_rss(url: str, state_uri: str, work: Path) -> float:
    args = as_args(LOOPBACK_SETTINGS)
    command = [sys.executable, "-m", "scrapy", "crawl", "devdiscourse", "-a", f"base_url={url}", *args,
               "-s", f"NEWSCRAWL_STATE_URI={state_uri}", "-s", f"NEWSCRAWL_FEED_DIR={work / 'feeds'}",
               "-s", "LOG_LEVEL=WARNING", "-s", f"NEWSCRAWL_LOG_DIR={work / 'logs'}"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.state")
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=500, help="replica for the RSS crawls")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "state.sqlite"
        insert_seconds = fill(path, args.keys)
        size = path.stat().st_size
        single, batched, stories = lookups(path, args.keys)
        log = work / "access.log"
        log.touch()
        process, url = serve(args.articles, 1, log)
        try:
            # the big state first learns the replica (one full run), then both do a "nothing new" run
            crawl_rss(url, f"sqlite:///{path}", work)
            crawl_rss(url, f"sqlite:///{work / 'small.sqlite'}", work)
            big = crawl_rss(url, f"sqlite:///{path}", work)
            empty = crawl_rss(url, f"sqlite:///{work / 'small.sqlite'}", work)
        finally:
            stop(process)
    print(f"State of {args.keys:,} exported articles (SQLite, WAL, WITHOUT ROWID tables)\n")
    print("| measure | value |\n|---|---:|")
    print(f"| file size | {size / 1e6:.0f} MB ({size / args.keys:.0f} bytes per article) |")
    print(f"| insert rate (batches of {BATCH:,}) | {args.keys / insert_seconds:,.0f} articles/s |")
    print(f"| known_articles, one id a call | {single:,.0f} lookups/s |")
    print(f"| known_articles, 100 ids a call | {batched:,.0f} ids/s |")
    print(f"| story_versions by key | {stories:,.0f} lookups/s |")
    print(f"| crawler peak RSS, nothing-new run, {args.keys:,}-key state | {big:.0f} MB |")
    print(f"| crawler peak RSS, nothing-new run, {args.articles}-article state | {empty:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
