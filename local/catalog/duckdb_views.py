"""A DuckDB database with one view per lake table over what the catalog publishes now, so a
notebook reads gold (or silver, quarantine, the ops tables) in milliseconds without a JVM:

    import duckdb
    duckdb.connect("lake/lake.duckdb", read_only=True).sql("FROM sales_gold.daily_sales").df()

Each view reads exactly the files of the table's current snapshot (each partition's folder),
with the partition columns from the folder names and every column cast to the contract's
type; timestamps are UTC. The views name files: rebuild the database after a run (`make
run-local` does), since a replaced snapshot's files are removed after the retention time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
from pyspark.sql import SparkSession
from pyspark.sql.types import DataType, DecimalType

from jobs.runtime.run_history import job_runs_table, run_figures_table
from local.catalog.published import published_folders
from transforms.contract_types import TableContract
from transforms.contracts import ALL_TABLES, DOMAINS

DUCKDB_FILE = "lake.duckdb"  # in the lake's root folder
# Spark's types as DuckDB spells them (decimals keep their precision and scale).
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "boolean": "BOOLEAN",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "date": "DATE",
}


def duckdb_type(data_type: DataType) -> str:
    if isinstance(data_type, DecimalType):
        return f"DECIMAL({data_type.precision}, {data_type.scale})"
    return DUCKDB_TYPES[data_type.simpleString()]


def _column(name: str, data_type: DataType, present: bool) -> str:
    if not present:  # added to the contract after every file there was written: null, as Spark reads it
        return f'CAST(NULL AS {duckdb_type(data_type)}) AS "{name}"'
    if data_type.simpleString() == "timestamp":  # Spark writes instants (UTC-adjusted)
        return f'timezone(\'UTC\', CAST("{name}" AS TIMESTAMPTZ)) AS "{name}"'
    return f'CAST("{name}" AS {duckdb_type(data_type)}) AS "{name}"'


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def files_sql(table: TableContract, folders: dict[str, str]) -> str:
    """The table's published files ({hive path: folder}), as DuckDB reads them."""
    files = ", ".join(_quoted(f"{folder}/*.parquet") for folder in folders.values())
    hive = str(bool(table.partition_by)).lower()
    return f"read_parquet([{files}], hive_partitioning = {hive}, union_by_name = true)"


def view_sql(table: TableContract, source: str, present: set[str]) -> str:
    """The view of a table over `source` (files_sql), whose files hold the columns `present`."""
    columns = ", ".join(_column(name, data_type, name in present) for name, data_type, _ in table.columns)
    return f'CREATE OR REPLACE VIEW "{table.database}"."{table.name}" AS SELECT {columns} FROM {source}'


def lake_tables() -> list[TableContract]:
    """Every table the jobs write: silver, quarantine, gold, each domain's ops tables (and the
    whole lake's, for runs of every domain at once)."""
    history = [table(domain) for domain in (*DOMAINS, "") for table in (job_runs_table, run_figures_table)]
    return [*ALL_TABLES, *history]


def write_views(spark: SparkSession, tables: Iterable[TableContract], path: Path) -> list[str]:
    """Write (or refresh) the database at `path` with a view per table the catalog holds;
    returns the views' names. Written to a new file, then moved over the old one, so a notebook
    never opens half of it."""
    tables = list(tables)
    published = published_folders(spark, tables)
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    names = []
    with duckdb.connect(str(fresh)) as db:
        for table in tables:
            found = published.get(table.qualified_name)
            if found is None or not found["folders"]:
                continue
            db.execute(f'CREATE SCHEMA IF NOT EXISTS "{table.database}"')
            source = files_sql(table, found["folders"])
            present = {row[0] for row in db.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            db.execute(view_sql(table, source, present))
            names.append(table.qualified_name)
    fresh.replace(path)
    return names
