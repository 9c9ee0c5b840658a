"""Item 10: smaller leaks and crashes. Single sign-on shows a fixed message and sends the
provider back to the configured public URL; KPI periods to come, documents approved in a
role no policy asks for, deep expressions, over-long CSV fields and YAML bombs are refused
cleanly; the API's documentation works under the CSP from the package and needs sign-in;
API answers carry their own CSP (and HSTS over TLS)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from charter.governance.domain.expr import compile_expression
from charter.governance.files import check_policy
from charter.governance.services import documents, policies
from charter.identity.oidc import Provider
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.kernel.web.pages import NOTE_COOKIE, read_note
from charter.kernel.yaml_text import parse_yaml
from charter.strategy.services import kpis
from charter.web.app import create_app
from tests.identity.fake_idp import CLIENT_ID, CLIENT_SECRET, FakeIdP, serve_idp
from tests.security.conftest import Site

PUBLIC = "https://charter.example.org"


@pytest.fixture
def sso(site: Site) -> Iterator[tuple[TestClient, FakeIdP]]:
    with serve_idp() as idp:
        provider = Provider(
            idp.issuer, CLIENT_ID, CLIENT_SECRET, redirect_uri=f"{PUBLIC}/ui/oidc/callback"
        )
        app = create_app(site.world.ctx, oidc=provider)
        with TestClient(app, follow_redirects=False) as client:
            yield client, idp


def test_the_oidc_callback_shows_only_a_fixed_message(sso: tuple[TestClient, FakeIdP]) -> None:
    client, _ = sso
    client.get("/ui/oidc/start")
    said = "<b>Call +1 555 0100 to restore your account</b>"
    back = client.get("/ui/oidc/callback", params={"error": said, "state": "x"})
    assert back.status_code == 303
    note, error = read_note(client.cookies.get(NOTE_COOKIE) or "")
    assert error and note is not None
    assert "555" not in note and "restore" not in note and "single sign-on" in note


def test_the_redirect_uri_is_the_configured_public_url(sso: tuple[TestClient, FakeIdP]) -> None:
    client, _ = sso
    started = client.get("/ui/oidc/start", headers={"Host": "evil.example"})
    query = parse_qs(urlparse(started.headers["location"]).query)
    assert query["redirect_uri"] == [f"{PUBLIC}/ui/oidc/callback"]


def test_kpi_periods_after_the_current_month_are_refused(site: Site) -> None:
    ctx, caio = site.world.ctx, site.world.actor(R.CHIEF_AI_OFFICER)
    kpi = kpis.define_kpi(
        ctx, caio, name="Adoption", unit="%", direction="increase", target=50.0,
        owner_id=site.world.people[R.PROGRAM_MANAGER].id, system_id=site.world.system().id,
    )  # fmt: skip
    today = datetime.now(UTC).date()
    ahead = f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"
    response = site.client.post(
        "/api/v1/measurements",
        json={"measurements": [{"kpi_id": kpi.id, "period": ahead, "value": 99.0}]},
        headers=site.auth(R.CHIEF_AI_OFFICER),
    )
    assert response.status_code == 422, response.text
    assert "after the current month" in response.json()["detail"]


def test_a_document_is_approved_only_in_a_role_a_policy_asks_for(site: Site) -> None:
    world = site.world
    system = world.system()
    doc = documents.attach_document(
        world.ctx, world.actor(R.DATA_SCIENTIST), system.id, "dpia", "DPIA", "https://dms/1"
    )
    approve = f"/api/v1/documents/{doc.id}/approve"
    asked = site.client.post(
        approve, json={"role": "chief_ai_officer"}, headers=site.auth(R.CHIEF_AI_OFFICER)
    )
    assert asked.status_code == 422 and "no policy in force" in asked.json()["detail"]
    raw = {
        "id": "dpia-approved",
        "title": "DPIA approved by compliance",
        "requirements": [
            {"id": "dpia", "kind": "document", "document": "dpia",
             "approved_by": ["ethics_compliance_officer"]},
        ],
    }  # fmt: skip
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "dpia-approved"))]
    )
    assert (
        site.client.post(
            approve, json={"role": "chief_ai_officer"}, headers=site.auth(R.CHIEF_AI_OFFICER)
        ).status_code
        == 422
    )
    approved = site.client.post(
        approve, json={"role": "ethics_compliance_officer"}, headers=site.auth(R.ETHICS_COMPLIANCE)
    )
    assert approved.status_code == 200, approved.text


def test_deeply_nested_expressions_are_refused_not_a_crash(site: Site) -> None:
    deep = "(" * 400 + "true" + ")" * 400
    with pytest.raises(InvalidInput, match="nest"):
        compile_expression(deep)
    with pytest.raises(InvalidInput, match="nest"):
        compile_expression("!" * 1500 + "true")
    with pytest.raises(InvalidInput, match="operators"):  # each one a call deeper when run
        compile_expression("&&".join(["true"] * 300))
    raw = {
        "id": "deep",
        "title": "Deep",
        "applies": {"when": deep},
        "requirements": [{"id": "owner", "kind": "accountability", "owner_named": True}],
    }
    response = site.client.post(
        "/api/v1/policies", json={"policies": [raw]}, headers=site.auth(R.CHIEF_AI_OFFICER)
    )
    assert response.status_code == 422, response.text
    assert "nested deeper" in response.json()["detail"]


def test_a_csv_field_over_the_parser_limit_is_422(site: Site) -> None:
    text = "kpi_id,period,value,note\nk,2026-01,1," + "x" * 200_000 + "\n"
    response = site.client.post(
        "/api/v1/measurements/csv",
        content=text,
        headers={**site.auth(R.CHIEF_AI_OFFICER), "Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    assert "field" in response.json()["detail"]


def test_the_api_docs_need_sign_in_and_run_under_the_csp(site: Site) -> None:
    client = site.client
    assert client.get("/api/openapi.json").status_code == 401
    docs = client.get("/api/docs", follow_redirects=False)
    assert docs.status_code == 303 and docs.headers["location"] == "/ui/login"
    assert client.get("/api/openapi.json", headers=site.auth(R.AUDITOR)).status_code == 200
    site.sign_in(R.AUDITOR)
    page = client.get("/api/docs")
    assert page.status_code == 200 and "<script>" not in page.text  # no inline script
    assert "cdn" not in page.text.lower() and "//" not in page.text.replace("https://", "")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in ("-bundle.js", ".css", "/api-docs.js"):
        path = next(p for p in _assets(page.text) if p.endswith(asset))
        assert client.get(path).status_code == 200, path
    assert client.get("/api/openapi.json").status_code == 200  # with the session
    with TestClient(create_app(site.world.ctx, api_docs_public=True)) as public:
        assert public.get("/api/openapi.json").status_code == 200
        assert public.get("/api/docs").status_code == 200


def _assets(html: str) -> list[str]:
    import re

    return re.findall(r'(?:src|href)="(/ui/static/[^"]+)"', html)


def test_api_answers_carry_their_own_csp_and_hsts_over_tls(site: Site) -> None:
    plain = site.client.get("/api/v1/me", headers=site.auth(R.AUDITOR))
    assert plain.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "strict-transport-security" not in plain.headers
    with TestClient(create_app(site.world.ctx), base_url="https://testserver") as tls:
        secure = tls.get("/api/v1/me", headers=site.auth(R.AUDITOR))
        assert secure.headers["content-security-policy"].startswith("default-src 'none'")
        assert secure.headers["strict-transport-security"].startswith("max-age=")
        refused = tls.get("/api/v1/me")  # an error answer too
        assert refused.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a: &x [1, 2]\nb: *x\n", "alias"),
        (
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n"
                for i in range(8)
            ),
            "alias",
        ),
        ("x: " + "y" * 2_000_001, "longer than"),
    ],
)
def test_yaml_bombs_and_huge_files_are_refused_before_parsing_costs(text: str, said: str) -> None:
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=said):
        parse_yaml(text)
    assert time.monotonic() - started < 2


def test_yaml_suites_from_the_command_line_refuse_aliases(cli: Any, tmp_path: Any) -> None:
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "name: s\ndata: d.csv\ncolumns: &c {label: y, prediction: p}\nother: *c\n"
        "checks: [{id: acc, metric: accuracy, min: 0.5}]\n"
    )
    cli("init", "--name", "Ada", "--email", "ada@example.org")
    refused = cli("validate", str(suite), "--system", "sys_x", "--as", "ada@example.org", code=3)
    assert "alias" in refused["detail"]
