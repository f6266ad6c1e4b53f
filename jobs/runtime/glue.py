"""The AWS Glue job context: GlueContext, Job and getResolvedOptions from `awsglue`.

`awsglue` needs Glue's JVM classes, so it is imported only when a job actually runs on Glue.
Everything else (sources, bookmarks, sinks, the run record) is the shared `JobContext`: Glue
only opens the session, reads the PII key from Secrets Manager and hears `job.commit()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jobs.runtime.config import LAKE_ARGUMENTS, LakeConfig, resolve_config
from jobs.runtime.context import JobContext
from jobs.runtime.secrets import with_pii_key_from_secret
from jobs.runtime.session import COMMON_SETTINGS, GLUE_SETTINGS


class GlueJobContext(JobContext):
    def __init__(self, job_name: str, config: LakeConfig, glue_context: Any, job: Any, run_id: str | None = None):
        super().__init__(job_name, config, glue_context.spark_session, run_id)
        self.glue_context = glue_context
        self.job = job

    def commit_platform(self) -> None:
        self.job.commit()


def open_glue_context(
    job_name: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    arguments: Sequence[str] = LAKE_ARGUMENTS,
    secrets: Any = None,
) -> GlueJobContext:
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
    return GlueJobContext(job_name, config, glue_context, job, glue_args.get("JOB_RUN_ID"))
