"""LaTeX in abstracts: math as MathML, text commands as the HTML they mean, and a plain-text
rendering for Markdown twins, feeds and search.

Abstracts are prose, not LaTeX documents: `%` is a percent sign and `$15 and $20` is money.
So the spans are found by rules of our own, kept conservative, and converted by libraries:
latex2mathml turns math into MathML, pylatexenc turns math into Unicode text.

- Math is `\\(...\\)`, or `$...$` where the opening `$` is followed by a non-space, the
  closing one follows a non-space and is not followed by a digit, and no `$` is between
  (pandoc's rule for TeX math in Markdown), unless what is between starts with a digit
  and holds a space (`$20, and $x$` is money) or holds a word of three letters besides
  commands and their text arguments (`$textbf{specialist} and …$` is prose).
- Text commands with one braced argument: `\\textbf`, `\\emph`, `\\textit`, `\\textsc`,
  `\\texttt`; escapes `\\% \\& \\# \\_ \\$ \\{ \\}`; Greek letters; `^{...}` and `_{...}`;
  `--` and `---` between spaces or digits; `~` between a letter and a non-space.
- Anything else stays exactly as written, and so does any span a converter cannot handle;
  converted MathML is read back and rebuilt from an allowlist, so nothing from content
  becomes live markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .abstract_links import find_urls
from .latex_math import SUBSCRIPTS, SUPERSCRIPTS, math_text, mathml
from .memo import remembered

TEXT_COMMANDS = {
    "textbf": ("<strong>", "</strong>"),
    "emph": ("<em>", "</em>"),
    "textit": ("<em>", "</em>"),
    "textsc": ('<span class="small-caps">', "</span>"),
    "texttt": ("<code>", "</code>"),
}
ESCAPES = {"%": "%", "&": "&", "#": "#", "_": "_", "$": "$", "{": "{", "}": "}"}
GREEK = {
    name: chr(code)
    for name, code in (
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4),
        ("epsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8),
        ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD),
        ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4),
        ("upsilon", 0x3C5), ("phi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9),
        ("Gamma", 0x393), ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B),
        ("Xi", 0x39E), ("Pi", 0x3A0), ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8),
        ("Omega", 0x3A9),
    )
}  # fmt: skip
MAX_MATH_CHARS = 300
"""A longer "formula" is more likely two dollar amounts than math."""

_MAYBE = ("\\", "$", "~", "^", "_", "--")
"""Where anything of the above may start: text without these is plain as it is."""
_DOLLAR_MATH = re.compile(rf"\$(?=\S)([^$]{{1,{MAX_MATH_CHARS}}}?)(?<=\S)\$(?!\d)")
_PAREN_MATH = re.compile(rf"\\\((.{{1,{MAX_MATH_CHARS}}}?)\\\)")
# The lookahead names every construct's first character, which lets `re` skip to the next
# candidate: five times faster over an abstract than trying each alternative everywhere.
_CONSTRUCT = re.compile(
    r"(?=[\\^_~-])"
    r"(?:\\(?P<escape>[%&#_${}])"
    r"|\\(?P<command>[A-Za-z]+)(?![A-Za-z])"
    r"|(?P<script>[\^_])\{(?P<scripted>[^{}]{1,40})\}"
    r"|(?<=[ \d])(?P<dash>-{2,3})(?=[ \d])"
    r"|(?<=[A-Za-z.])(?P<tilde>~)(?=\S))"
)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of an abstract: text as written, or what a span of LaTeX means."""

    text: str
    """The plain-text rendering: what twins, feeds and search show."""
    html: str
    """The HTML rendering, safe to place in a page; empty for text to be escaped there."""


def needs_reading(text: str) -> bool:
    """Whether `text` may hold anything this module converts."""
    # Six substring tests, each a scan in C, take an eighth of one regular expression's time.
    return any(map(text.__contains__, _MAYBE))


def read(text: str) -> tuple[Piece, ...]:
    """An abstract as pieces: plain runs (html empty) and converted spans."""
    if not needs_reading(text):
        return (Piece(text, ""),)
    pieces: list[Piece] = []
    position = 0
    # URLs are left whole: `_{` or `--` inside one is part of the address.
    for url in find_urls(text):
        pieces += _prose(text[position : url.start])
        pieces.append(Piece(url.text, ""))
        position = url.end
    pieces += _prose(text[position:])
    return tuple(_merged(pieces))


def _prose(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in _math_spans(text):
        pieces += _text_pieces(text[position : match.start()])
        pieces.append(_math(match.group(0), match.group(1)))
        position = match.end()
    return pieces + _text_pieces(text[position:])


def plain_once(text: str) -> str:
    """The plain-text rendering of a text, not remembered: for parts of one (a teaser's
    candidate cuts), each read once."""
    return "".join(piece.text for piece in read(text)) if needs_reading(text) else text


plain = remembered(plain_once)
"""The plain-text rendering of an abstract: `C^{2}DLM` gives `C²DLM` (remembered, by the
parse cache too: even finding that a text needs no reading takes a search)."""


def _math_spans(text: str) -> list[re.Match[str]]:
    spans = sorted(
        [*_DOLLAR_MATH.finditer(text), *_PAREN_MATH.finditer(text)], key=lambda m: m.start()
    )
    chosen: list[re.Match[str]] = []
    for span in spans:
        escaped = span.start() > 0 and text[span.start() - 1] == "\\"
        # `$20, and then $x$`: a dollar amount, not math (pandoc's rule alone would pair them)
        money = (
            span.group(0).startswith("$") and span.group(1)[0].isdigit() and " " in span.group(1)
        )
        if escaped or money or not _looks_like_math(span.group(1)):
            continue
        if not chosen or span.start() >= chosen[-1].end():
            chosen.append(span)
    return chosen


_MATH_WORDS = re.compile(
    r"\\(?:text|mathrm|mathbf|mathit|mathsf|operatorname|textbf)\{[^{}]*\}|\\[A-Za-z]+"
)


def _looks_like_math(latex: str) -> bool:
    """Whether a span reads as math: no word of three letters is left once commands and
    their text arguments are taken out (`$textbf{specialist} and …$` is prose gone wrong)."""
    return re.search(r"[A-Za-z]{3}", _MATH_WORDS.sub(" ", latex)) is None


def _text_pieces(text: str) -> list[Piece]:
    """Text-mode LaTeX: commands, escapes, scripts, dashes and ties; the rest as written."""
    pieces: list[Piece] = []
    position = scan = 0
    while match := _CONSTRUCT.search(text, scan):
        found = _construct(text, match)
        if found is None:  # `\\method`: not ours to read; as written
            scan = match.end()
            continue
        end, piece = found
        pieces += [Piece(text[position : match.start()], ""), piece]
        position = scan = end
    pieces.append(Piece(text[position:], ""))
    return [piece for piece in pieces if piece.text or piece.html]


def _construct(text: str, match: re.Match[str]) -> tuple[int, Piece] | None:
    """What one construct means, and where it ends; None to leave it as written."""
    kind = match.lastgroup
    if kind == "escape":
        char = ESCAPES[match.group("escape")]
        return match.end(), Piece(char, html.escape(char))
    if kind == "command":
        name = match.group("command")
        if name in GREEK:
            return match.end(), Piece(GREEK[name], GREEK[name])
        if name not in TEXT_COMMANDS or not text.startswith("{", match.end()):
            return None
        end = _closing_brace(text, match.end())
        if end is None:
            return None
        within = _text_pieces(text[match.end() + 1 : end])
        opening, closing = TEXT_COMMANDS[name]
        inner_html = "".join(p.html or html.escape(p.text, quote=False) for p in within)
        return end + 1, Piece("".join(p.text for p in within), opening + inner_html + closing)
    if kind == "scripted":
        script, inner = match.group("script"), match.group("scripted")
        table = SUPERSCRIPTS if script == "^" else SUBSCRIPTS
        shown = "".join(table.get(char, "") for char in inner)
        tag = "sup" if script == "^" else "sub"
        text_form = shown if len(shown) == len(inner) else match.group(0)
        return match.end(), Piece(text_form, f"<{tag}>{html.escape(inner)}</{tag}>")
    if kind == "dash":
        dash = "–" if len(match.group("dash")) == 2 else "—"
        return match.end(), Piece(dash, dash)
    return match.end(), Piece("\u00a0", "&nbsp;")  # a tie, `see~Fig`


def _closing_brace(text: str, opening: int) -> int | None:
    depth = 0
    for index in range(opening, min(len(text), opening + 500)):
        char = text[index]
        if char == "\\":
            continue
        if char == "{" and text[index - 1] != "\\":
            depth += 1
        elif char == "}" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index
    return None


def _math(source: str, latex: str) -> Piece:
    """A math span as MathML and as text; as written if either cannot be made safely."""
    markup = mathml(latex)
    text = math_text(latex) if markup is not None else None
    if markup is None or text is None:
        return Piece(source, "")
    return Piece(text, markup)


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Adjacent plain runs joined into one."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and not piece.html and not merged[-1].html:
            merged[-1] = Piece(merged[-1].text + piece.text, "")
        else:
            merged.append(piece)
    return merged
