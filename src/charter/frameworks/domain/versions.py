"""Pack versions, and what changed between two: regulatory change as data.

A pack with date schedules has one version per schedule (the EU AI Act: `original`, in
force from 1 August 2024, and `amended`, from 27 July 2026), each with the day it took
effect; an item whose date is null in a schedule does not exist in that version (the
prohibitions the Digital Omnibus added). A pack without schedules is one version, named by
its `version`. Two versions compare item by item: added, removed, and changed (title, scope,
who it binds, citation, date it applies from, uncertainty).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from charter.frameworks.domain.packs import Pack, PackRequirement
from charter.kernel.errors import InvalidInput, NotFound

COMPARED = (
    "title", "scope", "binds", "citation", "part_of", "applies_from", "applies_from_annex_i",
    "uncertain",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PackVersion:
    pack: Pack
    schedule: str | None = None  # None: a pack without schedules

    @property
    def label(self) -> str:
        return f"{self.pack.id}@{self.schedule or self.pack.version or 'current'}"

    @property
    def effective(self) -> date | None:
        if self.schedule is None:
            return self.pack.effective
        raw = self.pack.schedules[self.schedule].get("effective")
        return date.fromisoformat(str(raw)) if raw else None

    def items(self) -> dict[str, dict[str, Any]]:
        """Each item of this version as the fields compared, by id."""
        return {
            req.id: _fields(self.pack, req, self.schedule)
            for req in self.pack.requirements
            if self.pack.has(req, self.schedule)
        }


def _fields(pack: Pack, req: PackRequirement, schedule: str | None) -> dict[str, Any]:
    start, late = pack.start(req, schedule)
    annex_i = pack.start(req, schedule, ("annex_i",))[0] if req.starts == "high_risk" else None
    title, citation = req.reads(schedule)
    return {
        "title": title,
        "scope": req.scope,
        "binds": list(req.binds),
        "citation": citation,
        "part_of": req.part_of,
        "applies_from": start.isoformat() if start else None,
        "applies_from_annex_i": annex_i.isoformat() if annex_i else None,  # its own ground
        "uncertain": req.uncertain or late,
    }


def versions(pack: Pack) -> list[PackVersion]:
    """The pack's versions, oldest first."""
    if not pack.schedules:
        return [PackVersion(pack)]
    found = [PackVersion(pack, name) for name in pack.schedules]
    return sorted(found, key=lambda v: (v.effective or date.min, v.schedule or ""))


def pick(pack: Pack, which: str | None) -> PackVersion:
    """A version of the pack: a schedule's name, the pack's version string, or (None) the
    latest."""
    found = versions(pack)
    if which is None:
        return found[-1]
    for v in found:
        if which in (v.schedule, pack.version):
            return v
    names = ", ".join(v.label for v in found)
    raise InvalidInput(f"pack {pack.id} has no version {which!r}; it has {names}")


def find(packs: list[Pack] | tuple[Pack, ...], ref: str) -> PackVersion:
    """`ID` (the latest version) or `ID@VERSION` among the packs installed."""
    pack_id, _, which = ref.partition("@")
    pack = next((p for p in packs if p.id == pack_id), None)
    if pack is None:
        raise NotFound("pack", pack_id)
    return pick(pack, which or None)


@dataclass(frozen=True, slots=True)
class Change:
    id: str
    title: str
    fields: dict[str, tuple[Any, Any]]  # field -> (old, new); empty for added and removed


@dataclass(frozen=True, slots=True)
class PackDiff:
    old: str
    new: str
    added: tuple[Change, ...]
    removed: tuple[Change, ...]
    changed: tuple[Change, ...]


def diff(old: PackVersion, new: PackVersion) -> PackDiff:
    """The items added, removed and changed from one version to the other, in the new
    version's order (removed ones in the old's)."""
    before, after = old.items(), new.items()
    added = tuple(Change(i, after[i]["title"], {}) for i in after if i not in before)
    removed = tuple(Change(i, before[i]["title"], {}) for i in before if i not in after)
    changed = []
    for i, now in after.items():
        if i in before:
            fields = {k: (before[i][k], now[k]) for k in COMPARED if before[i][k] != now[k]}
            if fields:
                changed.append(Change(i, now["title"], fields))
    return PackDiff(old.label, new.label, added, removed, tuple(changed))
