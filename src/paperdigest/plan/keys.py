"""Input keys, derived from the records of what outputs show; never written by hand.

A record is a frozen dataclass made of plain values: text, numbers, dates, bytes, tuples
and other records. Its key is a hash of every field, with the class's name, so a field
added to a record is part of its key from then on, and no edit to a page can ship a
stale page. The manifest stores keys by output id (`page:papers/x`, `feed:2025-03-14`);
the kinds are spelled here and nowhere else.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any, Literal

Kind = Literal["page", "feed", "search", "file"]
"""What an output is: a page (Markdown and HTML), a feed item (part of the feed), a
search shard (a folder Pagefind writes), or a single file."""


def output_id(kind: Kind, name: str) -> str:
    """The manifest's name for an output: its kind and its name in the site."""
    return f"{kind}:{name}"


def record_key(record: object, shared: str) -> str:
    """The input key of an output: a hash of its record and of what all outputs share."""
    parts = [shared]
    _encode(record, parts)
    return _digest(parts)


def shared_key(*records: object) -> str:
    """What every output's key includes: the templates' and code's fingerprint, the layout."""
    parts: list[str] = []
    for record in records:
        _encode(record, parts)
    return _digest(parts)


_CHUNK = 256
"""Parts joined at a time: a search shard's record is 8 MB of text, and joining and
encoding it whole took a fresh block of memory twice per shard (0.6 s of keys, large)."""


def _digest(parts: list[str]) -> str:
    """The SHA-256 of the parts joined by `\\x1f`, joined a chunk at a time."""
    digest = hashlib.sha256()
    for start in range(0, len(parts), _CHUNK):
        if start:
            digest.update(b"\x1f")
        digest.update("\x1f".join(parts[start : start + _CHUNK]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


_FIELDS: dict[type, tuple[str, ...]] = {}


def _encode(value: Any, parts: list[str]) -> None:
    """Append an unambiguous text form of `value` to `parts`."""
    kind = type(value)
    if kind is str:
        parts.append(f"s{len(value)}")  # the length keeps a separator inside text harmless
        parts.append(value)
    elif kind is tuple:
        parts.append(f"t{len(value)}")
        for item in value:
            _encode(item, parts)
    elif kind is date:
        parts.append(value.isoformat())
    elif kind is int or kind is bool or value is None:
        parts.append(repr(value))
    elif kind is bytes:
        parts.append("b" + hashlib.sha256(value).hexdigest())
    else:
        names = _FIELDS.get(kind)
        if names is None:
            if not is_dataclass(kind) or not kind.__dataclass_params__.frozen:  # type: ignore[attr-defined]
                raise TypeError(f"not a plain value for a record: {kind.__name__}")
            names = _FIELDS[kind] = tuple(field.name for field in fields(kind))
        parts.append(kind.__qualname__)
        for name in names:
            _encode(getattr(value, name), parts)
