"""The AWS Glue job context: GlueContext, Job and getResolvedOptions from `awsglue`.

`awsglue` needs Glue's JVM classes, so it is imported only when a job actually runs on Glue.
Everything else (sources, bookmarks, sinks, the run record) is the shared `JobContext`: Glue
only opens the session, reads the PII key from Secrets Manager and hears `job.commit()`.
One run at a time is the job's MaxConcurrentRuns = 1 (infra/modules/glue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from pyspark.sql import SparkSession

from jobs.runtime import cloudwatch
from jobs.runtime.config import LAKE_ARGUMENTS, resolve_config
from jobs.runtime.context import JobContext
from jobs.runtime.secrets import with_pii_key_from_secret
from jobs.runtime.session import COMMON_SETTINGS, GLUE_SETTINGS


class GluePlatform:
    def __init__(self, glue_context: Any, job: Any):
        self.glue_context, self.job = glue_context, job

    @property
    def spark(self) -> SparkSession:
        session: SparkSession = self.glue_context.spark_session
        return session

    def one_run_at_a_time(self, job_name: str, run_id: str) -> AbstractContextManager[object]:
        return nullcontext()  # Glue runs one at a time: MaxConcurrentRuns = 1

    def cloudwatch(self) -> Any | None:
        return cloudwatch.client()  # the job role may put metrics in the lake's namespace

    def commit(self) -> None:
        self.job.commit()


def open_glue_context(
    job_name: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    arguments: Sequence[str] = LAKE_ARGUMENTS,
    secrets: Any = None,
) -> JobContext:
    """`argv` is the whole command line as Glue starts the script (`sys.argv`, the script path
    first: getResolvedOptions skips it). `job_name` is the job's own identity, used for its
    state and log lines; Glue's `--JOB_NAME` (the deployed name) goes only to `Job.init`."""
    import boto3
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark import SparkContext

    glue_args = getResolvedOptions(list(argv), ["JOB_NAME"])
    config = resolve_config(argv, environ, arguments)
    config = with_pii_key_from_secret(config, secrets or boto3.client("secretsmanager"))
    glue_context = GlueContext(SparkContext.getOrCreate())
    for key, value in {**COMMON_SETTINGS, **GLUE_SETTINGS}.items():
        glue_context.spark_session.conf.set(key, value)
    job = Job(glue_context)
    job.init(glue_args["JOB_NAME"], glue_args)
    return JobContext(job_name, config, GluePlatform(glue_context, job), glue_args.get("JOB_RUN_ID"))
