"""Small file-system steps of the site writer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath


def has_size(path: str | Path, size: int) -> bool:
    """Whether the file at `path` exists with this size."""
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def write_new(target: str, *, data: bytes) -> None:
    """Write a new file at `target`, which must not exist."""
    # O_EXCL: never through an existing (possibly shared) inode. The bare descriptor skips
    # open()'s buffered file object: 9 µs of a new file's 26 µs, over 200,000 files (large).
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def remove(target: Path) -> None:
    """Remove a file (or a folder in its place), if it is there."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)


def prune_empty_folders(root: Path, folder: PurePosixPath) -> None:
    """Remove `folder` and its parents under `root` while they are empty."""
    while str(folder) not in ("", "."):
        try:
            os.rmdir(root / folder)
        except OSError:
            return
        folder = folder.parent


def has_files(folder: Path) -> bool:
    """Whether `folder` is a folder with anything in it."""
    return folder.is_dir() and any(folder.iterdir())
