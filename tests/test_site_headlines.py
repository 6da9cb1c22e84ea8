"""Headline normalisation and wire revision prefixes."""

from __future__ import annotations

import pytest

from newscrawl.site.headlines import normalize_headline, split_wire_prefixes


@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        ("UPDATE 3-Oil prices rise", "oil prices rise"),
        ("REFILE-UPDATE 2-Oil prices rise", "oil prices rise"),
        ("CORRECTED-EXCLUSIVE-Oil prices rise", "oil prices rise"),
        ("update 1 - Oil   prices, rise!", "oil prices rise"),
        ("Ｏｉｌ prices rise", "oil prices rise"),  # NFKC
        ("OIL PRICES RISE", "oil prices rise"),
        ("Straße closes", "strasse closes"),  # casefold
        ("Update on the economy", "update on the economy"),  # not a prefix
        ("₹500 crore for café owners", "500 crore for café owners"),
        ("Reuters World News Summary", "reuters world news summary"),
    ],
)
def test_headline_normalisation(title: str, normalized: str) -> None:
    assert normalize_headline(title) == normalized


@pytest.mark.parametrize(
    ("title", "rank"),
    [("Oil rises", (0, 0)), ("UPDATE 2-Oil rises", (2, 0)), ("CORRECTED-UPDATE 2-Oil rises", (2, 1)),
     ("REFILE-Oil rises", (0, 1)), ("UPDATE 10-Oil rises", (10, 0))],
)  # fmt: skip
def test_wire_revision_rank(title: str, rank: tuple[int, int]) -> None:
    assert split_wire_prefixes(title).rank == rank
