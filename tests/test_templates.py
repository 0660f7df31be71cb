"""The templates' Jinja environment reads a view's keys as Jinja would, only sooner."""

from __future__ import annotations

import jinja2
import pytest

from paperdigest.render.templates import Environment


def render(source: str, **context: object) -> str:
    return Environment(undefined=jinja2.StrictUndefined).from_string(source).render(context)


def test_a_dicts_keys_read_as_attributes_and_its_methods_stay() -> None:
    view = {"title": "A", "items": "its own items"}
    assert render("{{ v.title }}|{{ v.items }}|{{ v.keys()|list }}", v=view) == (
        "A|its own items|['title', 'items']"
    )
    assert render("{{ v.values()|list }}", v={"a": 1}) == "[1]"


def test_objects_read_as_in_jinja_and_a_missing_key_is_still_an_error() -> None:
    class View:
        title = "B"

    assert render("{{ v.title }}", v=View()) == "B"
    with pytest.raises(jinja2.UndefinedError):
        render("{{ v.missing }}", v={"title": "A"})
