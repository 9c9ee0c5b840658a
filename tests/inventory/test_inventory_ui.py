"""Models and their versions, datasets and vendors registered and edited by form: the same
service, rights and audit event as the API; a refused form comes back filled in, naming the
role it needs and who holds it; no form without its CSRF token."""

from __future__ import annotations

from charter.audit import services as audit
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _csrf, _note, _sign_in


def _trail(world, kind: str, ident: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    events = audit.entity_history(world.ctx, world.admin, kind, ident)
    return [(e.body()["action"], e.body()["actor"]) for e in events]


def test_vendor_dataset_model_and_version_by_form(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    cao = world.people[R.CHIEF_AI_OFFICER]
    _sign_in(client, cao.email)
    assert "No vendors registered yet" in client.get("/ui/vendors").text
    vendor = {"name": "Acme Models", "website": "https://acme.example"}
    assert client.post("/ui/vendors", data=vendor).status_code == 403  # no CSRF token
    token = _csrf(client, "/ui/vendors")
    done = client.post("/ui/vendors", data=vendor | {"csrf": token})
    assert done.status_code == 303 and _note(client) == ("Acme Models is registered", False)
    vendor_id = done.headers["location"].rsplit("/", 1)[1]
    assert _trail(world, "vendor", vendor_id) == [("vendor.registered", cao.id)]
    dataset = {"name": "Claims 2024", "owner_id": cao.email, "contains_personal_data": "true"}
    done = client.post("/ui/datasets", data=dataset | {"csrf": token})
    dataset_id = done.headers["location"].rsplit("/", 1)[1]
    stored = inventory.get_directory(world.ctx, world.admin, "datasets", dataset_id)
    assert stored.owner_id == cao.id and stored.contains_personal_data
    page = client.get(f"/ui/datasets/{dataset_id}").text
    assert f'value="{cao.name}"' in page  # the owner by name, not by id
    edited = client.post(
        f"/ui/datasets/{dataset_id}",
        data={"name": "Claims 2024", "owner_id": cao.name, "retention": "7 years", "csrf": token},
    )  # the box left unticked: no personal data
    assert edited.status_code == 303 and _note(client) == ("changes saved", False)
    action, actor = _trail(world, "dataset", dataset_id)[-1]
    assert (action, actor) == ("dataset.updated", cao.id)
    changed = audit.entity_history(world.ctx, world.admin, "dataset", dataset_id)[-1].body()
    assert sorted(changed["data"]) == ["contains_personal_data", "retention"]
    model = {"name": "claims-router", "system_id": system, "vendor_id": vendor_id}
    done = client.post("/ui/models", data=model | {"csrf": token})
    model_id = done.headers["location"].rsplit("/", 1)[1]
    assert "No version yet" in client.get(f"/ui/models/{model_id}").text
    version = {"version": "1.0", "artifact_uri": "s3://models/router/1.0",
               "training_dataset_id": dataset_id, "csrf": token}  # fmt: skip
    added = client.post(f"/ui/models/{model_id}/versions", data=version)
    assert added.status_code == 303 and "version 1.0 added" in str(_note(client)[0])
    shown = client.get(f"/ui/models/{model_id}").text
    assert "Claims 2024" in shown and "current" in shown
    listed = client.get("/ui/models").text
    assert "claims-router" in listed and "Acme Models" in listed
    assert [a for a, _ in _trail(world, "model", model_id)] == [
        "model.registered",
        "model_version.added",
    ]
    again = client.post(f"/ui/models/{model_id}/versions", data=version)
    assert again.status_code == 409 and "already has version" in again.text


def test_a_refused_inventory_form_keeps_what_was_typed(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    token = _csrf(client, "/ui/vendors")
    refused = client.post("/ui/vendors", data={"name": "Acme Models", "csrf": token})
    assert refused.status_code == 403
    assert "may not inventory write" in refused.text and "this needs the role" in refused.text
    assert world.people[R.CHIEF_AI_OFFICER].name in refused.text  # who holds it
    assert 'value="Acme Models"' in refused.text
    assert inventory.list_directory(world.ctx, world.admin, "vendors").total == 0
    vendor = inventory.register_vendor(world.ctx, world.actor(R.CHIEF_AI_OFFICER), "Acme")
    edit = client.post(f"/ui/vendors/{vendor.id}", data={"name": "Acme Two", "csrf": token})
    assert edit.status_code == 403 and 'value="Acme Two"' in edit.text
    assert inventory.get_directory(world.ctx, world.admin, "vendors", vendor.id).name == "Acme"
    bad = client.post(
        "/ui/datasets", data={"name": "x", "special_category_data": "true", "csrf": token}
    )
    assert bad.status_code == 422 and "special-category data is personal data" in bad.text
