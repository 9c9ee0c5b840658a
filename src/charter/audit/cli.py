"""charter audit log | history | verify | checkpoint | export | prove | consistency | witness,
charter keys"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from charter.audit import services as audit
from charter.audit.domain.checkpoint import Checkpoint
from charter.audit.domain.logcheck import check_export
from charter.audit.keys import create_key, read_verifier, verify_note
from charter.audit.witness import witness_export, witness_local
from charter.config import Settings
from charter.kernel.cli.output import EXIT_FAILED_CHECK, JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
keys = typer.Typer(help="The Ed25519 key that signs audit checkpoints.", no_args_is_help=True)
AsOpt = typer.Option(None, "--as", help=AS_HELP)
KeyOpt = typer.Option(
    None,
    "--key",
    help="Verifier key, inline or a file (default: the configured key's public half).",
)


def _verifier(key: str | None) -> Callable[[str], Checkpoint] | None:
    if key is None:
        return None
    verifier = read_verifier(key)
    return lambda note: verify_note(note, verifier)


def _print(data: dict[str, Any]) -> None:
    if data["intact"]:
        console.print(
            f"[green]verified[/]: {data['size']} events, "
            f"{data['checkpoints_checked']} signed checkpoint(s), latest at size "
            f"{data['checkpoint_size']}; {data['unsigned_tail']} event(s) after it",
            highlight=False,
        )
        console.print(f"[dim]{data['meaning']}[/]", highlight=False)
    else:
        where = f" at event {data['first_bad_seq']}" if data["first_bad_seq"] else ""
        console.print(f"[bold red]NOT VERIFIED[/]{where}: {data['problem']}", highlight=False)


@audit_app.command("verify")
def audit_verify(
    export: Path | None = typer.Option(
        None, help="Verify an export file offline instead of the database."
    ),
    key: str | None = KeyOpt,
    workers: int = typer.Option(
        os.cpu_count() or 1, min=1, max=64, help="Processes checking a large log in parallel."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Check every event's bytes, hash and chain and the Merkle root against every signed
    checkpoint; exits 1 and names the first bad event when anything differs."""
    with reporting(json_):
        if export is not None:
            verify = _verifier(key or str(Settings().resolved_key_file().with_suffix(".pub")))
            assert verify is not None
            with export.open("rb") as lines:
                report = check_export(iter(lines), verify)
        else:
            ctx = context()
            report = audit.verify_log(ctx, acting(ctx, who), _verifier(key), workers)
    data = audit.presented(report)
    emit(data, json_, lambda: _print(data))
    if not report.intact:
        raise typer.Exit(EXIT_FAILED_CHECK)


@audit_app.command("checkpoint")
def audit_checkpoint(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Sign the current tree head (size, root, time) as a C2SP checkpoint and store it."""
    with reporting(json_):
        ctx = context()
        signed = audit.make_checkpoint(ctx, acting(ctx, who))
    emit({"size": signed.size, "note": signed.note}, json_, lambda: typer.echo(signed.note))


@audit_app.command("export")
def audit_export(path: Path, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Write the log as JSON lines (a header with the signed checkpoints, then each event's
    exact bytes) for offline verification."""
    with reporting(json_):
        ctx = context()
        tmp = path.with_name(path.name + ".partial")
        count = -1
        with tmp.open("wb") as out:
            for line in audit.export_lines(ctx, acting(ctx, who)):
                out.write(line)
                count += 1
        tmp.replace(path)
    emit(
        {"path": str(path), "events": count},
        json_,
        lambda: typer.echo(f"exported {count} events to {path}"),
    )


@audit_app.command("prove")
def audit_prove(
    seq: int,
    size: int | None = typer.Option(None, help="Tree size (default: now)."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """An inclusion proof: event SEQ is in the log of the given size."""
    with reporting(json_):
        ctx = context()
        proof = audit.prove_inclusion(ctx, acting(ctx, who), seq, size).as_dict()
    emit(proof, json_, lambda: console.print_json(data=proof))


@audit_app.command("consistency")
def audit_consistency(
    first: int,
    to: int | None = typer.Option(None, help="Default: now."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """A consistency proof: the log of size FIRST is a prefix of the log of size --to."""
    with reporting(json_):
        ctx = context()
        proof = audit.prove_consistency(ctx, acting(ctx, who), first, to).as_dict()
    emit(proof, json_, lambda: console.print_json(data=proof))


@audit_app.command("witness")
def audit_witness(
    state: Path = typer.Option(..., help="File keeping the last checkpoint this witness accepted."),
    export: Path | None = typer.Option(None, help="Watch an export file instead of the database."),
    key: str | None = KeyOpt,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Accept the latest signed checkpoint only if the log is consistent with the last one
    accepted; exits 1 when the log was rewritten or shrank."""
    with reporting(json_):
        verifier = read_verifier(key or str(Settings().resolved_key_file().with_suffix(".pub")))
        if export is not None:
            result = witness_export(state, export, verifier)
        else:
            ctx = context()
            result = witness_local(ctx, acting(ctx, who), state, verifier)
    emit(result, json_, lambda: typer.echo(result["message"]))
    if not result["consistent"]:
        raise typer.Exit(EXIT_FAILED_CHECK)


@keys.command("init")
def keys_init(
    name: str = typer.Option(
        "charter.local/audit", help="Key name, also the checkpoints' origin line."
    ),
    force: bool = typer.Option(False, help="Replace an existing key."),
    json_: bool = JsonOpt,
) -> None:
    """Create the Ed25519 checkpoint signing key (mode 0600) and its .pub verifier key."""
    path = Settings().resolved_key_file()
    with reporting(json_):
        signer = create_key(path, name, force=force)
    data = {
        "key_file": str(path),
        "verifier_key": signer.verifier,
        "verifier_file": str(path.with_suffix(".pub")),
    }
    emit(
        data,
        json_,
        lambda: typer.echo(
            f"signing key written to {path} (keep it secret, keep it outside the database)\n"
            f"verifier key (give it to auditors): {signer.verifier}"
        ),
    )


@audit_app.command("log")
def audit_log(
    after: int = 0,
    limit: int = typer.Option(50, min=1, max=1000),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Print audit events in order, from a sequence number on."""
    with reporting(json_):
        ctx = context()
        events = audit.list_events(ctx, acting(ctx, who), after, limit)
    bodies = [e.body() for e in events]
    emit(
        {"items": as_json(events)},
        json_,
        lambda: table(
            "Audit events",
            ["seq", "at", "actor", "action", "entity"],
            [
                (
                    b["seq"],
                    b["at"],
                    b["actor"],
                    b["action"],
                    f"{b['entity']['type']} {b['entity']['id']}",
                )
                for b in bodies
            ],
        ),
    )


@audit_app.command("history")
def audit_history(
    entity_type: str, entity_id: str, who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Every recorded change of one entity: who, when, what."""
    with reporting(json_):
        ctx = context()
        events = audit.entity_history(ctx, acting(ctx, who), entity_type, entity_id)
    bodies = [e.body() for e in events]
    emit(
        {"items": as_json(events)},
        json_,
        lambda: table(
            f"History of {entity_type} {entity_id}",
            ["seq", "at", "actor", "action", "data"],
            [(b["seq"], b["at"], b["actor"], b["action"], b["data"]) for b in bodies],
        ),
    )
