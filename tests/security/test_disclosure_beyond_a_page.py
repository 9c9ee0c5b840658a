"""Issue 23: the people page now counts systems per unit in the database and names role
scopes by id; a reader scoped to one business unit still learns neither the count nor the
names of another unit's systems, however many there are."""

from __future__ import annotations

from charter.accountability.services import org
from charter.identity.services import sessions
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from tests.accountability.test_beyond_a_page import MANY, _many_systems, _unit_row
from tests.web.test_ui import PASSWORD, _sign_in

SECRET = "Claims fraud scorer"


def test_a_unit_reader_sees_no_other_units_systems_on_the_people_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    theirs = _many_systems(world, MANY, world.other_unit, SECRET)
    org.assign_role(world.ctx, world.admin, world.people[R.DATA_SCIENTIST].id,
                    R.DATA_SCIENTIST, ScopeKind.SYSTEM, theirs[-1])  # fmt: skip
    rita = world.person("Rita Retail", R.AI_CHAMPION, scope=ScopeKind.BUSINESS_UNIT,
                        scope_id=world.unit.id)  # fmt: skip
    sessions.set_password(world.ctx, world.admin, rita.id, PASSWORD)
    _sign_in(client, rita.email)
    html = client.get("/ui/people").text
    assert _unit_row(html, world.other_unit.name)[1] == 0
    assert _unit_row(html, world.unit.name)[1] >= 1
    assert SECRET not in html
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)  # the control: they do show
    html = client.get("/ui/people").text
    assert _unit_row(html, world.other_unit.name)[1] == MANY and SECRET in html
