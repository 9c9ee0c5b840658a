"""Engines that compute a suite's aggregates where the data lives: DuckDB and Spark,
the same SQL on both."""
