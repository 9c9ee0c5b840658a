"""The EU AI Act questionnaire one question at a time (the web UI's steps): which questions
the answers so far open, in the order of the classification data; the next one to answer;
an answer as a form gives it (strings), typed and checked as answered; and the draft that
keeps the answers between visits. A draft is not a classification: nothing is classified
until its answers are submitted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from charter.frameworks.domain.answers import ROLES, check_one, given, unmet
from charter.kernel.errors import InvalidInput

NONE = "none"  # the form's value for "none of these" (points) and "none applies" (choice)


@dataclass(frozen=True, slots=True)
class Draft:
    """The answers given so far to a system's questionnaire (its id is the system's)."""

    id: str
    answers: dict[str, Any]
    started_at: datetime
    started_by: str
    updated_at: datetime
    updated_by: str


def kept(data: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to the questions they still open, in order: an answer that closes a later
    question (annex_i_product changed to no) drops the answer given to it."""
    out: dict[str, Any] = {}
    for key, question in data["questions"].items():
        if key in answers and not question.get("legacy") and not unmet(data, key, out):
            out[key] = answers[key]
    return out


def open_questions(data: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    """The questions to ask given the answers so far, in order (legacy ones never)."""
    held = kept(data, answers)
    return [
        key
        for key, question in data["questions"].items()
        if not question.get("legacy") and not unmet(data, key, held)
    ]


def next_question(data: Mapping[str, Any], answers: Mapping[str, Any]) -> str | None:
    """The first open question not answered yet; None when every open one is."""
    return next((k for k in open_questions(data, answers) if k not in answers), None)


def submitted(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as classification takes them: those that say something, and every no."""
    return {k: v for k, v in answers.items() if given(v) or v is False}


def _one_of(key: str, raw: Sequence[str], known: Sequence[str], what: str) -> str:
    if len(raw) != 1 or raw[0] not in known:
        raise InvalidInput(f"'{key}': choose {what}", details={"field": key})
    return raw[0]


def _points(key: str, raw: Sequence[str], known: Sequence[str]) -> list[str]:
    """Points ticked; "none of these" must be ticked alone, and something must be."""
    if not raw:
        raise InvalidInput(
            f"'{key}': tick the points that apply, or 'none of these'", details={"field": key}
        )
    if NONE in raw:
        if len(raw) > 1:
            raise InvalidInput(
                f"'{key}': 'none of these' was ticked with other points", details={"field": key}
            )
        return []
    return [p for p in known if p in raw] + [p for p in raw if p not in known]


def _scalar(kind: str, raw: Sequence[str]) -> Any:
    """A number or a name; left empty: unknown (None)."""
    text = raw[0] if len(raw) == 1 else ""
    if kind != "number" or not text:
        return text or None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return text  # refused by the check, with its reason


def typed(data: Mapping[str, Any], key: str, raw: Sequence[str]) -> Any:
    """An answer as the form sends it (the values of its field) in the question's type;
    refused when left unanswered (a number or a name may be left empty: unknown)."""
    question = data["questions"][key]
    kind = question["kind"]
    raw = [r.strip() for r in raw]
    if kind == "flag":
        return _one_of(key, raw, ("yes", "no"), "yes or no") == "yes"
    if kind == "schedule":
        return _one_of(key, raw, list(data["schedules"]), "one of the schedules")
    if kind == "choice":
        chosen = _one_of(key, raw, [*data[question["of"]], NONE], "one option, or 'none applies'")
        return None if chosen == NONE else chosen
    if kind in ("points", "roles"):
        known = list(ROLES) if kind == "roles" else list(data[question["of"]])
        return _points(key, [r for r in raw if r], known)
    return _scalar(kind, raw)


def check_answer(data: Mapping[str, Any], answers: Mapping[str, Any], key: str, value: Any) -> None:
    """Refuse an answer that is wrong in itself or against the answers before it."""
    if key not in open_questions(data, answers):
        raise InvalidInput(f"'{key}' is not a question these answers open", details={"field": key})
    wrong = check_one(data, kept(data, answers), key, value)
    if wrong:
        raise InvalidInput("; ".join(wrong), details={"field": key})
