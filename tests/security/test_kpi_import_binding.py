"""A KPI import records what the server previewed: the preview (page, API dry run, command
line) is kept by the server, bound to its person, for 30 minutes, once, and gives them its
secret key; a confirmation with other rows, another person's key, an expired or used one,
or a digest the client computed itself is refused (409/422), nothing recorded (review F5:
the rows' digest alone was computable by the client, so a confirmation step, not a
control)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from charter.kernel.roles import RoleKind as R
from charter.strategy.domain.kpis import parse_csv, readings_digest
from charter.strategy.services import kpis
from tests.security.conftest import Site
from tests.web.test_api_access import _kpi_body


def _kpi(site: Site) -> str:
    w = site.world
    return kpis.define_kpi(w.ctx, w.actor(R.CHIEF_AI_OFFICER), **_kpi_body(w)).id


def _values(site: Site, kpi_id: str) -> list[float]:
    with site.world.ctx.uow() as uow:
        return sorted(m.value for m in uow.measurements.all(kpi_id=kpi_id))


def test_the_api_confirms_only_the_rows_its_dry_run_read(site: Site) -> None:
    kpi = _kpi(site)
    headers = {**site.auth(R.CHIEF_AI_OFFICER), "Content-Type": "text/csv"}
    shown = f"kpi_id,period,value\n{kpi},2026-01,20\n"
    other = f"kpi_id,period,value\n{kpi},2026-01,95\n"
    url = "/api/v1/measurements/csv"
    preview = site.client.post(f"{url}?dry_run=true", content=shown, headers=headers)
    assert preview.status_code == 200, preview.text
    key = preview.json()["preview"]
    assert preview.json()["rows"] == 1 and _values(site, kpi) == []  # nothing written
    swapped = site.client.post(f"{url}?preview={key}", content=other, headers=headers)
    assert swapped.status_code == 409, swapped.text
    assert swapped.json()["field"] == "preview" and _values(site, kpi) == []
    done = site.client.post(f"{url}?preview={key}", content=shown, headers=headers)
    assert done.status_code == 201, done.text
    assert _values(site, kpi) == [20.0]
    again = site.client.post(f"{url}?preview={key}", content=shown, headers=headers)
    assert again.status_code == 409, again.text  # once


def test_a_digest_the_client_computes_records_nothing(site: Site) -> None:
    """The attack of review F5: the rows' digest is public arithmetic, so a client that
    presents one it computed over rows nobody previewed must not record them."""
    kpi = _kpi(site)
    headers = {**site.auth(R.CHIEF_AI_OFFICER), "Content-Type": "text/csv"}
    rows = f"kpi_id,period,value\n{kpi},2026-01,95\n"
    forged = readings_digest(parse_csv(rows))
    url = "/api/v1/measurements/csv"
    for query in (f"digest={forged}", f"preview={forged}", f"preview={forged[:43]}",
                  f"digest={forged}&preview={'A' * 43}"):  # fmt: skip
        sent = site.client.post(f"{url}?{query}", content=rows, headers=headers)
        assert sent.status_code in (409, 422), (query, sent.text)
    assert _values(site, kpi) == []
    site.sign_in(R.CHIEF_AI_OFFICER)
    csrf = _csrf(site)
    for field in ("digest", "preview"):
        page = site.client.post("/ui/kpis/import", data={"text": rows, field: forged,
                                                         "csrf": csrf})  # fmt: skip
        assert page.status_code in (409, 422), page.text
    assert _values(site, kpi) == []


def test_a_preview_is_its_persons_only_and_expires(site: Site) -> None:
    kpi = _kpi(site)
    url = "/api/v1/measurements/csv"
    rows = f"kpi_id,period,value\n{kpi},2026-01,20\n"
    mine = {**site.auth(R.CHIEF_AI_OFFICER), "Content-Type": "text/csv"}
    other = {**site.auth(R.PROGRAM_MANAGER), "Content-Type": "text/csv"}
    key = site.client.post(f"{url}?dry_run=true", content=rows, headers=mine).json()["preview"]
    stolen = site.client.post(f"{url}?preview={key}", content=rows, headers=other)
    assert stolen.status_code == 409 and _values(site, kpi) == [], stolen.text
    with site.world.ctx.uow() as uow:  # the preview's 30 minutes have passed
        held = uow.kpi_previews.all(actor=site.world.people[R.CHIEF_AI_OFFICER].id)
        assert len(held) == 1 and held[0].id != key  # the key itself is not stored
        uow.kpi_previews.update(replace(held[0], expires_at=held[0].created_at))
        uow.commit()
    late = site.client.post(f"{url}?preview={key}", content=rows, headers=mine)
    assert late.status_code == 409 and "expired" in late.json()["detail"], late.text
    assert _values(site, kpi) == []


def _csrf(site: Site) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', site.client.get("/ui/kpis").text)
    assert token is not None
    return token.group(1)


def test_the_page_confirms_only_the_rows_it_previewed(site: Site) -> None:
    kpi = _kpi(site)
    site.sign_in(R.CHIEF_AI_OFFICER)
    token = re.search(r'name="csrf" value="([^"]+)"', site.client.get("/ui/kpis").text)
    assert token is not None
    csrf = token.group(1)
    shown = f"kpi_id,period,value\n{kpi},2026-01,20\n"
    upload = {"upload": ("a.csv", shown.encode(), "text/csv")}
    page = site.client.post("/ui/kpis/import/preview", data={"csrf": csrf}, files=upload).text
    found = re.search(r'name="preview" value="([A-Za-z0-9_-]{43})"', page)
    assert found is not None
    other = f"kpi_id,period,value\n{kpi},2026-01,95\n"
    swapped = site.client.post(
        "/ui/kpis/import", data={"text": other, "preview": found.group(1), "csrf": csrf}
    )
    assert swapped.status_code == 409 and "not the ones previewed" in swapped.text
    unbound = site.client.post("/ui/kpis/import", data={"text": other, "csrf": csrf})
    assert unbound.status_code == 422 and "preview the file first" in unbound.text
    assert _values(site, kpi) == []


def test_the_api_records_a_csv_file_only_with_its_dry_runs_preview(site: Site) -> None:
    """Without a preview the rows are not recorded: 422 naming the field, nothing written."""
    kpi = _kpi(site)
    headers = {**site.auth(R.CHIEF_AI_OFFICER), "Content-Type": "text/csv"}
    rows = f"kpi_id,period,value\n{kpi},2026-01,20\n"
    unbound = site.client.post("/api/v1/measurements/csv", content=rows, headers=headers)
    assert unbound.status_code == 422, unbound.text
    problem = unbound.json()
    assert problem["field"] == "preview" and "preview the file first" in problem["detail"]
    assert problem["errors"] == [{"loc": ["preview"], "msg": "required"}]
    assert _values(site, kpi) == []


def test_the_cli_previews_with_a_dry_run_and_records_only_its_preview(
    cli: Any, tmp_path: Path
) -> None:
    admin = "root@example.org"
    cli("init", "--name", "Root", "--email", admin)
    cli("units", "create", "Retail", "--as", admin)
    cli("roles", "assign", admin, "chief_ai_officer", "--as", admin)
    system = cli(
        "systems", "register", "Credit", "--purpose", "Scores", "--business-unit", "Retail",
        "--as", admin,
    )  # fmt: skip
    kpi = cli(
        "kpi", "define", "--name", "Approvals", "--unit", "%", "--direction", "increase",
        "--target", "80", "--owner", admin, "--system", system["id"], "--as", admin,
    )["id"]  # fmt: skip
    csv = tmp_path / "kpis.csv"
    csv.write_text(f"kpi_id,period,value\n{kpi},2026-01,70\n")
    shown = cli("kpi", "import", str(csv), "--dry-run", "--as", admin)
    assert shown["rows"] == 1 and re.fullmatch("[A-Za-z0-9_-]{43}", shown["preview"])
    assert shown["items"][0]["value"] == 70.0
    unbound = cli("kpi", "import", str(csv), "--as", admin, code=3)
    assert unbound["field"] == "preview" and "--dry-run" in unbound["detail"]
    csv.write_text(f"kpi_id,period,value\n{kpi},2026-01,99\n")  # changed after the preview
    swapped = cli("kpi", "import", str(csv), "--preview", shown["preview"], "--as", admin, code=5)
    assert swapped["field"] == "preview"
    forged = cli("kpi", "import", str(csv), "--preview", shown["digest"], "--as", admin, code=5)
    assert forged["field"] == "preview"
    assert cli("kpi", "show", kpi, "--as", admin)["measurements"] == []
    csv.write_text(f"kpi_id,period,value\n{kpi},2026-01,70\n")
    done = cli("kpi", "import", str(csv), "--preview", shown["preview"], "--as", admin)
    assert done["recorded"] == 1
    assert [m["value"] for m in cli("kpi", "show", kpi, "--as", admin)["measurements"]] == [70.0]
