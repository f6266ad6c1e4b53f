"""One run of a job at a time, locally. (On Glue, the job's MaxConcurrentRuns = 1 does this.)

The lock is a file created with O_EXCL in the state folder, holding who took it. A lock left
by a process that no longer runs (killed, machine restarted) is taken over, with a warning.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("sales_data_lake")
POLL_SECONDS = 0.5


class JobAlreadyRunning(RuntimeError):
    """Another run of the same job holds the lock."""


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLock:
    def __init__(self, state_dir: Path, job_name: str, run_id: str):
        self.path = state_dir / "locks" / f"{job_name}.lock"
        self.job_name, self.run_id = job_name, run_id
        self.held = False

    def _holder(self) -> dict[str, Any]:
        try:
            holder: dict[str, Any] = json.loads(self.path.read_text())
            return holder
        except (OSError, ValueError):
            return {}

    def _stale(self, holder: dict[str, Any]) -> bool:
        return holder.get("host") == socket.gethostname() and not _process_alive(int(holder.get("pid", 0)))

    def _try_create(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "run_id": self.run_id,
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with os.fdopen(descriptor, "w") as handle:
            json.dump(holder, handle)
        return True

    def acquire(self, wait_seconds: float = 0.0) -> None:
        deadline = time.monotonic() + wait_seconds
        while not self._try_create():
            holder = self._holder()
            if self._stale(holder):
                log.warning(
                    "[%s] taking over the lock of run %s (process %s is gone)",
                    self.job_name,
                    holder.get("run_id"),
                    holder.get("pid"),
                )
                self.path.unlink(missing_ok=True)
                continue
            if time.monotonic() >= deadline:
                raise JobAlreadyRunning(
                    f"{self.job_name} is already running (run {holder.get('run_id')}, process {holder.get('pid')} "
                    f"on {holder.get('host')}, since {holder.get('since')}); nothing was read or written. "
                    f"Wait for it with --lock_wait_seconds N, or remove {self.path} if that run is truly gone."
                )
            time.sleep(POLL_SECONDS)
        self.held = True

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False
