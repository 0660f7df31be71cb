"""Tell titles from abstracts by their shape, and pair them even where an abstract is missing.

A dump alternates title, abstract, title, abstract. A listing with no abstract leaves two
titles in a row, and pairing paragraphs by position alone then shifts every later entry:
titles published as abstracts, abstracts as titles. So each paragraph gets a score from its
shape (positive reads as an abstract, negative as a title) and three answers follow from it:
a title, an abstract, or unsure. Paragraphs are paired in the expected alternation, and a
pair whose shape contradicts it is re-aligned only when both sides are certain; otherwise the
dump is refused at the line where the alternation breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ..errors import ContentError, ContentWarning
from ..model import Entry, Source
from ..sentences import CLOSERS, sentence_ends

TITLE_AT_MOST = -2
"""A paragraph scoring this or lower is certainly a title."""
ABSTRACT_AT_LEAST = 3
"""A paragraph scoring this or higher is certainly an abstract."""
SHORT_CHARS = 13
"""A shorter paragraph is too short to read as anything; it never leans towards a title."""
LONG_CHARS = 350
"""No title is this long: a longer paragraph always leans towards an abstract."""
SUSPICIOUS_TITLE_CHARS = 300
"""A title this long, longer than its abstract, suggests entries are out of step."""
SCAN_CHARS = 400
"""Word-level features look at this much of a paragraph: enough to judge, and cheap."""

# Words that Title Case leaves in lower case, so they say nothing about the case style.
_MINOR_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "but", "by", "for", "from", "in", "into", "is", "nor",
    "of", "on", "onto", "or", "over", "per", "than", "that", "the", "to", "up", "upon", "via",
    "vs", "vs.", "with", "within", "without",
})  # fmt: skip


class Shape(Enum):
    """What a paragraph reads as."""

    TITLE = "title"
    ABSTRACT = "abstract"
    UNSURE = "unsure"


def score(text: str) -> int:
    """How much a one-line paragraph reads as an abstract (> 0) or a title (< 0)."""
    size = len(text)
    scan = text[:SCAN_CHARS]
    tokens = scan.split()
    points = _sentence_points(text)
    ending = text.rstrip(CLOSERS)[-1:]
    if ending == "." or text[text.rfind(" ") + 1 :].startswith(("http://", "https://")):
        points += 2  # abstracts end with a full stop, or with a link to their code
    elif ending not in ("?", "!", "\u2026"):
        points -= 2  # titles end without one; '?' and '!' end either
    if _first_person(scan):
        points += 2  # "we propose", "our method": abstracts speak in the first person
    points += _case_points(tokens)
    colon = scan.find(": ", 0, 80)
    if colon > 0 and scan.count(" ", 0, colon) < 8:
        points -= 1  # "Name: What It Does"
    if size < 60:
        points -= 1
    elif size > LONG_CHARS:
        points = max(points + 3, 1)
    if points < 0 and (size < SHORT_CHARS or not _has_two_words(tokens)):
        points = 0
    return points


def _first_person(scan: str) -> bool:
    """Whether "we", "our" or "us" is a word here, in lower case or opening a sentence."""
    padded = f" {scan} "
    if " we " in padded or " our " in padded or " us " in padded:
        return True
    # "We show", but not "We-Math" or a title that opens "We Need ...".
    return scan.startswith(("We ", "Our ")) and scan[scan.index(" ") + 1 :][:1].islower()


def _has_two_words(tokens: list[str]) -> bool:
    """Whether at least two tokens hold two letters or more: a title is made of words."""
    words = 0
    for token in tokens:
        if (len(token) > 1 and token.isalpha()) or sum(map(str.isalpha, token)) >= 2:
            words += 1
            if words == 2:
                return True
    return False


def _sentence_points(text: str) -> int:
    """Two points for each full stop followed by a capital (up to three), not after "e.g"."""
    found = 0
    for _ in sentence_ends(text):
        found += 1
        if found == 3:
            break
    return 2 * found


def _case_points(tokens: list[str]) -> int:
    """Title Case (most words capitalised) is a title's; abstracts are in sentence case."""
    words = [t for t in tokens[:30] if t[0].isalpha() and t.lower() not in _MINOR_WORDS]
    if len(words) < 2:
        return 0
    capitalised = sum(1 for word in words if word[0].isupper()) / len(words)
    return -2 if capitalised >= 0.8 else -1 if capitalised >= 0.6 else 0


def shape(lines: Sequence[str]) -> Shape:
    """Whether a paragraph is certainly a title, certainly an abstract, or unsure."""
    if len(lines) > 1:
        return Shape.ABSTRACT  # only abstracts are wrapped: a title is one line
    points = score(lines[0])
    if points <= TITLE_AT_MOST:
        return Shape.TITLE
    return Shape.ABSTRACT if points >= ABSTRACT_AT_LEAST else Shape.UNSURE


@dataclass(frozen=True, slots=True)
class Alignment:
    """The entries read from a dump's body, and what was wrong or suspicious on the way."""

    entries: tuple[Entry, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentWarning, ...]


Paragraph = tuple[int, tuple[str, ...]]
"""A paragraph's first line number and its lines."""


def align(path: str, paragraphs: Sequence[Paragraph]) -> Alignment:
    """Pair titles with abstracts by position and shape; say where that fails."""
    entries: list[Entry] = []
    errors: list[ContentError] = []
    warnings: list[ContentWarning] = []
    index, count = 0, len(paragraphs)
    while index < count:
        line, lines = paragraphs[index]
        if not _may_be_title(lines):
            errors.append(_not_a_title(path, paragraphs, index))
            index += 1
            continue
        title = lines[0]
        if index + 1 == count:
            if shape(lines) is Shape.TITLE:
                warnings.append(
                    ContentWarning(
                        path,
                        line,
                        f"the title {_quote(title)} has no abstract and ends the file "
                        "(is the file cut off?); it is published without one",
                    )
                )
                entries.append(Entry(title, "", Source(path, line)))
            else:
                message = f"the title {_quote(title)} has no abstract"
                errors.append(ContentError(path, line, message))
            break
        next_line, next_lines = paragraphs[index + 1]
        if _may_be_abstract(next_lines):
            abstract = " ".join(next_lines)
            if len(title) > SUSPICIOUS_TITLE_CHARS and len(title) > len(abstract):
                warnings.append(
                    ContentWarning(
                        path,
                        line,
                        f"this title is {len(title):,} characters long and longer than its "
                        "abstract; is a title or an abstract missing above it?",
                    )
                )
            entries.append(Entry(title, abstract, Source(path, line)))
            index += 2
            continue
        # Two titles in a row: the first has no abstract, if both are certainly titles.
        if shape(next_lines) is not Shape.TITLE:
            errors.append(
                ContentError(
                    path,
                    next_line,
                    f"expected the abstract of the title on line {line}, but this reads more "
                    "like a title; cannot tell which it is, so the entries may be out of step",
                )
            )
            break
        if shape(lines) is not Shape.TITLE:
            errors.append(
                ContentError(
                    path,
                    next_line,
                    f"expected the abstract of the title on line {line}, but this reads as a "
                    f"title; line {line} does not read clearly as a title, so cannot tell "
                    "whether it lacks an abstract",
                )
            )
            break
        message = f"the title {_quote(title)} has no abstract; it is published without one"
        warnings.append(ContentWarning(path, line, message))
        entries.append(Entry(title, "", Source(path, line)))
        index += 1
    return Alignment(tuple(entries), tuple(errors), tuple(warnings))


def _may_be_title(lines: tuple[str, ...]) -> bool:
    """Whether a paragraph can stand where a title is expected: it is not an abstract."""
    if len(lines) > 1:
        return False
    text = lines[0]
    # Without a full stop or a link only the first person (+2) can add points: most titles.
    if len(text) <= LONG_CHARS and "." not in text and "http" not in text:
        return True
    return score(text) < ABSTRACT_AT_LEAST


def _may_be_abstract(lines: tuple[str, ...]) -> bool:
    """Whether a paragraph can stand where an abstract is expected: it does not lean title."""
    # A long paragraph never leans title (see `score`); most abstracts stop here.
    return len(lines) > 1 or len(lines[0]) > LONG_CHARS or score(lines[0]) >= 0


def _not_a_title(path: str, paragraphs: Sequence[Paragraph], index: int) -> ContentError:
    """The error for a paragraph where a title is expected that cannot be one."""
    line, lines = paragraphs[index]
    if len(lines) > 1 and shape(lines[:1]) is not Shape.ABSTRACT:
        return ContentError(
            path,
            line,
            f"a title runs onto line {line + 1}; "
            "separate each title from its abstract with a blank line",
        )
    hint = ""
    if index > 0:
        before, before_lines = paragraphs[index - 1]
        if shape(before_lines) is Shape.UNSURE:
            hint = f", or is line {before} a title without an abstract"
    return ContentError(
        path,
        line,
        f"expected a title, but this reads as an abstract; is a title missing above it{hint}?",
    )


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
