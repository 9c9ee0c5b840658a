"""Searchable choices: a field where a system, person, dataset, vendor or unit is found by
typing, not by scrolling a list of thousands.

The field is a text box: the server reads what was typed back (`resolve`), with or without
JavaScript: an id, an e-mail (people), a suggestion as the list shows it ("Name (e-mail)",
refused when the name is not that of the record the e-mail or id names), or an exact name
(case aside, an equality in the database: never decided among a window of search matches).
Several records of that name, or none, is a refusal that names the candidates or the
closest (forms that come back filled in keep what was typed). With htmx the field's native
<datalist> follows the typing from `/ui/pick/{kind}?q=` (at most SUGGESTED entries). Each
kind's search is the capability's own, permission-filtered as the list the user may see: the UI's
composition root (charter.web.ui) puts them in `app.state.pickers`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter.kernel.access import Actor
from charter.kernel.errors import InvalidInput, NotFound
from charter.kernel.names import name_key
from charter.kernel.web.pages import ctx_of, fragment, signed_in

SUGGESTED = 20  # entries a suggestion list holds
CLOSE = 8  # close matches a refusal names
MATCHED = 200  # records of a typed name read back (two are already refused as ambiguous)

router = APIRouter(prefix="/ui", include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str  # what the field shows and reads back: a name, or "Name (e-mail)" for a person


#: (ctx, actor, text, limit) -> the records whose name (or e-mail) holds the text, that the
#: actor may see, by name; (ctx, actor, id) -> the one with that id the actor may see, or None
Search = Callable[[Any, Actor, str, int], list[Choice]]
Get = Callable[[Any, Actor, str], Choice | None]
#: (ctx, actor, name, limit) -> the records the actor may see whose name is exactly the name,
#: case aside (an equality in the database, never a window of the search's matches)
Named = Callable[[Any, Actor, str, int], list[Choice]]


@dataclass(frozen=True, slots=True)
class Picker:
    noun: str  # "system"
    search: Search
    get: Get
    named: Named


#: a picker among one record's own (a body's agenda): the record's id -> its picker; its kind
#: is written "kind:id" ("agenda:mtg_1")
Within = Callable[[str], Picker]


def listed(noun: str, items: Callable[[Any, Actor], list[Choice]]) -> Picker:
    """A picker among a short list read whole (one record's own, already bounded and
    permission-filtered by `items`), found by a part of the label or the id."""

    def search(ctx: Any, who: Actor, text: str, limit: int) -> list[Choice]:
        key = name_key(text)
        return [c for c in items(ctx, who) if key in name_key(c.label) or c.id == text][:limit]

    def get(ctx: Any, who: Actor, ident: str) -> Choice | None:
        return next((c for c in items(ctx, who) if c.id == ident), None)

    def named(ctx: Any, who: Actor, name: str, limit: int) -> list[Choice]:
        key = name_key(name)
        return [c for c in items(ctx, who) if name_key(c.label) == key][:limit]

    return Picker(noun, search, get, named)


def _pickers(request: Request) -> dict[str, Picker | Within]:
    found: dict[str, Picker | Within] = request.app.state.pickers
    return found


def picker(request: Request, kind: str) -> Picker:
    """The picker of a kind: "systems", or "agenda:mtg_1" for one among a record's own."""
    base, scoped, within = kind.partition(":")
    found = _pickers(request).get(base)
    if isinstance(found, Picker) and not scoped:
        return found
    if found is not None and not isinstance(found, Picker) and within:
        return found(within)
    raise NotFound("list of choices", kind)


SUGGESTION = re.compile(r"^(?P<name>.*\S)\s+\((?P<ref>[^()]+)\)$")


def resolve(request: Request, who: Actor, kind: str, text: str | None) -> str | None:
    """The id of the record `text` names (None when empty): by id, by e-mail (people), as a
    suggestion shows it ("Name (ref)", the name that of the record the ref names), or by
    name, compared in the database; refused (InvalidInput, the candidates or the closest
    named) when it names several or none the user may see, or a ref of another name."""
    typed = (text or "").strip()
    if not typed:
        return None
    found = picker(request, kind)
    ctx = ctx_of(request)
    if (by_id := found.get(ctx, who, typed)) is not None:
        return by_id.id
    shaped = SUGGESTION.match(typed)
    if shaped and (by_ref := _by_ref(found, ctx, who, shaped)) is not None:
        return by_ref
    return _by_name(found, ctx, who, typed, shaped["name"] if shaped else typed)


def _by_ref(found: Picker, ctx: Any, who: Actor, shaped: re.Match[str]) -> str | None:
    """The id "Name (ref)" names by its ref (None: no record the user may see has it);
    refused when the record's name is not the name typed with it."""
    ref = shaped["ref"].strip()
    record = found.get(ctx, who, ref)
    if record is None:
        return None
    if name_key(_name(record)) != name_key(shaped["name"]):
        raise InvalidInput(f"'{ref}' names {_name(record)}, not {shaped['name']}: type the "
                           f"{found.noun} as the suggestions show it, or its id")  # fmt: skip
    return record.id


def _by_name(found: Picker, ctx: Any, who: Actor, typed: str, name: str) -> str:
    """The one record of the typed name (or, typed as "Name (ref)", of its name part) the
    user may see; two or more of a name are refused, each named with its id."""
    for wanted in dict.fromkeys((typed, name)):
        same = found.named(ctx, who, wanted, MATCHED)
        if len(same) == 1:
            return same[0].id
        if same:
            count = f"at least {MATCHED}" if len(same) >= MATCHED else str(len(same))
            listed = "; ".join(f"{c.label} [{c.id}]" for c in same[:CLOSE])
            raise InvalidInput(f"{count} {found.noun}s are named '{typed}': {listed}; type "
                               "one as the suggestions show it, or its id")  # fmt: skip
    near = found.search(ctx, who, name, CLOSE) or _looser(found, ctx, who, name)
    closest = "; the closest: " + "; ".join(f"{c.label} [{c.id}]" for c in near[:CLOSE])
    raise InvalidInput(f"no {found.noun} you may see is named '{typed}'{closest if near else ''}")


def _name(choice: Choice) -> str:
    shaped = SUGGESTION.match(choice.label)
    return shaped["name"] if shaped else choice.label


def _looser(found: Picker, ctx: Any, who: Actor, name: str) -> list[Choice]:
    """Close matches of a name nothing holds: those holding its first word, or its start."""
    words = name.split()
    first = words[0] if words else name
    return found.search(ctx, who, first, CLOSE) or found.search(ctx, who, name[:3], CLOSE)


@router.get("/pick/{kind}")
def suggestions(request: Request, kind: str) -> HTMLResponse:
    """The options of a field's <datalist> for what has been typed (htmx sends the field by
    its own name; `q` elsewhere), at most SUGGESTED, those the user may see."""
    who, _ = signed_in(request)
    found = picker(request, kind)
    typed = request.query_params.get("q") or next(iter(request.query_params.values()), "")
    text = typed.strip()[:200]
    shown = found.search(ctx_of(request), who, text, SUGGESTED) if text else []
    return HTMLResponse(fragment(request, "_picker_options.html", choices=shown))
