"""bronze -> silver: every landed dataset typed, standardized and de-duplicated; every rejected
record to its domain's quarantine with a reason code.

Reads like the flow chart it is: read -> clean (in dependency order) -> validate -> write ->
record changes -> check service levels -> commit. The datasets and what each depends on are
declared in jobs.silver.datasets. `--domain` runs one domain's datasets (each domain's job);
without it a run cleans every domain.
"""

from __future__ import annotations

import sys

from jobs.runtime import sla
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from jobs.runtime.run_record import RunRecord
from jobs.service_levels import keep as keep_service_levels
from jobs.silver.datasets import datasets_of
from jobs.silver.steps import SilverChanges, changed_order_dates, clean_all, ledger_of, service_levels
from transforms import contracts as c
from transforms.incremental import quarantine_rows

JOB = "bronze_to_silver"  # the job's identity: its state paths and log lines, on every platform
ARGUMENTS = LAKE_ARGUMENTS


def main(ctx: JobContext) -> RunRecord:
    datasets = datasets_of(ctx.config.domain)
    with ctx.step("read and clean bronze"):
        landed = {dataset.name: ctx.bronze.read(dataset.source) for dataset in datasets}
        if ctx.run.read_any_input():
            cleaned = clean_all(ctx, datasets, landed)
            for dataset in datasets:
                ctx.run.record_ledger(dataset.name, ledger_of(cleaned.batches[dataset.name]))
    if not ctx.run.read_any_input():  # committed after the step, so the record holds its time
        ctx.run.metric("new_files", 0)
        return ctx.commit()
    batches = cleaned.batches
    with ctx.step("validate silver"):
        for dataset in datasets:
            ctx.quality.check(batches[dataset.name].to_write(), dataset.suite)
            for check in dataset.cross_checks:
                ctx.quality.check_derived(check.frame(cleaned), check.suite)
    with ctx.step("write silver and quarantine"):
        # Quarantine first: a silver version a newer one beats is in quarantine before it
        # leaves silver, so a crash between the two can duplicate it for a moment (the rerun
        # heals that) but never lose it.
        for domain in sorted({d.source.domain for d in datasets}):
            rows, lineage = quarantine_rows(
                [(d.name, d.table, batches[d.name]) for d in datasets if d.source.domain == domain]
            )
            ctx.tables.merge(rows, c.QUARANTINE_TABLES[domain], lineage)
        rewritten = {
            d.name: ctx.tables.merge(batches[d.name].to_write(), d.table, batches[d.name].removed_lineage())
            for d in datasets
        }
    with ctx.step("record changes"):
        order_dates = changed_order_dates(datasets, cleaned, rewritten)
        ctx.changes.record(SilverChanges(ctx.run_id, order_dates, sorted(name for name, p in rewritten.items() if p)))
    with ctx.step("check service levels"):
        keep_service_levels(ctx, service_levels(ctx, datasets))
    record = ctx.commit()
    sla.enforce(record)  # published and committed either way; an enforced breach fails the run
    return record


if __name__ == "__main__":
    sys.exit(run_job(main, JOB, ARGUMENTS))
