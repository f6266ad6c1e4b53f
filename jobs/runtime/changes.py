"""What a job's run changed, kept for the jobs downstream (`state/changes/<job>/<run_id>.json`)
and read by them once each (bookmarked like any input). The record's shape is the producing
job's: it hands over anything with `to_json`, the consumer says how to read it back."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from pyspark.sql import SparkSession

from jobs.runtime.config import LakeConfig
from jobs.runtime.inputs import Inputs
from jobs.runtime.run_record import RunRecord
from jobs.runtime.storage import list_files, read_text, write_text


class ChangeRecord(Protocol):
    def to_json(self) -> dict[str, Any]: ...


Record = TypeVar("Record")


class ChangeFeed:
    def __init__(self, spark: SparkSession, config: LakeConfig, run: RunRecord, inputs: Inputs):
        self.spark, self.config, self.run, self.inputs = spark, config, run, inputs

    def record(self, changes: ChangeRecord) -> None:
        """Keep what this run changed, for the jobs downstream and in the run record."""
        uri = self.config.state_path("changes", self.run.job, f"{self.run.run_id}.json")
        document = changes.to_json()
        write_text(self.spark, uri, json.dumps(document, default=str))  # one line: JSON lines too
        self.run.changes = document

    def read(self, upstream_job: str, parse: Callable[[dict[str, Any]], Record]) -> list[Record]:
        """The change records of `upstream_job` this run has not consumed yet, parsed."""
        root = self.config.state_path("changes", upstream_job)
        files = self.inputs.select(f"changes/{upstream_job}", list_files(self.spark, root))
        return [parse(json.loads(self._existing_text(f.uri))) for f in files]

    def _existing_text(self, uri: str) -> str:
        text = read_text(self.spark, uri)
        if text is None:
            raise FileNotFoundError(uri)
        return text
