"""JSON-LD as devdiscourse writes it: read leniently, for its known breakage only.

The site's NewsArticle block is never valid JSON: its ``description`` is
written without quotes (the first paragraph cut to ``[A-Za-z0-9\\s-]``; the
video block's keeps ``,`` and ``.`` too), and Razor HTML-encodes values inside
the script (``&#x2B;05:30``, ``&quot;``), so a title's ``"`` written as ``\\"``
becomes the invalid escape ``\\&quot;`` in the BreadcrumbList block. These
repairs make exactly those shapes parse; anything else still fails, and the
caller counts that as a real problem.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

# An unquoted value after "description": up to the next key or the object's end (the
# site's text never holds quotes or braces). Runs of anything but "," and "}", and a ","
# not followed by a key: no lookahead tried at every character (a third of the page's
# JSON-LD cost when it was a lazy ``.*?``).
_UNQUOTED_DESCRIPTION_RE = re.compile(
    r'("description"\s*:\s*)(?!["{\[]|-?\d|true\b|false\b|null\b)([^,}]*(?:,(?!\s*"[^"]+"\s*:)[^,}]*)*)'
)


def _quote_description(match: re.Match[str]) -> str:
    """The unquoted value as a JSON string; the blank before the next key or "}" kept outside it."""
    value = match.group(2)
    text = value.rstrip()
    return match.group(1) + json.dumps(text.strip()) + value[len(text) :]


_BAD_ESCAPE_RE = re.compile(r'\\(?=[^"\\/bfnrtu])')


def repair_description(text: str) -> str:
    """The unquoted ``description`` value quoted (the first of ``repair``'s two fixes)."""
    return _UNQUOTED_DESCRIPTION_RE.sub(_quote_description, text)


def repair(text: str) -> str:
    r"""The site's JSON-LD made valid: the unquoted description quoted, stray ``\`` doubled.

    >>> repair('{"a": "x",\n "description": Rains fail in 2020 -  again\n }')
    '{"a": "x",\n "description": "Rains fail in 2020 -  again"\n }'
    >>> repair('{"description": }')
    '{"description": ""}'
    >>> repair('{"name": "say \\&quot;hi\\&quot;"}')
    '{"name": "say \\\\&quot;hi\\\\&quot;"}'
    """
    return _BAD_ESCAPE_RE.sub(r"\\\\", repair_description(text))


def _unescape(value: Any) -> Any:
    """HTML entities decoded in every string (Razor encodes them inside the script)."""
    if isinstance(value, str):
        return html.unescape(value)
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    if isinstance(value, dict):
        return {k: _unescape(v) for k, v in value.items()}
    return value


def parse_jsonld(text: str) -> tuple[list[dict[str, Any]], bool]:
    """The objects of one JSON-LD script and whether it needed the site's repairs.

    Raises ``ValueError`` when even the repaired text is not JSON.

    >>> parse_jsonld('{"@type": "NewsArticle", "datePublished": "2020-01-17T00:47:00&#x2B;05:30", "description": A b}')
    ([{'@type': 'NewsArticle', 'datePublished': '2020-01-17T00:47:00+05:30', 'description': 'A b'}], True)
    >>> parse_jsonld('[{"@type": "Thing"}, 3]')
    ([{'@type': 'Thing'}], False)
    >>> parse_jsonld('{"a": }')
    Traceback (most recent call last):
    ...
    ValueError: not JSON even after the site's known repairs: Expecting value: line 1 column 7 (char 6)
    """
    repaired = False
    try:
        data = json.loads(text)
    except ValueError:
        repaired = True
        try:
            data = json.loads(repair(text))
        except ValueError as exc:
            raise ValueError(f"not JSON even after the site's known repairs: {exc}") from None
    objects = data if isinstance(data, list) else [data]
    return [_unescape(obj) for obj in objects if isinstance(obj, dict)], repaired
