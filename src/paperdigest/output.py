"""Write a site atomically: build in a folder beside the target, then swap it in.

A failed, interrupted or killed build leaves the previous site exactly as it was. A file
whose bytes did not change is hard-linked from the previous site instead of rewritten,
so its modification time stays put.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .errors import BuildError

MANIFEST = ".paperdigest-manifest.json"
"""Lists every file of a built site with its hash; also marks a folder as ours to replace."""
_BUILDING = ".building-"
_OLD = ".old-"


def check_site_path(path: str) -> str:
    """Refuse any output path that could land outside the site folder."""
    pure = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or "\0" in path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise BuildError(f"refusing to write {path!r}: not a plain path inside the site")
    return path


def file_hash(data: bytes) -> str:
    """The hash the manifest records for a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def read_manifest(site: Path) -> dict[str, str] | None:
    """The previous build's file hashes, or None if `site` was not built by paperdigest."""
    try:
        data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items()}


class SiteWriter:
    """Collects a new site in a staging folder beside `out`; `commit` swaps it in."""

    def __init__(self, out: Path) -> None:
        self.out = out
        recover_interrupted_swap(out)
        self.previous = read_manifest(out) or {}
        if out.exists() and not self.previous and _has_files(out):
            raise BuildError(
                f"refusing to replace {out}: it is not empty and was not built by paperdigest "
                "(choose another output folder, or empty this one)"
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(
            tempfile.mkdtemp(prefix=f".{out.name}{_BUILDING}{os.getpid()}-", dir=out.parent)
        )
        os.chmod(self.staging, 0o755)
        self.files: dict[str, str] = {}
        self.reused = 0

    def write(self, path: str, data: bytes) -> None:
        """Add one file; reuse the previous site's file if its bytes are the same."""
        check_site_path(path)
        if path in self.files:
            raise BuildError(f"two pages would be written to {path}")
        digest = file_hash(data)
        target = self.staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.previous.get(path) == digest and self._link_previous(path, target, len(data)):
            self.reused += 1
        else:
            target.write_bytes(data)
        self.files[path] = digest

    def adopt(self, folder: str) -> None:
        """Record files that another tool (Pagefind) wrote under `folder` in the staging site."""
        root = self.staging / check_site_path(folder)
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            path = file.relative_to(self.staging).as_posix()
            self.files[path] = file_hash(file.read_bytes())

    def _link_previous(self, path: str, target: Path, size: int) -> bool:
        source = self.out / path
        try:
            if source.is_symlink() or source.stat().st_size != size:
                return False
            os.link(source, target)
        except OSError:
            return False
        return True

    def commit(self, base_url: str) -> None:
        """Write the manifest and swap the staging folder in place of the old site."""
        manifest = {
            "generator": "paperdigest",
            "base_url": base_url,
            "files": dict(sorted(self.files.items())),
        }
        (self.staging / MANIFEST).write_text(
            json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        swap_in(self.staging, self.out)

    def abort(self) -> None:
        """Throw the staging folder away; the old site was never touched."""
        shutil.rmtree(self.staging, ignore_errors=True)


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` with `staging` in one step where the OS allows it."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old site
        return
    # Without an atomic exchange, a crash between the renames leaves `.old-` behind;
    # recover_interrupted_swap puts it back before the next build.
    old = out.with_name(f".{out.name}{_OLD}{os.getpid()}")
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def recover_interrupted_swap(out: Path) -> None:
    """Undo what a build killed mid-way left beside `out`."""
    parent = out.parent
    if not parent.is_dir():
        return
    for leftover in sorted(parent.glob(f".{out.name}{_OLD}*")):
        if not out.exists():
            os.rename(leftover, out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f".{out.name}{_BUILDING}*"):
        pid = leftover.name.removeprefix(f".{out.name}{_BUILDING}").split("-", 1)[0]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


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
