"""JSON-ready views of classifications, obligation calendars and impacts, and pack versions
and their differences: what the API answers, the CLI prints with --json and the pages show."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from charter.frameworks.domain.classification import Classification, as_plain
from charter.frameworks.domain.impact import Answerable, Due, Shift
from charter.frameworks.domain.packs import Pack
from charter.frameworks.domain.versions import PackDiff, versions
from charter.frameworks.services import Calendar, Impact


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _who(a: Answerable) -> dict[str, Any]:
    return {"person_id": a.person_id, "name": a.name, "basis": a.basis}


def preview(system_id: str, answers: Any, result: Classification) -> dict[str, Any]:
    """A dry run's answer: the result, marked as not recorded."""
    return {"system_id": system_id, "answers": answers, "dry_run": True, **as_plain(result)}


def due(item: Due) -> dict[str, Any]:
    o = item.obligation
    return {
        "on": item.on.isoformat(),
        "system_id": item.system_id,
        "system": item.system_name,
        "obligation": o.id,
        "title": o.title,
        "role": o.role,
        "ground": o.ground,
        "uncertain": o.uncertain,
        "uncertain_because": o.uncertain_because,
        "answerable": _who(item.answerable),
    }


def calendar(found: Calendar) -> dict[str, Any]:
    items = [due(d) for d in found.items]
    return {"items": items, "total": len(items), "stale": found.stale}


def _shift(s: Shift) -> dict[str, Any]:
    return {
        "obligation": s.id,
        "title": s.title,
        "role": s.role,
        "ground": s.ground,
        "change": s.change,
        "before": _day(s.before),
        "after": _day(s.after),
        "answerable": _who(s.answerable),
    }


def impact(found: list[Impact]) -> dict[str, Any]:
    items = [
        {
            "system_id": i.system_id,
            "system": i.system_name,
            "before": i.before,
            "after": i.after,
            "changes": [_shift(s) for s in i.shifts],
            "stale": i.stale,
        }
        for i in found
    ]
    changed = sum(1 for i in items if i["changes"] or i["stale"])
    return {"items": items, "total": len(items), "systems_changed": changed}


def pack_versions(pack: Pack) -> list[dict[str, Any]]:
    return [{"version": v.label, "effective": _day(v.effective)} for v in versions(pack)]


def pack_row(pack: Pack) -> dict[str, Any]:
    """A pack in a list: its size and its versions with the day each took effect."""
    return {
        "id": pack.id,
        "title": pack.title,
        "nature": pack.nature,
        "requirements": len(pack.requirements),
        "versions": pack_versions(pack),
    }


def versions_line(pack: Pack) -> str:
    return ", ".join(f"{v.label} ({_day(v.effective) or 'undated'})" for v in versions(pack))


def pack_diff(found: PackDiff) -> dict[str, Any]:
    def listed(changes: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [asdict(c) for c in changes]

    return {
        "old": found.old,
        "new": found.new,
        "added": listed(found.added),
        "removed": listed(found.removed),
        "changed": listed(found.changed),
    }
