"""Item 7: an insider with database rights cannot make `charter audit verify` say "intact"
after changing an event's indexed columns, deleting checkpoints and rewriting what they
signed, or deleting every checkpoint and rewriting history; an old unsigned tail fails too.

Each attack drops the database's append-only triggers first, as such an insider would, and
re-hashes, re-chains and rebuilds the Merkle tree and head like a careful forger."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text

from charter.accountability.services import org
from charter.audit import services as audit
from charter.audit.domain.checkpoint import Checkpoint
from charter.audit.domain.events import build_event, leaf_hash
from charter.audit.domain.logcheck import INDEXED, LogReport, first_misindexed
from charter.audit.domain.merkle import Frontier
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.config import Settings
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.wiring import Context
from tests.factory import World, make_world
from tests.security.conftest import Site


@pytest.fixture
def signed(tmp_path: Path) -> Iterator[tuple[Engine, Context, World]]:
    """A log with a checkpoint at its end (the key, and its checkpoint copies, beside it)."""
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "test.example/audit")
    ctx = context_for(engine, key_file=key)
    world = make_world(ctx)
    audit.make_checkpoint(ctx, world.admin)
    yield engine, ctx, world
    engine.dispose()


def _unlocked(conn: Connection) -> None:
    """What an insider does first: drop every append-only trigger."""
    names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    for (name,) in list(names):
        conn.execute(text(f'DROP TRIGGER "{name}"'))


def _rebuild_tree(conn: Connection) -> None:
    """The Merkle nodes and the head, recomputed from the (forged) events."""
    rows = list(conn.execute(text("SELECT seq, hash FROM audit_events ORDER BY seq")))
    frontier, nodes = Frontier(), []
    for _, hashed in rows:
        nodes += frontier.append(bytes.fromhex(hashed))
    conn.execute(text("DELETE FROM audit_nodes"))
    for level, idx, h in nodes:
        conn.execute(
            text("INSERT INTO audit_nodes (level, idx, hash) VALUES (:l, :i, :h)"),
            {"l": level, "i": idx, "h": h},
        )
    conn.execute(
        text("UPDATE audit_head SET seq = :s, hash = :h, root = :r, frontier = :f"),
        {"s": rows[-1][0], "h": rows[-1][1], "r": frontier.root(), "f": frontier.to_bytes()},
    )


def _rewrite_from(engine: Engine, first: int) -> None:
    """Change the actor of event `first`, then re-hash and re-chain every later event."""
    with engine.begin() as conn:
        _unlocked(conn)
        rows = list(
            conn.execute(text("SELECT seq, canonical, hash FROM audit_events ORDER BY seq"))
        )
        prev = rows[first - 2][2] if first > 1 else "0" * 64
        for seq, canonical, _ in rows[first - 1 :]:
            body = bytes(canonical)
            if seq == first:
                body = body.replace(b'"actor":"', b'"actor":"forged-', 1)
            head, _, _ = body.rpartition(b',"prev":"')
            body = head + b',"prev":"' + prev.encode() + b'","seq":%d}' % seq
            prev = leaf_hash(body)
            conn.execute(
                text("UPDATE audit_events SET canonical = :c, hash = :h WHERE seq = :s"),
                {"c": body, "h": prev, "s": seq},
            )
            if seq == first:  # and its indexed column, to match the forged bytes
                conn.execute(
                    text("UPDATE audit_events SET actor = :a WHERE seq = :s"),
                    {"a": json.loads(body)["actor"], "s": seq},
                )
        _rebuild_tree(conn)


def _delete_checkpoints(engine: Engine, above: int = -1) -> None:
    with engine.begin() as conn:
        _unlocked(conn)
        conn.execute(text("DELETE FROM audit_checkpoints WHERE size > :n"), {"n": above})


def _verify(ctx: Context, world: World) -> LogReport:
    return audit.verify_log(ctx, world.actor(R.AUDITOR))


def test_changed_indexed_columns_fail_verification(
    signed: tuple[Engine, Context, World],
) -> None:
    engine, ctx, world = signed
    system = world.system()
    audit.make_checkpoint(ctx, world.admin)
    for column, value in (
        ("entity_id", "sys_elsewhere"),
        ("actor", "p_somebody_else"),
        ("action", "system.viewed"),
        ("entity_type", "vendor"),
        ("at", "2020-01-01 00:00:00.000000"),
    ):
        with engine.begin() as conn:
            _unlocked(conn)
            seq, before = conn.execute(
                text(f"SELECT seq, {column} FROM audit_events WHERE entity_id = :e"),
                {"e": system.id},
            ).one()
            conn.execute(
                text(f"UPDATE audit_events SET {column} = :v WHERE seq = :s"),
                {"v": value, "s": seq},
            )
        report = _verify(ctx, world)
        assert not report.intact, column
        assert report.bad_seq == seq and f"its {column} column" in (report.problem or "")
        with engine.begin() as conn:
            conn.execute(
                text(f"UPDATE audit_events SET {column} = :v WHERE seq = :s"),
                {"v": before, "s": seq},
            )
    assert _verify(ctx, world).intact


def test_deleted_checkpoints_and_a_rewritten_tail_fail_verification(
    signed: tuple[Engine, Context, World],
) -> None:
    engine, ctx, world = signed
    first = audit.latest_checkpoint(ctx, world.admin).size
    for i in range(3):
        org.create_unit(ctx, world.admin, f"Unit {i}")
    deleted = audit.make_checkpoint(ctx, world.admin).size
    _delete_checkpoints(engine, above=first)
    _rewrite_from(engine, first + 2)
    report = _verify(ctx, world)
    assert not report.intact and report.outside_size == deleted
    assert f"the root at size {deleted} differs from the signed one" in (report.problem or "")


def test_all_checkpoints_deleted_and_history_rewritten_fail_verification(
    signed: tuple[Engine, Context, World],
) -> None:
    engine, ctx, world = signed
    _delete_checkpoints(engine)
    _rewrite_from(engine, 2)
    assert not _verify(ctx, world).intact


def test_a_log_without_any_checkpoint_is_not_intact(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    ctx = context_for(engine)  # no key: nothing was ever signed
    world = make_world(ctx)
    report = _verify(ctx, world)
    assert not report.intact and "no signed checkpoint" in (report.problem or "")
    engine.dispose()


def test_an_unsigned_tail_older_than_the_interval_fails(
    signed: tuple[Engine, Context, World],
) -> None:
    _, ctx, world = signed
    org.create_unit(ctx, world.admin, "Unsigned")
    assert _verify(ctx, world).intact
    later = ctx.clock() + timedelta(seconds=3 * ctx.checkpoint_interval)
    report = _verify(replace(ctx, clock=lambda: later), world)
    assert not report.intact and "unsigned" in (report.problem or "")


def test_the_api_and_the_page_say_what_intact_means(site: Site) -> None:
    audit.make_checkpoint(site.world.ctx, site.world.admin)
    verified = site.client.get("/api/v1/audit/verify", headers=site.auth(R.AUDITOR)).json()
    assert verified["intact"], verified
    assert "outside the database" in verified["meaning"]
    assert verified["outside_checkpoint_size"] == verified["checkpoint_size"]
    assert site.sign_in(R.AUDITOR).status_code == 303
    page = site.client.get("/ui/audit").text
    assert "The log verifies" in page and "outside the database" in page


def test_a_witness_folder_catches_a_rewrite_when_the_key_s_copies_are_gone(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "test.example/audit")
    witness = tmp_path / "witness"
    settings = Settings.model_construct(checkpoint_witness=str(witness))
    ctx = context_for(engine, key_file=key, settings=settings)
    world = make_world(ctx)
    signed = audit.make_checkpoint(ctx, world.admin).size
    assert (witness / "checkpoints.jsonl").read_text().count("\n") == 1
    _delete_checkpoints(engine)
    key.with_suffix(".checkpoints").unlink()
    _rewrite_from(engine, 2)
    report = _verify(ctx, world)
    assert not report.intact and report.outside_size == signed
    engine.dispose()


def test_a_witness_url_keeps_each_checkpoint_and_answers_with_the_latest(
    tmp_path: Path,
) -> None:
    kept: list[str] = []

    class Witness(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            kept.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
            self.send_response(204)
            self.end_headers()

        def do_GET(self) -> None:
            body = kept[-1].encode() if kept else b""
            self.send_response(200 if kept else 404)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Witness)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
        upgrade(engine)
        key = tmp_path / "keys" / "audit.key"
        create_key(key, "test.example/audit")
        url = f"http://127.0.0.1:{server.server_address[1]}/checkpoints"
        ctx = context_for(
            engine, key_file=key, settings=Settings.model_construct(checkpoint_witness=url)
        )
        world = make_world(ctx)
        audit.make_checkpoint(ctx, world.admin)
        org.create_unit(ctx, world.admin, "Later")
        audit.make_checkpoint(ctx, world.admin)
        assert len(kept) == 2
        _delete_checkpoints(engine)
        key.with_suffix(".checkpoints").unlink()
        assert _verify(ctx, world).intact  # checked against the witness's latest
        _rewrite_from(engine, 2)
        report = _verify(ctx, world)
        assert not report.intact and report.outside_size == report.size
        engine.dispose()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "odd", ['quote " inside', "back\\slash", "tab\there", "line\u2028sep", "naïve ünïcode", "x"]
)
def test_indexed_columns_are_compared_exactly_whatever_they_hold(odd: str) -> None:
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    event = build_event(
        seq=7, prev_hash="0" * 64, at=at, actor=f"p_{odd}", action="system.updated",
        entity_type="system", entity_id=f"sys_{odd}", data={"entity": {"id": "decoy"}},
    )  # fmt: skip
    row = (7, "2026-12-01T09:30:00.000000Z", f"p_{odd}", "system.updated", "system", f"sys_{odd}")
    assert first_misindexed(7, [event.canonical], [row]) is None
    for i, column in enumerate(INDEXED, start=1):
        changed = (*row[:i], row[i] + "!", *row[i + 1 :])
        assert first_misindexed(7, [event.canonical], [changed]) == (7, column)  # type: ignore[list-item]


def test_a_forged_note_in_the_file_beside_the_key_fails_verification(
    signed: tuple[Engine, Context, World], tmp_path: Path
) -> None:
    engine, ctx, world = signed
    other = create_key(tmp_path / "other.key", "test.example/audit")  # same name, other key
    with engine.connect() as conn:
        size = conn.execute(text("SELECT seq FROM audit_head")).scalar_one()
    forged = other.sign_note(
        Checkpoint("test.example/audit", size + 5, b"\0" * 32, ctx.clock()).body()
    )
    beside = tmp_path / "keys" / "audit.checkpoints"
    with beside.open("a") as copies:
        copies.write(json.dumps(forged) + "\n")
    report = _verify(ctx, world)
    assert not report.intact and "checkpoint file" in (report.problem or "")
