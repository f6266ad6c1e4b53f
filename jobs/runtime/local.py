"""The local job context: plain Spark with a Hive metastore in the lake's state folder."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

import fastavro
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession

from jobs.runtime.bookmarks import FileBookmarks, State, merged
from jobs.runtime.config import LAKE_ARGUMENTS, resolve_config
from jobs.runtime.context import RECORD_ROWS_SCHEMA, JobContext
from jobs.runtime.run_lock import RunLock
from jobs.runtime.session import local_session


def local_path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def avro_rows(uri: str) -> list[tuple[str, int, str]]:
    """(uri, 1-based record number, record as JSON) for every record of a local Avro file."""
    with local_path(uri).open("rb") as handle:
        return [(uri, n, json.dumps(record, default=str)) for n, record in enumerate(fastavro.reader(handle), 1)]


class LocalJobContext(JobContext):
    """Same semantics as the Glue context: bookmarks and the run lock live in the state folder,
    and Avro is read through fastavro (no spark-avro locally)."""

    def __init__(self, job_name, config, spark, run_id=None):
        super().__init__(job_name, config, spark, run_id)
        state_dir = local_path(config.state_uri)
        self.bookmark_store = FileBookmarks(state_dir, job_name)
        self.lock = RunLock(state_dir, job_name, self.run_id)
        self._committed: State | None = None

    def __enter__(self) -> LocalJobContext:
        self.lock.acquire(self.config.lock_wait_seconds)
        return self

    def __exit__(self, *exc) -> bool:
        self.lock.release()
        return False

    def bookmarks(self) -> State:
        if self._committed is None:
            self._committed = self.bookmark_store.load()
        return self._committed

    def commit_bookmarks(self) -> None:
        if self.config.commits_bookmarks:
            self.bookmark_store.save(merged(self.bookmarks(), self.bookmark_reads), self.run_id)

    def read_avro_records(self, uris: list[str]) -> DataFrame:
        """Every file's records in one frame; a file fastavro cannot read becomes its one
        UNREADABLE_FILE record (see `records_per_file`)."""
        records, failures = [], []
        for uri in uris:
            try:
                records += avro_rows(uri)
            except Exception as error:  # noqa: BLE001 - whatever fastavro says, the file is unreadable
                failures.append((uri, error))
        rows = records + self.unreadable_records(failures)
        if not rows:
            return self.spark.createDataFrame([], RECORD_ROWS_SCHEMA)
        # Handed over as Arrow columns: several times faster than Python rows.
        paths, lines, texts = zip(*rows, strict=True)
        columns = {"path": (paths, pa.string()), "source_line": (lines, pa.int32()), "raw_record": (texts, pa.string())}
        return self.spark.createDataFrame(pa.table({name: pa.array(v, t) for name, (v, t) in columns.items()}))


def open_local_context(
    job_name: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    arguments: Sequence[str] = LAKE_ARGUMENTS,
    spark: SparkSession | None = None,
) -> LocalJobContext:
    config = resolve_config(argv, environ, arguments)
    session = spark or local_session(config.state_uri)
    return LocalJobContext(job_name, config, session)
