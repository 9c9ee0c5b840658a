"""The strategy API on the demo data: portfolio, what-if weights, intake with duplicates,
roadmap findings, KPIs, CSV import (all or nothing) and value short of plan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.bootstrap import context_for
from charter.demo.build import build_demo
from charter.identity.services import access
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app


@pytest.fixture(scope="module")
def demo_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Any]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo')}/demo.db")
    upgrade(engine)
    ctx = context_for(engine)
    demo = build_demo(ctx)  # no data folder: the portfolio does not need the trained model
    tokens = {
        key: access.create_token(ctx, access.actor_for(ctx, demo.ids[key]), None, "tests")[1]
        for key in ("amara", "farid", "xavier")
    }
    with TestClient(create_app(ctx)) as client:
        yield client, tokens
    engine.dispose()


def _get(client: TestClient, token: str, path: str) -> Any:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_portfolio_is_ranked_placed_and_balanced(demo_api) -> None:  # type: ignore[no-untyped-def]
    client, tokens = demo_api
    found = _get(client, tokens["amara"], "/api/v1/portfolio")
    items = found["items"]
    assert len(items) >= 20
    assert {i["score"]["quadrant"] for i in items} >= {
        "quick_win", "transformational", "strategic_bet", "drop",
    }  # fmt: skip
    ranks = [i["rank"] for i in items if i["rank"] is not None]
    assert ranks == sorted(ranks) and len(ranks) > len(set(ranks))  # ties share a rank
    unscored = [i for i in items if i["rank"] is None]
    assert unscored and all(i["score"]["total"] is None for i in unscored)
    assert unscored[0]["score"]["missing"] == ["value"] and unscored[0]["expected_value"] is None
    totals = [i["score"]["total"] for i in items if i["score"]["total"] is not None]
    assert totals == sorted(totals, reverse=True)
    assert {b["key"] for b in found["balance"]["horizon"]} >= {"now", "next", "later"}
    by_unit = found["balance"]["business_unit"]
    assert sum(b["use_cases"] for b in by_unit) == len(items)
    # what if feasibility mattered most: a hard transformational bet falls down the ranking
    feasible = _get(client, tokens["amara"], "/api/v1/portfolio?weight=feasibility:5")
    order = [i["title"] for i in items]
    reweighted = [i["title"] for i in feasible["items"]]
    assert order != reweighted
    assert reweighted.index("Underwriting copilot") > order.index("Underwriting copilot")


def test_intake_flags_a_near_duplicate_of_the_demo_portfolio(demo_api) -> None:  # type: ignore[no-untyped-def]
    client, tokens = demo_api
    objectives = _get(client, tokens["farid"], "/api/v1/objectives")["items"]
    units = _get(client, tokens["farid"], "/api/v1/business-units")["items"]
    body = {
        "title": "Faster consumer credit decision",
        "description": "Score personal loan and card applications in seconds",
        "objective_id": objectives[0]["id"],
        "business_unit_id": next(u["id"] for u in units if u["name"] == "Retail Banking"),
        "estimates": [{"kind": "revenue", "amount": 1_000_000, "confidence": 50}],
    }
    headers = {"Authorization": f"Bearer {tokens['farid']}"}
    created = client.post("/api/v1/use-cases", json=body, headers=headers)
    assert created.status_code == 201
    [duplicate] = created.json()["possible_duplicates"]
    assert duplicate["title"] == "Faster consumer credit decisions"
    assert duplicate["similarity"] >= 0.5
    other = body | {"title": "Mortgage document checks", "description": "Check payslips"}
    assert (
        client.post("/api/v1/use-cases", json=other, headers=headers).json()["possible_duplicates"]
        == []
    )
    auditor = {"Authorization": f"Bearer {tokens['xavier']}"}
    assert client.post("/api/v1/use-cases", json=body, headers=auditor).status_code == 403


def test_the_roadmap_names_plan_problems(demo_api) -> None:  # type: ignore[no-untyped-def]
    client, tokens = demo_api
    items = _get(client, tokens["amara"], "/api/v1/roadmap")["items"]
    starts = [i["start_quarter"] for i in items if i["start_quarter"]]
    assert starts == sorted(starts)
    findings = [f for i in items for f in i["findings"]]
    assert any("before its dependency" in f for f in findings)
    assert any("no AI system linked yet" in f for f in findings)
    copilot = next(i for i in items if i["title"] == "Underwriting copilot")
    assert copilot["systems"][0]["stage"] == "in_validation"


def test_kpis_value_and_a_csv_import_all_or_nothing(demo_api) -> None:  # type: ignore[no-untyped-def]
    client, tokens = demo_api
    kpis = _get(client, tokens["amara"], "/api/v1/kpis")["items"]
    year = [k for k in kpis if len(k["measurements"]) == 12]
    assert len(year) >= 8
    value = _get(client, tokens["amara"], "/api/v1/value")
    assert any(line["shortfall"] > 0 for line in value["use_cases"])
    assert any(line["shortfall"] < 0 for line in value["use_cases"])  # one beats its plan
    assert value["alerts"] and all(a["missed"] >= 1 for a in value["alerts"])
    assert all(u["net_return"] is not None for u in value["business_units"])
    kpi = year[0]["id"]
    headers = {"Authorization": f"Bearer {tokens['amara']}", "Content-Type": "text/csv"}
    bad = f"kpi_id,period,value\n{kpi},2020-01,5\n{kpi},2020-02,five\n"
    refused = client.post("/api/v1/measurements/csv", content=bad, headers=headers)
    assert refused.status_code == 422 and "line 3" in refused.json()["detail"]
    assert len(_get(client, tokens["amara"], f"/api/v1/kpis/{kpi}")["measurements"]) == 12
    good = f"kpi_id,period,value,note\n{kpi},2020-01,5,pilot\n{kpi},2020-02,6,\n"
    url = "/api/v1/measurements/csv"
    shown = client.post(f"{url}?dry_run=true", content=good, headers=headers).json()
    done = client.post(f"{url}?preview={shown['preview']}", content=good, headers=headers)
    assert done.status_code == 201 and done.json()["recorded"] == 2
    assert len(_get(client, tokens["amara"], f"/api/v1/kpis/{kpi}")["measurements"]) == 14
