"""What a build can reuse from the last one: parsed files, normalized titles and slugs.

A file is reparsed only when its size, modification time or inode changed. The cache is a
pickle beside the output folder (`.site.cache`); it is loaded by an unpickler that builds
only the model's own classes, so a planted cache file cannot run code. Anything unreadable
is simply an empty cache.
"""

from __future__ import annotations

import io
import os
import pickle
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import __version__
from .dedupe import normalize_title, slugify
from .errors import ContentWarning
from .model import DigestFile, Entry, HeaderDate, Source

Stamp = tuple[int, int, int]
"""A file's size, modification time (ns) and inode."""
_ALLOWED = {
    ("datetime", "date"): date,
    ("paperdigest.model", "Source"): Source,
    ("paperdigest.model", "Entry"): Entry,
    ("paperdigest.model", "HeaderDate"): HeaderDate,
    ("paperdigest.model", "DigestFile"): DigestFile,
    ("paperdigest.errors", "ContentWarning"): ContentWarning,
}


@dataclass
class ContentCache:
    """Results of earlier builds that are valid while their inputs are unchanged."""

    shown_dir: str = ""
    """The content folder as it was named; paths in cached files include it."""
    files: dict[str, tuple[Stamp, DigestFile, list[ContentWarning]]] = field(default_factory=dict)
    """Parsed files by path relative to the content folder."""
    keys: dict[str, str] = field(default_factory=dict)
    """Normalized titles, by title."""
    slugs: dict[str, str] = field(default_factory=dict)
    """Slugs, by normalized title."""

    def parsed(self, relative: str, stamp: Stamp) -> tuple[DigestFile, list[ContentWarning]] | None:
        """The parse of a file, if it is unchanged since it was cached."""
        cached = self.files.get(relative)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        return None

    def normalize(self, title: str) -> str:
        """`normalize_title`, remembered."""
        key = self.keys.get(title)
        if key is None:
            key = self.keys[title] = normalize_title(title)
        return key

    def slugify(self, key: str) -> str:
        """`slugify`, remembered."""
        slug = self.slugs.get(key)
        if slug is None:
            slug = self.slugs[key] = slugify(key)
        return slug

    def keep_only(self, relatives: set[str], titles: set[str], keys: set[str]) -> None:
        """Forget what the current content no longer has, so the cache does not grow."""
        self.files = {r: v for r, v in self.files.items() if r in relatives}
        self.keys = {t: k for t, k in self.keys.items() if t in titles}
        self.slugs = {k: s for k, s in self.slugs.items() if k in keys}


def stamp(path: Path) -> Stamp:
    """What says a file changed."""
    status = path.stat()
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def cache_path(out: Path) -> Path:
    """Where the cache for an output folder lives."""
    return out.with_name(f".{out.name}.cache")


def load_cache(path: Path) -> ContentCache:
    """The cache saved at `path`, or an empty one."""
    try:
        data = path.read_bytes()
        version, cache = _SafeUnpickler(io.BytesIO(data)).load()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return ContentCache()
    if version != __version__ or not isinstance(cache, dict):
        return ContentCache()
    return ContentCache(**cache)


def save_cache(path: Path, cache: ContentCache) -> None:
    """Save the cache, replacing the old one in one step."""
    state = {"shown_dir": cache.shown_dir, "files": cache.files, "keys": cache.keys}
    state["slugs"] = cache.slugs
    temporary = path.with_name(path.name + ".new")
    temporary.write_bytes(pickle.dumps((__version__, state), protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        allowed = _ALLOWED.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(f"not a cache class: {module}.{name}")
        return allowed
