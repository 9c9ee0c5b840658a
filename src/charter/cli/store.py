"""charter doctor | backup | restore: the store's own integrity check, consistent online
copies, and putting a copy back only when its audit log verifies."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.exc import DBAPIError

from charter.kernel.cli.output import EXIT_FAILED_CHECK, JsonOpt, console, emit, reporting
from charter.kernel.cli.session import AS_HELP
from charter.kernel.errors import CharterError, InvalidInput, VerificationFailed

AsOpt = typer.Option(None, "--as", help=AS_HELP)


def doctor(json_: bool = JsonOpt) -> None:
    """Run the database's own integrity check over every table (SQLite's integrity_check;
    PostgreSQL's amcheck where installed), say whether it reads and takes writes, and list
    the policies changed outside Charter: a stored text that does not match its digest, a
    policy disabled, enabled, deleted, inserted or rewritten against the audit log (in force,
    they block every gate); exits 1 when it finds a problem, 9 when the database cannot be
    read."""
    from charter.config import Settings
    from charter.governance.services.policies import not_enforced_as_stored
    from charter.kernel.cli.session import context
    from charter.kernel.store.engine import make_engine
    from charter.kernel.store.health import integrity, probe
    from charter.kernel.store.migrate import current_revision, head_revision

    with reporting(json_):
        engine = make_engine(Settings().resolved_database_url())
        try:
            problems = integrity(engine)
            probe(engine)
            revision = current_revision(engine)
            if revision is not None and not problems:
                problems += not_enforced_as_stored(context())
            data = {"sound": not problems, "problems": problems, "revision": revision,
                    "latest_revision": head_revision()}  # fmt: skip
        finally:
            engine.dispose()
    said = "sound" if data["sound"] else "problems:\n" + "\n".join(problems)
    emit(data, json_, lambda: console.print(said, highlight=False))
    if problems:
        raise typer.Exit(EXIT_FAILED_CHECK)


def backup(dest: Path = typer.Argument(..., help="The copy to write (a new file)."),
           json_: bool = JsonOpt) -> None:  # fmt: skip
    """A consistent online copy of the store (SQLite's online backup; pg_dump's custom format
    on PostgreSQL), with a manifest beside it (DEST.json): the audit head, the schema
    revision and the public key that signs the log."""
    from charter import __version__
    from charter.config import Settings
    from charter.kernel.store import backup as store
    from charter.kernel.store.engine import make_engine

    with reporting(json_):
        if dest.exists():
            raise InvalidInput(f"{dest.name} exists: a backup never writes over a file")
        settings = Settings()
        engine = make_engine(settings.resolved_database_url())
        try:
            sqlite = engine.dialect.name == "sqlite"
            size, root, revision = (store.copy_sqlite if sqlite else store.dump_postgres)(
                engine, dest
            )
        finally:
            engine.dispose()
        manifest = store.Manifest(
            engine.dialect.name, datetime.now(UTC).isoformat(), __version__, revision, size, root,
            _verifier(settings.resolved_key_file()), store.digest(dest),
        )  # fmt: skip
        store.write_manifest(dest, manifest)
    said = f"backed up {size} audit events to {dest} (manifest {dest.name}.json)"
    emit(asdict(manifest), json_, lambda: console.print(said, highlight=False))


def _verifier(key: Path) -> str | None:
    public = key.with_suffix(".pub")
    return public.read_text().strip() if public.exists() else None


def restore(source: Path = typer.Argument(..., help="A copy `charter backup` wrote."),
            who: str | None = AsOpt, json_: bool = JsonOpt) -> None:  # fmt: skip
    """Put a backup in place of the store, only when its audit log verifies with the
    installation's key: SQLite's file is replaced (stop the server first); on PostgreSQL the
    database CHARTER_DATABASE_URL names must be empty. The restore is recorded as an audit
    event naming the log's size before and after, and signed."""
    with reporting(json_):
        data = _restore(source, who)
    emit(data, json_, lambda: console.print(
        f"restored {data['to_size']} audit events (the store held {data['from_size']})",
        highlight=False))  # fmt: skip


def _restore(source: Path, who: str | None) -> dict[str, Any]:
    from charter.config import Settings
    from charter.kernel.store import backup as store

    settings = Settings()
    who = who or settings.actor
    if not who:
        raise InvalidInput("say who restores: --as EMAIL (an administrator) or CHARTER_ACTOR")
    manifest = store.read_manifest(source)
    verifier = _verifier(settings.resolved_key_file())
    if verifier is None or verifier != manifest.verifier:
        raise VerificationFailed(
            "the backup is signed by another key than this installation's (or none)"
        )
    url = settings.resolved_database_url()
    if manifest.database == "sqlite":
        return _restore_sqlite(settings, source, manifest, who)
    if not url.startswith("postgresql"):
        raise InvalidInput("a PostgreSQL backup is restored into PostgreSQL")
    return _restore_postgres(settings, source, manifest, who)


def _restore_sqlite(settings: Any, source: Path, manifest: Any, who: str | None) -> dict[str, Any]:
    from charter.kernel.store.engine import make_engine

    target = Path(str(make_engine(settings.resolved_database_url()).url.database))
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staged)
    try:
        staged_url = f"sqlite:///{staged}"
        _verified(settings.model_copy(update={"database_url": staged_url}), manifest, who)
        before = _size_of(settings)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    return _record(settings, manifest, before, who)


def _restore_postgres(
    settings: Any, source: Path, manifest: Any, who: str | None
) -> dict[str, Any]:
    from charter.kernel.store import backup as store
    from charter.kernel.store.engine import make_engine

    engine = make_engine(settings.resolved_database_url())
    try:
        store.restore_postgres(engine, source)
        try:
            _verified(settings, manifest, who)
        except Exception:
            store.empty_postgres(engine)
            raise
    finally:
        engine.dispose()
    return _record(settings, manifest, 0, who)


def _verified(settings: Any, manifest: Any, who: str | None) -> None:
    """The copy's log verifies with the key, as of when the copy was made; else nothing is
    put in place."""
    from charter.audit import services as audit
    from charter.bootstrap import acting, build

    ctx, engine = build(settings.model_copy(update={"checkpoint_witness": None}))
    try:
        at = datetime.fromisoformat(manifest.created_at)
        ctx = replace(ctx, clock=lambda: at, checkpoint_copies=())
        report = audit.verify_log(ctx, acting(ctx, str(who)))
    finally:
        engine.dispose()
    if not report.intact:
        raise VerificationFailed(f"the backup's audit log does not verify: {report.problem}")
    if report.size != manifest.audit_size:
        raise VerificationFailed("the backup's log is not the size its manifest records")


def _size_of(settings: Any) -> int | None:
    """The audit log's size in the store now (None: it cannot be read)."""
    from charter.kernel.store.backup import _head
    from charter.kernel.store.engine import make_engine

    engine = make_engine(settings.resolved_database_url())
    try:
        with engine.connect() as conn:
            return _head(conn)[0]
    except (DBAPIError, CharterError):  # a damaged or missing store: its size is unknown
        return None
    finally:
        engine.dispose()


def _record(settings: Any, manifest: Any, before: int | None, who: str | None) -> dict[str, Any]:
    from charter.audit import services as audit
    from charter.bootstrap import acting, build

    ctx, engine = build(settings)
    try:
        backup = {"backup_sha256": manifest.sha256, "backup_created_at": manifest.created_at}
        signed = audit.record_restore(ctx, acting(ctx, str(who)), before, backup)
    finally:
        engine.dispose()
    return {"from_size": before, "to_size": manifest.audit_size, "signed_size": signed.size,
            "backup": json.loads(json.dumps(backup))}  # fmt: skip
