"""Documents generated from records, as data: a field map says what a document type must hold
and where each item comes from; a report is the map filled from stored records.

Every mandated item resolves to a record field, an evidence result, or a named section a
person writes and Charter stores (in versions). A figure always names the record it came
from (an evidence id and its data fingerprint, a KPI measurement, a scorecard measure over
named records): a figure without one is refused, never shown. A final document is refused
while a mandated item is empty; a draft lists what is missing.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.records import utc_timestamp

#: where an item's content may come from
ORIGINS = frozenset({"record", "evidence", "section"})
ORGANISATION = "organisation"  # the subject of documents about the whole organisation


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of a document: what it says, and the record it says it from."""

    label: str
    value: str
    source: str  # the record: "evidence ev_…", "system sys_…", "KPI kpi_…", ...
    fingerprint: str = ""  # evidence: the data it was computed on
    number: float | None = None  # a figure's value, when the line is a figure


def figure(
    label: str,
    number: float | None,
    source: str,
    fingerprint: str = "",
    fmt: str = "{:.4g}",
    suffix: str = "",
) -> Fact:
    """A figure with the record it came from; refused without one (no figure without a
    record) or when it is not a finite number."""
    if not source.strip():
        raise InvalidInput(f"a figure without a record: {label!r} names no record it came from")
    if number is None or not math.isfinite(number):
        return Fact(label, "no value", source, fingerprint, None)
    return Fact(label, fmt.format(number) + suffix, source, fingerprint, float(number))


def fact(label: str, value: object, source: str) -> Fact:
    """A stated fact (a name, a date, a status) and its record; empty text states nothing."""
    text = "" if value is None else str(value).strip()
    if not source.strip():
        raise InvalidInput(f"a fact without a record: {label!r} names no record it came from")
    return Fact(label, text, source)


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One item of a field map."""

    id: str
    title: str
    cite: str
    origins: tuple[str, ...]  # record, evidence, section: the first that gives content counts
    field: str = ""  # for record and evidence: the resolver that gives its facts
    mandatory: bool = True
    guidance: str = ""  # for sections: what to write


@dataclass(frozen=True, slots=True)
class PartSpec:
    id: str
    title: str
    cite: str
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True, slots=True)
class FieldMap:
    kind: str
    title: str
    scope: str  # "system" or "organisation"
    instrument: str  # the law or standard it answers, paraphrased
    sources: tuple[str, ...]
    parts: tuple[PartSpec, ...]
    governed_as: str = ""  # the governed document kind a final one is attached as
    notice: str = ""

    def items(self) -> list[ItemSpec]:
        return [i for p in self.parts for i in p.items]

    def item(self, item_id: str) -> ItemSpec:
        found = next((i for i in self.items() if i.id == item_id), None)
        if found is None:
            raise InvalidInput(f"{self.kind} has no item {item_id!r}", details={"item": item_id})
        return found

    def sections(self) -> list[ItemSpec]:
        return [i for i in self.items() if "section" in i.origins]

    def fields(self) -> set[str]:
        return {i.field for i in self.items() if i.field}


def _item(raw: Mapping[str, Any], where: str) -> ItemSpec:
    origins = raw.get("from")
    origins = tuple([origins] if isinstance(origins, str) else origins or ())
    if not origins or set(origins) - ORIGINS:
        raise InvalidInput(f"{where}: 'from' is one or more of {', '.join(sorted(ORIGINS))}")
    field_name = str(raw.get("field") or "")
    if set(origins) & {"record", "evidence"} and not field_name:
        raise InvalidInput(f"{where}: an item from a record or evidence names its 'field'")
    return ItemSpec(
        str(raw["id"]),
        str(raw["title"]),
        str(raw.get("cite") or ""),
        origins,
        field_name,
        bool(raw.get("mandatory", True)),
        str(raw.get("guidance") or ""),
    )


def parse_field_map(raw: Mapping[str, Any]) -> FieldMap:
    """A field map from a mapping that passed its JSON Schema; item ids unique."""
    kind = str(raw["kind"])
    parts = tuple(
        PartSpec(
            str(p["id"]),
            str(p["title"]),
            str(p.get("cite") or ""),
            tuple(_item(i, f"{kind} item {i.get('id')!r}") for i in p["items"]),
        )
        for p in raw["parts"]
    )
    ids = [i.id for p in parts for i in p.items]
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"{kind}: item ids must be unique")
    return FieldMap(
        kind,
        str(raw["title"]),
        str(raw["scope"]),
        str(raw["instrument"]),
        tuple(str(s) for s in raw.get("sources") or ()),
        parts,
        str(raw.get("governed_as") or ""),
        str(raw.get("notice") or ""),
    )


@dataclass(frozen=True, slots=True)
class Section:
    """A human-authored section as stored: every save is a new version."""

    id: str
    subject_id: str
    kind: str
    item: str
    version: int
    text: str
    written_by: str
    written_at: datetime


@dataclass(frozen=True, slots=True)
class Item:
    spec: ItemSpec
    origin: str  # where its content came from ("" when empty)
    facts: tuple[Fact, ...] = ()
    section: Section | None = None

    @property
    def filled(self) -> bool:
        return bool(self.origin)


@dataclass(frozen=True, slots=True)
class Part:
    spec: PartSpec
    items: tuple[Item, ...]


def _filled(
    spec: ItemSpec, resolved: Mapping[str, Sequence[Fact]], sections: Mapping[str, Section]
) -> Item:
    for origin in spec.origins:
        if origin == "section":
            found = sections.get(spec.id)
            if found is not None and found.text.strip():
                return Item(spec, origin, (), found)
            continue
        facts = tuple(f for f in resolved.get(spec.field, ()) if f.value)
        if facts:
            return Item(spec, origin, facts)
    return Item(spec, "", (), sections.get(spec.id))


@dataclass(frozen=True, slots=True)
class Report:
    """A document filled from records, as of a moment."""

    map: FieldMap
    subject_id: str
    subject: str  # the system's name, or the organisation
    as_of: datetime
    parts: tuple[Part, ...]
    context: Mapping[str, Any] = field(default_factory=dict)  # charts and tables beside items

    @property
    def missing(self) -> list[ItemSpec]:
        return [i.spec for p in self.parts for i in p.items if i.spec.mandatory and not i.filled]

    def data(self) -> dict[str, Any]:
        """What the document was built from, JSON-ready: each item's facts and their records."""
        return {
            "kind": self.map.kind,
            "title": self.map.title,
            "instrument": self.map.instrument,
            "subject": {"id": self.subject_id, "name": self.subject},
            "as_of": utc_timestamp(self.as_of),
            "parts": [_part_data(p) for p in self.parts],
            "missing": [i.id for i in self.missing],
        }

    def digest(self) -> str:
        """SHA-256 of the data's canonical JSON (the as-of moment left out: the same records
        give the same digest)."""
        body = {k: v for k, v in self.data().items() if k != "as_of"}
        return sha256_of(body)


def _part_data(part: Part) -> dict[str, Any]:
    return {
        "id": part.spec.id,
        "title": part.spec.title,
        "cite": part.spec.cite,
        "items": [_item_data(i) for i in part.items],
    }


def _item_data(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.spec.id,
        "title": item.spec.title,
        "cite": item.spec.cite,
        "mandatory": item.spec.mandatory,
        "from": item.origin or None,
        "facts": [
            {
                k: v
                for k, v in (
                    ("label", f.label),
                    ("value", f.value),
                    ("source", f.source),
                    ("fingerprint", f.fingerprint),
                    ("number", f.number),
                )
                if v not in ("", None)
            }
            for f in item.facts
        ],
    }
    if item.origin == "section" and item.section is not None:
        out["section"] = {
            "text": item.section.text,
            "version": item.section.version,
            "written_by": item.section.written_by,
            "written_at": utc_timestamp(item.section.written_at),
        }
    return out


def sha256_of(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fill(
    fmap: FieldMap,
    subject: tuple[str, str],
    as_of: datetime,
    resolved: Mapping[str, Sequence[Fact]],
    sections: Mapping[str, Section],
    context: Mapping[str, Any] | None = None,
) -> Report:
    """The field map filled: each item from the first of its origins that gives content.
    Every fact must name its record; a field the map names must have been resolved."""
    unknown = sorted(fmap.fields() - set(resolved))
    if unknown:
        raise InvalidInput(f"{fmap.kind}: no record gives the field(s) {', '.join(unknown)}")
    for facts in resolved.values():
        for f in facts:
            if not f.source.strip():
                raise InvalidInput(f"a figure without a record: {f.label!r}")
    parts = tuple(
        Part(p, tuple(_filled(i, resolved, sections) for i in p.items)) for p in fmap.parts
    )
    return Report(fmap, subject[0], subject[1], as_of, parts, dict(context or {}))


def refuse_incomplete(report: Report) -> None:
    """A final document with a mandated item empty is refused, every such item named."""
    missing = report.missing
    if missing:
        names = "; ".join(f"{i.id} {i.title}" for i in missing)
        raise Conflict(
            f"{report.map.title} cannot be final: {len(missing)} mandated item(s) empty: {names}",
            details={"missing": [i.id for i in missing]},
        )


@dataclass(frozen=True, slots=True)
class IssuedReport:
    """A final document as issued: the data it was built from, its PDF, and their digests."""

    id: str
    subject_id: str
    kind: str
    title: str
    issued_by: str
    issued_at: datetime
    data: dict[str, Any]
    data_sha256: str
    pdf: bytes
    pdf_sha256: str
    document_id: str | None = None  # the governed document it is attached as


@dataclass(frozen=True, slots=True)
class Submission:
    """What was sent to whom (an EU database registration, a notification of an impact
    assessment's result), when, and the reference they returned."""

    id: str
    subject_id: str
    kind: str
    report_id: str
    sent_to: str
    reference: str
    note: str
    sent_by: str
    sent_at: datetime
