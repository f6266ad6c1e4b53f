"""Run a command as a child process and sample its memory, its own and its children's (the
Spark driver's JVM is a child of the Python process), so each step's peak can be read later."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import psutil

SAMPLE_SECONDS = 0.1


@dataclass
class MeasuredRun:
    returncode: int
    seconds: float
    samples: list[tuple[float, int]] = field(default_factory=list)  # (epoch seconds, RSS bytes)

    def peak_bytes(self, start: float | None = None, end: float | None = None) -> int:
        """The largest resident memory of the process tree between `start` and `end` (widened by a
        sampling interval, so a step shorter than one still has its neighbouring samples)."""
        low = float("-inf") if start is None else start - SAMPLE_SECONDS
        high = float("inf") if end is None else end + SAMPLE_SECONDS
        return max((rss for t, rss in self.samples if low <= t <= high), default=0)


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # it ended between listing and reading
            total += member.memory_info().rss
    return total


def run_measured(command: list[str], log_path: str) -> MeasuredRun:
    """Run `command` (output to `log_path`), sampling the tree's memory every 100 ms."""
    started = time.time()
    with open(log_path, "w") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        watched = psutil.Process(child.pid)
        samples: list[tuple[float, int]] = []
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                try:
                    samples.append((time.time(), tree_rss(watched)))
                except psutil.Error:
                    return
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = child.wait()
        done.set()
        sampler.join()
    return MeasuredRun(returncode, round(time.time() - started, 2), samples)


def python_module(module: str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", module, *arguments]
