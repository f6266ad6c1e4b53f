"""Job bookmarks kept in the lake's state folder, with AWS Glue's semantics.

Per job and source, the bookmark remembers every file a committed run read, by its size and
modification time: a run reads only files that are new or changed since. A run's reads become
part of the bookmark only at commit, after every output is written; a run that dies before
commit leaves the bookmark as it was, so the next run reads the same files again.

Every commit also keeps a copy under `history/<run_id>.json`, so a bookmark can be rewound to
the state after any earlier run (as `aws glue reset-job-bookmark --run-id` does) or reset.

The same store serves local runs and Glue runs (in the state folder on S3). Glue's own
bookmarks would need a DynamicFrame read that parses every new file just to name it, so one
corrupt file would fail every run; listing files and fingerprinting them parses nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from pyspark.sql import SparkSession

from jobs.runtime.storage import FileInfo, delete_path, list_files, read_text, write_text

State = dict[str, dict[str, list[int]]]  # source prefix -> file uri -> [size, modified_ms]


def fingerprint(file: FileInfo) -> list[int]:
    return [file.size, file.modified_ms]


def new_or_changed(files: list[FileInfo], seen: dict[str, list[int]]) -> list[FileInfo]:
    return [f for f in files if seen.get(f.uri) != fingerprint(f)]


def merged(state: State, reads: State) -> State:
    """The bookmark after a run: what it had, plus what the run read (newer fingerprints win)."""
    result = {prefix: dict(files) for prefix, files in state.items()}
    for prefix, files in reads.items():
        result.setdefault(prefix, {}).update(files)
    return result


class FileBookmarks:
    """One job's bookmark in `<state>/bookmarks/<job>/`, on whatever file system the state
    folder is on (a local folder, or s3:// on Glue, where `spark` reaches it)."""

    def __init__(self, state_uri: str | Path, job_name: str, spark: SparkSession | None = None):
        self.job_name, self.spark = job_name, spark
        self.folder = f"{str(state_uri).rstrip('/')}/bookmarks/{job_name}"
        self.current = f"{self.folder}/current.json"

    def _saved(self, run_id: str) -> str:
        return f"{self.folder}/history/{run_id}.json"

    def load(self) -> State:
        text = read_text(self.spark, self.current)
        return json.loads(text)["sources"] if text else {}

    def save(self, state: State, run_id: str) -> None:
        text = json.dumps({"run_id": run_id, "sources": state}, indent=1, sort_keys=True)
        write_text(self.spark, self._saved(run_id), text)
        write_text(self.spark, self.current, text)

    def runs(self) -> list[str]:
        """Committed run ids, oldest first (run ids start with their UTC time)."""
        saved = list_files(self.spark, f"{self.folder}/history")
        return sorted(f.uri.rsplit("/", 1)[-1].removesuffix(".json") for f in saved if f.uri.endswith(".json"))

    def reset(self) -> None:
        """Forget every read: the next run reads all landed files."""
        delete_path(self.spark, self.current)

    def rewind(self, run_id: str) -> None:
        """Go back to the bookmark as it was after `run_id` committed."""
        text = read_text(self.spark, self._saved(run_id))
        if text is None:
            known = ", ".join(self.runs()) or "none"
            raise ValueError(f"no committed run {run_id!r} for {self.job_name}; committed runs: {known}")
        write_text(self.spark, self.current, text)

    def summary(self) -> dict[str, int]:
        return {prefix: len(files) for prefix, files in sorted(self.load().items())}
