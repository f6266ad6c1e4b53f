"""The local job context: plain Spark with a Hive metastore in the lake's state folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pyspark.sql import SparkSession

from jobs.runtime.config import LAKE_ARGUMENTS, resolve_config
from jobs.runtime.context import JobContext
from jobs.runtime.session import local_session


class LocalJobContext(JobContext):
    """Same semantics as the Glue context; bookmarks arrive with the bookmark store."""


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
