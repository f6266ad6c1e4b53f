"""One suite per table. Keys and reference values come from the table contracts."""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from transforms.contracts import (
    CHANNELS,
    CURRENCIES,
    GOLD_DAILY_SALES,
    REGIONS,
    SILVER_ORDERS,
    TableContract,
)

WARNING = "warning"


@dataclass(frozen=True)
class Suite:
    table: TableContract
    expectations: tuple[Expectation, ...]

    @property
    def name(self) -> str:
        return self.table.qualified_name


def key_expectations(table: TableContract) -> list[Expectation]:
    """Primary-key columns are never null and together unique."""
    not_null = [gxe.ExpectColumnValuesToNotBeNull(column=k) for k in table.primary_key]
    if len(table.primary_key) == 1:
        unique = gxe.ExpectColumnValuesToBeUnique(column=table.primary_key[0])
    else:
        unique = gxe.ExpectCompoundColumnsToBeUnique(column_list=list(table.primary_key))
    return [*not_null, unique]


def allowed_codes() -> list[Expectation]:
    return [
        gxe.ExpectColumnValuesToBeInSet(column="region", value_set=list(REGIONS)),
        gxe.ExpectColumnValuesToBeInSet(column="channel", value_set=list(CHANNELS)),
        gxe.ExpectColumnValuesToBeInSet(column="currency", value_set=list(CURRENCIES)),
    ]


SILVER_ORDERS_SUITE = Suite(
    SILVER_ORDERS,
    (
        *key_expectations(SILVER_ORDERS),
        *allowed_codes(),
        gxe.ExpectColumnValuesToBeBetween(column="quantity", min_value=1, max_value=10_000),
        gxe.ExpectColumnValuesToBeBetween(column="unit_price", min_value=0, max_value=100_000),
        gxe.ExpectColumnValuesToNotBeNull(column="order_ts"),
    ),
)

DAILY_SALES_SUITE = Suite(
    GOLD_DAILY_SALES,
    (
        *key_expectations(GOLD_DAILY_SALES),
        *allowed_codes(),
        gxe.ExpectColumnValuesToBeBetween(column="revenue", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="orders", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="units", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="avg_order_value", min_value=0, max_value=1_000_000, severity=WARNING),
    ),
)

SUITES = {s.name: s for s in (SILVER_ORDERS_SUITE, DAILY_SALES_SUITE)}
