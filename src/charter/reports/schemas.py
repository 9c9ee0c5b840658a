"""Request bodies and response shapes of the reports API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from charter.kernel.web.contract import Items, Ref


class SectionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sections: dict[str, str] = Field(description="section item id -> its text")


class SubmissionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sent_to: str = Field(max_length=300)
    reference: str = Field(max_length=300)
    note: str = Field("", max_length=4000)


class MapItem(BaseModel):
    """One item a document type must (or may) hold, and where its content comes from."""

    id: str
    title: str
    cite: str = Field(description="the instrument's point it fills")
    origins: list[str] = Field(alias="from", description="record, evidence or section, in order")
    field: str | None = Field(description="the record field that fills it")
    mandatory: bool
    guidance: str | None


class MapPart(BaseModel):
    id: str
    title: str
    cite: str
    items: list[MapItem]


class FieldMap(BaseModel):
    """A document type: the instrument it answers and every item it holds."""

    kind: str
    title: str
    scope: str = Field(description="system or organisation")
    instrument: str
    sources: list[str] = Field(description="the texts the field map is taken from")
    parts: list[MapPart]


class FactOut(BaseModel):
    """One line of a document and the record it comes from."""

    label: str
    value: str
    source: str = Field(description="the record: evidence ev_…, system sys_…, KPI kpi_…")
    fingerprint: str | None = Field(None, description="the data an evidence was computed on")
    number: float | None = Field(None, description="the figure's value, when it is one")


class SectionText(BaseModel):
    text: str
    version: int
    written_by: str
    written_at: str


class DataItem(BaseModel):
    id: str
    title: str
    cite: str
    mandatory: bool
    origin: str | None = Field(alias="from", description="where its content came from, or null")
    facts: list[FactOut]
    section: SectionText | None = Field(None, description="the human-authored text used")


class DataPart(BaseModel):
    id: str
    title: str
    cite: str
    items: list[DataItem]


class DocumentData(BaseModel):
    """A document as the records stand: the data it is built from and what is missing."""

    kind: str
    title: str
    instrument: str
    subject: Ref = Field(description="the system, or the organisation")
    as_of: str
    parts: list[DataPart]
    missing: list[str] = Field(description="the mandated items still empty")


class Issued(BaseModel):
    """A final document as issued (its PDF is at …/pdf, byte for byte)."""

    id: str
    subject_id: str
    kind: str
    title: str
    issued_by: str
    issued_at: str
    data_sha256: str
    pdf_sha256: str
    document_id: str | None = Field(description="the governed document it is attached as")


class IssuedWithData(Issued):
    data: DocumentData


class Submission(BaseModel):
    """What was sent to whom, when, and the reference they returned."""

    id: str
    subject_id: str
    kind: str
    report_id: str
    sent_to: str
    reference: str
    note: str
    sent_by: str
    sent_at: str


class IssuedList(Items[Issued]):
    submissions: list[Submission]


class Section(BaseModel):
    """One version of a human-authored section."""

    id: str
    subject_id: str
    kind: str
    item: str
    version: int
    text: str
    written_by: str
    written_at: str


class Saved(BaseModel):
    saved: list[Section] = Field(description="the sections saved (an unchanged text is not)")


class BundleSubject(BaseModel):
    kind: str = Field(description="transition, body_decision, waiver or classification")
    id: str


class ProvenEvent(BaseModel):
    seq: int
    canonical: str = Field(description="the event's canonical bytes, as hashed")
    proof: list[str] = Field(description="inclusion proof against `checkpoint` (base64)")


class BundleContent(BaseModel):
    """What the decision rested on (the records beside these keys depend on its kind)."""

    model_config = ConfigDict(extra="allow")

    format: str
    version: int
    subject: BundleSubject
    exported_at: str
    exported_by: str
    verifier: str = Field(description="the note verifier key the seal and checkpoints verify")
    events: list[ProvenEvent]
    checkpoint: str = Field(description="the signed checkpoint the proofs are against")
    latest: str = Field(description="the latest signed checkpoint")
    consistency: list[str] = Field(description="consistency proof to the latest (base64)")


class Bundle(BaseModel):
    """A sealed decision bundle: `charter bundle verify` checks it offline."""

    content: BundleContent
    seal: str = Field(description="signed note over the content's SHA-256")
