"""Serving Charter: the app built from the settings, by one process or by several worker
processes (`charter serve --workers N`, each building its own from the environment)."""

from __future__ import annotations

import errno
import gc
import os
import socket
from typing import Any

import uvicorn
from fastapi import FastAPI

from charter.bootstrap import build
from charter.config import Settings
from charter.identity.oidc import Provider
from charter.kernel.errors import Conflict, InvalidInput
from charter.web.app import create_app
from charter.web.workers import run as run_workers


def oidc_provider(settings: Settings) -> Provider | None:
    """The OIDC provider the settings name, or None; half a configuration is an error, and
    so is one without the public URL the provider sends browsers back to."""
    given = (settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret)
    if not any(given):
        return None
    if not all(given):
        raise InvalidInput(
            "single sign-on needs CHARTER_OIDC_ISSUER, CHARTER_OIDC_CLIENT_ID and "
            "CHARTER_OIDC_CLIENT_SECRET"
        )
    if not settings.public_url:
        raise InvalidInput(
            "single sign-on needs CHARTER_PUBLIC_URL: the provider sends browsers back there"
        )
    issuer, client_id, secret = (str(v) for v in given)
    back = str(settings.public_url).rstrip("/") + "/ui/oidc/callback"
    return Provider(issuer, client_id, secret, settings.oidc_scopes, redirect_uri=back)


def check_port(host: str, port: int) -> None:
    """Refuse, before any long work, an address the server could not listen on: a port in
    use (Conflict), an address this machine does not have (InvalidInput)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InvalidInput(f"cannot listen on {host}: {exc.strerror}") from exc
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise Conflict(
                    f"port {port} on {host} is in use by another program: stop it, or "
                    "choose another port (--port or CHARTER_PORT)",
                    details={"host": host, "port": port},
                ) from exc
            raise InvalidInput(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def app_for(settings: Settings) -> FastAPI:
    ctx = build(settings)[0]
    return create_app(
        ctx, settings.checkpoint_interval, settings.resolved_data_dir(),
        oidc_provider(settings), settings.api_docs_public, settings.schedule_interval,
        settings.serve_threads,
    )  # fmt: skip


#: allocations between young-generation collections (CPython's default is 700): a request
#: of the posture allocates tens of thousands of objects, almost all freed by reference
#: counting, so the collector ran tens of times per request for little
YOUNG_THRESHOLD = 10_000


def settled(app: FastAPI) -> FastAPI:
    """The app, with what was built to serve it (modules, routes, schemas: about 250,000
    objects) moved out of the cyclic garbage collector's reach: a full collection walked all
    of them, 100-200 ms of CPU and a pause of every request in the process, every hundred
    or so posture requests. Only for serving processes: frozen objects are never collected
    (a test suite building many apps would keep them all)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    return app


def worker_app() -> FastAPI:
    """Each worker process's app, from the environment (uvicorn's factory)."""
    return settled(app_for(Settings()))


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve on host:port; with several workers, each process builds its app from the
    environment, which holds these settings."""

    options: dict[str, Any] = {
        "host": host, "port": port, "log_level": "info", "proxy_headers": True,
        "forwarded_allow_ips": settings.trusted_proxies,
    }  # fmt: skip
    if workers <= 1:
        uvicorn.run(settled(app_for(settings)), **options)
        return
    build(settings)  # migrate once, before the workers start
    os.environ.update(settings.as_environment())
    config = uvicorn.Config(
        "charter.web.server:worker_app", factory=True, workers=workers, **options
    )
    run_workers(config)
