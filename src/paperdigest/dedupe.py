"""Turn parsed files into dated digests and deduplicated papers.

A paper is identified by its normalized title alone, so identity, slugs and URLs do not
depend on the order files are read in, or on what other content exists.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from .model import AbstractVersion, Appearance, Digest, DigestFile, Library, Paper

SLUG_WORDS_CHARS = 60
"""The readable part of a slug is cut at a word boundary within this many characters."""
SLUG_HASH_CHARS = 8
"""Hex digits of the title hash that make every slug unique without a registry."""

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u00b4`"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036"
_UNIFY = str.maketrans(
    {**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SINGLE_QUOTES, "'"),
     **dict.fromkeys(_DOUBLE_QUOTES, '"')}
)  # fmt: skip
_DASH_RUN = re.compile(r"-{2,}")
_LATEX_QUOTES = re.compile(r"''")


def normalize_title(title: str) -> str:
    """The identity of a title: NFKC, case-folded, one space, one kind of dash and quote."""
    text = unicodedata.normalize("NFKC", title).translate(_UNIFY)
    # `--` and `---` are how LaTeX writes en and em dashes; `''` is its closing double quote.
    text = _LATEX_QUOTES.sub('"', _DASH_RUN.sub("-", text))
    return " ".join(text.casefold().split())


def slugify(key: str, hash_chars: int = SLUG_HASH_CHARS) -> str:
    """A bounded lowercase ASCII slug for a normalized title: readable words plus a hash."""
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
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
    """Merge dated files into one digest per date and fold repeated titles into papers.

    `normalize` and `short_slug` may be remembered versions of the defaults.
    """
    appearances: dict[str, list[Appearance]] = {}
    day_keys: dict[date, dict[str, str]] = {}  # key -> abstract, in first-listing order
    day_sources: dict[date, list[str]] = {}
    entry_count = 0
    for file in dated:
        day = file.date
        keys = day_keys.setdefault(day, {})
        day_sources.setdefault(day, []).append(file.path)
        for entry in file.entries:
            key = normalize(entry.title)
            appearances.setdefault(key, []).append(Appearance(day, entry))
            # A repeat on the same day keeps the first position but its own, later abstract.
            keys[key] = entry.abstract
            entry_count += 1

    slugs = assign_slugs(appearances, short_slug)
    papers = {key: _make_paper(key, slugs[key], seen) for key, seen in appearances.items()}
    digests = tuple(
        Digest(
            date=day,
            papers=tuple(papers[key] for key in keys),
            abstracts=tuple(keys.values()),
            sources=tuple(day_sources[day]),
        )
        for day, keys in day_keys.items()
    )
    return Library(
        digests=digests,
        papers=tuple(sorted(papers.values(), key=lambda paper: paper.slug)),
        entry_count=entry_count,
    )


def _make_paper(key: str, slug: str, seen: list[Appearance]) -> Paper:
    """Fold a paper's appearances (in date, file, position order) into one Paper."""
    latest = seen[-1].entry
    if len(seen) == 1:  # most papers: nothing to fold
        version = AbstractVersion(latest.abstract, (seen[0].date,), latest.source)
        return Paper(
            key, slug, latest.title, (version,), (seen[0].date,), latest.source,
            latest.arxiv_id, latest.authors, latest.links,
        )  # fmt: skip
    versions: dict[str, list[tuple[int, Appearance]]] = {}
    # A listing without an abstract is no version of it, unless no listing has one.
    listed = [(n, a) for n, a in enumerate(seen) if a.entry.abstract] or list(enumerate(seen))
    for position, appearance in listed:
        versions.setdefault(" ".join(appearance.entry.abstract.split()), []).append(
            (position, appearance)
        )
    # Newest last appearance first: the current abstract leads, the others follow by recency.
    ordered = sorted(versions.values(), key=lambda group: group[-1][0], reverse=True)
    abstracts = tuple(
        AbstractVersion(
            text=group[-1][1].entry.abstract,
            dates=tuple(sorted({appearance.date for _, appearance in group})),
            source=group[-1][1].entry.source,
        )
        for group in ordered
    )
    return Paper(
        key=key,
        slug=slug,
        title=latest.title,
        abstracts=abstracts,
        dates=tuple(sorted({a.date for a in seen})),
        source=seen[0].entry.source,
        # Facts a richer listing gave are kept when a later, plainer listing leaves them out.
        arxiv_id=next((a.entry.arxiv_id for a in reversed(seen) if a.entry.arxiv_id), ""),
        authors=next((a.entry.authors for a in reversed(seen) if a.entry.authors), ()),
        links=next((a.entry.links for a in reversed(seen) if a.entry.links), ()),
    )
