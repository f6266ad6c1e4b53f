"""The landed datasets on their way to silver: one declaration each, in the order the cleaning
depends on them.

A dataset is cleaned against silver as it will be after this batch (`Batch.current`) of the
datasets it `depends_on`: orders against all FX rates, customers and products; returns
against all order lines. Cleaning sees only those (`Cleaning.current`), so the declaration
is the whole statement of the dependencies, and the job runs them in `dependency_order`.

Each domain's datasets run as the domain's own job (`--domain`). A dependency on another
domain's dataset is read from its published silver table (`Cleaning.published`): that domain's
job ran first (jobs.pipeline), and the consumer's contract names the table it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from expectations import suites
from expectations.cross_table import order_reference_check
from expectations.gate import Suite
from jobs.runtime.config import for_domain
from jobs.runtime.context import JobContext
from jobs.runtime.ordering import in_dependency_order
from jobs.runtime.partitions import Partition
from jobs.silver.scope import partitions_holding
from transforms import contracts as c
from transforms.contract_types import BronzeSource, TableContract
from transforms.customers import customer_versions_newest_first, customers_with_reasons
from transforms.dependents import ORDER_LINE, returns_order_dates, returns_to_read_again
from transforms.frames import accepted
from transforms.fx import fx_rates_with_reasons
from transforms.incremental import Batch
from transforms.orders import orders_with_reasons, repriced_orders, with_reference_flags
from transforms.products import products_with_reasons
from transforms.returns import parse_return_records, returns_with_reasons


@dataclass(frozen=True)
class Cleaned:
    """A run's batches, and the silver tables of other domains they were checked against."""

    batches: Mapping[str, Batch]
    published: Mapping[str, DataFrame]  # silver of datasets another domain's job publishes

    def current(self, dataset: str) -> DataFrame:
        """Silver of `dataset` as it will be after this run."""
        return self.batches[dataset].current if dataset in self.batches else self.published[dataset]


@dataclass(frozen=True)
class Cleaning:
    """What a dataset's cleaning may read: its new records, its silver, and the datasets it
    depends on (no others): their batches in this run, or their published silver."""

    ctx: JobContext
    landed: DataFrame
    silver: DataFrame
    upstream: Mapping[str, Batch]
    published: Mapping[str, DataFrame]

    def current(self, dataset: str) -> DataFrame:
        """Silver of a dataset this one depends on, as it will be after this batch."""
        return Cleaned(self.upstream, self.published).current(dataset)


@dataclass(frozen=True)
class CrossCheck:
    """A check across a dataset and what it depends on, with the suite that gates it."""

    frame: Callable[[Cleaned], DataFrame]
    suite: Suite


@dataclass(frozen=True)
class Dataset:
    source: BronzeSource
    table: TableContract  # its silver table
    suite: Suite  # the silver table's quality suite
    clean: Callable[[Cleaning], DataFrame]  # every new record with its reason code (or none)
    depends_on: tuple[str, ...] = ()
    # Kept silver rows whose derived values an upstream batch changes, derived again.
    refresh: Callable[[DataFrame, Mapping[str, Batch]], DataFrame] | None = None
    # The order versions of a key rank in, newest first, when it is not the landing order.
    newest_first: Callable[[], list[Column]] | None = None
    cross_checks: tuple[CrossCheck, ...] = ()
    # The order dates whose gold numbers the batch (and the silver partitions it rewrote) moves.
    gold_dates: Callable[[Batch, list[Partition]], set[str]] | None = None

    @property
    def name(self) -> str:
        return self.source.dataset


def dependency_order(datasets: Sequence[Dataset]) -> list[Dataset]:
    """The datasets so that each comes after those it depends on; otherwise as declared."""
    return in_dependency_order(datasets, lambda d: d.name, lambda d: d.depends_on, "datasets")


def datasets_of(domain: str) -> list[Dataset]:
    """The datasets a run for `domain` cleans, in dependency order; "" is every domain."""
    return for_domain(DATASETS, lambda d: d.source.domain, domain)


def published_upstream(datasets: Sequence[Dataset]) -> list[Dataset]:
    """The datasets these depend on that another run cleans: read as their silver is published."""
    in_run = {d.name for d in datasets}
    needed = {name for d in datasets for name in d.depends_on} - in_run
    return [d for d in DATASETS if d.name in needed]


def returns_read_again(cleaning: Cleaning) -> DataFrame:
    """Returns of order lines this batch changed, read again from their files (those not read
    anyway), so that they are linked and checked against the lines as they are now."""
    ctx = cleaning.ctx
    quarantine = ctx.tables.read(c.QUARANTINE_TABLES[c.RETURNS_SOURCE.domain])
    changed_lines = cleaning.upstream["orders"].to_write()
    files = returns_to_read_again(cleaning.silver, quarantine, changed_lines).collect()
    new = ctx.run.inputs[c.RETURNS_SOURCE.prefix]
    again = sorted(r.source_file for r in files if not any(uri.endswith("/" + r.source_file) for uri in new))
    return ctx.bronze.reread(c.RETURNS_SOURCE, again)


def cleaned_returns(cleaning: Cleaning) -> DataFrame:
    """New returns and those read again, linked to the order lines they point at: read from
    the partitions of silver holding those lines only, once silver holds any."""
    records = cleaning.landed.unionByName(returns_read_again(cleaning))
    orders = cleaning.current("orders")
    if cleaning.ctx.tables.exists(c.SILVER_ORDERS):
        returned = records.transform(parse_return_records).select(*ORDER_LINE).distinct()
        partitions = c.SILVER_ORDERS.partition_by
        orders = partitions_holding(orders, returned, ORDER_LINE, partitions, order_lines_places(cleaning))
    return returns_with_reasons(records, orders)


def order_lines_places(cleaning: Cleaning) -> DataFrame:
    """Each order line's key and partition, in silver before this run and in what the run
    writes: the lines after it are among them. (Silver after the run is a plan that takes
    out replaced lines by their lineage: more to read than the key columns.)"""
    columns = [*ORDER_LINE, *c.SILVER_ORDERS.partition_by]
    places = cleaning.ctx.tables.read(c.SILVER_ORDERS).select(*columns)
    if "orders" in cleaning.upstream:
        places = places.unionByName(cleaning.upstream["orders"].to_write().select(*columns))
    return places


def repriced_kept_orders(kept: DataFrame, upstream: Mapping[str, Batch]) -> DataFrame:
    """Kept order lines of a day and currency whose FX rate this batch published or corrected
    (read from the partitions of those days only)."""
    fx = upstream["fx_rates"]
    new_rates = accepted(fx.rows)
    days = [row.rate_date for row in new_rates.select("rate_date").distinct().collect()]
    return repriced_orders(kept.where(F.col("order_date").isin(days)), new_rates, fx.current)


def order_references(cleaned: Cleaned) -> DataFrame:
    """The new order lines' customer and product flags, against those tables after this run."""
    orders = accepted(cleaned.batches["orders"].rows)
    return order_reference_check(orders, cleaned.current("customers"), cleaned.current("products"))


DATASETS = dependency_order(
    [
        Dataset(
            c.FX_RATES_SOURCE,
            c.SILVER_FX_RATES,
            suites.SILVER_FX_RATES_SUITE,
            clean=lambda x: fx_rates_with_reasons(x.landed),
        ),
        Dataset(
            c.CUSTOMERS_SOURCE,
            c.SILVER_CUSTOMERS,
            suites.SILVER_CUSTOMERS_SUITE,
            clean=lambda x: customers_with_reasons(x.landed, x.ctx.config.required_pii_hash_key()),
            newest_first=customer_versions_newest_first,
        ),
        Dataset(
            c.PRODUCTS_SOURCE,
            c.SILVER_PRODUCTS,
            suites.SILVER_PRODUCTS_SUITE,
            clean=lambda x: products_with_reasons(x.landed),
        ),
        Dataset(
            c.ORDERS_SOURCE,
            c.SILVER_ORDERS,
            suites.SILVER_ORDERS_SUITE,
            clean=lambda x: orders_with_reasons(x.landed, x.current("fx_rates")).transform(
                with_reference_flags, x.current("customers"), x.current("products")
            ),
            depends_on=("fx_rates", "customers", "products"),
            refresh=repriced_kept_orders,
            cross_checks=(CrossCheck(order_references, suites.REFERENCE_FLAGS_SUITE),),
            gold_dates=lambda _, rewritten: {p["order_date"] for p in rewritten},
        ),
        Dataset(
            c.RETURNS_SOURCE,
            c.SILVER_RETURNS,
            suites.SILVER_RETURNS_SUITE,
            clean=cleaned_returns,
            depends_on=("orders",),
            gold_dates=lambda batch, _: {str(r.order_date) for r in returns_order_dates(batch).collect()},
        ),
    ]
)
