"""markdown-it made faster where our pages spend its time, its output unchanged.

Each change replaces a part of markdown-it-py that works one character at a time in Python,
or that handles what our Markdown never holds, by one that does the same work in C; a test
holds each to markdown-it's own (`tests/test_markdown_tuning.py`), and one renders random
Markdown with the tuned parser and with stock markdown-it (`tests/test_markdown.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import SimpleNamespace

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore

INLINE_TERMINATORS = re.compile(r"[\n!&*<\[\\\]_`]")
"""Where the enabled inline rules (newline, escape, code, emphasis, link, image, autolink,
entity) can start; `]` ends link labels."""
_PLAIN_URL = re.compile(r"[A-Za-z0-9/._~:#?=&+%-]*\Z")
"""What normalizing leaves as it is, if every `%` starts an escape (as in searches by title)."""
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def tune(parser: MarkdownIt) -> None:
    """Make `parser` faster without changing what it renders."""
    normalize = parser.normalizeLink

    def normalize_link(url: str) -> str:
        # Most links are plain relative paths, which normalizing would leave unchanged.
        if _PLAIN_URL.match(url) and ("%" not in url or not _BROKEN_ESCAPE.search(url)):
            return url
        return normalize(url)

    parser.normalizeLink = normalize_link  # type: ignore[method-assign]
    parser.core.ruler.at("normalize", normalize_line_ends)
    # A paper page has about ten links, three of them searches whose URL carries the title;
    # markdown-it's reading of their destinations, a character at a time, was a tenth of
    # the time it spent on the page.
    parser.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkLabel=helpers.parseLinkLabel,
        parseLinkDestination=parse_link_destination,
        parseLinkTitle=helpers.parseLinkTitle,
    )
    # Plain text runs until a character some enabled inline rule starts on; the default set
    # also stops at characters kept for extensions (`-`, `:`, `%`, ...), which in prose
    # costs a pass over every rule for nothing.
    parser.inline.terminator_re = INLINE_TERMINATORS


def normalize_line_ends(state: StateCore) -> None:
    """markdown-it's first rule by `str.replace`: its expression replaced every line break
    by itself, 40 times a page."""
    text = state.src
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    state.src = text


_ANGLED = re.compile(r"<([^\n<>\\]*(?:\\[\s\S][^\n<>\\]*)*)>")
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


RULE_STARTS = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*+-0123456789",
    "heading": "#",
    "html_block": "<",
    "reference": "[",
}
"""The characters a line must start with (after its indentation) for markdown-it's block
rule of that name to match it; each rule's first test returns False on any other."""


def dispatch_blocks(parser: MarkdownIt, starts: Mapping[str, str] = {}) -> None:
    """Try on each line only the block rules that can match its first character.

    markdown-it tries every enabled rule on every line in turn, about a dozen calls to find
    a paragraph. The rules are those enabled now, so this comes last; rules of `starts`
    (plugins', by name) and of `RULE_STARTS` are tried only on their characters, every
    other rule on every line, all in markdown-it's order.
    """
    known = {**RULE_STARTS, **starts}
    rules = [(rule.name, rule.fn) for rule in parser.block.ruler.__rules__ if rule.enabled]
    anywhere = tuple(fn for name, fn in rules if name not in known)
    chars = {char for name, _ in rules for char in known.get(name, "")}
    by_char = {
        char: tuple(fn for name, fn in rules if name not in known or char in known[name])
        for char in chars
    }

    def tokenize(state: StateBlock, start_line: int, end_line: int) -> None:
        # markdown-it's ParserBlock.tokenize, with the rules chosen by the line's start.
        line = start_line
        max_nesting = state.md.options.maxNesting
        has_empty_lines = False
        while line < end_line:
            state.line = line = state.skipEmptyLines(line)
            if line >= end_line or state.sCount[line] < state.blkIndent:
                break  # the end, or the end of a nested list or blockquote
            if state.level >= max_nesting:
                state.line = end_line
                break
            first = state.src[state.bMarks[line] + state.tShift[line]]
            for rule in by_char.get(first, anywhere):
                if rule(state, line, end_line, False):
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            else:
                raise RuntimeError("none of the block rules matched")
            # An empty line before this block, not after it, makes the list loose.
            state.tight = not has_empty_lines
            line = state.line
            if (line - 1) < end_line and state.isEmpty(line - 1):
                has_empty_lines = True
            if line < end_line and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line

    parser.block.tokenize = tokenize  # type: ignore[method-assign, assignment]
