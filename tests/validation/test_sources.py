"""Tables and data frames as a suite's data: every data-driven case gives the same values and
verdicts (or refusal) when its windows are pandas, polars or pyarrow frames, or tables of a
DuckDB database, as from its CSV files (DuckDB); Spark data frames handed over, or tables of
the Spark catalog (Spark). Bad sources are refused by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from charter.kernel.errors import InvalidInput
from charter.validation.domain.evidence import Aggregates, judge_suite
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.fingerprints import frame_fingerprint
from charter.validation.engines.runner import run_suite
from tests.validation.test_cases import CASES, expect_outcome, write_case

IDS = [c["name"] for c in CASES]
TABLES = {"data": ("current", "scored"), "reference": ("reference", "sales.baseline")}


def _tables(raw: dict[str, Any], database: str | None = None) -> dict[str, Any]:
    """The suite with each window's file replaced by a table (in `database` if given)."""
    out = dict(raw)
    for key, (_, table) in TABLES.items():
        if key in raw:
            out[key] = {"table": table, **({"database": database} if database else {})}
    return out


def _windows(folder: Path) -> Iterator[tuple[str, Path]]:
    for window, table in TABLES.values():
        path = folder / f"{window}.csv"
        if path.exists():
            yield table, path


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_case_over_data_frames(case: dict[str, Any], kind: str, tmp_path: Path) -> None:
    raw = write_case(tmp_path, case)
    frames = {}
    with duckdb.connect() as con:  # read as DuckDB reads the files: the same column types
        for table, path in _windows(tmp_path):
            read = con.read_csv(str(path))
            frames[table] = {"pandas": read.df, "polars": read.pl, "arrow": read.to_arrow_table}[
                kind
            ]()
    suite = parse_suite(_tables(raw))
    expect_outcome(case, suite, lambda: run_suite(suite, tmp_path, frames=frames))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_case_over_tables_of_a_duckdb_database(case: dict[str, Any], tmp_path: Path) -> None:
    raw = write_case(tmp_path, case)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("CREATE SCHEMA sales")
        for table, path in _windows(tmp_path):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto('{path}')")
    suite = parse_suite(_tables(raw, "warehouse.duckdb"))
    expect_outcome(case, suite, lambda: run_suite(suite, tmp_path))


def _suite(data: Any, reference: Any = None) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": "s",
        "data": data,
        "columns": {"label": "label", "prediction": "prediction"},
        "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
    }
    if reference is not None:
        raw["reference"] = reference
        raw["checks"].append({"id": "ks", "metric": "ks", "column": "x", "max": 0.5})
    return raw


def _accuracy(aggregates: Aggregates) -> float | None:
    results = judge_suite(parse_suite(_suite("any.csv")), aggregates)
    return next(r.value for r in results if r.check_id == "acc")


ROWS = pd.DataFrame({"label": [1, 0, 1, 0], "prediction": [1, 0, 0, 0], "x": [0.5, 1, 2, 3]})


@pytest.mark.parametrize(
    ("data", "frames", "needle"),
    [
        ({"table": "scored"}, {}, r"table 'scored' was not handed over"),
        ({"table": "scored"}, {"scored": [1, 0]}, r"cannot read a builtins\.list"),
        (
            {"table": "scored"},
            {"scored": pa.Table.from_pandas(ROWS).to_reader()},  # read once, then used up
            r"cannot read a pyarrow\.lib\.RecordBatchReader; it reads pandas\.DataFrame",
        ),
        ({"table": "scored"}, {"scored": pl.from_pandas(ROWS).lazy()}, r"polars.*LazyFrame"),
        ({"table": "nope", "database": "w.duckdb"}, {}, r"w\.duckdb: table 'nope'.*not exist"),
        ({"table": "scored", "database": "missing.duckdb"}, {}, r"missing\.duckdb does not exist"),
        (
            {"table": "scored", "database": "notes.txt"},
            {},
            r"notes\.txt: opening it as a DuckDB database: the engine could not",
        ),
    ],
)
def test_a_bad_source_is_refused_by_name(
    tmp_path: Path, data: Any, frames: dict[str, Any], needle: str
) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("CREATE TABLE scored AS SELECT * FROM ROWS")
    (tmp_path / "notes.txt").write_text("not a database\n")
    with pytest.raises(InvalidInput, match=needle):
        run_suite(parse_suite(_suite(data)), tmp_path, frames=frames)


def test_the_fingerprint_of_a_frame_or_table_covers_its_rows(tmp_path: Path) -> None:
    """The same rows give one fingerprint as a pandas, polars or pyarrow frame and as a DuckDB
    table; a changed value or another order of rows gives another."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("CREATE TABLE scored AS SELECT * FROM ROWS")
    prints = {
        kind: run_suite(
            parse_suite(_suite({"table": "scored"})), tmp_path, frames={"scored": f}
        ).fingerprint
        for kind, f in (
            ("pandas", ROWS),
            ("polars", pl.from_pandas(ROWS)),
            ("arrow", pa.Table.from_pandas(ROWS)),
        )
    }
    table = run_suite(parse_suite(_suite({"table": "scored", "database": "w.duckdb"})), tmp_path)
    assert set(prints.values()) == {table.fingerprint}
    assert table.fingerprint.startswith("blake3-arrow:") and table.fingerprint.endswith(":4")
    changed = ROWS.assign(x=[0.5, 1, 2, 3.5])
    assert frame_fingerprint(changed) != table.fingerprint
    assert frame_fingerprint(ROWS.iloc[::-1].reset_index(drop=True)) != table.fingerprint


def test_the_fingerprint_does_not_depend_on_how_the_rows_are_chunked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from charter.validation.engines import fingerprints

    monkeypatch.setattr(fingerprints, "ROWS_PER_BATCH", 3)  # cuts inside and across chunks
    whole = pa.table({"x": list(range(10)), "s": [str(i) for i in range(10)]})
    chunked = pa.concat_tables([whole.slice(0, 2), whole.slice(2, 5), whole.slice(7)])
    assert chunked.column("x").num_chunks == 3
    assert frame_fingerprint(chunked) == frame_fingerprint(whole)
    assert frame_fingerprint(whole).endswith(":10")
    encoded = whole.set_column(1, "s", whole.column("s").dictionary_encode())
    assert frame_fingerprint(encoded) == frame_fingerprint(whole)  # the values, not their codes
    assert frame_fingerprint(whole.cast(pa.schema([("x", pa.int32()), ("s", pa.string())]))) != (
        frame_fingerprint(whole)
    )


def test_a_dataset_over_files_is_fingerprinted_by_its_files(tmp_path: Path) -> None:
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from charter.validation.engines.fingerprints import files_fingerprint

    for i in range(2):
        pq.write_table(pa.Table.from_pandas(ROWS), tmp_path / f"part-{i}.parquet")
    dataset = ds.dataset(str(tmp_path), format="parquet")
    evidence = run_suite(
        parse_suite(_suite({"table": "scored"})), tmp_path, frames={"scored": dataset}
    )
    assert evidence.fingerprint == files_fingerprint([Path(f) for f in dataset.files])
    assert evidence.fingerprint.endswith(":2")
    assert _accuracy(evidence) == pytest.approx(0.75)


# --- Spark: data frames handed over, and tables of the session's catalog -----------------


@pytest.fixture
def spark(spark_ready: None) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()  # the session the engine started
    yield session
    for table in session.catalog.listTables():
        if table.isTemporary:
            session.catalog.dropTempView(table.name)


def _spark_windows(spark: Any, folder: Path) -> dict[str, Any]:
    read = spark.read.options(header=True, inferSchema=True)
    return {table.replace(".", "_"): read.csv(str(path)) for table, path in _windows(folder)}


def _spark_tables(raw: dict[str, Any]) -> dict[str, Any]:
    out = _tables(raw)
    for key in TABLES:
        if key in out:
            out[key] = {"table": out[key]["table"].replace(".", "_")}
    return out


@pytest.mark.spark
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_case_over_spark_data_frames(spark: Any, case: dict[str, Any], tmp_path: Path) -> None:
    raw = write_case(tmp_path, case)
    frames = _spark_windows(spark, tmp_path)
    suite = parse_suite(_spark_tables(raw))
    expect_outcome(case, suite, lambda: run_suite(suite, tmp_path, "spark", frames=frames))


@pytest.mark.spark
@pytest.mark.parametrize("case", CASES[:3], ids=IDS[:3])
def test_a_case_over_tables_of_the_spark_catalog(
    spark: Any, case: dict[str, Any], tmp_path: Path
) -> None:
    raw = write_case(tmp_path, case)
    for name, frame in _spark_windows(spark, tmp_path).items():
        frame.createOrReplaceTempView(name)
    suite = parse_suite(_spark_tables(raw))
    expect_outcome(case, suite, lambda: run_suite(suite, tmp_path, "spark"))


@pytest.mark.spark
def test_spark_fingerprints_a_frame_as_duckdb_does_and_a_file_table_by_its_files(
    spark: Any, tmp_path: Path
) -> None:
    from charter.validation.engines.fingerprints import files_fingerprint

    arrow = pa.Table.from_pandas(ROWS, preserve_index=False)
    own = spark.createDataFrame(ROWS.to_dict("records"), "label long, prediction long, x double")
    handed = run_suite(parse_suite(_suite({"table": "s"})), tmp_path, "spark", frames={"s": own})
    assert handed.fingerprint == frame_fingerprint(arrow)
    own.write.parquet(str(tmp_path / "stored"))
    spark.read.parquet(str(tmp_path / "stored")).createOrReplaceTempView("stored")
    stored = run_suite(parse_suite(_suite({"table": "stored"})), tmp_path, "spark")
    files = sorted((tmp_path / "stored").glob("*.parquet"))
    assert stored.fingerprint == files_fingerprint([f.resolve() for f in files])
    assert _accuracy(stored) == pytest.approx(0.75)


@pytest.mark.spark
@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"table": "nope"}, r"table 'nope' is not in the Spark catalog"),
        ({"table": "scored", "database": "w.duckdb"}, r"read by the duckdb engine"),
    ],
)
def test_spark_refuses_a_bad_source_by_name(
    spark: Any, tmp_path: Path, data: Any, needle: str
) -> None:
    (tmp_path / "w.duckdb").write_bytes(b"")
    with pytest.raises(InvalidInput, match=needle):
        run_suite(parse_suite(_suite(data)), tmp_path, "spark")
