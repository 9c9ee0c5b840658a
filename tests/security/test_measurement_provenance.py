"""A KPI measurement's provenance is the server's record: who entered it (the signed-in
person or token) and through which interface; what a caller writes about where the figures
came from is kept apart, labelled as their word, never as the provenance (review F5: the
API took a free-text `source` and stored it as the provenance)."""

from __future__ import annotations

import re

from charter.kernel.roles import RoleKind as R
from charter.strategy.services import kpis
from tests.security.conftest import Site
from tests.web.test_api_access import _kpi_body


def _kpi(site: Site) -> str:
    w = site.world
    return kpis.define_kpi(w.ctx, w.actor(R.CHIEF_AI_OFFICER), **_kpi_body(w)).id


def test_the_api_records_who_and_how_and_keeps_the_callers_word_apart(site: Site) -> None:
    kpi = _kpi(site)
    caio = site.world.people[R.CHIEF_AI_OFFICER]
    headers = site.auth(R.CHIEF_AI_OFFICER)
    for month, claimed in (("2026-01", "ui"), ("2026-02", "demo"), ("2026-03", "SAP BW export")):
        body = {"measurements": [{"kpi_id": kpi, "period": month, "value": 50}],
                "source": claimed}  # fmt: skip
        sent = site.client.post("/api/v1/measurements", json=body, headers=headers)
        assert sent.status_code == 201, sent.text
        item = sent.json()["items"][0]
        assert (item["source"], item["stated_source"], item["recorded_by"]) == (
            "api", claimed, caio.id)  # fmt: skip
    stated = {"measurements": [{"kpi_id": kpi, "period": "2026-04", "value": 51}],
              "stated_source": "finance report Q1"}  # fmt: skip
    assert site.client.post("/api/v1/measurements", json=stated, headers=headers).json()[
        "items"][0]["stated_source"] == "finance report Q1"  # fmt: skip
    read = site.client.get(f"/api/v1/kpis/{kpi}", headers=headers).json()["measurements"]
    assert [(m["source"], m["recorded_by"]) for m in read] == [("api", caio.id)] * 4
    assert read[2]["stated_source"] == "SAP BW export"


def test_each_interface_is_recorded_as_itself(site: Site) -> None:
    kpi = _kpi(site)
    headers = {**site.auth(R.CHIEF_AI_OFFICER), "Content-Type": "text/csv"}
    url = "/api/v1/measurements/csv"
    rows = f"kpi_id,period,value\n{kpi},2026-01,20\n"
    key = site.client.post(f"{url}?dry_run=true", content=rows, headers=headers).json()
    assert site.client.post(f"{url}?preview={key['preview']}", content=rows,
                            headers=headers).status_code == 201  # fmt: skip
    site.sign_in(R.CHIEF_AI_OFFICER)
    page = site.client.get("/ui/kpis").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    typed = {"period": "2026-02", "value": "21", "note": "from the dashboard",
             "csrf": token.group(1)}  # fmt: skip
    site.client.post(f"/ui/kpis/{kpi}/measurements", data=typed)
    with site.world.ctx.uow() as uow:
        found = sorted(uow.measurements.all(kpi_id=kpi), key=lambda m: m.period)
    assert [(m.source, m.stated_source) for m in found] == [("api_csv", ""), ("ui", "")]


def test_the_kpi_page_shows_who_entered_each_figure_and_how(site: Site) -> None:
    kpi = _kpi(site)
    body = {"measurements": [{"kpi_id": kpi, "period": "2026-01", "value": 50}],
            "source": "Entered on the web page by the CFO"}  # fmt: skip
    site.client.post("/api/v1/measurements", json=body, headers=site.auth(R.PROGRAM_MANAGER))
    site.sign_in(R.CHIEF_AI_OFFICER)
    page = site.client.get("/ui/kpis").text
    row = re.search(r"<tr><td>Jan 2026</td>.*?</tr>", page)
    assert row is not None, page
    cells = re.findall(r"<td>(.*?)</td>", row.group(0))
    pm = site.world.people[R.PROGRAM_MANAGER].name
    assert cells[2].startswith(pm) and cells[3] == "the API", cells
    assert cells[4] == "Entered on the web page by the CFO"  # shown as the caller's word
    assert "Source stated" in page and "not checked" in page
