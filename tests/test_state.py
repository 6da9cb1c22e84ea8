"""Every seen-state store alike: ids the id walk found missing are remembered, apart from articles."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from newscrawl.state import open_state

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(params=["sqlite", "redis"])
def state_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    redis_url: str = request.getfixturevalue("redis_url")
    return f"{redis_url}?prefix=t-{uuid.uuid4().hex}"


def test_missing_ids_are_remembered_apart_from_articles(state_uri: str) -> None:
    state = open_state(state_uri)
    state.add_missing([11, 12])
    assert state.missing_ids([10, 11, 12, 13]) == {11, 12}  # buffered answers too
    state.flush()
    state.close()
    again = open_state(state_uri)
    assert again.missing_ids(range(1, 2000)) == {11, 12}
    assert (
        again.known_articles([11, 12]) == set()
    )  # missing today is not settled: other channels may bring it
    again.reset()
    assert again.missing_ids([11, 12]) == set()
    again.close()


def test_memory_state_remembers_missing_ids_for_its_run() -> None:
    state = open_state("memory:")
    state.add_missing([5])
    assert state.missing_ids([4, 5]) == {5} and state.known_articles([5]) == set()


def test_body_sketches_stay_what_the_stored_ones_are() -> None:
    """Sketches are kept in the state: any faster code must give the very same values."""
    import heapq
    import re
    import zlib

    from newscrawl.state.base import body_sketch

    def reference(body: str, size: int = 64) -> tuple[int, ...]:  # the definition the stores hold
        tokens = re.findall(r"\w+", body.casefold())
        shingles = {" ".join(tokens[i : i + 3]) for i in range(max(0, len(tokens) - 2))}
        return tuple(sorted(heapq.nsmallest(size, {zlib.crc32(s.encode()) for s in shingles})))

    bodies = ["", "one", "one two", "one two three", "Straße café ₹500 crore, again: café ₹500 crore"]
    bodies += [" ".join(f"word{i % 97} w{i % 13}" for i in range(n)) for n in (50, 400)]
    for body in bodies:
        assert body_sketch(body) == reference(body)
