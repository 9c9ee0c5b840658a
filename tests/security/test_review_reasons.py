"""Automatic evidence reviews say why without naming what caused them to readers of the
reviewed system: a data-quality breach found by another unit's run, or a serious incident on
another unit's system, put a Retail system's evidence under review; a Retail reader sees the
review (API, pages) but not the other unit's system, evidence, suite or incident."""

from __future__ import annotations

import re
from dataclasses import dataclass

from charter.identity.services import access, sessions
from charter.incidents import services as incidents
from charter.incidents.domain import Category
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from tests.security.conftest import PASSWORD, Site

SECRET = "Claims fraud scorer"
SUITE = "claims-fraud-quality"


@dataclass
class Scene:
    token: str
    email: str
    mine: str  # the Retail system whose evidence is reviewed
    secret: str  # the Claims system that caused it


def _scene(site: Site) -> Scene:
    w = site.world
    caio = w.actor(R.CHIEF_AI_OFFICER)
    secret = w.system(SECRET, unit=w.other_unit)
    mine = w.system("Retail pricing")
    data = inventory.register_dataset(w.ctx, caio, "shared rows", source="data.csv")
    model = inventory.register_model(w.ctx, caio, "pricing-net", mine.id)
    inventory.add_model_version(w.ctx, caio, model.id, "1", "s3://m/1", "torch", data.id)
    _run(site, mine.id, "1,1,10\n0,0,20\n", "retail-quality")
    reader = w.person("Rita Retail", R.PROGRAM_MANAGER, scope=ScopeKind.BUSINESS_UNIT,
                      scope_id=w.unit.id)  # fmt: skip
    token = access.create_token(w.ctx, access.actor_for(w.ctx, reader.id), None, "t")[1]
    return Scene(token, reader.email, mine.id, secret.id)


def _run(site: Site, system: str, rows: str, name: str) -> str:
    (site.data / "data.csv").write_text("y,p,income\n" + rows)
    suite = parse_suite({
        "name": name, "data": "data.csv", "columns": {"label": "y", "prediction": "p"},
        "checks": [{"id": "income-present", "metric": "null_rate", "column": "income",
                    "max": 0.0}],
    })  # fmt: skip
    ctx = site.world.ctx
    return validation.validate(
        ctx, site.world.actor(R.CHIEF_AI_OFFICER), system, suite,
        lambda s: ctx.run_suite(s, site.data),
    ).id  # fmt: skip


def _seen(site: Site, scene: Scene) -> str:
    """Everything the Retail reader is shown of the review: the API and the pages."""
    headers = {"Authorization": f"Bearer {scene.token}"}
    reviews = site.client.get(f"/api/v1/evidence-reviews?system_id={scene.mine}", headers=headers)
    assert reviews.status_code == 200 and reviews.json()["total"] == 1, reviews.text
    _sign_in(site, scene.email)
    pages = [site.client.get(f"/ui/systems/{scene.mine}").text, site.client.get("/ui/lineage").text]
    assert reviews.json()["items"][0]["reason"] in pages[1]  # the page shows it
    return " ".join([reviews.text, *pages])


def _sign_in(site: Site, email: str) -> None:
    form = site.client.get("/ui/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token is not None
    with site.world.ctx.uow() as uow:
        person = uow.people.all(email=email)[0]
    sessions.set_password(site.world.ctx, site.world.admin, person.id, PASSWORD)
    form_data = {"email": email, "password": PASSWORD, "csrf": token.group(1)}
    done = site.client.post("/ui/login", data=form_data, follow_redirects=False)
    assert done.status_code == 303


def test_a_breach_found_by_another_unit_s_run_is_not_named_to_the_reviewed_unit(
    site: Site,
) -> None:
    scene = _scene(site)
    breach = _run(site, scene.secret, "1,1,\n0,0,20\n", SUITE)  # an income missing
    seen = _seen(site, scene)
    assert "data-quality breach" in seen
    for secret in (SECRET, SUITE, breach, scene.secret):
        assert secret not in seen
    with site.world.ctx.uow() as uow:  # the audit trail (organisation-wide) keeps it in full
        (dataset,) = uow.datasets.all(name="shared rows")
        events = [e.body() for e in uow.audit.for_entity("dataset", dataset.id)]
    (asked,) = [e["data"] for e in events if e["action"] == "evidence.review_requested"]
    assert breach in asked["reason"] and SUITE in asked["reason"]


def test_a_serious_incident_on_another_unit_s_system_is_not_named_to_the_reviewed_unit(
    site: Site,
) -> None:
    scene = _scene(site)
    w = site.world
    with w.ctx.uow() as uow:
        (dataset,) = uow.datasets.all(name="shared rows")
    found = incidents.record_incident(
        w.ctx, w.actor(R.CHIEF_AI_OFFICER), scene.secret, "Bad rows", "rows altered", "ops",
        w.ctx.clock(), dataset_id=dataset.id,
    )  # fmt: skip
    incidents.classify_incident(w.ctx, w.actor(R.ETHICS_COMPLIANCE), found.id,
                                [Category.FUNDAMENTAL_RIGHTS], False, False, "serious")  # fmt: skip
    seen = _seen(site, scene)
    assert "serious incident" in seen
    for secret in (SECRET, found.id, scene.secret):
        assert secret not in seen
