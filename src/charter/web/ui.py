"""The web UI: every capability's pages mounted on one app, the templates they render, the
static files, and what happens to a signed-out visitor, a form without its CSRF token and a
refusal on a page."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import charter.accountability
import charter.audit
import charter.bodies
import charter.frameworks
import charter.governance
import charter.identity
import charter.incidents
import charter.integrations
import charter.inventory
import charter.monitoring
import charter.notifications
import charter.people
import charter.reports
import charter.risks
import charter.scorecard
import charter.strategy
import charter.validation
from charter.accountability import ui as accountability_ui
from charter.accountability.services import refusals
from charter.audit import ui as audit_ui
from charter.bodies import ui as bodies_ui
from charter.frameworks import ui as frameworks_ui
from charter.frameworks import ui_forms as frameworks_forms
from charter.governance import ui as governance_ui
from charter.governance import ui_forms as governance_forms
from charter.governance import ui_policies as governance_policies
from charter.identity import ui as identity_ui
from charter.identity import ui_oidc
from charter.identity.services import sessions
from charter.incidents import ui as incidents_ui
from charter.integrations import ui as integrations_ui
from charter.inventory import ui as inventory_ui
from charter.inventory import ui_pickers as inventory_pickers
from charter.kernel.errors import CharterError
from charter.kernel.web import picker
from charter.kernel.web.pages import (
    STATIC,
    CsrfRefused,
    Panel,
    SignInNeeded,
    templates_for,
)
from charter.monitoring import ui as monitoring_ui
from charter.notifications import ui as notifications_ui
from charter.people import ui as people_ui
from charter.reports import ui as reports_ui
from charter.risks import ui as risks_ui
from charter.risks import ui_pickers as risks_pickers
from charter.scorecard import ui as scorecard_ui
from charter.strategy import ui as strategy_ui
from charter.strategy import ui_forms as strategy_forms
from charter.validation import ui as validation_ui
from charter.web import guard, problems

#: the capabilities whose templates/ folder holds pages
FOLDERS = (
    charter.accountability,
    charter.audit,
    charter.bodies,
    charter.frameworks,
    charter.governance,
    charter.identity,
    charter.incidents,
    charter.monitoring,
    charter.notifications,
    charter.integrations,
    charter.inventory,
    charter.people,
    charter.reports,
    charter.risks,
    charter.scorecard,
    charter.strategy,
    charter.validation,
)
ROUTERS = (
    identity_ui.auth_router,
    ui_oidc.router,
    governance_forms.router,  # before the pages: /ui/systems/new is not a system's page
    governance_ui.router,
    governance_policies.router,
    inventory_ui.router,
    frameworks_ui.router,
    frameworks_forms.router,
    accountability_ui.router,
    audit_ui.router,
    strategy_ui.router,
    strategy_forms.router,
    risks_ui.router,
    bodies_ui.router,
    people_ui.router,
    integrations_ui.router,
    scorecard_ui.router,
    reports_ui.router,
    notifications_ui.router,
    incidents_ui.router,
    monitoring_ui.router,
    validation_ui.router,
    picker.router,
)
#: what capabilities above governance add to its pages, in order
PANELS: dict[str, tuple[Panel, ...]] = {
    "dashboard": (incidents_ui.clocks_panel, monitoring_ui.dashboard_panel),
    "system": (
        incidents_ui.clocks_panel,
        monitoring_ui.system_panel,
        validation_ui.system_panel,
        frameworks_forms.system_panel,
        reports_ui.system_panel,
    ),
    "inbox": (incidents_ui.clocks_panel, monitoring_ui.inbox_panel),
}


def install(app: FastAPI) -> None:
    """Mount the UI: its pages, its static files, and what happens to a signed-out visitor
    (sent to sign in) and to a form without its CSRF token (403)."""
    folders = [Path(next(iter(m.__path__))) / "templates" for m in FOLDERS]
    app.state.templates = templates_for(folders)
    app.state.resolve_session = sessions.session_actor
    app.state.panels = PANELS
    app.state.pickers = {
        **inventory_pickers.pickers(), **accountability_ui.pickers(), **bodies_ui.pickers(),
        **risks_pickers.pickers(),
    }  # fmt: skip
    app.state.explain_refusal = refusals.refusal
    app.state.max_body = guard.MAX_BODY  # what a form may upload, as any request
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=str(STATIC)), "static")

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/ui/login", status_code=303)

    async def csrf_refused(request: Request, exc: Exception) -> Response:
        return HTMLResponse("<h1>Refused</h1><p>This form has expired; reload the page.</p>", 403)

    async def charter_error(request: Request, exc: Exception) -> Response:
        """On a page, a refusal is a page that says why; elsewhere the API's problem+json."""
        if not request.url.path.startswith("/ui"):
            return await problems.charter_problem(request, exc)
        status = problems.status_of(exc) if isinstance(exc, CharterError) else 500
        message = exc.message if isinstance(exc, CharterError) else "unexpected error"
        templates: Jinja2Templates = request.app.state.templates
        body = templates.get_template("error.html").render(message=message, status=status)
        return HTMLResponse(body, status_code=status)

    app.add_exception_handler(SignInNeeded, sign_in_first)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(CharterError, charter_error)
