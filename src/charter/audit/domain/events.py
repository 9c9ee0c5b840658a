"""Audit events: canonical JSON, RFC 6962 leaf hashing, each event chained to the one before."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.kernel.records import utc_timestamp

GENESIS = "0" * 64


def _check_no_floats(value: object, path: str = "$") -> None:
    if isinstance(value, float):
        raise InvalidInput(f"audit data may not hold floats (at {path}); use strings or integers")
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise InvalidInput(f"audit data keys must be strings (at {path})")
            _check_no_floats(v, f"{path}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _check_no_floats(v, f"{path}[{i}]")


def canonical_json(value: Mapping[str, Any]) -> bytes:
    """Sorted keys, no insignificant space, UTF-8, no floats: the same value, the same bytes."""
    _check_no_floats(value)
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def leaf_hash(data: bytes) -> str:
    """RFC 6962 leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEvent:
    seq: int
    canonical: bytes
    hash: str

    def body(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.canonical)
        return loaded

    def presented(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "event": self.body()}


def build_event(
    *,
    seq: int,
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    data: Mapping[str, Any],
) -> AuditEvent:
    """The event that follows prev_hash; its bytes are stored exactly and never re-serialised."""
    canonical = canonical_json(
        {
            "seq": seq,
            "prev": prev_hash,
            "at": utc_timestamp(at),
            "actor": actor,
            "action": action,
            "entity": {"type": entity_type, "id": entity_id},
            "data": data,
        }
    )
    return AuditEvent(seq=seq, canonical=canonical, hash=leaf_hash(canonical))
