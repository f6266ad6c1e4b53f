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

from jobs.runtime.partitions import WHOLE_TABLE, Partition
from jobs.runtime.storage import delete_path, list_files, list_folders
from jobs.runtime.uris import plain, relative_to

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


def vacuum_snapshots(spark: SparkSession, table_uri: str, locations: list[str], retention_seconds: float) -> list[str]:
    """Delete the table's snapshots older than the retention that none of its `locations`
    (where the catalog has its data: `publish_snapshot` returns them) lies in."""
    referenced = {plain(_snapshot_of(location)) for location in locations}
    cutoff_ms = (time.time() - retention_seconds) * 1000
    deleted = []
    for folder in list_folders(spark, f"{table_uri}/{SNAPSHOTS}"):
        if plain(folder.uri) not in referenced and folder.modified_ms <= cutoff_ms:
            delete_path(spark, folder.uri)
            deleted.append(folder.uri)
    return deleted
