"""The run record: what one job run read, wrote, measured and decided. Job code and the
context fill in its typed fields; it is written once, at commit, as JSON
(`<state>/runs/<job>/<run_id>.json`), which the run summary, the benchmark and the tests read."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

log = logging.getLogger("sales_data_lake")


@dataclass(frozen=True)
class QualityVerdict:
    """A quality suite's verdict on one table, as the summary shows it."""

    success: bool
    evaluated: int  # expectations
    failed: list[str]  # critical failures, described with their offending keys
    warnings: list[str]
    result_uri: str  # the full result, as JSON
    seconds: float


SUPERSEDED = "DUPLICATE_SUPERSEDED"  # an older version of a record a newer one replaced


@dataclass(frozen=True)
class Ledger:
    """Where a dataset's landed records went: per file, records per outcome (`accepted` or a
    reason code), and the run's totals (rows_in == rows_silver + rows_quarantined)."""

    rows_in: int
    rows_silver: int
    rows_quarantined: int
    quarantined_by_reason: dict[str, int]
    files: dict[str, dict[str, int]]

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        """Records quarantined as bad, by reason: not the superseded older versions, which
        reached silver in their time."""
        return {reason: n for reason, n in self.quarantined_by_reason.items() if reason != SUPERSEDED}

    @property
    def outcomes(self) -> dict[str, int]:
        """Records per outcome (a reason code, or accepted), over all files."""
        return {**self.quarantined_by_reason, "accepted": self.rows_silver}

    @classmethod
    def of(cls, counts: list[tuple[str, str, int]]) -> Ledger:
        """From (source_file, outcome, records) counts."""
        files: dict[str, dict[str, int]] = {}
        by_reason: dict[str, int] = {}
        for source_file, outcome, records in counts:
            files.setdefault(source_file, {})[outcome] = records
            if outcome != "accepted":
                by_reason[outcome] = by_reason.get(outcome, 0) + records
        rows_in = sum(sum(outcomes.values()) for outcomes in files.values())
        rows_quarantined = sum(by_reason.values())
        return cls(rows_in, rows_in - rows_quarantined, rows_quarantined, dict(sorted(by_reason.items())), files)


@dataclass(frozen=True)
class SlaResult:
    """A service level a contract promises, as checked at the end of a run."""

    product: str  # database.table, or the bronze source's catalog name
    property: str
    agreed: str
    measured: str
    met: bool
    enforced: bool
    detail: str = ""

    def describe(self) -> str:
        verdict = "met" if self.met else "BREACHED"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.product} {self.property}: {verdict}, {self.measured} against {self.agreed}{detail}"


@dataclass
class RunRecord:
    job: str
    run_id: str
    started_at: str  # ISO 8601, UTC
    job_bookmark_option: str
    inputs: dict[str, list[str]] = field(default_factory=dict)  # input (source prefix, changes/<job>) -> files read
    bytes_read: dict[str, int] = field(default_factory=dict)  # input -> bytes of the files read
    bytes_written: dict[str, int] = field(default_factory=dict)  # table -> bytes of the files written
    oldest_landed_ms: dict[str, int] = field(default_factory=dict)  # input -> when its oldest file read landed
    outputs: dict[str, str] = field(default_factory=dict)  # table -> the snapshot it was published in
    metrics: dict[str, float] = field(default_factory=dict)
    quality: dict[str, QualityVerdict] = field(default_factory=dict)  # suite -> verdict
    ledger: dict[str, Ledger] = field(default_factory=dict)  # dataset -> ledger
    steps: dict[str, float] = field(default_factory=dict)  # step -> seconds
    timeline: list[tuple[str, float, float]] = field(default_factory=list)  # (step, started epoch s, seconds)
    unreadable_files: list[str] = field(default_factory=list)
    csv_drift: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # file -> header vs declared columns
    split_files: dict[str, int] = field(default_factory=dict)  # text file -> splits, when more than one
    rereads: dict[str, list[str]] = field(default_factory=dict)  # source prefix -> files read again
    sla: list[SlaResult] = field(default_factory=list)  # service levels checked at the end of the run
    changes: dict[str, Any] | None = None  # what the run changed, for the next job (bronze_to_silver)
    status: str | None = None  # "succeeded" once committed
    seconds: float | None = None
    cloudwatch: str | None = None  # what became of the run's metrics (sent, unreachable), if sent
    lineage: str | None = None  # what became of the run's OpenLineage events, if any were sent
    estimated_usd: float | None = None  # what the run costs on Glue at its job size (an estimate)

    def read_any_input(self) -> bool:
        return any(self.inputs.values())

    def metric(self, name: str, value: float) -> None:
        self.metrics[name] = value
        log.info("[%s] %s = %s", self.job, name, value)

    def record_ledger(self, dataset: str, ledger: Ledger) -> None:
        """Keep where a dataset's records went, with its totals as metrics."""
        self.ledger[dataset] = ledger
        self.metric(f"{dataset}.rows_in", ledger.rows_in)
        self.metric(f"{dataset}.rows_silver", ledger.rows_silver)
        self.metric(f"{dataset}.rows_quarantined", ledger.rows_quarantined)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> RunRecord:
        """A record as `to_json` wrote it (a saved run, read back)."""
        fields = dict(document)
        fields["quality"] = {suite: QualityVerdict(**v) for suite, v in fields.get("quality", {}).items()}
        fields["ledger"] = {dataset: Ledger(**v) for dataset, v in fields.get("ledger", {}).items()}
        fields["timeline"] = [tuple(entry) for entry in fields.get("timeline", [])]
        fields["sla"] = [SlaResult(**result) for result in fields.get("sla", [])]
        return cls(**fields)

    def to_json(self) -> dict[str, Any]:
        """The record as its JSON file holds it (fields never set are left out)."""
        unset: dict[str, Any] = {"rereads": {}, "changes": None, "status": None, "seconds": None}
        unset |= {"cloudwatch": None, "lineage": None, "estimated_usd": None}
        return {key: value for key, value in asdict(self).items() if key not in unset or value != unset[key]}
