"""Error types raised by the core; only the command line formats them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
        return f"{self.path}:{self.line}: {self.message}"

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
        return f"{self.path}:{self.line}: warning: {self.message}"

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
