"""One suite per table, plus the cross-table rules. Keys and reference values come from the
table contracts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from expectations.gate import Suite
from transforms.contract_types import TableContract
from transforms.contracts import (
    CHANNELS,
    COUNTRY_ALIASES,
    CURRENCIES,
    GOLD_CUSTOMER_LTV,
    GOLD_DAILY_SALES,
    GOLD_PRODUCT_PERFORMANCE,
    GOLD_SALES_KPIS_MONTHLY,
    REGIONS,
    RFM_SEGMENTS,
    SILVER_CUSTOMERS,
    SILVER_FX_RATES,
    SILVER_ORDERS,
    SILVER_PRODUCTS,
    SILVER_RETURNS,
)

WARNING = "warning"
SHA256_HEX = r"^[0-9a-f]{64}$"


def table_suite(table: TableContract, *expectations: Expectation) -> Suite:
    """The table's key rules (not null, unique) followed by `expectations`."""
    return Suite(
        table.qualified_name, table.primary_key, (*key_expectations(table), *expectations), tuple(table.column_names)
    )


def key_expectations(table: TableContract) -> list[Expectation]:
    not_null = [gxe.ExpectColumnValuesToNotBeNull(column=k) for k in table.primary_key]
    if len(table.primary_key) == 1:
        unique = gxe.ExpectColumnValuesToBeUnique(column=table.primary_key[0])
    else:
        unique = gxe.ExpectCompoundColumnsToBeUnique(column_list=list(table.primary_key))
    return [*not_null, unique]


def in_set(column: str, values: Iterable[str]) -> Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(set(values)))


def at_least(column: str, minimum: float, **kwargs: Any) -> Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=minimum, **kwargs)


def never_true(column: str) -> Expectation:
    """For cross-table check frames: a `column` that is true marks a broken row."""
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[False])


SILVER_ORDERS_SUITE = table_suite(
    SILVER_ORDERS,
    in_set("region", REGIONS),
    in_set("channel", CHANNELS),
    in_set("currency", CURRENCIES),
    gxe.ExpectColumnValuesToBeBetween(column="quantity", min_value=1, max_value=10_000),
    at_least("unit_price", 0),
    at_least("line_amount_usd", 0),
    gxe.ExpectColumnValuesToNotBeNull(column="fx_rate_to_usd"),
)
SILVER_CUSTOMERS_SUITE = table_suite(
    SILVER_CUSTOMERS,
    # PII guard: only 64-hex-digit hashes may sit where an email or phone was.
    gxe.ExpectColumnValuesToMatchRegex(column="email_hash", regex=SHA256_HEX),
    gxe.ExpectColumnValuesToMatchRegex(column="phone_hash", regex=SHA256_HEX),
    in_set("country_code", COUNTRY_ALIASES.values()),
)
SILVER_PRODUCTS_SUITE = table_suite(
    SILVER_PRODUCTS,
    at_least("list_price_usd", 0),
    at_least("unit_cost_usd", 0),
    gxe.ExpectColumnValuesToNotBeNull(column="product_name", severity=WARNING),
)
SILVER_FX_RATES_SUITE = table_suite(
    SILVER_FX_RATES,
    in_set("currency", CURRENCIES),
    gxe.ExpectColumnValuesToBeBetween(column="rate_to_usd", min_value=0, strict_min=True),
)
SILVER_RETURNS_SUITE = table_suite(
    SILVER_RETURNS,
    at_least("quantity", 1),
    at_least("refund_usd", 0),
    gxe.ExpectColumnValuesToNotBeNull(column="order_date"),
)

DAILY_SALES_SUITE = table_suite(
    GOLD_DAILY_SALES,
    in_set("region", REGIONS),
    in_set("channel", CHANNELS),
    at_least("revenue_usd", 0),
    at_least("returns_usd", 0),
    at_least("orders", 1),
    at_least("units", 1),
    gxe.ExpectColumnValuesToBeBetween(column="avg_order_value_usd", min_value=0, max_value=1_000_000, severity=WARNING),
)
SALES_KPIS_MONTHLY_SUITE = table_suite(
    GOLD_SALES_KPIS_MONTHLY,
    at_least("orders", 1),
    at_least("new_customers", 0),
    at_least("returning_customers", 0),
    gxe.ExpectColumnValuesToBeBetween(column="return_rate", min_value=0, max_value=1),
)
PRODUCT_PERFORMANCE_SUITE = table_suite(
    GOLD_PRODUCT_PERFORMANCE,
    at_least("units", 1),
    gxe.ExpectColumnValuesToBeBetween(column="return_rate", min_value=0, max_value=1),
    gxe.ExpectColumnValuesToNotBeNull(column="product_name", severity=WARNING),
)
CUSTOMER_LTV_SUITE = table_suite(
    GOLD_CUSTOMER_LTV,
    at_least("orders", 1),
    at_least("recency_days", 0),
    *[
        gxe.ExpectColumnValuesToBeBetween(column=f"{s}_score", min_value=1, max_value=5)
        for s in ("recency", "frequency", "monetary")
    ],
    in_set("rfm_segment", [name for name, _, _ in RFM_SEGMENTS]),
)

# Cross-table rules, each run over a check frame built by `expectations.cross_table`.
REFERENCE_FLAGS_SUITE = Suite(
    "cross_table.order_references",
    ("order_id", "line_no"),
    (never_true("unflagged_unknown_customer"), never_true("unflagged_unknown_product")),
)
REVENUE_RECONCILIATION_SUITE = Suite(
    "cross_table.net_revenue_reconciles",
    ("check",),
    (gxe.ExpectColumnValuesToBeBetween(column="difference_usd", min_value=0, max_value=0),),
)
MARGIN_FLAGS_SUITE = Suite(
    "cross_table.negative_margins_flagged",
    ("month", "product_sku"),
    (never_true("unflagged_negative_margin"),),
)

TABLE_SUITES = {
    s.name: s
    for s in (
        SILVER_ORDERS_SUITE,
        SILVER_CUSTOMERS_SUITE,
        SILVER_PRODUCTS_SUITE,
        SILVER_FX_RATES_SUITE,
        SILVER_RETURNS_SUITE,
        DAILY_SALES_SUITE,
        SALES_KPIS_MONTHLY_SUITE,
        PRODUCT_PERFORMANCE_SUITE,
        CUSTOMER_LTV_SUITE,
    )
}
