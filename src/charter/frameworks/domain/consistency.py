"""What a schema cannot say about the classification data: that its names resolve (each
rule's date key in every schedule, each question's list, each Art. 50 case, each unsettled
reason, each answer a rule or question reads)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

DERIVED = {"ground"}  # `from: ground`: the date of the high-risk ground


def _date_keys(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for rule in data["obligations"]:
        yield rule["id"], rule["from"]
        for flag, key in (rule.get("from_if") or {}).items():
            yield rule["id"], key
            yield rule["id"], f"answer:{flag}"
    for point, item in data["prohibited"].items():
        yield f"Art. {point}", item["from"]


def _reasons(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for name, plan in data["schedules"].items():
        for key, reason in (plan.get("unsettled") or {}).items():
            yield f"schedule {name} ({key})", reason
    for rule in data["obligations"]:
        named = rule.get("uncertain") or {}
        for reason in [named] if isinstance(named, str) else named.values():
            yield rule["id"], reason
    for point, item in data["prohibited"].items():
        if item.get("uncertain"):
            yield f"Art. {point}", item["uncertain"]


def dangling(data: Mapping[str, Any]) -> list[str]:
    """Every name the data uses that it does not define."""
    out = []
    questions = data["questions"]
    for where, key in _date_keys(data):
        if key.startswith("answer:"):
            if key[7:] not in questions:
                out.append(f"{where}: no question {key[7:]!r}")
            continue
        missing = [n for n, s in data["schedules"].items() if key not in s["dates"]]
        if key not in DERIVED and missing:
            out.append(f"{where}: date key {key!r} missing from {', '.join(missing)}")
    out += [
        f"{w}: no unsettled reason {r!r}" for w, r in _reasons(data) if r not in data["unsettled"]
    ]
    for key, question in questions.items():
        if question.get("of") and question["of"] not in data:
            out.append(f"question {key}: no list {question['of']!r}")
        out += [
            f"question {key}: needs unknown {n!r}"
            for n in question.get("needs") or {}
            if n not in questions
        ]
    for rule in data["obligations"]:
        if rule["kind"] == "transparency" and rule.get("case") not in data["transparency"]:
            out.append(f"{rule['id']}: no Art. 50 case {rule.get('case')!r}")
    return out
