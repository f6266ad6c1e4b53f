"""The lake's tables: read as the catalog publishes them, written as new snapshots the catalog
then points at (readers never see a half-written partition), merged by lineage."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from jobs.runtime import failpoints
from jobs.runtime.catalog import (
    create_or_replace,
    from_contract,
    publish_snapshot,
    registered_location,
    registered_partition_columns,
    registered_partitions,
)
from jobs.runtime.config import ConfigError, LakeConfig
from jobs.runtime.materialize import cached
from jobs.runtime.partitions import WHOLE_TABLE, Partition
from jobs.runtime.run_record import RunRecord
from jobs.runtime.snapshots import SNAPSHOTS, partitions_in, vacuum_snapshots
from jobs.runtime.storage import delete_path, list_files, read_text, write_bytes, write_text
from jobs.runtime.uris import within
from transforms.columns import matches_any
from transforms.contract_types import LINEAGE, TableContract
from transforms.frames import conform_to_contract, with_derived_columns


class Tables:
    def __init__(self, spark: SparkSession, config: LakeConfig, run: RunRecord):
        self.spark, self.config, self.run = spark, config, run
        self._snapshots = 0  # snapshot folders this run wrote
        # Table URI -> contract, of the published tables the run read and those it wrote (lineage).
        self.read_tables: dict[str, TableContract] = {}
        self.written_tables: dict[str, TableContract] = {}

    def exists(self, table: TableContract) -> bool:
        """Has the table been written (and registered) before?"""
        return registered_location(self.spark, table.qualified_name) is not None

    def read(self, table: TableContract) -> DataFrame:
        """A lake table as the catalog publishes it (its current snapshot of every partition).

        A table never written yet (no returns landed so far, say) reads as empty, not as an error,
        and as a relation Spark's optimizer knows is empty: joins against it are dropped from the
        plan instead of computing their other side (a first run's whole batch, several times).
        """
        self.read_tables[self.config.table_uri(table)] = table
        return self._published(table)

    def _published(self, table: TableContract) -> DataFrame:
        """`read` without counting the table among the run's inputs (a merge's own table)."""
        uri = self.config.table_uri(table)
        location = registered_location(self.spark, table.qualified_name)
        if location is None:
            return self.spark.createDataFrame([], table.schema).where(F.lit(False))
        if not within(location, uri):
            raise ConfigError(
                f"{table.qualified_name} is registered at {location}, not in this lake ({uri}); "
                "each lake needs its own state folder (catalog)"
            )
        # Derived columns computed: a table not yet rewritten in its contract's layout reads whole.
        return with_derived_columns(self.spark.table(table.qualified_name), table).select(*table.column_names)

    def newest_partition(self, table: TableContract, column: str) -> str | None:
        """The largest value of a partition column the catalog holds (a date's text sorts as
        the date), read from the catalog alone; None for a table never written."""
        if column not in table.partition_by or not self.exists(table):
            return None
        position = table.partition_by.index(column)
        values = [p.values[position] for p in registered_partitions(self.spark, table.database, table.name)]
        return max(values, default=None)

    def write(
        self,
        df: DataFrame,
        table: TableContract,
        replaces: Sequence[Partition] = (),
        whole_table: bool = False,
        publish_empty: bool = True,
    ) -> list[Partition]:
        """Publish `df` as the table's partitions it has rows for (others untouched); returns them.

        The rows go to a new snapshot folder; then the catalog points each written partition
        (or the whole unpartitioned table) at it in one metastore operation per partition, so
        readers never see a half-written partition. `replaces` lists partitions `df` stands
        for in full: those it has no row for are dropped. `whole_table` replaces every
        partition (a full refresh). Old snapshots are removed after the retention time. A table
        registered in another layout than its contract's is rewritten in the contract's first.
        Without `publish_empty`, a partitioned `df` without rows publishes nothing.
        """
        uri = self.config.table_uri(table)
        self.relayout(table)
        snapshot = self._write_snapshot(df, table)
        failpoints.reach(f"{self.run.job}:publish {table.qualified_name}")
        written = partitions_in(self.spark, snapshot, table.partition_by)
        if not written and not publish_empty:
            delete_path(self.spark, snapshot)
            return []
        drop = list(replaces)
        if whole_table and table.partition_by and self.exists(table):
            registered = registered_partitions(self.spark, table.database, table.name)
            drop = [Partition.at(table.partition_by, p.values) for p in registered]
        locations = publish_snapshot(self.spark, table, uri, snapshot, written, drop)
        self.run.outputs[table.qualified_name] = snapshot
        self.written_tables[uri] = table
        vacuum_snapshots(self.spark, uri, locations, self.config.snapshot_retention_seconds)
        return written

    def _write_snapshot(self, df: DataFrame, table: TableContract) -> str:
        """`df` as the table's rows in a new snapshot folder, not yet published; returns its URI."""
        self._snapshots += 1
        snapshot = f"{self.config.table_uri(table)}/{SNAPSHOTS}/{self.run.run_id}-{self._snapshots}"
        out = conform_to_contract(df, table)
        if table.partition_by:
            out = out.repartition(write_tasks(self.spark), *table.partition_by)
        out.write.mode("errorifexists").partitionBy(*table.partition_by).parquet(snapshot)
        self._count_bytes(table, sum(f.size for f in list_files(self.spark, snapshot)))
        return snapshot

    def relayout(self, table: TableContract) -> None:
        """Rewrite a table registered with other partition columns than its contract's in the
        contract's layout (its rows as they are; derived columns computed), once.

        The catalog entry cannot change its partition columns in place: it is dropped and
        created again. So the rows are written first, and a note in the table's folder names
        their snapshot until every partition is registered again: a run that stops in
        between finishes the change on its next write of the table, and no row is lost.
        """
        uri = self.config.table_uri(table)
        note = f"{uri}/{RELAYOUT_NOTE}"
        snapshot = read_text(self.spark, note)
        if snapshot is None:
            registered = registered_partition_columns(self.spark, table.qualified_name)
            if registered is None or registered == table.partition_by:
                return
            snapshot = self._write_snapshot(self._published(table), table)
            write_text(self.spark, note, snapshot)
        create_or_replace(self.spark, from_contract(table, uri), replace=True)
        failpoints.reach(f"{self.run.job}:relayout {table.qualified_name}")  # the entry has no partition yet
        written = partitions_in(self.spark, snapshot, table.partition_by)
        locations = publish_snapshot(self.spark, table, uri, snapshot, written, [])
        delete_path(self.spark, note)
        vacuum_snapshots(self.spark, uri, locations, self.config.snapshot_retention_seconds)

    def add_rows(self, rows: Sequence[tuple[object, ...]], table: TableContract) -> str:
        """Add a few rows to an unpartitioned, append-only table: one Parquet file named after
        the run (written with pyarrow; a handful of rows need no Spark job), whole at once for
        any reader of the table's folder (a rename here, one PUT on S3). A rerun of the run
        replaces its own file. Returns the file's URI."""
        uri = f"{self.config.table_uri(table)}/{self.run.run_id}.parquet"
        data = parquet_bytes(rows, table)
        write_bytes(self.spark, uri, data)
        self._count_bytes(table, len(data))
        if self._registered_columns(table) != table.column_names:
            # New, or registered before a column was added (older files read it as null).
            create_or_replace(self.spark, from_contract(table, self.config.table_uri(table)), replace=True)
        self.spark.catalog.refreshTable(table.qualified_name)  # a listing cached before stays fresh
        self.run.outputs[table.qualified_name] = uri
        self.written_tables[self.config.table_uri(table)] = table
        return uri

    def _registered_columns(self, table: TableContract) -> list[str] | None:
        if not self.exists(table):
            return None
        return [c.name for c in self.spark.catalog.listColumns(table.qualified_name)]

    def _count_bytes(self, table: TableContract, size: int) -> None:
        written = self.run.bytes_written
        written[table.qualified_name] = written.get(table.qualified_name, 0) + size

    def merge(self, batch: DataFrame, table: TableContract, remove_lineage: DataFrame) -> list[Partition]:
        """Put a batch's rows into a lineage-carrying table, rewriting only what changes.

        Existing rows whose (source_file, source_line) is in `remove_lineage` go away (a re-read
        record, or a version moved to quarantine); the batch's rows come in. Only partitions
        that gain or lose a row are rewritten; they are returned (none when nothing changed).
        """
        keys = list(table.partition_by)
        self.relayout(table)
        batch = conform_to_contract(batch, table)  # its derived columns, the partition keys among them
        if not self.exists(table):
            # Never written (a first run): nothing to keep or take out, so the batch goes
            # straight to the table, computed once. A batch without rows leaves no table,
            # which for a partitioned one its snapshot shows: checked first, the batch's
            # rows would be computed twice (of a union whose first part has none, all of it).
            if table.partition_by:
                return self.write(batch, table, publish_empty=False)
            return [] if batch.isEmpty() else self.write(batch, table)
        with cached(batch) as batch:  # read twice: for the partitions it touches, then written
            existing = self._published(table)
            lineage = remove_lineage.select(*LINEAGE).distinct()
            removed = existing.join(lineage, list(LINEAGE), "left_semi")
            if keys:
                touched = batch.select(*keys).unionByName(removed.select(*keys)).distinct()
                affected = [r.asDict() for r in touched.collect()]
                if not affected:
                    return []
                existing = existing.where(matches_any(affected))
            elif batch.isEmpty() and removed.isEmpty():
                return []
            kept = existing.join(lineage, list(LINEAGE), "left_anti")
            rows = conform_to_contract(kept, table).unionByName(batch)
            if not keys:
                self.write(rows, table)
                return [WHOLE_TABLE]
            partitions = sorted(Partition.of(values) for values in affected)
            self.write(rows, table, replaces=partitions)
            return partitions


# In a table's folder while its rows are rewritten in a new layout: their snapshot's URI.
RELAYOUT_NOTE = "_relayout_snapshot.txt"


def write_tasks(spark: SparkSession) -> int:
    """How many tasks write a partitioned table, however few its rows: the session's shuffle
    partitions. Each partition's rows all go to one task, so each partition is still one file.
    Left to itself, adaptive execution packs a small table's rows (a quarantine's, a year of
    20,000 order lines) into one task, which opens, writes and closes every partition's file
    in turn on one core, about 9 ms a file, while the other cores wait."""
    return int(spark.conf.get("spark.sql.shuffle.partitions") or 1)


# How pyarrow writes each Spark type the append-only tables use, as Spark reads it back.
ARROW_TYPES = {
    "string": pa.string(),
    "boolean": pa.bool_(),
    "int": pa.int32(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def parquet_bytes(rows: Sequence[tuple[object, ...]], table: TableContract) -> bytes:
    """`rows` (in the contract's column order) as one Parquet file of the contract's schema."""
    if table.partition_by:
        raise ValueError(f"{table.qualified_name} is partitioned: rows are added only to unpartitioned tables")
    fields = [pa.field(f.name, ARROW_TYPES[f.dataType.simpleString()], f.nullable) for f in table.schema.fields]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in fields]
    arrow = pa.table([pa.array(list(c), f.type) for c, f in zip(columns, fields, strict=True)], pa.schema(fields))
    sink = io.BytesIO()
    pq.write_table(arrow, sink)
    return sink.getvalue()
