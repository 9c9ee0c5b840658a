"""A suite's data sources opened on an engine: a file beside the suite, a table of a DuckDB
database file beside it, a data frame handed over in Python, or a table of the engine's
catalog; each with the fingerprint that says which data the evidence was computed on.

Errors name a file as the suite does, never by its path on the server. A file Charter keeps
secret (the signing key, the database) is never read, whatever name or link reaches it."""

from __future__ import annotations

import os
from collections.abc import Collection
from datetime import UTC
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from charter.kernel.errors import InvalidInput
from charter.validation.domain.suite import Source
from charter.validation.engines.backend import Backend, Opened
from charter.validation.engines.fingerprints import file_fingerprint, frame_fingerprint

if TYPE_CHECKING:
    from charter.validation.ports import Frames


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)  # a hard link too: the same device and inode
    except OSError:
        return False


def locate(source: Source, folder: Path, window: str, secret: Collection[Path] = ()) -> Path | None:
    """The file a source reads (its data file, or its DuckDB database), resolved; None for a
    table handed over or of the engine's catalog."""
    name = source.file or source.database
    if name is None:
        return None
    what = ("data file" if window == "current" else f"{window} file") if source.file else "database"
    path = (folder / name).resolve()
    if not path.is_file():
        raise InvalidInput(f"{what} {name} does not exist", details={"file": name})
    if any(_same_file(path, kept) for kept in secret):
        raise InvalidInput(
            f"{name} is a file Charter keeps secret: it is never read as data",
            details={"file": name},
        )
    return path


def open_source(
    b: Backend, source: Source, path: Path | None, window: str, frames: Frames
) -> Opened:
    """The source on the engine; `path` is where locate() found its file. Its fingerprint is
    hashed within the run's time."""
    check = partial(b.in_time, "the data's fingerprint")
    if source.file is not None and path is not None:
        relation = b.open(path, window)
        fingerprint = partial(file_fingerprint, path, check)
        return Opened(relation, path.name, {"file": source.file}, fingerprint)
    table = source.table or ""
    details: dict[str, object] = {"table": table}
    if path is not None:
        relation = _windowed(b, source, b.table(table, path, window), window)
        name = f"table {table!r} of {path.name}"
        return Opened(relation, name, details, partial(b.table_fingerprint, relation))
    if table in frames:
        frame = frames[table]
        relation = b.register(frame, window)
        if type(frame).__module__.startswith("pyspark"):  # only Spark reads a Spark frame
            fingerprint = partial(b.table_fingerprint, relation)
        else:  # the same frame gives the same fingerprint on either engine
            fingerprint = partial(frame_fingerprint, frame, check)
        return Opened(relation, f"data frame {table!r}", details, fingerprint)
    relation = _windowed(b, source, b.table(table, None, window), window)
    return Opened(relation, f"table {table!r}", details, partial(b.table_fingerprint, relation))


def _windowed(b: Backend, source: Source, relation: str, window: str) -> str:
    """The table's rows in the source's time window (a view over it), or the whole table."""
    if source.window is None:
        return relation
    column, start, end = source.window
    since, until = (f"TIMESTAMP '{t.astimezone(UTC):%Y-%m-%d %H:%M:%S}'" for t in (start, end))
    name = b.quote(column)
    query = f"SELECT * FROM {relation} WHERE {name} >= {since} AND {name} < {until}"  # noqa: S608
    return b.view(query, window)
