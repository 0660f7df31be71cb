"""Topics: the `topics:` list of site.yml, and which papers each matches.

A topic matches a paper when its title or abstract holds one of the topic's `include`
phrases, none of its `exclude` phrases, and, if the topic gives `title` phrases, its title
holds one of them. Phrases match whole words in order, after the normalization titles get
(NFKC, case folding, one kind of dash) with LaTeX read as text; a hyphen separates words,
so `SLAM` matches "SLAM-based" but not "SLAMMER". With `plurals: true`, a phrase's last
word also matches the word with `s` or `es` added (`agent` matches "agents").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from . import latex
from .dedupe import normalize_title
from .errors import ContentError

TOPIC_KEYS = ("name", "slug", "description", "include", "exclude", "title", "plurals")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_CHARS = 60
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[a-zA-Z/!?]")


def looks_like_html(text: str) -> bool:
    """Whether text holds something a reader of HTML would take for a tag."""
    return _TAG.search(text) is not None


def html_problem(key: str, text: str) -> str:
    """The problem with a setting shown in feeds that looks like HTML."""
    # Pages would show it literally, but feed readers may run a feed title's markup.
    return f"`{key}` {text!r} looks like HTML, which feed readers may run"


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic of site.yml."""

    name: str
    """Its name, as pages show it."""
    slug: str
    """Its pages' slug: `topics/<slug>/`."""
    description: str
    """One sentence about it, or empty."""
    include: tuple[str, ...]
    """A paper matches if its title or abstract has any of these phrases..."""
    exclude: tuple[str, ...] = ()
    """...and none of these..."""
    title: tuple[str, ...] = ()
    """...and, if any are given, its title has one of these."""
    plurals: bool = False
    """Whether a phrase's last word also matches its plural in `s` or `es`."""
    line: int = 0
    """The line of site.yml the topic starts on."""

    def matches(self, title: str, abstract: str) -> bool:
        """Whether a paper of this title and abstract is on this topic."""
        return self.matches_words(Words.of(title), Words.of(abstract))

    def matches_words(self, title: Words, abstract: Words) -> bool:
        """Whether a paper whose title and abstract have these words is on this topic."""
        texts = (title, abstract)
        if any(self._in(text, phrase) for phrase in self.exclude for text in texts):
            return False
        if self.title and not any(self._in(title, phrase) for phrase in self.title):
            return False
        return any(self._in(text, phrase) for phrase in self.include for text in texts)

    def borderline(self, title: str, abstract: str) -> bool:
        """Whether a match rests on one mention: no include phrase in the title, one in the
        abstract. These are the matches worth a maintainer's look."""
        title_words, abstract_words = Words.of(title), Words.of(abstract)
        if any(self._count(title_words, phrase) for phrase in self.include):
            return False
        return sum(self._count(abstract_words, phrase) for phrase in self.include) == 1

    def _in(self, text: Words, phrase: str) -> bool:
        return _pattern(phrase, self.plurals).search(text.text) is not None

    def _count(self, text: Words, phrase: str) -> int:
        pattern, count, found = _pattern(phrase, self.plurals), 0, None
        while found := pattern.search(text.text, found.start() + 1 if found else 0):
            count += 1  # a search from just after each start counts overlapping ones too
        return count


@dataclass(frozen=True, slots=True)
class Words:
    """A text as topics compare it, normalized once for every topic."""

    text: str
    """The text normalized like titles, LaTeX read: its words are its `\\w+` runs."""

    @classmethod
    def of(cls, text: str) -> Words:
        """The words of a text."""
        if text.isascii() and not latex.needs_reading(text):
            # In ASCII text without LaTeX, normalizing changes only case and non-word
            # characters, and which non-word characters part two words does not matter.
            return cls(text.lower())
        return cls(normalize_title(latex.plain(text)))


def words(text: str) -> list[str]:
    """A text's words as topics compare them: normalized like titles, LaTeX read."""
    return _WORD.findall(normalize_title(latex.plain(text)))


@functools.cache
def _pattern(phrase: str, plurals: bool) -> re.Pattern[str]:
    """Finds a phrase: its words in order with only non-word characters between them
    (words are the runs of `\\w`), and no word character before or after."""
    # A rule's phrases are compiled once, not again for every paper they are tried on.
    wanted = [re.escape(word) for word in words(phrase)]
    if not wanted:  # matches nothing: parse_topics refuses such phrases
        return re.compile(r"(?!)")
    head, rest = wanted[0], "".join(rf"\W+{word}" for word in wanted[1:])
    # The first word comes first so that the search looks for it as a literal prefix, and
    # the lookbehind after it checks what came before: five times faster than `(?<!\w)`.
    return re.compile(rf"{head}(?<!\w{head}){rest}{'(?:e?s)?' if plurals else ''}(?!\w)")


def parse_topics(path: str, node: yaml.Node) -> tuple[tuple[Topic, ...], list[ContentError]]:
    """The topics of a `topics:` value, and every problem with them."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.SequenceNode):
        return (), [ContentError(path, line, "`topics` must be a list of topics")]
    topics: list[Topic] = []
    errors: list[ContentError] = []
    for number, item in enumerate(node.value, start=1):
        topic, problems = _topic(path, number, item)
        errors += problems
        if topic is not None:
            topics.append(topic)
    slugs: dict[str, Topic] = {}
    for topic in topics:
        if topic.slug in slugs:
            first = slugs[topic.slug].line
            message = f"topic slug `{topic.slug}` is taken by the topic on line {first}"
            errors.append(ContentError(path, topic.line, message))
        slugs.setdefault(topic.slug, topic)
    return tuple(topics), errors


def _topic(path: str, number: int, node: yaml.Node) -> tuple[Topic | None, list[ContentError]]:
    line = node.start_mark.line + 1
    where = f"topic {number}"
    if not isinstance(node, yaml.MappingNode):
        return None, [ContentError(path, line, f"{where} must be a mapping such as `name: …`")]
    fields: dict[str, Any] = {}
    errors = []
    for key_node, value_node in node.value:
        key, at = str(key_node.value), key_node.start_mark.line + 1
        if key not in TOPIC_KEYS:
            known = ", ".join(TOPIC_KEYS)
            errors.append(ContentError(path, at, f"{where}: unknown key `{key}`; known: {known}"))
            continue
        value, problem = _value(key, value_node)
        if problem:
            errors.append(ContentError(path, value_node.start_mark.line + 1, f"{where}: {problem}"))
        else:
            fields[key] = value
    for required in ("name", "include"):
        if required not in fields and not any(f"`{required}`" in e.message for e in errors):
            errors.append(ContentError(path, line, f"{where}: `{required}` is required"))
    if errors:
        return None, errors
    slug = fields.get("slug") or _slug(fields["name"])
    if not slug:
        return None, [ContentError(path, line, f"{where}: give a `slug`; its name has no letters")]
    return Topic(
        name=fields["name"],
        slug=slug,
        description=fields.get("description", ""),
        include=fields["include"],
        exclude=fields.get("exclude", ()),
        title=fields.get("title", ()),
        plurals=fields.get("plurals", False),
        line=line,
    ), []


def _value(key: str, node: yaml.Node) -> tuple[Any, str | None]:
    """A topic key's value, or why it is not one."""
    if key == "plurals":
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool"):
            return node.value.lower() in ("true", "yes", "on"), None
        return None, "`plurals` must be true or false"
    if key in ("include", "exclude", "title"):
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        phrases = [item.value for item in items if isinstance(item, yaml.ScalarNode)]
        if len(phrases) != len(items) or not phrases:
            return None, f"`{key}` must be a phrase or a list of phrases"
        blank = [p for p in phrases if not words(p)]
        if blank:
            return None, f"`{key}`: {blank[0]!r} has no words to match"
        return tuple(" ".join(p.split()) for p in phrases), None
    if not isinstance(node, yaml.ScalarNode) or not node.tag.endswith(":str"):
        return None, f"`{key}` must be text"
    text = " ".join(str(node.value).split())
    if key == "name" and not text:
        return None, "`name` must not be empty"
    if key in ("name", "description") and looks_like_html(text):
        return None, html_problem(key, text)
    if key == "slug" and (not SLUG.fullmatch(text) or len(text) > MAX_SLUG_CHARS):
        return None, (
            f"`slug` {text!r} must be lowercase letters and digits joined by single hyphens, "
            f"at most {MAX_SLUG_CHARS} characters"
        )
    if not text.isprintable():
        return None, f"`{key}` holds a control character"
    return text, None


def _slug(name: str) -> str:
    """A slug from a topic's name: its ASCII letters and digits, joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))[:MAX_SLUG_CHARS].strip("-")


def topics_of(topics: Iterable[Topic], title: str, abstract: str) -> tuple[str, ...]:
    """The slugs of the topics a paper is on, in the order site.yml lists them."""
    title_words, abstract_words = Words.of(title), Words.of(abstract)
    return tuple(t.slug for t in topics if t.matches_words(title_words, abstract_words))


@dataclass(frozen=True, slots=True)
class TopicReport:
    """How a topic's rules fare on a library, for the maintainer who writes them."""

    topic: Topic
    """The topic."""
    matched: int
    """How many papers it matches."""
    borderline: tuple[str, ...]
    """Titles of some matches that rest on one mention in the abstract."""


def topic_reports(
    topics: Iterable[Topic], papers: Iterable[tuple[str, str]], samples: int = 5
) -> list[TopicReport]:
    """Each topic's matches among papers given as (title, abstract), with borderline ones."""
    papers = list(papers)
    reports = []
    for topic in topics:
        matched = [(t, a) for t, a in papers if topic.matches(t, a)]
        borderline = [t for t, a in matched if topic.borderline(t, a)]
        reports.append(TopicReport(topic, len(matched), tuple(borderline[:samples])))
    return reports
