"""`python -m local products`: every data product the contracts declare, with what its last
run says about it: domain, owner, version, status, service levels, quality, consumers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jobs import bronze_to_silver, silver_to_gold
from jobs.runtime.config import job_identity
from jobs.runtime.run_record import QualityVerdict, RunRecord
from transforms.contract_types import BronzeSource, TableContract

# The job that publishes each layer's products (a bronze source's promise is checked there too).
PRODUCED_BY = {"bronze": bronze_to_silver.JOB, "silver": bronze_to_silver.JOB, "gold": silver_to_gold.JOB}


@dataclass(frozen=True)
class ProductState:
    name: str  # database.table
    domain: str
    layer: str
    owner: str
    version: str
    status: str
    consumers: tuple[str, ...]
    last_run: str  # run id of the last run that checked it, or "never"
    service_levels: str  # "met", the breaches, or "not checked"
    quality: str  # the table suite's verdict in that run, or "-"


def run_records(state: Path, *jobs: str) -> list[RunRecord]:
    """The saved run records of `jobs`, newest first (run ids start with their UTC time)."""
    paths = [path for job in jobs for path in (state / "runs" / job).glob("*.json")]
    paths.sort(key=lambda path: path.name, reverse=True)
    return [RunRecord.from_json(json.loads(path.read_text())) for path in paths]


def producer_records(state: Path, layer: str, domain: str) -> list[RunRecord]:
    """Runs that publish a domain's products of a layer: its domain's job, or a whole-lake run."""
    job = PRODUCED_BY[layer]
    return run_records(state, job_identity(job, domain), job)


def _checked(record: RunRecord, name: str) -> bool:
    return name in record.quality or any(result.product == name for result in record.sla)


def quality_verdict(verdict: QualityVerdict) -> str:
    if verdict.failed:
        return f"{len(verdict.failed)} critical expectation(s) FAILED"
    return "passed" + (f" with {len(verdict.warnings)} warning(s)" if verdict.warnings else "")


def product_state(product: TableContract | BronzeSource, layer: str, records: list[RunRecord]) -> ProductState:
    name = product.qualified_name
    last = next((record for record in records if _checked(record, name)), None)
    results = [result for result in last.sla if result.product == name] if last else []
    breaches = [f"{r.property} BREACHED ({r.measured} against {r.agreed})" for r in results if not r.met]
    service_levels = "; ".join(breaches) or ("met" if results else "not checked")
    verdict = last.quality.get(name) if last else None
    quality = "-" if verdict is None else quality_verdict(verdict)
    return ProductState(
        name, product.domain, layer, product.owner, product.version, product.status, product.consumers,
        last.run_id if last else "never", service_levels, quality,
    )  # fmt: skip


def product_states(tables: Iterable[TableContract], sources: Iterable[BronzeSource], state: Path) -> list[ProductState]:
    states = [product_state(s, "bronze", producer_records(state, "bronze", s.domain)) for s in sources]
    states += [product_state(t, t.layer, producer_records(state, t.layer, t.domain)) for t in tables]
    return sorted(states, key=lambda p: (p.domain, ("bronze", "silver", "gold").index(p.layer), p.name))


def product_lines(states: list[ProductState]) -> list[str]:
    lines = []
    for domain in sorted({p.domain for p in states}):
        lines.append(f"{domain}:")
        for p in (p for p in states if p.domain == domain):
            lines.append(f"  {p.name}  v{p.version} {p.status}, owner {p.owner}")
            lines.append(f"    last run {p.last_run}: service levels {p.service_levels}; quality {p.quality}")
            lines.append(f"    consumers: {', '.join(p.consumers) or 'none listed'}")
    return lines
