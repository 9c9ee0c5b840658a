"""Use cases for the log of what was sent: an EU database registration (who sent which
issued payload, when, and the reference the database returned) and the notification of an
impact assessment's result to the authority (Art. 27(3))."""

from __future__ import annotations

from dataclasses import dataclass

from charter.kernel.access import Actor
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import require
from charter.kernel.names import require_name
from charter.reports.domain.documents import Submission
from charter.reports.files import field_map
from charter.reports.ports import Context
from charter.reports.services.documents import ensure_author, ensure_reader

#: what each kind of issued document may be sent as
SENDS = {"eu-registration": "registration", "fria": "notification"}


def record_submission(
    ctx: Context, actor: Actor, report_id: str, sent_to: str, reference: str, note: str = ""
) -> Submission:
    """Record that an issued document was sent (the registration, the notification)."""
    with ctx.uow() as uow:
        issued = require(uow.issued_reports, "issued report", report_id)
        if issued.kind not in SENDS:
            raise InvalidInput(
                f"a {issued.kind} document is not sent anywhere; registrations and impact "
                "assessment notifications are"
            )
        ensure_author(uow, actor, field_map(issued.kind), issued.subject_id)
        item = Submission(
            ctx.new_id("sub"),
            issued.subject_id,
            SENDS[issued.kind],
            issued.id,
            require_name(sent_to, "sent_to", 300),
            require_name(reference, "reference", 300),
            note.strip()[:4000],
            actor.ref,
            ctx.clock(),
        )
        uow.report_submissions.add(item)
        record(
            ctx,
            uow,
            actor,
            f"report.{item.kind}_sent",
            "system",
            issued.subject_id,
            {
                "submission": item.id,
                "report": issued.id,
                "pdf_sha256": issued.pdf_sha256,
                "sent_to": item.sent_to,
                "reference": item.reference,
            },
        )
        uow.commit()
    return item


@dataclass(frozen=True, slots=True)
class SentLog:
    """What was sent for a subject, the newest first, and each sender's name by id."""

    items: list[Submission]
    senders: dict[str, str]

    def sender(self, item: Submission) -> str:
        return self.senders.get(item.sent_by, item.sent_by)


def submissions(ctx: Context, actor: Actor, subject_id: str) -> SentLog:
    ensure_reader(ctx, actor, subject_id)
    with ctx.uow() as uow:
        found = sorted(
            uow.report_submissions.all(subject_id=subject_id), key=lambda s: s.sent_at, reverse=True
        )
        who = frozenset(s.sent_by for s in found)
        senders = {p.id: p.name for p in uow.people.all(id=who)} if who else {}
    return SentLog(found, senders)
