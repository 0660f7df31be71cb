"""Which reader parses which content file: a mapping from file suffix to a pure parser.

A parser is a pure function of a file's displayed path and bytes. It returns the parsed
file and its warnings, or raises every problem in the file at once.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ContentWarning
from ..model import ParsedFile
from .export_json import parse_digest_export
from .hf_json import parse_hf_day
from .text_dump import parse_text_dump

Parser = Callable[[str, bytes], tuple[ParsedFile, list[ContentWarning]]]


def parse_json(path: str, data: bytes) -> tuple[ParsedFile, list[ContentWarning]]:
    """A JSON file by its shape: a list is a daily-papers day, an object a digest's export."""
    if data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        return parse_digest_export(path, data)
    return parse_hf_day(path, data)


READERS: dict[str, Parser] = {
    ".txt": parse_text_dump,
    ".json": parse_json,
}
"""Parsers by lowercase file suffix."""


def reader_for(name: str) -> Parser | None:
    """The parser for a file name, or None if no reader takes it."""
    dot = name.rfind(".")
    return READERS.get(name[dot:].lower()) if dot > 0 else None
