"""Fault injection for the replica: ``serve --faults SPEC`` (off by default).

SPEC is comma-separated ``kind=rate`` pairs, e.g. ``5xx=0.04,429=0.02,drop=0.02``,
plus optional ``slow_seconds=N`` (default 3) and ``big_bytes=N`` (default
12,000,000). Which path gets which fault is a deterministic function of the
seed and the path (article pages by id, so every slug variant alike); rates
add up along the kinds in the order below, at most 1.

Transient kinds hit the first request for a path only; a retry succeeds:

* ``5xx``: 500, 502 or 503;
* ``429``: 429 with ``Retry-After: 1``;
* ``slow``: the answer comes after ``slow_seconds`` (past a short download timeout);
* ``drop``: the connection is dropped halfway through the body;
* ``truncate``: a 200 whose HTML is cut in half.

Permanent kinds hit every request for the path (article pages only unless said):

* ``loop``: an endless chain of redirects;
* ``offsite``: a redirect to another host;
* ``big``: a page of ``big_bytes`` (over a sane ``DOWNLOAD_MAXSIZE``);
* ``ctype``: the page with ``Content-Type: application/octet-stream``;
* ``badbytes``: invalid UTF-8 bytes inside the first body paragraph;
* ``cp1252``: the page encoded as windows-1252 and declared so (odd but valid);
* ``badfragment``: listing fragments (only) with broken card markup.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

TRANSIENT = ("5xx", "429", "slow", "drop", "truncate")
PERMANENT = ("loop", "offsite", "big", "ctype", "badbytes", "cp1252")
FRAGMENT_KINDS = ("5xx", "429", "slow", "drop", "badfragment")
API_KINDS = ("5xx", "429", "slow", "drop")  # the JSON APIs: transient faults only
KINDS = (*TRANSIENT, *PERMANENT, "badfragment")
_ARTICLE_RE = re.compile(r"^/article/(?:[^/]+/)?(\d+)")


@dataclass
class FaultPlan:
    rates: dict[str, float]
    seed: int
    slow_seconds: float = 3.0
    big_bytes: int = 12_000_000
    _served: dict[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: str, seed: int) -> FaultPlan:
        """
        >>> FaultPlan.parse("5xx=0.1,drop=0.05,slow_seconds=2", 1).rates
        {'5xx': 0.1, 'drop': 0.05}
        >>> FaultPlan.parse("fire=0.1", 1)
        Traceback (most recent call last):
        ...
        ValueError: unknown fault kind 'fire' (known: 5xx, 429, slow, drop, truncate, loop, offsite, big, ctype, badbytes, cp1252, badfragment)
        """
        rates: dict[str, float] = {}
        options: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"fault spec part {part!r} is not kind=rate")
            if name in ("slow_seconds", "big_bytes"):
                options[name] = float(value)
            elif name in KINDS:
                rates[name] = float(value)
            else:
                raise ValueError(f"unknown fault kind {name!r} (known: {', '.join(KINDS)})")
        for kinds in (tuple(k for k in KINDS if k != "badfragment"), FRAGMENT_KINDS):
            if sum(rates.get(k, 0.0) for k in kinds) > 1:
                raise ValueError(f"fault rates add up to more than 1: {spec!r}")
        plan = cls(rates, seed)
        plan.slow_seconds = options.get("slow_seconds", plan.slow_seconds)
        plan.big_bytes = int(options.get("big_bytes", plan.big_bytes))
        return plan

    @staticmethod
    def key(path: str, query: str) -> tuple[str, str] | None:
        """(family, identity) of a path that can fail; ``None`` for entry points."""
        match = _ARTICLE_RE.match(path)
        if match:
            return "article", match.group(1)
        if path.lower() == "/home/getnewsitems":
            return "fragment", query
        if path.lower().startswith("/api/search/"):  # the archive and sector JSON APIs
            return "api", path
        return None

    def kind_for(self, path: str, query: str = "") -> str | None:
        """The fault planned for this path, whatever the attempt."""
        key = self.key(path, query)
        if key is None:
            return None
        family, identity = key
        digest = hashlib.blake2b(f"{self.seed}:{family}:{identity}".encode(), digest_size=8).digest()
        draw = int.from_bytes(digest, "big") / 2**64
        if family == "article":
            kinds = tuple(k for k in KINDS if k != "badfragment")
        else:
            kinds = FRAGMENT_KINDS if family == "fragment" else API_KINDS
        edge = 0.0
        for kind in kinds:
            edge += self.rates.get(kind, 0.0)
            if draw < edge:
                return kind
        return None

    def fault(self, path: str, query: str = "") -> str | None:
        """The fault for this request: transient ones on the first attempt only."""
        kind = self.kind_for(path, query)
        if kind is None:
            return None
        key = self.key(path, query)
        attempt = self._served.get(str(key), 0)
        self._served[str(key)] = attempt + 1
        if kind in TRANSIENT and attempt > 0:
            return None
        return kind


def mangle_fragment(body: bytes) -> bytes:
    """Broken card markup: unclosed tags, unquoted attributes, stray brackets."""
    text = body.decode()
    text = text.replace("</a>", "").replace("</h3>", "").replace("</div>", "<div")
    text = re.sub(r'href="([^"]*)"', r"href=\1", text)
    return text.encode()


def with_bad_bytes(body: bytes, marker: bytes) -> bytes:
    """Invalid UTF-8 inside the first body paragraph."""
    start = body.find(marker)
    para = body.find(b"<p>", start)
    if start < 0 or para < 0:
        return body
    at = body.find(b" ", para) + 1  # after the first word: inside the text, not a tag
    return body[:at] + b"\xff\xfe" + body[at:]


def as_cp1252(body: bytes) -> bytes:
    text = body.decode("utf-8").replace("charset=UTF-8", "charset=windows-1252")
    return text.encode("cp1252", "xmlcharrefreplace")
