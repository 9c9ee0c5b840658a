"""The web UI through its HTTP surface: every page needs a session, every HTML response has
the security headers, a form without its CSRF token is refused, decisions keep the API's
permissions."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from charter.bodies.domain import BodyKind, Function, MemberRole, Remit
from charter.bodies.services import bodies
from charter.frameworks.files import classification_data
from charter.governance.files import check_policy
from charter.governance.services import lifecycle, policies
from charter.identity.domain.sessions import ADDRESS_ATTEMPTS, SIGN_IN_ATTEMPTS
from charter.identity.services import sessions
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.kernel.web.pages import NOTE_COOKIE, read_note
from charter.strategy.services import intake as strategy
from charter.strategy.services import portfolio
from charter.validation import services as validation
from charter.validation.domain.evidence import Aggregates
from charter.validation.domain.suite import parse_suite
from charter.web.app import create_app
from tests.factory import World

PASSWORD = "correct horse battery staple"
PAGES = [
    "/ui/",
    "/ui/systems",
    "/ui/approvals",
    "/ui/systems/{system}",
    "/ui/people",
    "/ui/governance",
    "/ui/audit",
    "/ui/portfolio",
    "/ui/roadmap",
    "/ui/kpis",
    "/ui/use-cases/new",
    "/ui/use-cases/{use_case}",
    "/ui/bodies",
    "/ui/bodies/{body}",
    "/ui/meetings/{meeting}",
    "/ui/talent",
    "/ui/adoption",
    "/ui/scorecard",
    "/ui/obligations",
    "/ui/packs/eu-ai-act",
    "/ui/incidents",
    "/ui/notifications",
    "/ui/risks",
    "/ui/models",
    "/ui/datasets",
    "/ui/vendors",
]


@pytest.fixture
def ui(world: World) -> Iterator[tuple[TestClient, World, str]]:
    for role in (R.CHIEF_AI_OFFICER, R.DATA_SCIENTIST, R.ETHICS_COMPLIANCE, R.BOARD_MEMBER):
        sessions.set_password(world.ctx, world.admin, world.people[role].id, PASSWORD)
    system = world.system()
    objective = strategy.create_objective(world.ctx, world.actor(R.CHIEF_AI_OFFICER), "Grow")
    world.objective = objective.id  # type: ignore[attr-defined]
    world.use_case = strategy.submit_use_case(  # type: ignore[attr-defined]
        world.ctx, world.actor(R.AI_CHAMPION), classification_data(),
        title="Claims triage assistant", objective_id=objective.id,
        business_unit_id=world.unit.id,
        description="Route incoming motor claims to the right handler team",
    )[0].id  # fmt: skip
    body = bodies.create_body(world.ctx, world.admin, "AI board", BodyKind.GOVERNANCE_BOARD,
                              "Decides.", [Function.RISK], 2, 30, [Remit.TRANSITIONS])  # fmt: skip
    for role, function, seat in (
        (R.BOARD_MEMBER, Function.LEGAL, MemberRole.CHAIR),
        (R.ETHICS_COMPLIANCE, Function.RISK, MemberRole.MEMBER),
        (R.CHIEF_AI_OFFICER, Function.DATA_SCIENCE, MemberRole.MEMBER),
    ):
        bodies.add_member(world.ctx, world.admin, body.id, world.people[role].id, function, seat)
    world.body = body.id  # type: ignore[attr-defined]
    world.meeting = bodies.schedule_meeting(  # type: ignore[attr-defined]
        world.ctx, world.admin, body.id, world.ctx.clock()
    ).id
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        yield client, world, system.id


def _sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    page = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post("/ui/login", data={"email": email, "password": password, "csrf": token})
    assert done.status_code == 303
    return str(done.headers["location"])


def _note(client: TestClient) -> tuple[str | None, bool]:
    """The note the last redirect carries to its page, and whether it is an error."""
    return read_note(client.cookies.get(NOTE_COOKIE) or "")


def _csrf(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)  # type: ignore[union-attr]


def _assert_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and "unsafe-inline" not in csp
    )
    assert headers["referrer-policy"] and headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"


def test_every_page_needs_a_session(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, _, system = ui
    for page in PAGES:
        response = client.get(page.format(system=system, use_case="uc_any", body="b", meeting="m"))
        assert response.status_code == 303 and response.headers["location"] == "/ui/login", page
    _assert_headers(client.get("/ui/login"))


def test_pages_carry_security_headers_and_sessions_end(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    assert _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email) == "/ui/"
    cookie = client.cookies.get("charter_session")
    assert cookie
    for page in PAGES:
        response = client.get(
            page.format(
                system=system, use_case=world.use_case, body=world.body, meeting=world.meeting
            )
        )
        assert response.status_code == 200, page
        assert response.headers["content-type"].startswith("text/html")
        _assert_headers(response)
    token = _csrf(client, "/ui/")
    assert client.post("/ui/logout", data={"csrf": token}).status_code == 303
    client.cookies.set("charter_session", cookie)  # the old cookie no longer opens anything
    assert client.get("/ui/").status_code == 303


def test_wrong_password_and_forms_without_csrf_are_refused(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    email = world.people[R.CHIEF_AI_OFFICER].email
    assert _sign_in(client, email, "not the password at all") == "/ui/login"
    assert _note(client) == (sessions.SIGN_IN_FAILED, True)
    page = client.get("/ui/login")
    refused = client.post(
        "/ui/login", data={"email": email, "password": PASSWORD, "csrf": "forged"}
    )
    assert refused.status_code == 403 and page.status_code == 200
    _sign_in(client, email)
    assert client.post("/ui/logout", data={}).status_code == 403
    assert client.post("/ui/logout", data={"csrf": "forged"}).status_code == 403


def test_repeated_wrong_passwords_lock_the_sign_in_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    email = world.people[R.CHIEF_AI_OFFICER].email
    for _ in range(SIGN_IN_ATTEMPTS):
        where = _sign_in(client, email, "not the password at all")
    note, error = _note(client)
    assert where == "/ui/login" and error and "too many failed sign-ins" in (note or "")
    assert "too many failed sign-ins" in client.get(where).text
    assert _note(client) == (None, False)  # shown once
    _sign_in(client, email)  # the right password waits too
    assert "too many failed sign-ins" in (_note(client)[0] or "")


def test_one_client_trying_many_e_mails_is_locked_by_its_address(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    for n in range(ADDRESS_ATTEMPTS):
        _sign_in(client, f"guess{n}@example.org", "Spring2026!")
    assert "from this address" in (_note(client)[0] or "")
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)  # the right password waits too
    assert "too many failed sign-ins from this address" in (_note(client)[0] or "")


def test_a_forwarded_header_from_an_untrusted_peer_is_logged_once_and_not_believed(
    engine: object, ui: tuple[TestClient, World, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, world, _ = ui
    email = world.people[R.CHIEF_AI_OFFICER].email
    peer = ("198.51.100.7", 40000)
    with TestClient(create_app(world.ctx), follow_redirects=False, client=peer) as proxied:
        proxied.headers["x-forwarded-for"] = "203.0.113.1"
        with caplog.at_level(logging.WARNING, logger="charter.sign_in"):
            for _ in range(2):
                _sign_in(proxied, email, "not the password at all")
        said = [r.getMessage() for r in caplog.records if r.name == "charter.sign_in"]
        assert len(said) == 1 and "198.51.100.7" in said[0]
        assert "CHARTER_TRUSTED_PROXIES" in said[0]
        # the failures counted against the peer, not against the address the header names
        for n in range(ADDRESS_ATTEMPTS - 2):
            proxied.headers["x-forwarded-for"] = f"203.0.113.{n + 2}"
            _sign_in(proxied, f"guess{n}@example.org", "Spring2026!")
        assert "from this address" in (_note(proxied)[0] or "")
    caplog.clear()
    trusted = ("203.0.113.99", 1)
    with TestClient(create_app(world.ctx), follow_redirects=False, client=trusted) as ok:
        ok.headers["x-forwarded-for"] = "203.0.113.99"  # as a trusted proxy leaves it
        with caplog.at_level(logging.WARNING, logger="charter.sign_in"):
            _sign_in(ok, email)
        assert not [r for r in caplog.records if r.name == "charter.sign_in"]


def test_a_link_cannot_put_words_on_a_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = ui
    assert (
        "Call this number" not in client.get("/ui/login?error=1&message=Call%20this%20number").text
    )
    client.cookies.set(NOTE_COOKIE, "not-a-note", path="/ui")
    assert client.get("/ui/login").status_code == 200  # a cookie that is no note is ignored
    assert read_note("not-a-note") == (None, False)


def test_over_tls_every_cookie_is_secure(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    _, world, _ = ui
    email = world.people[R.CHIEF_AI_OFFICER].email
    for base, secure in (("https://testserver", True), ("http://testserver", False)):
        with TestClient(create_app(world.ctx), base_url=base, follow_redirects=False) as tls:
            form = tls.get("/ui/login")
            refused = tls.post("/ui/login", data={"email": email, "password": "wrong password!",
                                                  "csrf": _csrf(tls, "/ui/login")})  # fmt: skip
            token = _csrf(tls, "/ui/login")
            done = tls.post("/ui/login", data={"email": email, "password": PASSWORD, "csrf": token})
            cookies = [form, refused, done]
            set_cookies = [c for r in cookies for c in r.headers.get_list("set-cookie")]
            assert {c.split("=")[0] for c in set_cookies} >= {
                "charter_login_csrf",
                NOTE_COOKIE,
                "__Host-charter_session" if secure else "charter_session",
            }
            kept = [c for c in set_cookies if "max-age=0" not in c.lower()]  # not deletions
            assert all(("; secure" in c.lower()) is secure for c in kept), kept
            assert ("strict-transport-security" in done.headers) is secure


def test_decisions_in_the_ui_keep_the_decision_rights(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system, S.ASSESSED, "ready"
    )
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    form = {"decision": "approve", "reason": "fine", "csrf": _csrf(client, "/ui/approvals"),
            "back": "/ui/approvals"}  # fmt: skip
    refused = client.post(f"/ui/transitions/{request.id}/decide", data=form)
    assert refused.headers["location"] == "/ui/approvals"
    note, error = _note(client)
    assert error and "no decision right" in (note or "")  # the refusal names why
    client.cookies.clear()
    _sign_in(client, world.people[R.ETHICS_COMPLIANCE].email)
    form["csrf"] = _csrf(client, "/ui/approvals")
    assert request.id in client.get("/ui/approvals").text
    approved = client.post(f"/ui/transitions/{request.id}/decide", data=form)
    assert approved.status_code == 303 and "moved to assessed" in (_note(client)[0] or "")


def test_the_audit_page_shows_verification_only_to_audit_readers(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    page = client.get("/ui/audit").text  # this installation has no signing key
    assert "The log does NOT verify" in page and "no signed checkpoint" in page
    client.cookies.clear()
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get("/ui/audit").text
    assert "The log verifies" not in page and "may not audit read" in page


def test_a_refusal_on_a_page_is_a_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    missing = client.get("/ui/systems/sys_nope")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "does not exist" in missing.text
    _assert_headers(missing)
    api = client.get("/api/v1/systems/sys_nope")  # the API keeps problem+json
    assert api.headers["content-type"] == "application/problem+json"


def test_charts_are_server_side_svg_with_names_escaped(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    world.system(name="<script>alert(1)</script>")
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    page = client.get("/ui/").text
    assert page.count("<svg") >= 2 and "<script>alert(1)</script>" not in page
    # no inline script, so the CSP can forbid it: htmx and Charter's own, served by Charter
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/ui/static/vendor/htmx-2.0.11.min.js" defer>',
        '<script src="/ui/static/charter.js" defer>',
    ]


def test_the_system_page_tells_an_inconclusive_check_and_why(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    suite = parse_suite(
        {
            "name": "drift",
            "data": "current.csv",
            "reference": "reference.csv",
            "columns": {"label": "y", "prediction": "p"},
            "checks": [
                {"id": "ks-age", "metric": "ks", "column": "age", "max": 0.1},
                {"id": "w-age", "metric": "wasserstein", "column": "age", "max": 1.0},
            ],
        }
    )
    # a bound across the threshold (0.099 ± 0.002), and a value plainly over its threshold
    found = Aggregates({}, None, "f", "e", {"ks-age": 0.099, "w-age": 2.5}, {"ks-age": 0.002})
    validation.validate(world.ctx, world.actor(R.DATA_SCIENTIST), system, suite, lambda _: found)
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get(f"/ui/systems/{system}").text
    assert "ks-age (0.099 ±2.0e-03, inconclusive)" in page and "w-age (2.500)" in page
    assert 'title="within its error bound (±0.002) of the threshold' in page


def test_the_board_grants_a_waiver_from_the_system_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    raw = {
        "id": "screening-evidence",
        "title": "Evidence before assessment",
        "applies": {"transitions": [{"to": "assessed"}]},
        "requirements": [{"id": "acc", "kind": "evidence", "metric": "accuracy", "min": 0.7}],
    }
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "p"))]
    )
    form = {"policy_id": "screening-evidence", "requirement_id": "acc", "reason": "pilot",
            "measures": "weekly review", "days": "30"}  # fmt: skip
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get(f"/ui/systems/{system}").text
    assert "Requirements you may waive" not in page and "no evidence of accuracy" in page
    forged = client.post(
        f"/ui/systems/{system}/waivers", data={**form, "csrf": _csrf(client, "/ui/")}
    )
    assert forged.headers["location"] == f"/ui/systems/{system}" and _note(client)[1]
    client.cookies.clear()
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    page = client.get(f"/ui/systems/{system}").text
    assert "Requirements you may waive" in page
    granted = client.post(
        f"/ui/systems/{system}/waivers", data={**form, "csrf": _csrf(client, "/ui/")}
    )
    note, error = _note(client)
    assert granted.status_code == 303 and "granted" in (note or "") and not error
    after = client.get(f"/ui/systems/{system}").text
    assert "waived by" in after and "Requirements you may waive" not in after


def test_intake_from_the_form_flags_a_duplicate_and_keeps_input_on_refusal(
    engine: object, ui
) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    form = {
        "title": "Claim triage assistant", "objective_id": world.objective,
        "business_unit_id": world.unit.id,
        "description": "Routes incoming motor claims to the right handling team",
        "kind": ["cost", ""], "amount": ["900,000", ""], "confidence": ["60", "50"],
        "months": "4", "feasibility": "4", "risk": "2", "strategic_fit": "4",
        "skills": "nlp, claims domain", "annex_iii": ["5.b"], "profiling": "true",
        "csrf": _csrf(client, "/ui/use-cases/new"),
    }  # fmt: skip
    assert client.post("/ui/use-cases", data={**form, "csrf": "forged"}).status_code == 403
    done = client.post("/ui/use-cases", data=form)
    assert done.status_code == 303, re.findall(r'class="flash[^"]*"[^>]*>([^<]*)', done.text)
    assert "possible duplicate" in (_note(client)[0] or "")
    page = client.get(done.headers["location"]).text
    assert "Possible duplicate of" in page and world.use_case in page
    assert "high" in page and "900,000" in page  # the screening's tier, the estimate
    created = portfolio.list_use_cases(world.ctx, world.admin, search="Claim triage")
    assert {u.title for u in created} >= {"Claim triage assistant"}
    refused = client.post("/ui/use-cases", data={**form, "amount": ["lots", ""]})
    assert refused.status_code == 422 and "must be a whole number" in refused.text
    assert 'value="Claim triage assistant"' in refused.text  # what was typed stays


def test_portfolio_decisions_in_the_ui_keep_the_rights(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    use_case = world.use_case
    strategy.update_use_case(
        world.ctx, world.actor(R.PROGRAM_MANAGER), use_case, {},
        sponsor_id=world.people[R.EXECUTIVE_SPONSOR].id,
    )  # fmt: skip
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    form = {"decision": "approve", "reason": "go on", "csrf": _csrf(client, "/ui/portfolio")}
    refused = client.post(f"/ui/use-cases/{use_case}/decide", data=form)
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert "Decide</h2>" not in refused.text  # the page again, without a form they may not use
    client.cookies.clear()
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    form["csrf"] = _csrf(client, "/ui/portfolio")
    approved = client.post(f"/ui/use-cases/{use_case}/decide", data=form)
    assert approved.status_code == 303 and "is approved" in (_note(client)[0] or "")
    backwards = {"start": "2027-Q3", "end": "2027-Q1", "csrf": form["csrf"]}
    wrong = client.post(f"/ui/use-cases/{use_case}/plan", data=backwards)
    assert wrong.status_code == 422 and 'value="2027-Q3"' in wrong.text  # kept as typed
    plan = {"start": "2027-Q1", "end": "2027-Q2", "csrf": form["csrf"]}
    planned = client.post(f"/ui/use-cases/{use_case}/plan", data=plan)
    assert planned.status_code == 303 and not _note(client)[1]
    roadmap = client.get("/ui/roadmap").text
    assert "Claims triage assistant" in roadmap and "no AI system linked yet" in roadmap
    weighted = client.get("/ui/portfolio?w_value=0&w_feasibility=1").text
    assert "Ranked with changed weights" in weighted


def test_a_board_meets_and_its_vote_is_the_gate_approval(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system, S.ASSESSED, "ready"
    )
    chair, ethics, caio = (world.people[r].id for r in (R.BOARD_MEMBER, R.ETHICS_COMPLIANCE,
                                                        R.CHIEF_AI_OFFICER))  # fmt: skip
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get(f"/ui/meetings/{world.meeting}").text
    assert "Record attendance" not in page  # only the chair or the secretary records
    client.cookies.clear()
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    csrf = _csrf(client, f"/ui/meetings/{world.meeting}")
    held = client.post(f"/ui/meetings/{world.meeting}/attendance",
                       data={"attendee": [chair, caio], "csrf": csrf})  # fmt: skip
    assert held.status_code == 303 and "required function" in (
        _note(client)[0] or ""
    )  # risk missing
    page = client.get(f"/ui/meetings/{world.meeting}").text
    assert "It may not decide" in page and "Put a motion to the vote" not in page
    second = bodies.schedule_meeting(world.ctx, world.admin, world.body, world.ctx.clock()).id
    client.post(f"/ui/meetings/{second}/attendance",
                data={"attendee": [chair, caio, ethics], "csrf": csrf})  # fmt: skip
    page = client.get(f"/ui/meetings/{second}").text
    assert "Put a motion to the vote" in page and f'hx-get="/ui/pick/agenda:{second}"' in page
    vote = {"subject_kind": "transition", "subject_id": request.id, "outcome": "approve",
            "title": "Assess the system", "reason": "screened by the board",
            "vote": [f"{chair}:for", f"{ethics}:for", f"{caio}:abstain"], "csrf": csrf}  # fmt: skip
    decided = client.post(f"/ui/meetings/{second}/decisions", data=vote)
    note, error = _note(client)
    assert decided.status_code == 303 and "open until" in (note or "") and not error
    assert lifecycle.gate_status(world.ctx, world.admin, request.id)[2] == []
    [open_] = bodies.get_meeting(world.ctx, world.admin, second)[3]
    for role, cast in ((R.ETHICS_COMPLIANCE, "for"), (R.CHIEF_AI_OFFICER, "abstain")):
        client.cookies.clear()  # each member casts their own vote, signed in as themselves
        _sign_in(client, world.people[role].email)
        token = _csrf(client, f"/ui/meetings/{second}")
        client.post(f"/ui/decisions/{open_.id}/vote",
                    data={"vote": cast, "meeting": second, "csrf": token})  # fmt: skip
    note, error = _note(client)
    assert "carried" in (note or "") and not error, (note, error)
    _, _, approvals = lifecycle.gate_status(world.ctx, world.admin, request.id)
    assert [(a.person_id, a.body_decision_id is not None) for a in approvals] == [(ethics, True)]
    assert "screened by the board" in client.get("/ui/bodies?q=board").text


def test_the_inbox_lists_waivable_requirements_and_use_cases_to_decide(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    raw = {
        "id": "screening-evidence",
        "title": "Evidence before assessment",
        "applies": {"transitions": [{"to": "assessed"}]},
        "requirements": [{"id": "acc", "kind": "evidence", "metric": "accuracy", "min": 0.7}],
    }
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "p"))]
    )
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system, S.ASSESSED, "ready"
    )
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get("/ui/approvals").text
    assert request.id in page and "Nothing for you to waive" in page
    assert "No use case awaits your decision" in page
    client.cookies.clear()
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    page = client.get("/ui/approvals").text
    assert "screening-evidence/acc: no evidence of accuracy" in page
    assert "Claims triage assistant" in page  # a submitted use case the board may decide
    form = {"policy_id": "screening-evidence", "requirement_id": "acc", "reason": "pilot",
            "measures": "weekly review", "days": "30", "from": "inbox",
            "csrf": _csrf(client, "/ui/approvals")}  # fmt: skip
    granted = client.post(f"/ui/systems/{system}/waivers", data=form)
    assert granted.headers["location"] == "/ui/approvals"
    assert (_note(client)[0] or "").startswith("waiver")
    assert "Nothing for you to waive" in client.get("/ui/approvals").text
    api = client.get(
        "/api/v1/inbox", headers={"Authorization": f"Bearer {world.tokens[R.BOARD_MEMBER]}"}
    )
    assert [t["id"] for t in api.json()["transitions"]] == [request.id]
    assert [u["title"] for u in api.json()["use_cases"]] == ["Claims triage assistant"]


def test_the_inventory_filters_sorts_and_names_a_bad_filter(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    for name in ("Beta scoring", "Alpha scoring"):
        world.system(name=name)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    page = client.get("/ui/systems?q=scoring&sort=-name").text
    assert page.index("Beta scoring") < page.index("Alpha scoring")
    page = client.get("/ui/systems?q=scoring&sort=name").text
    assert page.index("Alpha scoring") < page.index("Beta scoring")
    assert "Alpha scoring" not in client.get("/ui/systems?tier=high").text
    bad = client.get("/ui/systems?tier=enormous")
    assert bad.status_code == 422 and "no such stage or risk tier" in bad.text


def test_dashboard_freshness_and_the_change_history_for_audit_readers(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    world.advance(system, S.IN_VALIDATION)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    dashboard = client.get("/ui/").text
    row = dashboard[dashboard.index("Evidence freshness") :]
    assert world.system_name(system) in row and ">none<" in row  # in validation, no evidence
    page = client.get(f"/ui/systems/{system}").text
    history = page[page.index("Change history") :]
    assert "system.registered" in history and "transition.requested" in history
    client.cookies.clear()
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get(f"/ui/systems/{system}").text
    assert "shown to audit readers" in page and "system.registered" not in page


def test_a_sent_impact_assessment_is_recorded_from_the_reports_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    from charter.accountability.domain.raci import Activity, RaciLetter
    from charter.accountability.services import raci
    from charter.reports import api as reports_api
    from charter.reports.services import documents, sections

    client, world, system = ui
    caio = world.actor(R.CHIEF_AI_OFFICER)
    texts = {k: "answered" for k in ("a", "b", "c", "d", "e", "f")}
    sections.write_sections(world.ctx, caio, "fria", system, texts)
    accountable = [(world.people[R.PROGRAM_MANAGER].id, RaciLetter.ACCOUNTABLE)]
    raci.set_activity(world.ctx, caio, system, Activity.MONITORING, accountable)
    issued = documents.issue(world.ctx, caio, "fria", system)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    listed = f"/ui/systems/{system}/reports"
    assert "Record the notification of" in client.get(listed).text
    on_page = client.get(f"/ui/systems/{system}").text  # the final is listed on the system page
    finals = on_page[on_page.index("Final documents") :]
    assert f"/ui/issued/{issued.id}/pdf" in finals and issued.pdf_sha256[:16] in finals
    form = {"sent_to": "Market surveillance authority", "reference": "MSA-2026-17"}
    forged = client.post(f"/ui/issued/{issued.id}/submissions", data={**form, "csrf": "forged"})
    assert forged.status_code == 403
    sent = client.post(
        f"/ui/issued/{issued.id}/submissions", data={**form, "csrf": _csrf(client, listed)}
    )
    assert sent.headers["location"] == listed and not _note(client)[1]
    shown = client.get(listed).text
    caio_person = world.people[R.CHIEF_AI_OFFICER]
    assert "MSA-2026-17" in shown and f"recorded by {caio_person.name}" in shown
    assert caio_person.id not in shown  # the sender by name, not by id
    logged = reports_api.issued(world.ctx, caio, system)["submissions"]
    assert [s["sent_by"] for s in logged] == [caio_person.id]  # the JSON keeps the id
    refused = client.post(
        f"/ui/issued/{issued.id}/submissions",
        data={"sent_to": "", "reference": "x", "csrf": _csrf(client, listed)},
    )
    assert refused.status_code == 303 and _note(client)[1]  # a page, naming the problem


def test_an_incident_through_its_pages_keeps_the_rights_and_shows_its_clock(
    engine: object, ui
) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    made = client.post("/ui/incidents", data={
        "system_id": system, "title": "Wrong refusals", "description": "Over 60s refused",
        "reported_by": "a complaint", "aware_at": "2026-01-05T09:00",
        "csrf": _csrf(client, "/ui/incidents"),
    })  # fmt: skip
    assert made.status_code == 303 and made.headers["location"].startswith("/ui/incidents/inc_")
    page = made.headers["location"]
    assert _note(client) == ("incident recorded: classify it next", False)
    assert "Classify (Art. 3(49))" not in client.get(page).text  # not theirs to classify
    refused = client.post(f"{page}/classification", data={
        "categories": "fundamental_rights_infringement", "reason": "age",
        "csrf": _csrf(client, page),
    })  # fmt: skip
    assert refused.status_code == 303 and _note(client)[1]  # refused, and says why
    client.post("/ui/logout", data={"csrf": _csrf(client, "/ui/")})
    _sign_in(client, world.people[R.ETHICS_COMPLIANCE].email)
    client.post(f"{page}/classification", data={
        "categories": "fundamental_rights_infringement", "reason": "age discrimination",
        "csrf": _csrf(client, page),
    })  # fmt: skip
    assert _note(client)[0] == "classified serious: report by 2026-01-20 23:00 UTC"
    assert "Art. 73(2)" in client.get(page).text and "overdue by" in client.get(page).text
    for where in ("/ui/", f"/ui/systems/{system}", "/ui/approvals"):
        shown = client.get(where).text
        assert "Wrong refusals" in shown and "overdue by" in shown, where
    client.post(f"{page}/submissions", data={
        "kind": "initial", "authority": "Market surveillance authority",
        "sent_at": "2026-01-06T10:00", "reference": "MSA-1", "csrf": _csrf(client, page),
    })  # fmt: skip
    officer = world.people[R.ETHICS_COMPLIANCE]
    sent = client.get(page).text
    log = sent[sent.index("Reports to authorities") :]
    assert "MSA-1" in log and f"<td>{officer.name}</td>" in log and officer.id not in log
