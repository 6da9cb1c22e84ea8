"""Crawl cost against the true floor: the full project, Scrapy fetching the same URLs, trafilatura.

    .venv/bin/python -m bench.crawl [--articles 3000] [--repeat 2]

On one replica over loopback, politeness off, in rounds: the full crawl first
(its URLs, from the replica's access log, become the floor's list), then the
floor (``bench/floor_spider.py``: the same URLs fetched through the project's
settings, nothing parsed), then the trafilatura crawl (the same spider with
trafilatura extracting each article). CPU time and peak RSS come from each
crawl process's rusage (``os.wait4``); the best round of each is reported.
Reports numbers; asserts nothing.
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
from statistics import median

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
    def cpu_ms_per_page(self) -> float:
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


def crawl_commands(base_url: str, work: Path, urls: Path) -> dict[str, tuple[list[str], Path]]:
    # Run reports go to the work folder, never the checkout's logs/.
    logs = ["-s", f"NEWSCRAWL_LOG_DIR={work / 'logs'}"]
    common = [
        *as_args(LOOPBACK_SETTINGS),
        "-s",
        "LOG_LEVEL=WARNING",
        "-s",
        "NEWSCRAWL_STATE_URI=memory:",
        *logs,
    ]
    py = [sys.executable, "-m", "scrapy"]
    out = {name: work / name for name in ("full", "floor", "trafilatura")}
    site = ["-a", f"base_url={base_url}"]
    return {
        FULL: (
            [*py, "crawl", "devdiscourse", *common, *site, "-s", f"NEWSCRAWL_FEED_DIR={out['full']}"],
            out["full"],
        ),
        FLOOR: ([*py, "runspider", "bench/floor_spider.py", *common, "-a", f"urls={urls}"], out["floor"]),
        PEER: (
            [
                *py,
                "runspider",
                "bench/trafilatura_spider.py",
                *common,
                *site,
                "-o",
                f"{out['trafilatura']}/items.jsonl",
            ],
            out["trafilatura"],
        ),
    }


FULL = "newscrawl (spider, loader, pipelines, feed, monitors)"
FLOOR = "floor: Scrapy fetching the same URLs, nothing parsed"
PEER = "trafilatura extraction (peer)"


def url_list(log: Path, since: int, base_url: str, out: Path) -> None:
    """The URLs a crawl fetched (the access log's lines after ``since``), but robots.txt: every crawl asks it."""
    paths = [line.split(" ", 2)[1] for line in log.read_text().splitlines()[since:]]
    out.write_text("".join(f"{base_url}{p}\n" for p in paths if p != "/robots.txt"), encoding="utf-8")


def measure(articles: int, repeat: int, seed: int = 1) -> list[list[Result]]:
    """Every round of each crawl (full, floor, trafilatura), in the order they ran."""
    results: dict[str, list[Result]] = {FULL: [], FLOOR: [], PEER: []}
    with tempfile.TemporaryDirectory() as tmp:
        work, log, urls = Path(tmp), Path(tmp) / "access.log", Path(tmp) / "urls.txt"
        log.touch()
        process, url = serve(articles, seed, log)
        try:
            for _ in range(repeat):
                for name, (command, out) in crawl_commands(url, work, urls).items():
                    since = len(log.read_text().splitlines())
                    result = run_crawl(name, command, log, out)
                    if name == FULL:
                        url_list(log, since, url, urls)
                    results[name].append(result)
                    for path in out.rglob("*.jsonl"):
                        path.unlink()
        finally:
            stop(process)
    return [results[FULL], results[FLOOR], results[PEER]]


def best(rounds: list[Result]) -> Result:
    return min(rounds, key=lambda r: r.cpu_ms_per_page)


def table(rounds: list[list[Result]], articles: int) -> str:
    results = [best(r) for r in rounds]
    full, floor, peer = results
    lines = [
        f"Replica of {articles} articles; best of {len(rounds[0])} rounds by CPU per page"
        " (the rounds interleaved: full, floor, trafilatura, full, ...).\n",
        "| crawl | pages | items | seconds | pages/s | CPU ms / page | floor CPU / this CPU | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.pages} | {r.items} | {r.seconds:.1f} | {r.pages_per_second:.0f} |"
            f" {r.cpu_ms_per_page:.2f} | {floor.cpu_ms_per_page / r.cpu_ms_per_page:.2f} | {r.rss_mb:.0f} |"
        )
    lines.append(
        f"\nfull / floor: {floor.cpu_ms_per_page / full.cpu_ms_per_page:.2f} by CPU per page,"
        f" {full.pages_per_second / floor.pages_per_second:.2f} by pages/s;"
        f" full / trafilatura pages/s: {full.pages_per_second / peer.pages_per_second:.2f}"
    )
    full_ms, floor_ms = ([r.cpu_ms_per_page for r in rs] for rs in rounds[:2])
    lines.append(
        f"\nEvery round, CPU ms / page: full {', '.join(f'{v:.2f}' for v in full_ms)};"
        f" floor {', '.join(f'{v:.2f}' for v in floor_ms)}."
        f" By medians: full {median(full_ms):.2f}, floor {median(floor_ms):.2f},"
        f" full / floor {median(floor_ms) / median(full_ms):.2f}."
    )
    # Each round's full and floor ran back to back: their ratio is the least moved by the
    # VM's drift, which shifts both crawls' CPU from round to round (and from run to run).
    paired = [b / a for a, b in zip(full_ms, floor_ms, strict=True)]
    lines.append(
        f"\nfull / floor within each round: {', '.join(f'{v:.2f}' for v in paired)};"
        f" median {median(paired):.2f}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    print(table(measure(args.articles, args.repeat), args.articles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
