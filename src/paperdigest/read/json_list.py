"""JSON read piece by piece, so that messages can name the line of each item.

A daily-papers day is a list of records (`json_records`); a digest's export is an object
whose `papers` list holds one paper a line (`json_object`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import ContentError

_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a JSON object, with where it is."""

    line: int
    """The line its value starts on."""
    value: Any
    """Its value, decoded."""
    items: list[tuple[int, Any]] | None
    """If the value is a list: each item with the line it starts on."""


def json_records(path: str, text: str) -> Iterator[tuple[int, Any]]:
    """Each item of the JSON list `text` holds, with the line it starts on."""
    position = _skip_space(text, 0)
    if not text.startswith("[", position):
        raise _invalid(path, text, position, "expected a list of records, starting with [")
    items, end = _list_items(path, text, position)
    _check_end(path, text, end, "the list")
    yield from items


def json_object(path: str, text: str) -> dict[str, Member]:
    """The members of the JSON object `text` holds, by key, each with its line."""
    position = _skip_space(text, 0)
    if not text.startswith("{", position):
        raise _invalid(path, text, position, "expected an object, starting with {")
    members: dict[str, Member] = {}
    position = _skip_space(text, position + 1)
    if not text.startswith("}", position):
        while True:
            key, line, member, position = _member(path, text, position)
            if key in members:
                raise ContentError(path, line, f"`{key}` is given twice")
            members[key] = member
            if text.startswith("}", position):
                break
            if not text.startswith(",", position):
                raise _invalid(path, text, position, "expected , or } after a value")
            position = _skip_space(text, position + 1)
    _check_end(path, text, position + 1, "the object")
    return members


def _member(path: str, text: str, position: int) -> tuple[str, int, Member, int]:
    """The object member at `position`: its name, line and value, and what follows it."""
    if not text.startswith('"', position):
        raise _invalid(path, text, position, "expected a name in double quotes")
    key, end = _decode(path, text, position)
    position = _skip_space(text, end)
    if not text.startswith(":", position):
        raise _invalid(path, text, position, "expected : after a name")
    position = _skip_space(text, position + 1)
    line = _line(text, position)
    if text.startswith("[", position):
        items, end = _list_items(path, text, position)
        member = Member(line, [item for _, item in items], items)
    else:
        value, end = _decode(path, text, position)
        member = Member(line, value, None)
    return key, line, member, _skip_space(text, end)


def kind_of(value: Any) -> str:
    """What a JSON value is, in words, for messages (`a list`, `text`, `null`)."""
    names = {str: "text", int: "a number", float: "a number", bool: "true or false"}
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return names.get(type(value), type(value).__name__)


def _list_items(path: str, text: str, position: int) -> tuple[list[tuple[int, Any]], int]:
    """The items of the list that opens at `position`, each with its line; where it ends."""
    items: list[tuple[int, Any]] = []
    position = _skip_space(text, position + 1)
    if text.startswith("]", position):
        return items, position + 1
    line, counted = _line(text, position), position
    while True:
        item, end = _decode(path, text, position)
        line += text.count("\n", counted, position)  # counted as we go: a day may be long
        counted = position
        items.append((line, item))
        position = _skip_space(text, end)
        if text.startswith("]", position):
            return items, position + 1
        if not text.startswith(",", position):
            raise _invalid(path, text, position, "expected , or ] after a record")
        position = _skip_space(text, position + 1)


def _decode(path: str, text: str, position: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as exc:
        raise _invalid(path, text, exc.pos, exc.msg) from None


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n\r":
        position += 1
    return position


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _check_end(path: str, text: str, position: int, what: str) -> None:
    rest = _skip_space(text, position)
    if rest < len(text):
        raise _invalid(path, text, rest, f"something follows {what}")


def _invalid(path: str, text: str, position: int, problem: str) -> ContentError:
    line = _line(text, position)
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return ContentError(path, line, f"not valid JSON: {problem} (column {column})")
