"""Text files: decoding bytes as UTF-8 and refusing characters no digest may hold."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import ContentError

MAX_LINE_CHARS = 100_000
"""Longer lines are refused: no real title or abstract comes close."""
MAX_ERRORS_PER_FILE = 20
"""Beyond this many line-level problems a file is reported as a whole."""

_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(path: str, data: bytes) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is allowed), or say where it is not."""
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            raise ContentError(path, 1, f"the file is {encoding} text; save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        raise ContentError(path, _line_at(data, nul), "binary file (NUL byte), not a text digest")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            path,
            line,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {column} "
            "(save the file as UTF-8)",
        ) from None


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# C0 and C1 controls other than tab, surrogates, and the BMP's noncharacters: XML (the
# feed) forbids most of them, HTML calls them errors, and in a dump they mean a broken
# file. (Newlines never reach a line; the whole text is searched at once with this too.)
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_LATIN1_ALLOWED = bytes([0x09, 0x0A, *range(0x20, 0x7F), *range(0xA0, 0x100)])


def has_forbidden(text: str) -> bool:
    """Whether `text` holds a character `_FORBIDDEN` matches."""
    # The regular expression reads about 5 ns a character; most dumps are Latin-1, whose
    # bytes a translate() without the allowed ones checks ten times as fast.
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return _FORBIDDEN.search(text) is not None
    return bool(data.translate(None, _LATIN1_ALLOWED))


def line_problems(path: str, lines: list[str]) -> Iterator[ContentError]:
    """Each line that is too long or holds a forbidden character, up to a limit."""
    count = 0
    for number, line in enumerate(lines, start=1):
        problem = _line_problem(line)
        if problem:
            count += 1
            if count > MAX_ERRORS_PER_FILE:
                yield ContentError(path, number, "too many problems; stopped checking this file")
                return
            yield ContentError(path, number, problem)


def _line_problem(line: str) -> str | None:
    if len(line) > MAX_LINE_CHARS:
        return f"line is {len(line):,} characters long (the limit is {MAX_LINE_CHARS:,})"
    match = _FORBIDDEN.search(line)
    if match:
        return (
            f"control character U+{ord(match.group()):04X} at column {match.start() + 1} "
            "(is this a binary or mis-encoded file?)"
        )
    return None
