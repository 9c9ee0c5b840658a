"""Notices are delivered once their change commits: webhooks signed per Standard Webhooks
(checked by an independent implementation of the scheme), retried with backoff until the
receiver accepts, e-mail through a real SMTP server, digests, endpoints disabled."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import timedelta
from ipaddress import ip_network

import pytest
from fastapi.testclient import TestClient

from charter.kernel.errors import Forbidden
from charter.kernel.roles import RoleKind
from charter.notifications import services as notifications
from charter.notifications.adapters.transports import HttpPoster, SmtpMailer
from charter.notifications.domain import MAX_ATTEMPTS, EndpointKind, Mode, Status
from charter.wiring import Context
from tests.clock import Clock, clocked
from tests.factory import World
from tests.notifications.receivers import smtp_server, verify_standard_webhook, webhook_receiver
from tests.web.test_ui import _sign_in, ui

__all__ = ["ui"]  # the fixture: a served organisation with passwords

LOOPBACK = (ip_network("127.0.0.0/8"),)


@pytest.fixture
def ctx(ctx: Context) -> Context:
    """The receivers listen on this machine: webhooks may reach it (not by default)."""
    return replace(ctx, webhook_networks=LOOPBACK, poster=HttpPoster(LOOPBACK))


def _notice(ctx: Context, recipients: list[str], event: str = "monitor.breach") -> None:
    with ctx.uow() as uow:
        notifications.notify(
            ctx,
            uow,
            event,
            ("system", "sys_1"),
            "Credit scoring: drift",
            recipients,
            {"system_id": "sys_1", "check": "psi-age"},
        )
        uow.commit()


def _deliveries(ctx: Context, world: World) -> list:  # type: ignore[type-arg]
    return notifications.deliveries(ctx, world.admin)


def test_a_change_that_rolls_back_leaves_no_notice(ctx: Context, world: World) -> None:
    person = world.people[RoleKind.CHIEF_AI_OFFICER].id
    with pytest.raises(RuntimeError), ctx.uow() as uow:
        notifications.notify(ctx, uow, "monitor.breach", ("system", "s"), "never", [person])
        raise RuntimeError("the change fails after its notice was written")
    assert notifications.notices(ctx, world.admin) == []
    assert notifications.deliver_due(ctx).dispatched == 0


def test_a_failing_receiver_gets_exactly_one_accepted_delivery(ctx: Context, world: World) -> None:
    clock = Clock()
    ctx = clocked(ctx, clock)
    with webhook_receiver(fail_first=3) as receiver:
        endpoint, secret = notifications.create_endpoint(
            ctx, world.admin, "ops", receiver.url, EndpointKind.STANDARD, ["monitor.breach"]
        )
        _notice(ctx, [])
        for _ in range(6):
            notifications.deliver_due(ctx)
            pending = [d for d in _deliveries(ctx, world) if d.status is Status.PENDING]
            if not pending:
                break
            clock.set(pending[0].next_attempt_at)
        assert len(receiver.requests) == 4 and len(receiver.accepted()) == 1
        notifications.deliver_due(ctx)
        clock.advance(timedelta(days=3))
        notifications.deliver_due(ctx)
    assert len(receiver.requests) == 4  # nothing more once accepted
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert len(ids) == 1  # the same message id on every retry
    stamps = [int(r.headers["webhook-timestamp"]) for r in receiver.requests]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4  # each attempt's own time
    for r in receiver.requests:
        assert verify_standard_webhook(
            secret, r.headers, r.body, now=float(r.headers["webhook-timestamp"])
        )
        assert not verify_standard_webhook(secret, r.headers, r.body + b" ")
    body = json.loads(receiver.requests[-1].body)
    assert body["type"] == "monitor.breach" and body["data"]["check"] == "psi-age"
    (delivery,) = _deliveries(ctx, world)
    found, _, attempts = notifications.delivery(ctx, world.admin, delivery.id)
    assert found.status is Status.DELIVERED and found.attempts == 4
    assert [a.delivered for a in attempts] == [False, False, False, True]
    gaps = [b.at - a.at for a, b in itertools.pairwise(attempts)]
    assert gaps == sorted(gaps) and gaps[1] > 3 * gaps[0]  # exponential backoff
    assert found.endpoint_id == endpoint.id


def test_every_attempt_failing_marks_it_failed_and_replay_sends_it_again(
    ctx: Context, world: World
) -> None:
    clock = Clock()
    ctx = clocked(ctx, clock)
    with webhook_receiver(fail_first=MAX_ATTEMPTS) as receiver:
        notifications.create_endpoint(ctx, world.admin, "ops", receiver.url, EndpointKind.STANDARD)
        _notice(ctx, [])
        for _ in range(MAX_ATTEMPTS):
            notifications.deliver_due(ctx)
            (d,) = _deliveries(ctx, world)
            clock.set(d.next_attempt_at)
        assert d.status is Status.FAILED and len(receiver.requests) == MAX_ATTEMPTS
        with pytest.raises(Forbidden):
            notifications.replay(ctx, world.actor(RoleKind.DATA_SCIENTIST), d.id)
        notifications.replay(ctx, world.admin, d.id)
        notifications.deliver_due(ctx)
    (d,) = _deliveries(ctx, world)
    assert d.status is Status.DELIVERED and len(receiver.accepted()) == 1


def test_410_gone_disables_the_endpoint_and_tells_its_managers(ctx: Context, world: World) -> None:
    with webhook_receiver(fail_first=1, status=410) as receiver:
        endpoint, _ = notifications.create_endpoint(
            ctx, world.admin, "gone", receiver.url, EndpointKind.STANDARD, ["monitor.breach"]
        )
        _notice(ctx, [])
        notifications.deliver_due(ctx)
    (current,) = notifications.list_endpoints(ctx, world.admin)
    assert not current.active and "410" in current.disabled_reason
    told = [n for n in notifications.notices(ctx, world.admin) if n.type == "endpoint.disabled"]
    assert told and world.admin.person_id in told[0].recipients
    (d,) = [d for d in _deliveries(ctx, world) if d.endpoint_id == endpoint.id]
    assert d.status is Status.FAILED


def test_an_endpoint_failing_for_five_days_is_disabled(ctx: Context, world: World) -> None:
    clock = Clock()
    ctx = clocked(ctx, clock)
    with webhook_receiver(fail_first=1000) as receiver:
        notifications.create_endpoint(ctx, world.admin, "down", receiver.url, EndpointKind.STANDARD)
        for day in range(7):  # noqa: B007 (read after the loop)
            _notice(ctx, [])
            notifications.deliver_due(ctx)
            clock.advance(timedelta(days=1))
            (endpoint,) = notifications.list_endpoints(ctx, world.admin)
            if not endpoint.active:
                break
    assert not endpoint.active and day == 5
    sent = len(receiver.requests)
    notifications.deliver_due(ctx)
    assert len(receiver.requests) == sent  # nothing goes to a disabled endpoint


def test_slack_and_teams_get_their_own_message_shapes(ctx: Context, world: World) -> None:
    with webhook_receiver() as slack, webhook_receiver() as teams:
        notifications.create_endpoint(ctx, world.admin, "slack", slack.url, EndpointKind.SLACK)
        notifications.create_endpoint(ctx, world.admin, "teams", teams.url, EndpointKind.TEAMS)
        _notice(ctx, [])
        notifications.deliver_due(ctx)
    assert "Credit scoring: drift" in json.loads(slack.requests[0].body)["text"]
    card = json.loads(teams.requests[0].body)["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "webhook-signature" not in slack.requests[0].headers


def test_email_reaches_a_real_smtp_server(ctx: Context, world: World) -> None:
    person = world.people[RoleKind.CHIEF_AI_OFFICER]
    with smtp_server() as box:
        ctx = replace(
            ctx,
            mailer=SmtpMailer(box.host, box.port, "charter@example.org", security="none"),
            public_url="https://charter.example.org",
        )
        _notice(ctx, [person.id])
        report = notifications.deliver_due(ctx)
        (message,) = box.wait_for(1)
    assert report.delivered == 1
    assert message["To"] == person.email and message["From"] == "charter@example.org"
    assert message["Subject"] == "[Charter] A monitor found a breach: Credit scoring: drift"
    text = message.get_payload(decode=True).decode()
    assert f"Hello {person.name}" in text and "check: psi-age" in text
    assert "https://charter.example.org/ui/systems/sys_1" in text
    (d,) = notifications.deliveries(ctx, world.actor(RoleKind.CHIEF_AI_OFFICER))
    assert d.status is Status.DELIVERED


def test_without_smtp_email_waits_and_says_why(ctx: Context, world: World) -> None:
    _notice(ctx, [world.people[RoleKind.CHIEF_AI_OFFICER].id])
    notifications.deliver_due(ctx)
    (d,) = _deliveries(ctx, world)
    assert d.status is Status.PENDING and "CHARTER_SMTP_HOST" in d.last_error


def test_a_daily_digest_gathers_a_persons_notices_in_one_email(ctx: Context, world: World) -> None:
    clock = Clock()
    ctx = clocked(ctx, clock)
    reader = world.actor(RoleKind.CHIEF_AI_OFFICER)
    notifications.set_preference(ctx, reader, "*", Mode.DIGEST)
    notifications.set_preference(ctx, reader, "kpi.missed", Mode.OFF)
    with smtp_server() as box:
        ctx = replace(ctx, mailer=SmtpMailer(box.host, box.port, "c@example.org", security="none"))
        for event in ("monitor.breach", "gate.passed", "kpi.missed"):
            _notice(ctx, [reader.person_id or ""], event)
        assert notifications.deliver_due(ctx).delivered == 0  # not before the digest hour
        clock.set(clock.now.replace(hour=7) + timedelta(days=1))
        assert notifications.deliver_due(ctx).delivered == 1
        (message,) = box.wait_for(1)
    assert "Daily digest" in message["Subject"] and "2 notice(s)" in message["Subject"]
    text = message.get_payload(decode=True).decode()
    assert "A monitor found a breach" in text and "A gate passed" in text
    assert "KPI" not in text  # turned off


def test_the_delivery_log_names_whom_each_delivery_goes_to(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, _ = ui
    caio = world.people[RoleKind.CHIEF_AI_OFFICER]
    _notice(world.ctx, [caio.id])
    notifications.deliver_due(world.ctx)  # e-mail is not configured: the delivery waits
    (waiting,) = notifications.deliveries(world.ctx, world.actor(RoleKind.CHIEF_AI_OFFICER))
    assert notifications.recipients(world.ctx, [waiting]) == {caio.id: caio.name}
    _sign_in(client, caio.email)
    page = client.get("/ui/notifications").text
    assert f": {caio.name}</td>" in page and caio.id not in page
