"""Swapping a new tree in for the live one atomically, undoing a swap a kill interrupted,
and the lock that lets one build at a time change an output folder."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from pathlib import Path


def swap_in(staging: Path, out: Path) -> None:
    """Exchange `staging` and `out` in one step where the OS allows it."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return
    # Without an atomic exchange, a crash between the renames leaves `.old` behind;
    # recover_interrupted_swap puts it back before the next build.
    old = out.with_name(f".{out.name}.old")
    os.rename(out, old)
    os.rename(staging, out)
    os.rename(old, staging)


def recover_interrupted_swap(out: Path) -> None:
    """Undo what a build killed mid-swap (on a system without atomic exchange) left behind."""
    old = out.with_name(f".{out.name}.old")
    if old.exists():
        if not out.exists():
            os.rename(old, out)
        else:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(out.with_name(f".{out.name}.spare.linking"), ignore_errors=True)


class BuildLock:
    """An exclusive lock on a file beside the output folder, so builds take turns."""

    def __init__(self, path: Path) -> None:
        self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.descriptor, fcntl.LOCK_EX)

    def close(self) -> None:
        """Let the next build in."""
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux's renameat2(RENAME_EXCHANGE)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
