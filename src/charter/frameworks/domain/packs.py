"""Framework packs and compliance readiness.

A pack lists a framework's requirements, who they bind and from when. Readiness asks, per
system and pack: which requirements apply (by the system's classification, operator role
and tags), which are satisfied and by what (a satisfied policy requirement that cites the
requirement, or the recorded classification for the Act's screening duties), which are
open, and which do not apply yet. One piece of evidence counts for every requirement, in
every pack, that the policy requirement it satisfies cites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from charter.inventory.domain import AISystem

ROLE_ALIASES = {
    "all_operators": {"provider", "deployer"},  # Art. 4 binds providers and deployers
    "gpai_provider": {"provider"},
    "gpai_systemic_provider": {"provider"},
    "product_manufacturer": {"provider"},
    "authorised_representative": {"provider"},
    "public_service_deployer": {"deployer"},
    "public_authority_deployer": {"deployer"},
}
ANNEX_I_START = "high_risk_annex_i"  # the schedules' date for the Annex I ground
ACT_ROLES = {"provider", "deployer", "importer", "distributor"} | set(ROLE_ALIASES)


@dataclass(frozen=True, slots=True)
class PackRequirement:
    id: str
    title: str
    scope: str
    binds: tuple[str, ...] = ()
    starts: str | None = None
    uncertain: bool = False
    part_of: str | None = None
    case: str | None = None
    citation: str = ""
    evidence: tuple[str, ...] = ()  # what an assessor would look for (hints)
    effective: date | None = None  # the item's own effective date, over the pack's
    #: schedule -> the title and citation it reads with in that version of the text
    by_schedule: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def reads(self, schedule: str | None) -> tuple[str, str]:
        """Its title and citation in that version of the text."""
        own = self.by_schedule.get(schedule or "") or {}
        return own.get("title", self.title), own.get("citation", self.citation)


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    title: str
    nature: str
    requirements: tuple[PackRequirement, ...]
    schedules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    version: str = ""
    effective: date | None = None  # the day this version of the framework took effect
    #: ids whose application the classification's obligation rules decide, system by system
    decided: frozenset[str] = frozenset()

    def ids(self) -> set[str]:
        return {r.id for r in self.requirements}

    def start(
        self, req: PackRequirement, schedule: str | None, grounds: Sequence[str] = ()
    ) -> tuple[date | None, bool]:
        """When the requirement applies from in that schedule (without schedules: its own or
        the pack's effective date), and whether that is uncertain. A high-risk duty of a
        system high-risk on the Annex I ground only applies from that ground's date."""
        if not self.schedules:
            return req.effective or self.effective, False
        plan = self.schedules.get(schedule or "") or {}
        key = req.starts or ""
        if key == "high_risk" and "annex_i" in grounds and "annex_iii" not in grounds:
            key = ANNEX_I_START
        raw = (plan.get("starts") or {}).get(key)
        uncertain = bool(plan.get("uncertain")) and req.starts in ("high_risk", "new_prohibitions")
        return (date.fromisoformat(raw) if raw else None), uncertain

    def has(self, req: PackRequirement, schedule: str | None) -> bool:
        """Whether the requirement is in that version of the text (its date is not null)."""
        starts = (self.schedules.get(schedule or "") or {}).get("starts") or {}
        return not (req.starts in starts and starts[req.starts] is None)

    def in_force(self, today: date) -> str | None:
        """The schedule in force on that day: the one that took effect last, by then."""
        began = {
            name: date.fromisoformat(str(plan["effective"]))
            for name, plan in self.schedules.items()
            if plan.get("effective")
        }
        due = [name for name, day in began.items() if day <= today]
        return max(due, key=lambda n: began[n]) if due else None


def parse_pack(raw: Mapping[str, Any]) -> Pack:
    """A pack from a mapping that passed the JSON Schema."""
    reqs = tuple(
        PackRequirement(
            str(r["id"]),
            str(r["title"]),
            str(r["scope"]),
            tuple(str(b) for b in r.get("binds") or ()),
            r.get("starts"),
            bool(r.get("uncertain")),
            r.get("part_of"),
            r.get("case"),
            str(r.get("citation") or ""),
            tuple(str(e) for e in r.get("evidence") or ()),
            _day(r.get("effective")),
            dict(r.get("by_schedule") or {}),
        )
        for r in raw["requirements"]
    )
    return Pack(
        str(raw["id"]), str(raw["title"]), str(raw.get("nature", "")), reqs,
        dict(raw.get("schedules") or {}), str(raw.get("version") or ""), _day(raw.get("effective")),
    )  # fmt: skip


def _day(raw: Any) -> date | None:
    return None if raw is None else date.fromisoformat(str(raw))


@dataclass(frozen=True, slots=True)
class SystemStanding:
    """What readiness knows of one system."""

    system: AISystem
    tier: str | None  # the latest classification's tier; None: not classified
    transparency: tuple[str, ...] = ()
    gpai: str | None = None
    classification_id: str | None = None
    satisfied_by: Mapping[str, Sequence[str]] = field(default_factory=dict)  # cited id -> bases
    roles: tuple[str, ...] = ()  # the classification's roles; none: the system's operator role
    derogated: bool = False  # classified Annex III, not high-risk under Art. 6(3)
    owed: frozenset[str] | None = None  # the obligations the classification lists, by id
    grounds: tuple[str, ...] = ()  # the classification's high-risk grounds


def standing(
    system: AISystem,
    tier: str | None,
    result: Mapping[str, Any],
    classification_id: str | None,
    satisfied_by: Mapping[str, Sequence[str]],
) -> SystemStanding:
    """What readiness knows of a system from its latest classification (its plain result)."""
    duties = result.get("obligations") or ()
    return SystemStanding(
        system, tier, tuple(result.get("transparency") or ()), result.get("gpai"),
        classification_id, satisfied_by, tuple(str(r["role"]) for r in result.get("roles") or ()),
        any(o.get("ground") == "derogation" for o in duties),
        frozenset(str(o["id"]) for o in duties) if tier is not None else None,
        tuple(str(g) for g in result.get("grounds") or ()),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    id: str
    title: str
    status: str  # satisfied, open, not_yet, not_applicable
    basis: tuple[str, ...] = ()
    applies_from: date | None = None
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class PackReadiness:
    pack_id: str
    system_id: str
    items: tuple[RequirementStatus, ...]
    system_name: str = ""

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def applicable(self) -> int:
        return sum(1 for i in self.items if i.status in ("satisfied", "open", "not_yet"))


def _binds(req: PackRequirement, roles: Sequence[str]) -> bool:
    acts = [b for b in req.binds if b in ACT_ROLES]
    if not acts:
        return True  # organisation, controller, employer, ...: whoever adopts the pack
    return any(role == b or role in ROLE_ALIASES.get(b, ()) for b in acts for role in roles)


#: tags that put a system in a pack scope that the classification does not decide
SCOPE_TAGS = {
    "genai": {"genai", "generates-content", "vendor-llm"},
    "personal_data": {"personal-data", "decides-on-people", "profiling"},
    "aedt": {"aedt", "nyc-ll144"},
}


def _in_scope(req: PackRequirement, s: SystemStanding) -> bool:
    scope = req.scope
    if scope == "organisation":
        return True
    if scope == "reference":
        return False  # cited (Annex III points, penalties, definitions), never a duty
    if scope in SCOPE_TAGS:
        return not SCOPE_TAGS[scope].isdisjoint(s.system.tags)
    checks = {
        "all": True,
        "high": s.tier == "high",
        "derogation": s.derogated,  # the Art. 6(3) route: only for a system that took it
        "transparency": req.id in s.transparency,
        "gpai": s.gpai in ("gpai", "gpai_systemic"),
        "gpai_systemic": s.gpai == "gpai_systemic",
    }
    return s.tier != "out_of_scope" and checks.get(scope, False)


def _screening(req: PackRequirement, s: SystemStanding) -> tuple[str, ...]:
    """The Act's classification steps and Art. 5 screening are met by a recorded
    classification that did not find the practice."""
    if s.classification_id is None or s.tier == "prohibited":
        return ()
    if req.id.startswith(("EUAIA.CLS.", "EUAIA.ART5.")):
        return (f"classification {s.classification_id}",)
    return ()


def _deciders(pack: Pack) -> dict[str, set[str]]:
    """For each requirement, the obligation rules that decide whether it applies: its own,
    else the one it is part of, else those of its parts (Art. 49 by Arts. 49(1)-(5))."""
    parts: dict[str, set[str]] = {}
    for req in pack.requirements:
        if req.part_of and req.id in pack.decided:
            parts.setdefault(req.part_of, set()).add(req.id)
    out = {}
    for r in pack.requirements:
        own = next((i for i in (r.id, r.part_of) if i in pack.decided), None)
        out[r.id] = {own} if own else parts.get(r.id, set())
    return out


def _brought(deciders: set[str], s: SystemStanding) -> bool:
    """Whether the classification brings the duty (always, when no rule decides it)."""
    return s.owed is None or not deciders or not deciders.isdisjoint(s.owed)


def readiness(
    pack: Pack, s: SystemStanding, today: date, schedule: str | None = None
) -> PackReadiness:
    """Each requirement's status on the schedule given, by default the one in force: it
    applies when in the system's scope, binding a role held and, where the classification's
    rules decide it (Art. 27 only for some deployers, Art. 22 only for providers outside
    the Union, ...), listed among the classification's obligations."""
    schedule = schedule or pack.in_force(today)
    roles = s.roles or (s.system.operator_role.value,)
    deciders = _deciders(pack)
    items = []
    for req in pack.requirements:
        start, late = pack.start(req, schedule, s.grounds)
        uncertain = req.uncertain or late
        title = req.reads(schedule)[0]
        applies = _in_scope(req, s) and _binds(req, roles) and _brought(deciders[req.id], s)
        if not (applies and pack.has(req, schedule)):
            items.append(RequirementStatus(req.id, title, "not_applicable", (), start, uncertain))
            continue
        basis = tuple(s.satisfied_by.get(req.id, ())) + _screening(req, s)
        if basis:
            status = "satisfied"
        elif start is not None and start > today:
            status = "not_yet"
        else:
            status = "open"
        items.append(RequirementStatus(req.id, title, status, basis, start, uncertain))
    return PackReadiness(pack.id, s.system.id, tuple(items), s.system.name)


def rollup(items: Sequence[PackReadiness]) -> dict[str, dict[str, int]]:
    """The organisation's roll-up per pack: systems, and requirements applicable, satisfied,
    open and not yet applicable, summed over the systems."""
    out: dict[str, dict[str, int]] = {}
    for r in items:
        total = out.setdefault(
            r.pack_id, {"systems": 0, "applicable": 0, "satisfied": 0, "open": 0, "not_yet": 0}
        )
        total["systems"] += 1
        total["applicable"] += r.applicable
        for status in ("satisfied", "open", "not_yet"):
            total[status] += r.count(status)
    return out
