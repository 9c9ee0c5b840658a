"""The EU AI Act questionnaire in the web UI: one question per page, each answer checked as
it is given and kept in the system's draft (leave and come back: it resumes where it
stopped), back and next, a summary with the result it would give before anything is
recorded, then the classification through the service the API and `charter classify` call
(the same right, record and audit event), shown with the articles it rests on. The words of
each article come from the EU AI Act pack (paraphrased, cited)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from charter.frameworks import services as classification
from charter.frameworks.domain.packs import PackRequirement
from charter.frameworks.domain.questionnaire import (
    NONE,
    next_question,
    open_questions,
    submitted,
    typed,
)
from charter.frameworks.files import classification_data, load_packs
from charter.inventory import services as inventory
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.labels import label
from charter.kernel.web.pages import (
    back_to,
    check_csrf,
    ctx_of,
    fragment,
    page,
    refusal,
    signed_in,
)

router = APIRouter(prefix="/ui", include_in_schema=False)
FIELD_LIMIT = 40  # values one answer's field may carry (the longest list has 25 points)


def _url(system_id: str, tail: str = "") -> str:
    return f"/ui/systems/{quote(system_id)}/classification{tail}"


def _articles(ids: Sequence[str]) -> list[PackRequirement]:
    """The EU AI Act pack's requirements of these ids, in the order given."""
    pack = next((p for p in load_packs() if p.id == "eu-ai-act"), None)
    found = {r.id: r for r in pack.requirements} if pack else {}
    return [found[i] for i in ids if i in found]


def _options(data: Mapping[str, Any], key: str) -> list[tuple[str, str]]:
    """What a question chooses among: (value, words)."""
    question = data["questions"][key]
    kind = question["kind"]
    if kind == "flag":
        return [("yes", "Yes"), ("no", "No")]
    if kind == "roles":
        return [(r, r.capitalize()) for r in ("provider", "deployer", "importer", "distributor")]
    if kind == "schedule":
        return [
            (k, f"{k}: {s.get('title', '')}".rstrip(": ")) for k, s in data["schedules"].items()
        ]
    if kind in ("choice", "points"):
        items = data[question["of"]].items()
        return [(k, v["title"] if isinstance(v, Mapping) else str(v)) for k, v in items]
    return []


def _shown(kind: str, value: Any) -> list[str]:
    """A kept answer as the form's values (what is checked or typed)."""
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return [str(v) for v in value] or ([NONE] if kind == "points" else [])
    if value is None:
        return [NONE] if kind == "choice" else []
    return [f"{value:g}" if isinstance(value, float) else str(value)]


def _words(data: Mapping[str, Any], key: str, value: Any) -> str:
    """An answer in words, for the summary."""
    kind = data["questions"][key]["kind"]
    options = dict(_options(data, key))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        said = [f"{v}: {options[v]}" if kind == "points" else options.get(str(v), str(v))
                for v in value]  # fmt: skip
        return "; ".join(said) or "none of these"
    if value is None:
        return "none applies" if kind == "choice" else "not known"
    return f"{value}: {options[value]}" if value in options else str(value)


def _shown_page(request: Request, system_id: str, status: int = 200, **values: Any) -> HTMLResponse:
    who, session = signed_in(request)
    system = inventory.get_system(ctx_of(request), who, system_id)
    response = page(
        request, "classify.html", who, session, title=f"Classify {system.name}", system=system,
        **values,
    )  # fmt: skip
    response.status_code = status
    return response


def _step(
    request: Request, system_id: str, answers: Mapping[str, Any], key: str,
    typed_now: Sequence[str] | None = None, message: str = "", status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """One question: its words, the articles that explain it, the answer kept (or as typed
    when refused), back to the question before it."""
    data = classification_data()
    question = data["questions"][key]
    opened = open_questions(data, answers)
    at = opened.index(key) if key in opened else len(opened)
    return _shown_page(
        request, system_id, status, step={
            "key": key, "ask": question["ask"], "kind": question["kind"],
            "options": _options(data, key), "number": at + 1, "total": len(opened),
            "chosen": list(typed_now) if typed_now is not None
            else _shown(question["kind"], answers[key]) if key in answers else [],
            "back": opened[at - 1] if at > 0 else None,
            "articles": _articles([*filter(None, [question.get("cite")]),
                                   *question.get("explain", ())]),
            "answered": len(answers), "words": question.get("words", ""),
        }, none_value=NONE, **({"message": message, "error": True} if message else {}),
    )  # fmt: skip


def _summary(request: Request, system_id: str, answers: Mapping[str, Any]) -> HTMLResponse:
    """Every answer in words, and what they would classify as (nothing recorded yet)."""
    who, _ = signed_in(request)
    data = classification_data()
    rows = [(k, data["questions"][k]["ask"], _words(data, k, answers[k]))
            for k in open_questions(data, answers)]  # fmt: skip
    try:
        preview = classification.preview_classification(
            ctx_of(request), who, system_id, submitted(answers), data
        )
    except CharterError as exc:
        return _shown_page(request, system_id, 422, summary=rows, message=exc.message, error=True)
    return _shown_page(
        request, system_id, summary=rows, preview=preview,
        articles={a.id: a for a in _articles(preview.cites)},
    )  # fmt: skip


def _refused(request: Request, system_id: str, exc: CharterError) -> HTMLResponse:
    """The page saying why, in words (which right, and who holds it)."""
    who, _ = signed_in(request)
    return _shown_page(
        request, system_id, exc.status, message=refusal(request, who, exc), error=True
    )


@router.get("/systems/{system_id}/classification")
def questionnaire(request: Request, system_id: str, q: str = "") -> HTMLResponse:
    """The next question to answer (or `q`, one answered before), else the summary."""
    who, _ = signed_in(request)
    try:
        draft = classification.draft_of(ctx_of(request), who, system_id)
    except CharterError as exc:
        return _refused(request, system_id, exc)
    data = classification_data()
    answers = draft.answers if draft else {}
    upcoming = next_question(data, answers)
    if q in answers and q in open_questions(data, answers):
        return _step(request, system_id, answers, q)
    if upcoming is None:
        return _summary(request, system_id, answers)
    return _step(request, system_id, answers, upcoming)


@router.post("/systems/{system_id}/classification/answers")
def answer(
    request: Request,
    system_id: str,
    key: Annotated[str, Form(max_length=60)],
    value: Annotated[list[str] | None, Form(alias="answer", max_length=FIELD_LIMIT)] = None,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Keep one answer in the draft, then on to the next question."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx, data = ctx_of(request), classification_data()
    draft = None
    try:
        draft = classification.draft_of(ctx, who, system_id)
        if key not in data["questions"]:
            raise InvalidInput(f"no question {key!r}", details={"field": key})
        classification.answer_question(
            ctx, who, system_id, data, key, typed(data, key, value or [])
        )
    except CharterError as exc:
        if draft is None and not isinstance(exc, InvalidInput):
            return _refused(request, system_id, exc)
        answers = draft.answers if draft else {}
        shown = key if key in open_questions(data, answers) else next_question(data, answers)
        if shown is None:
            return _refused(request, system_id, exc)
        words = refusal(request, who, exc)
        return _step(request, system_id, answers, shown, value or [], words, exc.status)
    return RedirectResponse(_url(system_id), status_code=303)


@router.post("/systems/{system_id}/classification/submit")
def submit(request: Request, system_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    """Record the classification from the answers (the draft goes with it)."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        item, _ = classification.submit_draft(
            ctx_of(request), who, system_id, classification_data()
        )
    except CharterError as exc:
        return back_to(request, _url(system_id), refusal(request, who, exc), error=True)
    return back_to(request, _url(system_id, "/result"), f"classified: {label(item.tier)}")


@router.post("/systems/{system_id}/classification/discard")
def discard(request: Request, system_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    """Discard the answers given so far."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        done = classification.discard_draft(ctx_of(request), who, system_id)
    except CharterError as exc:
        return back_to(request, _url(system_id), refusal(request, who, exc), error=True)
    note = "the questionnaire's answers were discarded" if done else "no answers to discard"
    return back_to(request, f"/ui/systems/{quote(system_id)}#classification", note)


@router.get("/systems/{system_id}/classification/result")
def result(request: Request, system_id: str) -> HTMLResponse:
    """The latest classification: the tier, each step with the article it rests on, the
    obligations it brings."""
    who, _ = signed_in(request)
    found = classification.latest(ctx_of(request), who, system_id)
    cites = [s["cite"] for s in found.result.get("reasoning", ())] if found else []
    duties = [o["id"] for o in found.result.get("obligations", ())] if found else []
    return _shown_page(
        request, system_id, record=found,
        articles={a.id: a for a in _articles([*cites, *duties])},
        may_classify=found is not None and _may_classify(request, who, system_id),
    )  # fmt: skip


def _may_classify(request: Request, who: Actor, system_id: str) -> bool:
    system = inventory.get_system(ctx_of(request), who, system_id)
    return allowed(who, Action.RISK_CLASSIFY, system.business_unit_id, system.id)


def system_panel(request: Request, who: Actor, about: dict[str, Any]) -> Markup | None:
    """On a system's page, for those who may classify it: the questionnaire, and how far
    its answers have come."""
    system_id = about["system_id"]
    if not _may_classify(request, who, system_id):
        return None
    draft = classification.draft_of(ctx_of(request), who, system_id)
    return fragment(
        request, "classification_panel.html", url=_url(system_id), draft=draft,
        answered=len(draft.answers) if draft else 0, csrf=about.get("csrf", ""),
    )  # fmt: skip
