"""charter notifications remind"""

from __future__ import annotations

from charter.governance.services import reminders
from charter.kernel.cli.output import JsonOpt, console, emit, reporting
from charter.kernel.cli.session import context


def remind(json_: bool = JsonOpt) -> None:
    """Write the reminders due now: waivers and trainings expiring soon, KPIs that missed
    (for cron, when `charter serve` does not run; each is written once)."""
    with reporting(json_):
        count = reminders.remind_due(context())
    emit({"written": count}, json_, lambda: console.print(f"reminders written: {count}"))
