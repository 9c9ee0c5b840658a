"""Compliance readiness: per system and pack, what applies, what is satisfied (by which
evidence), what is open and what does not apply yet; and the organisation's roll-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from charter.frameworks.domain.classification import ClassificationRecord
from charter.frameworks.domain.packs import Pack, PackReadiness, readiness
from charter.frameworks.domain.packs import standing as to_standing
from charter.governance.domain.gates import judge_requirement
from charter.governance.domain.policy import Policy, system_facts
from charter.governance.ports import Context
from charter.governance.services.gates import Inventory, read_inventory
from charter.kernel.access import Actor, ensure_member
from charter.kernel.errors import NotFound
from charter.kernel.lookups import require
from charter.kernel.verdicts import Verdict


def _satisfied_by(
    ctx: Context, inventory: Inventory, policies: Sequence[Policy]
) -> dict[str, dict[str, list[str]]]:
    """Per system: every cited framework id -> the satisfied policy requirements citing it
    (a policy counts whatever transition it guards: readiness asks what holds now)."""
    now = ctx.clock()
    out: dict[str, dict[str, list[str]]] = {}
    for s in inventory.systems:
        facts = inventory.facts(ctx, s, now)
        view = system_facts(s)
        cited: dict[str, list[str]] = {}
        for policy in policies:
            if not replace(policy.applies, transitions=()).matches(s, None, None, view):
                continue
            for req in policy.requirements:
                if not req.cites:
                    continue
                found = judge_requirement(policy, req, facts)
                if found.verdict is Verdict.SATISFIED:
                    basis = f"{policy.id}/{req.id}" + (f" ({found.basis})" if found.basis else "")
                    for cite in req.cites:
                        cited.setdefault(cite, []).append(basis)
        out[s.id] = cited
    return out


def _latest(records: Sequence[ClassificationRecord]) -> dict[str, ClassificationRecord]:
    out: dict[str, ClassificationRecord] = {}
    for r in sorted(records, key=lambda r: r.classified_at):
        out[r.system_id] = r
    return out


def system_readiness(
    ctx: Context,
    actor: Actor,
    packs: Sequence[Pack],
    system_id: str | None = None,
    pack_id: str | None = None,
    schedule: str | None = None,
) -> list[PackReadiness]:
    """Readiness of every visible system (or one) against every pack (or one), on the date
    schedule given, by default each pack's schedule in force today."""
    ensure_member(actor)
    chosen = [p for p in packs if pack_id is None or p.id == pack_id]
    if not chosen:
        raise NotFound("pack", pack_id or "")
    with ctx.uow() as uow:
        if system_id is not None:
            require(uow.systems, "system", system_id)
        inventory = read_inventory(uow, actor, ctx.clock(), system_id)
        if system_id is not None and not inventory.systems:
            raise NotFound("system", system_id)
        classified = _latest(uow.classifications.all())
    satisfied = _satisfied_by(ctx, inventory, inventory.policies)
    today = ctx.clock().date()
    out = []
    for s in inventory.systems:
        record = classified.get(s.id)
        standing = to_standing(
            s, record.tier if record else None, record.result if record else {},
            record.id if record else None, satisfied[s.id],
        )  # fmt: skip
        out += [readiness(pack, standing, today, schedule) for pack in chosen]
    return out
