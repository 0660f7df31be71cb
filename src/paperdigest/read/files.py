"""Read the content folder: find the digest files, decode them, and hand them to the parser."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..config import CONFIG_NAME, SiteConfig, load_config, with_base_url
from ..dates import DatedFile, resolve_dates
from ..errors import (
    BuildError,
    ContentError,
    ContentErrors,
    ContentWarning,
    each_error,
    raise_if_any,
)
from ..model import DigestFile
from .cache import ContentCache, Stamp, stamp_of
from .text_dump import parse_digest

_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(path: str, data: bytes) -> str:
    """Decode a digest file's bytes as UTF-8 (a BOM is allowed), or say where it is not."""
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


def find_digests(content_dir: Path) -> tuple[list[str], list[str]]:
    """The `*.txt` files under the content folder, and the other files that will be ignored.

    Both are sorted paths relative to the folder; dotfiles and site.yml are left out.
    """
    digests: list[str] = []
    others: list[str] = []
    for folder, subfolders, names in os.walk(content_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in names:
            relative = (Path(folder) / name).relative_to(content_dir).as_posix()
            if name.lower().endswith(".txt") and not name.startswith("."):
                digests.append(relative)
            elif not name.startswith(".") and relative != CONFIG_NAME:
                others.append(relative)
    return sorted(digests), sorted(others)


def read_digests(
    content_dir: Path, shown_dir: str, cache: ContentCache | None = None
) -> tuple[list[DigestFile], list[ContentWarning], list[ContentError]]:
    """Read and parse every digest file; return the good files, the warnings and the errors.

    Nothing is raised for a broken file, so the caller can go on checking the good ones.
    With a cache, unchanged files are not read again, and the cache learns the others.
    """
    files: list[DigestFile] = []
    warnings: list[ContentWarning] = []
    errors: list[ContentError] = []
    digests, others = find_digests(content_dir)
    if cache is not None and cache.shown_dir != shown_dir:  # cached paths would read wrong
        cache.forget_files()
        cache.shown_dir = shown_dir
    for relative in others:
        shown = f"{shown_dir.rstrip('/')}/{relative}"
        warnings.append(
            ContentWarning(shown, 1, "not a digest (only *.txt files are read); ignored")
        )
    for relative in digests:
        shown = f"{shown_dir.rstrip('/')}/{relative}"
        try:
            when = _regular_file_stamp(content_dir, relative, shown)
            known = cache.parsed(relative, when) if cache is not None else None
            if known:
                digest, file_warnings = known
            else:
                data = (content_dir / relative).read_bytes()
                digest, file_warnings = parse_digest(shown, decode(shown, data), relative)
                if cache is not None:
                    cache.learn(relative, when, digest, file_warnings)
        except (ContentError, ContentErrors) as exc:
            errors.extend(each_error(exc))
        except OSError as exc:
            errors.append(ContentError(shown, 1, f"cannot read the file: {exc.strerror}"))
        else:
            files.append(digest)
            warnings.extend(file_warnings)
    return files, warnings, errors


def _regular_file_stamp(content_dir: Path, relative: str, shown: str) -> Stamp:
    """The stamp of a regular file inside the content folder; anything else is refused.

    A link out of the folder could publish any file the build can read (a pull request can
    add one), and a pipe or device named `*.txt` would block the build or never end.
    """
    path = content_dir / relative
    if path.is_symlink():
        root = content_dir.resolve()
        if root not in path.resolve().parents:
            raise ContentError(
                shown, 1, "a link to a file outside the content folder; copy the file in instead"
            )
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise ContentError(shown, 1, "not a regular file (a pipe or device?); only files are read")
    return stamp_of(status)


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_content(
    content: Path, out: Path, base_url: str | None, cache: ContentCache
) -> tuple[SiteConfig, list[DatedFile], list[ContentWarning]]:
    """Read site.yml and every digest and date them; report every problem together.

    `base_url` overrides site.yml's; `out` is only checked not to overlap `content`.
    """
    if not content.is_dir():
        raise BuildError(f"content folder {content} does not exist")
    resolved, out = content.resolve(), out.resolve()
    if out == resolved or resolved in out.parents or out in resolved.parents:
        raise BuildError("the output folder and the content folder must not contain each other")
    errors: list[ContentError] = []
    site = SiteConfig()
    try:
        site = load_config(content, str(content))
        if base_url is not None:
            site = with_base_url(site, base_url)
    except (ContentError, ContentErrors) as exc:
        errors.extend(each_error(exc))
    # The files that did parse still get their dates checked, so one run reports everything.
    files, warnings, read_errors = read_digests(content, str(content), cache)
    errors.extend(read_errors)
    dated: list[DatedFile] = []
    if not any(error.path.endswith(CONFIG_NAME) for error in errors):
        try:
            dated, date_warnings = resolve_dates(files, site.year)
            warnings.extend(date_warnings)
        except (ContentError, ContentErrors) as exc:
            errors.extend(each_error(exc))
    raise_if_any(errors)
    if not dated:
        raise BuildError(f"no digest files (*.txt) found in {content}")
    return site, dated, warnings
