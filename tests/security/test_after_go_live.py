"""What monitoring, incidents and notifications expose. Webhooks cannot be pointed at the
server's own addresses (loopback, private, link-local such as the cloud metadata service),
neither by an address in the endpoint nor by a name that resolves there at delivery, unless
configured; a person who may not see a system sees neither its incidents nor its alerts nor
its reviews, through the API or the web UI."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from ipaddress import ip_network

import pytest

from charter.identity.services import access, sessions
from charter.incidents import services as incidents
from charter.incidents.domain import Category
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.monitoring import services as monitoring
from charter.notifications import services as notifications
from charter.notifications.adapters.transports import HttpPoster
from charter.notifications.domain import EndpointKind, Status
from tests.notifications.receivers import webhook_receiver
from tests.security.conftest import PASSWORD, Site

INSIDE = [
    "https://169.254.169.254/latest/meta-data/",  # the cloud metadata service
    "https://127.0.0.1:8000/api/v1/tokens",
    "https://localhost/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://10.0.0.5/hook",
    "https://192.168.1.1/hook",
    "https://0.0.0.0/hook",
    "http://127.0.0.1:8000/hook",
]


@pytest.mark.parametrize("url", INSIDE)
def test_an_endpoint_may_not_name_an_address_of_the_server_or_its_network(
    site: Site, url: str
) -> None:
    made = site.client.post(
        "/api/v1/notifications/endpoints",
        json={"name": "inside", "url": url},
        headers=site.auth(R.CHIEF_AI_OFFICER),
    )
    assert made.status_code == 422, made.text
    assert "CHARTER_WEBHOOK_ALLOWED_NETWORKS" in made.json()["detail"]


def test_a_name_that_resolves_inside_is_refused_when_delivering(site: Site) -> None:
    """127.1 is no address to Python's parser but resolves to 127.0.0.1: the delivery is
    refused for good and the receiver on this machine hears nothing."""
    ctx = site.world.ctx
    with webhook_receiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        notifications.create_endpoint(
            ctx, site.world.admin, "sly", f"https://127.1:{port}/hook", EndpointKind.STANDARD
        )
        with ctx.uow() as uow:
            notifications.notify(ctx, uow, "monitor.breach", ("system", "s"), "t", [])
            uow.commit()
        notifications.deliver_due(ctx)
        assert receiver.requests == []
    (sent,) = notifications.deliveries(ctx, site.world.admin)
    assert sent.status is Status.FAILED and "refused" in sent.last_error


def test_a_network_configured_is_reached(site: Site) -> None:
    loopback = (ip_network("127.0.0.0/8"),)
    ctx = replace(site.world.ctx, webhook_networks=loopback, poster=HttpPoster(loopback))
    with webhook_receiver() as receiver:
        admin = site.world.admin
        notifications.create_endpoint(ctx, admin, "ours", receiver.url, EndpointKind.STANDARD)
        with ctx.uow() as uow:
            notifications.notify(ctx, uow, "monitor.breach", ("system", "s"), "t", [])
            uow.commit()
        assert notifications.deliver_due(ctx).delivered == 1
        assert len(receiver.requests) == 1


SUITE = {"name": "w", "columns": {"label": "y", "prediction": "p"},
         "checks": [{"id": "acc", "metric": "accuracy", "min": 0.9}]}  # fmt: skip


def test_a_person_who_may_not_see_a_system_sees_none_of_its_incidents_or_alerts(
    site: Site,
) -> None:
    world, ctx = site.world, replace(site.world.ctx, data_dir=site.data)
    (site.data / "scored.csv").write_text("y,p\n1,1\n0,0\n1,0\n")
    hidden = world.system("Hidden", world.other_unit)
    monitor = monitoring.create_monitor(
        ctx, world.actor(R.ML_ENGINEER), hidden.id, "daily", SUITE, {"file": "scored.csv"},
        "0 6 * * *",
    )  # fmt: skip
    slot = datetime(2026, 1, 5, 6, tzinfo=UTC)
    monitoring.run_monitor(ctx, monitor.id, slot)
    monitoring.run_monitor(ctx, monitor.id, slot + timedelta(days=1))  # a review too
    incident = incidents.record_incident(
        ctx, world.actor(R.PROGRAM_MANAGER), hidden.id, "Secret harm", "Only its unit may know",
        "a complaint", datetime.now(UTC) - timedelta(hours=1),
    )  # fmt: skip
    incidents.classify_incident(
        ctx, world.actor(R.CHIEF_AI_OFFICER), incident.id, [Category.HEALTH], True, False, "a death"
    )
    # a champion of the other business unit only
    person = world.person("Scoped", R.AI_CHAMPION, scope=ScopeKind.BUSINESS_UNIT,
                          scope_id=world.unit.id)  # fmt: skip
    token = access.create_token(ctx, access.actor_for(ctx, person.id), None, "t")[1]
    api = {"Authorization": f"Bearer {token}"}
    for listing in ("/api/v1/incidents", "/api/v1/alerts", "/api/v1/reviews",
                    "/api/v1/monitors", "/api/v1/evidence/stale"):  # fmt: skip
        found = site.client.get(listing, headers=api)
        assert found.status_code == 200 and hidden.id not in found.text, listing
    one_by_one = (
        f"/api/v1/incidents/{incident.id}",
        f"/api/v1/incidents/{incident.id}/report",
        f"/api/v1/systems/{hidden.id}/series",
        f"/api/v1/monitors/{monitor.id}/runs",
    )
    for one in one_by_one:
        assert site.client.get(one, headers=api).status_code == 403, one
    # and in the web UI: lists and panels leave it out, its page is refused
    sessions.set_password(ctx, world.admin, person.id, PASSWORD)
    form = site.client.get("/ui/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    site.client.post("/ui/login", data={"email": person.email, "password": PASSWORD,
                                        "csrf": csrf.group(1)})  # fmt: skip
    for page in ("/ui/", "/ui/incidents?show=all", "/ui/approvals"):
        shown = site.client.get(page)
        assert shown.status_code == 200 and "Secret harm" not in shown.text, page
        assert hidden.id not in shown.text, page
    assert site.client.get(f"/ui/incidents/{incident.id}").status_code == 403
    assert site.client.get(f"/ui/incidents/{incident.id}/report").status_code == 403
