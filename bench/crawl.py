"""Crawl throughput: the full project vs a bare fetch-and-follow crawl vs trafilatura.

    .venv/bin/python -m bench.crawl [--articles 5000] [--repeat 1]

All three crawl the same replica on loopback with politeness off and the same
scheduler settings; pages are counted from the replica's access log, CPU time
and peak RSS from the crawl process's own rusage (``os.wait4``). Reports
numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.incremental import serve
from replica.demo import LOOPBACK_SETTINGS, as_args
from replica.launch import stop

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    name: str
    pages: int
    items: int
    seconds: float
    cpu: float
    rss_mb: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def cpu_per_1000(self) -> float:
        return self.cpu / self.pages * 1000


def run_crawl(name: str, command: list[str], log: Path, out: Path) -> Result:
    before = len(log.read_text().splitlines())
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"{name} crawl failed ({process.returncode}): {' '.join(command)}")
    pages = len(log.read_text().splitlines()) - before
    items = sum(1 for p in out.rglob("*.jsonl") for _ in p.open(encoding="utf-8"))
    return Result(name, pages, items, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def crawl_commands(base_url: str, work: Path) -> dict[str, tuple[list[str], Path]]:
    relaxed = as_args(LOOPBACK_SETTINGS)
    common = [
        *relaxed,
        "-s",
        "LOG_LEVEL=WARNING",
        "-s",
        "NEWSCRAWL_STATE_URI=memory:",
        "-a",
        f"base_url={base_url}",
    ]
    py = [sys.executable, "-m", "scrapy"]
    out = {name: work / name for name in ("full", "bare", "trafilatura")}
    return {
        "newscrawl (spider + loader + pipelines + feed + monitors)": (
            [*py, "crawl", "devdiscourse", *common, "-s", f"NEWSCRAWL_FEED_DIR={out['full']}"],
            out["full"],
        ),
        "bare fetch-and-follow (floor)": (
            [*py, "runspider", "bench/bare_spider.py", *common, "-s", f"NEWSCRAWL_FEED_DIR={out['bare']}"],
            out["bare"],
        ),
        "trafilatura extraction (peer)": (
            [
                *py,
                "runspider",
                "bench/trafilatura_spider.py",
                *common,
                "-o",
                f"{out['trafilatura']}/items.jsonl",
            ],
            out["trafilatura"],
        ),
    }


def measure(articles: int, repeat: int, seed: int = 1) -> list[Result]:
    results: dict[str, Result] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work, log = Path(tmp), Path(tmp) / "access.log"
        log.touch()
        process, url = serve(articles, seed, log)
        try:
            for _ in range(repeat):
                for name, (command, out) in crawl_commands(url, work).items():
                    result = run_crawl(name, command, log, out)
                    if name not in results or result.pages_per_second > results[name].pages_per_second:
                        results[name] = result
                    for path in out.rglob("*.jsonl"):
                        path.unlink()
        finally:
            stop(process)
    return list(results.values())


def table(results: list[Result], articles: int) -> str:
    floor = next(r for r in results if r.name.startswith("bare"))
    lines = [
        f"Replica of {articles} articles; best of the runs by pages/s.\n",
        "| crawl | pages | items | seconds | pages/s | x bare | CPU s / 1000 pages | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.pages} | {r.items} | {r.seconds:.1f} | {r.pages_per_second:.0f} |"
            f" {r.pages_per_second / floor.pages_per_second:.2f} | {r.cpu_per_1000:.1f} | {r.rss_mb:.0f} |"
        )
    full = results[0]
    peer = next(r for r in results if r.name.startswith("trafilatura"))
    lines.append(f"\nfull / trafilatura pages/s: {full.pages_per_second / peer.pages_per_second:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    print(table(measure(args.articles, args.repeat), args.articles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
