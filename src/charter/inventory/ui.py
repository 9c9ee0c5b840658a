"""Web UI pages of the inventory beyond systems: models and their versions, datasets and
vendors. Each kind is listed with a form to register one, and each record has a page with a
form to edit it. A form posts, calls the one service the API and the CLI call (same rights,
same audit event) and redirects with a note; a refused form comes back filled in, saying which
role it needs and who holds it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from charter.inventory import services as inventory
from charter.kernel.access import Actor
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, refusal, signed_in
from charter.kernel.web.picker import resolve

router = APIRouter(prefix="/ui", include_in_schema=False)
SHOWN = 500  # records a list shows; the API pages through the rest


def _text(title: str, limit: int, required: bool = False) -> Any:
    return Field("", max_length=limit, title=title, json_schema_extra={"required": required})


def _choice(title: str, among: str, none: str) -> Any:
    extra: dict[str, Any] = {"among": among, "none": none}
    return Field("", max_length=400, title=title, json_schema_extra=extra)  # "Name (id)" too


class Posted(BaseModel):
    """A form as the browser posts it: every field text (a box ticked: "true"), its token."""

    csrf: str = ""

    def values(self) -> dict[str, Any]:
        """The record's fields: an empty reference (`..._id`) is none."""
        found = self.model_dump(exclude={"csrf"})
        return {k: (v or None) if k.endswith("_id") else v for k, v in found.items()}


class VendorForm(Posted):
    name: str = _text("Name", 200, required=True)
    website: str = _text("Website", 500)
    contact: str = _text("Contact (who to call about it)", 500)
    notes: str = _text("Notes (contract, assurances received)", 4000)


class DatasetForm(Posted):
    name: str = _text("Name", 200, required=True)
    owner_id: str = _text("Owner (e-mail or name; empty: nobody yet)", 200)
    source: str = _text("Source (where the data comes from)", 4000)
    contains_personal_data: bool = Field(False, title="Contains personal data")
    special_category_data: bool = Field(
        False, title="Contains special-category data (GDPR Art. 9: health, ethnicity, ...)"
    )
    retention: str = _text("Retention (how long it is kept)", 200)


class ModelForm(Posted):
    name: str = _text("Name", 200, required=True)
    system_id: str = _choice("AI system it serves", "systems", "none yet")
    vendor_id: str = _choice("Vendor", "vendors", "built in-house")
    description: str = _text("Description", 4000)


class VersionForm(Posted):
    version: str = _text("Version", 100, required=True)
    artifact_uri: str = _text("Where the artifact is kept (URI)", 2000, required=True)
    framework: str = _text("Framework (scikit-learn 1.5, PyTorch 2.4, ...)", 100)
    training_dataset_id: str = _choice("Trained on", "datasets", "not recorded")


def widgets(form: type[Posted]) -> list[dict[str, Any]]:
    """How each field of a form is drawn: a box for yes or no, a list to choose from, a text
    area for long text, a line otherwise."""
    drawn = []
    for name, field in form.model_fields.items():
        if name == "csrf":
            continue
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        limit = next((m.max_length for m in field.metadata if hasattr(m, "max_length")), None)
        kind = (
            "check" if field.annotation is bool
            else "pick" if "among" in extra
            else "area" if (limit or 0) > 500
            else "line"
        )  # fmt: skip
        drawn.append({"name": name, "label": field.title, "kind": kind, "limit": limit} | extra)
    return drawn


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of inventory record as the pages show it."""

    plural: str  # the address and the directory collection: "models"
    one: str  # "model"
    form: type[Posted]
    register: Callable[..., Any]
    update: Callable[..., Any]
    first: str  # what the empty list says to do first


KINDS = {
    "models": Kind(
        "models", "model", ModelForm, inventory.register_model, inventory.update_model,
        "Register each model with the AI system it serves, then add its versions as they "
        "are trained (or import them from MLflow on the Import page).",
    ),
    "datasets": Kind(
        "datasets", "dataset", DatasetForm, inventory.register_dataset, inventory.update_dataset,
        "Register the datasets your models are trained and validated on, with their owner "
        "and whether they hold personal data; model versions then name what they learnt from.",
    ),
    "vendors": Kind(
        "vendors", "vendor", VendorForm, inventory.register_vendor, inventory.update_vendor,
        "Register the vendors whose models or services your AI systems use, so that each "
        "system and model can name where it comes from.",
    ),
}  # fmt: skip


def _named(ctx: Any, who: Actor, plural: str, ids: set[str]) -> dict[str, str]:
    """The names of these records of a kind (only those), by id."""
    if plural == "systems":
        return inventory.system_names(ctx, who, ids)
    wanted = {"id": frozenset(ids)}
    return (
        {r.id: r.name for r in inventory.all_in_directory(ctx, who, plural, wanted)} if ids else {}
    )


def _picked(request: Request, who: Actor, form: Posted) -> dict[str, Any]:
    """The record's fields, each searchable choice resolved from what was typed to its id;
    refused (InvalidInput) with every choice that names several records or none, each with
    its close matches."""
    values, wrong = form.values(), []
    for f in widgets(type(form)):
        if f["kind"] == "pick":
            try:
                values[f["name"]] = resolve(request, who, f["among"], values[f["name"]])
            except InvalidInput as exc:
                wrong.append(f"{f['label']}: {exc.message}")
    if wrong:
        raise InvalidInput("; ".join(wrong))
    return values


def _rows(request: Request, who: Actor, kind: Kind, items: list[Any]) -> list[list[str]]:
    """The table's cells after each record's name."""
    ctx = ctx_of(request)
    if kind.plural == "vendors":
        shown = {"vendor_id": frozenset(v.id for v in items)}
        count = Counter(m.vendor_id for m in inventory.all_in_directory(ctx, who, "models", shown))
        return [[v.website, v.contact, str(count[v.id])] for v in items]
    if kind.plural == "datasets":
        names = inventory.names(ctx, who)
        return [
            [names.get(d.owner_id or "", "nobody yet"), _personal(d), d.retention or "not set"]
            for d in items
        ]
    named = {
        plural: _named(ctx, who, plural, {getattr(m, f"{one}_id") or "" for m in items} - {""})
        for plural, one in (("systems", "system"), ("vendors", "vendor"))
    }
    shown = {"model_id": frozenset(m.id for m in items)}
    versions = inventory.all_in_directory(ctx, who, "model_versions", shown)
    latest = {v.model_id: v.version for v in sorted(versions, key=_registered)}
    count = Counter(v.model_id for v in versions)
    return [
        [named["systems"].get(m.system_id or "", "none yet"),
         named["vendors"].get(m.vendor_id or "", "built in-house"),
         latest.get(m.id, "none yet"), str(count[m.id])]
        for m in items
    ]  # fmt: skip


HEADERS = {
    "vendors": ("Website", "Contact", "Models"),
    "datasets": ("Owner", "Personal data", "Retention"),
    "models": ("AI system", "Vendor", "Current version", "Versions"),
}


def _registered(version: Any) -> Any:
    return (version.registered_at is not None, version.registered_at)


def _personal(dataset: Any) -> str:
    if dataset.special_category_data:
        return "special category"
    return "yes" if dataset.contains_personal_data else "no"


def _list_page(
    request: Request, kind: Kind, form: dict[str, Any] | None = None,
    message: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    who, session = signed_in(request)
    found = inventory.list_directory(ctx_of(request), who, kind.plural, limit=SHOWN, order="name")
    response = page(
        request, "inventory_list.html", who, session, title=kind.plural.capitalize(),
        kind=kind, kinds=KINDS, found=found, rows=_rows(request, who, kind, found.items),
        headers=HEADERS[kind.plural], fields=widgets(kind.form), form=form or {},
        opened=bool(message),
        **({"message": message, "error": True} if message else {}),
    )  # fmt: skip
    response.status_code = status
    return response


def _record(request: Request, who: Actor, kind: Kind, ident: str) -> Any:
    if kind.plural == "models":
        return inventory.get_model(ctx_of(request), who, ident)
    return inventory.get_directory(ctx_of(request), who, kind.plural, ident)


def _item_page(
    request: Request, kind: Kind, ident: str, form: dict[str, Any] | None = None,
    version: dict[str, Any] | None = None, message: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    who, session = signed_in(request)
    ctx = ctx_of(request)
    item = _record(request, who, kind, ident)
    versions = []
    if kind.plural == "models":
        found = inventory.list_directory(
            ctx, who, "model_versions", {"model_id": ident}, limit=SHOWN
        )
        versions = sorted(found.items, key=_registered, reverse=True)
    response = page(
        request, "inventory_item.html", who, session, title=item.name, kind=kind, kinds=KINDS,
        item=item, fields=widgets(kind.form), form=form or _shown(ctx, who, kind, item),
        version_fields=widgets(VersionForm), version=version or {}, versions=versions,
        choices={"datasets": _named(ctx, who, "datasets",
                                    {v.training_dataset_id for v in versions} - {None})},
        **({"message": message, "error": True} if message else {}),
    )  # fmt: skip
    response.status_code = status
    return response


def _shown(ctx: Any, who: Actor, kind: Kind, item: Any) -> dict[str, Any]:
    """A record's fields as its edit form shows them: no reference empty, an owner by name,
    each searchable choice as "Name (id)": saved unchanged, it is read back by its id (the
    name only checked), never looked up again by name."""
    shown = {k: "" if v is None else v for k, v in asdict(item).items()}
    if shown.get("owner_id"):
        shown["owner_id"] = inventory.names(ctx, who).get(shown["owner_id"], shown["owner_id"])
    for f in widgets(kind.form):
        if f["kind"] == "pick" and shown.get(f["name"]):
            ident = shown[f["name"]]
            name = _named(ctx, who, f["among"], {ident}).get(ident)
            shown[f["name"]] = f"{name} ({ident})" if name else ident
    return kind.form.model_validate(shown).model_dump()


def _register(request: Request, kind: Kind, form: Posted) -> Response:
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    try:
        made = kind.register(ctx_of(request), who, **_picked(request, who, form))
    except CharterError as exc:
        return _list_page(request, kind, form.model_dump(), refusal(request, who, exc), exc.status)
    return back_to(request, f"/ui/{kind.plural}/{quote(made.id)}", f"{made.name} is registered")


def _edit(request: Request, kind: Kind, ident: str, form: Posted) -> Response:
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    try:
        kind.update(ctx_of(request), who, ident, **_picked(request, who, form))
    except CharterError as exc:
        message = refusal(request, who, exc)
        return _item_page(request, kind, ident, form.model_dump(), None, message, exc.status)
    return back_to(request, f"/ui/{kind.plural}/{quote(ident)}", "changes saved")


@router.get("/models")
def models_page(request: Request) -> HTMLResponse:
    return _list_page(request, KINDS["models"])


@router.post("/models")
def register_model(request: Request, form: Annotated[ModelForm, Form()]) -> Response:
    return _register(request, KINDS["models"], form)


@router.get("/models/{model_id}")
def model_page(request: Request, model_id: str) -> HTMLResponse:
    return _item_page(request, KINDS["models"], model_id)


@router.post("/models/{model_id}")
def edit_model(request: Request, model_id: str, form: Annotated[ModelForm, Form()]) -> Response:
    return _edit(request, KINDS["models"], model_id, form)


@router.post("/models/{model_id}/versions")
def add_version(request: Request, model_id: str, form: Annotated[VersionForm, Form()]) -> Response:
    """Add a version; registered now, it becomes the model's current one."""
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    try:
        values = _picked(request, who, form)
        added = inventory.add_model_version(ctx_of(request), who, model_id, **values)
    except CharterError as exc:
        message = refusal(request, who, exc)
        kind = KINDS["models"]
        return _item_page(request, kind, model_id, None, form.model_dump(), message, exc.status)
    note = f"version {added.version} added; it is the model's current version"
    return back_to(request, f"/ui/models/{quote(model_id)}#versions", note)


@router.get("/datasets")
def datasets_page(request: Request) -> HTMLResponse:
    return _list_page(request, KINDS["datasets"])


@router.post("/datasets")
def register_dataset(request: Request, form: Annotated[DatasetForm, Form()]) -> Response:
    return _register(request, KINDS["datasets"], form)


@router.get("/datasets/{dataset_id}")
def dataset_page(request: Request, dataset_id: str) -> HTMLResponse:
    return _item_page(request, KINDS["datasets"], dataset_id)


@router.post("/datasets/{dataset_id}")
def edit_dataset(
    request: Request, dataset_id: str, form: Annotated[DatasetForm, Form()]
) -> Response:
    return _edit(request, KINDS["datasets"], dataset_id, form)


@router.get("/vendors")
def vendors_page(request: Request) -> HTMLResponse:
    return _list_page(request, KINDS["vendors"])


@router.post("/vendors")
def register_vendor(request: Request, form: Annotated[VendorForm, Form()]) -> Response:
    return _register(request, KINDS["vendors"], form)


@router.get("/vendors/{vendor_id}")
def vendor_page(request: Request, vendor_id: str) -> HTMLResponse:
    return _item_page(request, KINDS["vendors"], vendor_id)


@router.post("/vendors/{vendor_id}")
def edit_vendor(request: Request, vendor_id: str, form: Annotated[VendorForm, Form()]) -> Response:
    return _edit(request, KINDS["vendors"], vendor_id, form)
