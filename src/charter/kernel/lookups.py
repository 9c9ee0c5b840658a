"""Loading and checking what a use case is given, failing with errors that name the problem."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TypeVar

from charter.kernel.errors import Conflict, InvalidInput, NotFound
from charter.kernel.names import name_key
from charter.kernel.ports import Directory, Identified, Lookup, Repository

T = TypeVar("T")
I = TypeVar("I", bound=Identified)  # noqa: E741


def by_ids(repo: Repository[I], ids: Collection[str]) -> dict[str, I]:
    """The records with these ids, by id, in one query (not the whole table)."""
    return {r.id: r for r in repo.all(id=frozenset(ids))} if ids else {}


def person_id(people: Directory[Identified], ref: str) -> str:
    """The id of the person `ref` names: their id, their e-mail or their exact name."""
    return find_person(people, ref).id


def find_person(people: Directory[I], ref: str) -> I:
    """The person `ref` names: their id, their e-mail or their exact name."""
    return _resolve(people, "person", ref, ("email", "name"))


def unit_id(units: Directory[Identified], ref: str) -> str:
    """The id of the business unit `ref` names: its id or its exact name."""
    return _resolve(units, "business unit", ref, ("name",)).id


def optional_person_id(people: Directory[Identified], ref: str | None) -> str | None:
    return None if ref is None else person_id(people, ref)


def optional_unit_id(units: Directory[Identified], ref: str | None) -> str | None:
    return None if ref is None else unit_id(units, ref)


def _candidate(item: Identified) -> str:
    email = getattr(item, "email", None)
    return f"{item.id} <{email}>" if email else item.id


def _resolve(repo: Directory[I], kind: str, ref: str, fields: tuple[str, ...]) -> I:
    """An id, else the one record whose field equals `ref`; several is an error naming them
    all (the user picks one by id), none is NotFound."""
    text = ref.strip()
    found = repo.get(text) if text else None
    if found is not None:
        return found
    for field in fields:
        if field == "email" and "@" not in text:
            continue
        matches = repo.all(**{field: text.lower() if field == "email" else text})
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = sorted(_candidate(m) for m in matches)
            raise InvalidInput(
                f"{text!r} is the {field} of {len(shown)} {kind} records, name one by id: "
                + ", ".join(shown),
                details={"kind": kind, "ref": text, "candidates": sorted(m.id for m in matches)},
            )
    raise NotFound(kind, text)


def require(repo: Lookup[T], kind: str, ident: str) -> T:
    item = repo.get(ident)
    if item is None:
        raise NotFound(kind, ident)
    return item


def hold(repo: Repository[T], kind: str, ident: str) -> T:
    """The record, locked against concurrent writers until the transaction ends. Every use
    case that changes a system's lifecycle, gate or fields holds the system first, then what
    hangs on it (requests, approvals): one lock order, so concurrent decisions serialise."""
    item = repo.lock(ident)
    if item is None:
        raise NotFound(kind, ident)
    return item


def ensure_unique(
    repo: Repository[T], kind: str, field: str, value: object, except_id: str | None = None
) -> None:
    """No other record holds `value` in `field`; names are compared as people read them
    (case and spacing aside: "Credit Scoring" is "credit scoring")."""
    clash = [i for i in repo.all(**{field: value}) if getattr(i, "id", None) != except_id]
    if not clash and field == "name" and isinstance(value, str):
        key = name_key(value)
        # a repository that indexes its names as read (a bulk import's) answers at once
        named = getattr(repo, "named", None)
        candidates = named(key) if callable(named) else repo.all()
        clash = [
            i
            for i in candidates
            if name_key(getattr(i, field)) == key and getattr(i, "id", None) != except_id
        ]
    if clash:
        held = getattr(clash[0], field)
        same = "" if held == value else f" ({held!r}: names are compared ignoring case)"
        raise Conflict(
            f"a {kind} with {field} {value!r} already exists{same}",
            details={"field": field, "value": value, "id": getattr(clash[0], "id", None)},
        )


def check_fields(
    kind: str,
    values: Mapping[str, object],
    allowed: Collection[str],
    nullable: Collection[str] = (),
    hint: str = "",
) -> None:
    """Refuse fields the use case does not take, and nulls for fields that need a value."""
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"{kind} field(s) not accepted here: {', '.join(unknown)}{hint}",
            details={"field": unknown[0]},
        )
    nulls = sorted(k for k, v in values.items() if v is None and k not in nullable)
    if nulls:
        raise InvalidInput(
            f"field(s) may not be null: {', '.join(nulls)}", details={"field": nulls[0]}
        )
