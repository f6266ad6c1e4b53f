"""bronze -> silver: typed, standardized, de-duplicated order lines; the rest to quarantine.

Reads like the flow chart it is: read -> clean -> validate -> write -> commit.
"""

from __future__ import annotations

import sys

from expectations.suites import SILVER_ORDERS_SUITE
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from transforms.contracts import ORDERS_SOURCE, QUARANTINE, SILVER_ORDERS
from transforms.frames import accepted, outcome_counts, to_quarantine
from transforms.orders import clean_orders

ARGUMENTS = LAKE_ARGUMENTS


def main(ctx: JobContext) -> dict:
    with ctx.step("read bronze orders"):
        lines = ctx.read_bronze_lines(ORDERS_SOURCE)
    with ctx.step("clean orders"):
        orders = clean_orders(lines).cache()
        ctx.record_ledger(ORDERS_SOURCE.dataset, outcome_counts(orders))
    with ctx.step("validate silver orders"):
        ctx.check_quality(accepted(orders), SILVER_ORDERS_SUITE)
    with ctx.step("write silver and quarantine"):
        ctx.write_table(accepted(orders), SILVER_ORDERS)
        ctx.write_table(to_quarantine(orders, ORDERS_SOURCE.dataset, SILVER_ORDERS.primary_key), QUARANTINE)
    return ctx.commit()


if __name__ == "__main__":
    sys.exit(run_job(main, "bronze_to_silver", ARGUMENTS))
