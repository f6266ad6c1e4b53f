"""A batch of newly landed records against what silver already holds.

Every silver and quarantine row carries its lineage (source file and line). A batch replaces
any earlier row of the same lineage (a re-read file's records replace their own earlier
versions, never compete with them); among the remaining rows, the latest landed version of a
key wins across batches exactly as within one (`flag_superseded`). An existing silver row that
a newer version beats leaves silver for quarantine as DUPLICATE_SUPERSEDED, so every landed
record stays in exactly one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from transforms.contract_types import LINEAGE, TableContract
from transforms.frames import (
    REJECT_REASON,
    SUPERSEDED,
    accepted,
    flag_superseded,
    newest_landed_first,
    to_quarantine,
    union_all,
)

ORIGIN = "_origin"
FROM_BATCH, FROM_SILVER = "batch", "silver"


def _beaten(ranked: DataFrame) -> DataFrame:
    return ranked.where((F.col(ORIGIN) == FROM_SILVER) & (F.col(REJECT_REASON) == SUPERSEDED))


def good_keys(cleaned: DataFrame, keys: Sequence[str]) -> DataFrame:
    """The keys a batch has a good version of (one superseded in an earlier ranking is ranked again)."""
    reason = F.col(REJECT_REASON)
    return cleaned.where(reason.isNull() | (reason == SUPERSEDED)).select(*keys).distinct()


def without_lineage_of(existing: DataFrame, batch: DataFrame) -> DataFrame:
    """Existing rows whose record the batch does not carry again."""
    return existing.join(batch.select(*LINEAGE).distinct(), list(LINEAGE), "left_anti")


def rank_against_silver(
    cleaned: DataFrame,
    silver: DataFrame,
    keys: Sequence[str],
    newest_first: Sequence[Column] | None = None,
) -> DataFrame:
    """The batch's cleaned rows and their silver rivals, re-ranked together.

    Rivals are silver rows of a key the batch has a good version of (`good_keys`), other than
    records the batch re-reads; `silver` needs to hold those rows only. The result has the
    batch's columns plus ORIGIN; a rival keeps its silver columns (others null) and gets
    SUPERSEDED when a newer version beats it. Only rejected rows keep their raw text:
    quarantine stores it, silver does not.
    """
    order = list(newest_first) if newest_first is not None else newest_landed_first()
    batch = cleaned.withColumn(
        REJECT_REASON, F.when(F.col(REJECT_REASON) != SUPERSEDED, F.col(REJECT_REASON))
    ).withColumn(ORIGIN, F.lit(FROM_BATCH))
    rivals = (
        without_lineage_of(silver, cleaned)
        .join(good_keys(cleaned, keys), list(keys), "left_semi")
        .withColumn(REJECT_REASON, F.lit(None).cast("string"))
        .withColumn(ORIGIN, F.lit(FROM_SILVER))
    )
    ranked = batch.unionByName(rivals, allowMissingColumns=True).transform(flag_superseded, keys, order)
    return ranked.withColumn("raw_record", F.when(F.col(REJECT_REASON).isNotNull(), F.col("raw_record")))


def batch_rows(ranked: DataFrame) -> DataFrame:
    return ranked.where(F.col(ORIGIN) == FROM_BATCH).drop(ORIGIN)


def beaten_silver_rows(ranked: DataFrame, silver_columns: Sequence[str]) -> DataFrame:
    """Silver rows a newer version replaced, as they were in silver plus their reason; the
    row itself (as JSON) stands in for the raw record in quarantine."""
    beaten = _beaten(ranked)
    as_json = F.to_json(F.struct(*[F.col(f"`{c}`") for c in silver_columns]))
    return beaten.select(*silver_columns, REJECT_REASON).withColumn("raw_record", as_json)


def kept_silver(ranked: DataFrame, silver: DataFrame) -> DataFrame:
    """Silver rows the batch leaves in place: not re-read by it, not beaten by a newer version."""
    kept = without_lineage_of(silver, batch_rows(ranked))
    return kept.join(_beaten(ranked).select(*LINEAGE), list(LINEAGE), "left_anti")


def current_silver(kept: DataFrame, refreshed: DataFrame, ranked: DataFrame) -> DataFrame:
    """Silver as it will be after the batch: the kept rows (those re-derived in `refreshed`
    replaced by their new values), plus the batch's accepted rows."""
    columns = kept.columns
    accepted_batch = batch_rows(ranked).where(F.col(REJECT_REASON).isNull()).select(*columns)
    unchanged = kept.join(refreshed.select(*LINEAGE), list(LINEAGE), "left_anti")
    return unchanged.unionByName(refreshed.select(*columns)).unionByName(accepted_batch)


def replaced_lineage(ranked: DataFrame) -> DataFrame:
    """Lineage of every silver row the batch takes out: records it re-reads, versions it beats."""
    return batch_rows(ranked).select(*LINEAGE).unionByName(_beaten(ranked).select(*LINEAGE))


@dataclass
class Batch:
    """One dataset's new records against silver."""

    ranked: DataFrame  # the batch's rows (reason or none) and their silver rivals
    refreshed: DataFrame  # kept silver rows re-derived because something they depend on changed
    current: DataFrame  # silver as it will be after this run

    @property
    def rows(self) -> DataFrame:
        return batch_rows(self.ranked)

    def to_write(self) -> DataFrame:
        """The batch's accepted rows and the re-derived ones, in silver's columns."""
        columns = self.current.columns
        return accepted(self.rows).select(*columns).unionByName(self.refreshed.select(*columns))

    def removed_lineage(self) -> DataFrame:
        """Lineage of the silver rows this batch takes out or rewrites."""
        return replaced_lineage(self.ranked).unionByName(self.refreshed.select(*LINEAGE))


def quarantine_rows(batches: Sequence[tuple[str, TableContract, Batch]]) -> tuple[DataFrame, DataFrame]:
    """A domain's quarantine rows from its datasets' batches (rejected records and silver
    versions beaten by newer ones), and the lineage they replace in quarantine."""
    rows, lineage = [], []
    for dataset, table, batch in batches:
        beaten = beaten_silver_rows(batch.ranked, table.column_names)
        rows += [to_quarantine(frame, dataset, table.primary_key) for frame in (batch.rows, beaten)]
        lineage += [batch.rows.select(*LINEAGE), beaten.select(*LINEAGE)]
    return union_all(rows), union_all(lineage)
