"""Offline demo: crawl the bundled replica with the project's real settings.

``python -m replica.demo`` (what ``make demo`` runs) starts the replica on a
free loopback port, runs ``scrapy crawl devdiscourse`` against it with every
pipeline on (politeness relaxed, since the server is this machine), stops the
replica, and reports where the feed went and what it holds. Nothing is left
running, whatever happens.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from replica.launch import launch

DEFAULT_ARTICLES = 2000
DEFAULT_SEED = 1
DEFAULT_WORKDIR = "demo"  # the demo's feeds, never the checkout's feeds/

# Politeness exists for the live site; a server on this machine needs none.
LOOPBACK_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
}


def workdir_settings(root: Path) -> dict[str, str]:
    """Settings keeping a run's feeds, state, logs and lock in one folder, politeness off.

    For crawls of the replica (tests, benchmarks) that must not touch the checkout.
    """
    return {
        "NEWSCRAWL_FEED_DIR": str(root / "feeds"),
        "NEWSCRAWL_STATE_URI": f"sqlite:///{root / 'state.sqlite'}",
        "NEWSCRAWL_LOG_DIR": str(root / "logs"),
        "NEWSCRAWL_DATASET_DIR": str(root / "dataset"),
        "NEWSCRAWL_LOCK_FILE": str(root / "cron.lock"),
        **LOOPBACK_SETTINGS,
    }


def as_args(settings: dict[str, str]) -> list[str]:
    """``-s NAME=VALUE`` arguments.

    >>> as_args({"A": "1"})
    ['-s', 'A=1']
    """
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def is_loopback(url: str) -> bool:
    """
    >>> is_loopback("http://127.0.0.1:8000/"), is_loopback("https://www.devdiscourse.com")
    (True, False)
    """
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def crawl_command(base_url: str, *extra: str) -> list[str]:
    """``scrapy crawl devdiscourse`` against ``base_url``, relaxed only for loopback."""
    command = [sys.executable, "-m", "scrapy", "crawl", "devdiscourse", "-a", f"base_url={base_url}"]
    if is_loopback(base_url):
        for name, value in LOOPBACK_SETTINGS.items():
            command += ["-s", f"{name}={value}"]
    return command + list(extra)


def count_feed(path: Path) -> tuple[int, int]:
    """(lines, lines that are later wire revisions) of a JSON Lines feed."""
    lines = revisions = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            lines += 1
            revisions += json.loads(line).get("revision_of") is not None
    return lines, revisions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replica.demo", description=__doc__)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--workdir",
        default=DEFAULT_WORKDIR,
        help=f"where the demo's feed and report go (default {DEFAULT_WORKDIR}/)",
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    work = Path(args.workdir)
    feed_dir = work / "feeds"
    print(f"Demo output goes to {work}/ (your feeds/, logs/ and state are left alone)", flush=True)
    replica = launch(args.articles, args.seed)
    print(f"Replica of {args.articles} articles at {replica.url}", flush=True)
    before = set(feed_dir.glob("devdiscourse/*.jsonl"))
    try:
        # Memory state: every demo is a full crawl of the replica.
        command = crawl_command(replica.base_url, "-s", f"NEWSCRAWL_FEED_DIR={feed_dir}")
        command += ["-s", "NEWSCRAWL_STATE_URI=memory:", "-s", "LOG_LEVEL=WARNING"]
        command += ["-s", f"NEWSCRAWL_LOG_DIR={work / 'logs'}"]
        result = subprocess.run(command, check=False)
    finally:
        replica.stop()
    if result.returncode != 0:
        print(f"Crawl failed (exit status {result.returncode})", file=sys.stderr)
        return result.returncode
    new = sorted(set(feed_dir.glob("devdiscourse/*.jsonl")) - before)
    if not new:
        print("Crawl finished but wrote no feed", file=sys.stderr)
        return 1
    lines, revisions = count_feed(new[-1])
    print(
        f"Feed: {new[-1]}\n"
        f"  {lines} articles: {lines - revisions} stories + {revisions} later wire revisions\n"
        f"  done in {time.monotonic() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
