"""Start a job script the way AWS Glue starts it, on this machine.

`python -m local.runner.glue_run SCRIPT ARG...` runs SCRIPT as `__main__` with `sys.argv` = [SCRIPT,
ARG...], exactly the command line Glue gives a job run, through awsglue's real
`getResolvedOptions`. Several command lines joined by `--then` run one after another in the
one process (a stage of a workflow, each job run its own `__main__` and its own `Job`; they
share the JVM, where Glue gives each run its own), stopping at the first that fails.

Only the parts of `awsglue` that need Glue's JVM classes are replaced, by stand-ins that
enforce what Glue's own classes require:

- `GlueContext(sc)` wraps the running SparkSession (a local one, with the lake's metastore
  standing in for the Glue Data Catalog); it has no DynamicFrame readers: the lake reads none.
- `Job.init(name, args)` must come once, before `commit`, with `name` equal to
  `args["JOB_NAME"]` and the run identity Glue passed (JOB_ID, JOB_RUN_ID, the bookmark option);
  `Job.commit()` must come once, after `init`.

Each call is appended as a JSON line to the file `SDL_GLUE_CALLS` names, so a test can check
what Glue would have been told and in which order.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from collections.abc import Sequence
from typing import Any

import awsglue.context
import awsglue.job
from pyspark.sql import SparkSession

from jobs.runtime.config import parse_arguments, resolve_config
from jobs.runtime.local import local_path
from jobs.runtime.session import local_session

CALLS_VARIABLE = "SDL_GLUE_CALLS"
BOOKMARK_OPTIONS = awsglue.job.Job.job_bookmark_options()[1:]


class GlueContractError(AssertionError):
    """The job used awsglue in a way Glue itself would refuse or get wrong."""


def record_call(*call: Any) -> None:
    target = os.environ.get(CALLS_VARIABLE)
    if target:
        with open(target, "a", encoding="utf-8") as calls:
            calls.write(json.dumps(call) + "\n")


class GlueContextStandIn:
    """awsglue's GlueContext without its JVM half: the active SparkSession, nothing else."""

    def __init__(self, spark_context: Any = None, **options: Any):
        self.spark_session = SparkSession.builder.getOrCreate()
        self.sparkSession = self.spark_session
        if spark_context is not None and spark_context is not self.spark_session.sparkContext:
            raise GlueContractError("GlueContext was given a SparkContext other than the running one")
        record_call("GlueContext")


class JobStandIn(awsglue.job.Job):
    """awsglue's Job (its class methods, which getResolvedOptions uses, are the real ones)
    with `init` and `commit` checked instead of sent to Glue's JVM."""

    def __init__(self, glue_context: Any):
        if not isinstance(glue_context, GlueContextStandIn):
            raise GlueContractError(f"Job needs a GlueContext, got {type(glue_context).__name__}")
        self.initialized = self.committed = False

    def init(self, job_name: str, args: dict | None = None) -> None:
        args = args or {}
        problems = []
        if self.initialized:
            problems.append("Job.init called twice")
        if not job_name or job_name != args.get("JOB_NAME"):
            problems.append(f"Job.init name {job_name!r} is not the JOB_NAME Glue passed ({args.get('JOB_NAME')!r})")
        problems += [f"Job.init args lack {key}" for key in ("JOB_ID", "JOB_RUN_ID") if not args.get(key)]
        if args.get("job_bookmark_option") not in BOOKMARK_OPTIONS:
            problems.append(f"Job.init args have no valid job_bookmark_option: {args.get('job_bookmark_option')!r}")
        if problems:
            raise GlueContractError("; ".join(problems))
        self.initialized = True
        keys = ("JOB_NAME", "JOB_ID", "JOB_RUN_ID", "job_bookmark_option")
        record_call("Job.init", job_name, {k: args[k] for k in keys})

    def isInitialized(self) -> bool:
        return self.initialized

    def commit(self) -> None:
        if not self.initialized or self.committed:
            raise GlueContractError("Job.commit must come once, after Job.init")
        self.committed = True
        record_call("Job.commit")


def install_stand_ins() -> None:
    awsglue.context.GlueContext = GlueContextStandIn  # type: ignore[misc]
    awsglue.job.Job = JobStandIn  # type: ignore[misc]


def run_as_glue(script: str, arguments: Sequence[str]) -> int:
    """Run `script` as Glue would, with `arguments` after it; its exit code."""
    install_stand_ins()
    # On Glue the catalog is the Glue Data Catalog; here, the lake's metastore in its state folder.
    state = resolve_config(list(arguments), {}).state_uri
    local_session(str(local_path(state)), app_name=parse_arguments(arguments).get("JOB_NAME", "glue-job"))
    sys.argv = [script, *arguments]
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as finished:
        return finished.code if isinstance(finished.code, int) else (0 if finished.code is None else 1)
    return 0


THEN = "--then"


def command_lines(argv: Sequence[str]) -> list[list[str]]:
    """`SCRIPT ARG... --then SCRIPT ARG...` as one command line per job run."""
    lines: list[list[str]] = [[]]
    for token in argv:
        if token == THEN:
            lines.append([])
        else:
            lines[-1].append(token)
    return [line for line in lines if line]


def run_all_as_glue(argv: Sequence[str]) -> int:
    """Each job run in turn; the exit code of the first that fails, else 0."""
    for script, *arguments in command_lines(argv):
        code = run_as_glue(script, arguments)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(
            "usage: python -m local.runner.glue_run SCRIPT [--JOB_NAME name --JOB_RUN_ID id ...] [--then SCRIPT ...]"
        )
    sys.exit(run_all_as_glue(sys.argv[1:]))
