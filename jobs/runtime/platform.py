"""What differs between AWS Glue and a local run, and nothing else.

Everything a job does (reading bronze, the tables, bookmarks in the state folder, quality,
the run record) is the same code on both; a platform only brings the SparkSession, makes sure
one run of a job goes at a time, says where the run's metrics go, and hears that a run is done.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from pyspark.sql import SparkSession


class Platform(Protocol):
    @property
    def spark(self) -> SparkSession: ...

    def one_run_at_a_time(self, job_name: str, run_id: str) -> AbstractContextManager[object]:
        """Held while a run of `job_name` runs (Glue: the job's MaxConcurrentRuns = 1)."""
        ...

    def cloudwatch(self) -> Any | None:
        """A boto3 CloudWatch client for the run's metrics, or None: the run record only."""
        ...

    def commit(self) -> None:
        """The run is done: its outputs and bookmark are written (Glue: `job.commit()`)."""
        ...
