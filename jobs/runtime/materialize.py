"""How a job keeps a frame it reads more than once: checkpointed for the rest of the run, or
cached while a block of work reads it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pyspark import StorageLevel
from pyspark.sql import DataFrame

# Serialized ("MEMORY_AND_DISK" in Python's spelling; Spark's own default for a checkpoint keeps
# Java objects). Millions of rows kept as objects are walked by every garbage collection for
# the rest of the run; serialized, a partition is a few byte arrays (bench/NOTES.md, "A
# checkpoint kept serialized").
CHECKPOINT_LEVEL = StorageLevel.MEMORY_AND_DISK


def checkpointed(df: DataFrame) -> DataFrame:
    """`df` computed now and kept for the run (a local checkpoint): every later read is of it."""
    return df.localCheckpoint(eager=True, storageLevel=CHECKPOINT_LEVEL)


@contextmanager
def cached(df: DataFrame) -> Iterator[DataFrame]:
    """`df` cached while the block runs; a frame the caller cached stays cached after it."""
    if df.is_cached:
        yield df
        return
    df = df.cache()
    try:
        yield df
    finally:
        df.unpersist()
