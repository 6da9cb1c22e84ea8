"""The replica's articles: a deterministic function of (seed, index).

Article ``i`` depends only on the seed and ``i`` (and, for copies and wire
revisions, on lower indices), never on how many articles the site holds, so
growing the site from N to N+k adds k newer articles and leaves every older
one unchanged. Cheap facts (id, label, agency, time) come from one hash per
article, so the listing index of 100,000 articles builds in a fraction of a
second; text is generated on first request and cached.

The crawler's hard cases sit at fixed offsets of every block of 100 articles
(see :data:`CASES`), so any site of 200 or more articles holds each of them
at least twice.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property, lru_cache

from replica import words

BLOCK = 100
BASE_ID = 1_000_000
# Ids rise with time, with gaps (not every id is an article, as on the site): before
# about one article in three, 1-3 ids that never become articles.
GAP_ONE_IN = 3
MINUTES_PER_ARTICLE = 60  # 3,000 articles span 125 days: past every listing's window
# The "late_approval" article is not approved (its id answers as missing, no listing
# shows it) until this many newer articles are published.
APPROVAL_DELAY = 5
# Editors' updates: about one plain news article in two is edited 2-11 hours
# (articles) after it was published (a paragraph added, ModifiedOn moved), a third
# of those again 1-4 hours later: within 15 hours, while the news sitemap (the last
# 36-60 hours) lists the article even to a cron run 20 hours later. An edit shows once the site has grown past it, so a site
# of N articles shows each article as it stood when article N-1 was published.
EDIT_ONE_IN = 2
# Image URL as stored: most records hold the blob URL; older ones were stored through
# the resizers the site used before `/img?imageUrl=` (`/remote.axd?`, `/Experiment/Img`).
IMAGE_FORMS = ("blob",) * 16 + ("remote.axd",) * 3 + ("experiment",)

# Offset within each block of 100 -> the case the article there exercises.
CASES: dict[int, str] = {
    5: "blog",
    10: "resyndicated_original",  # PTI story ...
    13: "resyndicated_copy",  # ... re-sent by ANI: same headline and body -> one story
    20: "wire_base",  # Reuters "X"
    24: "wire_update_1",  # "UPDATE 1-X": new id, later, edited body -> revision of X
    29: "wire_update_2",  # "UPDATE 2-X"
    30: "recurring_headline",  # "Reuters World News Summary", a new body every day
    54: "recurring_headline",  # ... 24 hours later, within the dedupe window: still distinct
    40: "two_labels",  # also linked under another label, other slug, utm query, fragment
    45: "video",
    50: "no_updated_time",  # no Updated time anywhere -> updated_at null
    55: "malformed_time",  # garbled byline, .NET MinValue meta -> both dates null
    60: "no_figure",  # no image -> image fields null
    65: "empty_body",  # no body paragraphs -> dropped (missing body)
    70: "no_jsonld",  # no JSON-LD -> every field from meta and the page
    75: "truncated_html",  # page cut off mid-body -> dropped (truncated)
    80: "long_article",  # 500 paragraphs
    85: "dash_title",  # " - " in the title, "---" in the slug
    86: "non_ascii",  # rupee sign, accents, Devanagari
    87: "html_entities",  # &amp; &quot; &lt; and numeric references in title and body
    95: "agency_wire_link",  # agency listing links it as /article/agency-wire/... (301)
    97: "late_approval",  # approved APPROVAL_DELAY articles later: missing id until then
}
# Cases whose article a correct crawl does not export, with the reason.
DROPPED_CASES = {"empty_body": "missing_body", "truncated_html": "truncated"}

SEED_INDEX = 42  # the real seed story (block 0 only)
SEED_PUBLISHED = datetime(2020, 1, 16, 19, 17, tzinfo=UTC)  # 17-01-2020 00:47 IST
SEED_UPDATED = datetime(2020, 1, 16, 19, 29, tzinfo=UTC)  # 17-01-2020 00:59 IST
T0 = SEED_PUBLISHED - timedelta(minutes=SEED_INDEX * MINUTES_PER_ARTICLE + 4)
RECURRING_TITLE = "Reuters World News Summary"

_AGENCY_WEIGHTS = (
    ("PTI", 25), ("Reuters", 25), ("IANS", 10), ("ANI", 10),
    ("Devdiscourse News Desk", 15), ("UN News", 8), ("PR Newswire", 7),
)  # fmt: skip
_AGENCY_TABLE = tuple(name for name, weight in _AGENCY_WEIGHTS for _ in range(weight))
_SLUG_DROP_RE = re.compile(r"[^a-z0-9 -]")


def slugify(title: str) -> str:
    """The site's slug: lower-case, only ``[a-z0-9 -]``, 130 chars, spaces to hyphens.

    >>> slugify("Three Turkish soldiers killed - sources")
    'three-turkish-soldiers-killed---sources'
    """
    return _SLUG_DROP_RE.sub("", title.lower())[:130].replace(" ", "-")


@dataclass(frozen=True, slots=True)
class Meta:
    """The cheap facts of one article, enough for listings and routing."""

    index: int
    article_id: int
    label: str
    sector: str
    agency: str
    kind: str  # news | blog | video
    published: datetime
    case: str | None
    image_form: str = "blob"  # how the record stores its image URL (IMAGE_FORMS)

    @property
    def sector_id(self) -> int:
        """The sector's numeric id (what the sector page's script and JSON API take)."""
        return words.SECTORS.index(self.sector) + 1


@dataclass(frozen=True)
class Article:
    """Everything a page of one article shows."""

    meta: Meta
    title: str
    subtitle: str | None
    author: str | None
    city: str | None
    countries: tuple[str, ...]
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    image_file: str | None
    caption: str | None
    credit: str | None
    updated: datetime | None
    opinion: bool = False
    rich_markup: bool = False
    duplicate_of: int | None = None  # index of the story this copies
    revision_base: int | None = None  # index of the first version of this wire story
    version: int = 1  # 1 + the editors' updates the site shows at its size

    @property
    def article_id(self) -> int:
        return self.meta.article_id

    @property
    def case(self) -> str | None:
        return self.meta.case

    @cached_property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def path(self) -> str:
        return f"/article/{self.meta.label}/{self.article_id}-{self.slug}"

    @property
    def syndicated(self) -> bool:
        return self.meta.agency in words.WIRE_AGENCIES and self.meta.kind != "blog"

    @property
    def image_url(self) -> str | None:
        """The original image (what a crawler should export)."""
        if self.image_file is None:
            return None
        return f"https://devdiscourse.blob.core.windows.net/devnews/{self.image_file}"

    @property
    def stored_image_url(self) -> str | None:
        """The image URL as the article's record holds it (older records: through a resizer)."""
        url = self.image_url
        if url is None or self.meta.image_form == "blob":
            return url
        if self.meta.image_form == "remote.axd":
            return f"/remote.axd?{url}"
        return f"/Experiment/Img?imageUrl={url}"

    @property
    def modified(self) -> datetime:
        """ModifiedOn: the Updated time, the creation time when the page shows none."""
        return self.updated or self.meta.published


@dataclass(frozen=True, slots=True)
class Edit:
    """An editors' update: shown once the site has more than ``index + after`` articles."""

    after: int  # articles (hours) after the article's own publication
    minutes: int  # ... and these minutes past that hour: the new ModifiedOn


def _digest(seed: int, index: int) -> bytes:
    return hashlib.blake2b(f"{seed}:{index}".encode(), digest_size=16).digest()


class Corpus:
    """The articles of one replica site of ``size`` articles."""

    def __init__(self, size: int, seed: int) -> None:
        if size < 1:
            raise ValueError(f"a replica needs at least 1 article, got {size}")
        self.size = size
        self.seed = seed
        self._next_id = BASE_ID
        self.metas: list[Meta] = [self._meta(i) for i in range(size)]
        self._index = {meta.article_id: meta.index for meta in self.metas}
        self._original = lru_cache(maxsize=8192)(self._build_article)
        self._article = lru_cache(maxsize=8192)(self._edited)

    # -- cheap facts ---------------------------------------------------------
    def _meta(self, i: int) -> Meta:
        h = _digest(self.seed, i)
        case = "seed" if i == SEED_INDEX else CASES.get(i % BLOCK)
        # Called for i = 0, 1, 2, ... in order, so ids depend on i and the seed only.
        if h[0] % GAP_ONE_IN == 0:
            self._next_id += 1 + h[0] // GAP_ONE_IN % 3
        article_id = self._next_id
        self._next_id += 1
        published = T0 + timedelta(minutes=i * MINUTES_PER_ARTICLE + h[1] % 9)
        label = words.LABELS[h[2] % len(words.LABELS)]
        agency = _AGENCY_TABLE[h[3] % len(_AGENCY_TABLE)]
        kind = "blog" if h[4] % 20 == 0 else "video" if h[4] % 50 == 1 else "news"
        if case == "seed":
            published, label, agency, kind = SEED_PUBLISHED, "international", "PTI", "news"
        elif case == "blog":
            kind = "blog"
        elif case == "video":
            kind = "video"
        elif case in {"resyndicated_original", "resyndicated_copy"}:
            agency, kind = ("PTI" if case == "resyndicated_original" else "ANI"), "news"
        elif case in {"wire_base", "wire_update_1", "wire_update_2", "recurring_headline"}:
            agency, kind = "Reuters", "news"
            if case.startswith("wire_update"):
                label = self._label_of_base(i)
        elif case is not None and kind != "news":
            kind = "news"  # damaged and odd pages are plain news stories
        if kind == "blog":
            agency = "Devdiscourse"
        return Meta(
            index=i,
            article_id=article_id,
            label=label,
            sector=words.SECTORS[h[5] % len(words.SECTORS)],
            agency=agency,
            kind=kind,
            published=published,
            case=case,
            image_form=IMAGE_FORMS[h[6] % len(IMAGE_FORMS)] if case != "seed" else "blob",
        )

    def _label_of_base(self, i: int) -> str:
        base = i - i % BLOCK + 20
        return words.LABELS[_digest(self.seed, base)[2] % len(words.LABELS)]

    def index_of(self, article_id: int) -> int | None:
        """The index of an article id, ``None`` for ids the site does not hold."""
        return self._index.get(article_id)

    def approved(self, i: int) -> bool:
        """Whether article ``i`` is published yet (AdminCheck): served, listed, in the truth."""
        return self.metas[i].case != "late_approval" or self.size > i + APPROVAL_DELAY

    @property
    def newest_id(self) -> int:
        return self.metas[-1].article_id

    @property
    def now(self) -> datetime:
        """The site's clock: shortly after its newest article."""
        return self.metas[-1].published + timedelta(minutes=45)

    def article(self, i: int) -> Article:
        """Article ``i`` as the site shows it at this size (its editors' updates so far)."""
        return self._article(i)

    def original(self, i: int) -> Article:
        """Article ``i`` as first published."""
        return self._original(i)

    def edits(self, i: int) -> tuple[Edit, ...]:
        """The editors' updates article ``i`` gets, whatever the site's size (plain news only)."""
        meta = self.metas[i]
        if meta.case is not None or meta.kind != "news":
            return ()
        h = hashlib.blake2b(f"{self.seed}:edits:{i}".encode(), digest_size=8).digest()
        if h[0] % EDIT_ONE_IN:
            return ()
        first = Edit(after=2 + h[1] % 10, minutes=h[2] % 50)
        if h[3] % 3:
            return (first,)
        return (first, Edit(after=first.after + 1 + h[4] % 4, minutes=h[5] % 50))

    def shown_edits(self, i: int) -> tuple[Edit, ...]:
        return tuple(e for e in self.edits(i) if self.size > i + e.after)

    def versions(self, i: int) -> list[Article]:
        """Every version of article ``i`` the site has shown up to its size, oldest first."""
        return [self._version(i, n) for n in range(len(self.shown_edits(i)) + 1)]

    def _edited(self, i: int) -> Article:
        return self._version(i, len(self.shown_edits(i)))

    def _version(self, i: int, edits: int) -> Article:
        article = self.original(i)
        if not edits:
            return article
        shown = self.edits(i)[:edits]
        rng = random.Random(int.from_bytes(_digest(self.seed, i), "big") ^ 0xED17)
        added = tuple(f"Update: {_paragraph(rng)}" for _ in shown)
        last = shown[-1]
        updated = article.meta.published + timedelta(hours=last.after, minutes=last.minutes)
        return replace(article, paragraphs=article.paragraphs + added, updated=updated, version=1 + edits)

    # -- text ----------------------------------------------------------------
    def _build_article(self, i: int) -> Article:
        meta = self.metas[i]
        rng = random.Random(int.from_bytes(_digest(self.seed, i), "big"))
        if meta.case == "seed":
            return _seed_article(meta)
        title = _title(rng)
        paragraphs = tuple(_paragraph(rng) for _ in range(rng.randint(4, 8)))
        subtitle = _sentence(rng) if rng.random() < 0.4 else None
        countries = tuple(rng.sample(words.COUNTRIES, rng.randint(1, 3))) if rng.random() < 0.9 else ()
        tags = tuple(rng.sample(words.TAG_WORDS, rng.randint(3, 8)))
        city = rng.choice(words.CITIES) if rng.random() < 0.9 else None
        has_image = rng.random() < 0.85
        caption = rng.choice(words.CAPTIONS)
        credit: str | None = rng.choice(words.CREDITS)
        if rng.random() < 0.1:
            credit = None
        updated: datetime | None = meta.published + timedelta(minutes=rng.randint(0, 90))
        duplicate_of: int | None = None
        revision_base: int | None = None
        case = meta.case
        if case == "resyndicated_copy":
            original = self.original(i - 3)
            duplicate_of = i - 3
            title, subtitle, paragraphs = original.title, original.subtitle, original.paragraphs
            city, countries = original.city, original.countries
        elif case in {"wire_update_1", "wire_update_2"}:
            previous = self.original(i - (4 if case == "wire_update_1" else 5))
            number = 1 if case == "wire_update_1" else 2
            revision_base = i - i % BLOCK + 20
            base = self.original(revision_base)
            title = f"UPDATE {number}-{base.title}"
            subtitle, city, countries = base.subtitle, base.city, base.countries
            paragraphs = (_paragraph(rng), *previous.paragraphs)
        elif case == "recurring_headline":
            title = RECURRING_TITLE
        elif case in {"no_updated_time", "malformed_time"}:
            updated = None
        elif case == "no_figure":
            has_image = False
        elif case == "empty_body":
            paragraphs = ()
        elif case == "long_article":
            paragraphs = tuple(_sentence(rng) for _ in range(500))
        elif case == "dash_title":
            title = f"{title} - sources"
        elif case == "non_ascii":
            title = "₹500 crore boost for café owners in मुंबई as rupee firms"
            paragraphs = (
                "The scheme offers ₹500 crore to small café and restaurant owners in मुंबई.",
                "Officials in Zürich and São Paulo called it a naïve but welcome step — “a start”, one said.",
                *paragraphs[2:],
            )
        elif case == "html_entities":
            title = 'AT&T, P&G beat "street" estimates as shares rise 5% <early trade>'
            paragraphs = (
                "Shares of AT&T and P&G rose 5% in early trade, beating the <consensus> view.",
                "\u201cIt\u2019s a good quarter,\u201d an analyst said \u2013 \u201cbetter than feared.\u201d",
                *paragraphs[2:],
            )
        author = rng.choice(words.AUTHORS) if meta.kind == "blog" else None
        image_file = _image_file(rng, meta.published) if has_image or meta.kind == "video" else None
        return Article(
            meta=meta,
            title=title,
            subtitle=subtitle,
            author=author,
            city=city,
            countries=countries,
            tags=tags,
            paragraphs=paragraphs,
            image_file=image_file,
            caption=caption if has_image and meta.kind != "video" else None,
            credit=credit if has_image and meta.kind != "video" else None,
            updated=updated,
            opinion=meta.kind == "blog" and (i // BLOCK) % 2 == 1,
            rich_markup=rng.random() < 0.3,
            duplicate_of=duplicate_of,
            revision_base=revision_base,
        )


def _image_file(rng: random.Random, published: datetime) -> str:
    uploaded = published - timedelta(seconds=rng.randint(30, 3600))
    return uploaded.strftime("%d_%m_%Y_%H_%M_%S_") + f"{rng.randint(0, 9_999_999):07d}.jpg"


def _title(rng: random.Random) -> str:
    place = rng.choice(words.COUNTRIES + words.CITIES)
    pattern = rng.randrange(3)
    if pattern == 0:
        return (
            f"{place} {rng.choice(words.VERBS)} {rng.choice(words.ADJECTIVES)} "
            f"{rng.choice(words.TOPICS)} {rng.choice(words.NOUNS)} {rng.choice(words.CONNECTORS)}"
        )
    if pattern == 1:
        return (
            f"{rng.choice(words.ADJECTIVES).capitalize()} {rng.choice(words.TOPICS)} "
            f"{rng.choice(words.NOUNS)} for {place} {rng.choice(words.CONNECTORS)}"
        )
    subject = rng.choice(words.SUBJECTS)
    return (
        f"{subject} {rng.choice(words.VERBS)} {rng.choice(words.TOPICS)} {rng.choice(words.NOUNS)} in {place}"
    )


def _sentence(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return (
            f"{rng.choice(words.SUBJECTS)} {rng.choice(words.VERBS)} the "
            f"{rng.choice(words.ADJECTIVES)} {rng.choice(words.TOPICS)} "
            f"{rng.choice(words.NOUNS)} {rng.choice(words.CONNECTORS)}."
        )
    if kind == 1:
        return f'"{rng.choice(words.QUOTES)}," said an official in {rng.choice(words.CITIES)}.'
    if kind == 2:
        return (
            f"The {rng.choice(words.NOUNS)} is worth {rng.randint(2, 900)} million dollars, "
            f"up {rng.randint(1, 40)} per cent from a year earlier."
        )
    return (
        f"It follows a {rng.choice(words.ADJECTIVES)} {rng.choice(words.NOUNS)} on "
        f"{rng.choice(words.TOPICS)} in {rng.choice(words.COUNTRIES)} "
        f"{rng.choice(words.CONNECTORS)}."
    )


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


SEED_TITLE = "Iraq denies resuming joint ops with US-led coalition"


def _seed_article(meta: Meta) -> Article:
    from replica.seed import SEED_PARAGRAPHS

    return Article(
        meta=meta,
        title=SEED_TITLE,
        subtitle=None,
        author=None,
        city="Baghdad",
        countries=("Iraq",),
        tags=("Iraq", "US-led coalition", "Baghdad", "Islamic State", "Qasem Soleimani"),
        paragraphs=SEED_PARAGRAPHS,
        image_file="17_01_2020_00_47_12_4433587.jpg",
        caption="Representative image",
        credit="Pixabay",
        updated=SEED_UPDATED,
    )
