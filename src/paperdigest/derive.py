"""Derive: what the build works out from the whole library before it plans any output.

Nothing yet; topics and related papers are worked out here, so that every page can show
them and their keys include them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import SiteConfig
from .model import Library


@dataclass(frozen=True, slots=True)
class Derived:
    """What the library as a whole gives each paper and page beyond its own listings."""


def derive(library: Library, site: SiteConfig) -> Derived:
    """Work out what needs the whole library."""
    return Derived()
