"""Evidence says where its data came from: the server's data folder (the API), a file uploaded
with the page, or the caller's own process (`charter validate`); the API and the system's
evidence history show it, and the audit event records it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from charter.kernel.roles import RoleKind as R
from tests.security.conftest import Site

ROWS = "y,p\n1,1\n0,0\n1,1\n0,1\n"
SUITE = {
    "name": "routing",
    "data": "scored.csv",
    "columns": {"label": "y", "prediction": "p"},
    "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
}
TEXT = "name: routing\ndata: scored.csv\ncolumns: {label: y, prediction: p}\n"
TEXT += "checks:\n  - {id: acc, metric: accuracy, min: 0.5}\n"


def _history(site: Site, system: str) -> list[str | None]:
    listed = site.client.get(
        f"/api/v1/systems/{system}/evidence", headers=site.auth(R.DATA_SCIENTIST)
    )
    assert listed.status_code == 200, listed.text
    return sorted(e["provenance"] for e in listed.json()["items"])


def test_the_api_run_and_the_uploaded_file_are_told_apart(site: Site) -> None:
    system = site.world.system().id
    (site.data / "scored.csv").write_text(ROWS)
    made = site.client.post(
        f"/api/v1/systems/{system}/validations", json={"suite": SUITE},
        headers=site.auth(R.DATA_SCIENTIST),
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["provenance"] == "data_folder", made.text
    site.sign_in(R.DATA_SCIENTIST)
    page = site.client.get(f"/ui/systems/{system}/validations/new").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    upload = {"data": ("mine.csv", ROWS.encode(), "text/csv")}
    site.client.post(f"/ui/systems/{system}/validations",
                     data={"suite": TEXT, "csrf": token.group(1)}, files=upload)  # fmt: skip
    assert _history(site, system) == ["data_folder", "upload"]
    shown = site.client.get(f"/ui/systems/{system}").text
    assert "from the data folder" in shown and "from an uploaded file" in shown
    with site.world.ctx.uow() as uow:
        events = [e.body() for e in uow.audit.for_entity("system", system)]
    recorded = [e["data"]["provenance"] for e in events if e["action"] == "evidence.recorded"]
    assert sorted(recorded) == ["data_folder", "upload"]


def test_a_run_in_the_caller_s_process_is_marked_local(cli: Any, tmp_path: Path) -> None:
    admin = "root@example.org"
    cli("init", "--name", "Root", "--email", admin)
    unit = cli("units", "create", "Retail", "--as", admin)
    person = cli("people", "create", "Dee", "ds@example.org", "--as", admin)
    cli("roles", "assign", person["id"], "data_scientist", "--as", admin)
    system = cli("systems", "register", "Credit", "--purpose", "p",
                 "--business-unit", unit["id"], "--as", "ds@example.org")  # fmt: skip
    (tmp_path / "scored.csv").write_text(ROWS)
    (tmp_path / "suite.yaml").write_text(TEXT)
    suite = str(tmp_path / "suite.yaml")
    made = cli("validate", suite, "--system", system["id"], "--as", "ds@example.org")
    assert made["provenance"] == "local"
