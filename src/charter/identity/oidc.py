"""OpenID Connect single sign-on for the web UI: the authorization code flow with PKCE, a
state and a nonce; the ID token's signature (the provider's published keys), issuer,
audience, expiry and nonce are checked, and the e-mail must be verified by the provider.
Talking to the provider is this module's only I/O (httpx); Authlib makes the PKCE challenge
and its JOSE library (joserfc) checks the token."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from charter.kernel.errors import Unauthenticated

ALGORITHMS = ("RS256", "ES256", "PS256")


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the browser keeps (in an HttpOnly cookie) between leaving and coming back."""

    state: str
    nonce: str
    verifier: str

    @classmethod
    def new(cls) -> Attempt:
        return cls(secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48))

    def cookie(self) -> str:
        return f"{self.state}.{self.nonce}.{self.verifier}"

    @classmethod
    def from_cookie(cls, value: str) -> Attempt | None:
        parts = value.split(".")
        return cls(*parts) if len(parts) == 3 and all(parts) else None


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid email profile"
    # where the provider sends the browser back: from the configured public URL
    # (CHARTER_PUBLIC_URL), never from the request's Host header
    redirect_uri: str = ""
    timeout: float = 10.0
    _metadata: dict[str, Any] = field(default_factory=dict, repr=False)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (read once)."""
        if not self._metadata:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            found = self._get(url)
            if found.get("issuer") != self.issuer:
                raise Unauthenticated("the identity provider names another issuer")
            self._metadata.update(found)
        return self._metadata

    def _get(self, url: str) -> dict[str, Any]:
        try:
            response = httpx.get(url, timeout=self.timeout)
            response.raise_for_status()
            found: dict[str, Any] = response.json()
            return found
        except (httpx.HTTPError, ValueError) as exc:
            raise Unauthenticated(f"the identity provider cannot be reached: {exc}") from exc

    def authorize_url(self, attempt: Attempt) -> str:
        if not self.redirect_uri:
            raise Unauthenticated("single sign-on needs CHARTER_PUBLIC_URL")
        query = {
            "response_type": "code", "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scopes, "state": attempt.state, "nonce": attempt.nonce,
            "code_challenge": create_s256_code_challenge(attempt.verifier),
            "code_challenge_method": "S256",
        }  # fmt: skip
        return f"{self.metadata()['authorization_endpoint']}?{urlencode(query)}"

    def _token(self, code: str, verifier: str) -> str:
        form = {
            "grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri,
            "code_verifier": verifier,
        }  # fmt: skip
        try:
            response = httpx.post(
                self.metadata()["token_endpoint"], data=form, timeout=self.timeout,
                auth=(self.client_id, self.client_secret),
            )  # fmt: skip
            response.raise_for_status()
            token = response.json().get("id_token")
        except (httpx.HTTPError, ValueError) as exc:
            raise Unauthenticated(f"the identity provider refused the code: {exc}") from exc
        if not isinstance(token, str):
            raise Unauthenticated("the identity provider returned no ID token")
        return token

    def email(self, code: str, attempt: Attempt) -> str:
        """The verified e-mail of the person the provider signed in, or Unauthenticated."""
        token = self._token(code, attempt.verifier)
        keys = KeySet.import_key_set(self._get(self.metadata()["jwks_uri"]))  # type: ignore[arg-type]
        try:
            claims = jwt.decode(token, keys, algorithms=list(ALGORITHMS)).claims
            JWTClaimsRegistry(
                now=int(time.time()), leeway=60,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                exp={"essential": True}, nonce={"essential": True, "value": attempt.nonce},
            ).validate(claims)  # fmt: skip
        except (JoseError, ValueError) as exc:
            raise Unauthenticated(f"the ID token is not valid: {exc}") from exc
        if claims.get("email_verified") is not True or not isinstance(claims.get("email"), str):
            raise Unauthenticated("the identity provider has not verified an e-mail address")
        return str(claims["email"])
