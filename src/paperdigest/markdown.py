"""Markdown in and out: inert escaping of content, and HTML from a page's Markdown twin."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin

from . import latex
from .abstract_links import find_urls
from .markdown_tuning import dispatch_blocks, tune
from .urls import pretty_from_md_link


class MdText(str):
    """Markdown source that is already safe; Markdown templates print it unchanged."""

    __slots__ = ()


# Characters with a meaning in CommonMark or in GitHub's rendering of it (tables `|`,
# strikethrough `~`, math `$`, mentions `@`), escaped wherever they appear.
_ALWAYS = frozenset("\\`*_[]<>#!|~$&@")
_ALWAYS_TUPLE = tuple(sorted(_ALWAYS))
# Characters that only mean something at the start of a line: list markers, setext
# underlines, thematic breaks, and the `:::` fence of a container (see below). The first
# line and the others are matched apart: `^` in multiline mode is tried at every character,
# where a pattern starting with a line break is found by a fast scan (8.6 us an abstract
# against 1.3 us, and abstracts seldom have a second line).
_MARKER = r"(?:([-+=]|:(?=::))|(\d{1,9})([.)]))"
_FIRST_LINE = re.compile(r"\A([ \t]*)" + _MARKER)
_LATER_LINE = re.compile(r"(\n[ \t]*)" + _MARKER)
# A regular expression, not `str.translate`: translating to two characters looks each
# character up in a dict, 16 times slower over an abstract (6 % of a cold build's CPU).
# Most text has none of them. Over an abstract, 15 substring tests find that five times
# faster than the expression; over a title or a word, the expression is faster.
_SPECIAL = re.compile("[" + re.escape("".join(sorted(_ALWAYS))) + "]")
_LONG = 200
"""Where the substring tests start to beat the expression (both 0.7-0.9 us)."""


def escape_markdown(text: str) -> MdText:
    """Escape text so that Markdown renders exactly it: no markup, links or HTML."""
    if (
        any(map(text.__contains__, _ALWAYS_TUPLE))
        if len(text) > _LONG
        else _SPECIAL.search(text) is not None
    ):
        text = _SPECIAL.sub(r"\\\g<0>", text)
    if _FIRST_LINE.match(text) is not None:
        text = _FIRST_LINE.sub(_escape_marker, text, count=1)
    if "\n" in text:
        text = _LATER_LINE.sub(_escape_marker, text)
    return MdText(text)


def _escape_marker(match: re.Match[str]) -> str:
    indent, sign, digits, delimiter = match.groups()
    if sign:
        return f"{indent}\\{sign}"
    return f"{indent}{digits}\\{delimiter}"


def linkify_markdown(text: str) -> MdText:
    """Escape text like `escape_markdown`, turning URLs (see `abstract_links`) into links."""
    parts: list[str] = []
    position = 0
    for found in find_urls(text):
        parts.append(escape_markdown(text[position : found.start]))
        parts.append(f"[{escape_markdown(found.text)}]({md_destination(found.url)})")
        position = found.end
    parts.append(escape_markdown(text[position:]))
    return MdText("".join(parts))


_SPACE = re.compile(r"\s")  # what str.isspace() is true of


def _percent(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


def md_destination(url: str) -> MdText:
    """An http(s) URL as a Markdown link destination (`<...>`) that means exactly it."""
    # Inside <...> only `<`, `>`, `\\`, `&` and line breaks are special; the URL readers
    # let through may hold the first three, which percent-encoding makes plain.
    encoded = url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C")
    encoded = _SPACE.sub(_percent, encoded)
    return MdText("<" + encoded.replace("&", "\\&") + ">")


EXTERNAL_REL = "external nofollow"
"""Every link out of the site: it leaves the site, and its address came from content."""


def _render_link_open(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if re.match(r"https?://", href, re.IGNORECASE):
        token.attrSet("rel", EXTERNAL_REL)
    elif "page" in env:
        target = pretty_from_md_link(env["page"], href)
        if target is not None:
            token.attrSet("href", env["base_path"] + target)
    return renderer.renderToken(tokens, idx, options, env)


DISABLED_RULES = ["html_block", "html_inline", "reference"]
"""With html off the first two never match; link reference definitions are never generated
(templates write inline links) and cost a parse attempt per list item."""


_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,199}")


def _details(summary: str) -> tuple[str, str]:
    """`::: details What it holds`: a <details> a reader opens without JavaScript."""
    return f"<details>\n<summary>{escapeHtml(summary)}</summary>\n", "</details>\n"


def _entry(anchor: str) -> tuple[str, str]:
    """`:::: entry <slug>`: one paper of a list, as an <article> its slug anchors; any id but
    a slug (lowercase letters, digits and hyphens) is left out rather than written."""
    return (
        f'<article id="{anchor}">\n' if _ID.fullmatch(anchor) else "<article>\n"
    ), "</article>\n"


def _nav(label: str) -> tuple[str, str]:
    """`::: nav <label>`: links to move between pages, as a labelled <nav>."""
    return f'<nav aria-label="{escapeHtml(label)}">\n', "</nav>\n"


def _section(anchor: str) -> tuple[str, str]:
    """`::::: section <id>`: a part of a page that links can point at, such as a day."""
    return (
        f'<section id="{anchor}">\n' if _ID.fullmatch(anchor) else "<section>\n"
    ), "</section>\n"


CONTAINERS = {"details": _details, "entry": _entry, "nav": _nav, "section": _section}
"""The `::: name argument` ... `:::` containers, by name: the tags each opens and closes.
Only templates write these fences (content's `:::` is escaped)."""


def _render_container(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    token = tokens[idx]
    # The plugin names its tokens `container_<name>_open` and `container_<name>_close`.
    name = token.type.removeprefix("container_").rsplit("_", 1)[0]
    argument = token.info.strip().removeprefix(name).strip()
    opening, closing = CONTAINERS[name](argument)
    return opening if token.nesting == 1 else closing


def _make_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(DISABLED_RULES)
    parser.enable("table")  # the archive's calendars; content's `|` is always escaped
    tune(parser)
    parser.add_render_rule("link_open", _render_link_open)
    for name in CONTAINERS:
        container_plugin(parser, name, render=_render_container)
    parser.inline.ruler.before("autolink", "fragment", _fragment)
    parser.add_render_rule("fragment", _render_fragment)
    dispatch_blocks(parser, {f"container_{name}": ":" for name in CONTAINERS})
    return parser


_FRAGMENT = re.compile(r"<m:(\d{1,6})>")
"""Where a template placed HTML it made (MathML, say): content's `<` is always escaped."""


def _fragment(state: StateInline, silent: bool) -> bool:
    """`<m:N>`: the Nth HTML fragment given to `markdown_to_html`, placed as it is."""
    match = _FRAGMENT.match(state.src, state.pos)
    if match is None or int(match.group(1)) >= len(state.env.get("fragments", ())):
        return False
    if not silent:
        token = state.push("fragment", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


def _render_fragment(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    fragment: str = env["fragments"][int(tokens[idx].content)]
    return fragment


def rich_markdown(text: str, fragments: list[str]) -> MdText:
    """Markdown for an abstract's HTML: its LaTeX converted (see `latex`) into fragments
    placed by `<m:N>`, and the rest escaped and linkified like `linkify_markdown`."""
    if not latex.needs_reading(text):
        return linkify_markdown(text)
    parts = []
    for piece in latex.read(text):
        if piece.html:
            parts.append(f"<m:{len(fragments)}>")
            fragments.append(piece.html)
        else:
            parts.append(linkify_markdown(piece.text))
    return MdText("".join(parts))


def plain_markdown(text: str) -> MdText:
    """Markdown for an abstract's twin: its LaTeX as plain text, escaped and linkified."""
    return linkify_markdown(latex.plain(text))


_PARSER = _make_parser()


def markdown_to_html(
    source: str, page: str | None = None, base_path: str = "/", fragments: Sequence[str] = ()
) -> str:
    """Render Markdown to HTML; links between twins become the pretty URLs of `page`'s site.

    `fragments` are HTML the page's own code made, placed where the Markdown says `<m:N>`.
    """
    env: dict[str, Any] = {} if page is None else {"page": page, "base_path": base_path}
    env["fragments"] = fragments
    html: str = _PARSER.render(source, env)  # markdown-it-py types it as Any
    return html
