"""The gold marts, one declaration each: the silver tables it is built from, how, and the
checks beyond its suite. Each mart belongs to its contract's domain, and that domain's
silver_to_gold job (`--domain`) builds it; the silver tables it reads are its inputs, named
in their producers' contracts as its consumers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations import suites
from expectations.cross_table import margin_flag_check, revenue_reconciliation
from expectations.gate import Suite
from jobs.runtime.config import for_domain
from jobs.runtime.context import JobContext
from jobs.runtime.partitions import Partition
from jobs.silver.steps import SilverChanges
from transforms import contracts as c
from transforms import gold
from transforms.contract_types import TableContract

# The columns the marts read of the silver tables they share (the rest is never read).
COLUMNS_READ = {c.SILVER_ORDERS: gold.ORDER_COLUMNS, c.SILVER_RETURNS: gold.RETURN_COLUMNS}


@dataclass(frozen=True)
class Rebuild:
    """The order dates whose daily sales this run rebuilds: every date (a full refresh), or
    those silver's changes touched."""

    full_refresh: bool
    dates: tuple[str, ...] = ()

    @classmethod
    def of(cls, changes: list[SilverChanges]) -> Rebuild:
        return cls(False, tuple(sorted({day for change in changes for day in change.order_dates})))

    def on_dates(self, df: DataFrame) -> DataFrame:
        return df if self.full_refresh else df.where(F.col("order_date").isin(list(self.dates)))

    def daily_partitions(self) -> list[Partition]:
        return [Partition.of({"order_date": day}) for day in self.dates]


@dataclass(frozen=True)
class Silver:
    """The silver tables a run's marts are built from (read once, cached: several marts read
    the order lines and returns)."""

    tables: Mapping[TableContract, DataFrame]

    def __getitem__(self, table: TableContract) -> DataFrame:
        return self.tables[table]


def read_silver(ctx: JobContext, tables: Sequence[TableContract]) -> Silver:
    def read(table: TableContract) -> DataFrame:
        frame = ctx.tables.read(table)
        return frame.select(*COLUMNS_READ[table]).cache() if table in COLUMNS_READ else frame

    return Silver({table: read(table) for table in tables})


Checks = Callable[[DataFrame, Silver, Rebuild], list[tuple[DataFrame, Suite]]]


@dataclass(frozen=True)
class Mart:
    table: TableContract
    reads: tuple[TableContract, ...]
    build: Callable[[Silver, Rebuild], DataFrame]
    # Rebuilt for the changed order dates only (its partitions); otherwise in full.
    by_order_date: bool = False
    checks: Checks = lambda *_: []  # beyond the table's own suite

    @property
    def suite(self) -> Suite:
        return suites.TABLE_SUITES[self.table.qualified_name]


def orders_and_returns(silver: Silver, rebuild: Rebuild | None = None) -> tuple[DataFrame, DataFrame]:
    orders, returns = silver[c.SILVER_ORDERS], silver[c.SILVER_RETURNS]
    return (rebuild.on_dates(orders), rebuild.on_dates(returns)) if rebuild else (orders, returns)


def reconciled(daily: DataFrame, silver: Silver, rebuild: Rebuild) -> list[tuple[DataFrame, Suite]]:
    """Daily revenue against the order lines and returns of the dates rebuilt."""
    return [(revenue_reconciliation(daily, *orders_and_returns(silver, rebuild)), suites.REVENUE_RECONCILIATION_SUITE)]


SALES = (c.SILVER_ORDERS, c.SILVER_RETURNS)
MARTS = (
    Mart(
        c.GOLD_DAILY_SALES,
        SALES,
        lambda silver, rebuild: gold.daily_sales(*orders_and_returns(silver, rebuild)),
        by_order_date=True,
        checks=reconciled,
    ),
    Mart(c.GOLD_SALES_KPIS_MONTHLY, SALES, lambda silver, _: gold.sales_kpis_monthly(*orders_and_returns(silver))),
    Mart(
        c.GOLD_PRODUCT_PERFORMANCE,
        (*SALES, c.SILVER_PRODUCTS),
        lambda silver, _: gold.product_performance(*orders_and_returns(silver), silver[c.SILVER_PRODUCTS]),
        checks=lambda frame, *_: [(margin_flag_check(frame), suites.MARGIN_FLAGS_SUITE)],
    ),
    Mart(
        c.GOLD_CUSTOMER_LTV,
        (*SALES, c.SILVER_CUSTOMERS),
        lambda silver, _: gold.customer_ltv(*orders_and_returns(silver), silver[c.SILVER_CUSTOMERS]),
    ),
)


def marts_of(domain: str) -> list[Mart]:
    """The marts a run for `domain` builds; "" is every domain."""
    return for_domain(MARTS, lambda m: m.table.domain, domain)


def tables_read(marts: Sequence[Mart]) -> list[TableContract]:
    return list(dict.fromkeys(table for mart in marts for table in mart.reads))
