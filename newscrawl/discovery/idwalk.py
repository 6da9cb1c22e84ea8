"""The id walk: reaching the archive by id when its JSON API is missing or broken.

Every article answers at ``/article/{id}``; ids rise with time, with gaps, and
a missing or unapproved id answers 500 (or 404). The walk goes down from the
newest id the crawl has seen in ``chains`` interleaved chains (chain *k*
probes ``top - k``, ``top - k - chains``, ...), so that ``chains`` probes are
in flight at once and each chain hands on to the next probe itself: there is
no central loop, and with several workers the chains' probes go through the
shared queue like any request. A chain ends (stop rules, in order):

* ``floor``: the next id is below the floor (``-a floor_id=``, default 1);
* ``since``: it fetched an article published before ``-a since=`` (ids rise with time);
* ``missing_run``: ``max_misses`` ids in a row answered as missing (the start
  of the archive, or a hole that wide);
* ``known``: in an incremental run, ``stop_after_known`` ids in a row were
  settled by earlier runs (what lies below was walked before).

Ids that answered as missing are remembered in the seen-state and never probed
again (they count as misses without a request) once the chain has found an
article below them: the run of misses that ends a chain is not remembered, since
it may be the start of the archive or an outage, and a later walk asks again. An
id missing today can still arrive later through the sitemap or a listing, which
do not consult that list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

LOOKAHEAD = 32  # ids per state lookup (one SQL IN / one HMGET for a chain's next ids)


@dataclass(frozen=True, slots=True)
class Chain:
    """One chain's position and its runs so far (carried in the probe's meta)."""

    stride: int
    misses: int = 0  # ids in a row that answered as missing
    known: int = 0  # ids in a row settled by earlier runs
    pending: tuple[int, ...] = ()  # missing ids to remember once an article shows below them

    def as_meta(self) -> dict[str, Any]:
        return {
            "stride": self.stride,
            "misses": self.misses,
            "known": self.known,
            "pending": list(self.pending),
        }

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> Chain:
        return cls(
            meta["stride"], meta.get("misses", 0), meta.get("known", 0), tuple(meta.get("pending", ()))
        )

    def missed(self, article_id: int) -> Chain:
        """The chain after ``article_id`` answered as missing."""
        return replace(self, misses=self.misses + 1, pending=(*self.pending, article_id))


@dataclass(frozen=True, slots=True)
class WalkRules:
    floor: int = 1
    max_misses: int = 50
    stop_after_known: int | None = 5  # None: walk past known ids (full mode, gap filling)


@dataclass(frozen=True, slots=True)
class Step:
    """Where a chain goes next: an id to probe, or the reason it ends."""

    article_id: int | None
    chain: Chain
    ended: str | None = None
    skipped_missing: int = 0  # remembered-missing ids passed without a request
    remember: tuple[int, ...] = ()  # missing ids to remember now (an article showed below them)


def next_step(
    start: int,
    chain: Chain,
    rules: WalkRules,
    known: Callable[[Iterable[int]], set[int]],
    missing: Callable[[Iterable[int]], set[int]],
) -> Step:
    """The chain's next probe from ``start`` down, skipping what the state already knows.

    >>> rules = WalkRules(floor=90, max_misses=3, stop_after_known=2)
    >>> nothing = lambda ids: set()
    >>> next_step(100, Chain(stride=4), rules, nothing, nothing)
    Step(article_id=100, chain=Chain(stride=4, misses=0, known=0, pending=()), ended=None, skipped_missing=0, remember=())
    >>> next_step(100, Chain(stride=4, misses=1, pending=(104,)), rules, lambda ids: {100}, lambda ids: {96})
    Step(article_id=92, chain=Chain(stride=4, misses=1, known=1, pending=()), ended=None, skipped_missing=1, remember=(104,))
    >>> next_step(100, Chain(stride=4), rules, lambda ids: {100, 96}, nothing).ended
    'known'
    >>> next_step(100, Chain(stride=4, misses=2), rules, nothing, lambda ids: set(ids)).ended
    'missing_run'
    >>> next_step(88, Chain(stride=4), rules, nothing, nothing).ended
    'floor'
    """
    current = chain
    position = start
    skipped = 0
    remember: tuple[int, ...] = ()
    while True:
        if current.misses >= rules.max_misses:
            return Step(None, current, "missing_run", skipped, remember)
        if position < rules.floor:
            return Step(None, current, "floor", skipped, remember)
        batch = [position - k * chain.stride for k in range(LOOKAHEAD)]
        batch = [i for i in batch if i >= rules.floor]
        settled = known(batch)
        absent = missing(batch)
        for candidate in batch:
            if candidate in settled:  # an article: the misses above it were real gaps
                remember += current.pending
                current = replace(current, misses=0, known=current.known + 1, pending=())
                if rules.stop_after_known is not None and current.known >= rules.stop_after_known:
                    return Step(None, current, "known", skipped, remember)
            elif candidate in absent:
                skipped += 1
                current = replace(current, misses=current.misses + 1)
                if current.misses >= rules.max_misses:
                    return Step(None, current, "missing_run", skipped, remember)
            else:
                return Step(candidate, current, None, skipped, remember)
        position = batch[-1] - chain.stride
