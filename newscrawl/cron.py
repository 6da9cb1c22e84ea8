"""Cron entry point: one locked, logged, self-judging crawl.

    python -m newscrawl.cron [--base-url URL] [-a NAME=VALUE ...] [-s NAME=VALUE ...]

* Checks its arguments and settings first: a bad one is a one-line message
  and :data:`EXIT_USAGE`, before anything is touched.
* Takes an exclusive lock (``NEWSCRAWL_LOCK_FILE``, default
  ``.newscrawl/cron.lock``); if another run holds it, exits at once with
  :data:`EXIT_LOCKED` and touches nothing else.
* Runs ``devdiscourse`` in-process with the project settings, logging to
  ``<NEWSCRAWL_LOG_DIR>/<run start UTC>.log`` (default ``logs/``).
* Judges the run (:mod:`newscrawl.health.verdict`) and exits :data:`EXIT_OK` when it
  was healthy, else :data:`EXIT_UNHEALTHY` with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from newscrawl.health.stats import FEED_PATH

EXIT_OK = 0
EXIT_UNHEALTHY = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again at the next cron tick


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.cron", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="site root (default: the live site)")
    parser.add_argument(
        "-a", dest="spider_args", action="append", type=_pair, default=[], metavar="NAME=VALUE"
    )
    parser.add_argument("-s", dest="settings", action="append", type=_pair, default=[], metavar="NAME=VALUE")
    return parser


def take_lock(path: Path) -> IO[str] | None:
    """An open, exclusively locked file, or ``None`` if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        print(
            f"newscrawl.cron: another run holds {path} ({holder or 'unknown holder'}); not starting",
            file=sys.stderr,
        )
        return None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}\n")
    handle.flush()
    return handle


def spider_arguments(args: argparse.Namespace) -> dict[str, str]:
    """The spider's ``-a`` arguments, ``--base-url`` among them."""
    spider_args = dict(args.spider_args)
    if args.base_url is not None:
        spider_args["base_url"] = args.base_url
    return spider_args


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy.utils.project import get_project_settings

    from newscrawl.preflight import check_run

    settings = get_project_settings()
    for name, value in args.settings:
        settings.set(name, value, priority="cmdline")
    try:
        check_run(settings, spider_arguments(args), dataset=True)
    except ValueError as exc:
        print(f"newscrawl.cron: {exc}", file=sys.stderr)
        return EXIT_USAGE
    lock_path = Path(settings.get("NEWSCRAWL_LOCK_FILE"))
    try:
        lock = take_lock(lock_path)
    except OSError as exc:  # a lock that cannot be taken is a setting to fix, not an unhealthy run
        print(
            f"newscrawl.cron: NEWSCRAWL_LOCK_FILE {str(lock_path)!r} cannot be used: {exc.strerror}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if lock is None:
        return EXIT_LOCKED
    try:
        return _crawl(settings, args)
    finally:
        lock.close()


def _crawl(settings: Any, args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from newscrawl.files import run_stamp
    from newscrawl.health.verdict import judge
    from newscrawl.runs import write_history
    from newscrawl.state.run import STARTED_ATTRIBUTE, RunState

    started = datetime.now(UTC)
    log_dir = Path(settings.get("NEWSCRAWL_LOG_DIR"))
    log_dir.mkdir(parents=True, exist_ok=True)
    started = started.replace(microsecond=0)
    log_file = log_dir / f"{run_stamp(started)}.log"
    settings.set("LOG_FILE", str(log_file), priority="cmdline")
    process = CrawlerProcess(settings)
    if sys.stderr.isatty():  # someone is watching: progress lines on the terminal too, not only in the log
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("newscrawl.cron: %(message)s"))
        logging.getLogger("newscrawl.progress").addHandler(console)
    crawler = process.create_crawler("devdiscourse")
    setattr(crawler, STARTED_ATTRIBUTE, started)  # the feed and the report take the log's stamp
    process.crawl(crawler, **spider_arguments(args))
    process.start()
    # The run's state judged the run when the spider closed (and recorded it); a crawl
    # that never got that far (it failed to start) is judged from what stats it has.
    try:
        run = crawler.get_extension(RunState)
    except RuntimeError:  # the crawl failed before its extensions were built
        run = None
    verdict = run.verdict if run is not None else None
    if verdict is None:
        assert crawler.stats is not None
        verdict = judge(crawler.stats.get_stats(), crawler.settings)
    status = EXIT_OK if verdict.healthy else EXIT_UNHEALTHY
    assert crawler.stats is not None
    feed = crawler.stats.get_value(FEED_PATH) or "no feed (nothing new)"
    seconds = (datetime.now(UTC) - started).total_seconds()
    summary = f"newscrawl.cron: {verdict.reason}; feed {feed}; {seconds:.1f} s (log: {log_file})"
    dataset = settings.get("NEWSCRAWL_DATASET_DIR")
    if dataset:
        exported, ok = _export(Path(settings.get("NEWSCRAWL_FEED_DIR")), Path(dataset))
        summary += f"; dataset: {exported}"
        if not ok:
            status = EXIT_UNHEALTHY
    if not settings.get("NEWSCRAWL_STATE_URI").startswith("memory:"):  # memory: keeps no history
        try:
            write_history(settings)
        except (OSError, ValueError) as exc:  # the run is done; its history page is a convenience
            summary += f"; history page not written: {exc}"
    print(summary, file=sys.stderr if status else sys.stdout)
    return status


def _export(feeds: Path, out: Path) -> tuple[str, bool]:
    """Add this run's feed (and any a failed export left) to the analysts' dataset."""
    from newscrawl.export import export

    try:
        return export(feeds, out).summary(), True
    except Exception as exc:  # the crawl is done and its feed safe: say what failed in one line
        logging.getLogger(__name__).exception("Dataset export to %s failed", out)
        return f"export to {out} failed: {type(exc).__name__}: {exc}", False


if __name__ == "__main__":
    sys.exit(main())
