"""Write a site atomically, touching only what changed.

`site/` (the live tree) is never modified. Beside it, `.site.spare/` holds the previous
tree; a build brings the spare up to date and then swaps the two in one atomic rename. A
file whose bytes are unchanged is kept (or hard-linked from the live tree), so its
modification time stays put; only changed files are written. Creating and deleting the
whole tree on every build would cost seconds on a large site, mostly in mkdir and rmdir.

A failed build leaves `site/` untouched. The spare may be half-updated then; its manifest
records which files can no longer be trusted (or is missing, after a kill), and the next
build repairs it. Each manifest lists every file with its hash and the input keys that
let a build skip unchanged work.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path, PurePosixPath

from ..errors import BuildError
from .disk import has_files, has_size, prune_empty_folders, remove, write_new
from .manifest import DIRTY, UNKNOWN, Manifest, file_hash, rehash
from .swap import BuildLock, recover_interrupted_swap, swap_in


def check_site_path(path: str) -> str:
    """Refuse any output path that could land outside the site folder."""
    if (
        not path
        or "\\" in path
        or "\0" in path
        or path.startswith(("/", ".paperdigest"))
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise BuildError(f"refusing to write {path!r}: not a plain path inside the site")
    return path


VERIFIED = ("pagefind/",)
"""Folders whose files are reused only while their size is still the recorded one."""


class SiteWriter:
    """Brings the spare tree up to date with a new build; `commit` swaps it in.

    Every write is checked, and every failure of the file system names the path it was
    at; see `_reusable` for which files are reused without writing them.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.spare = out.with_name(f".{out.name}.spare")
        with disk_errors(out, "prepare the output folder"):
            out.parent.mkdir(parents=True, exist_ok=True)
            self._lock = BuildLock(out.with_name(f".{out.name}.lock"))
        try:
            with disk_errors(out, "prepare the output folder"):
                recover_interrupted_swap(out)
                live = Manifest.read(out)
                if out.exists() and live is None and has_files(out):
                    raise BuildError(
                        f"refusing to replace {out}: it is not empty and was not built by "
                        "paperdigest (choose another output folder, or empty this one)"
                    )
                self.live = live or Manifest()
            with disk_errors(self.spare, "prepare the spare copy of the site"):
                self.old = self._prepare_spare()
        except BaseException:
            self._lock.close()
            raise
        self.files: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.keys: dict[str, str] = {}
        self.reused = 0
        self._dirty = False
        self._touched: set[str] = set()
        self._folders: set[str] = set()
        self._live_paths: list[str] | None = None

    def unchanged(self, name: str, key: str) -> bool:
        """Record an input key; True if the live site was built from the same input."""
        self.keys[name] = key
        return self.live.keys.get(name) == key

    def published_bytes(self) -> int:
        """The size of the new site's files but its dotfiles, which Pages' upload leaves out."""
        # In C from end to end: a step in Python per file took 0.5 s on a large site, a
        # regular expression per path 0.3 s; two substring tests take 0.05 s.
        sizes = self.sizes
        starts = map(str.startswith, sizes, itertools.repeat("."))
        inside = map(operator.contains, sizes, itertools.repeat("/."))
        hidden = {*itertools.compress(sizes, starts), *itertools.compress(sizes, inside)}
        return sum(sizes.values()) - sum(map(sizes.__getitem__, hidden))

    def keep_intact(self, paths: list[str]) -> bool:
        """Keep the live site's files at `paths` as they are if every one can be (see
        `_reusable`); otherwise keep none and return False."""
        found: list[tuple[str, str, int, str]] = []
        for path in paths:
            digest, size = self.live.files.get(path), self.live.sizes.get(path)
            if digest is None or size is None:
                return False
            source = self._reusable(path, digest, size)
            if source is None:
                return False
            found.append((path, digest, size, source))
        for path, digest, size, source in found:
            if source == "live":
                self._replace(path, partial(os.link, self.out / path))
            self.record(path, digest, size)
        return True

    def live_files(self, folder: str, but: str | None = None) -> list[str]:
        """The live site's files under `folder`, except those under `but`."""
        if self._live_paths is None:
            self._live_paths = sorted(self.live.files)
        prefix = folder.rstrip("/") + "/"
        nested = but.rstrip("/") + "/" if but else None
        # Paths that start with the prefix are one run of the sorted paths.
        start = bisect.bisect_left(self._live_paths, prefix)
        found = []
        for path in itertools.islice(self._live_paths, start, None):
            if not path.startswith(prefix):
                break
            if not (nested and path.startswith(nested)):
                found.append(path)
        return found

    def write(self, path: str, data: bytes) -> str:
        """Add one file with these bytes; return its hash."""
        check_site_path(path)
        digest = file_hash(data)
        if not self._reuse(path, digest, len(data)):
            self._replace(path, partial(write_new, data=data))
        self.record(path, digest, len(data))
        return digest

    def record(self, path: str, digest: str, size: int) -> None:
        """Note that the new site has this file."""
        if path in self.files:
            raise BuildError(f"two pages would be written to {path}")
        self.files[path], self.sizes[path] = digest, size
        if self.live.files.get(path) == digest:
            self.reused += 1
        if self.old.files.get(path) != digest:  # the spare's file changed
            self._touched.add(path)

    def commit(self, base_url: str, *, make_spare: bool = True) -> None:
        """Remove what the new site no longer has, record it, and swap it in.

        Without `make_spare`, a first build leaves no spare tree; the next build (if any)
        links one from the live site before it starts.
        """
        with disk_errors(self.spare, "finish the new site"):
            for path in sorted(set(self.old.files) - set(self.files), reverse=True):
                self._mark_dirty()
                self._touched.add(path)
                remove(self.spare / path)
                prune_empty_folders(self.spare, PurePosixPath(path).parent)
            manifest = Manifest(base_url, self.files, self.keys, self.sizes)
            manifest.write(self.spare)
            (self.spare / DIRTY).unlink(missing_ok=True)
        with disk_errors(self.out, "swap the new site in"):
            swap_in(self.spare, self.out)
        if make_spare and not self.spare.exists():
            # The first build: make the spare now, so the next build touches only changes.
            with disk_errors(self.spare, "make the spare copy of the site"):
                self._link_tree(self.out, self.spare, manifest)
        self._lock.close()

    def abort(self) -> None:
        """Leave the live site as it was; note which spare files can no longer be trusted."""
        try:
            if self._dirty:
                files = {**self.old.files, **dict.fromkeys(self._touched, UNKNOWN)}
                sizes = {**self.old.sizes, **dict.fromkeys(self._touched, -1)}
                Manifest(self.old.base_url, files, {}, sizes).write(self.spare)
                (self.spare / DIRTY).unlink(missing_ok=True)
        except OSError:
            pass  # the dirty marker stays, and the next build reads the spare afresh
        finally:
            self._lock.close()

    # -- the spare tree ---------------------------------------------------------------------

    def _prepare_spare(self) -> Manifest:
        """A spare tree and its manifest: as it was, repaired, or linked from the live site."""
        if self.spare.is_dir():
            manifest = Manifest.read(self.spare)
            if manifest is not None and manifest.complete and not (self.spare / DIRTY).exists():
                return manifest
            return rehash(self.spare)  # a build was killed while changing it
        if self.out.is_dir() and self.live and self.live.files:
            return self._link_tree(self.out, self.spare, self.live)
        self.spare.mkdir()
        os.chmod(self.spare, 0o755)
        return Manifest()

    def _link_tree(self, source: Path, target: Path, manifest: Manifest) -> Manifest:
        building = target.with_name(target.name + ".linking")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        os.chmod(building, 0o755)
        folders: set[str] = set()
        for path in manifest.files:
            folder = os.path.dirname(path)
            if folder and folder not in folders:
                os.makedirs(os.path.join(building, folder), exist_ok=True)
                folders.add(folder)
            os.link(os.path.join(source, path), os.path.join(building, path))
        manifest.write(building)
        os.rename(building, target)
        return manifest

    def _reusable(self, path: str, digest: str, size: int) -> str | None:
        """Where a file with `digest` can be had without writing it: "spare" or "live".

        Every file the manifests list was written by a build that checked every write, so
        a file the spare holds is trusted as it is, except in the search bundle (whose
        files came from another tool before, and lost writes there unseen): those, and a
        file about to be linked from the live tree, must still have their size. (A file
        changed by hand behind the build's back is for `paperdigest check` to find.)
        """
        if self.old.files.get(path) == digest:
            verify = path.startswith(VERIFIED)
            # A string, not a Path: 100,000 search files' paths at 6 µs each (large).
            if not verify or has_size(f"{self.spare}/{path}", size):
                return "spare"
        if self.live.files.get(path) == digest and has_size(f"{self.out}/{path}", size):
            return "live"
        return None

    def _reuse(self, path: str, digest: str, size: int) -> bool:
        """Make the spare hold `digest` at `path` without writing bytes, if possible."""
        source = self._reusable(path, digest, size)
        if source == "live":
            self._replace(path, partial(os.link, self.out / path))
        return source is not None

    def _replace(self, path: str, create: Callable[[str], object]) -> None:
        """Put a new file at `path` in the spare; the old one may be linked to the live site."""
        target = os.path.join(self.spare, path)
        with disk_errors(target, "write"):
            self._mark_dirty()
            self._touched.add(path)
            folder = os.path.dirname(target)
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            # Unlink first: writing through a hard link would change the live site too.
            if path in self.old.files:
                remove(Path(target))
            try:
                create(target)
            except FileExistsError:  # a file the manifest did not know, left by a killed build
                remove(Path(target))
                create(target)

    def _mark_dirty(self) -> None:
        if not self._dirty:
            self._dirty = True
            (self.spare / DIRTY).write_text("a build is changing this tree\n")


@contextmanager
def disk_errors(where: Path | str, doing: str) -> Iterator[None]:
    """Turn a failure of the file system into an error that says where and what."""
    try:
        yield
    except OSError as exc:
        place = exc.filename if isinstance(exc.filename, str) else str(where)
        raise BuildError(f"{place}: cannot {doing}: {exc.strerror or exc}") from exc
