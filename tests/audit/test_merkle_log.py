"""The Merkle audit log on both backends: proofs, checkpoints, verification, migration."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from charter.accountability.services import org
from charter.audit import services as audit
from charter.audit.domain.events import GENESIS, build_event
from charter.audit.domain.logcheck import check_export
from charter.audit.domain.merkle import Frontier, leaf_hash, verify_consistency, verify_inclusion
from charter.audit.keys import create_key, verify_note
from charter.bootstrap import context_for
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.migrate import downgrade, upgrade
from charter.wiring import Context, SqlUnitOfWork
from tests.factory import make_world


@pytest.fixture
def signed(engine: Engine, tmp_path: Path) -> Context:
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "test.example/audit")
    return context_for(engine, key_file=key)


def _grow(ctx: Context, n: int) -> None:
    admin = make_world(ctx).admin if not _size(ctx) else _admin(ctx)
    for i in range(n):
        org.create_unit(ctx, admin, f"Unit {_size(ctx)}-{i}")


def _size(ctx: Context) -> int:
    with ctx.uow() as uow:
        return uow.audit.size()


def _admin(ctx: Context):  # type: ignore[no-untyped-def]
    from charter.identity.services import access

    with ctx.uow() as uow:
        admin = uow.roles.all(role=R.ADMINISTRATOR)[0]
    return access.actor_for(ctx, admin.person_id)


def test_root_and_proofs_from_the_store_verify_against_signed_checkpoints(signed: Context) -> None:
    _grow(signed, 5)
    admin = _admin(signed)
    first = verify_note(audit.make_checkpoint(signed, admin).note, signed.signer.verifier)  # type: ignore[union-attr]
    _grow(signed, 17)
    second = verify_note(audit.make_checkpoint(signed, admin).note, signed.signer.verifier)  # type: ignore[union-attr]
    with signed.uow() as uow:
        events = uow.audit.events()
    frontier = Frontier()
    for e in events:
        frontier.append(leaf_hash(e.canonical))
    assert frontier.root() == second.root and second.size == len(events)
    for seq in (1, first.size, first.size + 1, second.size):
        proof = audit.prove_inclusion(signed, admin, seq)
        verify_inclusion(
            seq - 1, second.size, leaf_hash(events[seq - 1].canonical), proof.path, second.root
        )
    old = audit.prove_inclusion(signed, admin, 2, size=first.size)
    verify_inclusion(1, first.size, old.leaf_hash, old.path, first.root)
    cons = audit.prove_consistency(signed, admin, first.size, second.size)
    verify_consistency(first.size, second.size, first.root, second.root, cons.path)
    report = audit.verify_log(signed, admin)
    assert report.intact and report.checkpoints_checked == 2
    assert report.checkpoint_size == second.size and report.unsigned_tail == 0


def test_export_verifies_offline_with_only_the_verifier_key(signed: Context) -> None:
    _grow(signed, 9)
    admin = _admin(signed)
    audit.make_checkpoint(signed, admin)
    _grow(signed, 3)  # an unsigned tail
    lines = list(audit.export_lines(signed, admin))
    verifier = signed.signer.verifier  # type: ignore[union-attr]
    report = check_export(iter(lines), lambda note: verify_note(note, verifier))
    assert report.intact and report.size == _size(signed) and report.unsigned_tail == 3


@pytest.mark.parametrize(
    ("seq", "size", "message"),
    [(0, None, "not in a log"), (999, None, "not in a log"), (1, 999, "tree size must be")],
)
def test_bad_proof_requests_name_the_problem(
    signed: Context, seq: int, size: int | None, message: str
) -> None:
    _grow(signed, 1)
    from charter.kernel.errors import InvalidInput

    with pytest.raises(InvalidInput, match=message):
        audit.prove_inclusion(signed, _admin(signed), seq, size)


def test_checkpoint_needs_a_key_and_verify_needs_the_verifier(engine: Engine) -> None:
    from charter.kernel.errors import InvalidInput

    ctx = context_for(engine)
    world = make_world(ctx)
    with pytest.raises(InvalidInput, match="keys init"):
        audit.make_checkpoint(ctx, world.admin)
    report = audit.verify_log(ctx, world.admin)  # nothing signed: nothing can be verified
    assert not report.intact and report.checkpoint_size is None
    assert "no signed checkpoint" in (report.problem or "")


def test_upgrade_builds_the_tree_over_events_written_before_it(engine: Engine) -> None:
    downgrade(engine, "0001")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    prev, leaves = GENESIS, []
    with engine.begin() as conn:
        for seq in range(1, 12):
            event = build_event(
                seq=seq,
                prev_hash=prev,
                at=at,
                actor="a",
                action="x",
                entity_type="t",
                entity_id="i",
                data={"n": seq},
            )
            conn.execute(
                text(
                    "INSERT INTO audit_events (seq, at, actor, action, entity_type, "
                    "entity_id, canonical, hash) VALUES (:s, :at, 'a', 'x', 't', 'i', "
                    ":c, :h)"
                ),
                {"s": seq, "at": at, "c": event.canonical, "h": event.hash},
            )
            prev = event.hash
            leaves.append(leaf_hash(event.canonical))
        conn.execute(text("UPDATE audit_head SET seq = 11, hash = :h"), {"h": prev})
    upgrade(engine)
    expected = Frontier()
    for leaf in leaves:
        expected.append(leaf)
    with SqlUnitOfWork(engine) as uow:
        assert uow.audit.head() == (11, expected.root())
        uow.audit.append(at=at, actor="a", action="y", entity_type="t", entity_id="i", data={})
        uow.commit()
    expected.append(leaf_hash(_last(engine)))
    with SqlUnitOfWork(engine) as uow:
        assert uow.audit.head() == (12, expected.root())


def _last(engine: Engine) -> bytes:
    with SqlUnitOfWork(engine) as uow:
        return uow.audit.events()[-1].canonical


def test_proof_payloads_are_base64(signed: Context) -> None:
    _grow(signed, 3)
    payload = audit.prove_inclusion(signed, _admin(signed), 2).as_dict()
    assert len(base64.b64decode(str(payload["root"]))) == 32


def _chunked(ctx: Context, engine: Engine, chunk: int):  # type: ignore[no-untyped-def]
    from charter.audit.adapters.chunks import check_in_chunks
    from charter.audit.domain.logcheck import LogCheck, conclude

    with ctx.uow() as uow:
        size = uow.audit.head()[0]
        checkpoints = [
            verify_note(c.note, ctx.signer.verifier)  # type: ignore[union-attr]
            for c in uow.audit.checkpoints()
        ]
    wanted = frozenset(c.size for c in checkpoints)
    check = LogCheck(wanted)
    for part in check_in_chunks(engine.url.render_as_string(False), size, wanted, 2, chunk):
        if not check.absorb(part):
            break
    return conclude(check, checkpoints)


@pytest.mark.parametrize("chunk", [1, 4, 8, 64])
def test_chunked_parallel_check_equals_the_sequential_one(
    signed: Context, engine: Engine, chunk: int
) -> None:
    admin = None
    for burst in (3, 6, 11, 1, 9):
        _grow(signed, burst)
        admin = admin or _admin(signed)
        audit.make_checkpoint(signed, admin)
    _grow(signed, 5)
    sequential = audit.verify_log(signed, _admin(signed))
    chunked = _chunked(signed, engine, chunk)  # of the database alone
    assert sequential.outside_size == sequential.checkpoint_size  # kept beside the key too
    assert chunked == replace(sequential, outside_size=None)
    assert chunked.intact and chunked.checkpoints_checked == 5


def test_chunked_parallel_check_names_the_same_bad_event(signed: Context, engine: Engine) -> None:
    _grow(signed, 30)
    audit.make_checkpoint(signed, _admin(signed))
    if engine.dialect.name == "postgresql":
        statements = ["ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"]
    else:
        statements = ["DROP TRIGGER audit_events_no_update"]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
        conn.execute(text("UPDATE audit_events SET hash = :h WHERE seq = 13"), {"h": "0" * 64})
    sequential = audit.verify_log(signed, _admin(signed))
    assert not sequential.intact and sequential.bad_seq == 13
    assert _chunked(signed, engine, 4) == replace(sequential, outside_size=None)
