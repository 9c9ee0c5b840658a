"""A small OpenID Connect provider for tests, served over real HTTP on a local port:
discovery, an authorization endpoint that signs in whoever the test names, a token endpoint
that checks the client secret, the redirect URI and the PKCE verifier, and its JWKS. Knobs
let a test make it misbehave (another signing key, another audience, an expired token, an
unverified e-mail)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "charter-tests", "s3cret-for-tests"


@dataclass
class Knobs:
    email: str = ""
    email_verified: bool = True
    audience: str = CLIENT_ID
    expires_in: int = 300
    foreign_key: bool = False  # sign with a key the JWKS does not publish


@dataclass
class FakeIdP:
    issuer: str
    knobs: Knobs = field(default_factory=Knobs)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    other: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def id_token(self, grant: dict[str, str]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "sub": "user-1", "aud": self.knobs.audience,
            "iat": now, "exp": now + self.knobs.expires_in, "nonce": grant["nonce"],
            "email": grant["email"], "email_verified": self.knobs.email_verified,
        }  # fmt: skip
        key = self.other if self.knobs.foreign_key else self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)


def _app(idp: FakeIdP) -> FastAPI:
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        return {
            "issuer": idp.issuer, "authorization_endpoint": f"{idp.issuer}/authorize",
            "token_endpoint": f"{idp.issuer}/token", "jwks_uri": f"{idp.issuer}/jwks",
        }  # fmt: skip

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return {"keys": [idp.key.as_dict(private=False)]}

    @app.get("/authorize")
    def authorize(request: Request) -> RedirectResponse:
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
            raise HTTPException(400, "bad client or PKCE method")
        code = secrets.token_urlsafe(16)
        idp.codes[code] = {
            "nonce": q["nonce"], "challenge": q["code_challenge"], "email": idp.knobs.email,
            "redirect_uri": q["redirect_uri"],
        }  # fmt: skip
        back = urlencode({"code": code, "state": q["state"]})
        return RedirectResponse(f"{q['redirect_uri']}?{back}", status_code=302)

    @app.post("/token")
    def token(
        request: Request,
        code: str = Form(),
        redirect_uri: str = Form(),
        code_verifier: str = Form(),
    ) -> JSONResponse:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            raise HTTPException(401, "bad client credentials")
        grant = idp.codes.pop(code, None)
        if grant is None or grant["redirect_uri"] != redirect_uri:
            raise HTTPException(400, "invalid_grant")
        digest = hashlib.sha256(code_verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            raise HTTPException(400, "PKCE verifier does not match")
        return JSONResponse({"id_token": idp.id_token(grant), "token_type": "Bearer"})

    return app


@contextmanager
def serve_app(app: FastAPI) -> Iterator[int]:
    """Serve an ASGI app on a free local port, in a thread, for the length of the block."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(250):
        if server.started:
            break
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_idp() -> Iterator[FakeIdP]:
    idp = FakeIdP("")
    with serve_app(_app(idp)) as port:
        idp.issuer = f"http://127.0.0.1:{port}"
        yield idp
