"""Timestamps as devdiscourse prints them, normalised to UTC.

The site stores UTC and prints India Standard Time (UTC+05:30) in two forms:

* head meta / JSON-LD: ``2020-01-17T00:47:00+05:30``
* the byline: ``Updated: 17-01-2020 00:59 IST | Created: 17-01-2020 00:47 IST``

Both have an exact fast path (a regular expression and ``int()``, cheaper than
``strptime``). Anything else goes to dateparser with the zone forced to
Asia/Kolkata, because dateparser on its own reads "IST" as Israel (+02:00):
the abbreviation is removed before dateparser sees the text.

Every function here returns an aware datetime in UTC or ``None``; none of
them raises on bad text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, overload

IST = timezone(timedelta(hours=5, minutes=30), "IST")

_ISO_RE = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?"
    r"(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_BYLINE_RE = re.compile(
    r"\s*(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:IST)?\s*$",
    re.IGNORECASE,
)
# The byline's shape with something other than digits in it ("1?-0l-2020 25:61 IST"): a
# garbled byline, broken rather than fuzzy (and dateparser took ~6 ms to give up on one).
_BYLINE_SHAPE_RE = re.compile(
    r"\s*[\w?]{1,2}-[\w?]{1,2}-[\w?]{4}\s+[\w?]{1,2}:[\w?]{2}(?::[\w?]{2})?\s*(?:IST)?\s*$",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(r"^\s*(?:Updated|Created|Published|Modified)\s*:\s*", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
# Zone words dateparser would misread; on this site they all mean India.
_IST_WORD_RE = re.compile(r"\b(?:IST|India Standard Time)\b", re.IGNORECASE)


def _offset(text: str | None) -> timezone:
    """The zone of an ISO offset; no offset means the site's own zone, IST."""
    if text is None:
        return IST
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _build(
    year: str, month: str, day: str, hour: str, minute: str, second: str | None, tz: timezone
) -> datetime | None:
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz)
        return local.astimezone(UTC)
    except (ValueError, OverflowError):  # 31-02-2020, 25:61, year 1 at +05:30 ...
        return None


def parse_iso(text: str) -> datetime | None:
    """Parse ``yyyy-MM-ddTHH:mm:ss+05:30`` (no offset means IST).

    >>> parse_iso("2020-01-17T00:47:00+05:30").isoformat()
    '2020-01-16T19:17:00+00:00'
    >>> parse_iso("2020-01-16T19:17:00Z").isoformat()
    '2020-01-16T19:17:00+00:00'
    >>> parse_iso("17-01-2020") is None
    True
    """
    match = _ISO_RE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    return _build(year, month, day, hour, minute, second, tz=_offset(zone))


def parse_byline(text: str) -> datetime | None:
    """Parse the byline form ``dd-MM-yyyy HH:mm IST`` (IST assumed).

    >>> parse_byline("17-01-2020 00:59 IST").isoformat()
    '2020-01-16T19:29:00+00:00'
    >>> parse_byline("32-01-2020 00:59 IST") is None
    True
    """
    match = _BYLINE_RE.match(text)
    if match is None:
        return None
    day, month, year, hour, minute, second = match.groups()
    return _build(year, month, day, hour, minute, second, tz=IST)


@lru_cache(maxsize=1)
def _dateparser_settings() -> dict[str, Any]:
    return {
        "TIMEZONE": "Asia/Kolkata",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "DMY",
        "STRICT_PARSING": True,
        "PREFER_DATES_FROM": "past",
    }


def parse_fuzzy(text: str) -> datetime | None:
    """Odd text through dateparser, IST forced; ``None`` when it cannot tell.

    >>> parse_fuzzy("17 January 2020 00:47 IST").isoformat()
    '2020-01-16T19:17:00+00:00'
    >>> parse_fuzzy("3l-O1-2020 2x:59 IST") is None
    True
    >>> parse_fuzzy("1?-0l-2020 25:61 IST") is None
    True
    """
    import dateparser  # slow to import; only odd text needs it

    cleaned = _IST_WORD_RE.sub(" ", text).strip()
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    try:
        # English only: the site is, and trying every locale costs ~50 ms a call.
        parsed = dateparser.parse(cleaned, languages=["en"], settings=_dateparser_settings())
    except Exception:  # dateparser raises assorted errors on garbage
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    # dateparser fills gaps from the clock ("25:61" can come back as now):
    # keep only a result whose year the text itself states.
    if str(parsed.astimezone(IST).year) not in _YEAR_RE.findall(cleaned):
        return None
    return parsed.astimezone(UTC)


def parse_site_time(text: str | None) -> datetime | None:
    """Any devdiscourse timestamp text to an aware UTC datetime, or ``None``.

    >>> parse_site_time("Updated: 17-01-2020 00:59 IST").isoformat()
    '2020-01-16T19:29:00+00:00'
    >>> parse_site_time("2020-01-17T00:47:00+05:30").isoformat()
    '2020-01-16T19:17:00+00:00'
    >>> parse_site_time("") is None
    True
    >>> parse_site_time("0001-01-01T00:00:00+05:30") is None
    True
    >>> parse_site_time("Created: 1?-0l-2020 25:61 IST") is None  # garbled, dateparser not asked
    True
    """
    if not text:
        return None
    text = _LABEL_RE.sub("", text, count=1)
    # Text in one of the site's exact shapes is judged by that shape alone: an
    # impossible value there (.NET's 0001-01-01, 25:61) is broken, not fuzzy.
    if _ISO_RE.match(text):
        return parse_iso(text)
    if _BYLINE_RE.match(text):
        return parse_byline(text)
    if _BYLINE_SHAPE_RE.match(text):
        return None
    return parse_fuzzy(text)


@overload
def format_utc(moment: datetime) -> str: ...
@overload
def format_utc(moment: None) -> None: ...
@overload
def format_utc(moment: datetime | None) -> str | None: ...
def format_utc(moment: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ``, the feed's UTC form.

    >>> format_utc(parse_iso("2020-01-17T00:47:00+05:30"))
    '2020-01-16T19:17:00Z'
    """
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_ist(moment: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS+05:30``, the site's own zone.

    >>> format_ist(parse_iso("2020-01-16T19:17:00Z"))
    '2020-01-17T00:47:00+05:30'
    """
    if moment is None:
        return None
    return moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M:%S+05:30")


def format_ist_date(moment: datetime | None) -> str | None:
    """The day in India, ``YYYY-MM-DD``: 19:17 UTC is already the next day there.

    >>> format_ist_date(parse_iso("2020-01-16T19:17:00Z"))
    '2020-01-17'
    """
    if moment is None:
        return None
    return moment.astimezone(IST).strftime("%Y-%m-%d")
