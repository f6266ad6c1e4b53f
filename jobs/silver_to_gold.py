"""silver -> gold: the sales, product and customer marts, validated before they are published."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations import suites
from expectations.cross_table import margin_flag_check, revenue_reconciliation
from jobs import bronze_to_silver
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import Changes, JobContext, Manifest
from jobs.runtime.entry import run_job
from transforms import contracts as c
from transforms import gold

JOB = "silver_to_gold"  # the job's identity: its state paths and log lines, on every platform
ARGUMENTS = LAKE_ARGUMENTS
UPSTREAM = bronze_to_silver.JOB


def dates_to_rebuild(changes: list[Changes]) -> list[str]:
    return sorted({day for change in changes for day in change["order_dates"]})


@dataclass(frozen=True)
class Silver:
    """The silver tables gold is built from (orders and returns cached: every mart reads them)."""

    orders: DataFrame
    returns: DataFrame
    products: DataFrame
    customers: DataFrame


def read_silver(ctx: JobContext) -> Silver:
    return Silver(
        orders=ctx.read_table(c.SILVER_ORDERS).select(*gold.ORDER_COLUMNS).cache(),
        returns=ctx.read_table(c.SILVER_RETURNS).select(*gold.RETURN_COLUMNS).cache(),
        products=ctx.read_table(c.SILVER_PRODUCTS),
        customers=ctx.read_table(c.SILVER_CUSTOMERS),
    )


def main(ctx: JobContext) -> Manifest:
    """Rebuild what silver's changes since the last run touch: daily sales for the changed
    order dates only, the smaller marts in full. `--full_refresh true` rebuilds everything."""
    with ctx.step("read silver"):
        changes = ctx.read_changes(UPSTREAM)
        nothing_changed = not changes and not ctx.config.full_refresh
        silver = None if nothing_changed else read_silver(ctx)
    if silver is None:  # committed after the step, so the run record holds its time
        ctx.record_metric("changed_order_dates", 0)
        return ctx.commit()
    orders, returns, products, customers = silver.orders, silver.returns, silver.products, silver.customers
    dates = None if ctx.config.full_refresh else dates_to_rebuild(changes)
    if dates is None:  # a number either way: a full refresh is a metric of its own
        ctx.record_metric("full_refresh", 1)
    else:
        ctx.record_metric("changed_order_dates", len(dates))

    def on_dates(df: DataFrame) -> DataFrame:
        return df if dates is None else df.where(F.col("order_date").isin(dates))

    with ctx.step("build gold"):
        marts = {
            c.GOLD_DAILY_SALES: gold.daily_sales(on_dates(orders), on_dates(returns)),
            c.GOLD_SALES_KPIS_MONTHLY: gold.sales_kpis_monthly(orders, returns),
            c.GOLD_PRODUCT_PERFORMANCE: gold.product_performance(orders, returns, products),
            c.GOLD_CUSTOMER_LTV: gold.customer_ltv(orders, returns, customers),
        }
        # Materialized here: validated, then written.
        marts = {table: frame.localCheckpoint() for table, frame in marts.items()}
    with ctx.step("validate gold"):
        for table, frame in marts.items():
            ctx.check_quality(frame, suites.TABLE_SUITES[table.qualified_name])
        daily = marts[c.GOLD_DAILY_SALES]
        reconciliation = revenue_reconciliation(daily, on_dates(orders), on_dates(returns))
        ctx.check_quality(reconciliation, suites.REVENUE_RECONCILIATION_SUITE)
        ctx.check_quality(margin_flag_check(marts[c.GOLD_PRODUCT_PERFORMANCE]), suites.MARGIN_FLAGS_SUITE)
    with ctx.step("write gold"):
        daily_partitions = None if dates is None else [{"order_date": day} for day in dates]
        ctx.write_table(daily, c.GOLD_DAILY_SALES, replaces=daily_partitions, full=dates is None)
        for table, frame in marts.items():
            if table is not c.GOLD_DAILY_SALES:
                ctx.write_table(frame, table)
    return ctx.commit()


if __name__ == "__main__":
    sys.exit(run_job(main, JOB, ARGUMENTS))
