"""Reading only the silver partitions a batch can touch.

A day's batch holds a few thousand keys, and silver a year of them. Ranking the batch against
silver, or linking its returns to their order lines, needs the rows of those keys only, but
their partitions are not known from the keys (a re-sent order line may be months old). So
the key and partition columns of silver are read first (a narrow scan: Parquet reads those
columns alone), and then only the partitions holding a key are read in full. Silver's own
columns are the key index: nothing to keep in step with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from transforms.columns import matches_any


def partitions_holding(
    frame: DataFrame,
    keys: DataFrame,
    key_columns: Sequence[str],
    partition_by: Sequence[str],
    index: DataFrame | None = None,
) -> DataFrame:
    """`frame` (a partitioned table, or a plan over one) cut down to the partitions where one of
    `keys` occurs. A literal condition on the partition columns, so Spark reads only those.
    The partitions are looked up in `index` (key and partition columns) when given: a cheaper
    plan whose rows' partitions include those of `frame`'s."""
    if not partition_by:
        return frame
    where = frame if index is None else index
    holding = where.select(*key_columns, *partition_by).join(F.broadcast(keys), list(key_columns), "left_semi")
    found = [row.asDict() for row in holding.select(*partition_by).distinct().collect()]
    return frame.where(matches_any(found))
