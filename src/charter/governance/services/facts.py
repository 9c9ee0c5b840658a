"""What gates read, for one system or many, in one statement per kind of fact: the policies in
force, evidence, documents, waivers, RACI, roles, model versions, training, names, evidence
under review and, when a policy in force asks, the risk register's judgement of the systems'
risks (given the facts already read, so it reads none of them again)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from charter.accountability.domain.org import Person
from charter.accountability.domain.raci import Finding, RaciEntry, validate_raci
from charter.governance.domain.gates import GateFacts, Plugin
from charter.governance.domain.integrity import (
    POLICY_STATES,
    mismatch,
    off_record,
    stand_in,
    unmatched,
)
from charter.governance.domain.policy import Kind, Policy, PolicyRecord, parse_policy
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.domain.waivers import Document, Waiver
from charter.governance.ports import UnitOfWork
from charter.inventory.domain import AISystem
from charter.kernel.json_text import parsed_once
from charter.kernel.roles import RoleAssignment, RoleKind
from charter.people.domain.talent import Completion, Course
from charter.validation.domain.evidence import Evidence

#: the newest evidence of a system a gate (and the risk register's check controls) reads
EVIDENCE_PER_SYSTEM = 50


#: stored policies as parsed, by digest (the SHA-256 of the canonical source, which
#: parse_policy computes), each with the source it was parsed from: kept only when that
#: source has the digest its row names, served only to a row with that very source
_PARSED: dict[str, tuple[Any, Policy]] = {}
PARSED_KEPT = 512


def parsed(record: PolicyRecord) -> Policy:
    """A stored policy, parsed from its source once per content: a row read again is
    compared with the source kept (not serialised and hashed again to find it). A row whose
    source does not hash to its digest column, or no longer parses, is never enforced as
    written: it stands in as `unmatched`, blocking every gate with a finding naming it."""
    found = _PARSED.get(record.digest)
    if found is not None and found[1].id == record.id and _same(found[0], record.source):
        return found[1]
    try:
        policy = parse_policy(record.source)
    except Exception as exc:  # fail closed on whatever the stored text makes the parser raise
        why = mismatch(record) or f"policy {record.id!r}: its stored text does not parse"
        return unmatched(record, f"{why} ({exc})")
    if policy.digest != record.digest or policy.id != record.id:  # never kept
        why = mismatch(record) or f"policy {record.id!r}: its stored text names {policy.id!r}"
        return unmatched(record, why)
    if len(_PARSED) >= PARSED_KEPT:
        _PARSED.clear()
    _PARSED[record.digest] = (record.source, policy)
    return policy


def _same(kept: Any, stored: Any) -> bool:
    """The same JSON, types included: Python holds 1 == True == 1.0, which the digest
    (of the JSON text) does not."""
    if kept is stored:  # the same text read again (charter.kernel.store.kept_json)
        return True
    if type(kept) is not type(stored):
        return False
    if isinstance(kept, dict):
        return kept.keys() == stored.keys() and all(_same(v, stored[k]) for k, v in kept.items())
    if isinstance(kept, list):
        return len(kept) == len(stored) and all(map(_same, kept, stored))
    return bool(kept == stored)


def withheld(record: PolicyRecord) -> str | None:
    """Why a stored policy is not enforced as stored (None: it is): its text does not match
    its recorded version, or no longer parses."""
    policy = parsed(record)
    return policy.requirements[0].title if _stands_in(policy) else None


@dataclass(frozen=True, slots=True)
class Standing:
    """One policy as the stored rows and the audit log have it: its row (None: deleted
    outside Charter), the body of its latest POLICY_STATES event (None: never loaded through
    Charter) and why the two disagree (`off_record`; None: they agree). Gates enforce it, and
    every report describes it, from this one reading."""

    policy_id: str
    row: PolicyRecord | None
    recorded: Mapping[str, Any] | None
    off_record: str | None

    @property
    def title(self) -> str:
        """The stored title; for a deleted row, the one the audit log recorded, if any."""
        said = str(((self.recorded or {}).get("data") or {}).get("title", ""))
        return (self.row.title if self.row else said) or self.policy_id

    @property
    def digest(self) -> str:
        """The stored digest; for a deleted row, the one the audit log recorded."""
        said = str(((self.recorded or {}).get("data") or {}).get("digest", ""))
        return self.row.digest if self.row else said

    @property
    def problem(self) -> str | None:
        """Why it is not enforced as stored (None: it is): see `problem_of`."""
        return problem_of(self.row, self.off_record)


def problem_of(row: PolicyRecord | None, off: str | None) -> str | None:
    """Why a policy is not enforced as stored (None: it is), given why its row and the audit
    log disagree (`off`), in the words of the gate it blocks: an enabled row's text that does
    not match its own digest first (the gate says that), then the disagreement, then a
    disabled row's edited text (which blocks nothing until it is enabled)."""
    if row is None:
        return off
    own = withheld(row)
    return own if own is not None and row.enabled else off or own


def standings(uow: UnitOfWork) -> list[Standing]:
    """Every policy stored or in the audit log, by id: the stored rows and the latest
    POLICY_STATES event of each, read once, and whether they disagree (`off_record`)."""
    stored = {r.id: r for r in uow.policies.all()}
    latest = uow.audit.latest_of("policy", POLICY_STATES)
    recorded = {i: parsed_once(e.canonical.decode()) for i, e in latest.items()}  # read only
    return [
        Standing(i, stored.get(i), recorded.get(i), off_record(i, stored.get(i), recorded.get(i)))
        for i in sorted(stored.keys() | recorded.keys())
    ]


def policies_in_force(uow: UnitOfWork) -> tuple[Policy, ...]:
    """Enabled policies, parsed from their stored source; where the stored policies and the
    audit log disagree on a policy (its row disabled, deleted, inserted or rewritten with a
    matching digest outside Charter), a stand-in that blocks every gate saying so."""
    out = []
    for found in standings(uow):
        row, why = found.row, found.off_record
        own = parsed(row) if row is not None and row.enabled else None
        if own is not None and (why is None or _stands_in(own)):
            out.append(own)  # as stored; or its text does not match its own digest, said first
        elif why is not None:
            out.append(stand_in(found.policy_id, found.title, row.digest if row else "", why))
    return tuple(out)


def _stands_in(policy: Policy) -> bool:
    return any(r.kind is Kind.INTEGRITY for r in policy.requirements)


Systems = str | frozenset[str] | None  # one system, a set of them, or every one


def _of(system_id: Systems) -> dict[str, object]:
    return {} if system_id is None else {"system_id": system_id}


def current_versions(uow: UnitOfWork, system_id: Systems = None) -> dict[str, str]:
    """Each system's current model version (of one system, some, or all): the latest
    registered version of its models."""
    models = uow.models.all(**_of(system_id))
    model_system = {m.id: m.system_id for m in models if m.system_id}
    if not model_system:
        return {}
    latest: dict[str, tuple[datetime, str]] = {}
    for v in uow.model_versions.all(model_id=frozenset(model_system)):
        system = model_system.get(v.model_id)
        if system is None or v.registered_at is None:
            continue
        if system not in latest or v.registered_at > latest[system][0]:
            latest[system] = (v.registered_at, v.id)
    return {s: vid for s, (_, vid) in latest.items()}


def under_review(uow: UnitOfWork, system_id: Systems = None) -> dict[str, str]:
    """Evidence that needs review before it counts again (of one system, some, or all):
    id -> why."""
    found = uow.reviews.all(resolved_at=None, **_of(system_id))
    return {r.evidence_id: r.reason for r in found}


def asks_risks(policies: Sequence[Policy]) -> bool:
    """Whether a policy in force reads the systems' risks (an appetite requirement, or a
    plugin, which sees every fact)."""
    return any(
        r.kind in (Kind.RISK_APPETITE, Kind.PLUGIN) for p in policies for r in p.requirements
    )


def grouped_by(items: Iterable[Any], key: str) -> dict[str, list[Any]]:
    """The items by the value of their attribute `key`, in the order given."""
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(getattr(item, key), []).append(item)
    return out


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything gates read of some systems, read in one transaction. With `on` (a gate's
    detail), each system's facts carry the roles and names of the people on it and who may
    confirm its waivers; without, every role and name (a portfolio-wide posture)."""

    systems: list[AISystem]
    policies: tuple[Policy, ...]
    evidence: Mapping[str, Sequence[Evidence]]
    documents: Mapping[str, Sequence[Document]]
    waivers: Mapping[str, Sequence[Waiver]]
    entries: Mapping[str, Sequence[RaciEntry]]
    roles: Sequence[RoleAssignment]
    versions: Mapping[str, str]
    training: Mapping[str, Sequence[Completion]]
    courses: Mapping[str, Course]
    names: Mapping[str, str]
    under_review: Mapping[str, str]
    on: Mapping[str, frozenset[str]] | None = None  # by system: the people on it
    #: the names, by id, of the owners and people on the systems who have left
    left: Mapping[str, str] = field(default_factory=dict)
    confirmers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by system
    risks: Mapping[str, Sequence[RiskPosition]] = field(default_factory=dict)  # when asked
    roles_by_person: Mapping[str, Sequence[RoleAssignment]] = field(default_factory=dict)
    #: each system's RACI findings once validated (by `raci_findings`): a memo, not a fact
    validated: dict[str, tuple[Finding, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def facts(
        self,
        system: AISystem,
        now: datetime,
        plugins: Mapping[str, Plugin] | None = None,
        with_raci: bool = True,
    ) -> GateFacts:
        """One system's facts (without approvals)."""
        entries = self.entries.get(system.id, ())
        findings = self.raci_findings(system) if with_raci else ()
        roles, names = self.roles, self.names
        on = None if self.on is None else self.on.get(system.id, frozenset())
        if on is not None:
            roles = [r for r in self.roles if r.person_id in on]
            names = {p: self.names[p] for p in on if p in self.names}
        return GateFacts(
            system, now, self.evidence.get(system.id, ()), self.documents.get(system.id, ()),
            self.waivers.get(system.id, ()), findings, (), self.versions.get(system.id),
            plugins or {}, entries, roles, self.training, self.courses if on != frozenset() else {},
            names, self.risks.get(system.id, ()), self.under_review,
            None if on is None else self.confirmers.get(system.id, {}),
        )  # fmt: skip

    def raci_findings(self, system: AISystem) -> tuple[Finding, ...]:
        """The system's RACI findings, validated once however many views ask."""
        found = self.validated.get(system.id)
        if found is None:
            entries = self.entries.get(system.id, ())
            roles = self._roles_of(entries)
            found = tuple(validate_raci(system, list(entries), roles, self.left))
            self.validated[system.id] = found
        return found

    def _roles_of(self, entries: Iterable[RaciEntry]) -> list[RoleAssignment]:
        """The roles of the people named in these entries: all RACI validation reads."""
        named = dict.fromkeys(e.person_id for e in entries)
        return [r for p in named for r in self.roles_by_person.get(p, ())]


def read_facts(
    uow: UnitOfWork,
    systems: Sequence[AISystem],
    now: datetime,
    *,
    whole: bool = False,
    waiver_roles: frozenset[RoleKind] = frozenset(),
    risks: bool | None = None,
) -> Inventory:
    """The facts of `systems` (read for every system when `whole`: a portfolio read; else a
    gate's detail, with who holds `waiver_roles` on a system whose waiver awaits its second
    person), one statement per kind of fact; the systems' risks too when `risks`, or, when it
    is None, when a policy in force asks."""
    policies = policies_in_force(uow)
    ids = frozenset(s.id for s in systems)
    which: Systems = None if whole else (next(iter(ids)) if len(ids) == 1 else ids)
    if not ids:
        return Inventory([], policies, {}, {}, {}, {}, (), {}, {}, {}, {}, {})
    if isinstance(which, str):
        evidence = {which: uow.evidence.for_system(which, limit=EVIDENCE_PER_SYSTEM)}
        entries = uow.raci.for_system(which)
    else:
        evidence = uow.evidence.latest(EVIDENCE_PER_SYSTEM, which)
        entries = [e for e in uow.raci.all() if which is None or e.system_id in ids]
    documents = sorted(uow.documents.all(**_of(which)), key=lambda d: d.attached_at, reverse=True)
    waivers = grouped_by(uow.waivers.all(**_of(which)), "system_id")
    roles = uow.roles.all()
    read = Inventory(
        list(systems), policies, evidence, grouped_by(documents, "system_id"), waivers,
        grouped_by(entries, "system_id"), roles, current_versions(uow, which), {}, {}, {},
        under_review(uow, which), roles_by_person=grouped_by(roles, "person_id"),
    )  # fmt: skip
    read = _people(uow, read, whole, waiver_roles)
    if risks or (risks is None and asks_risks(policies)):
        base = {s.id: s for s in systems}

        def facts_of(system_id: str) -> GateFacts | None:
            system = base.get(system_id)
            return replace(read.facts(system, now), waivers=()) if system else None

        found = uow.risk_register.positions(systems, now, facts_of, read.names)
        read = replace(read, risks=found)
    return read


def _people(
    uow: UnitOfWork, read: Inventory, whole: bool, waiver_roles: frozenset[RoleKind]
) -> Inventory:
    """Training, courses and names: of everyone for a portfolio read; else of the people on
    each system and those who may confirm a waiver that awaits its second, in one read."""
    if whole:
        training = grouped_by(uow.completions.all(), "person_id")
        everybody = uow.people.all()
        names, left = {p.id: p.name for p in everybody}, _left(everybody)
        return replace(read, training=training, courses=_courses(uow), names=names, left=left)
    on = {s.id: _on_system(s.id, read) for s in read.systems}
    holders = {
        s.id: _holders(waiver_roles, s, read.roles)
        for s in read.systems
        if any(w.awaiting_second for w in read.waivers.get(s.id, ()))
    }
    everyone = frozenset().union(*on.values())
    owners = {s.owner_id for s in read.systems if s.owner_id is not None}
    asked = everyone.union(*holders.values(), owners)
    found = uow.people.all(id=asked) if asked else []
    training = grouped_by(uow.completions.all(person_id=everyone), "person_id") if everyone else {}
    active = {p.id: p.name for p in found if p.active}
    confirmers = {s: {p: active[p] for p in held if p in active} for s, held in holders.items()}
    return replace(
        read, training=training, courses=_courses(uow) if everyone else {},
        names={p.id: p.name for p in found}, on=on, confirmers=confirmers, left=_left(found),
    )  # fmt: skip


def _left(people: Iterable[Person]) -> dict[str, str]:
    """The names, by id, of those of `people` who have left the organisation."""
    return {p.id: p.name for p in people if not p.active}


def _courses(uow: UnitOfWork) -> dict[str, Course]:
    return {c.id: c for c in uow.courses.all()}


def _on_system(system_id: str, read: Inventory) -> frozenset[str]:
    named = {e.person_id for e in read.entries.get(system_id, ())}
    return frozenset(named | {r.person_id for r in read.roles if r.scope_id == system_id})


def _holders(
    waiver_roles: frozenset[RoleKind], system: AISystem, roles: Sequence[RoleAssignment]
) -> frozenset[str]:
    """The holders of a role the decision rights name for waivers on the system."""
    return frozenset(
        r.person_id
        for r in roles
        if r.role in waiver_roles and r.covers(system.business_unit_id, system.id)
    )
