"""`python -m local cost`: what the lake's runs cost, per day, domain, layer and job.

Here, an estimate: what the runs in the local lake would cost on AWS Glue at a given job size
and price per DPU-hour, from each run's measured seconds (its run record), labelled as one.
With `--glue <deployment>`, the real figure: every finished run of the deployment's Glue jobs
as GetJobRuns reports it (jobs.runtime.cost.glue_run_cost), plus the analysts' Athena queries
in the deployment's workgroup (bytes scanned at the price per TB).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobs.pipeline import DOMAIN_JOBS, WHOLE_LAKE
from jobs.runtime.cost import Prices, RunCost, athena_query_cost, estimated_cost, glue_run_cost
from jobs.runtime.run_record import RunRecord

LAYER_OF_SCRIPT = {"bronze_to_silver": "silver", "silver_to_gold": "gold"}
# Job runs Glue bills (every finished one, failed or not); the others are still going.
FINISHED = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR")


@dataclass(frozen=True)
class BilledRun:
    """One run (or query) and what it cost, attributed to a domain, layer and job."""

    day: str  # YYYY-MM-DD (UTC)
    domain: str  # "all" for a run of every domain at once
    layer: str
    job: str
    seconds: float
    cost: RunCost


@dataclass(frozen=True)
class CostRow:
    day: str  # YYYY-MM-DD (UTC), from the run id
    domain: str  # "all" for a run of every domain at once
    layer: str  # what the job publishes: silver or gold
    job: str
    runs: int
    seconds: float
    dpu_hours: float
    usd: float


def saved_runs(state: Path) -> list[RunRecord]:
    """Every committed run's record in the lake's state folder."""
    paths = sorted((state / "runs").glob("*/*.json"))
    records = [RunRecord.from_json(json.loads(path.read_text())) for path in paths]
    return [r for r in records if r.status == "succeeded" and r.seconds is not None]


def _attributed(job_name: str) -> tuple[str, str]:
    """A run's (domain, layer), from the job it is a run of."""
    job = {job.name: job for job in (*DOMAIN_JOBS, *WHOLE_LAKE)}[job_name]
    return job.domain or "all", LAYER_OF_SCRIPT[job.job]


def estimated_runs(records: Iterable[RunRecord], workers: int, worker_type: str, prices: Prices) -> list[BilledRun]:
    """The local runs, each at what it would cost on Glue at that job size."""
    billed = []
    for record in records:
        seconds = float(record.seconds or 0)
        day = f"{record.run_id[:4]}-{record.run_id[4:6]}-{record.run_id[6:8]}"
        cost = estimated_cost(seconds, workers, worker_type, prices)
        billed.append(BilledRun(day, *_attributed(record.job), record.job, seconds, cost))
    return billed


def glue_runs(glue: Any, deployment: str, prices: Prices) -> list[BilledRun]:
    """Every finished run of the deployment's Glue jobs (`<deployment>-<job>`), at its cost as
    Glue's own run record gives it. A job not deployed has no runs."""
    billed = []
    for job in DOMAIN_JOBS:
        try:
            pages = list(glue.get_paginator("get_job_runs").paginate(JobName=f"{deployment}-{job.name}"))
        except glue.exceptions.EntityNotFoundException:
            continue
        for run in (run for page in pages for run in page["JobRuns"] if run["JobRunState"] in FINISHED):
            day = run["StartedOn"].date().isoformat()
            seconds = float(run.get("ExecutionTime", 0))
            billed.append(BilledRun(day, *_attributed(job.name), job.name, seconds, glue_run_cost(run, prices)))
    return billed


def athena_queries(athena: Any, workgroup: str, prices: Prices) -> list[BilledRun]:
    """The workgroup's queries (Athena keeps 45 days of them), each at what it scanned."""
    ids = [i for page in athena.get_paginator("list_query_executions").paginate(WorkGroup=workgroup)
           for i in page["QueryExecutionIds"]]  # fmt: skip
    billed = []
    for query_id in ids:
        execution = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        submitted = execution.get("Status", {}).get("SubmissionDateTime")
        day = submitted.date().isoformat() if submitted else "unknown"
        seconds = execution.get("Statistics", {}).get("TotalExecutionTimeInMillis", 0) / 1000
        billed.append(
            BilledRun(day, "analysts", "gold", f"athena:{workgroup}", seconds, athena_query_cost(execution, prices))
        )
    return billed


def cost_rows(billed: Iterable[BilledRun]) -> list[CostRow]:
    """Runs summed per day, domain, layer and job."""
    totals: dict[tuple[str, str, str, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for run in billed:
        row = totals[(run.day, run.domain, run.layer, run.job)]
        row[0] += 1
        row[1] += run.seconds
        row[2] += run.cost.dpu_hours
        row[3] += run.cost.usd
    return [CostRow(*key, int(v[0]), v[1], v[2], v[3]) for key, v in sorted(totals.items())]


def estimate_title(workers: int, worker_type: str, prices: Prices) -> str:
    return (
        f"Estimated cost on AWS Glue ({workers} x {worker_type}, ${prices.standard} per DPU-hour; from the "
        "seconds measured here, each run billed at least a minute; not a bill):"
    )


def glue_title(deployment: str, prices: Prices) -> str:
    return (
        f"Cost on AWS of {deployment} (Glue's own run records at ${prices.standard} per DPU-hour, Flex "
        f"${prices.flex}; Athena workgroup {deployment}-analysts at ${prices.athena_tb} per TB scanned):"
    )


def cost_lines(rows: list[CostRow], title: str) -> list[str]:
    lines = [
        title,
        f"  {'day':<11} {'domain':<9} {'layer':<6} {'job':<27} {'runs':>4} {'seconds':>8} {'DPU-h':>8} {'USD':>8}",
    ]
    for r in rows:
        lines.append(
            f"  {r.day:<11} {r.domain:<9} {r.layer:<6} {r.job:<27} {r.runs:>4} {r.seconds:>8.1f} "
            f"{r.dpu_hours:>8.4f} {r.usd:>8.4f}"
        )
    by_domain: dict[str, float] = defaultdict(float)
    for r in rows:
        by_domain[r.domain] += r.usd
    per_domain = ", ".join(f"{d} ${usd:.4f}" for d, usd in sorted(by_domain.items()))
    lines.append(f"  per domain: {per_domain or 'no runs'}; total ${sum(r.usd for r in rows):.4f}")
    return lines
