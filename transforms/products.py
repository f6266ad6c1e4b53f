"""Products: landed Parquet records -> the typed catalog, latest version per SKU."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from transforms.bronze import with_json_fields
from transforms.columns import blank_to_null
from transforms.contracts import UNIT_PRICE
from transforms.frames import with_reasons

PRODUCT_RECORD_SCHEMA = (
    f"sku STRING, name STRING, category STRING, list_price {UNIT_PRICE.simpleString()}, "
    f"unit_cost {UNIT_PRICE.simpleString()}, active BOOLEAN"
)


def product_reject_rules() -> list[tuple[str, Column]]:
    c = F.col
    return [
        ("NOT_JSON", ~c("is_json")),
        ("WRONG_TYPE", c("has_wrong_types")),
        ("MISSING_ID", c("product_sku").isNull()),
        ("BAD_PRICE", c("list_price_usd").isNull() | c("unit_cost_usd").isNull()),
        ("NEGATIVE_PRICE", (c("list_price_usd") < 0) | (c("unit_cost_usd") < 0)),
    ]


def products_with_reasons(records: DataFrame) -> DataFrame:
    typed = records.transform(with_json_fields, PRODUCT_RECORD_SCHEMA).select(
        *records.columns,
        "is_json",
        "has_wrong_types",
        blank_to_null(F.col("sku")).alias("product_sku"),
        blank_to_null(F.col("name")).alias("product_name"),
        F.lower(blank_to_null(F.col("category"))).alias("category"),
        F.col("list_price").alias("list_price_usd"),
        F.col("unit_cost").alias("unit_cost_usd"),
        F.coalesce(F.col("active"), F.lit(True)).alias("is_active"),
    )
    return typed.transform(with_reasons, product_reject_rules())
