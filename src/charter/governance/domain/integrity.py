"""Whether a stored policy may be enforced as stored: its text against the digest recorded
when it was loaded, and the stored policies against the audit log's record of which version
is in force; what stands in, blocking every gate, where they disagree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from charter.governance.domain.policy import (
    Kind,
    Policy,
    PolicyRecord,
    Requirement,
    Selector,
    source_digest,
)


def mismatch(record: PolicyRecord) -> str | None:
    """Why a stored policy may not be enforced (None: it may): its stored text does not hash
    to the digest recorded when it was loaded (someone changed the source or the digest
    column outside Charter)."""
    if source_digest(record.source) == record.digest:
        return None
    return (
        f"policy {record.id!r}: its stored text does not match its recorded version (digest "
        f"{record.digest[:12]}…), changed outside Charter; it blocks every gate until its file "
        "is loaded again"
    )


def unmatched(record: PolicyRecord, why: str) -> Policy:
    """What stands in for a stored policy whose text cannot be trusted (`why`, from
    `mismatch`): it applies to every system at every gate, whatever its text says it selects,
    with one blocking requirement that is never satisfied and that no waiver covers."""
    return stand_in(record.id, record.title, record.digest, why)


def stand_in(policy_id: str, title: str, digest: str, why: str) -> Policy:
    """A policy that blocks every gate of every system, saying `why`, never waived."""
    req = Requirement("stored-text", Kind.INTEGRITY, why)
    return Policy(policy_id, title, "", Selector(), (req,), True, digest)


#: the audit events that decide which version of a policy is in force, if any
POLICY_STATES = ("policy.loaded", "policy.changed", "policy.enabled", "policy.disabled")


def off_record(
    policy_id: str, stored: PolicyRecord | None, recorded: Mapping[str, Any] | None
) -> str | None:
    """Why the stored policies disagree with the audit log about this policy (None: they
    agree). `recorded` is the body of its latest POLICY_STATES event: in force unless it
    disabled the policy, at the digest it names. An insider can change a policy row (flip it
    off, delete it, rewrite its text with a matching digest, insert one) but not the signed,
    hash-chained log without `charter audit verify` seeing it."""
    said = f"policy {policy_id!r}"
    if recorded is None:
        in_force_here = stored is not None and stored.enabled
        return f"{said} is in force but was never loaded through Charter" if in_force_here else None
    in_force = recorded.get("action") != "policy.disabled"
    digest = str((recorded.get("data") or {}).get("digest", ""))
    if stored is None:
        return (
            f"{said}, in force by the audit log, was removed outside Charter" if in_force else None
        )
    if stored.enabled != in_force:
        how = "enabled" if stored.enabled else "disabled"
        return f"{said} was {how} outside Charter (the audit log says otherwise)"
    if in_force and stored.digest != digest:
        return (
            f"{said}: its stored version (digest {stored.digest[:12]}…) is not the one the audit "
            f"log recorded (digest {digest[:12]}…), changed outside Charter"
        )
    return None
