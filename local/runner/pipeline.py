"""Runs the lake's jobs in order on one local SparkSession, exactly as Glue would run them:
each domain's jobs (jobs.pipeline), or one domain's, or one run of each job for the whole lake."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from pyspark.sql import SparkSession

from jobs.pipeline import DOMAIN_JOBS, DomainJob
from jobs.runtime.local import open_local_context
from jobs.runtime.run_record import RunRecord


@dataclass
class PipelineRun:
    records: dict[str, RunRecord] = field(default_factory=dict)  # job run name -> its run record
    seconds: dict[str, float] = field(default_factory=dict)
    scripts: dict[str, str] = field(default_factory=dict)  # job run name -> the job script it ran

    def records_of(self, script: str) -> list[RunRecord]:
        """The run records of every run of a job script (each domain's), in pipeline order."""
        return [record for name, record in self.records.items() if self.scripts[name] == script]


def jobs_of(domain: str) -> list[DomainJob]:
    """The runs `--domain` names (all of them for ""), in the pipeline's order."""
    selected = [job for job in DOMAIN_JOBS if not domain or job.domain == domain]
    if not selected:
        raise ValueError(f"no domain {domain!r}: the lake's are {sorted({j.domain for j in DOMAIN_JOBS})}")
    return selected


def run_pipeline(
    spark: SparkSession, job_argv: list[str], environ: dict[str, str], jobs: Sequence[DomainJob] = DOMAIN_JOBS
) -> PipelineRun:
    """Run `jobs` in order with the same arguments; a failing job stops the pipeline (it raises)."""
    run = PipelineRun()
    for job in jobs:
        started = time.time()
        with open_local_context(job.job, [*job_argv, *job.arguments], environ, spark=spark) as ctx:
            run.records[job.name] = job.entry(ctx)
        run.seconds[job.name] = round(time.time() - started, 2)
        run.scripts[job.name] = job.job
    return run
