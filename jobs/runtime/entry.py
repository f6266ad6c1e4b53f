"""How a job script starts: pick the context for where it runs, run `main`, report failures."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence

from expectations.gate import QualityGateFailed
from jobs.runtime.config import LAKE_ARGUMENTS, ConfigError, parse_arguments
from jobs.runtime.context import JobContext
from jobs.runtime.run_lock import JobAlreadyRunning
from jobs.runtime.run_record import RunRecord
from jobs.runtime.sla import SlaBreached

log = logging.getLogger("sales_data_lake")
# How a job's log lines look on stderr, which Glue 6.0 sends to <--custom-logGroup-prefix>/output.
LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


def runs_on_glue(argv: Sequence[str]) -> bool:
    """Glue starts every job run with a `--JOB_RUN_ID` argument; a local run never has one."""
    return "JOB_RUN_ID" in parse_arguments(argv)


def open_context(job_name: str, argv: Sequence[str], arguments: Sequence[str]) -> JobContext:
    if runs_on_glue(argv):
        from jobs.runtime.glue import open_glue_context

        return open_glue_context(job_name, argv, os.environ, arguments)
    from jobs.runtime.local import open_local_context

    return open_local_context(job_name, argv, os.environ, arguments)


def run_job(
    main: Callable[[JobContext], RunRecord],
    job_name: str,
    arguments: Sequence[str] = LAKE_ARGUMENTS,
    argv: Sequence[str] | None = None,
) -> int:
    """Run a job's `main` as a script; the exit code says whether it succeeded. `argv` is the
    whole command line (`sys.argv`, the script path first), as Glue's getResolvedOptions wants it."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    name = job_name  # the run's own name once it is open (a domain's job names itself after both)
    try:
        with open_context(job_name, sys.argv if argv is None else argv, arguments) as ctx:
            name = ctx.job_name
            main(ctx)
    except (QualityGateFailed, ConfigError, JobAlreadyRunning, SlaBreached) as failure:
        log.error("%s failed: %s", name, failure)
        return 1
    return 0
