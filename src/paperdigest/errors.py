"""Error types raised by the core; only the command line formats them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 controls, DEL and C1 controls: terminal escape sequences
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks and overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff]"  # lone surrogates: the bytes of a file name that is not UTF-8
)


def printable(text: str) -> str:
    """Text with every control, bidi and separator character escaped (`\\x1b`), for a terminal."""
    # File names and content reach messages verbatim; raw, they could clear the screen,
    # set the window title or reorder what the reader sees.
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


class PaperdigestError(Exception):
    """Base class for every error paperdigest reports to a user."""


class ContentError(PaperdigestError):
    """One problem in one input file, located at a line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}: {printable(self.message)}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ContentError):
            return NotImplemented
        return (self.path, self.line, self.message) == (other.path, other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.message))


class ContentErrors(PaperdigestError):
    """Several content problems, reported together."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set(errors), key=_error_order)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True, slots=True, order=True)
class ContentWarning:
    """A suspicious but usable spot in an input file; `--strict` makes it an error."""

    path: str
    """The file, as the user named it."""
    line: int
    """The 1-based line the warning is about."""
    message: str
    """What looks wrong, in words."""

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}: warning: {printable(self.message)}"

    def as_error(self) -> ContentError:
        """The same problem, as an error."""
        return ContentError(self.path, self.line, self.message)


class BuildError(PaperdigestError):
    """A build failed for a reason that is not located in a content file."""


def _error_order(error: ContentError) -> tuple[str, int, str]:
    return (error.path, error.line, error.message)


def each_error(exc: ContentError | ContentErrors) -> list[ContentError]:
    """The located problems one raised error carries, to collect with others."""
    return exc.errors if isinstance(exc, ContentErrors) else [exc]


def raise_if_any(errors: list[ContentError]) -> None:
    """Raise all collected errors at once, if there are any."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ContentErrors(errors)


class Problems:
    """Collects the problems of a build's reading steps, to report them all at once."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []
        self.warnings: list[ContentWarning] = []

    def add(self, exc: ContentError | ContentErrors) -> None:
        """Note every located problem a raised error carries."""
        self.errors.extend(each_error(exc))

    def warn(self, path: str, line: int, message: str) -> None:
        """Note a suspicious spot that does not stop the build (unless it is strict)."""
        self.warnings.append(ContentWarning(path, line, message))

    def raise_if_any(self, *, strict: bool = False) -> None:
        """Raise every error at once; with `strict` and no errors, raise the warnings."""
        raise_if_any(self.errors)
        if strict:
            raise_if_any([warning.as_error() for warning in self.warnings])
