"""What pages show of shared things: link-preview text bounded and cut at words."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from paperdigest.plan.views import DESCRIPTION_CHARS, summary


@given(st.text(st.sampled_from("ab \t\u00a0."), max_size=600).map(str.strip))
@example("a" * 170 + " b")
def test_link_preview_summaries_are_bounded_and_cut_at_words(text: str) -> None:
    shown = summary(text)
    normalized = " ".join(text.split())
    if len(normalized) <= DESCRIPTION_CHARS:
        assert shown == normalized
    else:
        assert shown.endswith("…") and len(shown) <= DESCRIPTION_CHARS + 1
        kept = shown[:-1]
        assert normalized.startswith(kept)
        assert normalized[len(kept)] == " " or " " not in kept  # a word, unless one is too long
