"""A dataset's new records cleaned and ranked exactly as bronze_to_silver does it for a first
batch (nothing in silver yet): its cleaner's rules, then `rank_against_silver` with the key and
version order its declaration gives."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from jobs.silver.datasets import DATASETS
from transforms.customers import customers_with_reasons
from transforms.fx import fx_rates_with_reasons
from transforms.incremental import batch_rows, rank_against_silver
from transforms.orders import orders_with_reasons
from transforms.products import products_with_reasons
from transforms.returns import returns_with_reasons


def first_batch(dataset: str, cleaned: DataFrame) -> DataFrame:
    """Every record with its outcome (a reason, SUPERSEDED, or none), as the job ranks it."""
    declared = next(d for d in DATASETS if d.name == dataset)
    # As the job reads a table never written: a relation the optimizer knows is empty.
    silver = cleaned.sparkSession.createDataFrame([], declared.table.schema).where(F.lit(False))
    newest_first = declared.newest_first() if declared.newest_first else None
    return batch_rows(rank_against_silver(cleaned, silver, declared.table.primary_key, newest_first))


def clean_orders(lines: DataFrame, rates: DataFrame) -> DataFrame:
    return first_batch("orders", orders_with_reasons(lines, rates))


def clean_customers(records: DataFrame, hash_key: str) -> DataFrame:
    return first_batch("customers", customers_with_reasons(records, hash_key))


def clean_fx_rates(lines: DataFrame) -> DataFrame:
    return first_batch("fx_rates", fx_rates_with_reasons(lines))


def clean_products(records: DataFrame) -> DataFrame:
    return first_batch("products", products_with_reasons(records))


def clean_returns(records: DataFrame, orders: DataFrame) -> DataFrame:
    return first_batch("returns", returns_with_reasons(records, orders))
