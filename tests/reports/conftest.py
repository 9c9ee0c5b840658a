"""The demo organisation, built once for the reports and bundle tests, with its signing key
and the credit model's data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.demo.build import Demo, build_demo
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade


@dataclass
class Built:
    demo: Demo
    data: Path
    key: Path

    @property
    def verifier(self) -> str:
        return self.key.with_suffix(".pub").read_text().strip()


@pytest.fixture(scope="package")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    pytest.importorskip("sklearn")
    home = tmp_path_factory.mktemp("demo")
    engine = make_engine(f"sqlite:///{home / 'charter.db'}")
    upgrade(engine)
    key = home / "audit.key"
    create_key(key, "demo.test/audit")
    ctx = context_for(engine, key_file=key)
    yield Built(build_demo(ctx, home / "data"), home / "data", key)
    engine.dispose()
