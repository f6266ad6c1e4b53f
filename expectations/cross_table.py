"""Check frames for the rules that span tables. Each returns a small DataFrame in which a
true flag (or a non-zero difference) marks a broken row; a suite in `suites` gates it. A check
of every row of a table keeps only the rows that break its rule: the gate names them all the
same, and the frame it computes and caches is as small as the breakage, not the table (every
order line of a run, otherwise: bench/NOTES.md, "A cold run and a warm one in the same hour")."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from transforms.columns import any_of


def broken_rows(flags: DataFrame, *flag_columns: str) -> DataFrame:
    """The rows of `flags` in which any of `flag_columns` is true."""
    return flags.where(any_of(F.col(c) for c in flag_columns))


def order_reference_check(orders: DataFrame, customers: DataFrame, products: DataFrame) -> DataFrame:
    """The order lines whose customer or product is missing from silver though the line does not
    flag it as unknown: empty when every line is sound."""
    known_customers = customers.select("customer_id", F.lit(True).alias("customer_known"))
    known_products = products.select("product_sku", F.lit(True).alias("product_known"))
    joined = orders.join(known_customers, "customer_id", "left").join(known_products, "product_sku", "left")
    flags = joined.select(
        "order_id",
        "line_no",
        (F.col("customer_known").isNull() & ~F.col("is_unknown_customer")).alias("unflagged_unknown_customer"),
        (F.col("product_known").isNull() & ~F.col("is_unknown_product")).alias("unflagged_unknown_product"),
    )
    return broken_rows(flags, "unflagged_unknown_customer", "unflagged_unknown_product")


def revenue_reconciliation(daily_sales: DataFrame, orders: DataFrame, returns: DataFrame) -> DataFrame:
    """Total gold net revenue minus (silver order revenue - silver refunds): must be 0."""
    gold = daily_sales.agg(F.coalesce(F.sum("net_revenue_usd"), F.lit(0)).alias("v"))
    sold = orders.agg(F.coalesce(F.sum("line_amount_usd"), F.lit(0)).alias("v"))
    refunded = returns.agg(F.coalesce(F.sum("refund_usd"), F.lit(0)).alias("v"))
    difference = gold.crossJoin(sold.withColumnRenamed("v", "s")).crossJoin(refunded.withColumnRenamed("v", "r"))
    return difference.select(
        F.lit("gold net revenue vs silver").alias("check"),
        (F.col("v") - (F.col("s") - F.col("r"))).alias("difference_usd"),
    )


def margin_flag_check(product_performance: DataFrame) -> DataFrame:
    """The products' months with a negative gross margin that `is_negative_margin` does not flag."""
    flags = product_performance.select(
        "month",
        "product_sku",
        (F.coalesce(F.col("gross_margin_usd") < 0, F.lit(False)) & ~F.col("is_negative_margin")).alias(
            "unflagged_negative_margin"
        ),
    )
    return broken_rows(flags, "unflagged_negative_margin")
