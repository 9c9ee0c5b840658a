from __future__ import annotations

import pytest

from charter.accountability.domain.rights import parse_decision_rights
from charter.bootstrap import load_rights
from charter.governance.domain.lifecycle import _FORWARD
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind


def test_default_rights_cover_every_transition_of_the_state_machine() -> None:
    rights = load_rights(None)
    pairs = [(s, t) for s, targets in _FORWARD.items() for t in targets]
    pairs += [(s, S.SUSPENDED) for s in S if s not in (S.SUSPENDED, S.RETIRED)]
    pairs += [(s, S.RETIRED) for s in S if s is not S.RETIRED]
    pairs += [(S.SUSPENDED, s) for s in S if s not in (S.SUSPENDED, S.RETIRED)]
    missing = [(s.value, t.value) for s, t in pairs if rights.for_transition(s, t) is None]
    assert missing == []


def test_deployment_needs_compliance_and_leadership() -> None:
    right = load_rights(None).for_transition(S.IN_VALIDATION, S.APPROVED_FOR_DEPLOYMENT)
    assert right is not None
    assert [s.any_of for s in right.approvals] == [
        {RoleKind.ETHICS_COMPLIANCE},
        {RoleKind.CHIEF_AI_OFFICER, RoleKind.BOARD_MEMBER},
    ]


def test_exact_entries_win_over_wildcards() -> None:
    rights = load_rights(None)
    right = rights.for_transition(S.SUSPENDED, S.RETIRED)
    assert right is not None and right.source == "suspended" and right.target == "retired"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "non-empty list under 'rights'"),
        ({"rights": "x"}, "non-empty list under 'rights'"),
        (
            {"rights": [{"from": "nowhere", "to": "assessed", "request": ["auditor"]}]},
            "unknown lifecycle stage 'nowhere'",
        ),
        ({"rights": [{"from": "proposed", "to": "assessed", "request": ["wizard"]}]}, "wizard"),
        ({"rights": [{"from": "proposed", "to": "assessed", "request": []}]}, "non-empty list"),
        (
            {
                "rights": [
                    {
                        "from": "proposed",
                        "to": "assessed",
                        "request": ["auditor"],
                        "approvals": [{"label": "x", "any_of": []}],
                    }
                ]
            },
            "approval 1",
        ),
    ],
)
def test_malformed_rights_name_the_problem(raw: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_decision_rights(raw)


def test_rights_file_that_is_not_json_is_refused(tmp_path) -> None:
    bad = tmp_path / "rights.json"
    bad.write_text("{not json")
    with pytest.raises(InvalidInput, match="cannot read decision rights"):
        load_rights(bad)
