"""A run's figures as CloudWatch metrics: one namespace for the lake, dimensions Job, Domain,
Dataset, Reason, Suite, Product, Property and Step where they apply.

Sent with PutMetricData, not the Embedded Metric Format: EMF needs each log event to be one
JSON document, and Glue 6.0 hands a job's stdout and stderr to CloudWatch Logs by its own
appender (lines may be split or prefixed), so whether an EMF line would be extracted depends on
Glue's log shipping; PutMetricData does not, and the job role may call it (namespace
SalesDataLake only). Batched (at most 1,000 figures a call), and never failing the run: when
CloudWatch cannot be reached the run logs a warning and its figures stay in the run record.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from jobs.runtime.run_record import RunRecord

log = logging.getLogger("sales_data_lake")
NAMESPACE = "SalesDataLake"
BATCH = 1000  # the most MetricData entries one PutMetricData call takes
ALL_DOMAINS = "all"  # the Domain of a run for every domain at once
RUN, DATASET = ("Job", "Domain"), ("Job", "Domain", "Dataset")
LEVEL = ("Job", "Domain", "Product", "Property")
# Every metric a run sends, with its dimensions (in this order): the alarms in
# infra/modules/cloudwatch name these, and a test holds the two sides equal.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "RecordsIn": DATASET,
    "RecordsToSilver": DATASET,
    "RecordsQuarantined": (*DATASET, "Reason"),
    "QuarantineShare": ("Domain", "Dataset"),  # percent of landed records rejected (not superseded)
    "QualitySuiteFailed": (*RUN, "Suite"),
    "QualitySuitesFailed": RUN,
    "SlaBreached": LEVEL,
    "SlaMeasured": LEVEL,
    "SlaBreaches": RUN,
    "StepSeconds": (*RUN, "Step"),
    "FilesRead": RUN,
    "BytesRead": RUN,
    "BytesWritten": RUN,
    "EstimatedCost": RUN,  # US dollars, at the job's size (CloudWatch has no currency unit)
    "RunSeconds": RUN,
    "RunsCommitted": RUN,
}
# A service level's measured value, and its unit: hours and days as seconds, shares as percent.
MEASURED = re.compile(r"^(-?\d+(?:\.\d+)?) ?(h|d|%)$")
SECONDS_PER = {"h": 3600.0, "d": 86400.0}


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str  # CloudWatch's: Count, Seconds, Percent, Bytes, None
    dimensions: dict[str, str] = field(default_factory=dict)

    def datum(self, at: datetime) -> dict[str, Any]:
        return {
            "MetricName": self.name,
            "Dimensions": [{"Name": k, "Value": v} for k, v in self.dimensions.items()],
            "Timestamp": at,
            "Value": self.value,
            "Unit": self.unit,
        }


def measured_value(measured: str) -> tuple[float, str] | None:
    """`"10 d"` -> (864000.0, "Seconds"), `"94.4%"` -> (94.4, "Percent"); None for a time of day."""
    match = MEASURED.match(measured.strip())
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    return (number, "Percent") if unit == "%" else (number * SECONDS_PER[unit], "Seconds")


def figures_of(record: RunRecord, domain: str) -> list[Figure]:
    """What a run measured, as figures: records per dataset and outcome, the share each source
    lost to quarantine, quality suites, service levels, seconds per step and for the run, the
    files it read, and whether it committed (a failed run sends its figures too)."""
    run = {"Job": record.job, "Domain": domain or ALL_DOMAINS}
    figures = []
    for dataset, ledger in record.ledger.items():
        of_dataset = run | {"Dataset": dataset}
        figures += [Figure("RecordsIn", ledger.rows_in, "Count", of_dataset)]
        figures += [Figure("RecordsToSilver", ledger.rows_silver, "Count", of_dataset)]
        figures += [
            Figure("RecordsQuarantined", n, "Count", of_dataset | {"Reason": reason})
            for reason, n in sorted(ledger.quarantined_by_reason.items())
        ]
        rejected = sum(ledger.rejected_by_reason.values())
        share = 100.0 * rejected / ledger.rows_in if ledger.rows_in else 0.0
        figures.append(Figure("QuarantineShare", share, "Percent", {"Domain": run["Domain"], "Dataset": dataset}))
    for suite, verdict in record.quality.items():
        figures.append(Figure("QualitySuiteFailed", 0 if verdict.success else 1, "Count", run | {"Suite": suite}))
    figures.append(Figure("QualitySuitesFailed", sum(not v.success for v in record.quality.values()), "Count", run))
    for result in record.sla:
        of_level = run | {"Product": result.product, "Property": result.property}
        figures.append(Figure("SlaBreached", 0 if result.met else 1, "Count", of_level))
        measured = measured_value(result.measured)
        if measured is not None:
            figures.append(Figure("SlaMeasured", measured[0], measured[1], of_level))
    figures.append(Figure("SlaBreaches", sum(not r.met for r in record.sla), "Count", run))
    figures += [Figure("StepSeconds", s, "Seconds", run | {"Step": step}) for step, s in record.steps.items()]
    figures.append(Figure("FilesRead", sum(len(files) for files in record.inputs.values()), "Count", run))
    figures.append(Figure("BytesRead", sum(record.bytes_read.values()), "Bytes", run))
    figures.append(Figure("BytesWritten", sum(record.bytes_written.values()), "Bytes", run))
    if record.estimated_usd is not None:
        figures.append(Figure("EstimatedCost", record.estimated_usd, "None", run))
    if record.seconds is not None:
        figures.append(Figure("RunSeconds", record.seconds, "Seconds", run))
    figures.append(Figure("RunsCommitted", 1 if record.status == "succeeded" else 0, "Count", run))
    return figures


def batches(figures: Sequence[Figure]) -> Iterator[Sequence[Figure]]:
    for start in range(0, len(figures), BATCH):
        yield figures[start : start + BATCH]


def client() -> Any:
    """A CloudWatch client that gives up fast: a run waits seconds, not minutes, for an
    unreachable endpoint."""
    import boto3
    from botocore.config import Config

    return boto3.client("cloudwatch", config=Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 2}))


def publish(figures: Sequence[Figure], client: Any, at: datetime | None = None) -> str:
    """Send the figures; what happened, for the run record (never raises for CloudWatch)."""
    at = at or datetime.now(UTC)
    sent = 0
    try:
        for batch in batches(figures):
            client.put_metric_data(Namespace=NAMESPACE, MetricData=[f.datum(at) for f in batch])
            sent += len(batch)
    except (BotoCoreError, ClientError) as error:
        log.warning("CloudWatch did not take the run's figures (%d of %d sent): %s", sent, len(figures), error)
        return f"unreachable after {sent} of {len(figures)} figures: {error}"
    return f"sent {sent} figures to {NAMESPACE}"
