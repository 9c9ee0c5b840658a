"""Hypothesis: any change to stored events or to an export is detected; untouched logs pass.

The database refuses UPDATE and DELETE of audit rows, so these tests first drop the triggers,
as an attacker with full database rights would.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from charter.accountability.services import org
from charter.audit import services as audit
from charter.audit.domain.events import leaf_hash as hex_leaf
from charter.audit.domain.logcheck import check_export
from charter.audit.keys import create_key, verify_note
from charter.bootstrap import context_for
from charter.kernel.errors import CharterError
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from tests.factory import make_world

SIZE_EXTRA = 12
OPS = [
    "flip",
    "rehash",
    "rewrite_tail",
    "delete",
    "delete_last",
    "insert",
    "swap",
    "newline",
    "not_utf8",
]


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A small log with a signed checkpoint at its very end."""
    folder = tmp_path_factory.mktemp("golden")
    key = folder / "audit.key"
    create_key(key, "test.example/audit")
    engine = make_engine(f"sqlite:///{folder}/charter.db")
    upgrade(engine)
    ctx = context_for(engine, key_file=key)
    world = make_world(ctx)
    for i in range(SIZE_EXTRA):
        org.create_unit(ctx, world.admin, f"Unit {i}")
    audit.make_checkpoint(ctx, world.admin)
    verifier = ctx.signer.verifier  # type: ignore[union-attr]
    (folder / "export.jsonl").write_bytes(b"".join(audit.export_lines(ctx, world.admin)))
    engine.dispose()
    yield folder, verifier


def _copy(golden: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(golden / "charter.db", dest / "charter.db")
    return dest / "charter.db"


def _rows(conn) -> list[tuple[int, bytes, str]]:  # type: ignore[no-untyped-def]
    return [
        (s, bytes(c), h)
        for s, c, h in conn.execute(
            text("SELECT seq, canonical, hash FROM audit_events ORDER BY seq")
        )
    ]


def _tamper(db: Path, op: str, k: int) -> None:
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        for trigger in ("audit_events_no_update", "audit_events_no_delete"):
            conn.execute(text(f"DROP TRIGGER {trigger}"))
        rows = _rows(conn)
        n = len(rows)
        k = k % n + 1
        canonical = dict((s, c) for s, c, _ in rows)[k]
        if op in ("newline", "not_utf8"):
            odd = b"\n" if op == "newline" else b"\xff\xfe"
            conn.execute(
                text("UPDATE audit_events SET canonical = :c WHERE seq = :k"),
                {"c": canonical.replace(b'"actor":"', b'"actor":"' + odd), "k": k},
            )
        elif op == "flip":
            conn.execute(
                text("UPDATE audit_events SET canonical = :c WHERE seq = :k"),
                {"c": canonical.replace(b'"actor":"', b'"actor":"x'), "k": k},
            )
        elif op == "rehash":
            forged = canonical.replace(b'"actor":"', b'"actor":"x')
            conn.execute(
                text("UPDATE audit_events SET canonical = :c, hash = :h WHERE seq = :k"),
                {"c": forged, "h": hex_leaf(forged), "k": k},
            )
        elif op == "rewrite_tail":
            _rewrite_from(conn, rows, k)
        elif op in ("delete", "delete_last"):
            conn.execute(
                text("DELETE FROM audit_events WHERE seq = :k"),
                {"k": n if op == "delete_last" else k},
            )
        elif op == "insert":
            conn.execute(text("UPDATE audit_events SET seq = seq + 1000 WHERE seq >= :k"), {"k": k})
            conn.execute(text("UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000"))
            conn.execute(
                text(
                    "INSERT INTO audit_events (seq, at, actor, action, entity_type, "
                    "entity_id, canonical, hash) SELECT :k, at, actor, action, "
                    "entity_type, entity_id, canonical, hash FROM audit_events "
                    "WHERE seq = :k1"
                ),
                {"k": k, "k1": k + 1},
            )
        else:  # swap with the next event (or the previous one at the end)
            other = k + 1 if k < n else k - 1
            conn.execute(text("UPDATE audit_events SET seq = -1 WHERE seq = :a"), {"a": k})
            conn.execute(
                text("UPDATE audit_events SET seq = :a WHERE seq = :b"), {"a": k, "b": other}
            )
            conn.execute(text("UPDATE audit_events SET seq = :b WHERE seq = -1"), {"b": other})
    engine.dispose()


def _rewrite_from(conn, rows: list[tuple[int, bytes, str]], k: int) -> None:  # type: ignore[no-untyped-def]
    """A careful forger: change event k and re-hash and re-chain everything after it."""
    prev = rows[k - 2][2] if k > 1 else "0" * 64
    for seq, canonical, _ in rows[k - 1 :]:
        body = canonical.replace(b'"actor":"', b'"actor":"x') if seq == k else canonical
        head, _, _ = body.rpartition(b',"prev":"')
        body = head + b',"prev":"' + prev.encode() + b'","seq":' + str(seq).encode() + b"}"
        prev = hex_leaf(body)
        conn.execute(
            text("UPDATE audit_events SET canonical = :c, hash = :h WHERE seq = :s"),
            {"c": body, "h": prev, "s": seq},
        )


def _verify(db: Path, key_dir: Path) -> bool:
    engine = make_engine(f"sqlite:///{db}")
    ctx = context_for(engine, key_file=key_dir / "audit.key")
    try:
        from charter.identity.services import access

        admin = access.actor_for(ctx, "admin@example.org")
        return audit.verify_log(ctx, admin).intact
    except CharterError:
        return False
    finally:
        engine.dispose()


def test_untouched_log_verifies(golden: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = golden
    assert _verify(_copy(folder, tmp_path), folder)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(op=st.sampled_from(OPS), k=st.integers(min_value=0, max_value=10_000))
def test_any_tampering_with_stored_events_is_detected(
    golden: tuple[Path, str], tmp_path: Path, op: str, k: int
) -> None:
    folder, _ = golden
    db = _copy(folder, tmp_path / f"{op}-{k}")
    _tamper(db, op, k)
    assert not _verify(db, folder)


def _check(lines: list[bytes], verifier: str) -> bool:
    try:
        return check_export(iter(lines), lambda n: verify_note(n, verifier)).intact
    except CharterError:
        return False


def test_untouched_export_verifies(golden: tuple[Path, str]) -> None:
    folder, verifier = golden
    lines = (folder / "export.jsonl").read_bytes().splitlines(keepends=True)
    assert _check(lines, verifier)


@given(data=st.data())
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_change_to_an_export_is_detected(golden: tuple[Path, str], data: st.DataObject) -> None:
    folder, verifier = golden
    lines = (folder / "export.jsonl").read_bytes().splitlines(keepends=True)
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1), label="line")
    op = data.draw(st.sampled_from(["byte", "delete", "duplicate", "swap", "insert_copy"]))
    changed = list(lines)
    if op == "byte":
        line = bytearray(changed[i])
        pos = data.draw(st.integers(min_value=0, max_value=len(line) - 2), label="pos")
        new = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != line[pos]))
        line[pos] = new
        changed[i] = bytes(line)
    elif op == "delete":
        del changed[i]
    elif op == "duplicate":
        changed.insert(i, changed[i])
    elif op == "swap":
        j = data.draw(
            st.integers(min_value=0, max_value=len(lines) - 1).filter(
                lambda j: lines[j] != lines[i]
            ),
            label="other",
        )
        changed[i], changed[j] = changed[j], changed[i]
    else:
        j = data.draw(st.integers(min_value=1, max_value=len(lines) - 1), label="source")
        changed.insert(i + 1, lines[j])
    assert changed != lines
    assert not _check(changed, verifier)
