"""The composition root opens what a use case reaches, when it reaches it: a capability's
repositories on the first one used in a transaction, the context's defaults when first read
(start-up is part of every command, ADR 0002)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from charter.bootstrap import context_for
from charter.config import Settings
from charter.wiring import OPENED_BY, Later, SqlUnitOfWork


def _repositories() -> set[str]:
    """Every repository the unit of work declares."""
    return {name for name in SqlUnitOfWork.__annotations__ if not name.startswith("_")}


def test_every_declared_repository_is_opened_by_exactly_the_opener_named_for_it(
    engine: Engine,
) -> None:
    assert set(OPENED_BY) == _repositories()
    with engine.connect() as conn:
        for opener in set(OPENED_BY.values()):
            opened = opener(conn)
            assert set(opened) == {n for n, o in OPENED_BY.items() if o is opener}, opener


def test_a_transaction_opens_only_the_capabilities_it_reaches(engine: Engine) -> None:
    uow = SqlUnitOfWork(engine)
    with uow:
        assert uow.systems.all() == []
        opened = set(vars(uow)) & _repositories()
        assert opened == {"systems", "models", "model_versions", "datasets", "vendors"}
        assert uow.systems is uow.systems  # opened once per transaction
    with uow:  # the next transaction opens its own, on its own connection
        assert set(vars(uow)) & _repositories() == set()
        assert uow.people.all() == []
    with pytest.raises(AttributeError, match="no attribute 'risks'"):
        _ = uow.risks  # outside a transaction nothing opens
    with uow, pytest.raises(AttributeError, match="no attribute 'sytems'"):
        _ = uow.sytems  # type: ignore[attr-defined]  # a typo is not a repository


def test_every_repository_reads_on_both_databases(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for name in sorted(_repositories()):
            assert getattr(uow, name) is not None, name
        assert uow.units.all() == []


def test_a_later_field_loads_once_when_first_read_and_a_value_given_is_kept() -> None:
    loads: list[int] = []

    @dataclasses.dataclass(frozen=True)
    class Holder:
        numbers: Later[list[int]] = Later(lambda: loads.append(1) or [1, 2])  # noqa: RUF009

    held = Holder()
    assert loads == []
    assert held.numbers == [1, 2]
    assert held.numbers is held.numbers
    assert loads == [1]
    assert Holder([5]).numbers == [5]
    assert Holder(Later(lambda: [7])).numbers == [7]
    assert dataclasses.replace(held).numbers == [1, 2]
    assert loads == [1]


def test_the_contexts_defaults_are_the_shipped_ones(engine: Engine) -> None:
    from charter.monitoring.files import load_rules
    from charter.risks.files import default_model, default_rules

    ctx = context_for(engine)
    assert ctx.risk_model is default_model()
    assert ctx.risk_rules == default_rules()
    assert ctx.monitoring_rules == load_rules(None)
    assert ctx.scoring is not None and ctx.plugins == {}
    assert ctx.checkpoint_copies == ()
    assert ctx.webhook_networks == ()
    assert ctx.passwords is not None and ctx.passwords.verify(ctx.passwords.hash("pw"), "pw")


def test_a_configured_file_that_does_not_read_fails_the_context_at_once(
    engine: Engine, tmp_path: Path
) -> None:
    from charter.kernel.errors import InvalidInput

    bad = Settings.model_construct(monitoring_rules_file=tmp_path / "missing.yaml")
    with pytest.raises(InvalidInput, match="monitoring rules"):
        context_for(engine, settings=bad)
    with pytest.raises(InvalidInput, match="webhook allowed networks"):
        context_for(engine, settings=Settings.model_construct(webhook_allowed_networks="a, b"))
    allowed = Settings.model_construct(webhook_allowed_networks=" 10.0.0.0/8 ")
    assert [str(n) for n in context_for(engine, settings=allowed).webhook_networks] == [
        "10.0.0.0/8"
    ]


PROBE = """
import json, sys
from charter.wiring import Context, SqlUnitOfWork
loaded = sorted({m.split(".")[1] for m in sys.modules if m.startswith("charter.")
                 and m.count(".") >= 1})
print(json.dumps(loaded))
"""


def test_importing_the_composition_root_loads_no_capability() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(__import__("json").loads(done.stdout))
    # the kernel, and identity's two constants the context's defaults name
    assert loaded <= {"kernel", "identity", "wiring"}, loaded
