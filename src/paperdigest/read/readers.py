"""Which reader parses which content file: a mapping from file suffix to a pure parser.

A parser is a pure function of a file's displayed path and bytes. It returns the parsed
file and its warnings, or raises every problem in the file at once.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from ..errors import ContentError, ContentWarning
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


MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
"""The most a `.json.gz` may hold; a digest's export is a few hundred kilobytes, and a
small file that inflates without end must not take the build's memory."""


def parse_json_gz(path: str, data: bytes) -> tuple[ParsedFile, list[ContentWarning]]:
    """A gzip-compressed JSON file, as the site's own export publishes its data."""
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip header and trailer
    try:
        text = inflate.decompress(data, MAX_UNZIPPED_BYTES)
        if inflate.unconsumed_tail:
            raise ContentError(path, 1, f"inflates to more than {MAX_UNZIPPED_BYTES:,} bytes")
        if not inflate.eof:
            raise ContentError(path, 1, "the gzip data is cut short")
    except zlib.error as exc:
        raise ContentError(path, 1, f"not readable as gzip ({exc})") from None
    if inflate.unused_data:
        raise ContentError(path, 1, "more than one gzip member, or data after it")
    return parse_json(path, text)


READERS: dict[str, Parser] = {
    ".txt": parse_text_dump,
    ".json": parse_json,
    ".json.gz": parse_json_gz,
}
"""Parsers by lowercase file suffix."""


def reader_for(name: str) -> Parser | None:
    """The parser for a file name, or None if no reader takes it."""
    lower = name.rsplit("/", 1)[-1].lower()
    for suffix, parser in READERS.items():
        # A dotfile named only a suffix (`.json`) is not content.
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return parser
    return None
