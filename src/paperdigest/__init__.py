"""paperdigest: a static site generator for research-paper digests."""

import functools
import hashlib
from pathlib import Path

__version__ = "0.1.0"


@functools.cache
def code_version() -> str:
    """The version plus a hash of the package's source, which changes with any edit to it.

    Caches and manifests are keyed by it, so a build never reuses what other code made,
    even when paperdigest is installed from a checkout whose version number did not change.
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")):
        name = source.relative_to(package).as_posix()
        digest.update(name.encode() + b"\0" + source.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
