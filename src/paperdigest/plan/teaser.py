"""A digest entry's teaser: the first sentence or two of its abstract, and the rest.

A digest shows each paper's teaser and folds the rest away, so a reader scans a day by
what each paper is about and opens only what interests them. Opened, the two read as the
whole abstract: the rest starts exactly where the teaser stops.
"""

from __future__ import annotations

from .. import latex
from ..sentences import sentence_ends

TEASER_CHARS = 280
"""The longest teaser: two short sentences, or one of a phone screen's few lines."""
SHORT_SENTENCE = 120
"""A first sentence shorter than this is followed by the next, if it fits."""


FEED_TEASER_CHARS = 160
"""A feed item's teasers are shorter: one sentence, so a day of 250 new papers stays small."""


def split_teaser(
    text: str, limit: int = TEASER_CHARS, short: int = SHORT_SENTENCE
) -> tuple[str, str]:
    """`text` as (teaser, rest): the rest is empty if the teaser holds it all.

    The teaser is at most `limit` characters: a sentence, and the next if the first is
    shorter than `short`; failing a sentence, words with `…` added. Never a cut inside
    math or a LaTeX group, which would break both halves.
    """
    if len(text) <= limit:
        return text, ""
    whole = latex.plain(text) if latex.needs_reading(text) else None
    ends = [end for end in sentence_ends(text[: limit + 1], ".?!") if _clean(text, end, whole)]
    if ends:
        cut = ends[0]
        if cut < short and len(ends) > 1:
            cut = ends[1]
        return text[:cut], text[cut:].lstrip()
    space = text.rfind(" ", 0, limit)
    while space > 0 and not _clean(text, space, whole):
        space = text.rfind(" ", 0, space)
    if space <= 0:
        return text, ""
    return text[:space] + "…", text[space:].lstrip()


def _clean(text: str, cut: int, whole: str | None) -> bool:
    """Whether cutting `text` at `cut` leaves its LaTeX whole: each half reads as it did.

    `whole` is the text read as plain text, or None if it holds no LaTeX at all.
    """
    if whole is None:
        return True
    return latex.plain_once(text[:cut]) + latex.plain_once(text[cut:]) == whole
