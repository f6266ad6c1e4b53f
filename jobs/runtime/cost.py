"""What a job run costs on AWS Glue: DPU-hours at a price per DPU-hour.

From a Glue job run's own record (GetJobRun): its `DPUSeconds` where Glue reports them (Flex
and auto-scaling runs), else its execution time x workers x the DPUs of its worker type, with
Glue's one-minute minimum. From a local run: what the same run would cost on Glue at a given
job size, from its measured seconds, and labelled an estimate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# DPUs per worker, as Glue bills each worker type.
DPU_PER_WORKER = {
    "G.025X": 0.25,
    "G.1X": 1.0,
    "G.2X": 2.0,
    "G.4X": 4.0,
    "G.8X": 8.0,
    "G.12X": 12.0,
    "G.16X": 16.0,
    "R.1X": 1.0,
    "R.2X": 2.0,
    "R.4X": 4.0,
    "R.8X": 8.0,
}
MINIMUM_SECONDS = 60  # Glue 2.0 and later bill a job run for at least a minute


MB, TB = 1024**2, 1024**4
ATHENA_MINIMUM_BYTES = 10 * MB  # Athena bills every query for 10 MB at least


@dataclass(frozen=True)
class Prices:
    """List prices (us-east-1 at the time of writing; a deployment sets its own): Glue per
    DPU-hour, Athena per TB scanned."""

    standard: float = 0.44
    flex: float = 0.29
    athena_tb: float = 5.0

    def per_dpu_hour(self, execution_class: str) -> float:
        return self.flex if execution_class.upper() == "FLEX" else self.standard


@dataclass(frozen=True)
class RunCost:
    dpu_hours: float
    usd: float
    basis: str  # how it was reached: Glue's own record, or an estimate and from what


def billed_dpu_seconds(seconds: float, workers: int, worker_type: str) -> float:
    if worker_type not in DPU_PER_WORKER:
        raise ValueError(f"no DPU figure for worker type {worker_type!r} (known: {sorted(DPU_PER_WORKER)})")
    return max(seconds, MINIMUM_SECONDS) * workers * DPU_PER_WORKER[worker_type]


def glue_run_cost(job_run: Mapping[str, Any], prices: Prices = Prices()) -> RunCost:
    """The cost of a finished Glue job run, from GetJobRun's `JobRun`."""
    execution_class = str(job_run.get("ExecutionClass", "STANDARD"))
    if job_run.get("DPUSeconds") is not None:
        dpu_seconds, basis = float(job_run["DPUSeconds"]), "Glue's DPUSeconds"
    else:
        dpu_seconds = billed_dpu_seconds(
            float(job_run["ExecutionTime"]), int(job_run["NumberOfWorkers"]), str(job_run["WorkerType"])
        )
        basis = f"Glue's execution time x {job_run['NumberOfWorkers']} {job_run['WorkerType']} workers"
    dpu_hours = dpu_seconds / 3600
    return RunCost(dpu_hours, dpu_hours * prices.per_dpu_hour(execution_class), f"{basis}, {execution_class}")


def estimated_cost(seconds: float, workers: int, worker_type: str, prices: Prices = Prices()) -> RunCost:
    """What a run of `seconds` measured here would cost on Glue at that job size (standard)."""
    dpu_hours = billed_dpu_seconds(seconds, workers, worker_type) / 3600
    basis = f"estimate: {seconds:.0f} s measured here, on Glue as {workers} x {worker_type}"
    return RunCost(dpu_hours, dpu_hours * prices.standard, basis)


def athena_query_cost(execution: Mapping[str, Any], prices: Prices = Prices()) -> RunCost:
    """What an Athena query cost, from GetQueryExecution's `QueryExecution`: the bytes it
    scanned, rounded up to a megabyte and 10 MB at least, at the price per TB. DDL and failed
    queries are not billed (a cancelled one is, for what it scanned)."""
    scanned = int(execution.get("Statistics", {}).get("DataScannedInBytes", 0))
    state = execution.get("Status", {}).get("State", "")
    if execution.get("StatementType") == "DDL" or state == "FAILED":
        return RunCost(0.0, 0.0, f"Athena: {state.lower() or 'ddl'}, not billed")
    billed = max(-(-scanned // MB) * MB, ATHENA_MINIMUM_BYTES)
    return RunCost(0.0, billed / TB * prices.athena_tb, f"Athena: {scanned:,} bytes scanned")
