"""The data's fingerprint (BLAKE3 of the file) is hashed inside the run's limits: a huge file
cannot keep a request going past the run's time, nor past a failure of the run's queries.

The file is a sparse terabyte (nothing on disk): hashing it to its end takes many minutes, so
a request that answers at all has stopped hashing early. The wait for the answer is bounded
only to report a hang as a failure rather than block the suite."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from charter.kernel.errors import OverLimit
from charter.kernel.roles import RoleKind as R
from charter.validation import services as validation
from charter.validation.engines.backend import Limits
from charter.validation.engines.duckdb_backend import DuckDBBackend
from charter.validation.engines.fingerprints import file_fingerprint
from tests.security.conftest import Site
from tests.security.test_validation_limits import _site

TERABYTE = 1 << 40
HANG = 300  # seconds: far more than an answer needs, far less than hashing a terabyte


def _huge(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(TERABYTE)
    return path


def _answer(call: Callable[[], Any]) -> Any:
    """The call's result, failing the test when it hangs (it is still hashing)."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = call()
        except BaseException as exc:
            out["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG)
    assert not worker.is_alive(), "the request hangs: the fingerprint is hashed past the limits"
    if "error" in out:
        raise out["error"]
    return out["result"]


@pytest.fixture
def hasty(tmp_path: Path) -> Iterator[Site]:
    yield from _site(tmp_path, validation_seconds=0.001)


@pytest.fixture
def roomy(tmp_path: Path) -> Iterator[Site]:
    yield from _site(tmp_path, validation_seconds=3600)


def _post(site: Site, data: str) -> tuple[str, Any]:
    system = site.world.system()
    suite = {
        "name": "huge",
        "data": data,
        "columns": {"label": "y", "prediction": "p"},
        "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
    }
    response = _answer(
        lambda: site.client.post(
            f"/api/v1/systems/{system.id}/validations",
            json={"suite": suite},
            headers=site.auth(R.DATA_SCIENTIST),
        )
    )
    return system.id, response


def test_a_huge_file_is_not_hashed_past_the_runs_time(hasty: Site) -> None:
    _huge(hasty.data / "huge.csv")
    system, response = _post(hasty, "huge.csv")
    assert response.status_code == 413, response.text
    assert response.json()["limit"] == "time"
    assert validation.system_evidence(hasty.world.ctx, hasty.world.admin, system) == []


def test_a_run_whose_queries_fail_stops_hashing_its_file(roomy: Site) -> None:
    """Not a Parquet file: the engine refuses it at once, and the hashing ends with it."""
    _huge(roomy.data / "huge.parquet")
    system, response = _post(roomy, "huge.parquet")
    assert response.status_code == 422, response.text
    assert validation.system_evidence(roomy.world.ctx, roomy.world.admin, system) == []


def test_hashing_a_file_stops_when_the_engines_time_is_up(tmp_path: Path) -> None:
    huge = _huge(tmp_path / "huge.csv")
    with DuckDBBackend([tmp_path], Limits(seconds=0.5)) as duck:
        check = lambda: duck.in_time("the data's fingerprint")  # noqa: E731
        with pytest.raises(OverLimit) as refused:
            _answer(lambda: file_fingerprint(huge, check))
    assert refused.value.details["limit"] == "time"
    assert os.path.getsize(huge) == TERABYTE
