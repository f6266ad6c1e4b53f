"""silver -> gold: the sales, product and customer marts, validated before they are published.
`--domain` builds one domain's marts (each domain's job); without it a run builds them all."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

from pyspark.sql import DataFrame

from jobs import bronze_to_silver
from jobs.gold.marts import Mart, Rebuild, marts_of, read_silver, tables_read
from jobs.runtime import sla
from jobs.runtime.config import LAKE_ARGUMENTS, job_identity
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from jobs.runtime.materialize import checkpointed
from jobs.runtime.run_record import RunRecord, SlaResult
from jobs.service_levels import keep as keep_service_levels
from jobs.silver.steps import SilverChanges
from transforms import contracts as c
from transforms.contract_types import TableContract

JOB = "silver_to_gold"  # the job's identity: its state paths and log lines, on every platform
ARGUMENTS = LAKE_ARGUMENTS


def upstream_jobs(marts: list[Mart], domain: str) -> list[str]:
    """The bronze_to_silver runs whose changes these marts are rebuilt from: the jobs of the
    domains whose silver they read (the whole-lake job when this run is for every domain)."""
    domains = sorted({table.domain for table in tables_read(marts)}) if domain else [""]
    return [job_identity(bronze_to_silver.JOB, d) for d in domains]


def service_levels(ctx: JobContext, published: list[TableContract], at: datetime) -> list[SlaResult]:
    """What the gold tables' contracts promise: freshness against the newest order date in
    silver (every mart is built from the order lines), and publishing by a time of day."""
    results = []
    for table in published:
        freshness = table.sla("freshness")
        if freshness:
            newest, newest_input = (ctx.tables.newest_partition(t, freshness.element) for t in (table, c.SILVER_ORDERS))
            days = [date.fromisoformat(d) if d else None for d in (newest, newest_input)]
            results.append(sla.freshness(table.qualified_name, freshness, *days))
        available_by = table.sla("timeOfAvailability")
        if available_by:
            results.append(sla.time_of_availability(table.qualified_name, available_by, at))
    return results


def reads_all_of_silver(ctx: JobContext, marts: list[Mart], rebuild: Rebuild) -> bool:
    """Whether every mart is built from all of silver: a full refresh, or a first run."""
    return rebuild.full_refresh or not all(ctx.tables.exists(mart.table) for mart in marts)


def published(ctx: JobContext, mart: Mart, rebuild: Rebuild) -> DataFrame | None:
    """The mart as published, for a mart that keeps the months a run does not touch."""
    if not mart.by_month or rebuild.full_refresh or not ctx.tables.exists(mart.table):
        return None
    return ctx.tables.read(mart.table)


def main(ctx: JobContext) -> RunRecord:
    """Rebuild what silver's changes since the last run touch: daily sales for the changed
    order dates, the monthly marts for their months, customer lifetime values in full.
    `--full_refresh true` rebuilds everything."""
    marts = marts_of(ctx.config.domain)
    with ctx.step("read silver"):
        changes = [
            change
            for upstream in upstream_jobs(marts, ctx.config.domain)
            for change in ctx.changes.read(upstream, SilverChanges.from_json)
        ]
        nothing_changed = not changes and not ctx.config.full_refresh
        rebuild = Rebuild(True) if ctx.config.full_refresh else Rebuild.of(changes)
        cached = reads_all_of_silver(ctx, marts, rebuild)
        silver = None if nothing_changed else read_silver(ctx, tables_read(marts), cached)
    if silver is None:  # committed after the step, so the run record holds its time
        ctx.run.metric("changed_order_dates", 0)
        return ctx.commit()
    if rebuild.full_refresh:  # a number either way: a full refresh is a metric of its own
        ctx.run.metric("full_refresh", 1)
    else:
        ctx.run.metric("changed_order_dates", len(rebuild.dates))
    try:
        with ctx.step("build gold"):
            # Materialized here: validated, then written (writing reads no silver).
            built = {
                mart.table: checkpointed(mart.build(silver, rebuild, published(ctx, mart, rebuild))) for mart in marts
            }
        with ctx.step("validate gold"):
            for mart in marts:
                ctx.quality.check(built[mart.table], mart.suite)
                for frame, suite in mart.checks(built[mart.table], silver, rebuild):
                    ctx.quality.check_derived(frame, suite)
    finally:
        silver.release()
    with ctx.step("write gold"):
        for mart in marts:
            if mart.by_order_date:
                replaces = rebuild.daily_partitions()
                ctx.tables.write(built[mart.table], mart.table, replaces=replaces, whole_table=rebuild.full_refresh)
            else:
                ctx.tables.write(built[mart.table], mart.table)
    with ctx.step("check service levels"):
        keep_service_levels(ctx, service_levels(ctx, list(built), datetime.now(UTC)))
    record = ctx.commit()
    sla.enforce(record)  # published and committed either way; an enforced breach fails the run
    return record


if __name__ == "__main__":
    sys.exit(run_job(main, JOB, ARGUMENTS))
