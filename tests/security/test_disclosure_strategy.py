"""Item 8, continued: nothing of a business unit the reader may not see leaks through KPIs,
use cases (their near-duplicates too), the portfolio, the roadmap, the value report, the
inbox, the scorecard or the audit history: API, UI pages, CLI and exports. The reader holds
every role a unit may hold, scoped to Retail; the secret use case, KPI and system are
Claims'."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from charter.accountability.services import org
from charter.frameworks.files import classification_data
from charter.governance.services import lifecycle
from charter.identity.services import access, sessions
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.strategy.domain.kpis import Reading
from charter.strategy.domain.strategy import PortfolioDecision
from charter.strategy.services import delivery, kpis
from charter.strategy.services import intake as strategy
from tests.security.conftest import PASSWORD, Site

SECRET = "Claims fraud scorer"
REASON = "confidential: the regulator asked"
SKILL = "claims fraud forensics"
UNIT_ROLES = (R.BOARD_MEMBER, R.PROGRAM_MANAGER, R.AI_CHAMPION, R.AUDITOR,
              R.EXECUTIVE_SPONSOR, R.ETHICS_COMPLIANCE, R.DATA_SCIENTIST)  # fmt: skip


@dataclass
class Scene:
    token: str
    email: str
    use_case: str
    waiting: str
    kpi: str
    system: str
    own: str


def _scene(site: Site) -> Scene:
    w = site.world
    caio = w.actor(R.CHIEF_AI_OFFICER)
    reader = w.person("Rita Retail", UNIT_ROLES[0], scope=ScopeKind.BUSINESS_UNIT,
                      scope_id=w.unit.id)  # fmt: skip
    for role in UNIT_ROLES[1:]:
        org.assign_role(w.ctx, w.admin, reader.id, role, ScopeKind.BUSINESS_UNIT, w.unit.id)
    me = access.actor_for(w.ctx, reader.id)
    token = access.create_token(w.ctx, me, None, "t")[1]
    secret = w.system(SECRET, unit=w.other_unit)
    w.advance(secret.id, S.ASSESSED)
    lifecycle.request_transition(
        w.ctx, w.actor(R.PROGRAM_MANAGER), secret.id, S.APPROVED_FOR_DEVELOPMENT, REASON
    )
    objective = strategy.create_objective(w.ctx, caio, "Grow")
    sponsor = w.people[R.EXECUTIVE_SPONSOR].id
    case, _ = strategy.submit_use_case(
        w.ctx, w.actor(R.AI_CHAMPION), classification_data(), title=f"{SECRET} rollout",
        objective_id=objective.id, business_unit_id=w.other_unit.id, sponsor_id=sponsor,
        description=REASON, skills_needed=[SKILL],
    )  # fmt: skip
    strategy.decide_use_case(w.ctx, caio, case.id, PortfolioDecision.APPROVE, REASON)
    strategy.plan_use_case(w.ctx, caio, case.id, "2026-Q1", "2026-Q4")
    strategy.link_system(w.ctx, caio, case.id, secret.id)
    delivery.open_iteration(w.ctx, caio, case.id, f"{SECRET} pilot", *_days(site))
    waiting, _ = strategy.submit_use_case(
        w.ctx, caio, classification_data(), title=f"{SECRET} second wave",
        objective_id=objective.id, business_unit_id=w.other_unit.id, description=REASON,
    )  # fmt: skip
    kpi = kpis.define_kpi(w.ctx, caio, name=f"{SECRET} savings", unit="EUR", direction="increase",
                          target=100.0, owner_id=sponsor, use_case_id=case.id,
                          tracks="value")  # fmt: skip
    kpis.define_kpi(w.ctx, caio, name=f"{SECRET} recall", unit="%", direction="increase",
                    target=90.0, owner_id=sponsor, system_id=secret.id)  # fmt: skip
    month = f"{w.ctx.clock():%Y-%m}"
    kpis.record_measurements(w.ctx, caio, [Reading(kpi.id, month, 5.0, REASON)])
    own, _ = strategy.submit_use_case(
        w.ctx, me, classification_data(), title="Claims fraud scoring rollout",
        objective_id=objective.id, business_unit_id=w.unit.id, description="fraud scorer claims",
    )  # fmt: skip
    return Scene(token, reader.email, case.id, waiting.id, kpi.id, secret.id, own.id)


def _days(site: Site) -> tuple[date, date]:
    today = site.world.ctx.clock().date()
    return today, today.replace(day=28) if today.day < 28 else today


def _clean(text: str, what: str, scene: Scene) -> None:
    """Nothing of Claims' but the id the reader asked for (a refusal may repeat it)."""
    for word in (SECRET, REASON, SKILL, scene.use_case, scene.kpi, scene.system, scene.waiting):
        assert word not in text or word in what, f"the {what} shows {word!r} of another unit"


API_READS = ("/use-cases", "/use-cases?search=fraud", "/portfolio", "/roadmap", "/kpis",
             "/value", "/inbox", "/adoption", "/talent", "/decisions", "/models",
             "/use-cases/{own}")  # fmt: skip
REFUSED = ("/use-cases/{use_case}", "/kpis/{kpi}", "/use-cases/{use_case}/iterations",
           "/kpis?use_case_id={use_case}", "/scorecard", "/audit/events",
           "/audit/history/system/{system}", "/audit/history/use_case/{use_case}")  # fmt: skip


def test_api_reads_show_nothing_of_another_unit(site: Site) -> None:
    scene = _scene(site)
    mine = {"Authorization": f"Bearer {scene.token}"}
    admin = {"Authorization": f"Bearer {site.world.admin_token}"}
    names = {"own": scene.own, "use_case": scene.use_case, "kpi": scene.kpi,
             "system": scene.system}  # fmt: skip
    for path in API_READS:
        url = "/api/v1" + path.format(**names)
        seen = site.client.get(url, headers=mine)
        assert seen.status_code == 200, (path, seen.text)
        _clean(seen.text, path, scene)
    assert SECRET in site.client.get("/api/v1/portfolio", headers=admin).text
    for path in REFUSED:
        url = "/api/v1" + path.format(**names)
        seen = site.client.get(url, headers=mine)
        assert seen.status_code in (200, 403, 404), (path, seen.text)
        _clean(seen.text, url, scene)


def _sign_in(site: Site, scene: Scene) -> None:
    w = site.world
    with w.ctx.uow() as uow:
        person = next(p for p in uow.people.all() if p.email == scene.email)
    sessions.set_password(w.ctx, w.admin, person.id, PASSWORD)
    form = site.client.get("/ui/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    signed = site.client.post("/ui/login", data={"email": scene.email, "password": PASSWORD,
                              "csrf": csrf.group(1)}, follow_redirects=False)  # fmt: skip
    assert signed.status_code == 303, signed.text


UI_PAGES = ("/ui/", "/ui/portfolio", "/ui/roadmap", "/ui/kpis", "/ui/approvals",
            "/ui/use-cases/{own}", "/ui/use-cases/{use_case}", "/ui/scorecard", "/ui/audit",
            "/ui/audit/export.csv", "/ui/systems", "/ui/systems/export.csv",
            "/ui/bodies", "/ui/talent", "/ui/adoption")  # fmt: skip


def test_ui_pages_show_nothing_of_another_unit(site: Site) -> None:
    scene = _scene(site)
    _sign_in(site, scene)
    names = {"own": scene.own, "use_case": scene.use_case}
    for path in UI_PAGES:
        url = path.format(**names)
        seen = site.client.get(url)
        assert seen.status_code in (200, 403, 404), (path, seen.status_code)
        _clean(seen.text, url, scene)


def test_measuring_an_unreadable_kpi_answers_as_for_a_missing_one(site: Site) -> None:
    scene = _scene(site)
    w = site.world
    with w.ctx.uow() as uow:
        kpi = uow.kpis.get(scene.kpi)
        assert kpi is not None
        uow.kpis.update(replace(kpi, active=False))  # retired: the answer must not tell
        uow.commit()
    mine = {"Authorization": f"Bearer {scene.token}"}
    month = f"{w.ctx.clock():%Y-%m}"
    answers = []
    for kpi_id in (scene.kpi, "kpi_0000000000000000"):
        rows = {"measurements": [{"kpi_id": kpi_id, "period": month, "value": 1}]}
        found = site.client.post("/api/v1/measurements", json=rows, headers=mine)
        assert found.status_code == 422, found.text
        answers.append(found.json()["errors"][0]["msg"].replace(kpi_id, "ID"))
    assert answers[0] == answers[1]


def test_registering_a_system_names_no_near_duplicate_of_another_unit(site: Site) -> None:
    scene = _scene(site)
    mine = {"Authorization": f"Bearer {scene.token}"}
    system = {"name": f"{SECRET} two", "purpose": "Scores retail fraud.",
              "business_unit_id": site.world.unit.id}  # fmt: skip
    made = site.client.post("/api/v1/systems", json=system, headers=mine)
    assert made.status_code == 201, made.text
    assert scene.system not in made.text, "a near-duplicate of another unit's system is named"
    caio = site.auth(R.CHIEF_AI_OFFICER)  # organisation-wide: sees it
    again = site.client.post("/api/v1/systems", json=system | {"name": f"{SECRET} 3"}, headers=caio)
    assert again.status_code == 201 and scene.system in again.text, again.text
