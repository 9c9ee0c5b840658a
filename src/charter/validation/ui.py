"""Web UI: run a validation suite on a system's data, from its page. The data is a file under
the server's data folder (as the API reads it) or uploaded with the form (within the request
size limit every request has); the run goes through the one service the API and `charter
validate` call (same right, the same evidence and audit event)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

import yaml
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from charter.inventory import services as inventory
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.web.lanes import long_running
from charter.kernel.web.pages import (
    back_to,
    check_csrf,
    ctx_of,
    fragment,
    page,
    refusal,
    signed_in,
)
from charter.kernel.yaml_text import parse_yaml
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.files import confined

router = APIRouter(prefix="/ui", include_in_schema=False)
Engine = Literal["duckdb", "spark"]
#: an uploaded file keeps its name when it is a plain one (the suite's record names it)
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(csv|parquet)$")
EXAMPLE = """name: credit-scoring
data: scored.csv
columns: {label: label, prediction: prediction, protected: [sex]}
checks:
  - {id: accuracy, metric: accuracy, min: 0.70}
  - {id: dp-sex, metric: demographic_parity_difference, over: [sex], max: 0.10}
"""


def system_panel(request: Request, who: Actor, about: dict[str, Any]) -> Markup | None:
    """On a system's page, for those who may record its evidence: where to run a suite."""
    system = inventory.get_system(ctx_of(request), who, about["system_id"])
    if not allowed(who, Action.EVIDENCE_RECORD, system.business_unit_id, system.id):
        return None
    return fragment(request, "validation_panel.html", system=system)


def _versions(request: Request, who: Actor, system_id: str) -> list[tuple[str, str]]:
    """Every model version of the system (not a first page), newest first, as (id, "model
    version")."""
    ctx = ctx_of(request)
    found = []
    for model in inventory.all_in_directory(ctx, who, "models", {"system_id": system_id}):
        versions = inventory.all_in_directory(ctx, who, "model_versions", {"model_id": model.id})
        found += [(v.registered_at is not None, v.registered_at, v.id, model.name, v.version)
                  for v in versions]  # fmt: skip
    return [(v[2], f"{v[3]} {v[4]}") for v in sorted(found, reverse=True)]


def _form_page(
    request: Request, system_id: str, form: Mapping[str, Any], message: str | None = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    who, session = signed_in(request)
    system = inventory.get_system(ctx_of(request), who, system_id)
    response = page(
        request, "validation_run.html", who, session, title=f"Validate {system.name}",
        system=system, form=form, versions=_versions(request, who, system_id),
        has_folder=request.app.state.data_dir is not None,
        max_body=getattr(request.app.state, "max_body", None),
        **({"message": message, "error": True} if message else {}),
    )  # fmt: skip
    response.status_code = status
    return response


@router.get("/systems/{system_id}/validations/new")
def run_form(request: Request, system_id: str) -> HTMLResponse:
    return _form_page(request, system_id, {"suite": EXAMPLE, "engine": "duckdb"})


def _suite_text(text: str) -> Any:
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the suite is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise InvalidInput("a suite is a mapping with name, data, columns and checks")
    return raw


def _kept(upload: UploadFile | None, folder: Path, role: str) -> str | None:
    """An uploaded file saved in the run's folder, by the name the suite then reads; None
    when nothing was chosen."""
    if upload is None or not upload.filename:
        return None
    name = Path(upload.filename).name
    if not name.lower().endswith((".csv", ".parquet")):
        raise InvalidInput(f"the {role} file {name!r} is neither .csv nor .parquet")
    name = name if PLAIN.match(name) else f"{role}{Path(name).suffix.lower()}"
    (folder / name).write_bytes(upload.file.read())
    return name


def _with_uploads(raw: dict[str, Any], folder: Path, data: Any, reference: Any) -> bool:
    """The suite reading the uploaded data (and reference) instead of what it names; whether
    anything was uploaded."""
    uploaded = _kept(data, folder, "data")
    if uploaded is None:
        if _kept(reference, folder, "reference"):
            raise InvalidInput("a reference file was uploaded without the data file")
        return False
    raw["data"] = uploaded
    kept = _kept(reference, folder, "reference")
    if kept:
        raw["reference"] = kept
    elif "reference" in raw:
        raise InvalidInput("the suite compares with reference data: upload that file too")
    return True


@router.post("/systems/{system_id}/validations")
@long_running
def run(
    request: Request,
    system_id: str,
    suite: Annotated[str, Form(max_length=200_000)],
    engine: Annotated[Engine, Form()] = "duckdb",
    model_version_id: Annotated[str, Form(max_length=40)] = "",
    data: Annotated[UploadFile | None, File()] = None,
    reference: Annotated[UploadFile | None, File()] = None,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Run the suite over the files uploaded with it, or those it names under the data
    folder; the evidence is recorded when the run completes."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    form = {"suite": suite, "engine": engine, "model_version_id": model_version_id}
    with tempfile.TemporaryDirectory(prefix="charter-upload-") as folder:
        try:
            raw = _suite_text(suite)
            uploaded = _with_uploads(raw, Path(folder), data, reference)
            evidence = _validate(
                request, who, system_id, raw, engine, model_version_id,
                Path(folder) if uploaded else None,
            )  # fmt: skip
        except CharterError as exc:
            message = refusal(request, who, exc)
            return _form_page(request, system_id, form, message, exc.status)
    verdict = "every blocking check satisfied" if evidence.passed else "not passed"
    note = f"evidence recorded from {evidence.suite_name}: {evidence.rows} rows, {verdict}"
    return back_to(request, f"/ui/systems/{quote(system_id)}#evidence", note)


def _validate(
    request: Request, who: Actor, system_id: str, raw: dict[str, Any], engine: Engine,
    version: str, uploaded: Path | None,
) -> Any:  # fmt: skip
    ctx = ctx_of(request)
    root: Path | None = uploaded or request.app.state.data_dir
    if root is None:
        raise InvalidInput("this server has no data folder (set CHARTER_DATA_DIR): upload the data")
    suite = confined(parse_suite(raw), root)
    return validation.validate(
        ctx, who, system_id, suite, lambda s: ctx.run_suite(s, root, engine), version or None,
        "upload" if uploaded else "data_folder",
    )  # fmt: skip
