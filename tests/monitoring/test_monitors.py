"""Monitors run on a schedule in a served app, with time injected (the runner woken, never
slept): each run's evidence makes a series; a breach opens an alert with the runs that show
it; persistent drift raises a review; on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind
from charter.monitoring import services as monitoring
from charter.monitoring.charts import trend_charts
from charter.monitoring.domain.monitors import RunStatus, window
from charter.monitoring.domain.schedule import latest_slot, parse_cron
from charter.notifications import services as notifications
from charter.web.app import create_app
from charter.wiring import Context
from tests.clock import Clock
from tests.factory import World

SUITE = {
    "name": "daily-quality",
    "columns": {"label": "label", "prediction": "prediction"},
    "checks": [{"id": "accuracy", "metric": "accuracy", "min": 0.8}],
}


def _day(folder: Path, day: str, right: int) -> None:
    """A day's scored rows: `right` of 10 predictions correct."""
    rows = ", ".join(f"({i % 2}, {i % 2 if i < right else 1 - i % 2})" for i in range(10))
    duckdb.sql(
        f"COPY (SELECT * FROM (VALUES {rows}) t(label, prediction)) "
        f"TO '{folder / f'scored-{day}.parquet'}' (FORMAT parquet)"
    )


def test_cron_slots_in_a_time_zone() -> None:
    daily = parse_cron("0 6 * * *")
    at = datetime(2026, 3, 2, 5, 30, tzinfo=UTC)  # 06:30 in Brussels (UTC+1)
    assert latest_slot(daily, "Europe/Brussels", at) == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert latest_slot(daily, "UTC", at) == datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    mondays = parse_cron("30 7 * * 1")
    found = latest_slot(mondays, "UTC", datetime(2026, 3, 5, tzinfo=UTC))  # a Thursday
    assert found == datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    leap = parse_cron("0 0 29 2 *")
    assert latest_slot(leap, "UTC", datetime(2027, 1, 1, tzinfo=UTC)) == datetime(
        2024, 2, 29, tzinfo=UTC
    )
    for bad in ("* * *", "61 * * * *", "a * * * *"):
        with pytest.raises(InvalidInput):
            parse_cron(bad)


def test_a_served_app_runs_monitors_on_their_schedule(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    clock = Clock(datetime(2026, 3, 2, 5, 59, tzinfo=UTC))
    ctx = replace(ctx, clock=clock, data_dir=tmp_path)
    for day, right in (("2026-03-01", 10), ("2026-03-02", 6), ("2026-03-03", 5)):
        _day(tmp_path, day, right)
    system = world.system()
    world.full_raci(system.id)
    monitor = monitoring.create_monitor(
        ctx,
        world.actor(RoleKind.ML_ENGINEER),
        system.id,
        "daily quality",
        SUITE,
        {"file": "scored-{start:%Y-%m-%d}.parquet"},
        "0 6 * * *",
        "UTC",
        24,
    )
    app = create_app(ctx, schedule_interval=3600)  # rounds only when woken
    with TestClient(app):
        jobs = app.state.jobs
        assert jobs.wait(jobs.wake())
        assert monitoring.runs(ctx, world.admin, monitor.id) == []  # 05:59: not due yet
        for day in (2, 3, 4):
            clock.set(datetime(2026, 3, day, 6, 0, 30, tzinfo=UTC))
            assert jobs.wait(jobs.wake())
        clock.advance(timedelta(minutes=30))
        assert jobs.wait(jobs.wake())  # the same slot is not run twice
    found = monitoring.runs(ctx, world.admin, monitor.id)
    assert [(r.slot.day, r.status) for r in reversed(found)] == [
        (2, RunStatus.PASSED),
        (3, RunStatus.BREACHED),
        (4, RunStatus.BREACHED),
    ]
    (series,) = monitoring.system_series(ctx, world.admin, system.id)
    assert [p.value for p in series.points] == [1.0, 0.6, 0.5]
    (alert,) = monitoring.alerts(ctx, world.admin, system.id)
    assert alert.check_id == "accuracy" and list(alert.run_ids) == [found[1].id, found[0].id]
    told = [n for n in notifications.notices(ctx, world.admin) if n.type == "monitor.breach"]
    assert len(told) == 1  # one alert, one notice; the second breach extends it
    (review,) = monitoring.reviews(ctx, world.admin, system.id)
    assert review.rule_id == "repeated-breach"
    assert review.assignee_id == world.people[RoleKind.CHIEF_AI_OFFICER].id  # monitoring A


def test_a_missing_file_fails_the_run_and_opens_an_alert(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    clock = Clock(datetime(2026, 3, 2, 5, tzinfo=UTC))
    ctx = replace(ctx, clock=clock, data_dir=tmp_path)
    system = world.system()
    monitor = monitoring.create_monitor(
        ctx,
        world.actor(RoleKind.ML_ENGINEER),
        system.id,
        "m",
        SUITE,
        {"file": "scored-{start:%Y-%m-%d}.parquet"},
        "0 6 * * *",
    )
    assert monitoring.run_due(ctx) == []  # no slot since it was made
    clock.advance(timedelta(hours=2))
    (run,) = monitoring.run_due(ctx)
    assert run.status is RunStatus.FAILED and "does not exist" in run.error
    (alert,) = monitoring.alerts(ctx, world.admin, system.id)
    assert alert.check_id == "run"
    assert monitoring.run_due(ctx) == []
    assert monitor.location == {"file": "scored-{start:%Y-%m-%d}.parquet"}


def test_a_table_is_read_over_each_window(ctx: Context, world: World, tmp_path: Path) -> None:
    ctx = replace(ctx, clock=Clock(datetime(2026, 3, 3, 7, tzinfo=UTC)), data_dir=tmp_path)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("CREATE TABLE scored (scored_at TIMESTAMP, label INT, prediction INT)")
        con.execute(
            "INSERT INTO scored VALUES ('2026-03-01 10:00', 1, 1), ('2026-03-02 10:00', 1, 0),"
            " ('2026-03-02 11:00', 0, 0), ('2026-03-03 10:00', 1, 1)"
        )
    system = world.system()
    monitor = monitoring.create_monitor(
        ctx,
        world.actor(RoleKind.ML_ENGINEER),
        system.id,
        "t",
        SUITE,
        {"table": "scored", "database": "warehouse.duckdb", "time_column": "scored_at"},
        "0 6 * * *",
    )
    run = monitoring.run_monitor(
        ctx, monitor.id, datetime(2026, 3, 3, 6, tzinfo=UTC), world.actor(RoleKind.ML_ENGINEER)
    )
    (series,) = monitoring.system_series(ctx, world.admin, system.id)
    assert run.status is RunStatus.BREACHED and series.points[-1].value == 0.5  # 2 March only


def test_templates_name_only_the_window(ctx: Context, world: World) -> None:
    system = world.system()
    with pytest.raises(InvalidInput):
        monitoring.create_monitor(
            ctx,
            world.actor(RoleKind.ML_ENGINEER),
            system.id,
            "x",
            SUITE,
            {"file": "{start.__class__}.parquet"},
            "0 6 * * *",
        )


def test_a_run_is_placed_at_the_window_it_measured_not_when_it_ran(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    clock = Clock(datetime(2026, 3, 10, 12, tzinfo=UTC))
    ctx = replace(ctx, clock=clock, data_dir=tmp_path)
    for day, right in (("2026-03-01", 10), ("2026-03-02", 6)):
        _day(tmp_path, day, right)
    system = world.system()
    monitor = monitoring.create_monitor(
        ctx, world.actor(RoleKind.ML_ENGINEER), system.id, "daily quality", SUITE,
        {"file": "scored-{start:%Y-%m-%d}.parquet"}, "0 6 * * *", "UTC", 24,
    )  # fmt: skip
    later, earlier = datetime(2026, 3, 3, 6, tzinfo=UTC), datetime(2026, 3, 2, 6, tzinfo=UTC)
    monitoring.run_monitor(ctx, monitor.id, later)  # 2 March's data, run first
    clock.advance(timedelta(days=1))
    monitoring.run_monitor(ctx, monitor.id, earlier)  # 1 March's data, backfilled after
    (series,) = monitoring.system_series(ctx, world.admin, system.id)
    assert [p.value for p in series.points] == [1.0, 0.6]  # by window, not by when recorded
    assert [p.at for p in series.points] == [earlier, later]
    first = series.points[0]
    assert (first.window_start, first.window_end) == (earlier - timedelta(hours=24), earlier)
    assert first.recorded_at == clock()
    since = monitoring.system_series(ctx, world.admin, system.id, since=later)
    assert [p.value for p in since[0].points] == [0.6]  # `since` compares the window too
    (trend,) = trend_charts([series])
    assert [p for _, p in trend.rows] == list(series.points)
    assert window(first) == "2026-03-01 06:00 to 2026-03-02 06:00 UTC"
    assert "window: 2026-03-01 06:00 to 2026-03-02 06:00 UTC" in trend.chart  # the tooltip
