"""Use cases of controls: define one (how it is tested), link it to the risks it mitigates,
unlink it, record a manual test. A control failing or gone stale may not be unlinked: that
would lower a residual rating by taking the evidence against it away."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from charter.governance.services.documents import asked_roles
from charter.governance.services.policies import stored_requirement
from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, InvalidInput, NotFound
from charter.kernel.lookups import check_fields, hold, require
from charter.kernel.names import require_name
from charter.kernel.roles import RoleKind
from charter.risks.domain.controls import (
    Control,
    ControlLink,
    ControlTest,
    TestKind,
    control_problems,
)
from charter.risks.domain.model import ControlState
from charter.risks.domain.register import Risk
from charter.risks.ports import Context, UnitOfWork
from charter.risks.services.register import hold_risk, left, owner_id_of, scope_of
from charter.risks.services.standing import TESTABLE, Register
from charter.validation.domain.suite import METRICS

FIELDS = ("title", "kind", "owner_id", "system_id", "description", "check_id", "metric",
          "document", "approvers", "policy_id", "requirement_id", "max_age_days")  # fmt: skip
NULLABLE = ("system_id", "check_id", "metric", "document", "policy_id", "requirement_id")


def _scope(uow: UnitOfWork, control: Control) -> tuple[str | None, str | None]:
    if control.system_id is None:
        return None, None
    system = require(uow.systems, "system", control.system_id)
    return system.business_unit_id, system.id


def _test_problems(uow: UnitOfWork, control: Control) -> list[str]:
    """What the control's test names but Charter does not know."""
    problems = []
    if control.metric and control.metric not in METRICS:
        problems.append(f"unknown metric {control.metric!r}")
    if control.kind is TestKind.DOCUMENT and control.document:
        asked = asked_roles(uow, control.document)
        if not set(control.approvers) <= asked:
            named = ", ".join(sorted(r.value for r in asked)) or "none"
            problems.append(
                f"no policy in force asks for a {control.document} approved by "
                f"{'/'.join(r.value for r in control.approvers)} (roles asked for: {named})"
            )
    if control.kind is TestKind.REQUIREMENT and control.policy_id and control.requirement_id:
        try:
            req = stored_requirement(uow, control.policy_id, control.requirement_id)
        except (NotFound, Conflict) as exc:  # Conflict: its stored text was edited
            return [*problems, exc.message]
        if req.kind not in TESTABLE:
            problems.append(f"a {req.kind.value} requirement cannot test a control")
    return problems


def _built(ctx: Context, actor: Actor, values: Mapping[str, Any]) -> Control:
    check_fields("control", values, FIELDS, NULLABLE)
    if actor.person_id is None:
        raise InvalidInput("a control is defined by a person")
    fields = dict(values)
    try:
        fields["kind"] = TestKind(fields.get("kind", ""))
        fields["approvers"] = tuple(RoleKind(r) for r in fields.get("approvers") or ())
        fields["max_age_days"] = int(
            fields.get("max_age_days") or ctx.risk_model.control_max_age_days
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"control: {exc}") from exc
    fields["title"] = str(fields.get("title", "")).strip()
    fields.setdefault("owner_id", actor.person_id)
    return Control(
        id=ctx.new_id("ctl"), created_at=ctx.clock(), created_by=actor.person_id, **fields
    )


def define_control(
    ctx: Context, actor: Actor, values: Mapping[str, Any], mitigates: str | None = None
) -> Control:
    """A control and how it is tested, every problem with it named at once; with
    `mitigates`, linked to that risk in the same transaction."""
    control = _built(ctx, actor, values)
    with ctx.uow() as uow:
        risk = hold_risk(uow, mitigates) if mitigates else None
        owner = owner_id_of(uow, {"owner_id": control.owner_id})["owner_id"]
        control = replace(control, owner_id=str(owner))
        unit, system = _scope(uow, control)
        ensure(actor, Action.RISK_MANAGE, unit, system)
        problems = control_problems(control) + _test_problems(uow, control)
        person = uow.people.get(control.owner_id)
        if person is None:
            problems.append(f"owner {control.owner_id!r} is not a person in Charter")
        else:
            problems += left(person)
        if problems:
            raise InvalidInput("; ".join(problems), details={"errors": problems})
        uow.controls.add(control)
        record(ctx, uow, actor, "control.defined", "control", control.id, snapshot(control))
        if risk is not None:
            _link(ctx, uow, actor, risk, control)
        uow.commit()
    return control


def _link(ctx: Context, uow: UnitOfWork, actor: Actor, risk: Risk, control: Control) -> ControlLink:
    """The control mitigates the risk: a system's risk takes controls on that system (or
    manual ones); the organisation's risks take any."""
    unit, system = scope_of(uow, risk)
    ensure(actor, Action.RISK_MANAGE, unit, system)
    if control.system_id is not None:  # only a control the person may read, as its own page
        tested = require(uow.systems, "system", control.system_id)
        if not allowed(actor, Action.READ, tested.business_unit_id, tested.id):
            raise NotFound("control", control.id)
    if risk.system_id and control.system_id not in (None, risk.system_id):
        raise InvalidInput(
            f"control {control.id} is tested on another system than risk {risk.id}'s"
        )
    if uow.control_links.all(risk_id=risk.id, control_id=control.id):
        raise Conflict(f"control {control.id} already mitigates risk {risk.id}")
    if actor.person_id is None:
        raise InvalidInput("a control is linked by a person")
    link = ControlLink(ctx.new_id("lnk"), risk.id, control.id, ctx.clock(), actor.person_id)
    uow.control_links.add(link)
    record(ctx, uow, actor, "risk.control_linked", "risk", risk.id, {"control": control.id})
    return link


def link_control(ctx: Context, actor: Actor, risk_id: str, control_id: str) -> ControlLink:
    with ctx.uow() as uow:
        risk = hold_risk(uow, risk_id)
        link = _link(ctx, uow, actor, risk, require(uow.controls, "control", control_id))
        uow.commit()
    return link


def unlink_control(ctx: Context, actor: Actor, risk_id: str, control_id: str, reason: str) -> None:
    why = require_name(reason, "reason", 4000)
    with ctx.uow() as uow:
        risk = hold_risk(uow, risk_id)
        unit, system = scope_of(uow, risk)
        ensure(actor, Action.RISK_MANAGE, unit, system)
        found = uow.control_links.all(risk_id=risk_id, control_id=control_id)
        if not found:
            raise NotFound(f"control of risk {risk_id}", control_id)
        _, state = Register(uow, ctx.risk_model).effectiveness(
            frozenset({control_id}), ctx.clock()
        )[control_id]
        if state.state in (ControlState.FAILING, ControlState.STALE):
            raise Conflict(
                f"control {control_id} is {state.state.value} ({state.reason}): fix and test it, "
                "or have a body accept the risk, before taking it off the risk"
            )
        uow.control_links.delete(found[0].id)
        data = {"control": control_id, "reason": why}
        record(ctx, uow, actor, "risk.control_unlinked", "risk", risk_id, data)
        uow.commit()


def record_test(
    ctx: Context,
    actor: Actor,
    control_id: str,
    passed: bool,
    evidence: str,
    note: str = "",
    tested_at: datetime | None = None,
) -> ControlTest:
    """A manual test's result with its evidence, by someone who may record evidence where
    the control is tested; not dated in the future."""
    now = ctx.clock()
    when = tested_at or now
    if when > now:
        raise InvalidInput("a test cannot be dated in the future", details={"field": "tested_at"})
    with ctx.uow() as uow:
        control = require(uow.controls, "control", control_id)
        if control.system_id:
            hold(uow.systems, "system", control.system_id)
        unit, system = _scope(uow, control)
        ensure(actor, Action.EVIDENCE_RECORD, unit, system)
        if control.kind is not TestKind.MANUAL:
            raise Conflict(
                f"control {control_id} is tested by its {control.kind.value}, not by hand"
            )
        if actor.person_id is None:
            raise InvalidInput("a test is recorded by a person")
        test = ControlTest(
            ctx.new_id("tst"), control_id, bool(passed), when, actor.person_id,
            require_name(evidence, "evidence", 2000), now, note.strip()[:4000],
        )  # fmt: skip
        uow.control_tests.add(test)
        record(ctx, uow, actor, "control.tested", "control", control_id, snapshot(test))
        uow.commit()
    return test
