"""Catalog entries and their registration through Spark SQL: the local Hive metastore, or the
Glue Data Catalog when a Glue job runs with `--enable-glue-datacatalog`. Same statements in both.

A `CatalogTable` is the one description of a table the lake keeps in a catalog: the silver and
gold tables come from their contracts, the bronze tables from the crawler. The local
metastore, the Glue publisher and the crawler's schema comparison all read this one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyspark.sql import SparkSession

from transforms.contracts import TableContract

# File formats as Glue classifies them, and how Spark reads them locally. Avro has no Spark
# data source in the pyspark wheel, so it is a Hive table with Hive's own Avro SerDe.
SPARK_PROVIDERS = {"csv": "csv", "json": "json", "parquet": "parquet"}
PROVIDER_OPTIONS = {"csv": {"header": "true"}}
PARTITION_KEY_TYPE = "string"  # as a Glue crawler records folder partition values


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Hive/Glue type string: int, bigint, decimal(18,2), struct<a:int>, ...
    comment: str = ""


@dataclass(frozen=True)
class CatalogTable:
    database: str
    name: str
    columns: tuple[Column, ...]
    partition_keys: tuple[Column, ...]
    location: str
    classification: str  # csv | json | parquet | avro
    description: str = ""
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def qualified_name(self) -> str:
        return f"{self.database}.{self.name}"

    @property
    def column_types(self) -> dict[str, str]:
        return {c.name: c.type for c in self.columns}

    @property
    def partition_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.partition_keys)


@dataclass(frozen=True)
class Partition:
    values: tuple[str, ...]  # in partition-key order
    location: str

    def spec(self, keys: tuple[str, ...]) -> str:
        """`k1=v1/k2=v2`, as Hive names the partition's folder."""
        return "/".join(f"{k}={v}" for k, v in zip(keys, self.values, strict=True))


def from_contract(table: TableContract, location: str) -> CatalogTable:
    """A silver/gold/quarantine table's catalog entry, straight from its contract."""
    docs = table.column_docs
    columns = tuple(Column(f.name, f.dataType.simpleString(), docs.get(f.name, "")) for f in table.schema.fields)
    partitioned = set(table.partition_by)
    return CatalogTable(
        database=table.database,
        name=table.name,
        columns=tuple(c for c in columns if c.name not in partitioned),
        partition_keys=tuple(c for c in columns if c.name in partitioned),
        location=location,
        classification="parquet",
        description=table.description,
        parameters={"classification": "parquet", "data_owner": table.owner, "sla_hours": str(table.sla_hours)},
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _columns_ddl(columns: tuple[Column, ...]) -> str:
    return ", ".join(f"`{c.name}` {c.type}" + (f" COMMENT {_quoted(c.comment)}" if c.comment else "") for c in columns)


def _properties_ddl(properties: dict[str, str]) -> str:
    return ", ".join(f"{_quoted(k)}={_quoted(v)}" for k, v in sorted(properties.items()))


def create_table_sql(table: CatalogTable) -> str:
    """`CREATE TABLE IF NOT EXISTS` for an external table at the table's location."""
    tail = f" LOCATION {_quoted(table.location)} COMMENT {_quoted(table.description)}"
    if table.parameters:
        tail += f" TBLPROPERTIES ({_properties_ddl(table.parameters)})"
    if table.classification == "avro":
        partitioned = f" PARTITIONED BY ({_columns_ddl(table.partition_keys)})" if table.partition_keys else ""
        return (
            f"CREATE EXTERNAL TABLE IF NOT EXISTS {table.qualified_name} ({_columns_ddl(table.columns)})"
            f"{partitioned} STORED AS AVRO{tail}"
        )
    provider = SPARK_PROVIDERS[table.classification]
    options = PROVIDER_OPTIONS.get(provider)
    options_ddl = f" OPTIONS ({_properties_ddl(options)})" if options else ""
    keys = ", ".join(f"`{n}`" for n in table.partition_names)
    partitioned = f" PARTITIONED BY ({keys})" if keys else ""
    return (
        f"CREATE TABLE IF NOT EXISTS {table.qualified_name} ({_columns_ddl(table.columns + table.partition_keys)})"
        f" USING {provider}{options_ddl}{partitioned}{tail}"
    )


def registered_location(spark: SparkSession, qualified_name: str) -> str | None:
    if not spark.catalog.tableExists(qualified_name):
        return None
    details = spark.sql(f"DESCRIBE TABLE EXTENDED {qualified_name}").collect()
    return next((r.data_type for r in details if r.col_name == "Location"), None)


def same_location(a: str, b: str) -> bool:
    return a.removeprefix("file:").rstrip("/") == b.removeprefix("file:").rstrip("/")


def create_or_replace(spark: SparkSession, table: CatalogTable, replace: bool = False) -> None:
    """Create the database and the table entry; replace the entry when asked or when its
    location moved. The tables are external: replacing an entry never touches the data."""
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {table.database}")
    current = registered_location(spark, table.qualified_name)
    if current is not None and (replace or not same_location(current, table.location)):
        spark.sql(f"DROP TABLE {table.qualified_name}")
    spark.sql(create_table_sql(table))


def register_table(spark: SparkSession, table: TableContract, location: str) -> None:
    """Register a contract table after a write and sync its partitions with the folders, so
    a new partition is visible to SQL at once."""
    create_or_replace(spark, from_contract(table, location))
    if table.partition_by:
        spark.sql(f"MSCK REPAIR TABLE {table.qualified_name} SYNC PARTITIONS")
