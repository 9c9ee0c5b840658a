"""Decision bundles, as data: one file with everything a decision rested on, sealed by the
audit signing key; and what an offline verifier concludes from it. Pure."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

FORMAT = "charter-decision-bundle"
VERSION = 1
SEAL = "charter decision bundle v1"
SUBJECTS = ("transition", "body_decision", "waiver", "classification")


def canonical(value: Any) -> bytes:
    """Sorted keys, no insignificant space, UTF-8; numbers as Python writes them (shortest
    round trip): the same content, the same bytes."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def seal_body(content: Any) -> bytes:
    """What the seal signs: the content's SHA-256 (a signed note's body; never a checkpoint,
    whose second line is a number)."""
    return f"{SEAL}\nsha256 {hashlib.sha256(canonical(content)).hexdigest()}\n".encode()


@dataclass
class Findings:
    """What a verification checked, what failed and what it could not check."""

    checked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    def ok(self, what: str) -> None:
        self.checked.append(what)

    def fail(self, what: str) -> None:
        self.failed.append(what)

    def cannot(self, what: str) -> None:
        self.unchecked.append(what)

    def expect(self, holds: bool, ok: str, failed: str) -> bool:
        (self.ok if holds else self.fail)(ok if holds else failed)
        return holds

    @property
    def verified(self) -> bool:
        return not self.failed

    def as_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "failed": self.failed,
            "checked": self.checked,
            "not_checked": self.unchecked,
        }
