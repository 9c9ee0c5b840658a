"""Which data evidence was computed on: BLAKE3 of a file's bytes, of a set of files, or of
the rows of a table or data frame (its Arrow IPC stream, in row order).

Hashing is part of a run and within its limits: each function takes a `check`, called before
every window of a file and every batch of rows, that raises when the run's time is up (or
the run has ended), so that a huge file cannot keep a run going past its time."""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import blake3

from charter.kernel.errors import InvalidInput

#: bytes of a data file mapped at once while it is hashed (a multiple of any page size)
HASH_WINDOW = 1 << 26

#: rows per Arrow batch hashed: batches are cut here whatever the data's own chunks are,
#: so the same rows in the same order give the same fingerprint however they were built
ROWS_PER_BATCH = 1 << 16

#: raises to stop hashing (the run's time is up); called before each window or batch
Check = Callable[[], None]


def unbounded() -> None:
    """The check of a fingerprint computed outside any run: never stops it."""


def _update_from_file(digest: Any, path: Path, check: Check) -> int:
    size = path.stat().st_size
    with path.open("rb") as handle:
        # mapped a window at a time rather than copied through read(): a quarter faster
        # here, and no more of the file resident at once than one window
        for offset in range(0, size, HASH_WINDOW):
            check()
            length = min(HASH_WINDOW, size - offset)
            with mmap.mmap(handle.fileno(), length, access=mmap.ACCESS_READ, offset=offset) as m:
                digest.update(m)
    return size


def file_fingerprint(path: Path, check: Check = unbounded) -> str:
    """BLAKE3 of the file's bytes, and its size (BLAKE3 rather than SHA-256: twice as fast
    here, on files of gigabytes)."""
    digest = blake3.blake3()
    size = _update_from_file(digest, path, check)
    return f"blake3:{digest.hexdigest()}:{size}"


def files_fingerprint(paths: Sequence[Path], check: Check = unbounded) -> str:
    """BLAKE3 over the files in the order given, each preceded by its size, and their count."""
    digest = blake3.blake3()
    for path in paths:
        digest.update(path.stat().st_size.to_bytes(8, "little"))
        _update_from_file(digest, path, check)
    return f"blake3-files:{digest.hexdigest()}:{len(paths)}"


class _Digest:
    """A write-only file that hashes what is written to it (a sink for Arrow's IPC writer)."""

    closed = False

    def __init__(self) -> None:
        self.digest = blake3.blake3()

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True


def require_pyarrow() -> Any:
    """pyarrow, or InvalidInput saying how to install it."""
    try:
        import pyarrow
    except ImportError as exc:
        raise InvalidInput(
            "tables and data frames need pyarrow for their fingerprint: "
            "pip install 'charter[frames]'"
        ) from exc
    return pyarrow


def arrow_fingerprint(schema: Any, batches: Iterable[Any], check: Check = unbounded) -> str:
    """BLAKE3 of the Arrow IPC stream of the rows, and their count. The rows are re-cut into
    batches of ROWS_PER_BATCH rows in fresh buffers (IPC writes a slice's whole buffers),
    dictionary-encoded columns decoded and the schema's metadata (such as pandas' index)
    left out, so that the same rows in the same order give the same fingerprint however they
    were built. The column types count: the same text as string and large_string differ."""
    pa = require_pyarrow()
    plain = pa.schema(
        [pa.field(f.name, _value_type(pa, f.type), f.nullable) for f in schema.remove_metadata()]
    )
    sink, rows = _Digest(), 0
    with pa.ipc.new_stream(sink, plain) as writer:
        for batch in _recut(pa, schema, plain, batches):
            check()
            writer.write_batch(batch)
            rows += batch.num_rows
    return f"blake3-arrow:{sink.digest.hexdigest()}:{rows}"


def _value_type(pa: Any, kind: Any) -> Any:
    return kind.value_type if pa.types.is_dictionary(kind) else kind


def _fresh(pa: Any, table: Any, plain: Any) -> Any:
    """One batch of the table's rows, each column decoded and copied into new buffers."""
    columns = [
        pa.concat_arrays(
            [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in col.chunks]
        )
        for col in table.columns
    ]
    return pa.RecordBatch.from_arrays(columns, schema=plain)


def _recut(pa: Any, schema: Any, plain: Any, batches: Iterable[Any]) -> Iterator[Any]:
    pending: list[Any] = []
    held = 0
    for batch in batches:
        pending.append(batch.replace_schema_metadata(schema.metadata))
        held += batch.num_rows
        while held >= ROWS_PER_BATCH:
            table = pa.Table.from_batches(pending, schema)
            yield _fresh(pa, table.slice(0, ROWS_PER_BATCH), plain)
            rest = table.slice(ROWS_PER_BATCH)
            pending, held = rest.to_batches(), rest.num_rows
    if held:
        yield _fresh(pa, pa.Table.from_batches(pending, schema), plain)


def frame_fingerprint(frame: Any, check: Check = unbounded) -> str:
    """The fingerprint of a pandas or polars data frame, or a pyarrow Table or Dataset
    (a Dataset over files: of its files)."""
    pa = require_pyarrow()
    module = type(frame).__module__.split(".")[0]
    local = type(getattr(frame, "filesystem", None)).__name__ == "LocalFileSystem"
    if module == "pyarrow" and hasattr(frame, "files") and local:  # a Dataset over files
        return files_fingerprint([Path(f) for f in frame.files], check)
    if module == "pyarrow" and hasattr(frame, "to_batches"):
        return arrow_fingerprint(frame.schema, frame.to_batches(), check)
    if module == "polars":
        table = frame.to_arrow()
        return arrow_fingerprint(table.schema, table.to_batches(), check)
    if module == "pandas":
        schema = pa.Schema.from_pandas(frame, preserve_index=False)
        slices = (
            pa.RecordBatch.from_pandas(
                frame.iloc[i : i + ROWS_PER_BATCH], schema=schema, preserve_index=False
            )
            for i in range(0, len(frame), ROWS_PER_BATCH)
        )
        return arrow_fingerprint(schema, slices, check)
    raise InvalidInput(f"cannot fingerprint a {type(frame).__name__}")
