"""bronze -> silver: every landed dataset typed, standardized and de-duplicated; every rejected
record to its domain's quarantine with a reason code.

Reads like the flow chart it is: read -> clean (in dependency order) -> validate -> write ->
record changes -> check service levels -> commit. The datasets and what each depends on are
declared in jobs.silver.datasets.
"""

from __future__ import annotations

import sys

from expectations import suites
from expectations.cross_table import order_reference_check
from jobs.runtime import sla
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from jobs.runtime.run_record import RunRecord
from jobs.silver.datasets import DATASETS
from jobs.silver.steps import SilverChanges, changed_order_dates, clean_all, ledger_of, service_levels
from transforms import contracts as c
from transforms.frames import accepted
from transforms.incremental import quarantine_rows

JOB = "bronze_to_silver"  # the job's identity: its state paths and log lines, on every platform
ARGUMENTS = LAKE_ARGUMENTS


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
