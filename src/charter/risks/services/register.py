"""Use cases of the register: register a risk (on a system, on a use case at intake, or for
the organisation), change it, review it, close it; state the appetite. Each is one transaction
with its audit event; a change to a system's risk holds the system first (what its gate reads
changes), then the risk."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from charter.frameworks.domain.packs import Pack
from charter.frameworks.files import load_packs
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, InvalidInput, NotFound
from charter.kernel.lookups import check_fields, hold, person_id, require
from charter.kernel.names import require_name
from charter.kernel.records import changes
from charter.risks.domain.register import EDITABLE, Risk, RiskStatus, Treatment, risk_problems
from charter.risks.domain.standing import ANY, AppetiteStatement, Standing, next_review
from charter.risks.ports import Context, UnitOfWork
from charter.risks.services.standing import Register

NULLABLE = ("body_id", "review_by")
REQUIRED = ("title", "category", "cause", "consequence", "owner_id", "inherent_likelihood",
            "inherent_impact")  # fmt: skip
TIERS = frozenset({ANY, "unclassified", "prohibited", "high", "limited", "minimal"})


def requirement_ids(packs: Sequence[Pack]) -> frozenset[str]:
    """The framework requirement ids a risk may be linked to: those of these packs."""
    return frozenset(r.id for p in packs for r in p.requirements)


def known() -> frozenset[str]:
    """The framework requirement ids of the packs installed."""
    return requirement_ids(load_packs())


def scope_of(uow: UnitOfWork, risk: Risk) -> tuple[str | None, str | None]:
    """The business unit and system a risk's permissions are checked in."""
    if risk.system_id:
        system = require(uow.systems, "system", risk.system_id)
        return system.business_unit_id, system.id
    if risk.use_case_id:
        return require(uow.use_cases, "use case", risk.use_case_id).business_unit_id, None
    return None, None


def owner_id_of(uow: UnitOfWork, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with `owner_id` as the id of the person it names: an id, an e-mail or an
    exact name. A name several people share is refused naming them all; one nobody has is
    left as given, for the checks to report with every other problem."""
    out = dict(values)
    ref = out.get("owner_id")
    if isinstance(ref, str) and ref.strip():
        try:
            out["owner_id"] = person_id(uow.people, ref)
        except NotFound:
            out["owner_id"] = ref.strip()
    return out


def left(person: Any, held: str | None = None) -> list[str]:
    """The problem of naming anew (not `held` already) a person who left the organisation:
    they keep the roles they held, so the role check alone would pass them."""
    if person.id == held or getattr(person, "active", False) is True:
        return []
    return [f"owner {person.name} ({person.id}) is inactive (has left the organisation): "
            "name an active person"]  # fmt: skip


def _owner_problems(
    ctx: Context, uow: UnitOfWork, risk: Risk, kept: str | None = None
) -> list[str]:
    person = uow.people.get(risk.owner_id)
    if person is None:
        return [f"owner {risk.owner_id!r} is not a person in Charter"]
    if gone := left(person, kept):
        return gone
    unit, system = scope_of(uow, risk)
    held = uow.roles.all(person_id=risk.owner_id)
    if any(r.role in ctx.risk_model.owner_roles and r.covers(unit, system) for r in held):
        return []
    roles = ", ".join(sorted(r.value for r in ctx.risk_model.owner_roles))
    return [f"owner {person.name} holds none of the roles that own risks here ({roles})"]


def _problems(
    ctx: Context, uow: UnitOfWork, risk: Risk, known: Collection[str], held: str | None
) -> list[str]:
    problems = risk_problems(ctx.risk_model, risk) + _owner_problems(ctx, uow, risk, held)
    if risk.body_id and uow.bodies.get(risk.body_id) is None:
        problems.append(f"body {risk.body_id!r} does not exist")
    unknown = sorted(set(risk.requirements) - set(known))
    if unknown:
        problems.append(f"no pack installed holds requirement(s): {', '.join(unknown)}")
    return problems


def _checked(
    ctx: Context, uow: UnitOfWork, risk: Risk, known: Collection[str], held: str | None = None
) -> Risk:
    """The risk, or every problem with it (`held`: the owner it already has, kept even
    after they left while nobody changes it)."""
    problems = _problems(ctx, uow, risk, known, held)
    if problems:
        raise InvalidInput("; ".join(problems), details={"errors": problems})
    return risk


def risk_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the risk's fields: whole numbers, a treatment, a tuple of requirement ids."""
    out = dict(values)
    try:
        if "treatment" in out:
            out["treatment"] = Treatment(out["treatment"])
        for name in ("inherent_likelihood", "inherent_impact", "target_likelihood",
                     "target_impact"):  # fmt: skip
            if name in out:
                out[name] = int(out[name])
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"risk: {exc}") from exc
    if "requirements" in out:
        out["requirements"] = tuple(dict.fromkeys(str(r).strip() for r in out["requirements"]))
    for name in ("title", "cause", "consequence"):
        if name in out:
            out[name] = str(out[name]).strip()
    return out


def register_risk(
    ctx: Context,
    actor: Actor,
    values: Mapping[str, Any],
    known: Collection[str],
    system_id: str | None = None,
    use_case_id: str | None = None,
    origin: str = "manual",
) -> Risk:
    """A new open risk; its residual target is the inherent rating unless given (no
    mitigation is claimed), its treatment `mitigate` and its review date the model's
    interval from today unless given."""
    check_fields("risk", values, EDITABLE, NULLABLE)
    missing = [f for f in REQUIRED if values.get(f) in (None, "")]
    if missing:
        raise InvalidInput(
            f"missing risk field(s): {', '.join(missing)}", details={"errors": missing}
        )
    fields = risk_values({"treatment": "mitigate", **values})
    fields.setdefault("target_likelihood", fields["inherent_likelihood"])
    fields.setdefault("target_impact", fields["inherent_impact"])
    fields.setdefault("review_by", next_review(ctx.risk_model, ctx.clock().date()))
    if actor.person_id is None:
        raise InvalidInput("a risk is registered by a person")
    if system_id and use_case_id:
        raise InvalidInput("a risk is registered on a system or on a use case, not both")
    with ctx.uow() as uow:
        risk = Risk(
            id=ctx.new_id("rsk"), created_at=ctx.clock(), created_by=actor.person_id,
            system_id=system_id, use_case_id=use_case_id, origin=origin,
            **owner_id_of(uow, fields),
        )  # fmt: skip
        add_risk(ctx, uow, actor, risk, known)
        uow.commit()
    return risk


def add_risk(
    ctx: Context, uow: UnitOfWork, actor: Actor, risk: Risk, known: Collection[str]
) -> None:
    """Store a new risk and its event in the caller's transaction (its system held first)."""
    if risk.system_id:
        hold(uow.systems, "system", risk.system_id)
    unit, system = scope_of(uow, risk)
    ensure(actor, Action.RISK_MANAGE, unit, system)
    uow.risks.add(_checked(ctx, uow, risk, known))
    record(ctx, uow, actor, "risk.registered", "risk", risk.id, snapshot(risk))


def hold_risk(uow: UnitOfWork, risk_id: str) -> Risk:
    """The risk, locked after its system (the one order every change takes)."""
    found = require(uow.risks, "risk", risk_id)
    if found.system_id:
        hold(uow.systems, "system", found.system_id)
    return hold(uow.risks, "risk", risk_id)


def update_risk(
    ctx: Context, actor: Actor, risk_id: str, values: Mapping[str, Any], known: Collection[str]
) -> Risk:
    check_fields("risk", values, EDITABLE, NULLABLE)
    with ctx.uow() as uow:
        before = hold_risk(uow, risk_id)
        unit, system = scope_of(uow, before)
        ensure(actor, Action.RISK_MANAGE, unit, system)
        if before.status is RiskStatus.CLOSED:
            raise Conflict(f"risk {risk_id} is closed")
        after = replace(before, **risk_values(owner_id_of(uow, values)))
        after = _checked(ctx, uow, after, known, before.owner_id)
        diff = changes(before, after, EDITABLE)
        if diff:
            uow.risks.update(after)
            record(ctx, uow, actor, "risk.changed", "risk", risk_id, diff)
        uow.commit()
    return after


def review_risk(
    ctx: Context, actor: Actor, risk_id: str, note: str, next_by: date | None = None
) -> Risk:
    """Record that the owner (or a risk manager) reviewed the risk, and when it is next due."""
    today = ctx.clock().date()
    due = next_by or next_review(ctx.risk_model, today)
    if due <= today:
        raise InvalidInput("the next review must be after today", details={"field": "next_review"})
    with ctx.uow() as uow:
        risk = hold_risk(uow, risk_id)
        unit, system = scope_of(uow, risk)
        if actor.person_id != risk.owner_id:
            ensure(actor, Action.RISK_MANAGE, unit, system)
        if risk.status is RiskStatus.CLOSED:
            raise Conflict(f"risk {risk_id} is closed")
        reviewed = replace(
            risk, reviewed_at=ctx.clock(), reviewed_by=actor.person_id, review_by=due
        )
        uow.risks.update(reviewed)
        data = {"note": require_name(note, "note", 4000), "next_review": due.isoformat()}
        record(ctx, uow, actor, "risk.reviewed", "risk", risk_id, data)
        uow.commit()
    return reviewed


def _may_close(ctx: Context, uow: UnitOfWork, risk: Risk) -> None:
    """A risk above appetite and not accepted is closed only once what causes it has stopped
    (its system retired or suspended): closing it may not open a gate it blocks."""
    [found] = Register(uow, ctx.risk_model).judge([risk], ctx.clock())
    if found.standing is not Standing.ABOVE:
        return
    system = uow.systems.get(risk.system_id) if risk.system_id else None
    if system is not None and system.stage.value in ("retired", "suspended"):
        return
    raise Conflict(
        f"risk {risk.id} is above appetite ({found.residual_band}, appetite "
        f"{found.appetite_band}): bring it within appetite with working controls, have a body "
        "accept it, or retire or suspend its system before closing it"
    )


def close_risk(ctx: Context, actor: Actor, risk_id: str, reason: str) -> Risk:
    why = require_name(reason, "reason", 4000)
    with ctx.uow() as uow:
        risk = hold_risk(uow, risk_id)
        unit, system = scope_of(uow, risk)
        ensure(actor, Action.RISK_MANAGE, unit, system)
        if risk.status is RiskStatus.CLOSED:
            raise Conflict(f"risk {risk_id} is already closed")
        _may_close(ctx, uow, risk)
        closed = replace(risk, status=RiskStatus.CLOSED, closed_at=ctx.clock(), closure_reason=why)
        uow.risks.update(closed, when={"status": RiskStatus.OPEN})
        record(ctx, uow, actor, "risk.closed", "risk", risk_id, {"reason": why})
        uow.commit()
    return closed


def set_appetite(
    ctx: Context, actor: Actor, category: str, tier: str, max_band: str, rationale: str
) -> AppetiteStatement:
    """State (or restate) the highest residual band accepted for a category, a domain or every
    category ("*"), on systems of a tier (or "*"); organisation-wide roles only."""
    ensure(actor, Action.RISK_APPETITE)
    model = ctx.risk_model
    domains = {c.domain for c in model.catalogue.values()}
    problems = []
    if category != ANY and category not in model.catalogue and category not in domains:
        problems.append(f"unknown category or domain {category!r}")
    if tier not in TIERS:
        problems.append(f"tier is one of {', '.join(sorted(TIERS))}")
    if model.rank(max_band) is None:
        problems.append(f"max_band is one of {', '.join(b.name for b in model.bands)}")
    if problems:
        raise InvalidInput("; ".join(problems), details={"errors": problems})
    if actor.person_id is None:
        raise InvalidInput("appetite is stated by a person")
    why = require_name(rationale, "rationale", 4000)
    with ctx.uow() as uow:
        found = uow.risk_appetites.all(category=category, tier=tier)
        item = AppetiteStatement(
            found[0].id if found else ctx.new_id("app"), category, tier, max_band, why,
            actor.person_id, ctx.clock(),
        )  # fmt: skip
        (uow.risk_appetites.update if found else uow.risk_appetites.add)(item)
        before = found[0].max_band if found else None
        data = {
            "category": category,
            "tier": tier,
            "max_band": [before, max_band],
            "rationale": why,
        }
        record(ctx, uow, actor, "risk_appetite.set", "risk_appetite", item.id, data)
        uow.commit()
    return item


def move_to_system(
    ctx: Context, uow: UnitOfWork, actor: Actor, use_case_id: str, system_id: str
) -> list[Risk]:
    """A use case promoted to a system (in the caller's transaction): its risks, open and
    closed, now belong to the system, and keep the use case they were found on. The system is
    held first, then the risks; one event per risk moved."""
    hold(uow.systems, "system", system_id)
    moved = []
    for found in uow.risks.all(use_case_id=use_case_id, system_id=None):
        before = hold(uow.risks, "risk", found.id)
        after = replace(before, system_id=system_id)
        uow.risks.update(after, when={"system_id": None})
        data = {"use_case": use_case_id, "system": system_id}
        record(ctx, uow, actor, "risk.moved_to_system", "risk", before.id, data)
        moved.append(after)
    return moved
