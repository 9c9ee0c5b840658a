"""The throttle on failed sign-ins, by hand: the count, the window, the lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from charter.identity.adapters import Argon2Hasher
from charter.identity.domain.sessions import (
    ADDRESS_ATTEMPTS,
    SIGN_IN_ATTEMPTS,
    SIGN_IN_LOCKOUT,
    SIGN_IN_WINDOW,
    address_key,
    after_failure,
    email_key,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = email_key("a@example.org")


def test_the_last_allowed_failure_locks_the_e_mail_for_the_lockout() -> None:
    throttle = None
    for i in range(SIGN_IN_ATTEMPTS - 1):
        throttle = after_failure(throttle, KEY, T0 + timedelta(minutes=i))
        assert throttle.failures == i + 1 and not throttle.locked(T0 + timedelta(minutes=i))
    last = T0 + timedelta(minutes=SIGN_IN_ATTEMPTS)
    locked = after_failure(throttle, KEY, last)
    assert locked.locked_until == last + SIGN_IN_LOCKOUT and locked.failures == 0
    assert locked.locked(last + SIGN_IN_LOCKOUT - timedelta(seconds=1))
    assert not locked.locked(last + SIGN_IN_LOCKOUT)


def test_failures_spread_wider_than_the_window_never_lock() -> None:
    throttle = None
    for i in range(3 * SIGN_IN_ATTEMPTS):
        at = T0 + i * (SIGN_IN_WINDOW / (SIGN_IN_ATTEMPTS - 1))
        throttle = after_failure(throttle, KEY, at)
        assert not throttle.locked(at)
    assert throttle is not None and throttle.failures < SIGN_IN_ATTEMPTS


def test_after_a_lock_the_count_starts_again() -> None:
    throttle = None
    for _ in range(SIGN_IN_ATTEMPTS):
        throttle = after_failure(throttle, KEY, T0)
    assert throttle is not None and throttle.locked(T0)
    later = T0 + SIGN_IN_LOCKOUT
    again = after_failure(throttle, KEY, later)
    assert again.failures == 1 and not again.locked(later)


def test_the_e_mail_is_keyed_by_its_hash_whatever_its_case_and_spaces() -> None:
    assert email_key("  A@Example.ORG ") == KEY and len(KEY) == 64 and "@" not in KEY


def test_an_address_locks_at_its_own_limit_and_is_keyed_apart_from_e_mails() -> None:
    throttle = None
    for i in range(ADDRESS_ATTEMPTS - 1):
        throttle = after_failure(throttle, address_key("203.0.113.7"), T0, ADDRESS_ATTEMPTS)
        assert not throttle.locked(T0) and throttle.failures == i + 1
    assert after_failure(throttle, throttle.id, T0, ADDRESS_ATTEMPTS).locked(T0)
    assert ADDRESS_ATTEMPTS > SIGN_IN_ATTEMPTS
    assert address_key("a@example.org") != email_key("a@example.org")
    assert "203.0.113.7" not in address_key("203.0.113.7")


def test_refusing_an_e_mail_without_a_password_runs_a_real_verify() -> None:
    hasher = Argon2Hasher()
    assert hasher.refuse("whatever was typed") is False
    decoy = hasher._decoy  # the hash checked against, made once: argon2id like a real one
    assert decoy is not None and decoy.startswith("$argon2id$")
    assert hasher.refuse("") is False and hasher._decoy == decoy
