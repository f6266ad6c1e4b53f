"""Silver rows that depend on other datasets, re-derived when those change in a batch.

Orders carry USD amounts at their day's FX rate; returns carry their order line's product,
customer, order date and refund. When a batch publishes or corrects a rate, or brings a new
version of an order line, the silver rows it leaves in place are derived again, so a lake
built batch by batch equals one built in a single run.
"""

from __future__ import annotations

from pyspark.sql import DataFrame

from transforms.contracts import SILVER_RETURNS
from transforms.frames import accepted, union_all
from transforms.incremental import Batch, beaten_silver_rows
from transforms.orders import repriced_orders
from transforms.returns import relinked_returns


def refresh_kept_rows(dataset: str, kept: DataFrame, batches: dict[str, Batch]) -> DataFrame:
    """Kept silver rows whose derived values this batch changes: orders of a day whose FX rate
    was published or corrected, returns of an order line that changed."""
    if dataset == "orders":
        fx = batches["fx_rates"]
        return repriced_orders(kept, accepted(fx.rows), fx.current)
    if dataset == "returns":
        orders = batches["orders"]
        return relinked_returns(kept, orders.to_write(), orders.current)
    return kept.limit(0)


def returns_order_dates(returns: Batch) -> DataFrame:
    """The order dates of returns that came in, went out or were re-derived: their gold numbers
    change with them."""
    beaten = beaten_silver_rows(returns.ranked, SILVER_RETURNS.column_names)
    frames = [accepted(returns.rows), beaten, returns.refreshed]
    return union_all([f.select("order_date") for f in frames]).distinct()
