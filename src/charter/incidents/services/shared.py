"""What the incident use cases share: required text, the incident and its system held in one
lock order, and who answers for an incident."""

from __future__ import annotations

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.incidents.domain import Incident
from charter.incidents.ports import UnitOfWork
from charter.inventory.domain import AISystem
from charter.kernel.access import PERMISSIONS, Action
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import hold, require


def required_text(value: str, field: str, limit: int = 8000) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"{field.replace('_', ' ')} is required", details={"field": field})
    if len(text) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters", details={"field": field})
    return text


def held(uow: UnitOfWork, incident_id: str) -> tuple[Incident, AISystem]:
    """The incident and its system, locked in the one order: the system, then the incident."""
    system_id = require(uow.incidents, "incident", incident_id).system_id
    system = hold(uow.systems, "system", system_id)
    return hold(uow.incidents, "incident", incident_id), system


def answerable(uow: UnitOfWork, system: AISystem) -> list[str]:
    """Who answers for an incident on the system: the RACI of incident response (A and R),
    the system's owner, and those who may classify and report incidents on it."""
    raci = [
        e.person_id
        for e in uow.raci.for_system(system.id)
        if e.activity is Activity.INCIDENT_RESPONSE
        and e.letter in (RaciLetter.ACCOUNTABLE, RaciLetter.RESPONSIBLE)
    ]
    kinds = PERMISSIONS[Action.INCIDENT_MANAGE]
    managers = [
        r.person_id
        for r in uow.roles.all()
        if r.role in kinds and r.covers(system.business_unit_id, system.id)
    ]
    return list(dict.fromkeys([*raci, *([system.owner_id] if system.owner_id else []), *managers]))
