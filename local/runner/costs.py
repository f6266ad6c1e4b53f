"""`python -m local cost`: what the lake's runs here would cost on AWS Glue, per day, domain
and job, from each run's measured seconds (its run record) at a given job size and price per
DPU-hour. An estimate, and labelled one: Glue's own run records give the real figure
(jobs.runtime.cost.glue_run_cost)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jobs.pipeline import DOMAIN_JOBS, WHOLE_LAKE
from jobs.runtime.cost import Prices, estimated_cost
from jobs.runtime.run_record import RunRecord

LAYER_OF_SCRIPT = {"bronze_to_silver": "silver", "silver_to_gold": "gold"}


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


def cost_rows(records: Iterable[RunRecord], workers: int, worker_type: str, prices: Prices) -> list[CostRow]:
    jobs = {job.name: job for job in (*DOMAIN_JOBS, *WHOLE_LAKE)}
    totals: dict[tuple[str, str, str, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for record in records:
        job = jobs[record.job]
        cost = estimated_cost(float(record.seconds or 0), workers, worker_type, prices)
        day = f"{record.run_id[:4]}-{record.run_id[4:6]}-{record.run_id[6:8]}"
        row = totals[(day, job.domain or "all", LAYER_OF_SCRIPT[job.job], record.job)]
        row[0] += 1
        row[1] += float(record.seconds or 0)
        row[2] += cost.dpu_hours
        row[3] += cost.usd
    return [CostRow(*key, int(v[0]), v[1], v[2], v[3]) for key, v in sorted(totals.items())]


def cost_lines(rows: list[CostRow], workers: int, worker_type: str, prices: Prices) -> list[str]:
    lines = [
        f"Estimated cost on AWS Glue ({workers} x {worker_type}, ${prices.standard} per DPU-hour; from the "
        "seconds measured here, each run billed at least a minute; not a bill):",
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
