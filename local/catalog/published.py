"""What the catalog publishes of each table now: the folders readers see (the unpartitioned
table's snapshot, or each partition's), for tools that read the files without the catalog
(`make contracts-test` hands them to `datacontract test`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyspark.sql import SparkSession

from jobs.runtime.catalog import registered_location, registered_partition_columns, registered_partitions
from jobs.runtime.uris import local_path_of
from transforms.contract_types import TableContract


def published_folders(spark: SparkSession, tables: Iterable[TableContract]) -> dict[str, Any]:
    """{table: {"partition_keys": [...], "folders": {hive path ("" unpartitioned): local folder}}}
    for every table the catalog holds."""
    found: dict[str, Any] = {}
    for table in tables:
        location = registered_location(spark, table.qualified_name)
        if location is None:
            continue
        # As registered: a table not yet rewritten in its contract's layout keeps its old one.
        keys = registered_partition_columns(spark, table.qualified_name) or ()
        if keys:
            partitions = registered_partitions(spark, table.database, table.name)
            folders = {p.spec(keys): p.location for p in partitions}
        else:
            folders = {"": location}
        found[table.qualified_name] = {
            "partition_keys": list(keys),
            "folders": {spec: str(local_path_of(uri) or uri) for spec, uri in folders.items()},
        }
    return found
