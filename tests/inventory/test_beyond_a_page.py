"""Issue 23, continued: the system choices of the incidents, risks and models pages, and the
unit and person choices of the system form, intake, adoption, risks and people pages, offer
every entry the reader may see (read page by page), not the first 500; `charter systems list`
says how many more rows --offset shows, and directory lists list every row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from charter.accountability.domain.org import BusinessUnit, Person
from charter.bootstrap import context_for
from charter.cli.main import app
from charter.inventory import services as inventory
from charter.inventory.domain import Vendor
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.web.app import create_app
from tests.accountability.test_beyond_a_page import ADMIN, MANY, _many_systems
from tests.web.test_ui import _sign_in


def test_the_cli_says_more_systems_remain_and_lists_every_vendor(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail Banking", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)
    for name in ("Credit scoring", "Fraud scoring"):
        cli("systems", "register", name, "--purpose", "Scores loans",
            "--business-unit", "Retail Banking", "--as", ADMIN)  # fmt: skip
    shown = CliRunner().invoke(app, ["systems", "list", "--limit", "1", "--as", ADMIN])
    assert shown.exit_code == 0 and "1 more: use --offset 1" in shown.stdout
    last = CliRunner().invoke(app, ["systems", "list", "--offset", "1", "--as", ADMIN])
    assert last.exit_code == 0 and "more: use --offset" not in last.stdout
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    with context_for(engine).uow() as uow:
        for n in range(MANY):
            uow.vendors.add(Vendor(f"vendor-{n:04}", f"Vendor {n:04}"))
        uow.commit()
    engine.dispose()
    listed = cli("vendors", "list", "--as", ADMIN)
    assert len(listed["items"]) == listed["total"] == MANY


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/ui/systems/new", ("unit",)),  # the owner: typed (tests/web/test_pickers.py)
        # the register's owner and system: typed (tests/risks/test_risk_pickers_ui.py)
        ("/ui/use-cases/new", ("unit",)),
        ("/ui/adoption", ("unit",)),
        ("/ui/people", ("unit", "person")),
    ],
)
def test_unit_and_person_choices_offer_every_one(  # type: ignore[no-untyped-def]
    engine: object, ui, path: str, shown: tuple[str, ...]
) -> None:
    client, world, _ = ui
    with world.ctx.uow() as uow:
        for n in range(MANY):
            uow.units.add(BusinessUnit(f"unit-{n:04}", f"Zeta unit {n:04}"))
            uow.people.add(Person(f"person-{n:04}", f"Zeta person {n:04}", f"z{n}@example.org"))
        uow.commit()
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    html = client.get(path).text
    for kind in shown:
        assert f'value="{kind}-{MANY - 1:04}"' in html or f">Zeta {kind} {MANY - 1:04}<" in html


def test_the_inventory_export_holds_every_system(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    ids = _many_systems(world, MANY, world.unit, "Zeta scorer")
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    lines = client.get("/ui/systems/export.csv", params={"q": "zeta"}).text.splitlines()
    assert len(lines) == 1 + MANY and lines[-1].endswith(ids[-1])
    assert world.unit.name in lines[-1]


def test_the_api_lists_every_system_a_vendor_supplies(engine: object, world) -> None:  # type: ignore[no-untyped-def]
    boss = world.actor(R.CHIEF_AI_OFFICER)
    vendor = inventory.register_vendor(world.ctx, boss, "Acme Scores")
    ids = _many_systems(world, MANY, world.unit, "Zeta scorer")
    with world.ctx.uow() as uow:
        for system_id in ids:
            uow.systems.update(replace(uow.systems.get(system_id), vendor_id=vendor.id))
        uow.commit()
    with TestClient(create_app(world.ctx)) as client:
        auth = {"Authorization": f"Bearer {world.tokens[R.CHIEF_AI_OFFICER]}"}
        found = client.get(f"/api/v1/vendors/{vendor.id}", headers=auth).json()
    assert len(found["systems"]) == MANY
