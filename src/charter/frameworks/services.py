"""Use cases for EU AI Act classification: classify a system (recorded, audited, and its risk
tier updated in the same transaction) or preview it (a dry run: nothing recorded), read its
latest classification; answer its questionnaire one question at a time into a draft kept
between visits, discard it, or submit it as the classification; the calendar of upcoming
obligation dates and the impact of a change of schedule or of the classification data, per
system, with who answers for each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from charter.accountability.domain.raci import RaciLetter
from charter.frameworks.domain import questionnaire
from charter.frameworks.domain.classification import (
    Classification,
    ClassificationRecord,
    as_plain,
    classify,
    in_force,
)
from charter.frameworks.domain.impact import Accountability, Due, Shift, shifts, upcoming
from charter.frameworks.domain.questionnaire import Draft, check_answer
from charter.frameworks.ports import Context, UnitOfWork
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.lookups import hold, require


def classify_system(
    ctx: Context,
    actor: Actor,
    system_id: str,
    answers: Mapping[str, Any],
    data: Mapping[str, Any],
) -> tuple[ClassificationRecord, Classification]:
    """Classify from the answers; a new answer set re-classifies (the latest record counts)."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id, system.id)
        done = _classified_now(ctx, uow, actor, system, answers, data)
        uow.commit()
    return done


def _classified_now(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    system: AISystem,
    answers: Mapping[str, Any],
    data: Mapping[str, Any],
) -> tuple[ClassificationRecord, Classification]:
    """Record the classification of a held system and its tier, with the audit event."""
    now = ctx.clock()
    result = classify(data, answers, system.operator_role, now.date())
    item = ClassificationRecord(
        ctx.new_id("cls"), system.id, dict(answers), as_plain(result), result.tier, now,
        actor.ref,
    )  # fmt: skip
    uow.classifications.add(item)
    if system.risk_tier is not result.risk_tier:
        uow.systems.update(replace(system, risk_tier=result.risk_tier))
    record(
        ctx,
        uow,
        actor,
        "system.classified",
        "system",
        system.id,
        {
            "classification": item.id,
            "tier": result.tier,
            "risk_tier": [system.risk_tier.value, result.risk_tier.value],
            "schedule": result.schedule,
            "cites": list(result.cites),
            "uncertain": result.uncertain,
        },
    )
    return item, result


def preview_classification(
    ctx: Context,
    actor: Actor,
    system_id: str,
    answers: Mapping[str, Any],
    data: Mapping[str, Any],
) -> Classification:
    """Classify without recording anything (a dry run): the same checks and result."""
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id, system.id)
    return classify(data, answers, system.operator_role, ctx.clock().date())


def draft_of(ctx: Context, actor: Actor, system_id: str) -> Draft | None:
    """The answers given so far to the system's questionnaire, if any (classifiers only)."""
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id, system.id)
        return uow.classification_drafts.get(system.id)


def answer_question(
    ctx: Context, actor: Actor, system_id: str, data: Mapping[str, Any], key: str, value: Any
) -> Draft:
    """Keep one answer in the system's draft (started by the first answer, which is audited;
    each answer is not: a draft is not a classification). The answer is checked against
    those before it; answers to questions it closes are dropped."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id, system.id)
        before = uow.classification_drafts.get(system.id)
        answers = dict(before.answers) if before else {}
        check_answer(data, answers, key, value)
        now = ctx.clock()
        answers = questionnaire.kept(data, {**answers, key: value})
        if before is None:
            draft = Draft(system.id, answers, now, actor.ref, now, actor.ref)
            uow.classification_drafts.add(draft)
            record(ctx, uow, actor, "classification.draft_started", "system", system.id, {})
        else:
            draft = replace(before, answers=answers, updated_at=now, updated_by=actor.ref)
            uow.classification_drafts.update(draft)
        uow.commit()
    return draft


def discard_draft(ctx: Context, actor: Actor, system_id: str) -> bool:
    """Discard the system's draft (audited, with the answers it held); False if none."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id, system.id)
        draft = uow.classification_drafts.get(system.id)
        if draft is None:
            return False
        uow.classification_drafts.delete(system.id)
        record(ctx, uow, actor, "classification.draft_discarded", "system", system.id,
               {"answers": len(draft.answers)})  # fmt: skip
        uow.commit()
    return True


def submit_draft(
    ctx: Context, actor: Actor, system_id: str, data: Mapping[str, Any]
) -> tuple[ClassificationRecord, Classification]:
    """Classify the system from its draft once every question it opens is answered (the
    same record and audit event as any classification); the draft is removed with it."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id, system.id)
        draft = uow.classification_drafts.get(system.id)
        if draft is None:
            raise InvalidInput(f"system {system_id} has no questionnaire answers to submit")
        missing = questionnaire.next_question(data, draft.answers)
        if missing is not None:
            raise InvalidInput(f"answer '{missing}' first", details={"field": missing})
        answers = questionnaire.submitted(questionnaire.kept(data, draft.answers))
        done = _classified_now(ctx, uow, actor, system, answers, data)
        uow.classification_drafts.delete(system.id)
        uow.commit()
    return done


def latest(ctx: Context, actor: Actor, system_id: str) -> ClassificationRecord | None:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        found = uow.classifications.all(system_id=system_id)
    return max(found, key=lambda c: c.classified_at) if found else None


def screening_answers(
    ctx: Context, actor: Actor, system_id: str, use_case_id: str
) -> Mapping[str, object]:
    """The screening answers of a use case the system delivers: where its classification
    starts. The reader must be able to read the use case (its unit or one of its systems)."""
    ensure_member(actor)
    with ctx.uow() as uow:
        use_case = require(uow.use_cases, "use case", use_case_id)
    readable = allowed(actor, Action.READ, use_case.business_unit_id) or any(
        allowed(actor, Action.READ, None, s) for s in use_case.system_ids
    )
    if not readable:
        raise Forbidden(f"{actor.label} may not read use case {use_case_id}")
    if system_id not in use_case.system_ids:
        raise InvalidInput(f"use case {use_case_id} is not linked to system {system_id}")
    if not use_case.screening:
        raise InvalidInput(f"use case {use_case_id} has no EU AI Act screening")
    return dict(use_case.screening)


@dataclass(frozen=True, slots=True)
class _Classified:
    system: AISystem
    record: ClassificationRecord
    who: Accountability


def _classified(uow: UnitOfWork, actor: Actor, system_id: str | None) -> list[_Classified]:
    """Each visible system with a recorded classification, and who answers for what on it."""
    ensure_member(actor)
    if system_id is not None:
        require(uow.systems, "system", system_id)
    systems = [
        s
        for s in uow.systems.all()
        if (system_id is None or s.id == system_id)
        and allowed(actor, Action.READ, s.business_unit_id, s.id)
    ]
    latest_of: dict[str, ClassificationRecord] = {}
    for r in sorted(uow.classifications.all(), key=lambda r: r.classified_at):
        latest_of[r.system_id] = r
    out = []
    for s in systems:
        if s.id in latest_of:
            out.append(_Classified(s, latest_of[s.id], _accountability(uow, s)))
    return out


def _accountability(uow: UnitOfWork, system: AISystem) -> Accountability:
    entries = uow.raci.for_system(system.id)
    accountable = {
        e.activity.value: e.person_id for e in entries if e.letter is RaciLetter.ACCOUNTABLE
    }
    names = {}
    for pid in {*accountable.values(), *([system.owner_id] if system.owner_id else [])}:
        person = uow.people.get(pid)
        names[pid] = person.name if person else pid
    return Accountability(accountable, system.owner_id, names)


def _answers(record: ClassificationRecord, schedule: str | None) -> dict[str, Any]:
    return {**record.answers, "schedule": schedule} if schedule else dict(record.answers)


@dataclass(frozen=True, slots=True)
class Calendar:
    items: list[Due]
    stale: dict[str, str]  # system id -> why its recorded answers no longer classify


def obligations_calendar(
    ctx: Context,
    actor: Actor,
    data: Mapping[str, Any],
    schedule: str | None = None,
    until: date | None = None,
    system_id: str | None = None,
) -> Calendar:
    """Upcoming obligation dates of every visible classified system (or one), from its
    recorded answers under the schedule given, else the one in force today (as readiness:
    the schedule the answers name was the choice of the day they were given; `impact`
    shows what moved since)."""
    today = ctx.clock().date()
    schedule = schedule or in_force(data, today)
    with ctx.uow() as uow:
        found = _classified(uow, actor, system_id)
    items, stale = [], {}
    for c in found:
        try:
            result = classify(data, _answers(c.record, schedule), c.system.operator_role, today)
        except InvalidInput as exc:
            stale[c.system.id] = exc.message
            continue
        items += upcoming((c.system.id, c.system.name), result.obligations, c.who, today, until)
    items.sort(key=lambda d: (d.on, d.system_name, d.obligation.id, d.obligation.role))
    return Calendar(items, stale)


@dataclass(frozen=True, slots=True)
class Impact:
    system_id: str
    system_name: str
    before: str  # the recorded schedule (and data version)
    after: str
    shifts: list[Shift]
    stale: str = ""  # why the recorded answers no longer classify


def obligations_impact(
    ctx: Context, actor: Actor, data: Mapping[str, Any], schedule: str
) -> list[Impact]:
    """Per visible classified system: what changes from its recorded obligations to those its
    answers bring under `schedule` and the classification data shipped now."""
    today = ctx.clock().date()
    with ctx.uow() as uow:
        found = _classified(uow, actor, None)
    out = []
    for c in found:
        recorded = c.record.result
        before = (
            f"{recorded.get('schedule')} (data {recorded.get('data_version') or 'before versions'})"
        )
        after = f"{schedule} (data {data['version']})"
        try:
            now = classify(data, _answers(c.record, schedule), c.system.operator_role, today)
        except InvalidInput as exc:
            out.append(Impact(c.system.id, c.system.name, before, after, [], exc.message))
            continue
        moved = shifts(recorded, now.obligations, c.who)
        out.append(Impact(c.system.id, c.system.name, before, after, moved))
    return out
