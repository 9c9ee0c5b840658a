"""Answers to the EU AI Act questionnaire, checked against the questions (data/packs/
eu-ai-act-classification.yaml, `questions`): each answer's type and value, whatever branch
the procedure later takes, and the answers that contradict one another. Every problem is
found before any is reported, so one refusal lists them all."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from charter.kernel.errors import InvalidInput

ROLES = ("provider", "deployer", "importer", "distributor")
TEXT_LIMIT = 200
ANSWERS_LIMIT = 256 * 1024  # bytes: answers are a few hundred; a file or a request alike


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str


def _points(data: Mapping[str, Any], key: str, of: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        return [f"answer '{key}' must be a list"]
    known = data[of]
    unknown = [str(v) for v in value if str(v) not in known]
    out = []
    if unknown:
        out.append(
            f"answer '{key}': unknown point(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    if len({str(v) for v in value}) != len(value):
        out.append(f"answer '{key}' names a point twice")
    return out


def _roles(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        return [
            "answer 'roles' must be a non-empty list of provider, deployer, importer, distributor"
        ]
    unknown = [str(v) for v in value if v not in ROLES]
    if unknown:
        return [f"answer 'roles': unknown role(s) {', '.join(unknown)}; known: {', '.join(ROLES)}"]
    if len(set(value)) != len(value):
        return ["answer 'roles' names a role twice"]
    return []


def _number(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return [f"answer '{key}' must be a number, not {value!r}"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [f"answer '{key}' must be a number"]
    if not math.isfinite(value) or value < 0:
        return [f"answer '{key}' must be a number of at least 0"]
    return []


def _flag(key: str, value: Any) -> list[str]:
    return [] if isinstance(value, bool) else [f"answer '{key}' must be true or false"]


def _text(key: str, value: Any) -> list[str]:
    ok = isinstance(value, str) and 0 < len(value.strip()) <= TEXT_LIMIT
    return [] if ok else [f"answer '{key}' must be a name of 1 to {TEXT_LIMIT} characters"]


def _choice(data: Mapping[str, Any], key: str, kind: str, of: str, value: Any) -> list[str]:
    if kind == "role":
        ok, wrong = value in ROLES, f"answer 'role': {', '.join(ROLES[:-1])} or {ROLES[-1]}"
    elif kind == "schedule":
        ok, wrong = (
            value in data["schedules"],
            f"answer 'schedule': {' or '.join(data['schedules'])}",
        )
    else:
        ok, wrong = value in data[of], f"answer '{key}': one of {', '.join(data[of])}"
    return [] if ok else [wrong]


def _one(data: Mapping[str, Any], key: str, value: Any) -> list[str]:
    """What is wrong with one answer (its type and value), if anything."""
    question = data["questions"][key]
    kind = question["kind"]
    if value is None and kind in ("choice", "number", "text"):
        return []  # asked, and left unanswered: nothing claimed
    simple = {"flag": _flag, "number": _number, "text": _text}
    if kind in simple:
        return simple[kind](key, value)
    if kind == "points":
        return _points(data, key, question["of"], value)
    if kind == "roles":
        return _roles(value)
    return _choice(data, key, kind, str(question.get("of") or ""), value)


def given(value: Any) -> bool:
    """Whether an answer says something: true, a non-empty list or name, a number."""
    if isinstance(value, bool):
        return value
    if isinstance(value, list | str):
        return bool(value)
    return value is not None


_UNMET = {
    "not_false": "answer '{key}' contradicts '{other}: false'",
    "true": "answer '{key}' applies only when '{other}' is true",
    "nonempty": "answer '{key}' applies only when '{other}' names at least one point",
}


def _holds(want: str, found: Any) -> bool:
    if want == "not_false":
        return found is not False
    if want == "true":
        return found is True
    return isinstance(found, list) and bool(found)  # nonempty


def unmet(data: Mapping[str, Any], key: str, answers: Mapping[str, Any]) -> list[str]:
    """What the answers say against the question's needs (the interactive questionnaire
    skips a question with any; an answer given to it contradicts them)."""
    needs = (data["questions"].get(key) or {}).get("needs") or {}
    return [
        _UNMET[want].format(key=key, other=other)
        for other, want in needs.items()
        if not _holds(want, answers.get(other))
    ]


def _contradictions(data: Mapping[str, Any], answers: Mapping[str, Any]) -> list[Problem]:
    """Answers given although the answers they need say otherwise."""
    return [
        Problem(key, message)
        for key, value in answers.items()
        if given(value)
        for message in unmet(data, key, answers)
    ]


def oversized(answers: Any) -> list[Problem]:
    """Answers over ANSWERS_LIMIT as compact JSON (the limit an answers file has on the
    command line, so that no way in takes more), refused before anything else is checked."""
    text = json.dumps(answers, ensure_ascii=False, separators=(",", ":"), default=str)
    size = len(text.encode("utf-8"))
    if size <= ANSWERS_LIMIT:
        return []
    return [
        Problem(
            "answers",
            f"the answers take {size} bytes as JSON; answers are at most 256 KB "
            f"({ANSWERS_LIMIT} bytes)",
        )
    ]


def problems(data: Mapping[str, Any], answers: Any) -> list[Problem]:
    """Everything wrong with the answers, in the questions' order (answers over the size
    limit are refused for that alone)."""
    if not isinstance(answers, Mapping):
        return [Problem("answers", "answers must be a mapping of question -> answer")]
    too_large = oversized(answers)
    if too_large:
        return too_large
    questions = data["questions"]
    unknown = sorted(str(k) for k in answers if k not in questions)
    out = [Problem(unknown[0], f"unknown answer(s): {', '.join(unknown)}")] if unknown else []
    for key in questions:
        if key in answers:
            out += [Problem(key, m) for m in _one(data, key, answers[key])]
    if "role" in answers and "roles" in answers:
        out.append(Problem("role", "give 'role' or 'roles', not both"))
    return out + _contradictions(data, answers)


def check(data: Mapping[str, Any], answers: Any) -> None:
    """Refuse answers with any problem, naming every one."""
    refuse(problems(data, answers))


def refuse(found: list[Problem]) -> None:
    """One refusal that names every problem, if there is any."""
    if not found:
        return
    listed = "; ".join(p.message for p in found)
    head = (
        "1 problem in the answers" if len(found) == 1 else f"{len(found)} problems in the answers"
    )
    raise InvalidInput(
        f"{head}: {listed}",
        details={
            "field": found[0].field,
            "errors": [{"loc": ["answers", p.field], "msg": p.message} for p in found],
        },
    )


def check_one(
    data: Mapping[str, Any], answers: Mapping[str, Any], key: str, value: Any
) -> list[str]:
    """What is wrong with one more answer given after `answers` (the interactive
    questionnaire checks each as it is given)."""
    if key not in data["questions"]:
        return [f"unknown answer: {key}"]
    return _one(data, key, value) or (unmet(data, key, answers) if given(value) else [])
