"""The job context: one run of a job, and the services its code uses by name.

    ctx.bronze   landed files as records, with lineage and a fallback per file
    ctx.tables   lake tables: read, write (atomic snapshots), merge by lineage
    ctx.quality  quality suites run, kept and enforced
    ctx.changes  what a run changed, for the jobs downstream
    ctx.inputs   which files a run reads (job bookmarks)
    ctx.run      the typed run record, written once at commit

A job never asks whether it runs on Glue or locally: that difference is the `Platform`
(jobs.runtime.platform), and it is only the session, the run lock and the commit.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from jobs.runtime import cloudwatch, cost, failpoints, lineage, run_history
from jobs.runtime.bookmarks import FileBookmarks
from jobs.runtime.bronze_reader import BronzeReader
from jobs.runtime.changes import ChangeFeed
from jobs.runtime.config import LakeConfig, job_identity
from jobs.runtime.inputs import Inputs
from jobs.runtime.platform import Platform
from jobs.runtime.progress import Progress
from jobs.runtime.quality import QualityGate
from jobs.runtime.run_record import RunRecord
from jobs.runtime.storage import write_text
from jobs.runtime.tables import Tables

log = logging.getLogger("sales_data_lake")
PROGRESS_SECONDS = 10.0  # how often a long step says how far it is


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


class JobContext:
    def __init__(self, job: str, config: LakeConfig, platform: Platform, run_id: str | None = None):
        """`job` is the script's name; a run for one domain is named after both."""
        self.job_name, self.config, self.platform = job_identity(job, config.domain), config, platform
        self.spark = platform.spark
        self.run_id = run_id or new_run_id()
        self.started = time.time()
        self.run = RunRecord(self.job_name, self.run_id, datetime.now(UTC).isoformat(), config.job_bookmark_option)
        self.inputs = Inputs(FileBookmarks(config.state_uri, self.job_name, self.spark), config, self.run)
        self.bronze = BronzeReader(self.spark, config, self.run, self.inputs)
        self.tables = Tables(self.spark, config, self.run)
        self.quality = QualityGate(self.spark, config, self.run)
        self.changes = ChangeFeed(self.spark, config, self.run, self.inputs)
        self.lineage = lineage.Lineage(
            lineage.transport_for(config, self.job_name), self.run, config.domain, self.spark.version
        )
        self._lock: AbstractContextManager[object] | None = None
        self.progress_every = PROGRESS_SECONDS

    def __enter__(self) -> JobContext:
        """`with open_context(...) as ctx:` holds the job's run lock while the job runs."""
        self._lock = self.platform.one_run_at_a_time(self.job_name, self.run_id)
        self._lock.__enter__()
        self.lineage.emit(lineage.RunState.START, self.datasets())
        return self

    def __exit__(self, failure_type: type[BaseException] | None, failure: BaseException | None, *_: object) -> None:
        if failure_type is not None and self.run.status is None:
            # A run that failed before its commit still tells CloudWatch (a failed quality gate
            # is an alarm); its outputs and bookmark stay as they were.
            self.run.status = "failed"
            self._finish()
            try:
                self._send_figures()
            except Exception as error:  # noqa: BLE001 - the run's own failure is the one to report
                log.warning("[%s] the failed run's figures were not kept: %s", self.job_name, error)
            self.lineage.emit(lineage.RunState.FAIL, self.datasets(), failure)
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None

    def step(self, name: str) -> _Step:
        """`with ctx.step("write silver"):` logs progress and records the step's seconds."""
        return _Step(self, name)

    def commit(self) -> RunRecord:
        """Write the run record, then commit bookmarks: called after every output is written."""
        self.run.status = "succeeded"
        self._finish()
        self._send_figures()
        self.lineage.emit(lineage.RunState.COMPLETE, self.datasets())
        uri = self.config.state_path("runs", self.job_name, f"{self.run_id}.json")
        write_text(self.spark, uri, json.dumps(self.run.to_json(), indent=2, default=str))
        failpoints.reach(f"{self.job_name}:before bookmark commit")
        self.inputs.commit()
        self.platform.commit()
        log.info("[%s] run committed (%s)", self.job_name, self.run_id)
        return self.run

    def _finish(self) -> None:
        """The run's seconds, and what they cost on Glue at the job's size (Glue bills a failed
        run too)."""
        self.run.seconds = round(time.time() - self.started, 2)
        size = (self.config.number_of_workers, self.config.worker_type)
        self.run.estimated_usd = round(cost.estimated_cost(self.run.seconds, *size).usd, 6)

    def datasets(self) -> lineage.RunDatasets:
        """What the run read and wrote so far. A table it also writes is an output only: the
        rows it read from it are the table's own history (a merge, ranking against it)."""
        written = self.tables.written_tables
        reads = {uri: table for uri, table in self.tables.read_tables.items() if uri not in written}
        return lineage.RunDatasets(self.bronze.sources_read, reads, dict(written))

    def _send_figures(self) -> None:
        """The run's figures to CloudWatch, where the platform has an endpoint (kept in the run
        record either way; an unreachable CloudWatch is a warning, never a failed run), and the
        run and its figures to its domain's run history tables."""
        figures = cloudwatch.figures_of(self.run, self.config.domain)
        client = self.platform.cloudwatch()
        if client is not None:
            self.run.cloudwatch = cloudwatch.publish(figures, client)
        domain = self.config.domain
        self.tables.add_rows([run_history.job_run_row(self.run)], run_history.job_runs_table(domain))
        self.tables.add_rows(run_history.figure_rows(self.run, figures), run_history.run_figures_table(domain))


class _Step:
    def __init__(self, ctx: JobContext, name: str):
        self.ctx, self.name = ctx, name

    def __enter__(self) -> _Step:
        log.info("[%s] %s ...", self.ctx.job_name, self.name)
        self.started = time.time()
        self.progress = Progress(self.ctx.spark, self.ctx.job_name, self.name, self.ctx.progress_every).__enter__()
        return self

    def __exit__(self, failure_type: type[BaseException] | None, *_: object) -> None:
        self.progress.__exit__(None, None, None)
        seconds = round(time.time() - self.started, 2)
        self.ctx.run.steps[self.name] = seconds
        self.ctx.run.timeline.append((self.name, round(self.started, 3), seconds))
        if failure_type is None:
            log.info("[%s] %s done in %.1fs", self.ctx.job_name, self.name, seconds)
            failpoints.reach(f"{self.ctx.job_name}:after {self.name}")
