"""Gold marts: business-ready aggregates over silver."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from transforms.contracts import MONEY


def safe_ratio(numerator: Column, denominator: Column, scale: int = 2) -> Column:
    """numerator / denominator rounded half-up, null when the denominator is 0 or null."""
    return F.when(denominator != 0, F.round(numerator / denominator, scale))


def daily_sales(orders: DataFrame) -> DataFrame:
    """Revenue, distinct orders, units and average order value per day, region, channel, currency."""
    totals = orders.groupBy("order_date", "region", "channel", "currency").agg(
        F.sum("line_amount").cast(MONEY).alias("revenue"),
        F.count_distinct("order_id").alias("orders"),
        F.sum("quantity").cast("long").alias("units"),
    )
    return totals.withColumn("avg_order_value", safe_ratio(F.col("revenue"), F.col("orders")).cast(MONEY))
