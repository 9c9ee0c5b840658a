"""The throttle on failed sign-ins, by hand: the count, the window, the growing delays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from charter.identity.adapters import Argon2Hasher
from charter.identity.domain.sessions import (
    ADDRESS_ATTEMPTS,
    FIRST_DELAY,
    MAX_DELAY,
    SIGN_IN_ATTEMPTS,
    SIGN_IN_WINDOW,
    address_key,
    after_failure,
    delay,
    email_key,
    pair_key,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = pair_key("a@example.org", "203.0.113.7")


def test_failures_past_the_free_ones_make_each_next_try_wait_longer() -> None:
    throttle = None
    for i in range(SIGN_IN_ATTEMPTS - 1):
        throttle = after_failure(throttle, KEY, T0 + timedelta(minutes=i))
        assert throttle.failures == i + 1 and not throttle.locked(T0 + timedelta(minutes=i))
    at, waits = T0 + timedelta(minutes=SIGN_IN_ATTEMPTS), []
    for _ in range(8):
        throttle = after_failure(throttle, KEY, at)
        assert throttle.locked_until is not None and throttle.locked(at)
        waits.append(throttle.locked_until - at)
        at = throttle.locked_until
        assert not throttle.locked(at)
    assert waits[:3] == [FIRST_DELAY, 2 * FIRST_DELAY, 4 * FIRST_DELAY]
    assert waits[-1] == MAX_DELAY and sorted(waits) == waits


def test_the_delay_is_nothing_then_doubles_up_to_its_limit() -> None:
    assert [delay(n) for n in range(1, SIGN_IN_ATTEMPTS)] == [timedelta(0)] * 4
    assert delay(SIGN_IN_ATTEMPTS) == FIRST_DELAY
    assert delay(SIGN_IN_ATTEMPTS + 1) == 2 * FIRST_DELAY
    assert delay(10_000) == MAX_DELAY


def test_a_run_of_failures_is_forgotten_after_the_window() -> None:
    throttle = None
    for _ in range(SIGN_IN_ATTEMPTS + 2):
        throttle = after_failure(throttle, KEY, T0)
    later = T0 + SIGN_IN_WINDOW
    again = after_failure(throttle, KEY, later)
    assert again.failures == 1 and not again.locked(later) and again.window_start == later


def test_keys_are_hashes_of_the_e_mail_and_address_whatever_the_case_and_spaces() -> None:
    assert pair_key("  A@Example.ORG ", "203.0.113.7") == KEY and "@" not in KEY
    assert pair_key("a@example.org", "198.51.100.1") != KEY
    assert pair_key("a@example.org", None) == email_key("a@example.org")
    assert len(email_key("a@example.org")) == 64


def test_an_address_slows_at_its_own_limit_and_is_keyed_apart_from_e_mails() -> None:
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
