"""bronze -> silver: every landed dataset typed, standardized and de-duplicated; every rejected
record to its domain's quarantine with a reason code.

Reads like the flow chart it is: read -> clean -> validate -> write -> commit.
"""

from __future__ import annotations

import sys

from expectations import suites
from expectations.cross_table import order_reference_check
from jobs.runtime.config import LAKE_ARGUMENTS
from jobs.runtime.context import JobContext
from jobs.runtime.entry import run_job
from transforms import contracts as c
from transforms.customers import clean_customers
from transforms.frames import accepted, outcome_counts, to_quarantine, union_all
from transforms.fx import clean_fx_rates
from transforms.orders import clean_orders, with_reference_flags
from transforms.products import clean_products
from transforms.returns import clean_returns

ARGUMENTS = LAKE_ARGUMENTS

# (source, silver table, suite), in the order the cleaning depends on them.
DATASETS = (
    (c.FX_RATES_SOURCE, c.SILVER_FX_RATES, suites.SILVER_FX_RATES_SUITE),
    (c.CUSTOMERS_SOURCE, c.SILVER_CUSTOMERS, suites.SILVER_CUSTOMERS_SUITE),
    (c.PRODUCTS_SOURCE, c.SILVER_PRODUCTS, suites.SILVER_PRODUCTS_SUITE),
    (c.ORDERS_SOURCE, c.SILVER_ORDERS, suites.SILVER_ORDERS_SUITE),
    (c.RETURNS_SOURCE, c.SILVER_RETURNS, suites.SILVER_RETURNS_SUITE),
)


def clean_all(ctx: JobContext) -> dict:
    """Every dataset with a reason code (or none) on every landed record."""
    landed = {source.dataset: ctx.read_bronze(source) for source, _, _ in DATASETS}
    fx = clean_fx_rates(landed["fx_rates"]).cache()
    customers = clean_customers(landed["customers"], ctx.config.pii_hash_key).cache()
    products = clean_products(landed["products"]).cache()
    orders = (
        clean_orders(landed["orders"], accepted(fx))
        .transform(with_reference_flags, accepted(customers), accepted(products))
        .cache()
    )
    returns = clean_returns(landed["returns"], accepted(orders)).cache()
    return {"fx_rates": fx, "customers": customers, "products": products, "orders": orders, "returns": returns}


def main(ctx: JobContext) -> dict:
    with ctx.step("read and clean bronze"):
        cleaned = clean_all(ctx)
        for source, _, _ in DATASETS:
            ctx.record_ledger(source.dataset, outcome_counts(cleaned[source.dataset]))
    with ctx.step("validate silver"):
        for source, _, suite in DATASETS:
            ctx.check_quality(accepted(cleaned[source.dataset]), suite)
        references = order_reference_check(
            accepted(cleaned["orders"]), accepted(cleaned["customers"]), accepted(cleaned["products"])
        )
        ctx.check_quality(references, suites.REFERENCE_FLAGS_SUITE)
    with ctx.step("write silver and quarantine"):
        for source, table, _ in DATASETS:
            ctx.write_table(accepted(cleaned[source.dataset]), table)
        for domain, quarantine in c.QUARANTINE_TABLES.items():
            rejected = [
                to_quarantine(cleaned[source.dataset], source.dataset, table.primary_key)
                for source, table, _ in DATASETS
                if source.domain == domain
            ]
            ctx.write_table(union_all(rejected), quarantine)
    return ctx.commit()


if __name__ == "__main__":
    sys.exit(run_job(main, "bronze_to_silver", ARGUMENTS))
