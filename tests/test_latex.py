"""LaTeX in abstracts: every form read, the rest left as written, nothing made live."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import parse_html
from paperdigest import latex
from paperdigest.latex import plain, read
from paperdigest.latex_math import MATH_ATTRIBUTES, MATH_ELEMENTS
from paperdigest.markdown import markdown_to_html, rich_markdown


def html_of(text: str) -> str:
    fragments: list[str] = []
    return markdown_to_html(rich_markdown(text, fragments), fragments=fragments)


@pytest.mark.parametrize(
    ("text", "shown", "markup"),
    [
        (
            r"\textsc{FuseChat-7B} wins",
            "FuseChat-7B wins",
            '<span class="small-caps">FuseChat-7B</span>',
        ),
        (r"up by 12\% and R\&D", "up by 12% and R&D", "12% and R&amp;D"),
        (r"\textbf{C}ausal", "Causal", "<strong>C</strong>ausal"),
        (r"\emph{fast} and \textit{slow}", "fast and slow", "<em>fast</em> and <em>slow</em>"),
        (r"\texttt{pip install x}", "pip install x", "<code>pip install x</code>"),
        (r"C^{2}DLM and H_{2}O", "C²DLM and H₂O", "C<sup>2</sup>DLM and H<sub>2</sub>O"),
        (r"10^{-3} and x^{ab}", "10⁻³ and x^{ab}", "10<sup>-3</sup> and x<sup>ab</sup>"),
        (
            r"PLeaS -- Merging --- again, pages 1--10",
            "PLeaS – Merging — again, pages 1–10",
            "PLeaS – Merging — again, pages 1–10",
        ),
        (
            r"see~Fig. 2 and ~10 runs",
            "see\u00a0Fig. 2 and ~10 runs",
            "see&nbsp;Fig. 2 and ~10 runs",
        ),
        (r"\alpha-divergence and \Omega", "α-divergence and Ω", "α-divergence and Ω"),
        (r"costs $O(n^2)$ time", "costs O(n²) time", "<math"),
        (r"with \(\mathcal{O}(n)\) memory", "with 𝒪(n) memory", "<math"),
        (r"a $k$-NN search", "a k-NN search", "<math"),
        # pandoc's rule alone would pair the first two dollars: money is not math
        (r"we saw $20, and then $x$ grew", "we saw $20, and then x grew", "$20, and then <math"),
    ],
)
def test_each_form_reads_as_text_and_as_html(text: str, shown: str, markup: str) -> None:
    assert plain(text) == shown
    assert markup in html_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "it costs $15 and $20 a month",  # money, not math
        "100% of runs, 50 % of them",  # a percent sign, never a comment
        r"\method{} beats \cite{x} and \unknown{y}",  # commands not ours to read
        r"\textbf{never closed",  # broken: left as written
        r"$\sqrt{$ and $\frac{a}$",  # the converter cannot: left as written
        r"$textbf{specialist} and textbf{generalist}$",  # prose gone wrong, in a real seed
        r"an escaped \$5 and a lone $ sign",
    ],
)
def test_what_is_not_ours_or_cannot_be_read_stays_as_written(text: str) -> None:
    expected = text.replace(r"\$", "$")
    assert plain(text) == expected
    assert "<math" not in html_of(text)
    shown = "".join(parse_html(html_of(text)).itertext())
    assert " ".join(shown.split()) == " ".join(expected.split())


def test_a_url_keeps_its_underscores_and_ends_before_a_brace() -> None:
    text = r"code at https://github.com/x/C-2-DLM{here} and https://x.org/a_{b}--c."
    assert plain(text) == text
    html = html_of(text)
    assert 'href="https://github.com/x/C-2-DLM"' in html and "<sub>" not in html


def test_latex_after_a_url_is_read_and_the_url_stays_whole() -> None:
    # One rule (abstract_links.find_urls) says where the URL ends: at the brace.
    text = (
        r"code: https://github.com/x/C-2-DLM{here} and https://github.com/x/C-2-DLM{\textbf{here}}"
    )
    assert (
        plain(text)
        == "code: https://github.com/x/C-2-DLM{here} and https://github.com/x/C-2-DLM{here}"
    )
    html = html_of(text)
    assert html.count('href="https://github.com/x/C-2-DLM"') == 2
    assert "{<strong>here</strong>}" in html


def test_a_latex_escape_inside_a_url_is_its_character() -> None:
    text = r"see \url{https://github.com/x/a\_b}, with $x$"
    assert "https://github.com/x/a_b}" in plain(text)
    assert 'href="https://github.com/x/a_b"' in html_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "$<script>alert(1)</script>$",
        r"$\href{javascript:alert(1)}{click}$",
        r"$x \onclick{y}$ and \textbf{<img src=x onerror=alert(1)>}",
        r"\(<svg onload=alert(1)>\)",
        r"$\style{color:red}{x}$ and $\class{evil}{x}$",
        "$a &lt; b$ and $a & b$",
    ],
)
def test_hostile_input_inside_math_and_commands_stays_inert(text: str) -> None:
    html = html_of(text)
    tree = parse_html(html)
    for element in tree.iter():
        name = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
        assert name in {"html", "head", "body", "p", "strong", "em", "span", "code", "sup",
                        "sub"} | MATH_ELEMENTS, name  # fmt: skip
        attributes = set(element.attrib) - {"class"}
        assert attributes <= MATH_ATTRIBUTES, element.attrib
        assert element.get("class") in (None, "small-caps")
    assert "javascript:" not in html.replace("javascript:alert(1)", "") or "href" not in html


def test_converted_math_is_well_formed_mathml() -> None:
    for piece in read(r"$\frac{a}{b} + \sqrt{x_i^2} \leq \sum_{k=1}^{n} \alpha_k$"):
        if piece.html:
            root = ElementTree.fromstring(piece.html)
            assert root.tag == "math" and root.get("display") == "inline"


@given(st.text(alphabet=st.sampled_from(list("ab $\\{}^_~-%&#()xn2<>")), max_size=60))
def test_any_text_reads_without_raising_and_loses_nothing_visible(text: str) -> None:
    html_of(text)  # never raises
    pieces = read(text)
    for piece in pieces:
        if piece.html.startswith("<math"):
            ElementTree.fromstring(piece.html)  # well-formed, whatever the input
    if "\\" not in text and "$" not in text and "^{" not in text and "_{" not in text:
        # Without commands or math, only dashes and ties change: every letter stays.
        assert [c for c in plain(text) if c.isalnum()] == [c for c in text if c.isalnum()]


@given(st.text(st.sampled_from(list("\\^_~-{}%&#$ ab1.Z\n")), max_size=40))
def test_the_constructs_lookahead_names_every_constructs_first_character(text: str) -> None:
    # The lookahead only speeds the search up: without it, the same constructs are found.
    prefix = "(?=[\\\\^_~-])"
    assert latex._CONSTRUCT.pattern.startswith(prefix)
    plain = re.compile(latex._CONSTRUCT.pattern.removeprefix(prefix))
    found = [(m.span(), m.lastgroup) for m in latex._CONSTRUCT.finditer(text)]
    assert found == [(m.span(), m.lastgroup) for m in plain.finditer(text)]
