"""Text files: UTF-8 with or without a BOM, and the characters no digest may hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperdigest.errors import ContentError
from paperdigest.read.text import _FORBIDDEN, decode, has_forbidden


def test_bom_bytes_are_dropped_by_decode() -> None:
    assert decode("x", b"\xef\xbb\xbfMar 14\n") == "Mar 14\n"


def test_not_utf8_names_the_line_and_column() -> None:
    with pytest.raises(ContentError) as caught:
        decode("c/x.txt", b"Mar 14\n\nCaf" + b"\xe9 au lait\n")
    assert str(caught.value) == (
        "c/x.txt:3: not UTF-8 text: byte 0xe9 at column 4 (save the file as UTF-8)"
    )


def test_binary_file_is_refused() -> None:
    with pytest.raises(ContentError) as caught:
        decode("c/x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    assert str(caught.value) == "c/x.png:3: binary file (NUL byte), not a text digest"


_EDGES = (
    "\x00\x08\t\n\x0b\x1f \x7e\x7f\x80\x9f\xa0\xff\u0100\u2014\ud800\udfff\ufdd0\ufdef\ufffe\uffff"
)


_any_char = st.one_of(st.sampled_from(_EDGES), st.integers(0, 0x10FFFF).map(chr))


@pytest.mark.parametrize("char", _EDGES)
def test_the_fast_control_character_check_agrees_at_every_edge(char: str) -> None:
    for text in (char, f"plain {char} text", f"caf\xe9 {char}", f"em \u2014 dash {char}"):
        assert has_forbidden(text) == (_FORBIDDEN.search(text) is not None), repr(text)


@given(st.text(alphabet=_any_char))
def test_the_fast_control_character_check_agrees_with_the_pattern(text: str) -> None:
    assert has_forbidden(text) == (_FORBIDDEN.search(text) is not None)
