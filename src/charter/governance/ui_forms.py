"""Governance tasks as web forms: register and edit a system, request a transition, attach,
approve and supersede a document (policies: ui_policies). Each form posts, calls the one service
the API calls (same permissions, same audit event) and redirects with a note; a refusal says
which role was missing and who holds it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from charter.accountability.services import org, refusals
from charter.governance.domain.lifecycle import RequestStatus
from charter.governance.ports import Context
from charter.governance.services import documents, lifecycle
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, LifecycleStage, OperatorRole
from charter.kernel.access import Actor
from charter.kernel.errors import CharterError
from charter.kernel.labels import label
from charter.kernel.roles import RoleKind
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in
from charter.kernel.web.picker import picker, resolve

router = APIRouter(prefix="/ui", include_in_schema=False)


class SystemForm(BaseModel):
    """The system form as posted (every field text, as the browser sends it)."""

    name: str = Field("", max_length=200)
    purpose: str = Field("", max_length=4000)
    intended_use: str = Field("", max_length=4000)
    business_unit_id: str = Field("", max_length=100)
    owner_id: str = Field("", max_length=320)  # typed: a name, an e-mail, an id
    operator_role: OperatorRole = OperatorRole.PROVIDER
    deployment_context: str = Field("", max_length=4000)
    tags: str = Field("", max_length=2000)
    csrf: str = ""

    def values(self, request: Request, who: Actor, held: str | None = None) -> dict[str, Any]:
        """The system's fields (the owner found from what was typed, empty: none yet; the
        owner it `held`, by id or as the form shows one who left, kept as it is even when
        they left, which the picker of active people does not find; tags split at commas)."""
        fields = self.model_dump(exclude={"csrf", "owner_id", "tags"})
        tags = tuple(t for t in self.tags.split(",") if t.strip())
        typed = self.owner_id.strip()
        kept = held is not None and (typed == held or typed == _left(request, who, held))
        owner = held if kept else resolve(request, who, "people", self.owner_id)
        return fields | {"owner_id": owner, "tags": tags}


def _left(request: Request, who: Actor, person_id: str | None) -> str | None:
    """How the form shows a person who has left: their name, marked "(left)" (None: they
    are still here, or nobody)."""
    if not person_id:
        return None
    person = org.get_directory(ctx_of(request), who, "people", person_id)
    return None if person.active else f"{person.name} (left)"


def _form_page(
    request: Request, who: Actor, session: Any, form: dict[str, Any], system: AISystem | None,
    message: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    ctx = ctx_of(request)
    units = org.all_in_directory(ctx, who, "business_units")
    response = page(
        request, "system_form.html", who, session,
        title=f"Edit {system.name}" if system else "Register an AI system", system=system,
        action=f"/ui/systems/{quote(system.id)}/edit" if system else "/ui/systems/new",
        submit="Save changes" if system else "Register", form=form, units=units,
        roles=list(OperatorRole),
        **({"message": message, "error": True} if message else {}),
    )  # fmt: skip
    response.status_code = status
    return response


def _refused(ctx: Context, who: Actor, exc: CharterError) -> tuple[str, int]:
    return refusals.refusal(ctx, who, exc), exc.status


@router.get("/systems/new")
def register_form(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    return _form_page(request, who, session, {"operator_role": "provider"}, None)


@router.post("/systems/new")
def register(request: Request, form: Annotated[SystemForm, Form()]) -> Response:
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    ctx = ctx_of(request)
    try:
        system = inventory.register_system(ctx, who, **form.values(request, who)).system
    except CharterError as exc:
        message, status = _refused(ctx, who, exc)
        return _form_page(request, who, session, form.model_dump(), None, message, status)
    return back_to(request, f"/ui/systems/{quote(system.id)}", f"{system.name} is registered")


@router.get("/systems/{system_id}/edit")
def edit_form(request: Request, system_id: str) -> HTMLResponse:
    who, session = signed_in(request)
    system = inventory.get_system(ctx_of(request), who, system_id)
    owner = picker(request, "people").get(ctx_of(request), who, system.owner_id or "")
    shown = owner.label if owner else _left(request, who, system.owner_id) or system.owner_id
    form = SystemForm(
        name=system.name, purpose=system.purpose, intended_use=system.intended_use,
        business_unit_id=system.business_unit_id,
        owner_id=shown or "",
        operator_role=system.operator_role, deployment_context=system.deployment_context,
        tags=", ".join(system.tags),
    ).model_dump()  # fmt: skip
    return _form_page(request, who, session, form, system)


@router.post("/systems/{system_id}/edit")
def edit(request: Request, system_id: str, form: Annotated[SystemForm, Form()]) -> Response:
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    ctx = ctx_of(request)
    system = inventory.get_system(ctx, who, system_id)
    try:
        values = form.values(request, who, system.owner_id)
        inventory.update_system(ctx, who, system_id, **values)
    except CharterError as exc:
        message, status = _refused(ctx, who, exc)
        return _form_page(request, who, session, form.model_dump(), system, message, status)
    return back_to(request, f"/ui/systems/{quote(system_id)}", "changes saved")


@router.post("/systems/{system_id}/transitions")
def request_transition(
    request: Request,
    system_id: str,
    target: Annotated[LifecycleStage, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Ask to move the system to a next stage; applied at once when its gate passes."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/systems/{quote(system_id)}#gate"
    try:
        item, result = lifecycle.request_transition(ctx, who, system_id, target, reason)
    except CharterError as exc:
        return back_to(request, back, refusals.refusal(ctx, who, exc), error=True)
    if item.status is RequestStatus.APPLIED:
        return back_to(request, back, f"the system moved to {label(item.target)}")
    waiting = "; ".join(result.blocking_reasons) or "the decisions the gate needs"
    return back_to(request, back, f"requested {label(item.target)}; the gate waits for: {waiting}")


@router.post("/transitions/{request_id}/recheck")
def recheck(
    request: Request,
    request_id: str,
    system_id: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Judge a pending request's gate again (new evidence, a waiver, a changed policy); the
    transition applies when it now passes."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/systems/{quote(system_id)}#gate"
    try:
        item, result = lifecycle.recheck(ctx, who, request_id)
    except CharterError as exc:
        return back_to(request, back, refusals.refusal(ctx, who, exc), error=True)
    if item.status is RequestStatus.APPLIED:
        return back_to(
            request, back, f"the gate passes now: the system moved to {label(item.target)}"
        )
    return back_to(request, back, "the gate still waits for: " + "; ".join(result.blocking_reasons))


@router.post("/systems/{system_id}/documents")
def attach_document(
    request: Request,
    system_id: str,
    kind: Annotated[str, Form()],
    title: Annotated[str, Form()] = "",
    uri: Annotated[str, Form()] = "",
    supersedes: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Attach a document; with `supersedes`, as the new version of an earlier one of its kind,
    which then no longer counts (nor its approval)."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/systems/{quote(system_id)}#documents"
    try:
        doc = documents.attach_document(ctx, who, system_id, kind, title, uri, supersedes or None)
    except CharterError as exc:
        return back_to(request, back, refusals.refusal(ctx, who, exc), error=True)
    replaced = "; it replaces the earlier version" if supersedes else ""
    note = f"{label(doc.kind)} “{doc.title}” attached{replaced}; it awaits approval"
    return back_to(request, back, note)


@router.post("/documents/{document_id}/approve")
def approve_document(
    request: Request,
    document_id: str,
    role: Annotated[RoleKind, Form()],
    system_id: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/systems/{quote(system_id)}#documents"
    try:
        doc = documents.approve_document(ctx, who, document_id, role)
    except CharterError as exc:
        return back_to(request, back, refusals.refusal(ctx, who, exc), error=True)
    return back_to(request, back, f"“{doc.title}” approved as {label(role)}")
