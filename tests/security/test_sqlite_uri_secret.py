"""The database file is a secret file of validation runs whatever form the configured URL
names it in: SQLAlchemy passes an SQLite URI (`file:...` with `uri=true`) to SQLite, which
opens the file the URI's path names (percent-decoded, without its query or fragment), not
a file called `file:...`. A suite pointing at that file (here through a hard link with a
data file's name) is refused by the run started before the store opens and by the
context's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from charter.bootstrap import build, suite_runner
from charter.config import Settings
from charter.kernel.errors import InvalidInput
from charter.validation.domain.suite import parse_suite

FOLDER = "da ta"  # a space, written %2520 in a URL so that SQLite itself decodes it

URLS = [
    "sqlite:///file:{folder}/charter.db?mode=rwc&uri=true",
    "sqlite+pysqlite:///file:{folder}/charter.db?uri=true",
    "sqlite:///file://{folder}/charter.db?uri=true",
    "sqlite:///file://localhost{folder}/charter.db?uri=true&cache=private",
    "sqlite:///file:{encoded}/charter.db?uri=true",
    "sqlite:///file:{encoded}/charter.db%23fragment?uri=true",
    "sqlite:///file:charter.db?uri=true",  # relative to the working folder
]


@pytest.mark.parametrize("form", URLS)
def test_a_suite_reading_the_database_is_refused_whatever_its_url_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    monkeypatch.chdir(folder)
    encoded = str(folder).replace(" ", "%2520")
    url = form.format(folder=folder, encoded=encoded)
    monkeypatch.setenv("CHARTER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CHARTER_DATABASE_URL", url)
    settings = Settings()
    ctx, engine = build(settings)
    try:
        assert (folder / "charter.db").is_file(), url  # the file the URL really names
        os.link(folder / "charter.db", folder / "stolen.csv")
        suite = parse_suite(
            {"name": "s", "data": "stolen.csv", "columns": {"label": "y", "prediction": "p"},
             "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}]}
        )  # fmt: skip
        for runner in (suite_runner(settings), ctx.run_suite):
            with pytest.raises(InvalidInput, match="keeps secret"):
                runner(suite, folder, "duckdb")
    finally:
        engine.dispose()
