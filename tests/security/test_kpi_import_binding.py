"""A KPI import records what was previewed: the preview (page or API dry run) gives a digest
of the rows it read, and a confirmation carrying it with other content is refused (409),
nothing recorded; neither the page, the API nor the command line records a file without a
preview's digest at all."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from charter.kernel.roles import RoleKind as R
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
    digest = preview.json()["digest"]
    assert preview.json()["rows"] == 1 and _values(site, kpi) == []  # nothing written
    swapped = site.client.post(f"{url}?digest={digest}", content=other, headers=headers)
    assert swapped.status_code == 409, swapped.text
    assert swapped.json()["field"] == "digest" and _values(site, kpi) == []
    done = site.client.post(f"{url}?digest={digest}", content=shown, headers=headers)
    assert done.status_code == 201, done.text
    assert _values(site, kpi) == [20.0]


def test_the_page_confirms_only_the_rows_it_previewed(site: Site) -> None:
    kpi = _kpi(site)
    site.sign_in(R.CHIEF_AI_OFFICER)
    token = re.search(r'name="csrf" value="([^"]+)"', site.client.get("/ui/kpis").text)
    assert token is not None
    csrf = token.group(1)
    shown = f"kpi_id,period,value\n{kpi},2026-01,20\n"
    upload = {"upload": ("a.csv", shown.encode(), "text/csv")}
    page = site.client.post("/ui/kpis/import/preview", data={"csrf": csrf}, files=upload).text
    found = re.search(r'name="digest" value="([0-9a-f]{64})"', page)
    assert found is not None
    other = f"kpi_id,period,value\n{kpi},2026-01,95\n"
    swapped = site.client.post(
        "/ui/kpis/import", data={"text": other, "digest": found.group(1), "csrf": csrf}
    )
    assert swapped.status_code == 409 and "not the ones previewed" in swapped.text
    unbound = site.client.post("/ui/kpis/import", data={"text": other, "csrf": csrf})
    assert unbound.status_code == 422 and "preview the file first" in unbound.text
    assert _values(site, kpi) == []


def test_the_api_records_a_csv_file_only_with_its_dry_runs_digest(site: Site) -> None:
    """Without a digest the rows are not recorded: 422 naming the field, nothing written."""
    kpi = _kpi(site)
    headers = {**site.auth(R.CHIEF_AI_OFFICER), "Content-Type": "text/csv"}
    rows = f"kpi_id,period,value\n{kpi},2026-01,20\n"
    unbound = site.client.post("/api/v1/measurements/csv", content=rows, headers=headers)
    assert unbound.status_code == 422, unbound.text
    problem = unbound.json()
    assert problem["field"] == "digest" and "preview the file first" in problem["detail"]
    assert problem["errors"] == [{"loc": ["digest"], "msg": "required"}]
    assert _values(site, kpi) == []


def test_the_cli_previews_with_a_dry_run_and_records_only_its_digest(
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
    assert shown["rows"] == 1 and re.fullmatch("[0-9a-f]{64}", shown["digest"])
    assert shown["items"][0]["value"] == 70.0
    unbound = cli("kpi", "import", str(csv), "--as", admin, code=3)
    assert unbound["field"] == "digest" and "--dry-run" in unbound["detail"]
    csv.write_text(f"kpi_id,period,value\n{kpi},2026-01,99\n")  # changed after the preview
    swapped = cli("kpi", "import", str(csv), "--digest", shown["digest"], "--as", admin, code=5)
    assert swapped["field"] == "digest"
    assert cli("kpi", "show", kpi, "--as", admin)["measurements"] == []
    csv.write_text(f"kpi_id,period,value\n{kpi},2026-01,70\n")
    done = cli("kpi", "import", str(csv), "--digest", shown["digest"], "--as", admin)
    assert done["recorded"] == 1
    assert [m["value"] for m in cli("kpi", "show", kpi, "--as", admin)["measurements"]] == [70.0]
