"""A suite's data sources opened on an engine: a file beside the suite, a table of a DuckDB
database file beside it, a data frame handed over in Python, or a table of the engine's
catalog; each with the fingerprint that says which data the evidence was computed on."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from charter.kernel.errors import InvalidInput
from charter.validation.domain.suite import Source
from charter.validation.engines.backend import Backend, Opened
from charter.validation.engines.fingerprints import file_fingerprint, frame_fingerprint
from charter.validation.ports import Frames


def _existing(folder: Path, name: str, what: str) -> Path:
    path = (folder / name).resolve()
    if not path.is_file():
        raise InvalidInput(f"{what} {path} does not exist", details={"file": str(path)})
    return path


def open_source(b: Backend, source: Source, folder: Path, window: str, frames: Frames) -> Opened:
    what = "data file" if window == "current" else f"{window} file"
    if source.file is not None:
        path = _existing(folder, source.file, what)
        relation = b.open(path, window)
        return Opened(relation, path.name, {"file": str(path)}, partial(file_fingerprint, path))
    table = source.table or ""
    details: dict[str, object] = {"table": table}
    if source.database is not None:
        database = _existing(folder, source.database, "database")
        relation = b.table(table, database, window)
        name = f"table {table!r} of {database.name}"
        return Opened(relation, name, details, partial(b.table_fingerprint, relation))
    if table in frames:
        frame = frames[table]
        relation = b.register(frame, window)
        if type(frame).__module__.startswith("pyspark"):  # only Spark reads a Spark frame
            fingerprint = partial(b.table_fingerprint, relation)
        else:  # the same frame gives the same fingerprint on either engine
            fingerprint = partial(frame_fingerprint, frame)
        return Opened(relation, f"data frame {table!r}", details, fingerprint)
    relation = b.table(table, None, window)
    return Opened(relation, f"table {table!r}", details, partial(b.table_fingerprint, relation))
