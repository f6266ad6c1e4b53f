"""bronze -> silver: every landed dataset typed, standardized and de-duplicated; every rejected
record to its domain's quarantine with a reason code.

Reads like the flow chart it is: read -> clean (in dependency order) -> validate -> write ->
record changes -> check service levels -> commit. The datasets and what each depends on are
declared in jobs.silver.datasets.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from pyspark.sql import DataFrame

from expectations import suites
from expectations.cross_table import order_reference_check
from jobs.runtime import sla
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from jobs.runtime.partitions import Partition
from jobs.runtime.run_record import Ledger, RunRecord, SlaResult
from jobs.silver.datasets import DATASETS, Cleaning
from transforms import contracts as c
from transforms.dependents import returns_order_dates
from transforms.frames import accepted, outcome_counts
from transforms.incremental import Batch, current_silver, kept_silver, quarantine_rows, rank_against_silver

JOB = "bronze_to_silver"  # the job's identity: its state paths and log lines, on every platform
ARGUMENTS = LAKE_ARGUMENTS


@dataclass(frozen=True)
class SilverChanges:
    """What a run changed in silver, for silver_to_gold: the order dates whose gold numbers
    can change, and the datasets whose silver changed."""

    run_id: str
    order_dates: list[str]
    datasets: list[str]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> SilverChanges:
        return cls(str(document["run_id"]), [str(d) for d in document["order_dates"]], list(document["datasets"]))


def clean_all(ctx: JobContext, landed: dict[str, DataFrame]) -> dict[str, Batch]:
    """Every new record with a reason code (or none), ranked against what silver holds.

    Each dataset is cleaned against silver as it will be after this batch of the datasets it
    depends on, so a batch needs no earlier batch re-read. Versions are ranked once, over the
    batch and silver together (`rank_against_silver`).
    """
    batches: dict[str, Batch] = {}
    for dataset in DATASETS:
        silver = ctx.tables.read(dataset.table)
        upstream = {name: batches[name] for name in dataset.depends_on}
        # The ranked batch and the re-derived rows are materialized once: everything after
        # reads them. Silver as it will be (`current`) stays a plan over them: later datasets
        # broadcast the small reference tables, and returns filter orders to the lines they
        # point at, so a copy of all of it (millions of order lines) would only cost.
        cleaned = dataset.clean(Cleaning(ctx, landed[dataset.name], silver, upstream))
        if ctx.tables.exists(dataset.table):
            # Ranked against silver, the batch is read three times (itself, its keys, its
            # lineage): parse it once. Spark would also push the keys' not-null checks down
            # into the parsing, one copy of the parser per field, past the JVM's 64 KB method
            # limit. (A first run has no silver: those reads drop out of the plan.)
            cleaned = cleaned.localCheckpoint()
        newest_first = dataset.newest_first() if dataset.newest_first else None
        ranked = rank_against_silver(cleaned, silver, dataset.table.primary_key, newest_first).localCheckpoint()
        kept = kept_silver(ranked, silver)
        refreshed = (dataset.refresh(kept, upstream) if dataset.refresh else kept.limit(0)).localCheckpoint()
        batches[dataset.name] = Batch(ranked, refreshed, current_silver(kept, refreshed, ranked))
    return batches


def ledger_of(batch: Batch) -> Ledger:
    return Ledger.of([(r.source_file, r.outcome, r["count"]) for r in outcome_counts(batch.rows).collect()])


def changed_order_dates(orders_partitions: list[Partition], returns: Batch) -> list[str]:
    """Order dates whose gold numbers this run can change (see `returns_order_dates`)."""
    dates = {p["order_date"] for p in orders_partitions}
    return sorted(dates | {str(r.order_date) for r in returns_order_dates(returns).collect()})


def service_levels(ctx: JobContext) -> list[SlaResult]:
    """What the sources' and silver tables' contracts promise, for the data this run read:
    completeness of each source; freshness of each silver table against the newest ingest date,
    and its latency from the oldest file read landing to now (published)."""
    results, now = [], datetime.now(UTC)
    for dataset in DATASETS:
        source, table = dataset.source, dataset.table
        files = ctx.run.inputs.get(source.prefix, [])
        if not files:
            continue
        completeness, freshness, latency = source.sla("completeness"), table.sla("freshness"), table.sla("latency")
        if completeness and dataset.name in ctx.run.ledger:
            results.append(sla.completeness(source.qualified_name, completeness, ctx.run.ledger[dataset.name]))
        if freshness:
            newest = ctx.tables.newest_partition(table, freshness.element)
            newest_day = date.fromisoformat(newest) if newest else None
            results.append(sla.freshness(table.qualified_name, freshness, newest_day, sla.newest_ingest_date(files)))
        landed_ms = ctx.run.oldest_landed_ms.get(source.prefix)
        if latency and landed_ms is not None:
            landed = datetime.fromtimestamp(landed_ms / 1000, UTC)
            results.append(sla.latency(table.qualified_name, latency, landed, now))
    return results


def main(ctx: JobContext) -> RunRecord:
    with ctx.step("read and clean bronze"):
        landed = {dataset.name: ctx.bronze.read(dataset.source) for dataset in DATASETS}
        if ctx.run.read_any_input():
            batches = clean_all(ctx, landed)
            for dataset in DATASETS:
                ctx.run.record_ledger(dataset.name, ledger_of(batches[dataset.name]))
    if not ctx.run.read_any_input():  # committed after the step, so the record holds its time
        ctx.run.metric("new_files", 0)
        return ctx.commit()
    with ctx.step("validate silver"):
        for dataset in DATASETS:
            ctx.quality.check(batches[dataset.name].to_write(), dataset.suite)
        references = order_reference_check(
            accepted(batches["orders"].rows), batches["customers"].current, batches["products"].current
        )
        ctx.quality.check(references, suites.REFERENCE_FLAGS_SUITE)
    with ctx.step("write silver and quarantine"):
        # Quarantine first: a silver version a newer one beats is in quarantine before it
        # leaves silver, so a crash between the two can duplicate it for a moment (the rerun
        # heals that) but never lose it.
        for domain, quarantine in c.QUARANTINE_TABLES.items():
            rows, lineage = quarantine_rows(
                [(d.name, d.table, batches[d.name]) for d in DATASETS if d.source.domain == domain]
            )
            ctx.tables.merge(rows, quarantine, lineage)
        changed = {
            d.name: ctx.tables.merge(batches[d.name].to_write(), d.table, batches[d.name].removed_lineage())
            for d in DATASETS
        }
    with ctx.step("record changes"):
        order_dates = changed_order_dates(changed["orders"], batches["returns"])
        ctx.changes.record(SilverChanges(ctx.run_id, order_dates, sorted(name for name, p in changed.items() if p)))
    with ctx.step("check service levels"):
        sla.record(ctx.run, service_levels(ctx))
    record = ctx.commit()
    sla.enforce(record)  # published and committed either way; an enforced breach fails the run
    return record


if __name__ == "__main__":
    sys.exit(run_job(main, JOB, ARGUMENTS))
