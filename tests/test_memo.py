"""Remembered functions: each text worked out once, and results a cache gave back used."""

from __future__ import annotations

from paperdigest.memo import remembered


def test_a_remembered_function_works_each_text_out_once() -> None:
    calls: list[str] = []

    @remembered
    def shout(text: str) -> str:
        """Loud."""
        calls.append(text)
        return text.upper()

    assert [shout("a"), shout("b"), shout("a")] == ["A", "B", "A"]
    assert calls == ["a", "b"]
    assert shout.__doc__ == "Loud."
    assert shout.known_of(["b", "c"]) == {"b": "B"}
    shout.learn({"c": "given"})
    assert shout("c") == "given" and calls == ["a", "b"]
