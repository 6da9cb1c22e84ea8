"""Property-based tests (hypothesis) of the pure parts that meet arbitrary input."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.site.headlines import normalize_headline, split_wire_prefixes
from newscrawl.site.jsonld import repair_description
from newscrawl.site.timeparse import parse_site_time
from newscrawl.site.urls import canonical_article_url, join_url, parse_article_url, url_path

prefixes = st.sampled_from(
    ["", "UPDATE 2-", "REFILE-", "CORRECTED-", "EXCLUSIVE-", "REFILE-UPDATE 1-", "update 3 - "]
)
headlines = st.builds(lambda p, t: p + t, prefixes, st.text(max_size=120))


@given(headlines)
def test_headline_normaliser_never_raises_and_is_idempotent(title: str) -> None:
    once = normalize_headline(title)
    assert normalize_headline(once) == once
    assert once == once.strip() and "  " not in once


@given(headlines)
def test_wire_prefixes_split_off_cleanly(title: str) -> None:
    split = split_wire_prefixes(title)
    assert split.revision >= 0 and split.corrections >= 0
    assert (
        split_wire_prefixes(split.headline).headline == split.headline
        or split.headline != split.headline.strip()
    )


url_parts = st.tuples(
    st.sampled_from(["http", "https", "HTTP"]),
    st.sampled_from(["www.devdiscourse.com", "127.0.0.1:8080", "WWW.Devdiscourse.com"]),
    st.sampled_from(["business", "Health", "agency-wire", "sports-games"]),
    st.integers(min_value=1, max_value=10**9),
    st.text(alphabet="abcdefghij-0123456789", max_size=40),
    st.sampled_from(["", "?utm_source=x", "?amp", "#c", "?a=1&b=2#frag"]),
)


@given(url_parts)
def test_url_canonicaliser_is_idempotent_and_keeps_the_id(parts: tuple[str, str, str, int, str, str]) -> None:
    scheme, host, label, article_id, slug, tail = parts
    url = f"{scheme}://{host}/article/{label}/{article_id}-{slug}{tail}"
    canonical = canonical_article_url(url)
    assert canonical is not None
    assert canonical_article_url(canonical) == canonical
    ref = parse_article_url(canonical)
    assert ref is not None and ref.article_id == article_id
    assert "?" not in canonical and "#" not in canonical


url_texts = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda a, b, c: a + b + c,
        st.sampled_from(
            [
                "",
                "/",
                "//",
                "http://",
                "HTTPS://h:1",
                "http://h",
                " /",
                "\t//x",
                "ht-tp+1.x:/",
                "https://h/article/",
            ]
        ),
        st.text(alphabet="/?#:@ab1-\n\t\x00é[]", max_size=20),
        st.text(max_size=10),
    ),
)


@given(url_texts)
def test_the_url_path_fast_path_agrees_with_urlsplit(text: str) -> None:
    from urllib.parse import urlsplit

    try:
        expected = urlsplit(text).path
    except ValueError:  # "Invalid IPv6 URL": the path is still the path
        return
    assert url_path(text) == expected


bases = st.builds(
    lambda a, b: a + b,
    st.sampled_from(
        [
            "http://h:1",
            "https://www.devdiscourse.com",
            "HTTP://H",
            "hTtPs://[::1]:8",
            "file://",
            "ftp://h",
            "h:1",
            "",
        ]
    ),
    st.text(alphabet="/?#.ab1 %\t", max_size=15),
)


@given(bases, url_texts)
def test_the_url_join_fast_path_agrees_with_urljoin(base: str, href: str) -> None:
    from urllib.parse import urljoin

    try:
        expected = urljoin(base, href)
    except ValueError:
        return
    assert join_url(base, href) == expected


@given(
    st.one_of(
        st.text(max_size=300),
        st.text(alphabet="ab cD_1\n\t.,é", max_size=300),
        st.text(alphabet=st.characters(max_codepoint=127), max_size=300),  # every ASCII byte
    )
)
def test_the_body_sketch_is_its_definition(body: str) -> None:
    """Bottom-64 CRC-32 of the casefolded body's word 3-shingles, whichever path computes it."""
    import re
    import zlib

    from newscrawl.state.base import body_sketch

    words = re.findall(r"\w+", body.casefold())
    shingles = {zlib.crc32(" ".join(words[i : i + 3]).encode()) for i in range(len(words) - 2)}
    assert body_sketch(body) == tuple(sorted(shingles)[:64])


@given(st.text(max_size=60))
def test_canonicaliser_never_raises_on_any_text(text: str) -> None:
    result = canonical_article_url(text)
    assert result is None or canonical_article_url(result) == result


site_like = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda d, m, y, h, mi: f"{d:02d}-{m:02d}-{y} {h:02d}:{mi:02d} IST",
        st.integers(0, 40), st.integers(0, 14), st.integers(1, 9999), st.integers(0, 30), st.integers(0, 70),
    ),
    st.builds(
        lambda y, m, d, h, mi, z: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00{z}",
        st.integers(1, 9999), st.integers(0, 14), st.integers(0, 40), st.integers(0, 30), st.integers(0, 70),
        st.sampled_from(["+05:30", "Z", "", "-04:00"]),
    ),
)  # fmt: skip


@settings(deadline=None, max_examples=200)  # dateparser is slow on some text
@given(site_like)
def test_timestamp_parser_never_raises_and_returns_utc_or_none(text: str) -> None:
    moment = parse_site_time(text)
    assert moment is None or moment.utcoffset() == timedelta(0)


@given(
    st.integers(1, 28), st.integers(1, 12), st.integers(1996, 2090), st.integers(0, 23), st.integers(0, 59)
)
def test_byline_times_are_ist(day: int, month: int, year: int, hour: int, minute: int) -> None:
    moment = parse_site_time(f"Updated: {day:02d}-{month:02d}-{year} {hour:02d}:{minute:02d} IST")
    assert moment is not None
    back = moment + timedelta(hours=5, minutes=30)
    assert (back.day, back.month, back.year, back.hour, back.minute) == (day, month, year, hour, minute)


# The repair's definition: the lazy regex it replaced (slow: a lookahead at every character).
_DESCRIPTION_BY_DEFINITION = re.compile(
    r'("description"\s*:\s*)(?!["{\[]|-?\d|true\b|false\b|null\b)(.*?)(?=\s*,\s*"[^"]+"\s*:|\s*\})', re.DOTALL
)
_jsonld_text = st.text(alphabet='ab 9-,.:"{}\n\\&;', max_size=40)


@given(_jsonld_text, _jsonld_text, st.sampled_from(["}", ', "k": 1}', ' ,\n "name": "x"}', ""]))
@settings(max_examples=300)
def test_jsonld_repair_quotes_the_description_as_its_definition_does(
    before: str, value: str, after: str
) -> None:
    text = f'{{{before}"description": {value}{after}'
    if _DESCRIPTION_BY_DEFINITION.search(text):
        expected = _DESCRIPTION_BY_DEFINITION.sub(lambda m: m.group(1) + json.dumps(m.group(2).strip()), text)
        assert repair_description(text) == expected
    else:  # no "}" or next key after the value: the definition leaves it, and no repair makes it JSON
        with pytest.raises(ValueError):
            json.loads(repair_description(text))
