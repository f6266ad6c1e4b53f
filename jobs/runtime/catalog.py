"""Catalog registration through Spark SQL: the local Hive metastore, or the Glue Data
Catalog when a Glue job runs with `--enable-glue-datacatalog`. Same statements in both."""

from __future__ import annotations

from pyspark.sql import SparkSession

from transforms.contracts import TableContract


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _column_ddl(table: TableContract) -> str:
    docs = table.column_docs
    return ", ".join(
        f"`{f.name}` {f.dataType.simpleString()}" + (f" COMMENT {_quoted(docs[f.name])}" if f.name in docs else "")
        for f in table.schema.fields
    )


def create_table_sql(table: TableContract, location: str) -> str:
    partitioned = f" PARTITIONED BY ({', '.join(table.partition_by)})" if table.partition_by else ""
    return (
        f"CREATE TABLE IF NOT EXISTS {table.qualified_name} ({_column_ddl(table)}) USING parquet"
        f"{partitioned} LOCATION {_quoted(location)} COMMENT {_quoted(table.description)}"
    )


def registered_location(spark: SparkSession, table: TableContract) -> str | None:
    if not spark.catalog.tableExists(table.qualified_name):
        return None
    details = spark.sql(f"DESCRIBE TABLE EXTENDED {table.qualified_name}").collect()
    return next((r.data_type for r in details if r.col_name == "Location"), None)


def _same_location(a: str, b: str) -> bool:
    return a.removeprefix("file:").rstrip("/") == b.removeprefix("file:").rstrip("/")


def register_table(spark: SparkSession, table: TableContract, location: str) -> None:
    """Create the database and table if needed, then sync its partitions with the folders.

    The tables are external: when the configured location moved, only the catalog entry is
    replaced, never the data.
    """
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {table.database}")
    current = registered_location(spark, table)
    if current is not None and not _same_location(current, location):
        spark.sql(f"DROP TABLE {table.qualified_name}")
    spark.sql(create_table_sql(table, location))
    if table.partition_by:
        spark.sql(f"MSCK REPAIR TABLE {table.qualified_name} SYNC PARTITIONS")
