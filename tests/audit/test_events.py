from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from charter.audit.domain.events import GENESIS, AuditEvent, build_event, canonical_json, leaf_hash
from charter.audit.domain.logcheck import first_bad
from charter.kernel.errors import InvalidInput

AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEvent]:
    events, prev = [], GENESIS
    for seq in range(1, n + 1):
        event = build_event(
            seq=seq,
            prev_hash=prev,
            at=AT,
            actor="p1",
            action="x.done",
            entity_type="system",
            entity_id="sys_1",
            data={"n": seq},
        )
        events.append(event)
        prev = event.hash
    return events


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_floats_are_refused_anywhere() -> None:
    with pytest.raises(InvalidInput, match=r"\$\.a\[1\]"):
        canonical_json({"a": [1, 2.5]})


def test_timestamps_are_utc_whatever_the_zone() -> None:
    paris = AT.astimezone(timezone(timedelta(hours=1)))
    one = build_event(
        seq=1,
        prev_hash=GENESIS,
        at=paris,
        actor="a",
        action="b",
        entity_type="c",
        entity_id="d",
        data={},
    )
    assert one.body()["at"] == "2026-11-28T12:00:00.000000Z"


def test_leaf_hash_uses_rfc6962_domain_separation() -> None:
    # RFC 6962: the hash of the empty leaf is SHA-256(0x00)
    assert leaf_hash(b"") == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


def test_intact_chain_verifies() -> None:
    assert first_bad(chain(20)) is None


@given(st.integers(min_value=0, max_value=9), st.sampled_from(["bytes", "hash", "drop", "swap"]))
def test_any_tampering_is_found(index: int, how: str) -> None:
    events = chain(10)
    if how == "bytes":
        events[index] = replace(
            events[index], canonical=events[index].canonical.replace(b'"n":', b'"m":')
        )
    elif how == "hash":
        events[index] = replace(events[index], hash="0" * 64)
    elif how == "drop":
        del events[index]
        if index == 9:  # dropping the tail is a shorter log, not a broken one
            assert first_bad(events) is None
            return
    else:
        other = (index + 1) % 10
        events[index], events[other] = events[other], events[index]
    assert first_bad(events) is not None
