"""Stored policies are parsed once per content: the cache is keyed on the digest the row
names and keeps only a source that has that digest; a policy whose content changes (a new
digest) is parsed anew; a row whose digest does not name its source is never served from the
cache nor enforced as written (tests/security/test_policy_digest.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path

from charter.governance.domain.policy import Kind, Policy, PolicyRecord, parse_policy
from charter.governance.files import check_policy, read_policy_file
from charter.governance.services import gates, policies
from charter.governance.services.facts import parsed
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.factory import World

OWNER = {"id": "owner", "kind": "accountability", "owner_named": True}
POLICIES = Path(gates.__file__).parents[1] / "data" / "policies"


def _record(source: dict[str, object], digest: str | None = None) -> PolicyRecord:
    digest = digest or parse_policy(source).digest
    return PolicyRecord(str(source["id"]), "t", digest, source, True, datetime.now(UTC), "x")


def test_a_policy_is_parsed_once_per_content() -> None:
    source = {"id": "cached", "title": "Owner", "requirements": [OWNER]}
    first = parsed(_record(source))
    assert parsed(_record(dict(source))) is first, "same content: the parse is kept"
    changed = {**source, "title": "Owner named"}
    assert parsed(_record(changed)).title == "Owner named"


def _withheld(policy: Policy) -> bool:
    return [r.kind for r in policy.requirements] == [Kind.INTEGRITY]


def test_a_row_whose_digest_does_not_name_its_source_is_never_served_from_the_cache() -> None:
    source = {"id": "odd", "title": "Before", "requirements": [OWNER]}
    wrong = "0" * 64
    assert _withheld(parsed(_record(source, wrong)))
    kept = parsed(_record(source))
    assert not _withheld(kept)
    edited = {**source, "title": "After"}
    assert _withheld(parsed(_record(edited, kept.digest))), "never the kept parse, never its text"


def test_a_reloaded_policy_decides_the_next_gate(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    system = world.system()
    blocking = {"id": "named", "title": "RACI", "requirements": [
        {"id": "raci", "kind": "accountability", "raci_complete": True}]}  # fmt: skip
    policies.load_policies(world.ctx, caio, [(blocking, check_policy(blocking, "p"))])
    assert not gates.check_gate(world.ctx, caio, system.id, S.ASSESSED, False).passed
    relaxed = {**blocking, "requirements": [OWNER]}
    policies.load_policies(world.ctx, caio, [(relaxed, check_policy(relaxed, "p"))])
    assert gates.check_gate(world.ctx, caio, system.id, S.ASSESSED, False).passed


def test_a_row_given_a_digest_already_kept_is_not_enforced() -> None:
    """An insider who sets a row's digest back to an earlier version's (kept by a running
    process) brings neither that version back nor the row's own source: the row blocks, in a
    warm process as in a cold one."""
    before = {"id": "rolled", "title": "Owner", "requirements": [OWNER]}
    earlier = parsed(_record(before))
    after = {**before, "title": "Owner and more"}
    assert _withheld(parsed(_record(after, earlier.digest)))
    assert parsed(_record(before)) is earlier


def _containers(value: object, seen: set[int]) -> set[int]:
    """The ids of every list, dict and set reachable from value (dataclasses walked too)."""
    if id(value) in seen:
        return set()
    seen.add(id(value))
    found = {id(value)} if isinstance(value, list | dict | set) else set()
    if is_dataclass(value) and not isinstance(value, type):
        children: Iterable[object] = (getattr(value, f.name) for f in fields(value))
    elif isinstance(value, Mapping):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        children = value
    else:
        children = ()
    for child in children:
        found |= _containers(child, seen)
    return found


def test_a_parsed_policy_shares_nothing_changeable_with_its_source() -> None:
    """(a stored source is parsed once per text and shared by every reader of it: a parse
    that handed out part of it would let a change through one policy reach the others)"""
    plugin = {
        "id": "custom", "kind": "plugin", "plugin": "limits",
        "params": {"limits": {"max": 3}, "names": ["a", "b"]},
    }  # fmt: skip
    sources = [{"id": "mixed", "title": "Mixed", "requirements": [OWNER, plugin]}]
    sources += read_policy_file(POLICIES / "eu-ai-act.yaml")
    for source in sources:
        shared = _containers(source, set()) & _containers(parse_policy(source), set())
        assert not shared, source["id"]
