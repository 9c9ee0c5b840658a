"""The demo after go-live: Retail Credit Scoring monitored daily (four runs, the last two
over days whose predictions went wrong: an alert and a review), and an incident under its
Art. 73 clock with a corrective action."""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from charter.incidents import services as incidents
from charter.incidents.domain import Category
from charter.kernel.records import utc_timestamp
from charter.monitoring import services as monitoring
from charter.monitoring.domain.schedule import latest_slot, parse_cron

if TYPE_CHECKING:
    from charter.demo.build import Demo

SCHEDULE, DAYS, BROKEN = "0 6 * * *", 4, 2  # daily at 06:00 UTC; the last 2 days went wrong
SUITE = {
    "name": "credit-daily",
    "columns": {"label": "label", "prediction": "prediction"},
    "checks": [
        {"id": "accuracy", "metric": "accuracy", "min": 0.65},
        {"id": "rows", "metric": "row_count", "min": 50},
    ],
}


def _at(moment: datetime) -> Callable[[], datetime]:
    """A clock stopped at a moment: a run recorded as the schedule would have made it."""
    return lambda: moment


def _write_days(folder: Path, days: list[datetime]) -> None:
    """Each day's scored applications (a share of the hold-out set); on the broken days a
    faulty release flipped 45 % of the decisions."""
    with (folder / "scored.csv").open(newline="") as found:
        rows = list(csv.reader(found))
    header, body = rows[0], rows[1:]
    share = len(body) // len(days)
    flip, noise = header.index("prediction"), random.Random(11)
    (folder / "daily").mkdir(exist_ok=True)
    for n, day in enumerate(days):
        broken = n >= len(days) - BROKEN
        chosen = [list(r) for r in body[n * share : (n + 1) * share]]
        for row in chosen:
            if broken and noise.random() < 0.45:
                row[flip] = "0" if row[flip] == "1" else "1"
        with (folder / "daily" / f"{day:%Y-%m-%d}.csv").open("w", newline="") as out:
            csv.writer(out).writerows([header, *chosen])


def monitor_credit(demo: Demo, folder: Path) -> None:
    """A daily monitor on the credit model and its last four runs, each as the schedule
    would have run it (at its slot); the latest slot is run, so a served demo has nothing
    due until tomorrow."""
    ctx = demo.ctx
    last = latest_slot(parse_cron(SCHEDULE), "UTC", ctx.clock())
    assert last is not None
    slots = [last - timedelta(days=DAYS - 1 - n) for n in range(DAYS)]
    _write_days(folder, [s - timedelta(days=1) for s in slots])  # each run reads the day before
    monitor = monitoring.create_monitor(
        replace(ctx, clock=_at(slots[0] - timedelta(hours=1))), demo.actor("jonas"),
        demo.ids["credit"], "Credit daily quality", SUITE,
        {"file": "daily/{date}.csv"}, SCHEDULE,
    )  # fmt: skip
    for slot in slots:
        clocked = replace(ctx, clock=_at(slot + timedelta(minutes=2)), data_dir=folder)
        monitoring.run_monitor(clocked, monitor.id, slot)


def credit_incident(demo: Demo) -> None:
    """Applicants under 25 wrongly refused by the faulty release: recorded by the programme
    manager, classified serious (fundamental rights) by compliance, a corrective action."""
    ctx, now = demo.ctx, demo.ctx.clock()
    aware = datetime.combine(now.date() - timedelta(days=3), time(9, 30), UTC)
    found = incidents.record_incident(
        ctx, demo.actor("chloe"), demo.ids["credit"],
        "Applicants under 25 refused by the 1.1.0 release",
        "After the release, credit officers saw refusals of young applicants with good "
        "histories; the monitor's accuracy fell below its limit on the same days.",
        "Credit officer, Leeds branch", aware, occurred_at=aware - timedelta(days=1),
        affected_persons=37, affected_description="applicants under 25 refused credit",
    )  # fmt: skip
    incidents.classify_incident(
        ctx, demo.actor("liam"), found.id, [Category.FUNDAMENTAL_RIGHTS], False, False,
        "Refusals by age: non-discrimination (Charter of Fundamental Rights, Art. 21).",
    )  # fmt: skip
    incidents.add_action(
        ctx, demo.actor("chloe"), found.id, "Roll back to release 1.0.0 and re-decide the "
        "refused applications", demo.ids["farid"], now.date() + timedelta(days=5),
    )  # fmt: skip


def go_live_summary(demo: Demo) -> dict[str, Any]:
    """The monitor's runs, open alerts and reviews, and the incidents with their clocks."""
    ctx, who = demo.ctx, demo.admin
    with ctx.uow() as uow:
        runs = uow.runs.all()
    return {
        "monitor_runs": dict(Counter(r.status.value for r in runs)),
        "open_alerts": len(monitoring.alerts(ctx, who)),
        "open_reviews": len(monitoring.reviews(ctx, who)),
        "incidents": [
            {"title": i.title, "serious": i.serious, "deadline": utc_timestamp(i.deadline_at)}
            for i, _ in incidents.list_incidents(ctx, who)
            if i.deadline_at
        ],
    }
