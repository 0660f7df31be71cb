"""What the live site's feed holds: the rendered HTML of items that did not change."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from xml.etree import ElementTree


def live_feed_items(feed: Path, guids: Collection[str]) -> dict[str, str]:
    """The HTML of the live feed's items with these GUIDs, by GUID (none if unreadable)."""
    try:
        root = ElementTree.parse(feed).getroot()
    except (OSError, ElementTree.ParseError):
        return {}
    found = {}
    for item in root.iterfind("channel/item"):
        guid = item.findtext("guid") or ""
        if guid in guids:
            found[guid] = item.findtext("description") or ""
    return found
