"""Sales order lines: landed CSV text -> typed, standardized, de-duplicated silver rows."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import IntegerType

from transforms.bronze import csv_records, csv_reject_rules
from transforms.columns import (
    any_of,
    blank_to_null,
    lower_code,
    not_in,
    try_parse,
    try_parse_utc_timestamp,
    upper_code,
)
from transforms.contracts import (
    BASE_CURRENCY,
    CHANNELS,
    CURRENCIES,
    FX_RATE,
    MONEY,
    ORDER_FILE_COLUMNS,
    REGIONS,
    UNIT_PRICE,
)
from transforms.frames import with_reasons

ID_COLUMNS = ("order_id", "line_no", "customer_id", "product_sku")

# How each landed text field becomes a typed value (null when it does not parse).
FIELD_PARSERS = {
    "order_id": blank_to_null,
    "customer_id": blank_to_null,
    "product_sku": blank_to_null,
    "line_no": lambda c: try_parse(c, IntegerType()),
    "quantity": lambda c: try_parse(c, IntegerType()),
    "unit_price": lambda c: try_parse(c, UNIT_PRICE),
    "order_ts": try_parse_utc_timestamp,
}

# Code columns in their canonical case: ' emea ' -> 'EMEA', 'Online' -> 'online'.
CODE_STANDARDS = {"region": upper_code, "currency": upper_code, "channel": lower_code}


def reject_rules() -> list[tuple[str, Column]]:
    """Reason codes for order lines, checked in this order; the first that holds wins."""
    c = F.col
    return csv_reject_rules() + [
        ("MISSING_ID", any_of(c(k).isNull() for k in ID_COLUMNS) | (c("line_no") <= 0)),
        ("BAD_QUANTITY", c("quantity").isNull() | (c("quantity") <= 0)),
        ("BAD_TIMESTAMP", c("order_ts").isNull()),
        ("BAD_PRICE", c("unit_price").isNull()),
        ("NEGATIVE_PRICE", c("unit_price") < 0),
        ("UNKNOWN_CURRENCY", not_in(c("currency"), CURRENCIES)),
        ("UNKNOWN_REGION", not_in(c("region"), REGIONS)),
        ("UNKNOWN_CHANNEL", not_in(c("channel"), CHANNELS)),
    ]


def parse_order_lines(lines: DataFrame) -> DataFrame:
    """Landed lines (with lineage) -> one row per order line with typed fields, or nulls."""
    fields = lines.transform(csv_records, ORDER_FILE_COLUMNS)
    return fields.withColumns({name: parse(F.col(name)) for name, parse in FIELD_PARSERS.items()})


def standardize_orders(orders: DataFrame) -> DataFrame:
    """Canonical codes, the UTC business date and the line amount."""
    return orders.withColumns(
        {name: standardize(F.col(name)) for name, standardize in CODE_STANDARDS.items()}
    ).withColumns(
        {
            "order_date": F.to_date("order_ts"),
            "line_amount": (F.col("quantity") * F.col("unit_price")).cast(MONEY),
        }
    )


def with_usd_amounts(orders: DataFrame, rates: DataFrame) -> DataFrame:
    """The rate of the order date and the line amount in USD; null rate when none was published."""
    day_rates = F.broadcast(rates.select(F.col("rate_date").alias("order_date"), "currency", "rate_to_usd"))
    joined = orders.join(day_rates, ["order_date", "currency"], "left")
    rate = F.when(F.col("currency") == BASE_CURRENCY, F.lit(1)).otherwise(F.col("rate_to_usd")).cast(FX_RATE)
    return (
        joined.withColumn("fx_rate_to_usd", rate)
        .withColumn("line_amount_usd", (F.col("line_amount") * F.col("fx_rate_to_usd")).cast(MONEY))
        .drop("rate_to_usd")
    )


def repriced_orders(kept_orders: DataFrame, new_rates: DataFrame, rates: DataFrame) -> DataFrame:
    """Silver order lines of a day and currency whose rate a batch published or corrected,
    with their USD amounts at the rate now in force (`rates`)."""
    changed = new_rates.select(F.col("rate_date").alias("order_date"), "currency").distinct()
    touched = kept_orders.join(changed, ["order_date", "currency"], "left_semi")
    return touched.drop("fx_rate_to_usd", "line_amount_usd").transform(with_usd_amounts, rates)


def with_reference_flags(orders: DataFrame, customers: DataFrame, products: DataFrame) -> DataFrame:
    """Flag (never drop) lines whose customer or product is not in silver."""
    known_customers = F.broadcast(customers.select("customer_id", F.lit(True).alias("_customer_known")))
    known_products = F.broadcast(products.select("product_sku", F.lit(True).alias("_product_known")))
    return (
        orders.join(known_customers, "customer_id", "left")
        .join(known_products, "product_sku", "left")
        .withColumn("is_unknown_customer", F.col("_customer_known").isNull())
        .withColumn("is_unknown_product", F.col("_product_known").isNull())
        .drop("_customer_known", "_product_known")
    )


def orders_with_reasons(lines: DataFrame, rates: DataFrame) -> DataFrame:
    """Order lines parsed, standardized, in USD and with their reason code (or none)."""
    rules = [*reject_rules(), ("MISSING_FX_RATE", F.col("fx_rate_to_usd").isNull())]
    return (
        lines.transform(parse_order_lines)
        .transform(standardize_orders)
        .transform(with_usd_amounts, rates)
        .transform(with_reasons, rules)
    )
