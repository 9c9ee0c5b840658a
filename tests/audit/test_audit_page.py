"""The audit page for people: names instead of ids, filters by who, what, which system and
when, paging, and the same search exported as CSV and JSON Lines; audit readers only."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _sign_in


def test_the_audit_page_names_people_and_systems_and_filters(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    cao = world.people[R.CHIEF_AI_OFFICER]
    name = world.system_name(system)
    _sign_in(client, cao.email)
    page = client.get("/ui/audit").text
    assert "The log" in page and "events found" in page
    assert f">{name}</a>" in page and cao.name in page  # names, not ids, in Who and On
    assert f"<td>{cao.id}</td>" not in page
    only = client.get("/ui/audit", params={"system": system}).text
    assert only.count("<tr>") - 1 == only.count(f">{name}</a></td>")  # every row is on it
    registered = client.get("/ui/audit", params={"system": system, "what": "system"}).text
    assert "system.registered" in registered and "transition." not in registered
    auditor = world.people[R.AUDITOR]
    theirs = client.get("/ui/audit", params={"who": auditor.id}).text
    assert theirs.count("<tr>") - 1 == theirs.count(f"<td>{auditor.name}</td>")
    assert theirs.count(f"<td>{cao.name}</td>") == 0
    tomorrow = (world.ctx.clock() + timedelta(days=1)).date().isoformat()
    assert "No event matches" in client.get("/ui/audit", params={"since": tomorrow}).text
    wrong = client.get("/ui/audit", params={"since": tomorrow, "until": "2000-01-01"})
    assert "must come after its start" in wrong.text
    assert "must be a date" in client.get("/ui/audit", params={"since": "soon"}).text


def test_the_audit_trail_pages_and_exports(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    for n in range(55):  # more events on the system than one page holds
        inventory.update_system(
            world.ctx, world.actor(R.CHIEF_AI_OFFICER), system, purpose=f"=HYPERLINK({n})"
        )
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    first = client.get("/ui/audit", params={"system": system}).text
    assert "1\u201350 of 56" in first and "Older</a>" in first and "Newer</a>" not in first
    second = client.get("/ui/audit", params={"system": system, "offset": 50}).text
    assert "51\u201356 of 56" in second and "Newer</a>" in second and "Older</a>" not in second
    exported = client.get("/ui/audit/export.csv", params={"system": system})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 56 and {r["entity_id"] for r in rows} == {system}
    assert rows[0]["entity_name"] == world.system_name(system)
    assert rows[0]["actor_name"] == world.people[R.CHIEF_AI_OFFICER].name
    assert all(not r["data"].startswith("=") for r in rows)  # no formula reaches a spreadsheet
    lines = client.get("/ui/audit/export.jsonl", params={"system": system}).text.splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == 56 and events[-1]["event"]["action"] == "system.registered"
    assert {"seq", "hash", "event"} <= set(events[0])
    assert client.get("/ui/audit/export.xml").status_code == 404


def test_only_audit_readers_see_or_export_the_trail(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    assert "events found" not in client.get("/ui/audit").text
    assert client.get("/ui/audit/export.csv").status_code == 403
    assert client.get("/ui/audit/export.jsonl", params={"system": system}).status_code == 403
