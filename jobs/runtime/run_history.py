"""The lake's run history as tables in the catalog, so it outlives the runs' folders and
answers questions in SQL (Athena on AWS, `python -m local query` here): one row per job run in
`<domain>_ops.job_runs`, one row per figure it sent (or would have sent) to CloudWatch in
`<domain>_ops.run_figures`. A run for every domain at once keeps them in `lake_ops`.

Written as each run ends, a run's rows in one file of its own (jobs.runtime.tables.add_rows):
no Spark job, and no run rewrites another's rows.
"""

from __future__ import annotations

from datetime import datetime

from pyspark.sql.types import DoubleType, IntegerType, LongType, StringType, TimestampType

from jobs.runtime.cloudwatch import Figure
from jobs.runtime.run_record import RunRecord
from transforms.contract_types import TableContract, columns_of

WHOLE_LAKE = "lake"  # the tables' domain for a run of every domain at once


def _ops_table(
    domain: str, name: str, description: str, key: tuple[str, ...], *columns: tuple[object, ...]
) -> TableContract:
    return TableContract(
        domain=domain or WHOLE_LAKE,
        layer="ops",
        name=name,
        description=description,
        owner=f"{domain or 'platform'}-data@example.com",
        primary_key=key,
        columns=columns_of(*columns),
    )


def job_runs_table(domain: str) -> TableContract:
    return _ops_table(
        domain,
        "job_runs",
        "One row per job run: status, when, how long, records per outcome, quality, service levels, bytes, cost.",
        ("run_id",),
        ("run_id", StringType()),
        ("job", StringType()),
        ("status", StringType()),
        ("started_at", TimestampType()),
        ("seconds", DoubleType(), True),
        ("files_read", IntegerType()),
        ("records_in", LongType()),
        ("records_to_silver", LongType()),
        ("records_quarantined", LongType()),
        ("quality_suites", IntegerType()),
        ("quality_suites_failed", IntegerType()),
        ("service_levels", IntegerType()),
        ("service_levels_breached", IntegerType()),
        ("cloudwatch", StringType(), True),
        ("bytes_read", LongType()),
        ("bytes_written", LongType()),
        ("estimated_usd", DoubleType(), True),
    )


def run_figures_table(domain: str) -> TableContract:
    return _ops_table(
        domain,
        "run_figures",
        "One row per figure a job run measured: the CloudWatch metric, its value, unit and dimensions.",
        ("run_id", "metric", "dimensions"),
        ("run_id", StringType()),
        ("job", StringType()),
        ("metric", StringType()),
        ("value", DoubleType()),
        ("unit", StringType()),
        ("dimensions", StringType()),  # name=value pairs joined with "," in the metric's order
    )


def job_run_row(record: RunRecord) -> tuple[object, ...]:
    ledgers = record.ledger.values()
    return (
        record.run_id,
        record.job,
        record.status or "running",
        datetime.fromisoformat(record.started_at),
        record.seconds,
        sum(len(files) for files in record.inputs.values()),
        sum(ledger.rows_in for ledger in ledgers),
        sum(ledger.rows_silver for ledger in ledgers),
        sum(ledger.rows_quarantined for ledger in ledgers),
        len(record.quality),
        sum(not verdict.success for verdict in record.quality.values()),
        len(record.sla),
        sum(not result.met for result in record.sla),
        record.cloudwatch,
        sum(record.bytes_read.values()),
        sum(record.bytes_written.values()),
        record.estimated_usd,
    )


def figure_rows(record: RunRecord, figures: list[Figure]) -> list[tuple[object, ...]]:
    return [
        (
            record.run_id,
            record.job,
            f.name,
            float(f.value),
            f.unit,
            ",".join(f"{k}={v}" for k, v in f.dimensions.items()),
        )
        for f in figures
    ]
