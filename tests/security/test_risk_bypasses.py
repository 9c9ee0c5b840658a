"""Ways around the risk register's gate that are closed: one person waiving the appetite
requirement instead of a body accepting the risk, taking a failing control off a risk,
closing a risk that blocks a live system's gate, an acceptance stretched to a worse
residual, and a CSV export that a spreadsheet would run as formulas."""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.governance.services import policies
from charter.kernel.errors import Conflict, Forbidden
from charter.kernel.roles import RoleKind as R
from charter.risks.domain.standing import Standing
from charter.risks.present import register_csv
from charter.risks.services import controls, register, views
from tests.factory import World
from tests.risks.test_risk_gates import UNFAIR, Clock, _evidence, _gate, _position, setup

__all__ = ["setup"]  # the fixture: a system whose discrimination risk a parity check mitigates
Setup = tuple[World, Clock, str, str]


def test_one_person_cannot_waive_the_appetite_requirement(setup: Setup, tmp_path: Path) -> None:
    w, _, system, _ = setup
    _evidence(w, tmp_path, system, UNFAIR)
    board = w.actor(R.BOARD_MEMBER)
    with pytest.raises(Forbidden, match="cannot be waived"):
        policies.grant_waiver(
            w.ctx, board, system, "residual-risk-within-appetite", "appetite", "I accept it",
            "none", w.ctx.clock().replace(year=w.ctx.clock().year + 1),
        )  # fmt: skip
    assert _gate(w, system)[0] is False


def test_a_failing_control_cannot_be_taken_off_the_risk(setup: Setup, tmp_path: Path) -> None:
    w, _, system, risk = setup
    _evidence(w, tmp_path, system, UNFAIR)
    [(control, _)] = _position(w, risk).controls
    with pytest.raises(Conflict, match="is failing"):
        controls.unlink_control(w.ctx, w.actor(R.CHIEF_AI_OFFICER), risk, control.id, "tidy")
    assert _position(w, risk).standing is Standing.ABOVE


def test_a_risk_blocking_a_live_systems_gate_cannot_be_closed(setup: Setup) -> None:
    w, _, system, risk = setup
    with pytest.raises(Conflict, match="above appetite"):
        register.close_risk(w.ctx, w.actor(R.CHIEF_AI_OFFICER), risk, "no longer relevant")
    assert _gate(w, system)[0] is False


def test_lowering_the_inherent_rating_is_judged_like_any_change(setup: Setup) -> None:
    """A change that claims a lower rating is recorded with its before and after (the audit
    shows who talked the risk down), and the residual follows the rule, not the claim."""
    w, _, _, risk = setup
    caio = w.actor(R.CHIEF_AI_OFFICER)
    register.update_risk(w.ctx, caio, risk, {"target_likelihood": 1, "target_impact": 1}, ())
    assert _position(w, risk).standing is Standing.ABOVE  # the control is still untested


def test_the_csv_export_cannot_carry_formulas(setup: Setup) -> None:
    w, _, _, risk = setup
    caio = w.actor(R.CHIEF_AI_OFFICER)
    register.update_risk(w.ctx, caio, risk, {"title": '=HYPERLINK("http://evil","x")'}, ())
    text = register_csv(views.register(w.ctx, caio))
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
