"""Headline normalisation and wire-revision prefixes.

Reuters and other wires re-send a story with prefixes such as ``UPDATE 3-``,
``REFILE-``, ``CORRECTED-`` or ``EXCLUSIVE-``, alone or stacked
(``REFILE-UPDATE 2-``). Two headlines name the same story when they are equal
after Unicode NFKC, case folding, dropping those prefixes and collapsing
punctuation and whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_PREFIX_RE = re.compile(
    r"^\s*(?P<word>UPDATE\s*(?P<n>\d+)|REFILE|CORRECTED|CORRECTION|EXCLUSIVE|RPT|WRAPUP(?:\s*\d+)?"
    r"|INSIGHT|ANALYSIS|FACTBOX|BREAKINGVIEWS|BRIEF|TIMELINE)\s*(?:-|:|\u2013|\u2014)\s*",
    re.IGNORECASE,
)
_CORRECTION_WORDS = frozenset({"refile", "corrected", "correction", "rpt"})
_NON_WORD_RE = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class WireHeadline:
    """A headline split into its wire prefixes and the story's own words."""

    headline: str
    revision: int
    corrections: int

    @property
    def rank(self) -> tuple[int, int]:
        """Order of versions of one story: UPDATE number, then corrections."""
        return (self.revision, self.corrections)


def split_wire_prefixes(title: str) -> WireHeadline:
    """Strip stacked wire prefixes, keeping the revision they announce.

    >>> split_wire_prefixes("UPDATE 3-U.N. says 350,000 Syrians fled")
    WireHeadline(headline='U.N. says 350,000 Syrians fled', revision=3, corrections=0)
    >>> split_wire_prefixes("REFILE-UPDATE 2-Oil rises").rank
    (2, 1)
    >>> split_wire_prefixes("Update on the economy").revision
    0
    """
    revision = corrections = 0
    rest = title
    while True:
        match = _PREFIX_RE.match(rest)
        if match is None:
            break
        word = match.group("word").lower()
        if match.group("n"):
            revision = max(revision, int(match.group("n")))
        elif word in _CORRECTION_WORDS:
            corrections += 1
        rest = rest[match.end() :]
    return WireHeadline(headline=rest.strip(), revision=revision, corrections=corrections)


def normalize_headline(title: str) -> str:
    """The comparison form of a headline.

    >>> normalize_headline("UPDATE 2-Oil  prices RISE, again!")
    'oil prices rise again'
    >>> normalize_headline("CORRECTED-EXCLUSIVE-Oil prices rise again")
    'oil prices rise again'
    >>> normalize_headline("\uff32euters World News Summary")
    'reuters world news summary'
    >>> normalize_headline("Café owners get ₹500")
    'café owners get 500'
    """
    text = unicodedata.normalize("NFKC", title)
    text = split_wire_prefixes(text).headline
    text = _NON_WORD_RE.sub(" ", unicodedata.normalize("NFKC", text.casefold()))
    return " ".join(text.split())
