"""Incremental cron runs on a large replica: requests per new article.

    .venv/bin/python -m bench.incremental [--articles 10000] [--new 25]

Run 1 crawls an empty state (full backfill); run 2 sees the same site (nothing
new); run 3 sees ``--new`` more articles. Each run is ``python -m
newscrawl.cron`` against the replica on loopback (politeness off); requests
are counted from the replica's access log. Reports numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newscrawl.demo import BANNER_PREFIX, as_args, stop, workdir_settings

ARTICLE_RE = re.compile(r"^/article/")


def serve(articles: int, seed: int, log: Path, port: int = 0) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.replica", "serve", "--port", str(port), "--articles", str(articles),
         "--seed", str(seed), "--access-log", str(log)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    banner = process.stdout.readline().strip()
    assert banner.startswith(BANNER_PREFIX), banner
    return process, banner[len(BANNER_PREFIX) :].rstrip("/")


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


def count(log: Path, start: int) -> tuple[int, int, int, int]:
    lines = log.read_text(encoding="utf-8").splitlines()[start:]
    paths = [line.split(" ", 2)[1] for line in lines]
    articles = sum(1 for p in paths if ARTICLE_RE.match(p))
    fragments = sum(1 for p in paths if p.startswith("/Home/GetNewsItems"))
    return len(paths), articles, fragments, len(lines) + start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.incremental")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work, log = Path(tmp), Path(tmp) / "access.log"
        rows = []
        process, url = serve(args.articles, args.seed, log)
        port = url.rsplit(":", 1)[1]
        seen = 0
        try:
            for name in ("backfill (empty state)", "nothing new"):
                code, seconds, said = cron(url, work)
                total, articles, fragments, seen = count(log, seen)
                rows.append((name, args.articles, total, articles, fragments, seconds, code, said))
        finally:
            stop(process)
        process, url = serve(args.articles + args.new, args.seed, log, int(port))
        try:
            code, seconds, said = cron(url, work)
            total, articles, fragments, seen = count(log, seen)
            rows.append(
                (
                    f"{args.new} new articles",
                    args.articles + args.new,
                    total,
                    articles,
                    fragments,
                    seconds,
                    code,
                    said,
                )
            )
        finally:
            stop(process)
    print(f"# Incremental cron runs, replica of {args.articles} articles (seed {args.seed})\n")
    print("| run | site size | requests | article pages | listing fragments | seconds | exit | verdict |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, size, total, articles, fragments, seconds, code, said in rows:
        print(f"| {name} | {size} | {total} | {articles} | {fragments} | {seconds:.1f} | {code} | {said} |")
    new_run = rows[-1]
    print(
        f"\nRequests per new article: {new_run[2] / args.new:.2f} (article pages per new article {new_run[3] / args.new:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
