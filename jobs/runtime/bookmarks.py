"""Job bookmarks kept in the lake's state folder, with AWS Glue's semantics.

Per job and source, the bookmark remembers every file a committed run read, by its size and
modification time: a run reads only files that are new or changed since. A run's reads become
part of the bookmark only at commit, after every output is written; a run that dies before
commit leaves the bookmark as it was, so the next run reads the same files again.

Every commit also keeps a copy under `history/<run_id>.json`, so a bookmark can be rewound to
the state after any earlier run (as `aws glue reset-job-bookmark --run-id` does) or reset.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jobs.runtime.storage import FileInfo

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


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename over it: a reader sees the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text)
    os.replace(temporary, path)


class FileBookmarks:
    """One job's bookmark in `<state>/bookmarks/<job>/`."""

    def __init__(self, state_dir: Path, job_name: str):
        self.folder = state_dir / "bookmarks" / job_name
        self.current = self.folder / "current.json"

    def load(self) -> State:
        if not self.current.exists():
            return {}
        return json.loads(self.current.read_text())["sources"]

    def save(self, state: State, run_id: str) -> None:
        text = json.dumps({"run_id": run_id, "sources": state}, indent=1, sort_keys=True)
        _write_atomically(self.folder / "history" / f"{run_id}.json", text)
        _write_atomically(self.current, text)

    def runs(self) -> list[str]:
        """Committed run ids, oldest first (run ids start with their UTC time)."""
        history = self.folder / "history"
        return sorted(p.stem for p in history.glob("*.json")) if history.exists() else []

    def reset(self) -> None:
        """Forget every read: the next run reads all landed files."""
        self.current.unlink(missing_ok=True)

    def rewind(self, run_id: str) -> None:
        """Go back to the bookmark as it was after `run_id` committed."""
        saved = self.folder / "history" / f"{run_id}.json"
        if not saved.exists():
            known = ", ".join(self.runs()) or "none"
            raise ValueError(f"no committed run {run_id!r} for {self.folder.name}; committed runs: {known}")
        _write_atomically(self.current, saved.read_text())

    def summary(self) -> dict[str, int]:
        return {prefix: len(files) for prefix, files in sorted(self.load().items())}
