"""The local catalog (Spark's Hive metastore) read and written as `CatalogTable`s.

The crawler plans against it and applies its plans here; the Glue publisher reads every
table and partition from it.
"""

from __future__ import annotations

from pyspark.sql import SparkSession

from jobs.runtime.catalog import (
    CatalogPartition,
    CatalogTable,
    Column,
    create_or_replace,
    partition_clause,
    registered_partitions,
    sql_string,
)
from jobs.runtime.partitions import Partition

# Properties Spark or Hive add on their own; they are not part of a table's description.
_ENGINE_PROPERTIES = ("transient_lastDdlTime", "option.", "spark.sql.")


def parse_spec(spec: str) -> tuple[str, ...]:
    """`k1=v1/k2=v2` -> (v1, v2)."""
    return tuple(part.split("=", 1)[1] for part in spec.split("/"))


class LocalCatalog:
    def __init__(self, spark: SparkSession):
        self.spark = spark

    # ---- reading ------------------------------------------------------------------------
    def databases(self) -> list[str]:
        return sorted(d.name for d in self.spark.catalog.listDatabases() if d.name != "default")

    def table_names(self, database: str) -> list[str]:
        return sorted(t.name for t in self.spark.catalog.listTables(database))

    def _details(self, qualified_name: str) -> dict[str, str]:
        rows = self.spark.sql(f"DESCRIBE TABLE EXTENDED {qualified_name}").collect()
        return {r.col_name: r.data_type for r in rows}

    def _properties(self, qualified_name: str) -> dict[str, str]:
        rows = self.spark.sql(f"SHOW TBLPROPERTIES {qualified_name}").collect()
        return {r.key: r.value for r in rows if not r.key.startswith(_ENGINE_PROPERTIES)}

    def table(self, database: str, name: str) -> CatalogTable | None:
        qualified_name = f"{database}.{name}"
        if not self.spark.catalog.tableExists(qualified_name):
            return None
        columns = self.spark.catalog.listColumns(qualified_name)
        details = self._details(qualified_name)
        properties = self._properties(qualified_name)
        provider = details.get("Provider", "")
        serde = details.get("Serde Library", "")
        classification = properties.get("classification") or ("avro" if "avro" in serde.lower() else provider)
        return CatalogTable(
            database=database,
            name=name,
            columns=tuple(Column(c.name, c.dataType, c.description or "") for c in columns if not c.isPartition),
            partition_keys=tuple(Column(c.name, c.dataType, c.description or "") for c in columns if c.isPartition),
            location=details.get("Location", ""),
            classification=classification,
            description=details.get("Comment", ""),
            parameters=properties,
        )

    def partition_specs(self, table: CatalogTable) -> set[str]:
        if not table.partition_keys:
            return set()
        return {r[0] for r in self.spark.sql(f"SHOW PARTITIONS {table.qualified_name}").collect()}

    def partitions(self, table: CatalogTable) -> list[CatalogPartition]:
        """Every registered partition with the location the catalog holds for it."""
        if not table.partition_keys:
            return []
        return registered_partitions(self.spark, table.database, table.name)

    # ---- writing ------------------------------------------------------------------------
    def add_partitions(self, table: CatalogTable, partitions: list[CatalogPartition]) -> None:
        if partitions:
            clauses = " ".join(
                f"{partition_clause(Partition.at(table.partition_names, p.values))} LOCATION {sql_string(p.location)}"
                for p in partitions
            )
            self.spark.sql(f"ALTER TABLE {table.qualified_name} ADD IF NOT EXISTS {clauses}")

    def drop_partitions(self, table: CatalogTable, specs: list[str]) -> None:
        if specs:
            clauses = ", ".join(partition_clause(Partition.at(table.partition_names, parse_spec(s))) for s in specs)
            self.spark.sql(f"ALTER TABLE {table.qualified_name} DROP IF EXISTS {clauses}")

    def set_parameters(self, table: CatalogTable) -> None:
        assignments = ", ".join(f"{sql_string(k)}={sql_string(v)}" for k, v in sorted(table.parameters.items()))
        self.spark.sql(f"ALTER TABLE {table.qualified_name} SET TBLPROPERTIES ({assignments})")

    def apply(self, plan) -> None:
        """Write a crawler plan (`local.catalog.crawler.TablePlan`).

        Spark cannot change a column's type in place, so a schema change replaces the table
        entry (external: the files stay) and registers its partitions again.
        """
        table = plan.table
        if not plan.schema_changed:
            self.set_parameters(table)
            self.add_partitions(table, plan.added_partitions)
            self.drop_partitions(table, plan.removed_partitions)
            return
        gone = set(plan.removed_partitions)
        registered = self.partitions(plan.current) if plan.current else []
        kept = [p for p in registered if p.spec(table.partition_names) not in gone]
        create_or_replace(self.spark, table, replace=plan.current is not None)
        self.add_partitions(table, kept + plan.added_partitions)
