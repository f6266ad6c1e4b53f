"""A run's service levels, once checked: kept in its run record (logged and counted where
breached) and added to each domain's service level history table (`<domain>_ops.sla_history`,
one file per run), which Athena and `python -m local query` read across runs."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.runtime import sla
from jobs.runtime.context import JobContext
from jobs.runtime.run_record import SlaResult
from transforms.contracts import ALL_TABLES, SLA_HISTORY_TABLES, SOURCES

DOMAIN_OF = {t.qualified_name: t.domain for t in ALL_TABLES} | {s.qualified_name: s.domain for s in SOURCES}


def keep(ctx: JobContext, results: list[SlaResult]) -> None:
    sla.record(ctx.run, results)
    checked_at = datetime.now(UTC)
    for domain in sorted({DOMAIN_OF[r.product] for r in results}):
        table = SLA_HISTORY_TABLES[domain]
        rows = sla.history_rows(ctx.run, [r for r in results if DOMAIN_OF[r.product] == domain], checked_at)
        ctx.tables.add_rows(rows, table)
