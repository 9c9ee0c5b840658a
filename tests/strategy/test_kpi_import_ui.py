"""KPI measurements from a CSV file in the web UI: a preview that writes nothing, then the
rows recorded all or none through the service the API calls (same right, same audit event);
a refusal shows the preview again, naming the role it needs and who holds it."""

from __future__ import annotations

import re

from charter.audit import services as audit
from charter.kernel.roles import RoleKind as R
from charter.strategy.domain.kpis import parse_csv, readings_digest
from charter.strategy.services import kpis
from tests.web.test_ui import _csrf, _note, _sign_in, ui

__all__ = ["ui"]  # the fixture these tests build on


def _kpi(world) -> str:  # type: ignore[no-untyped-def]
    return kpis.define_kpi(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), name="Claims routed automatically",
        unit="%", direction="increase", target=60.0, baseline=10.0,
        owner_id=world.people[R.CHIEF_AI_OFFICER].id, use_case_id=world.use_case,
    ).id  # fmt: skip


def _preview(page: str) -> str:
    """The key of the server's preview a page carries to its confirmation."""
    found = re.search(r'name="preview" value="([A-Za-z0-9_-]{43})"', page)
    assert found is not None
    return found.group(1)


def _series(world, kpi_id: str) -> list[float]:  # type: ignore[no-untyped-def]
    view = next(v for v in kpis.kpi_views(world.ctx, world.admin) if v.kpi.id == kpi_id)
    return [m.value for m in view.series]


def test_a_csv_is_previewed_then_recorded_all_or_none(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    kpi_id = _kpi(world)
    cao = world.people[R.CHIEF_AI_OFFICER]
    _sign_in(client, cao.email)
    token = _csrf(client, "/ui/kpis")
    text = (
        f"kpi_id,period,value,note\n{kpi_id},2026-01,20,first\n{kpi_id},2026-02,25,\n"
        "kpi_x,2026-02,1,\n"
    )
    upload = {"upload": ("m.csv", text.encode(), "text/csv")}
    preview = client.post("/ui/kpis/import/preview", data={"csrf": token}, files=upload)
    assert preview.status_code == 422 and "Claims routed automatically" in preview.text
    assert "no KPI of that id you may read" in preview.text and "kpi_x" in preview.text
    assert "Record 3 measurements" not in preview.text  # refused at once: nothing to confirm
    assert _series(world, kpi_id) == []  # nothing written by the preview
    refused = client.post("/ui/kpis/import", data={"text": text, "csrf": token})
    assert refused.status_code == 422 and "kpi_x" in refused.text  # the rows, saying why
    assert _series(world, kpi_id) == []  # all or none
    good = text.rsplit("kpi_x", 1)[0]
    upload = {"upload": ("m.csv", good.encode(), "text/csv")}
    shown = _preview(
        client.post("/ui/kpis/import/preview", data={"csrf": token}, files=upload).text
    )
    done = client.post("/ui/kpis/import", data={"text": good, "preview": shown, "csrf": token})
    assert done.status_code == 303 and _note(client) == (
        "2 measurements recorded from the CSV file",
        False,
    )
    assert _series(world, kpi_id) == [20.0, 25.0]
    event = audit.entity_history(world.ctx, world.admin, "kpi", kpi_id)[-1].body()
    assert (event["action"], event["actor"], event["data"]["source"]) == (
        "kpi.measured",
        cao.id,
        "ui_csv",
    )
    changed = {"upload": ("m.csv", good.replace(",25,", ",30,").encode())}
    again = client.post("/ui/kpis/import/preview", data={"csrf": token}, files=changed)
    assert "unchanged" in again.text and "corrects 25" in again.text


def test_a_csv_import_is_refused_to_those_who_may_not_measure(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    kpi_id = _kpi(world)
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    token = _csrf(client, "/ui/kpis")
    text = f"kpi_id,period,value\n{kpi_id},2026-01,20\n"
    shown = readings_digest(parse_csv(text))  # what anyone can compute: not a preview's key
    refused = client.post("/ui/kpis/import", data={"text": text, "preview": shown, "csrf": token})
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert world.people[R.CHIEF_AI_OFFICER].name in refused.text
    assert _series(world, kpi_id) == []
    bad = client.post("/ui/kpis/import/preview", data={"csrf": token},
                      files={"upload": ("m.csv", b"kpi,when\n")})  # fmt: skip
    note, error = _note(client)
    assert bad.status_code == 303 and error and "lacks column(s)" in str(note)


def test_a_refused_measurement_comes_back_as_typed(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    kpi_id = _kpi(world)
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    token = _csrf(client, "/ui/kpis")
    typed = {"period": "2026-01", "value": "1,250.5", "note": "from the March pack"}
    refused = client.post(f"/ui/kpis/{kpi_id}/measurements", data=typed | {"csrf": token})
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert world.people[R.CHIEF_AI_OFFICER].name in refused.text
    form = refused.text.split(f'action="/ui/kpis/{kpi_id}/measurements"')[0].rsplit("<details", 1)
    assert form[1].startswith(" open>")  # the refused form is shown open
    for value in typed.values():
        assert f'value="{value}"' in refused.text
    assert _series(world, kpi_id) == []
