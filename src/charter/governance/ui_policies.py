"""The policies pages: every policy with what it blocks now, one policy's YAML and the systems
it blocks, switching a policy on or off, and a policy file checked from an upload (size
limited, every problem at its line and field, nothing stored) and then, if its uploader
chooses and holds the right, added as `charter policies load` adds it (same service, same
audit event)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from charter.accountability.services import refusals
from charter.frameworks.files import load_packs
from charter.governance.domain.policy import Policy, over_limit
from charter.governance.files import check_policy_text
from charter.governance.services import gates as governance
from charter.governance.services import policies
from charter.governance.services.facts import Standing
from charter.kernel.access import Actor
from charter.kernel.errors import CharterError
from charter.kernel.web.lanes import long_running
from charter.kernel.web.pages import Session, back_to, check_csrf, ctx_of, page, signed_in
from charter.kernel.yaml_text import dump_yaml

router = APIRouter(prefix="/ui", include_in_schema=False)
#: characters of policy text a form may carry back (the setting's own bound; the setting
#: itself, ctx.policy_file_bytes, is checked in bytes)
MAX_TEXT = 900_000


@router.get("/governance")
def governance_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    blocking: Counter[str] = Counter()
    for p in governance.posture(ctx, who):
        blocking.update({line.split("/", 1)[0] for line in p.blocking})
    cited = policies.citing(ctx, who)
    per_pack = {
        pack.id: sum(1 for r in pack.requirements if r.id in cited) for pack in load_packs()
    }
    return page(
        request, "governance.html", who, session, title="Policies",
        policies=policies.policy_standings(ctx, who), packs=load_packs(), blocking=blocking,
        cited=per_pack, max_upload=ctx.policy_file_bytes,
    )  # fmt: skip


@router.get("/policies/{policy_id}")
def policy_page(request: Request, policy_id: str) -> HTMLResponse:
    """One policy: in force or not, its YAML as stored, the systems it blocks now and why; one
    the audit log has in force that is no longer stored, what the log recorded of it."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found = policies.policy_standing(ctx, who, policy_id)
    prefix = f"{found.policy_id}/"
    blocked = [
        (p.system, p.target, [line.removeprefix(prefix) for line in p.blocking
                              if line.startswith(prefix)])
        for p in governance.posture(ctx, who, policy_id=found.policy_id)
    ]  # fmt: skip
    source = found.row.source if found.row else None
    return page(
        request, "policy.html", who, session, title=found.title, found=found,
        policy=found.row, problem=found.problem, blocked=[b for b in blocked if b[2]],
        text=dump_yaml(source, sort_keys=False, allow_unicode=True, width=100) if source else "",
    )  # fmt: skip


@router.post("/policies/{policy_id}/enabled")
def set_enabled(
    request: Request,
    policy_id: str,
    enabled: Annotated[bool, Form()],
    from_page: Annotated[str, Form(alias="from")] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Switch a policy on or off, from the policies page or the policy's own."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/policies/{quote(policy_id)}" if from_page == "policy" else "/ui/governance"
    try:
        policies.set_enabled(ctx, who, policy_id, enabled)
    except CharterError as exc:
        return back_to(request, back, refusals.refusal(ctx, who, exc), error=True)
    state = "in force" if enabled else "no longer in force"
    return back_to(request, back, f"policy {policy_id} is {state}")


Checked = tuple[list[tuple[dict[str, Any], Policy]], list[tuple[str, str]]]


def _checked_page(
    request: Request, who: Actor, session: Session, name: str, text: str, checked: Checked,
    message: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """What a check found: every problem (422), or each policy against what is stored."""
    items, found = checked
    stood = {s.policy_id: s for s in policies.policy_standings(ctx_of(request), who)}
    rows = [(policy, _against(stood.get(policy.id), policy)) for _, policy in items]
    response = page(
        request, "policy_check.html", who, session, title=f"Checking {name}", file_name=name,
        text=text, problems=found, rows=rows,
        **({"message": message, "error": True} if message else {}),
    )  # fmt: skip
    response.status_code = 422 if found else status
    return response


def _against(found: Standing | None, policy: Policy) -> str:
    """What adding a checked policy would do to what is stored (as `load_policies` does)."""
    if found is not None and found.off_record:
        return f"replaces the policy changed outside Charter ({found.off_record})"
    if found is None or found.row is None:
        return "new"
    if governance.withheld(found.row):
        return "replaces the stored text, edited outside Charter"
    return "unchanged" if found.row.digest == policy.digest else "replaces the stored version"


@router.post("/policies/check")
@long_running
def check_upload(
    request: Request,
    upload: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Check an uploaded policy file as `charter policies validate` does; nothing is stored."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    name = (upload.filename or "the upload").replace("\x00", "")[-100:]
    data = upload.file.read()  # as large as a request may be (the guard's bound), no larger
    if refused := _too_large(request, who, session, name, len(data)):
        return refused
    try:
        text = data.decode("utf-8-sig")
        checked = check_policy_text(text, name)
    except UnicodeDecodeError:
        text, checked = "", ([], [(name, "not UTF-8 text")])
    return _checked_page(request, who, session, name, text, checked)


def _too_large(
    request: Request, who: Actor, session: Session, name: str, size: int
) -> HTMLResponse | None:
    """The refusal (413, naming the limit) of a policy file over the configured size."""
    limit = ctx_of(request).policy_file_bytes
    if size <= limit:
        return None
    message = over_limit(name, size, limit)
    return _checked_page(request, who, session, name, "", ([], []), message, 413)


@router.post("/policies/load")
@long_running
def load_checked(
    request: Request,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    name: Annotated[str, Form(max_length=100)] = "the upload",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Add the policies of a checked file (checked again: the text came back from the page),
    all or none, by a holder of the policy right; refused, the check page stays as it was."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    if refused := _too_large(request, who, session, name, len(text.encode())):
        return refused
    ctx = ctx_of(request)
    checked = check_policy_text(text, name)
    if checked[1]:
        return _checked_page(request, who, session, name, text, checked)
    try:
        stored = policies.load_policies(ctx, who, checked[0])
    except CharterError as exc:
        message = refusals.refusal(ctx, who, exc)
        return _checked_page(request, who, session, name, text, checked, message, exc.status)
    ids = ", ".join(p.id for p in stored)
    count = "1 policy" if len(stored) == 1 else f"{len(stored)} policies"
    return back_to(request, "/ui/governance", f"{count} from {name} stored, in force: {ids}")
