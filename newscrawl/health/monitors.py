"""Crawl health: the Spidermon monitor suite run when the spider closes.

Spidermon's own monitors check the finish reason, the error count
(``SPIDERMON_MAX_ERRORS``) and unwanted HTTP codes
(``SPIDERMON_UNWANTED_HTTP_CODES*``). Ours check, on the items the spider
extracted (before validation and dedupe):

* item validation against the feed's JSON Schema
  (``newscrawl/schemas/article.schema.json``, checked once per item by
  :class:`~newscrawl.pipelines.validation.ValidationPipeline`, which counts what it checks
  and drops): at most ``NEWSCRAWL_MAX_INVALID_RATIO`` of items invalid;
* field coverage: each field of ``NEWSCRAWL_FIELD_COVERAGE`` non-empty in at
  least that share of items;

both once ``NEWSCRAWL_COVERAGE_MIN_ITEMS`` items were extracted (a cron delta
of a few articles is too small to judge a ratio);
* extraction: article pages fetched but (almost) no valid item extracted, the
  signature of a markup change (``NEWSCRAWL_MIN_VALID_RATIO``);
* discovery (:mod:`newscrawl.discovery.channels`): no channel broke, every article a
  channel listed was fetched (or failed for good, or was known before), and the
  archive was covered (its API to the end, or the id walk) when it was asked for.

Spidermon's unwanted-HTTP-codes check leaves out the id walk's probes of
missing ids: 500 (or 404) is the site's answer for an id that is no article.

A run with nothing new passes: no page fetched, nothing to judge. The suite's
actions record the results in the stats (``newscrawl/monitors/*``, which the
cron entry point turns into its exit status) and write the HTML run report.
"""

from __future__ import annotations

from typing import Any

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.monitors.mixins import StatsMonitorMixin
from spidermon.contrib.scrapy.monitors import ErrorCountMonitor, FinishReasonMonitor, UnwantedHTTPCodesMonitor

from newscrawl.discovery.channels import MISSING_ID_STATUSES
from newscrawl.health import stats as names
from newscrawl.health.actions import RecordMonitorResults, WriteHtmlReport
from newscrawl.health.coverage import coverage_failures


class _NewscrawlMonitor(Monitor, StatsMonitorMixin):
    longMessage = False  # our messages say it all

    @property
    def settings(self) -> Any:
        return self.data.crawler.settings

    @property
    def stat_dict(self) -> dict[str, Any]:
        return dict(self.data.stats)


@monitors.name("Field coverage")
class FieldCoverageMonitor(_NewscrawlMonitor):
    """Extracted fields are non-empty in at least NEWSCRAWL_FIELD_COVERAGE of items."""

    @monitors.name("Extracted fields meet their coverage thresholds")
    def test_field_coverage(self) -> None:
        stats = self.stat_dict
        items = stats.get(names.COVERAGE_ITEMS, 0)
        minimum = self.settings.getint("NEWSCRAWL_COVERAGE_MIN_ITEMS")
        if items < minimum:
            self.skipTest(f"{items} extracted items, fewer than NEWSCRAWL_COVERAGE_MIN_ITEMS ({minimum})")
        thresholds = {k: float(v) for k, v in self.settings.getdict("NEWSCRAWL_FIELD_COVERAGE").items()}
        failing = coverage_failures(stats, thresholds)
        self.assertFalse(
            failing, msg=f"Field coverage below threshold over {items} items: {', '.join(failing)}"
        )


@monitors.name("Item validation")
class ItemValidationMonitor(_NewscrawlMonitor):
    """At most NEWSCRAWL_MAX_INVALID_RATIO of extracted items break the feed schema."""

    @monitors.name("Extracted items are valid against the feed schema")
    def test_invalid_ratio(self) -> None:
        stats = self.stat_dict
        checked = stats.get(names.VALIDATION_ITEMS, 0)
        invalid = stats.get(names.VALIDATION_INVALID, 0)
        maximum = self.settings.getfloat("NEWSCRAWL_MAX_INVALID_RATIO")
        minimum = self.settings.getint("NEWSCRAWL_COVERAGE_MIN_ITEMS")
        if checked < minimum:  # a few items prove nothing
            self.skipTest(f"{checked} items checked, fewer than NEWSCRAWL_COVERAGE_MIN_ITEMS ({minimum})")
        else:
            self.assertLessEqual(
                invalid / checked,
                maximum,
                msg=f"{invalid} of {checked} items invalid against the schema (> {maximum:.0%})",
            )


@monitors.name("Extraction")
class ExtractionMonitor(_NewscrawlMonitor):
    """Article pages fetched give valid items (a markup change gives none)."""

    @monitors.name("Fetched article pages give valid items")
    def test_pages_give_items(self) -> None:
        stats = self.stat_dict
        fetched = stats.get(names.ARTICLES_FETCHED, 0)
        if not fetched:
            self.skipTest("no article page fetched (nothing new)")
        invalid = sum(v for k, v in stats.items() if k.startswith(names.INVALID_DROP_PREFIXES))
        valid = stats.get(names.COVERAGE_ITEMS, 0) - invalid
        minimum = self.settings.getfloat("NEWSCRAWL_MIN_VALID_RATIO")
        reasons = ", ".join(
            f"{k.rsplit('/', 1)[1]}: {v}"
            for k, v in sorted(stats.items())
            if k.startswith(names.INVALID_DROP_PREFIXES)
        )
        self.assertGreater(
            valid, 0, msg=f"{fetched} article pages fetched but no valid item extracted ({reasons})"
        )
        self.assertGreaterEqual(
            valid / fetched,
            minimum,
            msg=f"only {valid} valid items from {fetched} article pages (< {minimum:.0%}; {reasons})",
        )


@monitors.name("Discovery")
class DiscoveryMonitor(_NewscrawlMonitor):
    """Every channel answered as the site does, and what they listed was reached."""

    @monitors.name("No discovery channel broke")
    def test_channels(self) -> None:
        broken = self.stat_dict.get(names.CHANNELS_BROKEN) or []
        self.assertFalse(broken, msg=f"channel broken: {'; '.join(broken)}")

    @monitors.name("Every listed article was fetched")
    def test_listed_articles_reached(self) -> None:
        stats = self.stat_dict
        unreached = stats.get(names.COMPLETENESS_UNREACHED, 0)
        self.assertFalse(
            unreached,
            msg=f"{unreached} of {stats.get(names.COMPLETENESS_LISTED, 0)} articles the channels listed"
            f" were never fetched (ids {stats.get(names.COMPLETENESS_UNREACHED_IDS)})",
        )

    @monitors.name("The archive was covered")
    def test_archive_covered(self) -> None:
        stats = self.stat_dict
        if stats.get(names.ARCHIVE_COMPLETE) is None:  # -a archive=none, or another worker's to judge
            self.skipTest("the archive was not asked for, or is judged by another worker")
        self.assertTrue(
            stats[names.ARCHIVE_COMPLETE], msg=f"archive not covered: {stats.get(names.ARCHIVE_HOW)}"
        )


@monitors.name("Error Count Monitor")
class ErrorsLoggedMonitor(ErrorCountMonitor):
    """At most SPIDERMON_MAX_ERRORS errors logged (none logged is 0, not a skipped check)."""

    @property
    def stats(self) -> Any:
        return {names.ERRORS_LOGGED: 0, **dict(self.data.stats)}


class MissingIdsAwareHTTPCodesMonitor(UnwantedHTTPCodesMonitor):
    """Spidermon's check, without the id walk's answers for missing ids (500/404 by design)."""

    @property
    def stats(self) -> Any:
        stats = dict(self.data.stats)
        for code in MISSING_ID_STATUSES:
            walked = stats.get(names.id_walk_answered(code), 0)
            key = names.response_status(code)
            stats[key] = max(0, stats.get(key, 0) - walked)
            stats[names.REQUESTS] = max(0, stats.get(names.REQUESTS, 0) - walked)
        return stats


class CloseMonitorSuite(MonitorSuite):
    monitors = [  # noqa: RUF012  (Spidermon's API)
        FinishReasonMonitor,
        ErrorsLoggedMonitor,
        MissingIdsAwareHTTPCodesMonitor,
        ItemValidationMonitor,
        FieldCoverageMonitor,
        ExtractionMonitor,
        DiscoveryMonitor,
    ]
    monitors_finished_actions = [RecordMonitorResults, WriteHtmlReport]  # noqa: RUF012
