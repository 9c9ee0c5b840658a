"""Sign-in's throttle on each database: failures counted per e-mail and address, a delay
refusing even the right password without checking it, the first delay audited, success
clearing the count, old throttles dropped, and an unknown e-mail treated like a known one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from charter.identity.domain.sessions import (
    ADDRESS_ATTEMPTS,
    FIRST_DELAY,
    SIGN_IN_ATTEMPTS,
    SIGN_IN_WINDOW,
    address_key,
    email_key,
)
from charter.identity.services import sessions
from charter.kernel.errors import Unauthenticated
from charter.kernel.roles import RoleKind as R
from charter.wiring import Context
from tests.factory import World

PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def timed(world: World) -> tuple[Context, Clock, str]:
    person = world.people[R.CHIEF_AI_OFFICER]
    sessions.set_password(world.ctx, world.admin, person.id, PASSWORD)
    clock = Clock()
    return replace(world.ctx, clock=clock), clock, person.email


def _fail(ctx: Context, email: str, times: int, password: str = "not the password") -> list[str]:
    said = []
    for _ in range(times):
        with pytest.raises(Unauthenticated) as refused:
            sessions.sign_in(ctx, email, password)
        said.append(refused.value.message)
    return said


def _audited(ctx: Context, action: str) -> list[tuple[str, dict[str, object]]]:
    with ctx.uow() as uow:
        bodies = [e.body() for e in uow.audit.events()]
    return [(b["actor"], b["data"]) for b in bodies if b["action"] == action]


def test_too_many_failures_delay_the_e_mail_even_for_the_right_password(timed) -> None:  # type: ignore[no-untyped-def]
    ctx, clock, email = timed
    said = _fail(ctx, email, SIGN_IN_ATTEMPTS)
    assert said[:-1] == [sessions.SIGN_IN_FAILED] * (SIGN_IN_ATTEMPTS - 1)
    assert "too many failed sign-ins" in said[-1] and "09:00:30 UTC" in said[-1]
    clock.now += FIRST_DELAY - timedelta(seconds=1)
    assert "too many" in _fail(ctx, email.upper(), 1, PASSWORD)[0]  # refused, not checked
    [locked] = _audited(ctx, "session.sign_in_locked")
    assert locked == ("sign-in", {"locked_until": "2026-12-01T09:00:30+00:00"})
    clock.now += timedelta(seconds=1)
    secret, session = sessions.sign_in(ctx, email, PASSWORD)
    assert secret and session.live(clock.now)


def test_a_success_clears_the_count(timed) -> None:  # type: ignore[no-untyped-def]
    ctx, _, email = timed
    _fail(ctx, email, SIGN_IN_ATTEMPTS - 1)
    sessions.sign_in(ctx, email, PASSWORD)
    with ctx.uow() as uow:
        assert uow.sign_in_throttles.get(email_key(email)) is None
    assert _fail(ctx, email, SIGN_IN_ATTEMPTS - 1) == [sessions.SIGN_IN_FAILED] * (
        SIGN_IN_ATTEMPTS - 1
    )


def test_an_unknown_e_mail_is_delayed_alike_but_not_audited(timed) -> None:  # type: ignore[no-untyped-def]
    ctx, _, _ = timed
    said = _fail(ctx, "nobody@example.org", SIGN_IN_ATTEMPTS + 1)
    assert said[:-2] == [sessions.SIGN_IN_FAILED] * (SIGN_IN_ATTEMPTS - 1)
    assert all("too many" in s for s in said[-2:])
    assert _audited(ctx, "session.sign_in_locked") == []


def test_throttles_of_old_failures_are_dropped(timed) -> None:  # type: ignore[no-untyped-def]
    ctx, clock, email = timed
    _fail(ctx, email, 2)
    _fail(ctx, "locked@example.org", SIGN_IN_ATTEMPTS)
    clock.now += SIGN_IN_WINDOW + timedelta(seconds=1)
    _fail(ctx, "someone-else@example.org", 1)  # any failure sweeps the stale ones
    with ctx.uow() as uow:
        left = {t.id for t in uow.sign_in_throttles.all()}
    assert left == {email_key("someone-else@example.org")}


def test_one_address_trying_many_e_mails_is_delayed(timed) -> None:  # type: ignore[no-untyped-def]
    """One password on twenty e-mails from one address delays the address, for the right
    password of a real person too, unchecked; another address is not affected; a success
    from the address does not clear its count; the address is stored only as a hash."""
    ctx, clock, email = timed
    address = "203.0.113.7"
    sessions.sign_in(ctx, email, PASSWORD, address)  # a success first: it clears nothing
    for n in range(ADDRESS_ATTEMPTS - 1):
        with pytest.raises(Unauthenticated, match="unknown e-mail or wrong password"):
            sessions.sign_in(ctx, f"user{n}@example.org", "Spring2026!", address)
    with pytest.raises(Unauthenticated, match="too many failed sign-ins from this address"):
        sessions.sign_in(ctx, "user-last@example.org", "Spring2026!", address)
    with pytest.raises(Unauthenticated, match="from this address: try again after 09:00:30 UTC"):
        sessions.sign_in(ctx, email, PASSWORD, address)
    assert sessions.sign_in(ctx, email, PASSWORD, "198.51.100.1")[1].live(clock.now)
    [locked] = [e for e in _events(ctx) if e["action"] == "session.address_locked"]
    assert locked["entity"] == {"type": "address", "id": address_key(address)[:32]}
    with ctx.uow() as uow:
        stored = {t.id for t in uow.sign_in_throttles.all()}
    assert address_key(address) in stored and address not in " ".join(stored)
    clock.now += FIRST_DELAY
    assert sessions.sign_in(ctx, email, PASSWORD, address)[1].live(clock.now)


def test_a_stale_count_of_the_address_itself_is_restarted_not_swept(timed) -> None:  # type: ignore[no-untyped-def]
    ctx, clock, _ = timed
    address = "203.0.113.8"
    for n in range(3):
        with pytest.raises(Unauthenticated):
            sessions.sign_in(ctx, f"u{n}@example.org", "guess", address)
    clock.now += SIGN_IN_WINDOW + timedelta(seconds=1)
    with pytest.raises(Unauthenticated):
        sessions.sign_in(ctx, "u9@example.org", "guess", address)  # sweeps the others
    with ctx.uow() as uow:
        kept = uow.sign_in_throttles.get(address_key(address))
    assert kept is not None and kept.failures == 1 and kept.window_start == clock.now


def _events(ctx: Context) -> list[dict[str, object]]:
    with ctx.uow() as uow:
        return [e.body() for e in uow.audit.events()]


class CountingHasher:
    """The installation's hasher, counting the passwords it checks (from any thread)."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.checked, self._lock = inner, 0, threading.Lock()

    def _count(self) -> None:
        with self._lock:
            self.checked += 1

    def hash(self, password: str) -> str:
        return str(self.inner.hash(password))

    def verify(self, stored: str, password: str) -> bool:
        self._count()
        return bool(self.inner.verify(stored, password))

    def refuse(self, password: str) -> bool:
        self._count()
        return bool(self.inner.refuse(password))


def test_sign_ins_at_the_same_moment_are_each_counted(timed) -> None:  # type: ignore[no-untyped-def]
    """Twelve wrong passwords at once: the first five are checked and the fifth delays the
    e-mail, the other seven are refused unchecked; no failure is lost to another, none
    fails on the other's row (each sign-in holds the e-mail's throttle in turn)."""
    ctx, _clock, email = timed
    hasher = CountingHasher(ctx.passwords)
    ctx = replace(ctx, passwords=hasher)
    start = threading.Barrier(12)

    def attempt(_: int) -> str:
        start.wait()
        try:
            sessions.sign_in(ctx, email, "a guess")
        except Unauthenticated as refused:
            return refused.message
        return "signed in"

    with ThreadPoolExecutor(12) as pool:
        said = list(pool.map(attempt, range(12)))
    assert said.count(sessions.SIGN_IN_FAILED) == SIGN_IN_ATTEMPTS - 1
    assert sum("too many failed sign-ins" in s for s in said) == 12 - (SIGN_IN_ATTEMPTS - 1)
    assert hasher.checked == SIGN_IN_ATTEMPTS
    assert len(_audited(ctx, "session.sign_in_locked")) == 1
