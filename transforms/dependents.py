"""Records that depend on other datasets, derived or checked again when those change in a batch,
so a lake built batch by batch equals one built in a single run.

Orders carry USD amounts at their day's FX rate: when a batch publishes or corrects a rate, the
silver order lines of that day and currency are priced again. A return is linked to its order
line and checked against it (no return of an unknown line, none of more than was ordered): when
a batch brings a new version of an order line, or prices it again, its returns are read again
from their files and cleaned like new ones, whether silver or quarantine held them.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from transforms.contracts import SILVER_RETURNS
from transforms.frames import REJECT_REASON, accepted, union_all
from transforms.incremental import Batch, beaten_silver_rows

# Reasons a return gets from its order line: they can change when the line does.
LINE_DEPENDENT_REASONS = ("ORPHAN_RETURN", "EXCESS_RETURN_QUANTITY")
ORDER_LINE = ("order_id", "line_no")


def returns_to_read_again(silver_returns: DataFrame, quarantine: DataFrame, changed_orders: DataFrame) -> DataFrame:
    """Files (`source_file`) holding a return of an order line the batch changed: in silver, or
    quarantined for a reason that depends on the line (their raw record names the line)."""
    # Not hinted as a broadcast: a day's lines are few, but an FX correction can reprice
    # millions; adaptive execution broadcasts them when they turn out small.
    changed = changed_orders.select(*ORDER_LINE).distinct()
    quarantined = quarantine.where(
        (F.col("dataset") == "returns") & F.col(REJECT_REASON).isin(*LINE_DEPENDENT_REASONS)
    ).select(
        "source_file",
        F.get_json_object("raw_record", "$.order_id").alias("order_id"),
        F.get_json_object("raw_record", "$.line_no").try_cast("int").alias("line_no"),
    )
    candidates = silver_returns.select("source_file", *ORDER_LINE).unionByName(quarantined)
    return candidates.join(changed, list(ORDER_LINE), "left_semi").select("source_file").distinct()


def returns_order_dates(returns: Batch) -> DataFrame:
    """The order dates of returns that came in, went out or were re-derived: their gold numbers
    change with them."""
    beaten = beaten_silver_rows(returns.ranked, SILVER_RETURNS.column_names)
    frames = [accepted(returns.rows), beaten, returns.refreshed]
    return union_all([f.select("order_date") for f in frames]).distinct()
