"""Turn dated files into digests and deduplicated papers.

A paper is identified by its arXiv ID (without version) when a listing gives one, and by
its normalized title otherwise. Listings are read in date order: a listing without an ID
joins the paper that last carried its title, and a listing with an ID joins the paper
with that ID, or else a paper so far known only by the same title. Two IDs never merge.

A slug is the first listing's title words and a hash of the paper's identity at that
listing (its normalized title, or its arXiv ID), so a paper first seen in a text dump
keeps its URL when a later listing adds its ID, and content added in date order never
moves a URL. A first listing that states a slug (a digest's export does) gives that slug
instead, so a site rebuilt from its export keeps its URLs whatever the listings it was
first built from; if two papers would share a slug, both get longer hashes, as always.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .model import AbstractVersion, Appearance, Digest, DigestFile, Entry, Library, Paper

SLUG_WORDS_CHARS = 60
"""The readable part of a slug is cut at a word boundary within this many characters."""
SLUG_HASH_CHARS = 8
"""Hex digits of the title hash that make every slug unique without a registry."""

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u00b4`"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036"
_UNIFY = {**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SINGLE_QUOTES, "'"),
          **dict.fromkeys(_DOUBLE_QUOTES, '"')}  # fmt: skip
_UNIFIED = re.compile(f"[{_DASHES}{_SINGLE_QUOTES}{_DOUBLE_QUOTES}]")
_DASH_RUN = re.compile(r"-{2,}")


def normalize_title(title: str) -> str:
    """The identity of a title: NFKC, case-folded, one space, one kind of dash and quote."""
    text = unicodedata.normalize("NFKC", title)
    # Only the dashes and quotes are looked up: str.translate would look up every
    # character (70 µs for an abstract, which topics normalize), a search skips the rest.
    text = _UNIFIED.sub(lambda found: _UNIFY[found[0]], text)
    # `--` and `---` are how LaTeX writes en and em dashes; `''` is its closing double quote.
    text = _DASH_RUN.sub("-", text) if "--" in text else text
    return " ".join(text.replace("''", '"').casefold().split())


def slug_key(identity: str, title_key: str) -> str:
    """What a slug is made of: the identity (hashed) and, if different, the title (read)."""
    return title_key if identity == title_key else f"{identity}\0{title_key}"


def slugify(key: str, hash_chars: int = SLUG_HASH_CHARS) -> str:
    """A bounded lowercase ASCII slug for a `slug_key`: readable words plus a hash."""
    identity, _, title = key.partition("\0")
    key, words = identity, title or identity
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    readable = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text.lower()):
        candidate = f"{readable}-{word}" if readable else word
        if len(candidate) > SLUG_WORDS_CHARS:
            readable = readable or word[:SLUG_WORDS_CHARS]
            break
        readable = candidate
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:hash_chars]
    return f"{readable or 'paper'}-{digest}"


def assign_slugs(keys: Iterable[str], short_slug: Callable[[str], str] = slugify) -> dict[str, str]:
    """Slugs for every key; the rare keys whose short slugs collide get longer hashes."""
    unique = sorted(set(keys))
    slugs: dict[str, str] = {}
    for hash_chars in (SLUG_HASH_CHARS, 16, 64):
        by_slug: dict[str, list[str]] = {}
        for key in unique:
            slug = short_slug(key) if hash_chars == SLUG_HASH_CHARS else slugify(key, hash_chars)
            by_slug.setdefault(slug, []).append(key)
        unique = []
        for slug, group in by_slug.items():
            if len(group) == 1:
                slugs[group[0]] = slug
            else:
                unique.extend(group)
        if not unique:
            break
    if unique:  # a full SHA-256 collision between two different titles
        raise AssertionError(f"SHA-256 collision between titles: {unique}")
    return slugs


def build_library(
    dated: Sequence[DigestFile],
    normalize: Callable[[str], str] = normalize_title,
    short_slug: Callable[[str], str] = slugify,
) -> Library:
    """Merge dated files (in date order) into one digest per date, and listings into papers.

    `normalize` and `short_slug` may be remembered versions of the defaults.
    """
    papers = _Identities()
    day_listings: dict[date, dict[int, Entry]] = {}  # paper -> entry, in first-listing order
    day_sources: dict[date, list[str]] = {}
    entry_count = 0
    for file in dated:
        listings = day_listings.setdefault(file.date, {})
        day_sources.setdefault(file.date, []).append(file.path)
        for entry in file.entries:
            forming = papers.of(entry, normalize(entry.title))
            forming.seen.append(Appearance(file.date, entry))
            # A repeat on the same day keeps the first position but its own, later listing.
            listings[forming.number] = entry
            entry_count += 1

    stated = {f.slug_key: f.stated_slug for f in papers.all if f.stated_slug}
    if stated:
        short_slug = _keeping(stated, short_slug)
    slugs = assign_slugs([f.slug_key for f in papers.all], short_slug)
    made = [_make_paper(f, slugs[f.slug_key], normalize) for f in papers.all]
    digests = tuple(
        Digest(
            date=day,
            papers=tuple(made[number] for number in listings),
            entries=tuple(listings.values()),
            sources=tuple(day_sources[day]),
        )
        for day, listings in day_listings.items()
    )
    return Library(
        digests=digests,
        papers=tuple(sorted(made, key=lambda paper: paper.slug)),
        entry_count=entry_count,
    )


@dataclass(slots=True)
class _Forming:
    """A paper while its listings are gathered."""

    number: int
    identity: str
    slug_key: str
    arxiv_id: str = ""
    stated_slug: str = ""
    seen: list[Appearance] = field(default_factory=list)


class _Identities:
    """Which paper each listing belongs to: see the module's docstring."""

    def __init__(self) -> None:
        self.all: list[_Forming] = []
        self.by_id: dict[str, _Forming] = {}
        self.by_title: dict[str, _Forming] = {}

    def of(self, entry: Entry, title_key: str) -> _Forming:
        """The paper this listing belongs to, made if it is the first."""
        arxiv_id = entry.arxiv_id
        paper = self.by_id.get(arxiv_id) if arxiv_id else self.by_title.get(title_key)
        if paper is None and arxiv_id:
            known = self.by_title.get(title_key)
            if known is not None and not known.arxiv_id:  # known so far only by its title
                paper = known
        if paper is None:
            identity = f"arXiv:{arxiv_id}" if arxiv_id else title_key
            key = slug_key(identity, title_key)
            paper = _Forming(len(self.all), identity, key, stated_slug=entry.slug)
            self.all.append(paper)
        if arxiv_id and not paper.arxiv_id:
            paper.arxiv_id = arxiv_id
            self.by_id[arxiv_id] = paper
        self.by_title[title_key] = paper  # a later listing of this title joins this paper
        return paper


def _keeping(stated: dict[str, str], short_slug: Callable[[str], str]) -> Callable[[str], str]:
    """`short_slug`, but the slug a paper's first listing stated for the papers that have one."""
    return lambda key: stated.get(key) or short_slug(key)


def _make_paper(forming: _Forming, slug: str, normalize: Callable[[str], str]) -> Paper:
    """Fold a paper's appearances (in date, file, position order) into one Paper."""
    seen = forming.seen
    latest = seen[-1].entry
    if len(seen) == 1:  # most papers: nothing to fold
        version = AbstractVersion(latest.abstract, (seen[0].date,), latest.source)
        return Paper(
            forming.identity, slug, latest.title, (version,), (seen[0].date,), latest.source,
            latest.arxiv_id, latest.authors, latest.links, latest.published,
        )  # fmt: skip
    return Paper(
        key=forming.identity,
        slug=slug,
        title=latest.title,
        abstracts=_versions(seen),
        dates=tuple(sorted({a.date for a in seen})),
        source=seen[0].entry.source,
        arxiv_id=forming.arxiv_id,
        # Facts a richer listing gave are kept when a later, plainer listing leaves them out.
        authors=next((a.entry.authors for a in reversed(seen) if a.entry.authors), ()),
        links=next((a.entry.links for a in reversed(seen) if a.entry.links), ()),
        published=next((a.entry.published for a in reversed(seen) if a.entry.published), None),
        other_titles=_other_titles(seen, normalize),
    )


def _versions(seen: list[Appearance]) -> tuple[AbstractVersion, ...]:
    """Every distinct abstract, the latest listing's first, the others by recency."""
    versions: dict[str, list[tuple[int, Appearance]]] = {}
    # A listing without an abstract is no version of it, unless no listing has one.
    listed = [(n, a) for n, a in enumerate(seen) if a.entry.abstract] or list(enumerate(seen))
    for position, appearance in listed:
        versions.setdefault(" ".join(appearance.entry.abstract.split()), []).append(
            (position, appearance)
        )
    ordered = sorted(versions.values(), key=lambda group: group[-1][0], reverse=True)
    return tuple(
        AbstractVersion(
            text=group[-1][1].entry.abstract,
            dates=tuple(sorted({appearance.date for _, appearance in group})),
            source=group[-1][1].entry.source,
        )
        for group in ordered
    )


def _other_titles(seen: list[Appearance], normalize: Callable[[str], str]) -> tuple[str, ...]:
    """Earlier titles of a paper whose title was revised (not merely recased), latest first."""
    titles: dict[str, str] = {}
    for appearance in reversed(seen):
        titles.setdefault(normalize(appearance.entry.title), appearance.entry.title)
    return tuple(titles.values())[1:]
