"""What changed between two versions of an abstract, word by word, as inert HTML."""

from __future__ import annotations

import html
from difflib import SequenceMatcher

from .. import latex

REWRITTEN_BELOW = 0.4
"""Versions sharing less than this share of their words were rewritten, not revised: every
word would be marked, so the older one is shown as it is."""


def word_diff(old: str, new: str) -> str | None:
    """`old` as HTML with the words `new` dropped in `<del>` and those it added in `<ins>`;
    None if the two have too little in common for marks to help. LaTeX is read as text."""
    before, after = latex.plain(old).split(), latex.plain(new).split()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    if matcher.ratio() < REWRITTEN_BELOW:
        return None
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            parts.append(f"<del>{html.escape(' '.join(before[i1:i2]))}</del>")
        if tag in ("replace", "insert"):
            parts.append(f"<ins>{html.escape(' '.join(after[j1:j2]))}</ins>")
        if tag == "equal":
            parts.append(html.escape(" ".join(before[i1:i2])))
    return " ".join(parts)
