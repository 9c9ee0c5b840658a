"""The Art. 73 reporting deadline, table-tested: 15 days (73(2)), 10 after a death (73(4)), 2
for a widespread infringement or a critical-infrastructure disruption (73(3)); the day of
awareness left out, the period ending at midnight where the authority is (Reg. 1182/71 Art. 3);
awareness on a Friday, across a leap day, late in the evening in one zone and already the next
day in another; and the later date Reg. 1182/71 Art. 3(4)-(5) may give, shown apart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from charter.incidents.domain import (
    Category,
    Incident,
    classify,
    deadline,
    escalation_due,
    reporting_period,
)
from charter.kernel.errors import InvalidInput

H, INFRA, F, P = (
    Category.HEALTH,
    Category.INFRASTRUCTURE,
    Category.FUNDAMENTAL_RIGHTS,
    Category.PROPERTY,
)
BRUSSELS, ATHENS, LISBON = "Europe/Brussels", "Europe/Athens", "Europe/Lisbon"

CASES = [
    # aware (UTC), zone, categories, death, widespread -> days, basis, last day, extended last day
    ("2026-09-01T10:00", BRUSSELS, [F], False, False, 15, "Art. 73(2)", "2026-09-16", "2026-09-16"),
    ("2026-09-01T10:00", BRUSSELS, [H], True, False, 10, "Art. 73(4)", "2026-09-11", "2026-09-11"),
    (
        "2026-09-01T10:00",
        BRUSSELS,
        [INFRA],
        False,
        False,
        2,
        "Art. 73(3)",
        "2026-09-03",
        "2026-09-03",
    ),
    ("2026-09-01T10:00", BRUSSELS, [F], False, True, 2, "Art. 73(3)", "2026-09-03", "2026-09-03"),
    # death and a critical-infrastructure disruption: the shortest limit wins
    (
        "2026-09-01T10:00",
        BRUSSELS,
        [H, INFRA],
        True,
        False,
        2,
        "Art. 73(3)",
        "2026-09-03",
        "2026-09-03",
    ),
    # aware on Friday 4 September 2026: 2 days end on Sunday; Reg. 1182/71 would move the end to
    # Monday (3(4)) and then to Tuesday, for two working days (3(5))
    (
        "2026-09-04T09:00",
        BRUSSELS,
        [INFRA],
        False,
        False,
        2,
        "Art. 73(3)",
        "2026-09-06",
        "2026-09-08",
    ),
    # Friday, 10 days: ends on Monday 14th, a working day
    ("2026-09-04T09:00", BRUSSELS, [H], True, False, 10, "Art. 73(4)", "2026-09-14", "2026-09-14"),
    # Friday, 15 days: ends on Saturday 19th; 1182/71 would move it to Monday 21st
    ("2026-09-04T09:00", BRUSSELS, [P], False, False, 15, "Art. 73(2)", "2026-09-19", "2026-09-21"),
    # a leap year: 15 days from 20 February 2028 run through 29 February
    ("2028-02-20T12:00", BRUSSELS, [F], False, False, 15, "Art. 73(2)", "2028-03-06", "2028-03-06"),
    # aware on the leap day itself
    ("2028-02-29T12:00", BRUSSELS, [H], True, False, 10, "Art. 73(4)", "2028-03-10", "2028-03-10"),
    # not a leap year: 15 days from 20 February 2027 end on 7 March (a Sunday; Monday 8th)
    ("2027-02-20T12:00", BRUSSELS, [F], False, False, 15, "Art. 73(2)", "2027-03-07", "2027-03-08"),
    # 23:30 UTC on 28 February 2028 is already the leap day in Athens (UTC+2), not in Lisbon
    ("2028-02-28T23:30", ATHENS, [F], False, False, 15, "Art. 73(2)", "2028-03-15", "2028-03-15"),
    ("2028-02-28T23:30", LISBON, [F], False, False, 15, "Art. 73(2)", "2028-03-14", "2028-03-14"),
]


@pytest.mark.parametrize(
    ("aware", "tz", "cats", "death", "wide", "days", "basis", "last", "extended"), CASES
)
def test_reporting_deadline(
    aware: str,
    tz: str,
    cats: list[Category],
    death: bool,
    wide: bool,
    days: int,
    basis: str,
    last: str,
    extended: str,
) -> None:
    at = datetime.fromisoformat(aware).replace(tzinfo=UTC)
    period = reporting_period(cats, death, wide)
    found = deadline(at, period, tz)
    assert (period.days, period.basis) == (days, basis)
    assert found.last_day == date.fromisoformat(last)
    assert found.extended_last_day == date.fromisoformat(extended)
    # the clock ends at midnight after the last day, where the authority is
    local = found.due_at.astimezone(ZoneInfo(tz))
    assert (local.date(), local.hour, local.minute) == (found.last_day + timedelta(days=1), 0, 0)


def test_the_deadline_ends_at_local_midnight_across_a_change_of_summer_time() -> None:
    # aware 20 October 2026 in Brussels (UTC+2); 15 days end on 4 November (UTC+1)
    found = deadline(
        datetime(2026, 10, 20, 8, tzinfo=UTC), reporting_period([F], False, False), BRUSSELS
    )
    assert found.due_at.astimezone(UTC) == datetime(2026, 11, 4, 23, 0, tzinfo=UTC)


def test_an_awareness_without_a_time_zone_or_an_unknown_zone_is_refused() -> None:
    period = reporting_period([F], False, False)
    with pytest.raises(InvalidInput):
        deadline(datetime(2026, 9, 1, 10), period, BRUSSELS)
    with pytest.raises(InvalidInput):
        deadline(datetime(2026, 9, 1, 10, tzinfo=UTC), period, "Europe/Atlantis")


def _incident(aware: datetime) -> Incident:
    now = aware + timedelta(hours=1)
    return Incident("inc_1", "sys_1", "t", "d", "r", aware, now, "p", BRUSSELS)


def test_classification_decides_seriousness_and_the_clock() -> None:
    aware = datetime(2026, 9, 1, 10, tzinfo=UTC)
    plain = classify(_incident(aware), [], False, False, "a wrong score, corrected", "p", aware)
    assert plain.serious is False and plain.deadline_at is None
    serious = classify(_incident(aware), [H], True, False, "a patient died", "p", aware)
    assert (
        serious.serious and serious.deadline_days == 10 and serious.deadline_basis == "Art. 73(4)"
    )
    with pytest.raises(InvalidInput):
        classify(_incident(aware), [F], True, False, "a death needs (a)", "p", aware)
    with pytest.raises(InvalidInput):
        classify(_incident(aware), [H], False, False, " ", "p", aware)


def test_escalation_is_due_48_hours_before_the_deadline() -> None:
    aware = datetime(2026, 9, 1, 10, tzinfo=UTC)
    found = classify(_incident(aware), [F], False, False, "rights", "p", aware)
    assert found.deadline_at is not None
    assert not escalation_due(found, found.deadline_at - timedelta(hours=48, seconds=1))
    assert escalation_due(found, found.deadline_at - timedelta(hours=48))
