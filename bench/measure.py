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
# PSS comes from /proc/<pid>/smaps_rollup, which walks the whole address space: 135 ms for an
# 8 GB JVM, holding its memory map's lock. Read every 100 ms it slowed the 5M run down; read
# every second it costs the run little, and the JVM's memory moves slower than that.
PSS_EVERY = 10  # samples


@dataclass(frozen=True)
class Sample:
    at: float  # epoch seconds
    rss: int  # bytes resident, summed over the tree: pages two processes share count twice
    pss: int  # proportional set size: a shared page counts once over the tree (read every second)


@dataclass
class MeasuredRun:
    returncode: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)

    def peak_bytes(self, start: float | None = None, end: float | None = None, kind: str = "pss") -> int:
        """The largest memory (`pss`, or `rss`) of the process tree between `start` and `end`
        (widened by a sampling interval, so a step shorter than one still has its neighbouring
        samples)."""
        low = float("-inf") if start is None else start - SAMPLE_SECONDS
        high = float("inf") if end is None else end + SAMPLE_SECONDS
        return max((getattr(s, kind) for s in self.samples if low <= s.at <= high), default=0)


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes: a page the processes
    share counts once per process."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # it ended between listing and reading
            total += member.memory_info().rss
    return total


def tree_pss(process: psutil.Process) -> int:
    """Proportional set size of a process and its descendants: each shared page (libraries,
    forked pages of the Python workers) split between its sharers, so the tree's sum is the
    memory it occupies."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_full_info().pss
    return total


def run_measured(command: list[str], log_path: str) -> MeasuredRun:
    """Run `command` (output to `log_path`), sampling the tree's memory every 100 ms."""
    started = time.time()
    with open(log_path, "w") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        watched = psutil.Process(child.pid)
        samples: list[Sample] = []
        done = threading.Event()

        def sample() -> None:
            pss, count = 0, 0
            while not done.is_set():
                try:
                    pss = tree_pss(watched) if count % PSS_EVERY == 0 else pss  # the latest reading
                    samples.append(Sample(time.time(), tree_rss(watched), pss))
                except psutil.Error:
                    return
                count += 1
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = child.wait()
        done.set()
        sampler.join()
    return MeasuredRun(returncode, round(time.time() - started, 2), samples)


def python_module(module: str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", module, *arguments]
