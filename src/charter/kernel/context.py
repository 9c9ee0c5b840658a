"""What every use case does with its context: append its audit event inside its transaction,
and record an entity as audit data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from charter.kernel.access import Actor
from charter.kernel.ports import Context, UnitOfWork
from charter.kernel.records import jsonable


def record(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str,
    data: Mapping[str, Any],
) -> None:
    """Append the audit event of this use case inside its transaction."""
    uow.audit.append(
        at=ctx.clock(),
        actor=actor.audited_as,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        data=data,
    )


def snapshot(item: Any, as_text: tuple[str, ...] = ()) -> dict[str, object]:
    """A dataclass entity as audit data; fields named in `as_text` (numbers with a fraction:
    the log's canonical JSON takes no floats) are recorded as their text."""
    return {
        k: (None if v is None else repr(v)) if k in as_text else jsonable(v)
        for k, v in asdict(item).items()
    }
