"""JSON texts parsed once per distinct text (charter.kernel.json_text), as a policy's source
is read by every gate (charter.kernel.store.kept_json)."""

from __future__ import annotations

import json

import pytest

from charter.kernel import json_text
from charter.kernel.json_text import parsed_once


def test_a_text_read_again_gives_the_value_parsed_the_first_time() -> None:
    text = json.dumps({"id": "p", "requirements": [{"min": 0.8}]})
    first = parsed_once(text)
    assert first == {"id": "p", "requirements": [{"min": 0.8}]}
    assert parsed_once("".join(text)) is first  # an equal text, another string object


def test_texts_equal_in_python_but_not_as_text_stay_apart() -> None:
    """(1 == True == 1.0 in Python; a policy's digest is of its text)"""
    values = [parsed_once(f'{{"blocking": {v}}}')["blocking"] for v in ("true", "1", "1.0")]
    assert [type(v) for v in values] == [bool, int, float]


def test_past_its_size_the_texts_kept_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_text, "KEPT_CHARS", 100)
    for n in range(50):
        parsed_once(f"[{n}]")
    assert json_text._Kept.chars <= 100
    assert sum(map(len, json_text._Kept.parsed)) == json_text._Kept.chars


def test_a_text_python_cannot_read_is_none() -> None:
    """(its readers then refuse it: a policy stands in, blocking, instead of every gate
    failing with an error)"""
    assert parsed_once("[" + "9" * 5000 + "]") is None
    assert parsed_once("[" * 100_000 + "]" * 100_000) is None
    assert parsed_once("{not json") is None
