"""Sales order lines: landed CSV text -> typed, standardized, de-duplicated silver rows."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import IntegerType

from transforms.bronze import drop_header, with_csv_fields
from transforms.columns import any_of, blank_to_null, lower_code, try_parse, try_parse_utc_timestamp, upper_code
from transforms.contracts import (
    CHANNELS,
    CURRENCIES,
    MONEY,
    ORDER_FILE_COLUMNS,
    REGIONS,
    SILVER_ORDERS,
    UNIT_PRICE,
)
from transforms.frames import flag_superseded, with_reject_reason

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


def _outside(col: Column, allowed: tuple[str, ...]) -> Column:
    return col.isNull() | ~col.isin(*allowed)


def reject_rules() -> list[tuple[str, Column]]:
    """Reason codes for order lines, checked in this order; the first that holds wins."""
    c = F.col
    return [
        ("WRONG_FIELD_COUNT", c("field_count") != len(ORDER_FILE_COLUMNS)),
        ("MISSING_ID", any_of(c(k).isNull() for k in ID_COLUMNS) | (c("line_no") <= 0)),
        ("BAD_QUANTITY", c("quantity").isNull() | (c("quantity") <= 0)),
        ("BAD_TIMESTAMP", c("order_ts").isNull()),
        ("BAD_PRICE", c("unit_price").isNull()),
        ("NEGATIVE_PRICE", c("unit_price") < 0),
        ("UNKNOWN_CURRENCY", _outside(c("currency"), CURRENCIES)),
        ("UNKNOWN_REGION", _outside(c("region"), REGIONS)),
        ("UNKNOWN_CHANNEL", _outside(c("channel"), CHANNELS)),
    ]


def parse_order_lines(lines: DataFrame) -> DataFrame:
    """Landed lines (with lineage) -> one row per order line with typed fields, or nulls."""
    fields = lines.transform(drop_header).transform(with_csv_fields, ORDER_FILE_COLUMNS)
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


def flag_order_rejects(orders: DataFrame) -> DataFrame:
    """Give every order line a reason code or none; a re-sent line supersedes older versions."""
    newest_first = [F.col("ingest_date").desc(), F.col("source_file").desc(), F.col("source_line").desc()]
    return orders.transform(with_reject_reason, reject_rules()).transform(
        flag_superseded, SILVER_ORDERS.primary_key, newest_first
    )


def clean_orders(lines: DataFrame) -> DataFrame:
    """The whole bronze -> silver chain for order lines; every input line keeps a row."""
    return lines.transform(parse_order_lines).transform(standardize_orders).transform(flag_order_rejects)
