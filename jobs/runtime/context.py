"""The job context: everything a job may touch outside its transforms.

A job gets its configuration, SparkSession, sources, sinks, quality gate, metrics and
commit from here and never asks whether it runs on Glue or locally. The two
implementations (`jobs.runtime.glue`, `jobs.runtime.local`) only differ in how the
session is opened, how one run at a time is ensured and what `commit` tells the platform;
sources, bookmarks (in the state folder), sinks and the run record are the same code.
"""

from __future__ import annotations

import io
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import fastavro
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from expectations.gate import SuiteResult, enforce, run_suite
from expectations.suites import Suite
from jobs.runtime import failpoints
from jobs.runtime.bookmarks import FileBookmarks, State, fingerprint, merged, new_or_changed
from jobs.runtime.catalog import publish_snapshot, registered_location, registered_partitions, within
from jobs.runtime.config import ConfigError, LakeConfig
from jobs.runtime.run_record import Ledger, QualityVerdict, RunRecord
from jobs.runtime.snapshots import SNAPSHOTS, partitions_in, vacuum_snapshots
from jobs.runtime.storage import FileInfo, list_files, read_bytes, read_text, write_text
from jobs.runtime.text_files import read_text_files
from transforms.bronze import CSV_DELIMITER, header_drift, read_file_path, read_record_rows, read_text_lines
from transforms.columns import matches_any
from transforms.contracts import BronzeSource, TableContract
from transforms.frames import UNREADABLE_LINE, conform_to_contract, union_all
from transforms.incremental import LINEAGE

log = logging.getLogger("sales_data_lake")

# The run record (serialized at commit) and a job's change record: JSON-shaped.
Manifest = dict[str, Any]
Changes = dict[str, Any]
# A partition as its column values ({'order_date': '2026-01-05'}); {} is the whole table.
# (catalog.Partition is a registered partition: its values and location.)
PartitionValues = dict[str, Any]

LINES_SCHEMA = "source_file string, source_line int, ingest_date date, raw_record string"
CSV_LINES_SCHEMA = LINES_SCHEMA + ", header_line int, header_names array<string>"
RECORD_ROWS_SCHEMA = "path string, source_line int, raw_record string"


def avro_rows(spark: SparkSession, uri: str) -> list[tuple[str, int, str]]:
    """(uri, 1-based record number, record as JSON) for every record of an Avro file, read with
    fastavro on the driver: the same reader locally and on Glue (the pyspark wheel has no
    spark-avro, and Glue documents only its DynamicFrame reader for Avro)."""
    data = read_bytes(spark, uri)
    if data is None:
        raise FileNotFoundError(uri)
    return [(uri, n, json.dumps(record, default=str)) for n, record in enumerate(fastavro.reader(io.BytesIO(data)), 1)]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


class JobContext:
    """Shared behaviour of both contexts; subclasses override the platform hooks."""

    def __init__(self, job_name: str, config: LakeConfig, spark: SparkSession, run_id: str | None = None):
        self.job_name = job_name
        self.config = config
        self.spark = spark
        self.run_id = run_id or new_run_id()
        self.started = time.time()
        self.run = RunRecord(job_name, self.run_id, datetime.now(UTC).isoformat(), config.job_bookmark_option)
        self.bookmark_store = FileBookmarks(config.state_uri, job_name, spark)
        self._committed: State | None = None
        self.bookmark_reads: State = {}  # what this run read, committed with the run
        self._snapshots = 0  # snapshot folders this run wrote

    # ---- one run at a time ------------------------------------------------------------
    def __enter__(self) -> JobContext:
        """`with open_context(...) as ctx:` holds the job's run lock while the job runs."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Nothing to release here (the local context releases its run lock)."""

    # ---- progress -------------------------------------------------------------------
    def step(self, name: str) -> _Step:
        """`with ctx.step("write silver"):` logs progress and records the step's seconds."""
        return _Step(self, name)

    # ---- sources --------------------------------------------------------------------
    def bookmarks(self) -> State:
        """The job's committed bookmark (read once per run)."""
        if self._committed is None:
            self._committed = self.bookmark_store.load()
        return self._committed

    def select_new_files(self, name: str, files: list[FileInfo]) -> list[FileInfo]:
        """Of `files`, those this run should read: with
        bookmarks on (enable or pause), the new or changed since the last committed run; with
        them off, all. `name` keys the input in the bookmark."""
        if not self.config.reads_incrementally:
            return files
        new = new_or_changed(files, self.bookmarks().get(name, {}))
        self.bookmark_reads[name] = {f.uri: fingerprint(f) for f in new}
        return new

    def read_bronze(self, source: BronzeSource) -> DataFrame:
        """The source's new files as records: (source_file, source_line, ingest_date, raw_record).

        Text formats give one record per non-blank line (its line number); Parquet and Avro one
        per row (its 1-based position in the file), with the row as JSON text.
        """
        root = self.config.source_uri(source)
        landed = list_files(self.spark, root)
        files = self.select_new_files(source.prefix, landed)
        self.run.inputs[source.prefix] = [f.uri for f in files]
        log.info("[%s] %s: %d of %d landed file(s) to read", self.job_name, source.prefix, len(files), len(landed))
        return self._read_records(source, [f.uri for f in files])

    def record_header_drift(self, source: BronzeSource, headers: dict[str, str]) -> None:
        """Keep, per CSV file, how its header (first non-blank line) differs from the source's
        declared columns: the records are read by name either way; the report says what was
        ignored or missing."""
        for path, header in headers.items():
            drift = header_drift(header, source.columns, CSV_DELIMITER)
            if drift:
                self.run.csv_drift[path] = drift

    def reread_bronze(self, source: BronzeSource, source_files: list[str]) -> DataFrame:
        """Records of files read before (`source_file` paths, relative to bronze), read again so
        they are cleaned once more against what changed since; each replaces its earlier row.
        The bookmark is not involved; the manifest lists them under `rereads`."""
        uris = [f"{self.config.bronze_uri}/{path}" for path in source_files]
        self.run.rereads[source.prefix] = uris
        if uris:
            log.info("[%s] %s: %d file(s) to read again", self.job_name, source.prefix, len(uris))
        return self._read_records(source, uris)

    def _read_records(self, source: BronzeSource, uris: list[str]) -> DataFrame:
        if not uris:
            return self.spark.createDataFrame([], CSV_LINES_SCHEMA if source.file_format == "csv" else LINES_SCHEMA)
        if source.file_format in ("csv", "jsonl"):
            return self._text_records(source, uris)
        if source.file_format == "parquet":
            return read_record_rows(self._parquet_records(uris), source.prefix)
        if source.file_format == "avro":
            return read_record_rows(self.read_avro_records(uris), source.prefix)
        raise ValueError(f"{source.prefix}: no reader for format {source.file_format!r}")

    def _text_records(self, source: BronzeSource, uris: list[str]) -> DataFrame:
        """Lines in splits (any file size, exact line numbers); a file whose bytes cannot be
        read becomes its one UNREADABLE_FILE record, with no header."""
        text = read_text_files(self.spark, uris)
        self.run.split_files.update({path: n for path, n in text.splits.items() if n > 1})
        lines = text.lines
        if text.unreadable:
            unreadable = self.spark.createDataFrame(self.unreadable_records(text.unreadable), RECORD_ROWS_SCHEMA)
            lines = lines.unionByName(unreadable, allowMissingColumns=True)
        if source.file_format == "csv":
            self.record_header_drift(source, text.first_lines)
            return read_text_lines(lines, source.prefix, CSV_DELIMITER)
        return read_text_lines(lines, source.prefix)

    def _parquet_records(self, uris: list[str]) -> DataFrame:
        return self.records_of_files(uris, self._parquet_files_records)

    def _parquet_files_records(self, uris: list[str]) -> DataFrame:
        # Reads every footer now (a broken file fails here); files of other columns merge,
        # and to_json leaves out the nulls a file gets for columns it does not have.
        rows = self.spark.read.option("mergeSchema", "true").parquet(*uris)
        return rows.select(
            read_file_path().alias("path"),
            (F.col("_metadata.row_index") + 1).cast("int").alias("source_line"),
            F.to_json(F.struct(*[F.col(f"`{c}`") for c in rows.columns])).alias("raw_record"),
        )

    def records_of_files(self, uris: list[str], read_files: Callable[[list[str]], DataFrame]) -> DataFrame:
        """All files in one read; when that read fails, each file on its own, so that one file
        with broken bytes or clashing columns cannot stop the others (see `records_per_file`)."""
        try:
            return read_files(uris)
        except Exception as error:  # noqa: BLE001 - any failure sends us file by file
            log.warning(
                "[%s] %d file(s) cannot be read together (%s); reading them one by one",
                self.job_name,
                len(uris),
                first_line(error),
            )
            return self.records_per_file(uris, lambda uri: read_files([uri]))

    def records_per_file(self, uris: list[str], read_file: Callable[[str], DataFrame]) -> DataFrame:
        """Each file read on its own. A file that cannot be read at all becomes one record
        (line 0) that the record rules quarantine whole as UNREADABLE_FILE; the report names it."""
        frames, unreadable = [], []
        for uri in uris:
            try:
                frames.append(read_file(uri))
            except Exception as error:  # noqa: BLE001 - whatever the reader says, the file is unreadable
                unreadable.append((uri, error))
        frames.append(self.spark.createDataFrame(self.unreadable_records(unreadable), RECORD_ROWS_SCHEMA))
        return union_all(frames)

    def unreadable_records(self, failures: list[tuple[str, Exception]]) -> list[tuple[str, int, str]]:
        """The one record standing for each file that could not be read, logged and kept in the manifest."""
        records = []
        for uri, error in failures:
            reason = first_line(error)
            log.warning("[%s] %s cannot be read, quarantined whole: %s", self.job_name, uri, reason)
            records.append((uri, UNREADABLE_LINE, f"unreadable file: {reason}"))
        self.run.unreadable_files += [uri for uri, _ in failures]
        return records

    def read_avro_records(self, uris: list[str]) -> DataFrame:
        """Every file's records in one frame; a file fastavro cannot read becomes its one
        UNREADABLE_FILE record (see `records_per_file`)."""
        records, failures = [], []
        for uri in uris:
            try:
                records += avro_rows(self.spark, uri)
            except Exception as error:  # noqa: BLE001 - whatever fastavro says, the file is unreadable
                failures.append((uri, error))
        rows = records + self.unreadable_records(failures)
        if not rows:
            return self.spark.createDataFrame([], RECORD_ROWS_SCHEMA)
        # Handed over as Arrow columns: several times faster than Python rows.
        paths, lines, texts = zip(*rows, strict=True)
        columns = {"path": (paths, pa.string()), "source_line": (lines, pa.int32()), "raw_record": (texts, pa.string())}
        return self.spark.createDataFrame(pa.table({name: pa.array(v, t) for name, (v, t) in columns.items()}))

    def table_exists(self, table: TableContract) -> bool:
        """Has the table been written (and registered) before?"""
        return registered_location(self.spark, table.qualified_name) is not None

    def read_table(self, table: TableContract) -> DataFrame:
        """A lake table as the catalog publishes it (its current snapshot of every partition).

        A table never written yet (no returns landed so far, say) reads as empty, not as an error,
        and as a relation Spark's optimizer knows is empty: joins against it are dropped from the
        plan instead of computing their other side (a first run's whole batch, several times).
        """
        uri = self.config.table_uri(table)
        location = registered_location(self.spark, table.qualified_name)
        if location is None:
            return self.spark.createDataFrame([], table.schema).where(F.lit(False))
        if not within(location, uri):
            raise ConfigError(
                f"{table.qualified_name} is registered at {location}, not in this lake ({uri}); "
                "each lake needs its own state folder (catalog)"
            )
        return self.spark.table(table.qualified_name).select(*table.column_names)

    # ---- sinks ----------------------------------------------------------------------
    def write_table(
        self, df: DataFrame, table: TableContract, replaces: list[PartitionValues] | None = None, full: bool = False
    ) -> list[tuple[str, ...]]:
        """Publish `df` as the table's partitions it has rows for (others untouched); returns
        those partitions' values.

        The rows go to a new snapshot folder; then the catalog points each written partition
        (or the whole unpartitioned table) at it in one metastore operation per partition, so
        readers never see a half-written partition. `replaces` lists partitions (as
        {column: value}) that `df` stands for in full: those it has no row for are dropped.
        `full` replaces the whole table. Old snapshots are removed after the retention time.
        """
        uri = self.config.table_uri(table)
        self._snapshots += 1
        snapshot = f"{uri}/{SNAPSHOTS}/{self.run_id}-{self._snapshots}"
        out = conform_to_contract(df, table)
        if table.partition_by:
            out = out.repartition(*table.partition_by)
        out.write.mode("errorifexists").partitionBy(*table.partition_by).parquet(snapshot)
        failpoints.reach(f"{self.job_name}:publish {table.qualified_name}")
        written = partitions_in(self.spark, snapshot, table.partition_by)
        keys = table.partition_by
        drop = [tuple(str(p[k]) for k in keys) for p in replaces or []]
        if full and keys and registered_location(self.spark, table.qualified_name):
            drop = [p.values for p in registered_partitions(self.spark, table.database, table.name)]
        publish_snapshot(self.spark, table, uri, snapshot, written, drop)
        self.run.outputs[table.qualified_name] = snapshot
        vacuum_snapshots(self.spark, table, uri, self.config.snapshot_retention_seconds)
        return written

    def merge_into(self, batch: DataFrame, table: TableContract, remove_lineage: DataFrame) -> list[PartitionValues]:
        """Put a batch's rows into a lineage-carrying table, rewriting only what changes.

        Existing rows whose (source_file, source_line) is in `remove_lineage` go away (a re-read
        record, or a version moved to quarantine); the batch's rows come in. Only partitions
        that gain or lose a row are rewritten. Returns those partitions ({column: value}).
        """
        keys = list(table.partition_by)
        if not self.table_exists(table):
            # Never written (a first run): nothing to keep or take out, so the batch goes
            # straight to the table, computed once.
            if batch.isEmpty():
                return []
            written = self.write_table(batch, table)
            return [dict(zip(keys, values, strict=True)) for values in written] if keys else [{}]
        with cached(batch) as batch:  # read twice: for the partitions it touches, then written
            existing = self.read_table(table)
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
            else:
                affected = [{}]
            kept = existing.join(lineage, list(LINEAGE), "left_anti")
            rows = conform_to_contract(kept, table).unionByName(conform_to_contract(batch, table))
            self.write_table(rows, table, replaces=affected if keys else None)
            return affected

    # ---- what a run changed, for the jobs downstream --------------------------------
    def record_changes(self, changes: Changes) -> None:
        """Keep what this run changed (`state/changes/<job>/<run_id>.json`) for downstream jobs."""
        uri = self.config.state_path("changes", self.job_name, f"{self.run_id}.json")
        write_text(self.spark, uri, json.dumps(changes, default=str))  # one line: JSON lines too
        self.run.changes = changes

    def read_changes(self, upstream_job: str) -> list[Changes]:
        """The change records of `upstream_job` this run has not consumed yet (bookmarked)."""
        root = self.config.state_path("changes", upstream_job)
        name = f"changes/{upstream_job}"
        files = self.select_new_files(name, list_files(self.spark, root))
        self.run.inputs[name] = [f.uri for f in files]
        return [json.loads(self._existing_text(f.uri)) for f in files]

    def _existing_text(self, uri: str) -> str:
        text = read_text(self.spark, uri)
        if text is None:
            raise FileNotFoundError(uri)
        return text

    # ---- quality --------------------------------------------------------------------
    def check_quality(self, df: DataFrame, suite: Suite) -> SuiteResult:
        """Run the suite, keep its result as JSON, and stop the job on a critical failure."""
        started = time.time()
        result = run_suite(df, suite)
        uri = self.config.state_path("quality", self.job_name, self.run_id, f"{suite.name}.json")
        write_text(self.spark, uri, json.dumps(result.to_dict(), indent=2, default=str))
        self.run.quality[suite.name] = QualityVerdict(
            success=result.success,
            evaluated=len(result.outcomes),
            failed=[o.describe() for o in result.critical_failures],
            warnings=[o.describe() for o in result.warnings],
            result_uri=uri,
            seconds=round(time.time() - started, 2),
        )
        return enforce(result) if self.config.quality_mode == "enforce" else result

    # ---- metrics and commit ---------------------------------------------------------
    def record_metric(self, name: str, value: float) -> None:
        self.run.metrics[name] = value
        log.info("[%s] %s = %s", self.job_name, name, value)

    def record_ledger(self, dataset: str, outcome_counts: DataFrame) -> Ledger:
        """Keep per-file outcome counts (see `transforms.frames.outcome_counts`) and totals."""
        ledger = Ledger.of([(r.source_file, r.outcome, r["count"]) for r in outcome_counts.collect()])
        self.run.ledger[dataset] = ledger
        self.record_metric(f"{dataset}.rows_in", ledger.rows_in)
        self.record_metric(f"{dataset}.rows_silver", ledger.rows_silver)
        self.record_metric(f"{dataset}.rows_quarantined", ledger.rows_quarantined)
        return ledger

    def commit_bookmarks(self) -> None:
        """Make this run's reads part of the job's bookmark (enable only)."""
        if self.config.commits_bookmarks:
            self.bookmark_store.save(merged(self.bookmarks(), self.bookmark_reads), self.run_id)

    def commit_platform(self) -> None:
        """Platform hook: tell the platform the run is done (Glue: `job.commit()`)."""

    def commit(self) -> Manifest:
        """Record the run manifest, then commit bookmarks: called after every output is written."""
        self.run.status = "succeeded"
        self.run.seconds = round(time.time() - self.started, 2)
        record = self.run.to_json()
        uri = self.config.state_path("runs", self.job_name, f"{self.run_id}.json")
        write_text(self.spark, uri, json.dumps(record, indent=2, default=str))
        failpoints.reach(f"{self.job_name}:before bookmark commit")
        self.commit_bookmarks()
        self.commit_platform()
        # The line CloudWatch counts to tell whether the lake is fresh (infra/modules/cloudwatch).
        log.info("[%s] run committed (%s)", self.job_name, self.run_id)
        return record


@contextmanager
def cached(df: DataFrame) -> Iterator[DataFrame]:
    """`df` cached while the block runs; a frame the caller cached stays cached after it."""
    if df.is_cached:
        yield df
        return
    df = df.cache()
    try:
        yield df
    finally:
        df.unpersist()


def first_line(error: Exception) -> str:
    """What an error says, in one line (readers put stack traces after the first)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:500]


class _Step:
    def __init__(self, ctx: JobContext, name: str):
        self.ctx, self.name = ctx, name

    def __enter__(self) -> _Step:
        log.info("[%s] %s ...", self.ctx.job_name, self.name)
        self.started = time.time()
        return self

    def __exit__(self, failure_type: type[BaseException] | None, *_: object) -> None:
        seconds = round(time.time() - self.started, 2)
        self.ctx.run.steps[self.name] = seconds
        self.ctx.run.timeline.append((self.name, round(self.started, 3), seconds))
        if failure_type is None:
            log.info("[%s] %s done in %.1fs", self.ctx.job_name, self.name, seconds)
            failpoints.reach(f"{self.ctx.job_name}:after {self.name}")
