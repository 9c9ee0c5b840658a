"""The OpenAPI document as the server behaves: FastAPI's document, with the problems each
operation can answer declared as application/problem+json (FastAPI's own 422 shape is not
what Charter sends, so it is replaced), and the text every request refuses (the request
guard's rule) stated as a pattern on each string it reads."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from charter.kernel.web.contract import Problem
from charter.web.guard import FORBIDDEN, FORBIDDEN_IN_ADDRESS
from charter.web.problems import TITLES

REF = "#/components/schemas/{model}"
PROBLEM = {"$ref": REF.format(model="Problem")}
WRITES = {"post", "put", "patch", "delete"}
TEXT = f"^[^{FORBIDDEN.pattern[1:-1]}]*$"
ADDRESS = f"^[^{FORBIDDEN_IN_ADDRESS.pattern[1:-1]}]*$"


def statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The problems an operation can answer: every one refuses bad input (422) and can be
    busy (503) or fail unexpectedly (500); one that needs a token can be unauthenticated,
    forbidden, or name a record (in its path, query or body) that does not exist (401, 403,
    404); writes can conflict, be too large or find the disk full (400 when the client goes
    away before its body is read); and what a route declares itself."""
    found = [422, 500, 503]
    found += [int(s) for s in operation.get("responses", {}) if s[0] in "45"]
    if operation.get("security"):
        found += [401, 403, 404]
    if method in WRITES:
        found += [400, 409, 413, 507]
    return sorted(set(found))


def _refusing(schema: Any, pattern: str, schemas: dict[str, Any], seen: set[str]) -> None:
    """Each string (and each object key) in a request's schema says which text is refused."""
    if isinstance(schema, list):
        for item in schema:
            _refusing(item, pattern, schemas, seen)
        return
    if not isinstance(schema, dict):
        return
    if ref := schema.get("$ref"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _refusing(schemas.get(name), pattern, schemas, seen)
        return
    if schema.get("type") == "string" and "enum" not in schema and "pattern" not in schema:
        schema["pattern"] = pattern
    if schema.get("type") == "object" and schema.get("additionalProperties"):
        schema.setdefault("propertyNames", {"pattern": pattern})
    for value in schema.values():
        if isinstance(value, dict | list):
            _refusing(value, pattern, schemas, seen)


def _requests(operation: dict[str, Any], schemas: dict[str, Any], seen: set[str]) -> None:
    for parameter in operation.get("parameters", []):
        _refusing(parameter.get("schema"), ADDRESS, schemas, set())
    for media in operation.get("requestBody", {}).get("content", {}).values():
        _refusing(media.get("schema"), TEXT, schemas, seen)


def _success_as_declared(answers: dict[str, Any]) -> None:
    """The shape a route declares (`returns`), without what FastAPI read from the function's
    return annotation beside it."""
    for status, answer in answers.items():
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if status.startswith("2") and "$ref" in schema:
            answer["content"]["application/json"]["schema"] = {"$ref": schema["$ref"]}


def _declared(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template=REF)
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    seen: set[str] = set()  # request bodies' schemas, each walked once
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            _requests(operation, schemas, seen)
            answers = operation.setdefault("responses", {})
            _success_as_declared(answers)
            for status in statuses(method, operation):
                said = answers.get(str(status), {}).get("description", TITLES[status])
                answers[str(status)] = {
                    "description": said,
                    "content": {"application/problem+json": {"schema": PROBLEM}},
                }
    return document


def install(app: FastAPI) -> None:
    """Declare the problems in the document FastAPI builds (once, then kept)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _declared(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
