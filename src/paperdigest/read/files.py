"""Find the content files, read each with the reader its suffix names, through the cache."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..config import CONFIG_NAME
from ..errors import BuildError, ContentError, ContentErrors, Problems
from ..model import ParsedFile
from .cache import CachedFile, ContentCache, Stamp, stamp_of
from .readers import READERS, reader_for


def find_content_files(content_dir: Path) -> tuple[list[str], list[str]]:
    """The files some reader takes, and the other files that will be ignored.

    Both are sorted paths relative to the folder; dotfiles and site.yml are left out.
    """
    digests: list[str] = []
    others: list[str] = []
    for folder, subfolders, names in os.walk(content_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in names:
            if name.startswith("."):
                continue
            relative = (Path(folder) / name).relative_to(content_dir).as_posix()
            if reader_for(name) is not None:
                digests.append(relative)
            elif relative != CONFIG_NAME:
                others.append(relative)
    return sorted(digests), sorted(others)


def read_digests(content_dir: Path, cache: ContentCache, problems: Problems) -> list[ParsedFile]:
    """Parse every content file; collect the problems of broken ones and read on.

    Unchanged files come from the cache; the cache learns the others and forgets files
    that are gone.
    """
    if not content_dir.is_dir():
        raise BuildError(f"content folder {content_dir} does not exist")
    shown_dir = str(content_dir).rstrip("/")
    if cache.shown_dir != shown_dir:  # cached paths would read wrong
        cache.forget_files()
        cache.shown_dir = shown_dir
    digests, others = find_content_files(content_dir)
    names = [f"*{suffix}" for suffix in READERS]
    suffixes = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    for relative in others:
        message = f"not a digest (only {suffixes} files are read); ignored"
        problems.warn(f"{shown_dir}/{relative}", 1, message)
    files: list[ParsedFile] = []
    for relative in digests:
        shown = f"{shown_dir}/{relative}"
        try:
            parsed = _read(content_dir, relative, shown, cache)
        except (ContentError, ContentErrors) as exc:
            problems.add(exc)
        except OSError as exc:
            problems.add(ContentError(shown, 1, f"cannot read the file: {exc.strerror}"))
        else:
            files.append(parsed.file)
            problems.warnings.extend(parsed.warnings)
    cache.prune(set(digests))
    if not digests and not problems.errors:  # a broken site.yml is worth hearing of first
        raise BuildError(f"no digest files ({suffixes}) found in {content_dir}")
    return files


def _read(content_dir: Path, relative: str, shown: str, cache: ContentCache) -> CachedFile:
    when = _regular_file_stamp(content_dir, relative, shown)
    known = cache.parsed(relative, when)
    if known is not None:
        return known
    data = (content_dir / relative).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    known = cache.parsed_bytes(relative, when, digest)
    if known is not None:
        return known
    parse = reader_for(relative)
    assert parse is not None
    file, warnings = parse(shown, data)
    return cache.learn(relative, when, file, warnings, digest)


def _regular_file_stamp(content_dir: Path, relative: str, shown: str) -> Stamp:
    """The stamp of a regular file inside the content folder; anything else is refused.

    A link out of the folder could publish any file the build can read (a pull request can
    add one), and a pipe or device named `*.txt` would block the build or never end.
    """
    path = content_dir / relative
    if path.is_symlink():
        root = content_dir.resolve()
        try:
            target = path.resolve(strict=True)
        except (RuntimeError, OSError) as exc:  # Python names a loop either way
            if isinstance(exc, FileNotFoundError):
                raise ContentError(shown, 1, "a link to a file that does not exist") from None
            raise ContentError(shown, 1, "a link that leads round in a loop") from None
        if root not in target.parents:
            raise ContentError(
                shown, 1, "a link to a file outside the content folder; copy the file in instead"
            )
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise ContentError(shown, 1, "not a regular file (a pipe or device?); only files are read")
    return stamp_of(status)
