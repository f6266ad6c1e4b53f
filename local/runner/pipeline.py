"""Runs the lake's jobs in order on one local SparkSession, exactly as Glue would run them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pyspark.sql import SparkSession

from jobs import bronze_to_silver, silver_to_gold
from jobs.runtime.context import JobContext
from jobs.runtime.local import open_local_context
from jobs.runtime.run_record import RunRecord

# The pipeline, in dependency order: (job name, entry function).
PIPELINE: tuple[tuple[str, Callable[[JobContext], RunRecord]], ...] = (
    (bronze_to_silver.JOB, bronze_to_silver.main),
    (silver_to_gold.JOB, silver_to_gold.main),
)


@dataclass
class PipelineRun:
    records: dict[str, RunRecord] = field(default_factory=dict)  # job -> its run record
    seconds: dict[str, float] = field(default_factory=dict)


def run_pipeline(spark: SparkSession, job_argv: list[str], environ: dict[str, str]) -> PipelineRun:
    """Run every job with the same arguments; a failing job stops the pipeline (it raises)."""
    run = PipelineRun()
    for name, entry in PIPELINE:
        started = time.time()
        with open_local_context(name, job_argv, environ, spark=spark) as ctx:
            run.records[name] = entry(ctx)
        run.seconds[name] = round(time.time() - started, 2)
    return run
