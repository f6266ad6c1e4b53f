"""The local job context: plain Spark with a Hive metastore in the lake's state folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pyspark.sql import SparkSession

from jobs.runtime.config import LAKE_ARGUMENTS, ConfigError, LakeConfig, resolve_config
from jobs.runtime.context import JobContext
from jobs.runtime.run_lock import RunLock
from jobs.runtime.session import local_session
from jobs.runtime.storage import local_path_of


def local_path(uri: str) -> Path:
    """The local folder or file a lake URI names; an error for any other file system."""
    path = local_path_of(uri)
    if path is None:
        raise ConfigError(f"{uri} is not a local path: the local runner keeps its state in a local folder")
    return path


class LocalJobContext(JobContext):
    """Plain Spark; one run of a job at a time through a lock file in the state folder (on Glue,
    the job's MaxConcurrentRuns = 1)."""

    def __init__(self, job_name: str, config: LakeConfig, spark: SparkSession, run_id: str | None = None):
        super().__init__(job_name, config, spark, run_id)
        self.lock = RunLock(local_path(config.state_uri), job_name, self.run_id)

    def __enter__(self) -> LocalJobContext:
        self.lock.acquire(self.config.lock_wait_seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


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
