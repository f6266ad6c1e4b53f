"""Returns: landed Avro records -> returns linked to their order line; orphans quarantined."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from transforms.bronze import with_json_fields
from transforms.columns import blank_to_null, try_parse_utc_timestamp
from transforms.contracts import MONEY, SILVER_RETURNS
from transforms.frames import flag_rejects_and_versions

RETURN_RECORD_SCHEMA = "return_id STRING, order_id STRING, line_no INT, quantity INT, reason STRING, returned_at STRING"


def return_reject_rules() -> list[tuple[str, Column]]:
    c = F.col
    return [
        ("NOT_JSON", ~c("is_json")),
        ("WRONG_TYPE", c("has_wrong_types")),
        ("MISSING_ID", c("return_id").isNull() | c("order_id").isNull() | c("line_no").isNull()),
        ("BAD_QUANTITY", c("quantity").isNull() | (c("quantity") <= 0)),
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
    linked = returns.join(lines, ["order_id", "line_no"], "left")
    return linked.withColumn("refund_usd", (F.col("quantity") * F.col("_unit_price_usd")).cast(MONEY)).drop(
        "_unit_price_usd"
    )


ORDER_DERIVED = ("product_sku", "customer_id", "order_date", "refund_usd")


def relinked_returns(kept_returns: DataFrame, changed_orders: DataFrame, orders: DataFrame) -> DataFrame:
    """Silver returns of order lines that changed (a new version, a new rate), with product,
    customer, order date and refund taken again from the line as it is now in `orders`."""
    touched = kept_returns.join(changed_orders.select("order_id", "line_no"), ["order_id", "line_no"], "left_semi")
    return touched.drop(*ORDER_DERIVED).transform(link_to_order_lines, orders).drop("order_quantity")


def clean_returns(records: DataFrame, orders: DataFrame) -> DataFrame:
    """`orders` are the accepted silver order lines the returns must point at."""
    return (
        records.transform(parse_return_records)
        .transform(link_to_order_lines, orders)
        .transform(flag_rejects_and_versions, return_reject_rules(), SILVER_RETURNS.primary_key)
    )
