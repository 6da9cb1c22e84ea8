"""A first backfill through the archive API and through the id walk, side by side.

    .venv/bin/python -m bench.backfill [--articles 3000]

Each row is ``python -m newscrawl.cron`` from an empty state against the replica
on loopback (politeness off): with the archive API on; with it off and
``-a archive=ids`` (what an operator sets once the API is known to be closed);
with it off and the default ``-a archive=auto`` (the fallback, flagged as a
broken channel). Requests are counted from the replica's access log, by kind.
Reports numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.incremental import serve
from replica.check import check_feed, read_feeds
from replica.corpus import Corpus
from replica.demo import as_args, workdir_settings
from replica.launch import stop

KINDS = (
    ("id probes", re.compile(r"^/article/\d+$")),
    ("article pages", re.compile(r"^/article/")),
    ("archive API", re.compile(r"^/api/Search/GetAllNews/")),
    ("listings", re.compile(r"^/(Home/Get|api/Search/GetSectorNews|pti-stories|devdiscourse-stories|news/)")),
)


def kinds(log: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in log.read_text(encoding="utf-8").splitlines():
        status, path = line.split(" ", 2)[:2]
        counts["all"] += 1
        counts[f"status {status}"] += 1
        for name, pattern in KINDS:
            if pattern.match(path):
                counts[name] += 1
                break
        else:
            counts["other"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backfill")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    corpus = Corpus(args.articles, args.seed)
    rows = []
    for name, replica_args, crawl_args in (
        ("archive API", (), ()),
        ("id walk (`-a archive=ids`, API off)", ("--archive-api", "off"), ("-a", "archive=ids")),
        ("fallback (`auto`, API off)", ("--archive-api", "off"), ()),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            work, log = Path(tmp), Path(tmp) / "access.log"
            process, url = serve(args.articles, args.seed, log, 0, *replica_args)
            try:
                started = time.monotonic()
                result = subprocess.run(
                    [sys.executable, "-m", "newscrawl.cron", "--base-url", url, *as_args(workdir_settings(work)),
                     *crawl_args],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                seconds = time.monotonic() - started
            finally:
                stop(process)
            items = read_feeds(sorted(work.glob("feeds/devdiscourse/*.jsonl")))
            report = check_feed(items, corpus, url)
            verdict = (result.stdout + result.stderr).strip().splitlines()[-1][:90]
            rows.append((name, kinds(log), len(items), report.ok, seconds, result.returncode, verdict))
    print(f"# First backfill, replica of {args.articles} articles (seed {args.seed}), from an empty state\n")
    print(
        "| archive channel | requests | per exported article | article pages | id probes | 500s |"
        " archive API | listings | exported | = truth | seconds | exit |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for name, counts, exported, ok, seconds, code, _ in rows:
        print(
            f"| {name} | {counts['all']} | {counts['all'] / max(exported, 1):.2f} | {counts['article pages']}"
            f" | {counts['id probes']} | {counts['status 500']} | {counts['archive API']} | {counts['listings']}"
            f" | {exported} | {'yes' if ok else 'NO'} | {seconds:.1f} | {code} |"
        )
    print()
    for name, *_, verdict in rows:
        print(f"- {name}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
