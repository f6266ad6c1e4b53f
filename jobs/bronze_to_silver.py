"""bronze -> silver: every landed dataset typed, standardized and de-duplicated; every rejected
record to its domain's quarantine with a reason code.

Reads like the flow chart it is: read -> clean -> validate -> write -> commit.
"""

from __future__ import annotations

import sys

from pyspark.sql import DataFrame

from expectations import suites
from expectations.cross_table import order_reference_check
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext, Manifest, PartitionValues
from jobs.runtime.entry import run_job
from transforms import contracts as c
from transforms.customers import customer_versions_newest_first, customers_with_reasons
from transforms.dependents import refresh_kept_rows, returns_order_dates, returns_to_read_again
from transforms.frames import accepted, outcome_counts
from transforms.fx import fx_rates_with_reasons
from transforms.incremental import Batch, current_silver, kept_silver, quarantine_rows, rank_against_silver
from transforms.orders import orders_with_reasons, with_reference_flags
from transforms.products import products_with_reasons
from transforms.returns import returns_with_reasons

JOB = "bronze_to_silver"  # the job's identity: its state paths and log lines, on every platform
ARGUMENTS = LAKE_ARGUMENTS

# (source, silver table, suite, version order if not the landing order), in the order the
# cleaning depends on them.
DATASETS = (
    (c.FX_RATES_SOURCE, c.SILVER_FX_RATES, suites.SILVER_FX_RATES_SUITE, None),
    (c.CUSTOMERS_SOURCE, c.SILVER_CUSTOMERS, suites.SILVER_CUSTOMERS_SUITE, customer_versions_newest_first),
    (c.PRODUCTS_SOURCE, c.SILVER_PRODUCTS, suites.SILVER_PRODUCTS_SUITE, None),
    (c.ORDERS_SOURCE, c.SILVER_ORDERS, suites.SILVER_ORDERS_SUITE, None),
    (c.RETURNS_SOURCE, c.SILVER_RETURNS, suites.SILVER_RETURNS_SUITE, None),
)


def clean_all(ctx: JobContext, landed: dict[str, DataFrame]) -> dict[str, Batch]:
    """Every new record with a reason code (or none), ranked against what silver holds.

    Each dataset is cleaned against silver as it will be after this batch (orders against
    all FX rates, returns against all orders), so a batch needs no earlier batch re-read.
    Versions are ranked once, over the batch and silver together (`rank_against_silver`).
    """
    silver = {source.dataset: ctx.read_table(table) for source, table, *_ in DATASETS}

    def now(dataset: str) -> DataFrame:
        return batches[dataset].current

    cleaners = {
        "fx_rates": lambda: fx_rates_with_reasons(landed["fx_rates"]),
        "customers": lambda: customers_with_reasons(landed["customers"], ctx.config.pii_hash_key),
        "products": lambda: products_with_reasons(landed["products"]),
        "orders": lambda: orders_with_reasons(landed["orders"], now("fx_rates")).transform(
            with_reference_flags, now("customers"), now("products")
        ),
        "returns": lambda: returns_with_reasons(
            landed["returns"].unionByName(returns_read_again(ctx, silver["returns"], batches["orders"])), now("orders")
        ),
    }
    batches: dict[str, Batch] = {}
    for source, table, _, version_order in DATASETS:
        dataset = source.dataset
        newest_first = version_order() if version_order else None
        # The ranked batch and the re-derived rows are materialized once: everything after
        # reads them. Silver as it will be (`current`) stays a plan over them: later datasets
        # broadcast the small reference tables, and returns filter orders to the lines they
        # point at, so a copy of all of it (millions of order lines) would only cost.
        cleaned = cleaners[dataset]()
        if ctx.table_exists(table):
            # Ranked against silver, the batch is read three times (itself, its keys, its
            # lineage): parse it once. Spark would also push the keys' not-null checks down
            # into the parsing, one copy of the parser per field, past the JVM's 64 KB method
            # limit. (A first run has no silver: those reads drop out of the plan.)
            cleaned = cleaned.localCheckpoint()
        ranked = rank_against_silver(cleaned, silver[dataset], table.primary_key, newest_first)
        ranked = ranked.localCheckpoint()
        kept = kept_silver(ranked, silver[dataset])
        refreshed = refresh_kept_rows(dataset, kept, batches).localCheckpoint()
        current = current_silver(kept, refreshed, ranked)
        batches[dataset] = Batch(ranked, refreshed, current)
    return batches


def returns_read_again(ctx: JobContext, silver_returns: DataFrame, orders: Batch) -> DataFrame:
    """Returns of order lines this batch changed, read again from their files (those not read
    anyway), so that they are linked and checked against the lines as they are now."""
    quarantine = ctx.read_table(c.QUARANTINE_TABLES[c.RETURNS_SOURCE.domain])
    files = returns_to_read_again(silver_returns, quarantine, orders.to_write()).collect()
    new = ctx.run.inputs[c.RETURNS_SOURCE.prefix]
    again = sorted(r.source_file for r in files if not any(uri.endswith("/" + r.source_file) for uri in new))
    return ctx.reread_bronze(c.RETURNS_SOURCE, again)


def changed_order_dates(orders_partitions: list[PartitionValues], returns: Batch) -> list[str]:
    """Order dates whose gold numbers this run can change (see `returns_order_dates`)."""
    dates = {str(p["order_date"]) for p in orders_partitions}
    return sorted(dates | {str(r.order_date) for r in returns_order_dates(returns).collect()})


def main(ctx: JobContext) -> Manifest:
    with ctx.step("read and clean bronze"):
        landed = {source.dataset: ctx.read_bronze(source) for source, *_ in DATASETS}
        if ctx.run.read_any_input():
            batches = clean_all(ctx, landed)
            for source, *_ in DATASETS:
                ctx.record_ledger(source.dataset, outcome_counts(batches[source.dataset].rows))
    if not ctx.run.read_any_input():  # committed after the step, so the record holds its time
        ctx.record_metric("new_files", 0)
        return ctx.commit()
    with ctx.step("validate silver"):
        for source, _, suite, _ in DATASETS:
            ctx.check_quality(batches[source.dataset].to_write(), suite)
        references = order_reference_check(
            accepted(batches["orders"].rows), batches["customers"].current, batches["products"].current
        )
        ctx.check_quality(references, suites.REFERENCE_FLAGS_SUITE)
    with ctx.step("write silver and quarantine"):
        # Quarantine first: a silver version a newer one beats is in quarantine before it
        # leaves silver, so a crash between the two can duplicate it for a moment (the rerun
        # heals that) but never lose it.
        for domain, quarantine in c.QUARANTINE_TABLES.items():
            rows, lineage = quarantine_rows(
                [(s.dataset, table, batches[s.dataset]) for s, table, *_ in DATASETS if s.domain == domain]
            )
            ctx.merge_into(rows, quarantine, lineage)
        affected = {}
        for source, table, _, _ in DATASETS:
            batch = batches[source.dataset]
            affected[source.dataset] = ctx.merge_into(batch.to_write(), table, batch.removed_lineage())
    with ctx.step("record changes"):
        changes = {
            "run_id": ctx.run_id,
            "order_dates": changed_order_dates(affected["orders"], batches["returns"]),
            "datasets": sorted(dataset for dataset, partitions in affected.items() if partitions),
        }
        ctx.record_changes(changes)
    return ctx.commit()


if __name__ == "__main__":
    sys.exit(run_job(main, JOB, ARGUMENTS))
