"""A small file that decompresses to far more than the server can hold (a Parquet "bomb"), or a
run that takes too long, is stopped at the server's limits: a 413 problem+json that names the
limit, nothing recorded; the engine stays confined to the data folder meanwhile."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.config import Settings
from charter.kernel.errors import InvalidInput, OverLimit
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.validation import services as validation
from charter.validation.engines.backend import Limits
from charter.validation.engines.duckdb_backend import DuckDBBackend
from charter.web.app import create_app
from tests.factory import make_world
from tests.security.conftest import Site

BOMB_ROWS = 400_000  # each with a distinct 1,000-character group: ~400 MB to aggregate
SUITE = {
    "name": "bomb",
    "data": "bomb.parquet",
    "columns": {"label": "y", "prediction": "p", "protected": ["g"]},
    "checks": [{"id": "dp", "metric": "demographic_parity_difference", "over": ["g"], "max": 1}],
}


def _bomb(path: Path) -> None:
    """Under a megabyte on disk (zstd), hundreds of megabytes once grouped."""
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT (i % 2)::INT AS y, (i % 2)::INT AS p, "
            "repeat('x', 1000) || i::VARCHAR AS g "
            f"FROM range({BOMB_ROWS}) t(i)) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
        )
    assert path.stat().st_size < 1_000_000


def _site(tmp_path: Path, **limits: float) -> Iterator[Site]:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    key = tmp_path / "keys" / "audit.key"
    create_key(key, "test.example/audit")
    settings = Settings.model_construct(**limits)
    ctx = context_for(engine, key_file=key, settings=settings)
    world = make_world(ctx)
    data = tmp_path / "data"
    data.mkdir()
    with TestClient(create_app(ctx, data_dir=data)) as client:
        yield Site(client, world, tmp_path, data, key)
    engine.dispose()


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Site]:
    """A server allowing a run 64 MB of memory and no spill."""
    yield from _site(tmp_path, validation_memory_mb=64, validation_spill_mb=0)


@pytest.fixture
def hasty(tmp_path: Path) -> Iterator[Site]:
    """A server allowing a run a thousandth of a second (less than opening the engine)."""
    yield from _site(tmp_path, validation_seconds=0.001)


def _run(site: Site) -> tuple[str, object]:
    system = site.world.system()
    response = site.client.post(
        f"/api/v1/systems/{system.id}/validations",
        json={"suite": SUITE},
        headers=site.auth(R.DATA_SCIENTIST),
    )
    return system.id, response


def test_a_parquet_bomb_is_stopped_at_the_memory_limit_nothing_recorded(small: Site) -> None:
    _bomb(small.data / "bomb.parquet")
    system, response = _run(small)
    assert response.status_code == 413, response.text  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert problem["code"] == "over-limit" and problem["limit"] == "memory"
    assert "CHARTER_VALIDATION_MEMORY_MB" in problem["detail"]
    assert validation.system_evidence(small.world.ctx, small.world.admin, system) == []


def test_a_run_over_its_time_is_stopped_nothing_recorded(hasty: Site) -> None:
    with duckdb.connect() as con:  # one row: the time is up before it is read
        con.execute(
            "COPY (SELECT 1 AS y, 1 AS p, 'a' AS g) "
            f"TO '{hasty.data / 'bomb.parquet'}' (FORMAT parquet)"
        )
    system, response = _run(hasty)
    assert response.status_code == 413, response.text  # type: ignore[attr-defined]
    assert response.json()["limit"] == "time"  # type: ignore[attr-defined]
    assert "CHARTER_VALIDATION_SECONDS" in response.json()["detail"]  # type: ignore[attr-defined]
    assert validation.system_evidence(hasty.world.ctx, hasty.world.admin, system) == []


def test_a_query_running_when_the_time_is_up_is_interrupted(tmp_path: Path) -> None:
    """A query that would run for hours (10^13 rows) ends only because the timer stops it."""
    with DuckDBBackend([tmp_path], Limits(seconds=0.5)) as duck:
        with pytest.raises(OverLimit) as refused:
            duck.rows("SELECT sum(i) FROM range(10000000000000) t(i)", "the endless sum")
        assert duck.expired.is_set()
    assert refused.value.details["limit"] == "time"


def test_the_limits_are_set_and_locked_with_the_file_lockdown(tmp_path: Path) -> None:
    limits = Limits(memory_mb=100, threads=1, spill_mb=0, seconds=60)
    with DuckDBBackend([tmp_path], limits) as duck:
        found = dict(duck.rows(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', "
            "'threads', 'max_temp_directory_size', 'enable_external_access', "
            "'lock_configuration')", "settings",
        ))  # fmt: skip
        assert found["threads"] == "1" and found["enable_external_access"] == "false"
        assert found["lock_configuration"] == "true"
        assert re.match(r"9\d\.\d MiB|100\.0 MB", found["memory_limit"]), found
        assert found["max_temp_directory_size"].startswith("0")
        with pytest.raises(InvalidInput):  # the configuration is locked
            duck.rows("SET memory_limit = '10GB'", "raising the limit")
        assert (
            duck.rows("SELECT current_setting('memory_limit')", "again")[0][0]
            == (found["memory_limit"])
        )


def test_the_ui_upload_of_a_bomb_is_refused_with_the_form_kept(small: Site) -> None:
    _bomb(small.home / "bomb.parquet")
    system = small.world.system()
    small.sign_in(R.DATA_SCIENTIST)
    page = small.client.get(f"/ui/systems/{system.id}/validations/new").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    text = "name: bomb\ndata: bomb.parquet\ncolumns: {label: y, prediction: p, protected: [g]}\n"
    text += "checks:\n  - {id: dp, metric: demographic_parity_difference, over: [g], max: 1}\n"
    upload = {"data": ("bomb.parquet", (small.home / "bomb.parquet").read_bytes())}
    refused = small.client.post(
        f"/ui/systems/{system.id}/validations",
        data={"suite": text, "csrf": token.group(1)},
        files=upload,
    )
    assert refused.status_code == 413
    assert "CHARTER_VALIDATION_MEMORY_MB" in refused.text and "name: bomb" in refused.text
    assert validation.system_evidence(small.world.ctx, small.world.admin, system.id) == []
