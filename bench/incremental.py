"""Incremental cron runs on a large replica: the news-sitemap path and the listing fallback.

    .venv/bin/python -m bench.incremental [--articles 10000] [--new 30]

Run 1 crawls an empty state (a backfill); run 2 sees the same site (nothing
new); run 3 sees ``--new`` more articles, and the older articles editors
changed meanwhile (the replica's schedule), once on the sitemap path and once,
from a copy of the same state, with the sitemap broken (``serve --break
sitemap``: the run falls back to the listings). Each run is ``python -m
newscrawl.cron`` against the replica on loopback (politeness off); requests are
counted from the replica's access log. Reports numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from replica.demo import as_args, workdir_settings
from replica.launch import launch, stop

ARTICLE_RE = re.compile(r"^/article/")


def serve(
    articles: int, seed: int, log: Path, port: int = 0, *extra: str
) -> tuple[subprocess.Popen[str], str]:
    server = launch(articles, seed, *extra, access_log=log, port=port)
    return server.process, server.base_url


def cron(url: str, work: Path) -> tuple[int, float, str]:
    args = as_args(workdir_settings(work))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "newscrawl.cron", "--base-url", url, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        result.returncode,
        time.monotonic() - started,
        (result.stdout + result.stderr).strip().splitlines()[-1],
    )


@dataclass
class Row:
    name: str
    size: int
    requests: int
    articles: int
    new: int
    updated: int
    seconds: float
    code: int
    said: str


def new_lines(work: Path, before: set[Path]) -> tuple[int, int]:
    """(version 1 lines, later-version lines) of the feed files a run wrote."""
    new = updated = 0
    for path in set(work.glob("feeds/devdiscourse/*.jsonl")) - before:
        for line in path.read_text(encoding="utf-8").splitlines():
            if json.loads(line).get("version", 1) > 1:
                updated += 1
            else:
                new += 1
    return new, updated


def measured(name: str, size: int, url: str, work: Path, log: Path) -> Row:
    start = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    feeds = set(work.glob("feeds/devdiscourse/*.jsonl"))
    code, seconds, said = cron(url, work)
    paths = [line.split(" ", 2)[1] for line in log.read_text(encoding="utf-8").splitlines()[start:]]
    new, updated = new_lines(work, feeds)
    articles = sum(1 for p in paths if ARTICLE_RE.match(p))
    return Row(name, size, len(paths), articles, new, updated, seconds, code, said)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.incremental")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    grown = args.articles + args.new
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work, log = Path(tmp) / "work", Path(tmp) / "access.log"
        process, url = serve(args.articles, args.seed, log)
        port = int(url.rsplit(":", 1)[1])
        try:
            rows.append(measured("backfill (empty state)", args.articles, url, work, log))
            rows.append(measured("nothing new (sitemap path)", args.articles, url, work, log))
        finally:
            stop(process)
        fallback_work = Path(tmp) / "fallback"
        shutil.copytree(work, fallback_work)  # the same state for both paths
        for name, directory, extra in (
            (f"{args.new} new + editors' updates (sitemap path)", work, ()),
            (f"{args.new} new + editors' updates (listing fallback)", fallback_work, ("--break", "sitemap")),
        ):
            process, url = serve(grown, args.seed, log, port, *extra)
            try:
                rows.append(measured(name, grown, url, directory, log))
            finally:
                stop(process)
    print(f"# Incremental cron runs, replica of {args.articles} articles (seed {args.seed})\n")
    print(
        "| run | site size | requests | article pages | new lines | updated lines | requests per line"
        " | seconds | exit |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        lines = r.new + r.updated
        per_line = f"{r.requests / lines:.2f}" if lines else "-"
        print(
            f"| {r.name} | {r.size} | {r.requests} | {r.articles} | {r.new} | {r.updated} | {per_line}"
            f" | {r.seconds:.1f} | {r.code} |"
        )
    print()
    for r in rows:
        print(f"- {r.name}: {r.said[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
