"""markdown-it's link destination parser, by regular expression rather than per character.

markdown-it-py reads a link's destination one character at a time in Python. A paper page
has about ten links, three of them searches whose URL carries the paper's title, and that
loop was a tenth of the time markdown-it spends on the page. This reads the same grammar
(CommonMark's link destination, as markdown-it 4 parses it) in runs; a property test holds
it to markdown-it's own function.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import unescapeAll

_ANGLED = re.compile(r"<((?:[^\n<>\\]|\\[\s\S])*)>")
"""`<...>`: no line break or `<` inside, `\\` escapes the next character, `>` ends it."""
_RUN = re.compile(r"[^\x00-\x20\x7f\\()]+")
"""A run of a bare destination with nothing to decide: no space, control character,
backslash or parenthesis."""
_MAX_NESTING = 32
"""markdown-it's limit on nested parentheses in a bare destination."""


class Destination:
    """What markdown-it's link rule reads of a parsed destination."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, text: str = "") -> None:
        self.ok = ok
        """Whether a destination was found."""
        self.pos = pos
        """Where the text after it starts."""
        self.str = text
        """The destination, its backslash escapes and entities resolved."""


def parse_link_destination(string: str, pos: int, maximum: int) -> Destination:
    """The link destination at `pos` in `string[:maximum]`, as markdown-it parses it."""
    if pos >= maximum:
        return Destination()
    if string[pos] == "<":
        angled = _ANGLED.match(string, pos, maximum)
        if angled is None:
            return Destination()
        return Destination(True, angled.end(), unescapeAll(angled.group(1)))
    start = pos
    level = 0
    while pos < maximum:
        run = _RUN.match(string, pos, maximum)
        if run is not None:
            pos = run.end()
            continue
        char = string[pos]
        if char == "\\" and pos + 1 < maximum:
            if string[pos + 1] == " ":
                break
            pos += 2
            continue
        if char == "(":
            level += 1
            if level > _MAX_NESTING:
                return Destination()
        elif char == ")":
            if level == 0:
                break
            level -= 1
        elif char != "\\":  # a space or control character ends it; a last `\` is text
            break
        pos += 1
    if pos == start or level != 0:
        return Destination()
    return Destination(True, pos, unescapeAll(string[start:pos]))
