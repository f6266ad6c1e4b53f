"""Returns: landed Avro records -> returns linked to their order line; orphans quarantined."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from transforms.bronze import with_json_fields
from transforms.columns import blank_to_null, try_parse_utc_timestamp
from transforms.contracts import MONEY
from transforms.frames import with_reasons

# A refund (quantity x unit price x rate) is exact in Spark's 38 digits only while the quantity
# has at most 6: with more, Spark rounds the product to 6 decimal places before it is rounded
# to cents, and a refund can come out a cent off. A larger quantity is BAD_QUANTITY.
MAX_RETURN_QUANTITY = 999_999
RETURN_QUANTITY = "decimal(6,0)"

RETURN_RECORD_SCHEMA = "return_id STRING, order_id STRING, line_no INT, quantity INT, reason STRING, returned_at STRING"


def return_reject_rules() -> list[tuple[str, Column]]:
    c = F.col
    return [
        ("NOT_JSON", ~c("is_json")),
        ("WRONG_TYPE", c("has_wrong_types")),
        ("MISSING_ID", c("return_id").isNull() | c("order_id").isNull() | c("line_no").isNull()),
        ("BAD_QUANTITY", c("quantity").isNull() | (c("quantity") <= 0) | (c("quantity") > MAX_RETURN_QUANTITY)),
        ("BAD_TIMESTAMP", c("returned_at").isNull()),
        ("ORPHAN_RETURN", c("order_quantity").isNull()),
        ("EXCESS_RETURN_QUANTITY", c("quantity") > c("order_quantity")),
    ]


def parse_return_records(records: DataFrame) -> DataFrame:
    parsed = records.transform(with_json_fields, RETURN_RECORD_SCHEMA)
    return parsed.withColumns(
        {
            "return_id": blank_to_null(F.col("return_id")),
            "order_id": blank_to_null(F.col("order_id")),
            "return_reason": F.lower(blank_to_null(F.col("reason"))),
            "returned_at": try_parse_utc_timestamp(F.col("returned_at")),
        }
    ).withColumn("return_date", F.to_date("returned_at"))


def link_to_order_lines(returns: DataFrame, orders: DataFrame) -> DataFrame:
    """The returned line's product, customer, order date and refund at its USD unit price."""
    lines = orders.select(
        "order_id",
        "line_no",
        "product_sku",
        "customer_id",
        "order_date",
        F.col("quantity").alias("order_quantity"),
        (F.col("unit_price") * F.col("fx_rate_to_usd")).alias("_unit_price_usd"),
    )
    # Only the lines some return points at: a broadcast filter, not a shuffle of every order line.
    returned = F.broadcast(returns.select("order_id", "line_no").distinct())
    lines = lines.join(returned, ["order_id", "line_no"], "left_semi")
    linked = returns.join(lines, ["order_id", "line_no"], "left")
    refund = F.col("quantity").try_cast(RETURN_QUANTITY) * F.col("_unit_price_usd")
    return linked.withColumn("refund_usd", refund.cast(MONEY)).drop("_unit_price_usd")


def returns_with_reasons(records: DataFrame, orders: DataFrame) -> DataFrame:
    """`orders` are the accepted silver order lines the returns must point at."""
    return (
        records.transform(parse_return_records)
        .transform(link_to_order_lines, orders)
        .transform(with_reasons, return_reject_rules())
    )
