"""Consistent online copies of the store and putting them back: SQLite's online backup (a
page-by-page copy that concurrent writers do not disturb), PostgreSQL's pg_dump in its custom
format from an exported snapshot (so the audit head read beside it is the dump's own); and a
manifest beside each copy with the audit head and the verifier key, checked at restore."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from charter.kernel.errors import Conflict, InvalidInput

FORMAT = "charter-backup"


@dataclass(frozen=True, slots=True)
class Manifest:
    database: str  # sqlite | postgresql
    created_at: str
    charter_version: str
    revision: str
    audit_size: int
    audit_root: str  # hex
    verifier: str | None  # the public key that signs the log's checkpoints
    sha256: str  # of the copy
    format: str = FORMAT


def manifest_path(copy: Path) -> Path:
    return copy.with_name(copy.name + ".json")


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _head(conn: Connection) -> tuple[int, str, str]:
    seq, root = conn.execute(text("SELECT seq, root FROM audit_head WHERE id = 1")).one()
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    return int(seq), bytes(root).hex(), str(revision)


def copy_sqlite(engine: Engine, dest: Path) -> tuple[int, str, str]:
    """The database copied by SQLite's online backup, as one self-contained file (a rollback
    journal, not the live store's write-ahead log); its audit head and schema revision."""
    source = sqlite3.connect(str(engine.url.database))
    target = sqlite3.connect(str(dest))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    copied = sqlite3.connect(str(dest))
    try:
        copied.execute("PRAGMA journal_mode = DELETE")
        seq, root = copied.execute("SELECT seq, root FROM audit_head WHERE id = 1").fetchone()
        (revision,) = copied.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        copied.close()
    return int(seq), bytes(root).hex(), str(revision)


def libpq_url(engine: Engine) -> str:
    """The URL as libpq's tools (pg_dump, pg_restore) take it."""
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def dump_postgres(engine: Engine, dest: Path) -> tuple[int, str, str]:
    """pg_dump of one snapshot, the audit head read in the same snapshot."""
    tool = _tool("pg_dump")
    with engine.connect() as conn:
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        head = _head(conn)
        done = subprocess.run(  # noqa: S603 (the tool and arguments are ours)
            [tool, "--format=custom", f"--snapshot={snapshot}", "--no-owner",
             f"--file={dest}", f"--dbname={libpq_url(engine)}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        conn.rollback()
    if done.returncode != 0:
        raise InvalidInput(f"pg_dump failed: {done.stderr.strip()[:500]}")
    return head


def restore_postgres(engine: Engine, source: Path) -> None:
    """The dump restored into the (empty) database the engine names."""
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        ).scalar_one()
    if found:
        raise Conflict("restore into an empty database: this one holds tables")
    done = subprocess.run(  # noqa: S603 (the tool and arguments are ours)
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={libpq_url(engine)}",
         str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise InvalidInput(f"pg_restore failed: {done.stderr.strip()[:500]}")


def empty_postgres(engine: Engine) -> None:
    """Take everything a refused restore put in the database out again."""
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise InvalidInput(f"{name} is not installed (PostgreSQL's client tools)")
    return str(found)


def write_manifest(copy: Path, manifest: Manifest) -> Path:
    path = manifest_path(copy)
    path.write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return path


def read_manifest(copy: Path) -> Manifest:
    """The copy's manifest, refused when it is missing, malformed or the copy changed."""
    path = manifest_path(copy)
    try:
        raw = json.loads(path.read_text())
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError) as exc:
        raise InvalidInput(f"cannot read the backup's manifest {path.name}: {exc}") from exc
    if manifest.format != FORMAT:
        raise InvalidInput(f"{path.name} is not a Charter backup manifest")
    if not copy.exists() or digest(copy) != manifest.sha256:
        raise InvalidInput(f"{copy.name} is not the copy its manifest describes (SHA-256 differs)")
    return manifest
