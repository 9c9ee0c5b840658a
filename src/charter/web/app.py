"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import FastAPI

from charter import __version__
from charter.accountability import api as accountability_api
from charter.audit import api as audit_api
from charter.audit.scheduler import checkpoint_lifespan
from charter.bodies import api as bodies_api
from charter.frameworks import api as frameworks_api
from charter.governance import api as governance_api
from charter.governance.services import reminders
from charter.identity import api as identity_api
from charter.identity.oidc import Provider
from charter.identity.services.access import authenticate
from charter.incidents import api as incidents_api
from charter.incidents import services as incidents
from charter.integrations import api as integrations_api
from charter.inventory import api as inventory_api
from charter.monitoring import api as monitoring_api
from charter.monitoring import services as monitoring
from charter.notifications import api as notifications_api
from charter.notifications import services as notifications
from charter.people import api as people_api
from charter.reports import api as reports_api
from charter.risks import api as risks_api
from charter.scorecard import api as scorecard_api
from charter.strategy import api as strategy_api
from charter.validation import api as validation_api
from charter.web import docs, meta, openapi, problems, ui
from charter.web.guard import RequestGuard
from charter.web.jobs import Job, jobs_lifespan
from charter.wiring import Context

#: every capability's API, in the order their routes are matched
ROUTERS = (
    meta.router,
    identity_api.router,
    audit_api.router,
    accountability_api.router,
    inventory_api.router,
    governance_api.router,
    validation_api.router,
    frameworks_api.router,
    strategy_api.router,
    risks_api.router,
    bodies_api.router,
    people_api.router,
    integrations_api.router,
    scorecard_api.router,
    reports_api.router,
    notifications_api.router,
    monitoring_api.router,
    incidents_api.router,
)

#: the server's background jobs, in the order each round runs them: those that write notices
#: first, then the delivery of what is due
JOBS = (
    Job("monitors", monitoring.tick),
    Job("incidents", incidents.escalate_due),
    Job("reminders", reminders.remind_due),
    Job("notifications", notifications.deliver_due),
)


class _State:
    jobs: Any = None  # the jobs' runner while the app serves


def worked_on_at_once(threads: int) -> None:
    """At most `threads` requests of this process run their (synchronous) route at once;
    the others wait their turn, first come first served. Python runs one thread at a time,
    so more threads only overlap waits on the database: with dozens, every request on a
    busy server shared the processor with all the others, a heavy one (the posture, the
    inbox) took several times the median, and the threads' switching cost CPU too. Set in
    the server's event loop (each loop has its own limit)."""
    to_thread.current_default_thread_limiter().total_tokens = threads


def create_app(
    ctx: Context,
    checkpoint_interval: float = 0,
    data_dir: Path | None = None,
    oidc: Provider | None = None,
    api_docs_public: bool = False,
    schedule_interval: float = 0,
    threads: int | None = None,
) -> FastAPI:
    """The app; with checkpoint_interval > 0 and a signing key, checkpoints on a schedule;
    validation suites sent to the API read their files under data_dir only; with an OIDC
    provider, the web UI offers single sign-on; the API's documentation needs sign-in unless
    api_docs_public; with schedule_interval > 0, the background jobs run (app.state.jobs);
    with threads, at most that many requests are worked on at once (`worked_on_at_once`)."""
    holder = _State()
    checkpoints = checkpoint_lifespan(ctx, checkpoint_interval)
    jobs = jobs_lifespan(holder, ctx, JOBS, schedule_interval)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if threads is not None:
            worked_on_at_once(threads)
        async with checkpoints(app), jobs(app):
            app.state.jobs = holder.jobs
            yield

    app = FastAPI(
        lifespan=lifespan,
        title="Charter",
        version=__version__,
        docs_url=None,  # served by charter.web.docs: from the package, behind sign-in
        redoc_url=None,
        openapi_url=None,
        description="AI leadership records, accountability and lifecycle gates.",
    )
    app.state.ctx = ctx
    app.state.jobs = None
    app.state.data_dir = data_dir
    app.state.oidc = oidc
    app.state.warned_peers = set()  # peers logged as untrusted proxies (identity.ui)
    app.state.authenticate = authenticate
    problems.install(app)
    app.add_middleware(RequestGuard)
    for router in ROUTERS:
        app.include_router(router, prefix="/api/v1")
    ui.install(app)
    docs.install(app, api_docs_public)
    openapi.install(app)
    return app
