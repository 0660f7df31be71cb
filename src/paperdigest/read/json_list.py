"""A JSON list read item by item, so each item's line is known for messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..errors import ContentError


def json_records(path: str, text: str) -> Iterator[tuple[int, Any]]:
    """Each item of the JSON list `text` holds, with the line it starts on."""
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if not text.startswith("[", position):
        raise _invalid(path, text, position, "expected a list of records, starting with [")
    position = _skip_space(text, position + 1)
    if text.startswith("]", position):
        _check_end(path, text, position + 1)
        return
    while True:
        try:
            record, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise _invalid(path, text, exc.pos, exc.msg) from None
        yield text.count("\n", 0, position) + 1, record
        position = _skip_space(text, end)
        if text.startswith("]", position):
            _check_end(path, text, position + 1)
            return
        if not text.startswith(",", position):
            raise _invalid(path, text, position, "expected , or ] after a record")
        position = _skip_space(text, position + 1)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n\r":
        position += 1
    return position


def _check_end(path: str, text: str, position: int) -> None:
    rest = _skip_space(text, position)
    if rest < len(text):
        raise _invalid(path, text, rest, "something follows the list")


def _invalid(path: str, text: str, position: int, problem: str) -> ContentError:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return ContentError(path, line, f"not valid JSON: {problem} (column {column})")
