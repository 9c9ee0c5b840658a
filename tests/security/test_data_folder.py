"""Item 1: nothing outside the data folder, and no secret file inside it, is read through a
validation suite; the engine's own error text never reaches the client."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import pytest

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.duckdb_backend import DuckDBBackend
from charter.validation.engines.runner import run_suite
from tests.security.conftest import Site

SECRET = "PRIVATE+KEY"  # how every signing key file begins


def _suite(data: Any, protected: list[str] | None = None) -> dict[str, Any]:
    checks: list[dict[str, Any]] = [{"id": "acc", "metric": "accuracy", "min": 0.5}]
    if protected:
        checks.append(
            {"id": "dp", "metric": "demographic_parity_difference", "over": protected, "max": 1}
        )
    return {
        "name": "s",
        "data": data,
        "columns": {"label": "y", "prediction": "p", "protected": protected or []},
        "checks": checks,
    }


def _validate(site: Site, suite: dict[str, Any]) -> Any:
    system = site.world.system()
    return site.client.post(
        f"/api/v1/systems/{system.id}/validations",
        json={"suite": suite},
        headers=site.auth(R.DATA_SCIENTIST),
    )


def _evil_database(path: Path, source: str, column: str = "content") -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            f"CREATE VIEW stolen AS SELECT {column} AS content, 1 AS y, 1 AS p FROM {source}"
        )


def test_a_view_in_a_database_of_the_folder_cannot_read_the_signing_key(site: Site) -> None:
    _evil_database(site.data / "evil.duckdb", f"read_text('{site.key}')")
    response = _validate(site, _suite({"table": "stolen", "database": "evil.duckdb"}, ["content"]))
    assert response.status_code == 422, response.text
    assert SECRET not in response.text
    assert "view" in response.json()["detail"]


def test_a_view_over_a_symlink_leaving_the_folder_is_refused(site: Site) -> None:
    (site.data / "key.csv").symlink_to(site.key)
    reader = f"read_csv('{site.data / 'key.csv'}', header=false)"
    _evil_database(site.data / "evil.duckdb", reader, "column0")
    response = _validate(site, _suite({"table": "stolen", "database": "evil.duckdb"}))
    assert response.status_code == 422, response.text
    assert SECRET not in response.text


def test_a_database_reached_by_a_symlink_leaving_the_folder_is_refused(site: Site) -> None:
    outside = site.home / "outside.duckdb"
    with duckdb.connect(str(outside)) as con:
        con.execute("CREATE TABLE scored AS SELECT 1 AS y, 1 AS p")
    (site.data / "w.duckdb").symlink_to(outside)
    response = _validate(site, _suite({"table": "scored", "database": "w.duckdb"}))
    assert response.status_code == 422, response.text
    assert "outside the server's data folder" in response.json()["detail"]


def test_the_signing_key_hard_linked_into_the_folder_is_never_read(site: Site) -> None:
    os.link(site.key, site.data / "key.csv")
    response = _validate(site, _suite("key.csv"))
    assert response.status_code == 422, response.text
    assert SECRET not in response.text
    assert "never read" in response.json()["detail"]


def test_engine_error_text_and_server_paths_never_reach_the_client(site: Site) -> None:
    # a ragged CSV: DuckDB's own error quotes the offending line and the file's full path
    (site.data / "ragged.csv").write_text("y,p\n1,1\n0,0,hidden-words,more\n" + "1,1\n" * 3)
    (site.data / "broken.parquet").write_bytes(b"PAR1 not really parquet hidden-words PAR1")
    for name in ("ragged.csv", "broken.parquet"):
        response = _validate(site, _suite(name))
        assert response.status_code == 422, response.text
        assert "hidden-words" not in response.text
        assert str(site.home) not in response.text
        assert name in response.json()["detail"]


@pytest.mark.parametrize("name", ["scored\x00.csv", {"table": "t", "database": "w\x00.duckdb"}])
def test_a_nul_byte_in_a_path_is_422(site: Site, name: Any) -> None:
    response = _validate(site, _suite(name))
    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["detail"]


def test_the_engine_refuses_views_on_the_command_line_too(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("hidden-words")
    folder = tmp_path / "suites"
    folder.mkdir()
    _evil_database(folder / "w.duckdb", f"read_text('{outside}')")
    suite = parse_suite(_suite({"table": "stolen", "database": "w.duckdb"}, ["content"]))
    with pytest.raises(InvalidInput, match="is a view") as refused:
        run_suite(suite, folder)
    assert "hidden-words" not in refused.value.message


def test_the_engine_connection_reads_only_the_files_it_was_given(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("hidden-words")
    given = tmp_path / "scored.csv"
    given.write_text("y,p\n1,1\n")
    with DuckDBBackend((given,)) as duck:
        assert duck.rows(f"SELECT count(*) FROM {duck.open(given, 'current')}", "x") == [(1,)]
        for sql in (
            f"SELECT * FROM read_text('{outside}')",
            f"SELECT * FROM glob('{tmp_path}/*')",
            "SET enable_external_access = true",
            "INSTALL httpfs",
        ):
            with pytest.raises(InvalidInput) as refused:
                duck.rows(sql, "probe")
            assert "hidden-words" not in refused.value.message
            assert str(tmp_path) not in refused.value.message
