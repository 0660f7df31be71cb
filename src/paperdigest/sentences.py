"""Where sentences end in an abstract: a full stop followed by a space and a capital, not
after an abbreviation ("e.g.", "et al.", "Fig.") or initials ("J. R. Smith")."""

from __future__ import annotations

import re
from collections.abc import Iterator

ABBREVIATIONS = frozenset({
    "al", "approx", "ca", "cf", "co", "corp", "dr", "eq", "eqs", "etc", "fig", "figs", "inc",
    "jr", "ltd", "mr", "mrs", "ms", "no", "nos", "resp", "sec", "st", "vs",
})  # fmt: skip
"""Words after which a full stop does not end a sentence ("vs. GPT")."""
_BREAK = re.compile(r"[.?!]\s+[\"'(\[]?[A-Z]")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
CLOSERS = "\"')]}*$`\u2019\u201d"
"""What may close a sentence after its full stop, or wrap the word before it."""
_OPENERS = CLOSERS + "([{\u2018\u201c"


def sentence_ends(text: str, marks: str = ".") -> Iterator[int]:
    """The offsets just past each sentence-ending mark in `marks`, in order."""
    for match in _BREAK.finditer(text):
        end = match.start()
        if text[end] not in marks:
            continue
        if text[end] == ".":
            word = text[text.rfind(" ", 0, end) + 1 : end].lstrip(_OPENERS).rstrip(CLOSERS)
            if _INITIALS.fullmatch(word) or word.lower() in ABBREVIATIONS:
                continue
        yield end + 1
