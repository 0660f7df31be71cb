"""The tuned parts of markdown-it do exactly what markdown-it's own do."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize
from mdit_py_plugins.container import container_plugin

from paperdigest.markdown import CONTAINERS
from paperdigest.markdown_tuning import dispatch_blocks, normalize_line_ends, parse_link_destination

destinations = st.text(
    st.sampled_from(list("<>()\\ \n\t\x00\x1f\x7fa%&;#é")) | st.characters(), max_size=60
)


@given(destinations, st.integers(0, 70), st.integers(0, 70))
@example("<a\\>b>", 0, 6)
@example("a\\ b", 0, 4)
@example("a\\", 0, 2)
@example("a\\)b)", 0, 5)
@example("(" * 33 + ")" * 33, 0, 66)
@example("(" * 32 + ")" * 32, 0, 64)
@example("<a>", 0, 2)
@example("x<a>", 1, 4)
def test_it_parses_like_markdown_it(string: str, pos: int, maximum: int) -> None:
    maximum = min(maximum, len(string))
    theirs = parseLinkDestination(string, pos, maximum)
    ours = parse_link_destination(string, pos, maximum)
    assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str)


def test_a_search_url_with_escapes_is_read_whole() -> None:
    url = "https://arxiv.org/search/?query=OpenAI%27s+o1&amp;x=(1)"
    found = parse_link_destination(f"{url} after", 0, len(url) + 6)
    assert (found.ok, found.pos, found.str) == (True, len(url), url.replace("&amp;", "&"))


@given(st.text(st.sampled_from(list("\r\n\0a ")) | st.characters(), max_size=30))
def test_line_ends_and_nul_are_normalized_like_markdown_it(source: str) -> None:
    theirs, ours = StateCore(source, None, {}), StateCore(source, None, {})  # type: ignore[arg-type]
    normalize(theirs)
    normalize_line_ends(ours)
    assert ours.src == theirs.src


def _block_parsers() -> tuple[MarkdownIt, MarkdownIt]:
    """Stock markdown-it with every CommonMark block rule and our containers, and the same
    parser with its block rules dispatched on the line's first character."""
    stock, ours = MarkdownIt("commonmark").enable("table"), MarkdownIt("commonmark").enable("table")
    for parser in (stock, ours):
        for name in CONTAINERS:
            container_plugin(parser, name)
    dispatch_blocks(ours, {f"container_{name}": ":" for name in CONTAINERS})
    return stock, ours


LINE_STARTS = [
    "",
    " ",
    "  ",
    "    ",
    "\t",
    "> ",
    ">",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "10. ",
    "9. ",
    "0) ",
]
LINE_STARTS += ["```", "~~~", "# ", "###### ", "***", "---", "___", "===", "- - -", "[a]: /u"]
LINE_STARTS += ["::: details x", ":::", "::::", "<div>", "<!-- ", "<pre>", "|", "| a | b |"]
LINE_STARTS += ["|---|---|", "[a]", "_", "`", "~", "#", "<", ":", "\\"]
block_lines = st.lists(
    st.tuples(
        st.lists(st.sampled_from(LINE_STARTS), max_size=3),
        st.text(st.sampled_from(list("ab -*:`>|#<[]")), max_size=8),
    ).map(lambda parts: "".join(parts[0]) + parts[1]),
    max_size=12,
).map("\n".join)


@given(block_lines)
@example("- a\n\n  > b\n  > - c\n\n      code\n- d")
@example("::: details x\n- a\n\n```\n:::\n```\n:::")
@example("> ```\n> a\n\n    b\n<div>\n\n[a]: /u\n[a]")
@example("| a | b |\n|---|---|\n| c | d |\n\nx\n===\n---\n# h")
def test_dispatched_block_rules_parse_like_markdown_it(source: str) -> None:
    stock, ours = _block_parsers()
    theirs = [(t.type, t.tag, t.map, t.content, t.info) for t in stock.parse(source)]
    assert [(t.type, t.tag, t.map, t.content, t.info) for t in ours.parse(source)] == theirs
    assert ours.render(source) == stock.render(source)
