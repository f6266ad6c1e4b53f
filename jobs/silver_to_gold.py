"""silver -> gold: the sales marts, validated before they are published."""

from __future__ import annotations

import sys

from expectations.suites import DAILY_SALES_SUITE
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from transforms.contracts import GOLD_DAILY_SALES, SILVER_ORDERS
from transforms.gold import daily_sales

ARGUMENTS = LAKE_ARGUMENTS


def main(ctx: JobContext) -> dict:
    with ctx.step("read silver orders"):
        orders = ctx.read_table(SILVER_ORDERS)
    with ctx.step("aggregate daily sales"):
        daily = daily_sales(orders).cache()
        ctx.record_metric("rows_daily_sales", daily.count())
    with ctx.step("validate daily sales"):
        ctx.check_quality(daily, DAILY_SALES_SUITE)
    with ctx.step("write gold"):
        ctx.write_table(daily, GOLD_DAILY_SALES)
    return ctx.commit()


if __name__ == "__main__":
    sys.exit(run_job(main, "silver_to_gold", ARGUMENTS))
