"""A fairness check over a column of very many distinct values (an id, free text) would store
every group's size and rate with the evidence: past a documented cap the run is refused,
naming the check and the column, nothing recorded; the engine never hands back more than its
cap of grouped rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.groups import MAX_CELLS, MAX_GROUPS
from charter.validation.engines.runner import run_suite
from tests.security.conftest import Site
from tests.validation.conftest import compute, spark_ready  # noqa: F401 (fixtures)


def _data(path: Path, groups: int, rows: int) -> None:
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT (i % 2)::INT AS y, (i % 3 = 0)::INT AS p, 'g' || (i % {groups}) AS g, "
            f"'h' || (i % 2) AS h FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet)"
        )


SUITE = {
    "name": "many groups",
    "data": "many.parquet",
    "columns": {"label": "y", "prediction": "p", "protected": ["g", "h"]},
    "checks": [
        {"id": "dp-g", "metric": "demographic_parity_difference", "over": ["g"], "max": 1},
        {"id": "ir-g", "metric": "impact_ratio", "over": ["g"], "min": 0},
        {"id": "dp-h", "metric": "demographic_parity_difference", "over": ["h"], "max": 1},
    ],
}


def test_a_fairness_check_over_100000_groups_is_refused_nothing_recorded(site: Site) -> None:
    _data(site.data / "many.parquet", 100_000, 200_000)
    system = site.world.system()
    response = site.client.post(
        f"/api/v1/systems/{system.id}/validations",
        json={"suite": SUITE},
        headers=site.auth(R.DATA_SCIENTIST),
    )
    assert response.status_code == 422, response.text[:500]
    assert f"{MAX_CELLS:,} combinations" in response.json()["detail"]
    assert validation.system_evidence(site.world.ctx, site.world.admin, system.id) == []


def test_every_check_over_the_cap_is_named_at_once(compute: str, tmp_path: Path) -> None:  # noqa: F811
    _data(tmp_path / "many.parquet", MAX_GROUPS + 1, 20_000)
    with pytest.raises(InvalidInput) as refused:
        run_suite(parse_suite(SUITE), tmp_path, compute)
    found = refused.value.details["errors"]
    assert [e["loc"] for e in found] == [["check dp-g"], ["check ir-g"]]  # not dp-h: 2 groups
    assert f"{MAX_GROUPS + 1:,} groups of g, at most {MAX_GROUPS:,}" in found[0]["msg"]


def test_a_check_at_the_cap_records_every_group(compute: str, tmp_path: Path) -> None:  # noqa: F811
    _data(tmp_path / "many.parquet", MAX_GROUPS, 20_000)
    found = run_suite(parse_suite(SUITE), tmp_path, compute)
    assert sum(1 for key in found.counts if tuple(a for a, _ in key) == ("g",)) == MAX_GROUPS
