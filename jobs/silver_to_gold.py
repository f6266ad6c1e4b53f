"""silver -> gold: the sales, product and customer marts, validated before they are published."""

from __future__ import annotations

import sys

from expectations import suites
from expectations.cross_table import margin_flag_check, revenue_reconciliation
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from transforms import contracts as c
from transforms import gold

ARGUMENTS = LAKE_ARGUMENTS


def main(ctx: JobContext) -> dict:
    with ctx.step("read silver"):
        orders = ctx.read_table(c.SILVER_ORDERS).cache()
        returns = ctx.read_table(c.SILVER_RETURNS).cache()
        products = ctx.read_table(c.SILVER_PRODUCTS)
        customers = ctx.read_table(c.SILVER_CUSTOMERS)
    with ctx.step("build gold"):
        marts = {
            c.GOLD_DAILY_SALES: gold.daily_sales(orders, returns),
            c.GOLD_SALES_KPIS_MONTHLY: gold.sales_kpis_monthly(orders, returns),
            c.GOLD_PRODUCT_PERFORMANCE: gold.product_performance(orders, returns, products),
            c.GOLD_CUSTOMER_LTV: gold.customer_ltv(orders, returns, customers),
        }
        marts = {table: frame.cache() for table, frame in marts.items()}
    with ctx.step("validate gold"):
        for table, frame in marts.items():
            ctx.check_quality(frame, suites.TABLE_SUITES[table.qualified_name])
        daily = marts[c.GOLD_DAILY_SALES]
        ctx.check_quality(revenue_reconciliation(daily, orders, returns), suites.REVENUE_RECONCILIATION_SUITE)
        ctx.check_quality(margin_flag_check(marts[c.GOLD_PRODUCT_PERFORMANCE]), suites.MARGIN_FLAGS_SUITE)
    with ctx.step("write gold"):
        for table, frame in marts.items():
            ctx.write_table(frame, table)
    return ctx.commit()


if __name__ == "__main__":
    sys.exit(run_job(main, "silver_to_gold", ARGUMENTS))
