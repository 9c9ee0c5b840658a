"""Obligations over time: the upcoming dates per system (a calendar), and what a change of
schedule or of the classification data changes in each system's obligations (impact), with
the person who answers for each: the RACI Accountable of the obligation's activity on that
system, else the system's owner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from charter.frameworks.domain.obligations import Obligation


@dataclass(frozen=True, slots=True)
class Answerable:
    person_id: str | None
    name: str
    basis: str  # "accountable for monitoring (RACI)", "system owner", "nobody named"


@dataclass(frozen=True, slots=True)
class Accountability:
    """Who answers for what on one system: Accountable per RACI activity, and its owner."""

    accountable: Mapping[str, str]  # activity -> person id
    owner_id: str | None
    names: Mapping[str, str]  # person id -> name

    def of(self, activity: str) -> Answerable:
        person = self.accountable.get(activity)
        if person:
            name = self.names.get(person, person)
            return Answerable(person, name, f"accountable for {activity} (RACI)")
        if self.owner_id:
            return Answerable(
                self.owner_id, self.names.get(self.owner_id, self.owner_id), "system owner"
            )
        return Answerable(None, "", "nobody named")


@dataclass(frozen=True, slots=True)
class Due:
    on: date
    system_id: str
    system_name: str
    obligation: Obligation
    answerable: Answerable


def upcoming(
    system: tuple[str, str], duties: Sequence[Obligation], who: Accountability, today: date,
    until: date | None,
) -> list[Due]:  # fmt: skip
    """The obligations that apply from a day after `today` (up to `until`), each with who
    answers for it."""
    return [
        Due(o.applies_from, system[0], system[1], o, who.of(o.activity))
        for o in duties
        if o.applies_from is not None
        and o.applies_from > today
        and (until is None or o.applies_from <= until)
    ]


Key = tuple[str, str, str]  # id, role, ground


@dataclass(frozen=True, slots=True)
class Shift:
    id: str
    title: str
    role: str
    ground: str
    change: str  # added, removed, date
    before: date | None
    after: date | None
    answerable: Answerable


def _day(raw: Any) -> date | None:
    return date.fromisoformat(str(raw)) if raw else None


def _recorded(result: Mapping[str, Any]) -> dict[Key, Mapping[str, Any]]:
    """The recorded obligations by key; those recorded before roles and grounds were kept
    (one role) get the result's role and no ground."""
    out = {}
    for o in result.get("obligations") or []:
        out[(o["id"], o.get("role") or result.get("role") or "", o.get("ground") or "")] = o
    return out


def _match(key: Key, before: Mapping[Key, Mapping[str, Any]]) -> Key | None:
    if key in before:
        return key
    legacy = (key[0], key[1], "")
    return legacy if legacy in before else None


def shifts(
    result: Mapping[str, Any], now: Sequence[Obligation], who: Accountability
) -> list[Shift]:
    """What changes from the recorded result to the obligations found now."""
    before = _recorded(result)
    out, matched = [], set()
    for o in now:
        key = _match((o.id, o.role, o.ground), before)
        answerable = who.of(o.activity)
        if key is None:
            out.append(
                Shift(o.id, o.title, o.role, o.ground, "added", None, o.applies_from, answerable)
            )
            continue
        matched.add(key)
        was = _day(before[key].get("applies_from"))
        if was != o.applies_from:
            out.append(
                Shift(o.id, o.title, o.role, o.ground, "date", was, o.applies_from, answerable)
            )
    for key, gone in before.items():
        if key not in matched:
            who_then = who.of(str(gone.get("activity") or ""))
            day = _day(gone.get("applies_from"))
            id_, role, ground = key
            out.append(Shift(id_, gone["title"], role, ground, "removed", day, None, who_then))
    return out
