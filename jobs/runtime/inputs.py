"""Which files a run reads: all of them, or (with job bookmarks) the new or changed since the
job's last committed run. What a run read becomes part of the bookmark only at commit."""

from __future__ import annotations

from jobs.runtime.bookmarks import FileBookmarks, State, fingerprint, merged, new_or_changed
from jobs.runtime.config import LakeConfig
from jobs.runtime.run_record import RunRecord
from jobs.runtime.storage import FileInfo


class Inputs:
    def __init__(self, bookmarks: FileBookmarks, config: LakeConfig, run: RunRecord):
        self.bookmark_store, self.config, self.run = bookmarks, config, run
        self._committed: State | None = None
        self.reads: State = {}  # what this run read, committed with the run

    def committed(self) -> State:
        """The job's committed bookmark (read once per run)."""
        if self._committed is None:
            self._committed = self.bookmark_store.load()
        return self._committed

    def select(self, name: str, files: list[FileInfo]) -> list[FileInfo]:
        """Of `files`, those this run reads, listed in the run record under `name` (which also
        keys them in the bookmark): with bookmarks on (enable or pause) the new or changed since
        the last committed run; with them off, all."""
        selected = files
        if self.config.reads_incrementally:
            selected = new_or_changed(files, self.committed().get(name, {}))
            self.reads[name] = {f.uri: fingerprint(f) for f in selected}
        self.run.inputs[name] = [f.uri for f in selected]
        self.run.bytes_read[name] = sum(f.size for f in selected)
        if selected:  # for the latency service level: landed (last written) to published
            self.run.oldest_landed_ms[name] = min(f.modified_ms for f in selected)
        return selected

    def commit(self) -> None:
        """Make this run's reads part of the job's bookmark (enable only)."""
        if self.config.commits_bookmarks:
            self.bookmark_store.save(merged(self.committed(), self.reads), self.run.run_id)
