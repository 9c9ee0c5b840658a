"""Single sign-on through a real OpenID Connect exchange with a local identity provider:
the whole code flow with PKCE, and every check that must refuse a sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from charter.audit import services as audit
from charter.identity.oidc import Provider
from charter.identity.ui_oidc import REFUSED
from charter.kernel.roles import RoleKind as R
from charter.kernel.web.pages import NOTE_COOKIE, read_note
from charter.web.app import create_app
from tests.factory import World
from tests.identity.fake_idp import CLIENT_ID, CLIENT_SECRET, FakeIdP, Knobs, serve_idp


@pytest.fixture
def sso(world: World) -> Iterator[tuple[TestClient, FakeIdP, World]]:
    with serve_idp() as idp:
        provider = Provider(
            idp.issuer, CLIENT_ID, CLIENT_SECRET, redirect_uri="http://testserver/ui/oidc/callback"
        )
        app = create_app(world.ctx, oidc=provider)
        with TestClient(app, follow_redirects=False) as client:
            yield client, idp, world


def _note(client: TestClient) -> str | None:
    """The note the last redirect carries to its page."""
    return read_note(client.cookies.get(NOTE_COOKIE) or "")[0]


def _round_trip(client: TestClient, idp: FakeIdP, **knobs: Any) -> httpx.Response:
    """Start at Charter, sign in at the provider, come back: Charter's answer."""
    idp.knobs = Knobs(**knobs)
    started = client.get("/ui/oidc/start")
    assert started.status_code == 307 and started.headers["location"].startswith(idp.issuer)
    at_provider = httpx.get(started.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302
    back = at_provider.headers["location"]
    assert back.startswith("http://testserver/ui/oidc/callback?")
    return client.get(back.removeprefix("http://testserver"))


def test_a_person_signs_in_with_single_sign_on(engine: object, sso) -> None:  # type: ignore[no-untyped-def]
    client, idp, world = sso
    assert "Sign in with single sign-on" in client.get("/ui/login").text
    person = world.people[R.CHIEF_AI_OFFICER]
    done = _round_trip(client, idp, email=person.email.upper())
    assert done.status_code == 303 and done.headers["location"] == "/ui/"
    page = client.get("/ui/")
    assert page.status_code == 200 and person.name in page.text
    history = audit.entity_history(world.ctx, world.admin, "person", person.id)
    assert history[-1].body()["data"]["method"] == f"oidc {idp.issuer}"


@pytest.mark.parametrize(
    ("knobs", "said"),
    [
        ({"email": "nobody@example.org"}, "is not an active person"),
        ({"email_verified": False}, "has not verified an e-mail"),
        ({"foreign_key": True}, "the ID token is not valid"),
        ({"audience": "someone-else"}, "the ID token is not valid"),
        ({"expires_in": -600}, "the ID token is not valid"),
    ],
)
def test_sign_in_is_refused_when_a_check_fails(engine: object, sso, knobs, said, caplog) -> None:  # type: ignore[no-untyped-def]
    client, idp, world = sso
    knobs.setdefault("email", world.people[R.CHIEF_AI_OFFICER].email)
    refused = _round_trip(client, idp, **knobs)
    assert refused.status_code == 303 and refused.headers["location"] == "/ui/login"
    assert read_note(client.cookies.get(NOTE_COOKIE) or "")[1]  # an error
    assert _note(client) == REFUSED  # the same words whatever went wrong
    assert said in caplog.text  # why: in the server's log
    assert client.get("/ui/").status_code == 303  # not signed in


def test_a_callback_without_the_attempt_or_with_another_state_is_refused(
    engine: object, sso, caplog
) -> None:  # type: ignore[no-untyped-def]
    client, idp, world = sso
    idp.knobs = Knobs(email=world.people[R.CHIEF_AI_OFFICER].email)
    started = client.get("/ui/oidc/start")
    at_provider = httpx.get(started.headers["location"], follow_redirects=False)
    back = at_provider.headers["location"].removeprefix("http://testserver")
    forged = back.replace("state=", "state=x")
    assert client.get(forged).headers["location"] == "/ui/login"
    assert _note(client) == REFUSED and "did not start here" in caplog.text
    client.cookies.clear()  # another browser: no attempt cookie at all
    caplog.clear()
    assert client.get(back).headers["location"] == "/ui/login"
    assert _note(client) == REFUSED and "did not start here" in caplog.text
    assert client.get("/ui/").status_code == 303


def test_without_configuration_there_is_no_single_sign_on(engine: object, world: World) -> None:
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        assert "single sign-on" not in client.get("/ui/login").text
        assert client.get("/ui/oidc/start").status_code == 404
