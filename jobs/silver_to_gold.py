"""silver -> gold: the sales, product and customer marts, validated before they are published."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations import suites
from expectations.cross_table import margin_flag_check, revenue_reconciliation
from jobs import bronze_to_silver
from jobs.runtime import sla
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from jobs.runtime.partitions import Partition
from jobs.runtime.run_record import RunRecord, SlaResult
from jobs.silver.steps import SilverChanges
from transforms import contracts as c
from transforms import gold
from transforms.contract_types import TableContract

JOB = "silver_to_gold"  # the job's identity: its state paths and log lines, on every platform
ARGUMENTS = LAKE_ARGUMENTS
UPSTREAM = bronze_to_silver.JOB


@dataclass(frozen=True)
class Rebuild:
    """The order dates whose daily sales this run rebuilds: every date (a full refresh), or
    those silver's changes touched."""

    full_refresh: bool
    dates: tuple[str, ...] = ()

    @classmethod
    def of(cls, changes: list[SilverChanges]) -> Rebuild:
        return cls(False, tuple(sorted({day for change in changes for day in change.order_dates})))

    def on_dates(self, df: DataFrame) -> DataFrame:
        return df if self.full_refresh else df.where(F.col("order_date").isin(list(self.dates)))

    def daily_partitions(self) -> list[Partition]:
        return [Partition.of({"order_date": day}) for day in self.dates]


@dataclass(frozen=True)
class Silver:
    """The silver tables gold is built from (orders and returns cached: every mart reads them)."""

    orders: DataFrame
    returns: DataFrame
    products: DataFrame
    customers: DataFrame


def read_silver(ctx: JobContext) -> Silver:
    return Silver(
        orders=ctx.tables.read(c.SILVER_ORDERS).select(*gold.ORDER_COLUMNS).cache(),
        returns=ctx.tables.read(c.SILVER_RETURNS).select(*gold.RETURN_COLUMNS).cache(),
        products=ctx.tables.read(c.SILVER_PRODUCTS),
        customers=ctx.tables.read(c.SILVER_CUSTOMERS),
    )


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


def main(ctx: JobContext) -> RunRecord:
    """Rebuild what silver's changes since the last run touch: daily sales for the changed
    order dates only, the smaller marts in full. `--full_refresh true` rebuilds everything."""
    with ctx.step("read silver"):
        changes = ctx.changes.read(UPSTREAM, SilverChanges.from_json)
        nothing_changed = not changes and not ctx.config.full_refresh
        silver = None if nothing_changed else read_silver(ctx)
    if silver is None:  # committed after the step, so the run record holds its time
        ctx.run.metric("changed_order_dates", 0)
        return ctx.commit()
    rebuild = Rebuild(True) if ctx.config.full_refresh else Rebuild.of(changes)
    if rebuild.full_refresh:  # a number either way: a full refresh is a metric of its own
        ctx.run.metric("full_refresh", 1)
    else:
        ctx.run.metric("changed_order_dates", len(rebuild.dates))
    orders, returns = silver.orders, silver.returns
    with ctx.step("build gold"):
        marts = {
            c.GOLD_DAILY_SALES: gold.daily_sales(rebuild.on_dates(orders), rebuild.on_dates(returns)),
            c.GOLD_SALES_KPIS_MONTHLY: gold.sales_kpis_monthly(orders, returns),
            c.GOLD_PRODUCT_PERFORMANCE: gold.product_performance(orders, returns, silver.products),
            c.GOLD_CUSTOMER_LTV: gold.customer_ltv(orders, returns, silver.customers),
        }
        # Materialized here: validated, then written.
        marts = {table: frame.localCheckpoint() for table, frame in marts.items()}
    with ctx.step("validate gold"):
        for table, frame in marts.items():
            ctx.quality.check(frame, suites.TABLE_SUITES[table.qualified_name])
        daily = marts[c.GOLD_DAILY_SALES]
        reconciliation = revenue_reconciliation(daily, rebuild.on_dates(orders), rebuild.on_dates(returns))
        ctx.quality.check(reconciliation, suites.REVENUE_RECONCILIATION_SUITE)
        ctx.quality.check(margin_flag_check(marts[c.GOLD_PRODUCT_PERFORMANCE]), suites.MARGIN_FLAGS_SUITE)
    with ctx.step("write gold"):
        ctx.tables.write(
            daily, c.GOLD_DAILY_SALES, replaces=rebuild.daily_partitions(), whole_table=rebuild.full_refresh
        )
        for table, frame in marts.items():
            if table is not c.GOLD_DAILY_SALES:
                ctx.tables.write(frame, table)
    with ctx.step("check service levels"):
        sla.record(ctx.run, service_levels(ctx, list(marts), datetime.now(UTC)))
    record = ctx.commit()
    sla.enforce(record)  # published and committed either way; an enforced breach fails the run
    return record


if __name__ == "__main__":
    sys.exit(run_job(main, JOB, ARGUMENTS))
