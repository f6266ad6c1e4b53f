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
# The sampler shares the run's two cores, so it reads as little as it can. PSS comes from
# /proc/<pid>/smaps_rollup, which walks the whole address space: 63 ms of CPU for a 3.3 GB JVM,
# 135 ms for 8 GB. Read every second, with the tree listed every 100 ms, the sampler took 20-22
# core-seconds of a 5M run and the run 7-33 s longer than unsampled (bench/NOTES.md, "Three
# pairs a scale"). PSS moves with the tree's resident memory, so it is read again when that
# moved by more than PSS_WHEN_RSS_MOVES since the last reading, and at least every
# PSS_AT_LEAST_EVERY.
PSS_WHEN_RSS_MOVES = 0.02  # of the resident memory at the last reading
PSS_AT_LEAST_EVERY = 5.0  # seconds
LIST_TREE_EVERY = 5  # samples: a process that starts is counted within half a second


def pss_due(rss: int, rss_at_last_pss: int | None, seconds_since_pss: float) -> bool:
    """Whether the sampler reads the tree's PSS again (the first time, always)."""
    if rss_at_last_pss is None or seconds_since_pss >= PSS_AT_LEAST_EVERY:
        return True
    return abs(rss - rss_at_last_pss) > PSS_WHEN_RSS_MOVES * rss_at_last_pss


@dataclass(frozen=True)
class Sample:
    at: float  # epoch seconds
    rss: int  # bytes resident, summed over the tree: pages two processes share count twice
    pss: int  # proportional set size: a shared page counts once over the tree (the latest reading)


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


def process_tree(process: psutil.Process) -> list[psutil.Process]:
    """A process and all its descendants (empty once it has ended)."""
    with contextlib.suppress(psutil.Error):
        return [process, *process.children(recursive=True)]
    return []


def tree_rss(members: list[psutil.Process]) -> int:
    """Resident memory of the processes, in bytes: a page they share counts once per process."""
    total = 0
    for member in members:
        with contextlib.suppress(psutil.Error):  # it ended between listing and reading
            total += member.memory_info().rss
    return total


def tree_pss(members: list[psutil.Process]) -> int:
    """Proportional set size of the processes: each shared page (libraries, forked pages of
    the Python workers) split between its sharers, so the sum is the memory they occupy."""
    total = 0
    for member in members:
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
            members: list[psutil.Process] = []
            pss, rss_at_pss, pss_at, count = 0, None, 0.0, 0
            while not done.is_set():
                if count % LIST_TREE_EVERY == 0:
                    members = process_tree(watched)
                    if not members:
                        return
                now = time.time()
                rss = tree_rss(members)
                if pss_due(rss, rss_at_pss, now - pss_at):
                    pss, rss_at_pss, pss_at = tree_pss(members), rss, now
                samples.append(Sample(now, rss, pss))
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
