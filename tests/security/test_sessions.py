"""Item 9: sessions and credentials. A password change ends every session; a person signs
out everywhere and changes their own password in the UI; weak passwords are refused; API
tokens expire, show when they were last used, and their owners list and revoke them;
sessions end when idle; the cookie is __Host- over TLS; failed sign-ins slow down one
(e-mail, address) pair, not the person everywhere."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.identity.domain.sessions import SIGN_IN_ATTEMPTS
from charter.identity.services import access, sessions
from charter.kernel.errors import InvalidInput, Unauthenticated
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.security.conftest import PASSWORD, Site

NEW_PASSWORD = "a different long passphrase"


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None, path
    return found.group(1)


def _signed_in(client: TestClient) -> bool:
    return client.get("/ui/", follow_redirects=False).status_code == 200


def test_a_password_change_ends_every_session(site: Site) -> None:
    assert site.sign_in(R.DATA_SCIENTIST).status_code == 303 and _signed_in(site.client)
    person = site.world.people[R.DATA_SCIENTIST].id
    sessions.set_password(site.world.ctx, site.world.admin, person, NEW_PASSWORD)
    assert not _signed_in(site.client)


def test_a_person_signs_out_everywhere(site: Site) -> None:
    site.sign_in(R.DATA_SCIENTIST)
    with TestClient(site.client.app) as laptop:
        other = Site(laptop, site.world, site.home, site.data, site.key)
        other.sign_in(R.DATA_SCIENTIST, password="already set")  # a wrong one: not signed in
        assert not _signed_in(laptop)
        assert other.sign_in(R.DATA_SCIENTIST).status_code == 303 and _signed_in(laptop)
        done = site.client.post(
            "/ui/account/sign-out-everywhere",
            data={"csrf": _csrf(site.client, "/ui/account")},
            follow_redirects=False,
        )
        assert done.status_code == 303
        assert not _signed_in(site.client) and not _signed_in(laptop)


def _change(site: Site, current: str, new: str, again: str | None = None) -> Any:
    form = {"csrf": _csrf(site.client, "/ui/account"), "current": current, "new": new}
    form["again"] = new if again is None else again
    return site.client.post("/ui/account/password", data=form, follow_redirects=False)


def test_a_person_changes_their_own_password_in_the_ui(site: Site) -> None:
    site.sign_in(R.ETHICS_COMPLIANCE)
    assert "Change your password" in site.client.get("/ui/account").text
    for current, new, again, said in (
        ("not my password", NEW_PASSWORD, None, "current password is wrong"),
        (PASSWORD, NEW_PASSWORD, "a typo in the repeat", "do not match"),
        (PASSWORD, "password1234", None, "too common"),
    ):
        refused = _change(site, current, new, again)
        assert refused.status_code == 303
        assert said in site.client.get("/ui/account").text
    changed = _change(site, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 303 and _signed_in(site.client)  # a new session
    site.client.cookies.clear()
    assert site.sign_in(R.ETHICS_COMPLIANCE, password=NEW_PASSWORD).status_code == 303
    assert _signed_in(site.client)


@pytest.mark.parametrize(
    ("password", "said"),
    [
        ("password1234", "too common"),
        ("qwertyuiopasdfgh", "too common"),
        ("aaaaaaaaaaaaaaab", "one character"),
        ("xxxxxx.xxxxxxxx", "one character"),
        ("my person2@example.org pass", "e-mail"),
        ("ethics compliance officer", "name"),
    ],
)
def test_weak_passwords_are_refused(site: Site, password: str, said: str) -> None:
    person = site.world.people[R.ETHICS_COMPLIANCE]
    email = person.email.split("@")[0]
    with pytest.raises(InvalidInput, match=said):
        sessions.set_password(
            site.world.ctx, site.world.admin, person.id, password.replace("person2", email)
        )


def test_api_tokens_expire_and_tell_when_they_were_last_used(site: Site) -> None:
    ctx, me = site.world.ctx, site.world.actor(R.DATA_SCIENTIST)
    token, secret = access.create_token(ctx, me, None, "laptop")
    assert token.expires_at == token.created_at + timedelta(days=90)
    assert token.last_used_at is None
    headers = {"Authorization": f"Bearer {secret}"}
    assert site.client.get("/api/v1/me", headers=headers).status_code == 200
    mine = site.client.get("/api/v1/tokens", headers=headers).json()["items"]
    assert {t["person_id"] for t in mine} == {me.person_id}  # only their own
    assert next(t for t in mine if t["id"] == token.id)["last_used_at"] is not None
    later = token.expires_at + timedelta(seconds=1)
    with pytest.raises(Unauthenticated, match="expired"):
        access.authenticate(replace(ctx, clock=lambda: later), secret)
    short = replace(ctx, token_days=7)
    assert access.create_token(short, me, None, "a week")[0].expires_at - ctx.clock() < timedelta(
        days=7, minutes=1
    )
    with pytest.raises(InvalidInput, match="days"):
        access.create_token(ctx, me, None, "for ever", days=10_000)


def test_owners_revoke_their_own_tokens_and_nobody_else_s(site: Site) -> None:
    ctx = site.world.ctx
    token, _ = access.create_token(ctx, site.world.actor(R.DATA_SCIENTIST), None, "laptop")
    other, _ = access.create_token(ctx, site.world.actor(R.ML_ENGINEER), None, "laptop")
    headers = site.auth(R.DATA_SCIENTIST)
    assert site.client.delete(f"/api/v1/tokens/{other.id}", headers=headers).status_code == 403
    assert site.client.delete(f"/api/v1/tokens/{token.id}", headers=headers).status_code == 204
    assert (
        site.client.delete(f"/api/v1/tokens/{other.id}", headers=site.auth(R.ADMINISTRATOR))
    ).status_code == 204


def test_an_idle_session_ends(site: Site) -> None:
    site.sign_in(R.DATA_SCIENTIST)
    secret = site.client.cookies.get("charter_session")
    assert secret is not None
    ctx = site.world.ctx
    sessions.session_actor(ctx, secret)
    idle = ctx.clock() + timedelta(minutes=31)
    with pytest.raises(Unauthenticated, match="idle"):
        sessions.session_actor(replace(ctx, clock=lambda: idle), secret)


def test_the_session_cookie_is_host_prefixed_over_tls(site: Site) -> None:
    app = create_app(site.world.ctx)
    with TestClient(app, base_url="https://testserver") as tls:
        secure = Site(tls, site.world, site.home, site.data, site.key)
        done = secure.sign_in(R.DATA_SCIENTIST)
        cookie = next(c for c in done.headers.get_list("set-cookie") if "session" in c)
        assert cookie.startswith("__Host-charter_session=")
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
        assert _signed_in(tls)


def test_failed_sign_ins_slow_one_address_down_not_the_person_everywhere(site: Site) -> None:
    ctx, person = site.world.ctx, site.world.people[R.BOARD_MEMBER]
    sessions.set_password(ctx, site.world.admin, person.id, PASSWORD)
    attacker, colleague = "203.0.113.9", "198.51.100.4"
    said = []
    for _ in range(SIGN_IN_ATTEMPTS + 1):
        with pytest.raises(Unauthenticated) as refused:
            sessions.sign_in(ctx, person.email, "a guess", attacker)
        said.append(refused.value.message)
    assert said[-1].startswith("too many failed sign-ins")
    # the person signs in from elsewhere at once; the attacker's address waits, longer each time
    assert sessions.sign_in(ctx, person.email, PASSWORD, colleague)[1].live(ctx.clock())
    waits = []
    now = ctx.clock()
    for _ in range(3):
        with ctx.uow() as uow:
            held = [t for t in uow.sign_in_throttles.all() if t.locked_until is not None]
        until = max(t.locked_until for t in held if t.locked_until)
        waits.append(until - now)
        now = until
        later = replace(ctx, clock=lambda at=now: at)
        with pytest.raises(Unauthenticated):
            sessions.sign_in(later, person.email, "another guess", attacker)
    assert waits[0] < waits[1] < waits[2] <= timedelta(minutes=15)
