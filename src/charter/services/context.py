"""What every use case receives: the unit of work factory, clock, ids, rights and gate."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from charter.domain.access import Actor
from charter.domain.audit import jsonable
from charter.domain.checkpoint import Checkpoint
from charter.domain.gates import Plugin, PolicyCondition
from charter.domain.lifecycle import ApprovalsCondition, Condition
from charter.domain.logcheck import LogCheck
from charter.domain.rights import DecisionRights
from charter.domain.scoring import ScoringModel
from charter.services.ports import (
    Clock,
    IdFactory,
    PasswordHasher,
    Signer,
    UnitOfWork,
    UnitOfWorkFactory,
)


def _default_conditions() -> tuple[Condition, ...]:
    return (ApprovalsCondition(), PolicyCondition())


@dataclass(frozen=True)
class Context:
    uow: UnitOfWorkFactory
    clock: Clock
    new_id: IdFactory
    rights: DecisionRights
    conditions: Sequence[Condition] = field(default_factory=_default_conditions)
    signer: Signer | None = None
    verify_note: Callable[[str], Checkpoint] | None = None
    # checks events [1, size] in aligned chunks on several processes: (size, sizes, workers)
    check_in_chunks: Callable[[int, frozenset[int], int], Iterator[LogCheck]] | None = None
    # requirement plugins by name (entry points of group charter.requirements)
    plugins: Mapping[str, Plugin] = field(default_factory=dict)
    passwords: PasswordHasher | None = None  # web sign-in; None: passwords cannot be used
    scoring: ScoringModel | None = None  # use-case scoring; None: portfolios cannot be scored


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
        actor=actor.ref,
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
