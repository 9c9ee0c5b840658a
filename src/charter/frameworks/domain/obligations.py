"""The obligations a classification brings: the rules of the classification data
(`obligations`) matched against what the procedure found, each obligation dated by its own
ground under the chosen schedule and tagged with the role it binds.

A rule binds some roles, on some ground (every AI system the Act reaches; each high-risk
ground; the Art. 6(3) derogation; an Art. 50 case; a general-purpose AI model), under facts
given as alternatives of which any suffices, each a set of facts that must all hold."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Obligation:
    id: str
    title: str
    role: str  # provider, deployer, importer, distributor, gpai_provider
    ground: str  # system, annex_i, annex_iii, derogation, transparency, gpai, prohibited
    applies_from: date | None  # None: no date in this schedule
    in_force: bool  # on the day of classification
    uncertain: bool
    uncertain_because: str = ""  # which amendment or guidance it rests on
    activity: str = ""  # the RACI activity whose Accountable person answers for it


@dataclass(frozen=True, slots=True)
class Found:
    """What the procedure found that the rules read."""

    roles: tuple[str, ...]
    grounds: tuple[str, ...]  # the high-risk grounds with duties: annex_i, annex_iii
    system: bool  # an AI system the Act's duties reach (not prohibited, not excluded)
    derogated: bool  # Annex III, not high-risk under Art. 6(3)
    cases: tuple[str, ...]  # Art. 50 cases
    gpai: bool  # the organisation provides a general-purpose AI model
    facts: Mapping[str, Any]  # answer flags and derived facts; annex_iii: the points


@dataclass(frozen=True, slots=True)
class Dating:
    """The chosen schedule: dates by key, the unsettled keys, and the day of classification."""

    schedule: str
    dates: Mapping[str, str | None]
    unsettled: Mapping[str, str]  # date key -> reason
    reasons: Mapping[str, str]  # reason key -> text
    today: date

    def when(self, key: str) -> date | None:
        raw = self.dates.get(key)
        return date.fromisoformat(raw) if raw else None


def _area(point: str) -> str:
    return point.split(".", maxsplit=1)[0]


def holds(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether every fact of one alternative holds."""
    points: Sequence[str] = facts.get("annex_iii") or ()
    for key, want in condition.items():
        if key == "annex_iii_outside":
            ok = any(_area(p) not in want for p in points)
        elif key == "annex_iii_any":
            ok = any(p in want for p in points)
        elif key == "annex_iii_areas":
            ok = any(_area(p) in want for p in points)
        else:
            ok = bool(facts.get(key, False)) == want
        if not ok:
            return False
    return True


def _grounds(rule: Mapping[str, Any], found: Found) -> list[str]:
    on = rule["kind"]
    if on == "high":
        allowed = rule.get("grounds") or found.grounds
        return [g for g in found.grounds if g in allowed]
    wanted = {
        "system": found.system,
        "derogation": found.derogated and found.system,
        "transparency": found.system and rule.get("case") in found.cases,
        "gpai": found.gpai,
    }
    return [on] if wanted[on] else []


def _date_key(rule: Mapping[str, Any], ground: str, facts: Mapping[str, Any]) -> str:
    key = str(rule["from"])
    if key == "ground":
        key = ground
    for flag, other in (rule.get("from_if") or {}).items():
        if facts.get(flag):
            key = str(other)
    return key


def _reasons(rule: Mapping[str, Any], key: str, dating: Dating) -> list[str]:
    named = rule.get("uncertain")
    if isinstance(named, Mapping):
        named = named.get(dating.schedule)
    keys = [k for k in (named, dating.unsettled.get(key)) if k]
    return [dating.reasons[k] for k in dict.fromkeys(keys)]


def dated(
    oid: str, title: str, role: str, ground: str, key: str, reasons: list[str], dating: Dating,
    activity: str = "",
) -> Obligation:  # fmt: skip
    """An obligation dated by its date key in the schedule."""
    when = dating.when(key)
    return Obligation(
        oid, title, role, ground, when, when is not None and when <= dating.today,
        bool(reasons), "; ".join(reasons), activity,
    )  # fmt: skip


def _matches(rule: Mapping[str, Any], found: Found) -> Iterator[tuple[str, str]]:
    for role in rule["roles"]:
        if role not in found.roles:
            continue
        for ground in _grounds(rule, found):
            alternatives = rule.get("when") or [{}]
            if any(holds(a, found.facts) for a in alternatives):
                yield role, ground


def obligations(
    rules: Sequence[Mapping[str, Any]], found: Found, dating: Dating
) -> list[Obligation]:
    """Every rule's obligation for each role held and each ground it applies on."""
    out = []
    for rule in rules:
        for role, ground in _matches(rule, found):
            key = _date_key(rule, ground, found.facts)
            reasons = _reasons(rule, key, dating)
            activity = str(rule.get("activity") or "")
            out.append(
                dated(rule["id"], rule["title"], role, ground, key, reasons, dating, activity)
            )
    return out
