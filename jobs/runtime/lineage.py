"""OpenLineage run events for every job run: START when it opens, COMPLETE when it commits,
FAIL when it fails, sent through the `openlineage-python` client.

An event names the run's inputs (the landed bronze prefixes it read, the published tables
it read) and outputs (the silver, gold, quarantine and ops tables it wrote) by where they
are (OpenLineage's naming: `s3://bucket` + key, or `file` + path), with the catalog table as
a symlink, the contract's schema, owner and description. Custom run facets carry the ledger
(records in = silver + quarantine, per file) and the quality verdicts; their JSON Schema
ships next to this module (`lineage_facets.schema.json`).

Where the events go: an HTTP endpoint (`--lineage_url`, e.g. Marquez) when one is given,
else, for a lake on local disk, one JSON line per event in `<state>/lineage/<job>.jsonl`.
Sending never fails the run: a warning, and the run record says what became of them.
"""

from __future__ import annotations

import logging
import re
import traceback
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import attr
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    DatasetFacet,
    InputDatasetFacet,
    JobFacet,
    RunFacet,
    documentation_dataset,
    error_message_run,
    input_statistics_input_dataset,
    job_type_job,
    ownership_dataset,
    processing_engine_run,
    schema_dataset,
    symlinks_dataset,
)
from openlineage.client.transport.file import FileConfig, FileTransport
from openlineage.client.transport.http import HttpConfig, HttpTransport
from openlineage.client.transport.transport import Transport

from jobs.runtime.config import LakeConfig
from jobs.runtime.run_record import RunRecord
from jobs.runtime.uris import local_path_of, plain
from transforms.contract_types import BronzeSource, TableContract

__all__ = ["Lineage", "RunDatasets", "RunState", "run_event", "transport_for"]
log = logging.getLogger("sales_data_lake")

JOB_NAMESPACE = "sales_data_lake"
PRODUCER = "urn:sales-data-lake:jobs"
FACETS_SCHEMA_ID = "urn:sales-data-lake:lineage-facets:1-0-0"
FACETS_SCHEMA_FILE = Path(__file__).with_name("lineage_facets.schema.json")
FACET_PREFIX = "salesDataLake_"  # custom facets carry a prefix of their own (the spec's advice)
HTTP_TIMEOUT_SECONDS = 5.0


@attr.define
class _LakeFacet(RunFacet):
    """A custom facet of the lake: its schema is the definition of its own name in
    lineage_facets.schema.json."""

    @classmethod
    def _get_schema(cls) -> str:
        return f"{FACETS_SCHEMA_ID}#/$defs/{cls.__name__}"


@attr.define
class LedgerRunFacet(_LakeFacet):
    datasets: dict[str, dict[str, Any]]


@attr.define
class QualityRunFacet(_LakeFacet):
    suites: dict[str, dict[str, Any]]


@attr.define
class LakeRunFacet(_LakeFacet):
    runId: str  # noqa: N815 - the spec's camelCase
    domain: str
    bookmarkOption: str  # noqa: N815
    status: str | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class RunDatasets:
    """What a run read and wrote, by contract: the lineage an event reports."""

    sources: Mapping[str, BronzeSource]  # bronze URI -> landed dataset read
    reads: Mapping[str, TableContract]  # table URI -> published table read
    writes: Mapping[str, TableContract]  # table URI -> table written


def dataset_name(uri: str) -> tuple[str, str]:
    """OpenLineage's (namespace, name) for a location: `s3://bucket` and the key, or `file`
    and the absolute path."""
    path = local_path_of(uri)
    if path is not None:
        return "file", str(path)
    parsed = urlparse(plain(uri))
    return f"{parsed.scheme}://{parsed.netloc}", parsed.path.strip("/")


def openlineage_run_id(job: str, run_id: str) -> str:
    """OpenLineage wants a UUID: one derived from the run's own id, the same for each event."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{PRODUCER}:{job}/{run_id}"))


def _table_facets(uri: str, table: TableContract) -> dict[str, DatasetFacet]:
    namespace, _ = dataset_name(uri)
    fields = [
        schema_dataset.SchemaDatasetFacetFields(
            name=name, type=data_type.simpleString(), description=table.column_docs.get(name)
        )
        for name, data_type, _ in table.columns
    ]
    facets: dict[str, DatasetFacet] = {
        "schema": schema_dataset.SchemaDatasetFacet(fields=fields),
        "symlinks": symlinks_dataset.SymlinksDatasetFacet(
            identifiers=[symlinks_dataset.Identifier(namespace, table.qualified_name, "TABLE")]
        ),
    }
    if table.owner:
        facets["ownership"] = ownership_dataset.OwnershipDatasetFacet(owners=[ownership_dataset.Owner(table.owner)])
    if table.description:
        facets["documentation"] = documentation_dataset.DocumentationDatasetFacet(description=table.description)
    return facets


def _source_facets(uri: str, source: BronzeSource) -> dict[str, DatasetFacet]:
    namespace, _ = dataset_name(uri)
    facets: dict[str, DatasetFacet] = {
        "schema": schema_dataset.SchemaDatasetFacet(
            fields=[schema_dataset.SchemaDatasetFacetFields(name=column) for column in source.columns]
        ),
        "symlinks": symlinks_dataset.SymlinksDatasetFacet(
            identifiers=[symlinks_dataset.Identifier(namespace, source.qualified_name, "TABLE")]
        ),
    }
    if source.owner:
        facets["ownership"] = ownership_dataset.OwnershipDatasetFacet(owners=[ownership_dataset.Owner(source.owner)])
    return facets


def _inputs(run: RunRecord, datasets: RunDatasets) -> list[InputDataset]:
    inputs = []
    for uri, source in datasets.sources.items():
        ledger = run.ledger.get(source.dataset)
        files = run.inputs.get(source.prefix, [])
        statistics: dict[str, InputDatasetFacet] = {
            "inputStatistics": input_statistics_input_dataset.InputStatisticsInputDatasetFacet(
                rowCount=ledger.rows_in if ledger else None, fileCount=len(files)
            )
        }
        inputs.append(InputDataset(*dataset_name(uri), facets=_source_facets(uri, source), inputFacets=statistics))
    inputs += [InputDataset(*dataset_name(uri), facets=_table_facets(uri, t)) for uri, t in datasets.reads.items()]
    return inputs


def _outputs(datasets: RunDatasets) -> list[OutputDataset]:
    return [OutputDataset(*dataset_name(uri), facets=_table_facets(uri, t)) for uri, t in datasets.writes.items()]


def _camel_cased(record: Any) -> dict[str, Any]:
    """A run record's dataclass (Ledger, QualityVerdict) as a facet's fields: `rows_in` -> `rowsIn`."""
    return {re.sub(r"_(\w)", lambda m: m.group(1).upper(), key): value for key, value in asdict(record).items()}


def _run_facets(run: RunRecord, domain: str, spark_version: str, error: BaseException | None) -> dict[str, RunFacet]:
    facets: dict[str, RunFacet] = {
        "processing_engine": processing_engine_run.ProcessingEngineRunFacet(version=spark_version, name="spark"),
        f"{FACET_PREFIX}run": LakeRunFacet(run.run_id, domain, run.job_bookmark_option, run.status, run.seconds),
    }
    if run.ledger:
        facets[f"{FACET_PREFIX}ledger"] = LedgerRunFacet({d: _camel_cased(ledger) for d, ledger in run.ledger.items()})
    if run.quality:
        facets[f"{FACET_PREFIX}quality"] = QualityRunFacet({s: _camel_cased(v) for s, v in run.quality.items()})
    if error is not None:
        facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message=f"{type(error).__name__}: {error}",
            programmingLanguage="python",
            stackTrace="".join(traceback.format_exception(error)),
        )
    return facets


def run_event(
    state: RunState,
    run: RunRecord,
    domain: str,
    datasets: RunDatasets,
    spark_version: str,
    error: BaseException | None = None,
    at: datetime | None = None,
) -> RunEvent:
    """The event for one transition of a run: its datasets and facets as far as it got."""
    job_facets: dict[str, JobFacet] = {
        "jobType": job_type_job.JobTypeJobFacet(processingType="BATCH", integration="SPARK", jobType="JOB")
    }
    return RunEvent(
        eventType=state,
        eventTime=(at or datetime.now(UTC)).isoformat(),
        run=Run(runId=openlineage_run_id(run.job, run.run_id), facets=_run_facets(run, domain, spark_version, error)),
        job=Job(namespace=JOB_NAMESPACE, name=run.job, facets=job_facets),
        inputs=_inputs(run, datasets),
        outputs=_outputs(datasets),
        producer=PRODUCER,
    )


def transport_for(config: LakeConfig, job: str) -> Transport | None:
    """HTTP when `--lineage_url` is given; else a JSON-lines file in a local lake's state
    folder; else (a lake on S3 with no endpoint) nowhere."""
    if config.lineage_url:
        return HttpTransport(
            HttpConfig(url=config.lineage_url, timeout=HTTP_TIMEOUT_SECONDS, retry={"total": 1, "backoff_factor": 0})
        )
    folder = local_path_of(config.state_path("lineage"))
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return FileTransport(FileConfig(log_file_path=str(folder / f"{job}.jsonl"), append=True))


def events_file(config: LakeConfig, job: str) -> Path | None:
    """Where a local lake keeps a job's events (one JSON document a line)."""
    folder = local_path_of(config.state_path("lineage"))
    return None if folder is None else folder / f"{job}.jsonl"


class Lineage:
    """Sends a run's events; what became of them goes in the run record (`run.lineage`)."""

    def __init__(self, transport: Transport | None, run: RunRecord, domain: str, spark_version: str):
        self.client = OpenLineageClient(transport=transport) if transport is not None else None
        self.run, self.domain, self.spark_version = run, domain, spark_version
        self.sent: list[str] = []

    def emit(self, state: RunState, datasets: RunDatasets, error: BaseException | None = None) -> None:
        if self.client is None:
            return
        try:
            event = run_event(state, self.run, self.domain, datasets, self.spark_version, error)
            self.client.emit(event)
        except Exception as failure:  # noqa: BLE001 - lineage never fails the run
            log.warning("[%s] the %s lineage event was not sent: %s", self.run.job, state.value, failure)
            self.run.lineage = f"{state.value} not sent: {failure}"
            return
        self.sent.append(state.value)
        self.run.lineage = f"sent {', '.join(self.sent)}"
