"""The steps of bronze_to_silver that are more than one call: cleaning every dataset in
dependency order against silver, the ledger of a batch, the changes for silver_to_gold, and the
service levels of the sources and silver tables."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from pyspark.sql import DataFrame

from jobs.runtime import sla
from jobs.runtime.context import JobContext
from jobs.runtime.materialize import checkpointed
from jobs.runtime.partitions import Partition
from jobs.runtime.run_record import Ledger, SlaResult
from jobs.silver.datasets import Cleaned, Cleaning, Dataset, published_upstream
from jobs.silver.scope import partitions_holding
from transforms.frames import outcome_counts
from transforms.incremental import Batch, current_silver, good_keys, kept_silver, rank_against_silver


@dataclass(frozen=True)
class SilverChanges:
    """What a run changed in silver, for silver_to_gold: the order dates whose gold numbers
    can change, and the datasets whose silver changed."""

    run_id: str
    order_dates: list[str]
    datasets: list[str]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> SilverChanges:
        return cls(str(document["run_id"]), [str(d) for d in document["order_dates"]], list(document["datasets"]))


def clean_all(ctx: JobContext, datasets: list[Dataset], landed: dict[str, DataFrame]) -> Cleaned:
    """Every new record with a reason code (or none), ranked against what silver holds.

    Each dataset is cleaned against silver as it will be after this batch of the datasets it
    depends on (or as another domain's job published it), so a batch needs no earlier batch
    re-read. Versions are ranked once, over the batch and silver together (`rank_against_silver`).
    """
    batches: dict[str, Batch] = {}
    published = {d.name: ctx.tables.read(d.table) for d in published_upstream(datasets)}
    for dataset in datasets:
        silver = ctx.tables.read(dataset.table)
        upstream = {name: batches[name] for name in dataset.depends_on if name in batches}
        # The ranked batch and the re-derived rows are materialized once: everything after
        # reads them. Silver as it will be (`current`) stays a plan over them: later datasets
        # broadcast the small reference tables, and returns filter orders to the lines they
        # point at, so a copy of all of it (millions of order lines) would only cost.
        cleaned = dataset.clean(Cleaning(ctx, landed[dataset.name], silver, upstream, published))
        keys, rivals = dataset.table.primary_key, silver
        if ctx.tables.exists(dataset.table):
            # Ranked against silver, the batch is read three times (itself, its keys, its
            # lineage): parse it once. Spark would also push the keys' not-null checks down
            # into the parsing, one copy of the parser per field, past the JVM's 64 KB method
            # limit. (A first run has no silver: those reads drop out of the plan.)
            cleaned = checkpointed(cleaned)
            rivals = partitions_holding(silver, good_keys(cleaned, keys), keys, dataset.table.partition_by)
        newest_first = dataset.newest_first() if dataset.newest_first else None
        ranked = checkpointed(rank_against_silver(cleaned, rivals, keys, newest_first))
        kept = kept_silver(ranked, silver)
        refreshed = checkpointed(dataset.refresh(kept, upstream) if dataset.refresh else kept.limit(0))
        batches[dataset.name] = Batch(ranked, refreshed, current_silver(kept, refreshed, ranked))
    return Cleaned(batches, published)


def ledger_of(batch: Batch) -> Ledger:
    return Ledger.of([(r.source_file, r.outcome, r["count"]) for r in outcome_counts(batch.rows).collect()])


def changed_order_dates(datasets: list[Dataset], cleaned: Cleaned, rewritten: dict[str, list[Partition]]) -> list[str]:
    """Order dates whose gold numbers this run can change, from each dataset that moves them."""
    dates: set[str] = set()
    for d in datasets:
        if d.gold_dates:
            dates |= d.gold_dates(cleaned.batches[d.name], rewritten[d.name])
    return sorted(dates)


def service_levels(ctx: JobContext, datasets: list[Dataset]) -> list[SlaResult]:
    """What the sources' and silver tables' contracts promise, for the data this run read:
    completeness of each source; freshness of each silver table against the newest ingest date,
    and its latency from the oldest file read landing to now (published)."""
    results, now = [], datetime.now(UTC)
    for dataset in datasets:
        source, table = dataset.source, dataset.table
        files = ctx.run.inputs.get(source.prefix, [])
        if not files:
            continue
        completeness, freshness, latency = source.sla("completeness"), table.sla("freshness"), table.sla("latency")
        if completeness and dataset.name in ctx.run.ledger:
            results.append(sla.completeness(source.qualified_name, completeness, ctx.run.ledger[dataset.name]))
        if freshness:
            newest = ctx.tables.newest_partition(table, freshness.element)
            newest_day = date.fromisoformat(newest) if newest else None
            results.append(sla.freshness(table.qualified_name, freshness, newest_day, sla.newest_ingest_date(files)))
        landed_ms = ctx.run.oldest_landed_ms.get(source.prefix)
        if latency and landed_ms is not None:
            landed = datetime.fromtimestamp(landed_ms / 1000, UTC)
            results.append(sla.latency(table.qualified_name, latency, landed, now))
    return results
