"""Test data built through the services: one person per AI role, organisation-wide."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from charter.accountability.domain.org import BusinessUnit, Person
from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.services import lifecycle
from charter.identity.services import access
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.access import Actor
from charter.kernel.roles import RoleKind, ScopeKind
from charter.wiring import Context

_names = itertools.count(1)


@dataclass
class World:
    ctx: Context
    admin: Actor
    admin_token: str
    unit: BusinessUnit
    other_unit: BusinessUnit
    people: dict[RoleKind, Person] = field(default_factory=dict)
    tokens: dict[RoleKind, str] = field(default_factory=dict)

    def actor(self, role: RoleKind) -> Actor:
        if role is RoleKind.ADMINISTRATOR:
            return self.admin
        return access.actor_for(self.ctx, self.people[role].id)

    def person(
        self,
        name: str,
        role: RoleKind | None = None,
        *,
        scope: ScopeKind = ScopeKind.ORGANISATION,
        scope_id: str | None = None,
    ) -> Person:
        n = next(_names)
        person = org.create_person(
            self.ctx, self.admin, name, f"person{n}@example.org", self.unit.id
        )
        if role is not None:
            org.assign_role(self.ctx, self.admin, person.id, role, scope, scope_id)
        return person

    def system(self, name: str | None = None, unit: BusinessUnit | None = None) -> AISystem:
        return inventory.register_system(
            self.ctx,
            self.actor(RoleKind.CHIEF_AI_OFFICER),
            name=name or f"System {next(_names)}",
            purpose="Scores things.",
            business_unit_id=(unit or self.unit).id,
            owner_id=self.people[RoleKind.EXECUTIVE_SPONSOR].id,
        ).system

    def system_name(self, system_id: str) -> str:
        with self.ctx.uow() as uow:
            found = uow.systems.get(system_id)
        assert found is not None
        return found.name

    def advance(self, system_id: str, target: LifecycleStage) -> None:
        """Walk the happy path up to target with the entitled roles."""
        path = [
            LifecycleStage.ASSESSED,
            LifecycleStage.APPROVED_FOR_DEVELOPMENT,
            LifecycleStage.IN_DEVELOPMENT,
            LifecycleStage.IN_VALIDATION,
            LifecycleStage.APPROVED_FOR_DEPLOYMENT,
            LifecycleStage.DEPLOYED,
        ]
        approvers = {
            LifecycleStage.ASSESSED: [RoleKind.ETHICS_COMPLIANCE],
            LifecycleStage.APPROVED_FOR_DEVELOPMENT: [RoleKind.EXECUTIVE_SPONSOR],
            LifecycleStage.APPROVED_FOR_DEPLOYMENT: [
                RoleKind.ETHICS_COMPLIANCE,
                RoleKind.BOARD_MEMBER,
            ],
            LifecycleStage.DEPLOYED: [RoleKind.CHIEF_AI_OFFICER],
        }
        for stage in path[: path.index(target) + 1]:
            request, _ = lifecycle.request_transition(
                self.ctx, self.actor(RoleKind.PROGRAM_MANAGER), system_id, stage, "next step"
            )
            for role in approvers.get(stage, []):
                request, _ = lifecycle.decide(
                    self.ctx, self.actor(role), request.id, Decision.APPROVE, "looks right"
                )
            assert request.status is RequestStatus.APPLIED, (stage, request)

    def full_raci(self, system_id: str, builder: Person | None = None) -> None:
        builder = builder or self.people[RoleKind.DATA_SCIENTIST]
        pm = self.people[RoleKind.PROGRAM_MANAGER]
        for activity in Activity:
            responsible = (
                builder if activity in (Activity.DESIGN, Activity.DATA_PREPARATION) else pm
            )
            pairs = [(responsible.id, RaciLetter.RESPONSIBLE)]
            if responsible.id != pm.id:
                pairs.append((pm.id, RaciLetter.ACCOUNTABLE))
            else:
                pairs.append((self.people[RoleKind.CHIEF_AI_OFFICER].id, RaciLetter.ACCOUNTABLE))
            raci.set_activity(
                self.ctx, self.actor(RoleKind.CHIEF_AI_OFFICER), system_id, activity, pairs
            )


def make_world(ctx: Context) -> World:
    admin_person, secret = access.initialise(ctx, "Ada Admin", "admin@example.org")
    admin = access.authenticate(ctx, secret)
    unit = org.create_unit(ctx, admin, "Retail")
    other = org.create_unit(ctx, admin, "Claims")
    world = World(ctx, admin, secret, unit, other)
    world.tokens[RoleKind.ADMINISTRATOR] = secret
    for role in RoleKind:
        if role is RoleKind.ADMINISTRATOR:
            world.people[role] = admin_person
            continue
        person = world.person(role.value.replace("_", " ").title(), role)
        world.people[role] = person
        world.tokens[role] = access.create_token(ctx, world.actor(role), None, "tests")[1]
    return world
