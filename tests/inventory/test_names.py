"""System names unique as people read them: a name another system holds, case and spacing
aside, is refused (by the service, and by the database under concurrent writers); a near
one is registered and flagged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from charter.kernel.errors import Conflict
from tests.factory import World

ADMIN = "root@example.org"


def _org(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)


def _register(cli, name: str, code: int = 0):  # type: ignore[no-untyped-def]
    return cli(
        "systems", "register", name, "--purpose", "Scores loans", "--business-unit", "Retail",
        "--as", ADMIN, code=code,
    )  # fmt: skip


def test_case_and_spacing_variants_of_a_system_name_are_refused(cli) -> None:  # type: ignore[no-untyped-def]
    _org(cli)
    first = _register(cli, "Credit Scoring")
    assert first["possible_duplicates"] == []
    for variant in ("credit scoring", "CREDIT  SCORING", " Credit scoring "):
        clash = _register(cli, variant, code=5)
        assert clash["error"] == "conflict"
        assert (
            "already exists ('Credit Scoring': names are compared ignoring case)"
            in (clash["detail"])
        )
    other = _register(cli, "Fraud triage")
    renamed = cli("systems", "update", other["id"], "--name", "CREDIT scoring", "--as", ADMIN,
                  code=5)  # fmt: skip
    assert renamed["error"] == "conflict"
    same = cli("systems", "update", first["id"], "--name", "Credit scoring", "--as", ADMIN)
    assert same["name"] == "Credit scoring"  # its own name in another case is no clash


def test_a_near_duplicate_name_is_registered_and_flagged(cli) -> None:  # type: ignore[no-untyped-def]
    _org(cli)
    first = _register(cli, "Credit Scoring")
    near = _register(cli, "Credit Scorings")
    assert near["possible_duplicates"] == [{"id": first["id"], "name": "Credit Scoring"}]
    assert _register(cli, "Fraud triage")["possible_duplicates"] == []


def test_the_database_refuses_a_case_variant_the_service_did_not_see(world: World) -> None:
    """What a concurrent writer could slip past the service's check, the index refuses."""
    system = world.system("Credit Scoring")
    with pytest.raises(Conflict), world.ctx.uow() as uow:
        uow.systems.add(replace(system, id="sys_twin", name="CREDIT SCORING"))
        uow.commit()
    with world.ctx.uow() as uow:
        assert [s.name for s in uow.systems.all()] == ["Credit Scoring"]
