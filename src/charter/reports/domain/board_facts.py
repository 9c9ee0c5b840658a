"""What the board pack says of the risk register and of incidents, from their records: the
register's summary (open risks by band and category, those above appetite, accepted ones and
when their acceptance ends, overdue reviews, failing controls) and the incidents of the
period with their legal clocks. Pure: the service reads the records and hands them over."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from charter.incidents.domain import Incident, Status, Submission
from charter.reports.domain.documents import Fact, fact, figure
from charter.risks.domain.standing import Position
from charter.risks.domain.views import Group

#: an acceptance ending within this long is flagged for the board
EXPIRING = timedelta(days=30)
#: the period the board pack looks back over for incidents (a quarter)
PERIOD = timedelta(days=92)


@dataclass(frozen=True, slots=True)
class RiskPicture:
    """The risk register's summary (charter.risks' `risk_summary`), as the board reads it."""

    as_of: datetime
    open: int
    bands: Mapping[str, tuple[int, int]]  # band -> (open risks inherently there, there now)
    above: Sequence[Position]
    accepted: Sequence[Position]
    overdue: Sequence[Position]
    failing: Sequence[tuple[str, str]]  # failing controls: (id, title)
    high: int
    high_in_hand: int
    by_category: Sequence[Group]


@dataclass(frozen=True, slots=True)
class IncidentLine:
    incident: Incident
    system: str
    submissions: Sequence[Submission] = ()


def _risk(p: Position, names: Mapping[str, str]) -> str:
    r = p.risk
    owner, on = names.get(r.owner_id, r.owner_id), names.get(r.system_id or "", "")
    return (
        f"{r.title} ({(on + '; ') if on else ''}owner {owner}): "
        f"{p.residual_band} against an appetite of {p.appetite_band}"
    )


def risks(picture: RiskPicture | None, names: Mapping[str, str]) -> list[Fact]:
    if picture is None:
        return []
    stamp = f"risk register as of {picture.as_of:%Y-%m-%d %H:%M}"
    out = [
        figure("Open risks", picture.open, stamp, fmt="{:.0f}"),
        figure("Above appetite and not accepted", len(picture.above), stamp, fmt="{:.0f}"),
        figure("Accepted above appetite", len(picture.accepted), stamp, fmt="{:.0f}"),
        figure("Reviews overdue", len(picture.overdue), stamp, fmt="{:.0f}"),
        figure("Failing controls", len(picture.failing), stamp, fmt="{:.0f}"),
        fact(
            "High risks in hand",
            f"{picture.high_in_hand} of {picture.high} (within appetite, every control effective)",
            stamp,
        ),
    ]
    out += [
        fact(f"Band {band}", f"{now} now ({before} before controls)", stamp)
        for band, (before, now) in picture.bands.items()
        if before or now
    ]
    out += [
        fact(
            f"Category {g.key} {names.get(g.key, '')}".rstrip() if g.key else "No category",
            f"{g.open} open, {g.above} above appetite, {g.accepted} accepted, {g.overdue} overdue",
            stamp,
        )
        for g in picture.by_category
    ]
    return out + _named(picture, names)


def _named(picture: RiskPicture, names: Mapping[str, str]) -> list[Fact]:
    out = [fact("Above appetite", _risk(p, names), f"risk {p.risk.id}") for p in picture.above]
    for p in picture.accepted:
        until = p.acceptance.expires_at if p.acceptance else None
        soon = until is not None and until - picture.as_of <= EXPIRING
        text = _risk(p, names) + (f"; accepted until {until:%Y-%m-%d}" if until else "")
        out.append(
            fact(
                "Acceptance ending soon" if soon else "Accepted",
                text + (" (ends within 30 days)" if soon else ""),
                f"risk {p.risk.id}" + (f", acceptance {p.acceptance.id}" if p.acceptance else ""),
            )
        )
    out += [
        fact(
            "Review overdue",
            _risk(p, names)
            + (f"; review was due {p.risk.review_by:%Y-%m-%d}" if p.risk.review_by else ""),
            f"risk {p.risk.id}",
        )
        for p in picture.overdue
    ]
    out += [fact("Failing control", title, f"control {cid}") for cid, title in picture.failing]
    return out


def in_period(line: IncidentLine, now: datetime) -> bool:
    """Open incidents, and those the organisation became aware of in the period."""
    return line.incident.status is not Status.CLOSED or now - line.incident.aware_at <= PERIOD


def _clock(i: Incident, now: datetime) -> str:
    if i.serious is None:
        return "not classified yet"
    if not i.serious:
        return "not serious (no reporting clock)"
    due = f"report due {i.deadline_at:%Y-%m-%d %H:%M} UTC" if i.deadline_at else "no deadline"
    days = f" ({i.deadline_days}-day period, {i.deadline_basis})" if i.deadline_days else ""
    if not i.running():
        return f"serious; {due}{days}"
    late = i.deadline_at is not None and i.deadline_at <= now
    return f"serious; {due}{days}" + (" — OVERDUE" if late else "")


def incidents(lines: Sequence[IncidentLine], now: datetime) -> list[Fact]:
    shown = [line for line in lines if in_period(line, now)]
    source = f"incident register as of {now:%Y-%m-%d %H:%M}"
    serious = [line for line in shown if line.incident.serious]
    out = [
        figure("Incidents open or in the last quarter", len(shown), source, fmt="{:.0f}"),
        figure("Of which serious (Art. 3(49))", len(serious), source, fmt="{:.0f}"),
    ]
    for line in shown:
        i = line.incident
        sent = ", ".join(
            f"{s.kind.value} to {s.authority} {s.sent_at:%Y-%m-%d}" for s in line.submissions
        )
        out.append(
            fact(
                f"{i.aware_at:%Y-%m-%d} {line.system}",
                f"{i.title}: {i.status.value}; {_clock(i, now)}"
                + (f"; sent: {sent}" if sent else ""),
                f"incident {i.id}",
            )
        )
    return out
