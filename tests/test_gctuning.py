"""The garbage collector runs less often while a spider runs, and is as it was after."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured

from newscrawl.gctuning import GarbageCollectorTuning
from tests.helpers import project_crawler, project_settings


def test_it_is_one_of_the_projects_extensions() -> None:
    settings = project_settings()
    assert "newscrawl.gctuning.GarbageCollectorTuning" in settings["EXTENSIONS"]
    assert int(settings["NEWSCRAWL_GC_THRESHOLD"]) > gc.get_threshold()[0]


def test_thresholds_raised_and_start_up_frozen_while_spiders_run_then_restored() -> None:
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    first = GarbageCollectorTuning.from_crawler(project_crawler({"NEWSCRAWL_GC_THRESHOLD": 9000}))
    second = GarbageCollectorTuning.from_crawler(project_crawler({"NEWSCRAWL_GC_THRESHOLD": 6000}))
    try:
        first.spider_opened(None)
        assert gc.get_threshold() == (9000, *before[1:])
        assert gc.get_freeze_count() > 0
        second.spider_opened(None)  # two spiders in one process: the larger threshold stays
        assert gc.get_threshold()[0] == 9000
        first.spider_closed(None)
        assert gc.get_threshold()[0] == 9000 and gc.get_freeze_count() > 0  # the second still runs
        second.spider_closed(None)
        assert gc.get_threshold() == before and gc.get_freeze_count() == frozen_before
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_left_alone_when_off() -> None:
    with pytest.raises(NotConfigured):
        GarbageCollectorTuning.from_crawler(project_crawler({"NEWSCRAWL_GC_THRESHOLD": 0}))
    with pytest.raises(ValueError, match="NEWSCRAWL_GC_THRESHOLD"):
        GarbageCollectorTuning.from_crawler(project_crawler({"NEWSCRAWL_GC_THRESHOLD": -1}))
    before = gc.get_threshold()
    tuning = GarbageCollectorTuning.from_crawler(project_crawler({"NEWSCRAWL_GC_THRESHOLD": 9000}))
    gc.disable()  # turned off on purpose (a profiler, say): not turned into something else
    try:
        tuning.spider_opened(None)
        assert gc.get_threshold() == before and not gc.isenabled()
        tuning.spider_closed(None)
        assert gc.get_threshold() == before
    finally:
        gc.enable()
