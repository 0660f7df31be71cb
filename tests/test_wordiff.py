"""What changed between versions of an abstract, marked word by word."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from paperdigest.plan.wordiff import word_diff


def test_dropped_and_added_words_are_marked_in_order() -> None:
    marked = word_diff(
        "We train a small model on text.", "We train a large model on text and code."
    )
    assert marked == (
        "We train a <del>small</del> <ins>large</ins> model on <del>text.</del> "
        "<ins>text and code.</ins>"
    )


def test_a_rewritten_abstract_is_not_marked_word_by_word() -> None:
    assert word_diff("One two three four five.", "Entirely different words here now.") is None


def test_content_stays_text_and_latex_is_read() -> None:
    marked = word_diff(r"We use <script>x</script> and \textbf{bold}.", "We use <b>y</b> and bold.")
    assert marked is not None
    assert "<script>" not in marked and "<b>" not in marked and "\\textbf" not in marked
    assert "&lt;script&gt;x&lt;/script&gt;" in marked


_words = st.lists(st.sampled_from(["a", "b", "c", "<x>", "&", "d."]), max_size=30)


@given(_words, _words)
def test_the_marks_hold_both_versions(old: list[str], new: list[str]) -> None:
    marked = word_diff(" ".join(old), " ".join(new))
    if marked is None:
        return

    def without(tag: str) -> str:
        """The text with one kind of mark left out, and the other's words kept."""
        kept = re.sub(rf"<{tag}>.*?</{tag}>", "", marked)
        return " ".join(html.unescape(re.sub(r"</?(?:del|ins)>", "", kept)).split())

    # Leaving out the added words gives the old version; leaving out the dropped, the new.
    assert without("ins") == " ".join(old)
    assert without("del") == " ".join(new)
