"""What a build can reuse from the last one: parsed files, normalized titles and slugs.

A file is reparsed only when its size, modification time or inode changed and its bytes
did too (a fresh checkout of the same content reparses nothing); what `MEMOS` worked out
from its abstracts is kept with it. The cache is a folder beside the output
(`.site.cache/`) with one pickle per digest file, so a rebuild writes only the entries of
the files it parsed. Every file's latest stamp is kept apart, in one small table: a fresh
checkout restamps every file, and rewriting every entry for that took 3 s of a 24 s
publish of the large benchmark site. Pickles are loaded by an unpickler that builds only
the model's own classes, so a planted cache cannot run code; anything unreadable is
simply not in the cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import code_version
from ..abstract_links import artifact_links
from ..candidates import Candidates
from ..dedupe import normalize_title, slugify
from ..errors import ContentWarning, Problems
from ..latex import plain
from ..memo import Remembered
from ..model import Entry, Link, ParsedFile, Source, StatedDate
from ..related import RelatedMemo
from ..word_counts import Counts

RELATED = "related.memo"
"""The related papers' memo, in the cache folder beside the files' pickles."""
STAMPS = "stamps.table"
"""Each file's latest stamp with the digest of the bytes it had then."""
MEMOS: dict[str, Remembered[object]] = {
    "plain": plain,  # type: ignore[dict-item]
    "links": artifact_links,  # type: ignore[dict-item]
}
"""What is remembered of each file's abstracts, saved with the file. Both are content as a
parsed file is (text and links, shown escaped), never HTML: a planted cache can state no
more than a planted file could."""
Stamp = tuple[int, int, int]
"""A file's size, modification time (ns) and inode."""


@dataclass
class CachedFile:
    """One content file as parsed: its stamp, the parse and the parser's warnings."""

    stamp: Stamp
    """The file's size, mtime and inode when it was parsed."""
    file: ParsedFile
    """The parse."""
    warnings: list[ContentWarning]
    """The parser's warnings."""
    digest: str = ""
    """The SHA-256 of the file's bytes: a fresh checkout stamps every file anew, and its
    unchanged files are still known by their bytes."""


_ALLOWED = {
    ("datetime", "date"): date,
    ("paperdigest.model", "Source"): Source,
    ("paperdigest.model", "Entry"): Entry,
    ("paperdigest.model", "Link"): Link,
    ("paperdigest.model", "StatedDate"): StatedDate,
    ("paperdigest.model", "ParsedFile"): ParsedFile,
    ("paperdigest.errors", "ContentWarning"): ContentWarning,
    ("paperdigest.read.cache", "CachedFile"): CachedFile,
}
"""The only classes a cache pickle may build."""
_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError)
"""What reading a missing, truncated, planted or older cache file may raise: it is skipped."""


@dataclass
class ContentCache:
    """Results of earlier builds that are valid while their inputs are unchanged."""

    shown_dir: str = ""
    """The content folder as it was named; paths in cached files include it."""
    files: dict[str, CachedFile] = field(default_factory=dict)
    """Parsed files by path relative to the content folder."""
    keys: dict[str, str] = field(default_factory=dict)
    """Normalized titles, by title."""
    slugs: dict[str, str] = field(default_factory=dict)
    """Slugs, by normalized title."""
    changed: set[str] = field(default_factory=set)
    """Files parsed since the cache was loaded, whose entries need saving."""
    related: RelatedMemo = field(default_factory=RelatedMemo)
    """Every paper's related papers as the last build worked them out."""
    restamped: bool = False
    """Whether a file's stamp changed with its bytes the same, so the stamps need saving."""

    def parsed(self, relative: str, stamp: Stamp) -> CachedFile | None:
        """The parse of a file, if it is unchanged since it was cached."""
        cached = self.files.get(relative)
        return cached if cached is not None and cached.stamp == stamp else None

    def parsed_bytes(self, relative: str, stamp: Stamp, digest: str) -> CachedFile | None:
        """The parse of a file whose stamp changed but whose bytes are as cached (a fresh
        checkout's, say), stamped anew."""
        cached = self.files.get(relative)
        if cached is None or cached.digest != digest:
            return None
        cached.stamp, self.restamped = stamp, True  # the entry stays; the stamp table changes
        return cached

    def learn(
        self,
        relative: str,
        stamp: Stamp,
        file: ParsedFile,
        warnings: list[ContentWarning],
        digest: str,
    ) -> CachedFile:
        """Remember a file just parsed."""
        cached = self.files[relative] = CachedFile(stamp, file, warnings, digest)
        self.changed.add(relative)
        return cached

    def prune(self, relatives: set[str]) -> None:
        """Forget files the content no longer has."""
        for relative in set(self.files) - relatives:
            del self.files[relative]
            self.changed.add(relative)

    def forget_files(self) -> None:
        """Drop every parsed file (their paths were named differently)."""
        self.changed.update(self.files)
        self.files.clear()

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


def stamp_of(status: os.stat_result) -> Stamp:
    """What says a file changed, from its status."""
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def cache_path(out: Path) -> Path:
    """Where the cache for an output folder lives."""
    return out.with_name(f".{out.name}.cache")


def load_cache(folder: Path) -> ContentCache:
    """The cache saved in `folder`, or whatever of it can be read."""
    cache = ContentCache()
    try:
        entries = sorted(folder.glob("*.pickle"))
    except OSError:
        return cache
    for entry in entries:
        try:
            version, shown_dir, relative, cached, keys, slugs, memos = _read(entry)
        except _UNREADABLE:
            continue
        if version != code_version() or not isinstance(cached, CachedFile):
            continue
        if not isinstance(memos, dict) or not all(isinstance(m, dict) for m in memos.values()):
            continue
        if cache.shown_dir and shown_dir != cache.shown_dir:
            continue
        cache.shown_dir = shown_dir
        cache.files[relative] = cached
        cache.keys.update(keys)
        cache.slugs.update(slugs)
        for name, memo in MEMOS.items():
            memo.learn(memos.get(name, {}))
    _restamp(folder / STAMPS, cache)
    try:
        version, epoch, texts, lists, counts, counted = _read(folder / RELATED)
        if version == code_version() and all(isinstance(d, dict) for d in (texts, counted)):
            words = Counts.from_parts(counts) if counts is not None else None
            rows = words.matrix.shape[0] if words is not None else 0
            candidates = Candidates.from_parts(lists)
            # A rebuild keeps lists by what it knows changed since: they name what it knew.
            known = candidates.names == tuple(texts)  # both in slug order
            if known and all(type(row) is int and 0 <= row < rows for row in counted.values()):
                cache.related = RelatedMemo(epoch, texts, candidates, words, counted, saved=True)
    except _UNREADABLE:
        pass
    return cache


def save_cache(folder: Path, cache: ContentCache, problems: Problems) -> None:
    """Write the entries of files parsed since loading; drop those of files now gone.

    The cache only saves the next build time, so failing to save it is a warning.
    """
    try:
        _save(folder, cache)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(folder)
        problems.warn(
            where,
            1,
            f"cannot save the parse cache ({exc.strerror}); the next build reads every file again",
        )


def _save(folder: Path, cache: ContentCache) -> None:
    if folder.is_file():
        folder.unlink()
    folder.mkdir(exist_ok=True)
    for relative in cache.changed:
        path = folder / _entry_name(relative)
        cached = cache.files.get(relative)
        if cached is None:
            path.unlink(missing_ok=True)
            continue
        titles = [entry.title for entry in cached.file.entries]
        keys = {title: cache.keys[title] for title in titles if title in cache.keys}
        slugs = {key: cache.slugs[key] for key in keys.values() if key in cache.slugs}
        abstracts = [entry.abstract for entry in cached.file.entries]
        memos = {name: memo.known_of(abstracts) for name, memo in MEMOS.items()}
        _write(path, (code_version(), cache.shown_dir, relative, cached, keys, slugs, memos))
    if cache.changed or cache.restamped or not (folder / STAMPS).is_file():
        stamps = {relative: (c.stamp, c.digest) for relative, c in sorted(cache.files.items())}
        _write(folder / STAMPS, (code_version(), stamps))
    cache.changed.clear()
    cache.restamped = False
    memo = cache.related
    if not memo.epoch:  # no lists, or none worked out: nothing to keep
        (folder / RELATED).unlink(missing_ok=True)
    elif not memo.saved:
        counts = memo.counts.to_parts() if memo.counts is not None else None
        _write(
            folder / RELATED,
            (code_version(), memo.epoch, memo.texts, memo.lists.to_parts(), counts, memo.counted),
        )
        memo.saved = True


def _read(path: Path) -> Any:
    """What a cache file holds, unpickled by the unpickler that builds only cache classes."""
    return _SafeUnpickler(io.BytesIO(path.read_bytes())).load()


def _write(path: Path, data: object) -> None:
    """Pickle `data` to `path`, all or nothing."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)


def _restamp(path: Path, cache: ContentCache) -> None:
    """Give each cached file the latest stamp the table has for the bytes it was parsed
    from; a stamp of other bytes, or a table that cannot be read, changes nothing."""
    try:
        version, stamps = _read(path)
        if version != code_version() or not isinstance(stamps, dict):
            return
        for relative, (stamp, digest) in stamps.items():
            cached = cache.files.get(relative)
            if cached is not None and cached.digest == digest and _is_stamp(stamp):
                cached.stamp = stamp
    except _UNREADABLE:
        pass


def _is_stamp(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 3 and all(type(v) is int for v in value)


def clear_cache(folder: Path) -> None:
    """Remove a saved cache."""
    shutil.rmtree(folder, ignore_errors=True)


def _entry_name(relative: str) -> str:
    return hashlib.sha256(relative.encode()).hexdigest()[:24] + ".pickle"


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        allowed = _ALLOWED.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(f"not a cache class: {module}.{name}")
        return allowed
