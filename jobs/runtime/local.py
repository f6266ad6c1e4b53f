"""The local platform: plain Spark with a Hive metastore in the lake's state folder, and one
run of a job at a time through a lock file there."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from jobs.runtime import cloudwatch
from jobs.runtime.config import LAKE_ARGUMENTS, ConfigError, LakeConfig, resolve_config
from jobs.runtime.context import JobContext
from jobs.runtime.run_lock import RunLock
from jobs.runtime.session import local_session
from jobs.runtime.uris import local_path_of

ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDWATCH")


def local_path(uri: str) -> Path:
    """The local folder or file a lake URI names; an error for any other file system."""
    path = local_path_of(uri)
    if path is None:
        raise ConfigError(f"{uri} is not a local path: the local runner keeps its state in a local folder")
    return path


class LocalPlatform:
    def __init__(self, spark: SparkSession, config: LakeConfig):
        self._spark, self.config = spark, config

    @property
    def spark(self) -> SparkSession:
        return self._spark

    def one_run_at_a_time(self, job_name: str, run_id: str) -> AbstractContextManager[object]:
        return self._locked(RunLock(local_path(self.config.state_uri), job_name, run_id))

    @contextmanager
    def _locked(self, lock: RunLock) -> Iterator[RunLock]:
        lock.acquire(self.config.lock_wait_seconds)
        try:
            yield lock
        finally:
            lock.release()

    def cloudwatch(self) -> Any | None:
        """A CloudWatch endpoint only when one is configured (`AWS_ENDPOINT_URL`, or the
        service's own `AWS_ENDPOINT_URL_CLOUDWATCH`), so a run here never reaches real AWS
        unasked."""
        if not any(os.environ.get(name) for name in ENDPOINT_VARIABLES):
            return None
        return cloudwatch.client()

    def commit(self) -> None:
        """Nothing to tell: the run record and bookmark in the state folder are the commit."""


def local_context(job_name: str, config: LakeConfig, spark: SparkSession, run_id: str | None = None) -> JobContext:
    return JobContext(job_name, config, LocalPlatform(spark, config), run_id)


def open_local_context(
    job_name: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    arguments: Sequence[str] = LAKE_ARGUMENTS,
    spark: SparkSession | None = None,
) -> JobContext:
    config = resolve_config(argv, environ, arguments)
    return local_context(job_name, config, spark or local_session(config.state_uri))
