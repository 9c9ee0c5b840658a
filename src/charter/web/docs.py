"""The API's documentation: the OpenAPI document and Swagger UI, both served by Charter from
the files it ships (Swagger UI under kernel/web/static/vendor, started by api-docs.js: no
CDN, no inline script, so the page works under the UI's Content-Security-Policy). Both need
sign-in (a UI session, or an API token for the document) unless configured public."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from charter.kernel.errors import Unauthenticated
from charter.kernel.web.pages import SignInNeeded, signed_in

SWAGGER_UI = "5.36.0"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Charter API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/static/vendor/swagger-ui-{SWAGGER_UI}.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/ui/static/vendor/swagger-ui-{SWAGGER_UI}-bundle.js"></script>
<script src="/ui/static/api-docs.js"></script>
</body>
</html>
"""


def _signed_in(request: Request) -> bool:
    """A live UI session, or a valid API token."""
    try:
        signed_in(request)
        return True
    except SignInNeeded:
        pass
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    try:
        request.app.state.authenticate(request.app.state.ctx, token.strip())
    except Unauthenticated:
        return False
    return True


def install(app: FastAPI, public: bool) -> None:
    """Serve /api/openapi.json and /api/docs (left out of the OpenAPI document itself)."""

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(request: Request) -> Response:
        if not public and not _signed_in(request):
            raise Unauthenticated("sign in to read the API's description")
        document: dict[str, Any] = app.openapi()
        return JSONResponse(document)

    @app.get("/api/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        if not public and not _signed_in(request):
            return RedirectResponse("/ui/login", status_code=303)
        return HTMLResponse(PAGE)
