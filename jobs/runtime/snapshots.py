"""Snapshot folders: every write of a lake table goes to a new folder under the table's
`_snapshots/`, which the catalog then points at (see `catalog.publish_snapshot`).

Spark and Hive skip folders whose names start with `_`, so a snapshot is invisible until the
catalog points at it, and a run that dies before that leaves nothing visible behind. A
snapshot nothing points at any more is deleted once it is older than the retention time, so a
query that started on it can finish.
"""

from __future__ import annotations

import time

from pyspark.sql import SparkSession

from jobs.runtime.catalog import registered_location, registered_partitions
from jobs.runtime.partitions import WHOLE_TABLE, Partition
from jobs.runtime.storage import delete_path, list_files, list_folders
from jobs.runtime.uris import plain, relative_to
from transforms.contract_types import TableContract

SNAPSHOTS = "_snapshots"


def partitions_in(spark: SparkSession, snapshot_uri: str, keys: tuple[str, ...]) -> list[Partition]:
    """The partitions whose `k=v/...` folders hold the snapshot's data files; an unpartitioned
    table's snapshot is its one partition."""
    if not keys:
        return [WHOLE_TABLE]
    found = set()
    for file in list_files(spark, snapshot_uri):
        folders = relative_to(file.uri, snapshot_uri).split("/")[: len(keys)]
        found.add(tuple(folder.split("=", 1)[1] for folder in folders))
    return sorted(Partition(keys, values) for values in found)


def _snapshot_of(location: str) -> str:
    """The snapshot folder a table or partition location lies in."""
    head, _, rest = location.partition(f"/{SNAPSHOTS}/")
    return f"{head}/{SNAPSHOTS}/{rest.split('/', 1)[0]}" if rest else location


def referenced_snapshots(spark: SparkSession, table: TableContract) -> set[str]:
    location = registered_location(spark, table.qualified_name)
    if location is None:
        return set()
    partitions = registered_partitions(spark, table.database, table.name) if table.partition_by else []
    return {plain(_snapshot_of(location))} | {plain(_snapshot_of(p.location)) for p in partitions}


def vacuum_snapshots(spark: SparkSession, table: TableContract, table_uri: str, retention_seconds: float) -> list[str]:
    """Delete the table's snapshots nothing points at that are older than the retention."""
    referenced = referenced_snapshots(spark, table)
    cutoff_ms = (time.time() - retention_seconds) * 1000
    deleted = []
    for folder in list_folders(spark, f"{table_uri}/{SNAPSHOTS}"):
        if plain(folder.uri) not in referenced and folder.modified_ms <= cutoff_ms:
            delete_path(spark, folder.uri)
            deleted.append(folder.uri)
    return deleted
