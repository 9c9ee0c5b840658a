"""API: talent and AI literacy, adoption and change management."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from charter.kernel.present import as_json
from charter.kernel.web.contract import Items, returns
from charter.kernel.web.http import Who, context
from charter.people.domain.adoption import Communication, Survey
from charter.people.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill
from charter.people.ports import Context
from charter.people.present import adoption_json, talent_json
from charter.people.schemas import (
    AdoptionIn,
    AdoptionOut,
    AssessmentIn,
    CommunicationIn,
    CompletionIn,
    CourseIn,
    Recorded,
    SkillIn,
    SkillNeedIn,
    SurveyIn,
    Talent,
)
from charter.people.services import adoption, talent

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.get("/talent", tags=["talent"], responses=returns(Talent))
def get_talent(ctx: Ctx, who: Who) -> Any:
    """Skills, courses, needs, every person's gaps, the portfolio's demand for skills, AI
    literacy coverage by role and business unit, and training due for renewal."""
    return talent_json(talent.talent_view(ctx, who))


@router.post("/skills", status_code=201, tags=["talent"], responses=returns(Skill, 201))
def add_skill(ctx: Ctx, who: Who, body: SkillIn) -> Any:
    return as_json(talent.add_skill(ctx, who, body.name, body.category, body.description))


@router.post("/skill-needs", status_code=201, tags=["talent"], responses=returns(RoleSkill, 201))
def need_skill(ctx: Ctx, who: Who, body: SkillNeedIn) -> Any:
    return as_json(talent.need_skill(ctx, who, body.role, body.skill_id, body.level))


@router.post(
    "/people/{person_id}/skills",
    status_code=201,
    tags=["talent"],
    responses=returns(PersonSkill, 201),
)
def assess_skill(ctx: Ctx, who: Who, person_id: str, body: AssessmentIn) -> Any:
    return as_json(
        talent.assess_skill(ctx, who, person_id, body.skill_id, body.level, body.evidence)
    )


@router.get("/people/{person_id}/training", tags=["talent"], responses=returns(Items[Completion]))
def person_training(ctx: Ctx, who: Who, person_id: str) -> Any:
    return {"items": as_json(talent.person_training(ctx, who, person_id))}


@router.post("/courses", status_code=201, tags=["talent"], responses=returns(Course, 201))
def add_course(ctx: Ctx, who: Who, body: CourseIn) -> Any:
    return as_json(
        talent.add_course(
            ctx, who, body.title, body.provider, body.literacy, body.roles, body.skill_ids,
            body.validity_months,
        )
    )  # fmt: skip


@router.post("/completions", status_code=201, tags=["talent"], responses=returns(Completion, 201))
def record_completion(ctx: Ctx, who: Who, body: CompletionIn) -> Any:
    return as_json(
        talent.record_completion(
            ctx, who, body.person_id, body.course_id, body.completed_on, body.evidence
        )
    )


@router.get("/adoption", tags=["adoption"], responses=returns(AdoptionOut))
def get_adoption(ctx: Ctx, who: Who) -> Any:
    """Monthly adoption by business unit and system, surveys, communications."""
    return adoption_json(adoption.adoption_view(ctx, who))


@router.post("/adoption", status_code=201, tags=["adoption"], responses=returns(Recorded, 201))
def record_adoption(ctx: Ctx, who: Who, body: AdoptionIn) -> Any:
    """Adoption figures by system, business unit and month: all rows or none."""
    done = adoption.record_adoption(ctx, who, body.plain(), body.source)
    return {"recorded": len(done)}


@router.post("/surveys", status_code=201, tags=["adoption"], responses=returns(Survey, 201))
def record_survey(ctx: Ctx, who: Who, body: SurveyIn) -> Any:
    return as_json(
        adoption.record_survey(
            ctx, who, body.title, body.period, body.responses, body.sentiment, body.concerns,
            body.business_unit_id, body.system_id,
        )
    )  # fmt: skip


@router.post(
    "/communications", status_code=201, tags=["adoption"], responses=returns(Communication, 201)
)
def log_communication(ctx: Ctx, who: Who, body: CommunicationIn) -> Any:
    return as_json(
        adoption.log_communication(
            ctx, who, body.title, body.channel, body.sent_on, body.audience, body.summary,
            body.system_id,
        )
    )  # fmt: skip
