"""Hugging Face daily-papers records in the shape `/api/daily_papers?date=D` returns.

The fields and their forms follow the public API as real clients and archives show it
(see the README's "Hugging Face daily papers"): an outer object with the listing's own
fields, and `paper` with the arXiv ID, title (arXiv's line wraps kept), abstract, authors
(`hidden` set when an author hid the paper), dates in ISO 8601 UTC, and counts.
"""

from __future__ import annotations

import json
from typing import Any


def hf_record(
    arxiv_id: str,
    title: str,
    summary: str = "We study a problem. We solve it.",
    *,
    day: str | None = "2025-07-15",
    authors: list[str] | None = None,
    hidden: tuple[str, ...] = (),
    upvotes: int = 12,
    comments: int = 3,
    github: str | None = None,
    stars: int | None = None,
    project: str | None = None,
    **paper_fields: Any,
) -> dict[str, Any]:
    """One record: what the API returns for one paper listed on `day`."""
    names = authors if authors is not None else ["Mingxian Lin", "Wei Huang"]
    paper: dict[str, Any] = {
        "id": arxiv_id,
        "authors": [
            {"_id": f"6875d6e7257d4f04353705b{n:x}", "name": name, "hidden": name in hidden}
            for n, name in enumerate(names)
        ],
        "publishedAt": "2025-07-14T17:59:46.000Z",
        "title": title,
        "summary": summary,
        "upvotes": upvotes,
        "discussionId": "6875d6e7257d4f04353705be",
        "ai_summary": "A one-sentence summary.",
        "ai_keywords": ["vision-language models", "embodied reasoning"],
    }
    if day is not None:
        paper["submittedOnDailyAt"] = f"{day}T03:13:21.491Z"
        paper["submittedOnDailyBy"] = {"_id": "656db3f5", "fullname": "Wei Huang", "user": "wh"}
    if github is not None:
        paper |= {"githubRepo": github, "githubRepoAddedBy": "user"}
    if stars is not None:
        paper["githubStars"] = stars
    if project is not None:
        paper["projectPage"] = project
    paper |= paper_fields
    return {
        "paper": paper,
        "publishedAt": "2025-07-14T13:59:46.000Z",
        "title": title,
        "summary": summary,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png",
        "numComments": comments,
        "submittedBy": {"_id": "656db3f5", "name": "wh", "fullname": "Wei Huang", "type": "user"},
        "isAuthorParticipating": False,
    }


def hf_day(*records: dict[str, Any]) -> str:
    """A day file as the API returns it (indented, as a saved response usually is)."""
    return json.dumps(list(records), indent=2, ensure_ascii=False) + "\n"
